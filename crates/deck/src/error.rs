//! The crate's one error type: which file, which page and what went wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a deck could not be written. `Display` names the file (when there is one), the page
/// (1-based, when one page is at fault) and what went wrong.
#[derive(Debug)]
pub struct DeckError {
    path: Option<PathBuf>,
    page: Option<usize>,
    what: String,
    source: Option<std::io::Error>,
}

impl DeckError {
    pub(crate) fn new(what: impl Into<String>) -> Self {
        Self {
            path: None,
            page: None,
            what: what.into(),
            source: None,
        }
    }

    pub(crate) fn on_page(page_index: usize, what: impl Into<String>) -> Self {
        Self {
            page: Some(page_index + 1),
            ..Self::new(what)
        }
    }

    pub(crate) fn io(path: &Path, what: impl Into<String>, source: std::io::Error) -> Self {
        Self {
            path: Some(path.to_path_buf()),
            source: Some(source),
            ..Self::new(what)
        }
    }

    /// The same error, said of the file `path` (kept if it already names one).
    pub(crate) fn at(mut self, path: &Path) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_path_buf());
        }
        self
    }

    /// The file the error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The page at fault, counted from 1, if the error is about one page.
    pub fn page(&self) -> Option<usize> {
        self.page
    }
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}: ", path.display())?;
        }
        if let Some(page) = self.page {
            write!(f, "page {page}: ")?;
        }
        f.write_str(&self.what)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DeckError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
