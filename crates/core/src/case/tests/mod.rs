//! Tests of case files: the bundled case, reading and writing, migration, problems, saving,
//! autosave, the edit history and adding dataset events.

mod annotations;
mod bundle;
mod edit;
mod evidence;
mod file;
mod problems;
mod store;

use super::*;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder under the system's temporary folder, removed by the test.
pub(super) fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "strikemap-case-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(super) fn bundled() -> Case {
    bundled_case().unwrap_or_else(|error| panic!("{error}"))
}
