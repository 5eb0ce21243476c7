//! Copies of unsaved work, written every minute or so by the app to a folder it passes in (its
//! data directory), and offered back after a crash. Each autosave is a case file
//! `autosave-<key>.geojson` (it opens like any case, problems and all) with a sidecar
//! `autosave-<key>.json` naming the file it is unsaved work on and when it was written. Both are
//! written atomically; one case (one original file, or one untitled case) has one autosave,
//! replaced each time.

use super::Case;
use super::read::LoadedCase;
use super::store::{load_case_file, write_atomically};
use super::write::write_case;
use crate::error::LoadError;
use serde::{Deserialize, Serialize};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PREFIX: &str = "autosave-";

/// An autosave found in the folder.
#[derive(Clone, Debug, PartialEq)]
pub struct AutosaveEntry {
    /// The autosaved case file.
    pub path: PathBuf,
    /// The case file the work was on; `None` for a case never saved.
    pub original_path: Option<PathBuf>,
    pub saved_at: SystemTime,
}

#[derive(Serialize, Deserialize)]
struct Sidecar {
    original_path: Option<PathBuf>,
    /// Seconds since 1970-01-01 UTC.
    saved_at: u64,
}

/// The autosave file for a case opened from `original_path` (`None`: an untitled case).
pub fn autosave_path(dir: &Path, original_path: Option<&Path>) -> PathBuf {
    let key = match original_path {
        None => "untitled".to_owned(),
        Some(path) => {
            let mut hasher = std::hash::DefaultHasher::new();
            path.hash(&mut hasher);
            format!("{:016x}", hasher.finish())
        }
    };
    dir.join(format!("{PREFIX}{key}.geojson"))
}

fn sidecar_path(autosave: &Path) -> PathBuf {
    autosave.with_extension("json")
}

/// Writes the case as the autosave of `original_path` (replacing the last one); returns its
/// path. A case with problems is written as it is: it is unsaved work, not a save.
pub fn write(dir: &Path, original_path: Option<&Path>, case: &Case) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = autosave_path(dir, original_path);
    write_atomically(&path, write_case(case).as_bytes())?;
    let saved_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let sidecar = Sidecar {
        original_path: original_path.map(Path::to_path_buf),
        saved_at,
    };
    let text = serde_json::to_string_pretty(&sidecar).map_err(std::io::Error::other)?;
    write_atomically(&sidecar_path(&path), text.as_bytes())?;
    Ok(path)
}

/// The autosaves in the folder, newest first. A missing folder has none; a sidecar that is
/// missing or unreadable leaves the original unknown and the time the file's.
pub fn find(dir: &Path) -> Vec<AutosaveEntry> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<AutosaveEntry> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(PREFIX) && name.ends_with(".geojson"))
        })
        .map(|path| {
            let sidecar: Option<Sidecar> = std::fs::read_to_string(sidecar_path(&path))
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok());
            let file_time = std::fs::metadata(&path)
                .and_then(|metadata| metadata.modified())
                .unwrap_or(UNIX_EPOCH);
            match sidecar {
                Some(sidecar) => AutosaveEntry {
                    original_path: sidecar.original_path,
                    saved_at: UNIX_EPOCH + Duration::from_secs(sidecar.saved_at),
                    path,
                },
                None => AutosaveEntry {
                    original_path: None,
                    saved_at: file_time,
                    path,
                },
            }
        })
        .collect();
    found.sort_by(|a, b| {
        b.saved_at
            .cmp(&a.saved_at)
            .then_with(|| a.path.cmp(&b.path))
    });
    found
}

/// Opens an autosave (problems and all).
pub fn read(entry: &AutosaveEntry) -> Result<LoadedCase, LoadError> {
    load_case_file(&entry.path).map(|(loaded, _)| loaded)
}

/// Removes an autosave and its sidecar (after the work was saved, or the user declined it).
/// Removing one that is already gone is not an error.
pub fn discard(entry_path: &Path) -> std::io::Result<()> {
    for path in [entry_path.to_path_buf(), sidecar_path(entry_path)] {
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    Ok(())
}
