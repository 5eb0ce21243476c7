//! Loading a file as a table: deciding by its first byte whether it is GeoJSON or CSV, and
//! returning the table with what was skipped and the format it was read as.

use super::{LoadProgress, PointTable, csv_rows, geojson};
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::formats::skips::{SkipLog, Skipped, Warning};
use std::path::Path;

/// A file loaded as a table: the table, the format it was read as, and what was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedTable {
    pub table: PointTable,
    pub format: DetectedFormat,
    /// The first [`crate::formats::skips::MAX_LISTED_SKIPS`] skipped rows or features, in file
    /// order.
    pub skipped: Vec<Skipped>,
    /// How many rows or features were skipped in all.
    pub skipped_total: usize,
    /// What was tolerated (the first [`crate::formats::skips::MAX_LISTED_SKIPS`], then a count).
    pub warnings: Vec<Warning>,
}

impl LoadedTable {
    pub(crate) fn new(table: PointTable, format: DetectedFormat, skips: SkipLog) -> Self {
        Self {
            table,
            format,
            warnings: skips.warnings_listed(),
            skipped: skips.listed,
            skipped_total: skips.total,
        }
    }
}

/// Loads a file as a table, reading it in chunks (never whole); `Ok(None)` when its content is
/// not points or rows (a large GeoJSON of polygons, say), which the caller then reads the
/// ordinary way.
pub fn load_table(path: &Path, progress: &LoadProgress) -> Result<Option<LoadedTable>, LoadError> {
    let file = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|error| LoadError::Read {
        file: file.clone(),
        message: error.to_string(),
    })?;
    if metadata.is_dir() {
        return Err(LoadError::Read {
            file,
            message: "is a folder, not a file".into(),
        });
    }
    progress.set_total(metadata.len());
    let mut opened = std::fs::File::open(path).map_err(|error| LoadError::Read {
        file: file.clone(),
        message: error.to_string(),
    })?;
    let first = first_significant_byte(&mut opened).map_err(|message| LoadError::Read {
        file: file.clone(),
        message,
    })?;
    match first {
        None => Err(LoadError::Document {
            file,
            message: "the file is empty".into(),
        }),
        Some(b'{') => geojson::load(&file, path, progress, geojson::Tuning::default()),
        Some(b'[') => Err(LoadError::Document {
            file,
            message: "JSON whose top level is an array; GeoJSON is an object (a \
                      FeatureCollection, a Feature or a geometry)"
                .into(),
        }),
        Some(_) => csv_rows::load(&file, path, progress).map(Some),
    }
}

/// The first byte that is not whitespace or a byte-order mark, from the first 64 KiB.
fn first_significant_byte(file: &mut std::fs::File) -> Result<Option<u8>, String> {
    use std::io::Read as _;
    let mut head = vec![0; 64 << 10];
    let read = file.read(&mut head).map_err(|error| error.to_string())?;
    let head = head.get(..read).unwrap_or_default();
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    Ok(head
        .iter()
        .copied()
        .find(|byte| !byte.is_ascii_whitespace()))
}
