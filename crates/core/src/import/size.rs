//! Whether a file becomes a full layer or a compact table.

use super::Import;
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::table::{LoadProgress, load_table};
use std::path::Path;

/// Files at least this large load as a table without being read whole first.
pub const LARGE_FILE_BYTES: u64 = 16 << 20;

/// A smaller file of more events than this (or of more Point features, and nothing else) also
/// loads as a table: each event of a full layer is a widget, a list entry and a
/// timeline item, and past about 500 a frame takes longer than 4 ms to build (9 ms at 1,000,
/// 25 ms at 2,000, 380 ms at 10,000; see `docs/performance.md`).
pub const RICH_LAYER_MAX_EVENTS: usize = 500;

/// True when `path` should load as a table by its size alone.
pub fn is_large_file(path: &Path) -> bool {
    std::fs::metadata(path)
        .is_ok_and(|metadata| metadata.is_file() && metadata.len() >= LARGE_FILE_BYTES)
}

/// Whether GeoJSON text holds more than `count` `"Feature"` strings: a quick scan, no parse.
/// Every feature that loads has one, so a file that fails this has no more than `count` events
/// (unless it spells `Feature` with escapes, which the ordinary reading then catches).
pub(super) fn names_more_features_than(text: &str, count: usize) -> bool {
    text.match_indices("\"Feature\"").nth(count).is_some()
}

/// A file of events read as a table, when it holds more than [`RICH_LAYER_MAX_EVENTS`] of them;
/// `None` when it does not, or when the table reader refuses it (the ordinary reading then
/// reports the file's problem as it always has).
pub(super) fn table_of_many_events(
    file: &str,
    path: &Path,
    progress: &LoadProgress,
) -> Result<Option<Import>, LoadError> {
    match load_table(path, progress) {
        Ok(Some(loaded))
            if loaded.format == DetectedFormat::StrikemapEvents
                && loaded.table.len() > RICH_LAYER_MAX_EVENTS =>
        {
            Ok(Some(Import::of_table(file, loaded)))
        }
        Err(cancelled @ LoadError::Cancelled { .. }) => Err(cancelled),
        Ok(_) | Err(_) => Ok(None),
    }
}
