//! Helpers shared by the core's fixture tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use strikemap_core::import::{Import, import_file};

/// A file of `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fixture imported as the app imports a file; a failure fails the test with its message.
pub fn load(name: &str) -> Import {
    import_file(&fixture(name)).unwrap_or_else(|error| panic!("{error}"))
}
