//! Edits kept on disk while the store cannot be reached, and replayed when it can.
//!
//! The journal holds the case as this client last had it from the store (its image, the version
//! of each field, the last history row seen) and, in order, the case after each edit made since
//! (`pending`). Every change is written to a new file beside the journal, flushed to disk and
//! renamed over it, so a kill at any moment leaves the journal as it was before or after the
//! edit, never half of it.
//!
//! Replaying sends the pending edits one by one, each as the changes from the case before it,
//! checked against the versions this client knew when it went offline: a field another analyst
//! changed meanwhile is a clash, shown as any other, never written over. Changes the store
//! already holds (an edit whose commit went through just as the connection dropped) are
//! recognised and not written twice.

use crate::cases::Session;
use crate::edit::{Clash, Outcome};
use crate::image::{Change, Image, apply, case_of, image_of, value_of};
use crate::{Store, StoreError};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use strikemap_core::case::Case;

/// The journal of one store case on this machine.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: JournalFile,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct JournalFile {
    /// The store's name (its URL without a password).
    store: String,
    case_id: i64,
    /// The case as last had from the store.
    image: Image,
    versions: Vec<(String, String, i64)>,
    seen: i64,
    /// The case after each edit not yet in the store, oldest first.
    pending: Vec<Image>,
}

/// What a replay did.
#[derive(Debug, PartialEq)]
pub struct Replay {
    /// Edits now in the store.
    pub saved: usize,
    /// The clashes of the first edit that could not go through (it and those after it stay in
    /// the journal until the analyst settles them).
    pub clashes: Vec<Clash>,
    /// Edits still in the journal.
    pub remaining: usize,
}

impl Journal {
    /// Starts a journal for a session (nothing pending), written at once.
    pub fn create(path: &Path, store: &str, session: &Session) -> std::io::Result<Self> {
        let journal = Self {
            path: path.to_path_buf(),
            file: JournalFile {
                store: store.to_owned(),
                case_id: session.case_id,
                image: session.image.clone(),
                versions: versions_of(session),
                seen: session.seen,
                pending: Vec::new(),
            },
        };
        journal.write()?;
        Ok(journal)
    }

    /// Reads a journal left by an earlier run. The message names the file and what is wrong.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: cannot read the journal: {error}", path.display()))?;
        let file: JournalFile = serde_json::from_str(&text).map_err(|error| {
            format!(
                "{}:{}:{}: not a Strikemap journal: {error}",
                path.display(),
                error.line(),
                error.column()
            )
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn store(&self) -> &str {
        &self.file.store
    }

    pub fn case_id(&self) -> i64 {
        self.file.case_id
    }

    /// The last history row taken in before going offline.
    pub fn seen(&self) -> i64 {
        self.file.seen
    }

    /// Edits waiting for the store.
    pub fn pending(&self) -> usize {
        self.file.pending.len()
    }

    /// The case with every pending edit made: what the analyst sees while offline.
    pub fn case(&self) -> Result<Case, strikemap_core::error::LoadError> {
        let image = self.file.pending.last().unwrap_or(&self.file.image);
        case_of(
            &format!("journal of store case {}", self.file.case_id),
            image,
        )
        .map(|l| l.case)
    }

    /// The session reached the store again (an edit saved, others' edits taken in): it is the
    /// journal's new starting point. Call it only with nothing pending.
    pub fn synced(&mut self, session: &Session) -> std::io::Result<()> {
        self.file.image = session.image.clone();
        self.file.versions = versions_of(session);
        self.file.seen = session.seen;
        self.write()
    }

    /// Keeps an edit made while the store cannot be reached. On return it is on disk.
    pub fn record(&mut self, after: &Case) -> std::io::Result<()> {
        let before = self.file.pending.last().unwrap_or(&self.file.image);
        let image = image_of(after, Some(before));
        self.file.pending.push(image);
        self.write()
    }

    /// Keeps an edit given as its changes (a window's pair, see [`crate::window`]), laid on the
    /// case with every pending edit made. On return it is on disk.
    pub fn record_changes(&mut self, changes: &[Change]) -> std::io::Result<()> {
        let mut image = self.file.pending.last().unwrap_or(&self.file.image).clone();
        for change in changes {
            apply(&mut image, change);
        }
        self.file.pending.push(image);
        self.write()
    }

    /// The case with every pending edit made, as an image (the starting point of the next
    /// window edit's changes).
    pub fn latest_image(&self) -> &Image {
        self.file.pending.last().unwrap_or(&self.file.image)
    }

    /// The analyst settled a clash of the first pending edit with `chosen`: every pending edit
    /// that still held the clashed value takes the chosen one, so the replay does not write it
    /// again. On return it is on disk.
    pub fn settle(&mut self, clash: &Clash, chosen: &Value) -> std::io::Result<()> {
        for image in &mut self.file.pending {
            if value_of(image, &clash.object, &clash.field) == clash.yours {
                apply(
                    image,
                    &Change::Set {
                        object: clash.object.clone(),
                        field: clash.field.clone(),
                        old: clash.yours.clone(),
                        new: chosen.clone(),
                    },
                );
            }
        }
        self.write()
    }

    /// The session as it stood when the client went offline.
    fn session(&self) -> Session {
        Session {
            case_id: self.file.case_id,
            image: self.file.image.clone(),
            versions: self
                .file
                .versions
                .iter()
                .map(|(object, field, version)| ((object.clone(), field.clone()), *version))
                .collect::<HashMap<_, _>>(),
            seen: self.file.seen,
            own: HashSet::new(),
            written: HashSet::new(),
        }
    }

    /// Sends the pending edits, oldest first, stopping at the first that clashes. Returns the
    /// session (for taking in others' edits next) and what was done; the journal on disk
    /// keeps only what is still pending.
    pub fn replay(&mut self, store: &mut Store) -> Result<(Session, Replay), StoreError> {
        let mut session = self.session();
        let mut saved = 0;
        let mut clashes = Vec::new();
        while let Some(next) = self.file.pending.first().cloned() {
            let after = case_of("journal", &next).map_err(|error| StoreError::Case {
                store: store.name().to_owned(),
                id: session.case_id,
                message: format!("a journalled edit does not read as a case: {error}"),
            })?;
            match store.commit(&mut session, &after.case)? {
                Outcome::Saved(_) => {
                    saved += 1;
                    self.file.pending.remove(0);
                    self.file.image = session.image.clone();
                    self.file.versions = versions_of(&session);
                    self.write().map_err(|error| StoreError::Case {
                        store: store.name().to_owned(),
                        id: session.case_id,
                        message: format!(
                            "{}: cannot write the journal: {error}",
                            self.path.display()
                        ),
                    })?;
                }
                Outcome::Clashed(found) => {
                    clashes = found;
                    break;
                }
            }
        }
        let remaining = self.file.pending.len();
        Ok((
            session,
            Replay {
                saved,
                clashes,
                remaining,
            },
        ))
    }

    /// Removes the journal once nothing is pending.
    pub fn finish(self) -> std::io::Result<()> {
        if self.file.pending.is_empty() {
            match std::fs::remove_file(&self.path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
        Ok(())
    }

    /// Writes the journal atomically: a new file, flushed to disk, renamed over the old one.
    fn write(&self) -> std::io::Result<()> {
        let text = serde_json::to_vec(&self.file).map_err(std::io::Error::other)?;
        let mut part = self.path.clone().into_os_string();
        part.push(".part");
        let part = PathBuf::from(part);
        {
            let mut file = std::fs::File::create(&part)?;
            file.write_all(&text)?;
            file.sync_all()?;
        }
        std::fs::rename(&part, &self.path)?;
        if let Some(folder) = self.path.parent()
            && let Ok(folder) = std::fs::File::open(folder)
        {
            // The rename itself reaches the disk (on Unix a folder can be synced).
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

fn versions_of(session: &Session) -> Vec<(String, String, i64)> {
    let mut versions: Vec<(String, String, i64)> = session
        .versions
        .iter()
        .map(|((object, field), version)| (object.clone(), field.clone(), *version))
        .collect();
    versions.sort();
    versions
}
