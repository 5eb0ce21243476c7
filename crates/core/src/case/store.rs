//! Saving and opening case files: saves are refused while the case has problems, written
//! atomically (the whole text to `NAME.part` beside the file, flushed to disk, then renamed over
//! it, so a crash or a full disk leaves the old file or the new one, never half of one), and a
//! file that another program changed since it was opened or saved is noticed before it is
//! overwritten ([`FileStamp`]).

use super::Case;
use super::problems::{Problem, problems};
use super::read::{LoadedCase, parse_case};
use super::write::write_case;
use crate::error::LoadError;
use crate::formats::text_files::{decode_text, read_file_bytes};
use std::hash::{Hash as _, Hasher as _};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a case file was on disk when it was opened or saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    /// The modification time, where the file system gives one. Informational: two stamps are
    /// the same file when length and content hash agree (a `touch` is not a change).
    pub modified: Option<SystemTime>,
    /// A 64-bit hash of the bytes.
    pub hash: u64,
}

impl FileStamp {
    fn of(bytes: &[u8], modified: Option<SystemTime>) -> Self {
        let mut hasher = std::hash::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Self {
            len: bytes.len() as u64,
            modified,
            hash: hasher.finish(),
        }
    }

    /// The stamp of the file as it is now; `Ok(None)` when there is no file.
    pub fn read(path: &Path) -> std::io::Result<Option<Self>> {
        use crate::formats::file_kind::{NotAFile, open_regular_file, read_to_opened_size};
        match open_regular_file(path) {
            Ok((mut file, opened_len)) => {
                let modified = file
                    .metadata()
                    .and_then(|metadata| metadata.modified())
                    .ok();
                let read = read_to_opened_size(&mut file, opened_len)?;
                Ok(Some(Self::of(&read.bytes, modified)))
            }
            Err(NotAFile::Missing { .. }) => Ok(None),
            Err(problem) => Err(std::io::Error::other(problem.to_string())),
        }
    }

    /// Whether `other` is the same content (length and hash; the time is not compared).
    pub fn same_content(&self, other: &Self) -> bool {
        self.len == other.len && self.hash == other.hash
    }
}

/// Why a case was not saved. Nothing was written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{} problem(s) must be mended before saving; the first: {}", .0.len(), first_problem(.0))]
    Problems(Vec<Problem>),
    #[error("{}: the file was changed on disk by another program since it was opened or saved; \
             saving would overwrite those changes", .path.display())]
    Conflict {
        path: PathBuf,
        expected: FileStamp,
        /// The file as it is now; `None` when it was deleted.
        found: Option<FileStamp>,
    },
    #[error("{}: cannot save: {message}", .path.display())]
    Io { path: PathBuf, message: String },
}

fn first_problem(problems: &[Problem]) -> String {
    problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Opens a case file (or an events file, migrated), with the stamp to save it against. Its
/// layers' paths come back whole: a path relative to the case file's folder is joined to it.
pub fn load_case_file(path: &Path) -> Result<(LoadedCase, FileStamp), LoadError> {
    let bytes = read_file_bytes(path)?;
    let modified = std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok();
    let stamp = FileStamp::of(&bytes, modified);
    let file = path.display().to_string();
    let text = decode_text(&file, &bytes)?;
    let mut loaded = parse_case(&file, &text)?;
    let folder = case_folder(path);
    for layer in &mut loaded.case.layers {
        layer.path = resolve_layer_path(&folder, &layer.path);
    }
    for file in loaded.case.evidence_files_mut() {
        file.path = resolve_layer_path(&folder, &file.path);
    }
    Ok((loaded, stamp))
}

/// The folder a case file's relative layer paths start from.
pub fn case_folder(case_path: &Path) -> PathBuf {
    match case_path.parent() {
        // `case.geojson` on its own: the working folder.
        Some(folder) if !folder.as_os_str().is_empty() => {
            std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf())
        }
        _ => std::env::current_dir().unwrap_or_default(),
    }
}

/// A layer path as written in a case file, made whole: relative paths start at `folder`.
pub fn resolve_layer_path(folder: &Path, written: &str) -> String {
    let path = Path::new(written);
    if path.is_absolute() || written.is_empty() || super::is_bundled_layer_path(written) {
        written.to_owned()
    } else {
        folder.join(path).display().to_string()
    }
}

/// A layer path as a case file in `folder` writes it: relative (with `/` between folders, so
/// the file reads the same on every system) when the layer lies in that folder or below it,
/// whole otherwise. A case moved together with its layers' folder keeps working.
pub fn relative_layer_path(folder: &Path, path: &str) -> String {
    let Ok(inside) = Path::new(path).strip_prefix(folder) else {
        return path.to_owned();
    };
    let parts: Option<Vec<&str>> = inside
        .components()
        .map(|part| match part {
            std::path::Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    match parts {
        Some(parts) if !parts.is_empty() => parts.join("/"),
        _ => path.to_owned(),
    }
}

/// The case as it is written to `path`: its layers' and evidence files' paths relative to the
/// file's folder where they lie inside it.
pub(crate) fn as_written_to(path: &Path, case: &Case) -> String {
    let folder = case_folder(path);
    let mut written = case.clone();
    for layer in &mut written.layers {
        layer.path = relative_layer_path(&folder, &layer.path);
    }
    for file in written.evidence_files_mut() {
        file.path = relative_layer_path(&folder, &file.path);
    }
    write_case(&written)
}

/// Saves the case to `path` without looking at what is there (a new file, or "save as" after
/// the user chose to replace one). Refused with the list while the case has problems.
pub fn save(path: &Path, case: &Case) -> Result<FileStamp, SaveError> {
    save_checked(path, case, None)
}

/// Saves the case over the file it was opened from or last saved to: `expected` is the stamp
/// from then, and a file that no longer matches it (changed or deleted by another program) is
/// a [`SaveError::Conflict`]. `None` skips that check (as [`save`]).
pub fn save_checked(
    path: &Path,
    case: &Case,
    expected: Option<&FileStamp>,
) -> Result<FileStamp, SaveError> {
    let found = problems(case);
    if !found.is_empty() {
        return Err(SaveError::Problems(found));
    }
    if let Some(expected) = expected {
        let now = FileStamp::read(path).map_err(|error| io_error(path, &error))?;
        if !now.as_ref().is_some_and(|now| now.same_content(expected)) {
            return Err(SaveError::Conflict {
                path: path.to_owned(),
                expected: expected.clone(),
                found: now,
            });
        }
    }
    let text = as_written_to(path, case);
    write_atomically(path, text.as_bytes()).map_err(|error| io_error(path, &error))?;
    let modified = std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok();
    Ok(FileStamp::of(text.as_bytes(), modified))
}

fn io_error(path: &Path, error: &std::io::Error) -> SaveError {
    SaveError::Io {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

/// The file beside `path` that a save writes first.
pub fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// Writes `bytes` to `NAME.part` beside `path`, flushes it to disk and renames it over `path`.
/// On any error the part file is removed and `path` is as it was.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.file_name().is_none() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path names no file",
        ));
    }
    let part = part_path(path);
    let written = (|| {
        let mut file = std::fs::File::create(&part)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&part, path)
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&part);
        return Err(error);
    }
    // The rename itself is durable once the folder is flushed (where the system allows it).
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        && let Ok(folder) = std::fs::File::open(folder)
    {
        let _ = folder.sync_all();
    }
    Ok(())
}
