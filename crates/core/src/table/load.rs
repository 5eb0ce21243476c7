//! Loading a file as a table: deciding by its first byte whether it is GeoJSON or CSV, and
//! returning the table with what was skipped and the format it was read as.

use super::{LoadProgress, PointTable, csv_rows, geojson};
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::formats::memory::{available_memory, check_memory, table_estimate};
use crate::formats::skips::{SkipLog, Skipped, Warning};
use std::fs::File;
use std::io::{Seek as _, SeekFrom};
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
/// ordinary way. Refused before reading on when the rows its first 64 KiB promise would need
/// more memory than is available ([`crate::formats::memory`]). The file is read no further than
/// its size when it was opened: one that grows meanwhile is cut there, with a warning.
pub fn load_table(path: &Path, progress: &LoadProgress) -> Result<Option<LoadedTable>, LoadError> {
    crate::formats::text_files::check_readable(path)?;
    let (opened, opened_len) =
        crate::formats::file_kind::open_regular_file(path).map_err(|problem| LoadError::Read {
            file: path.display().to_string(),
            message: problem.to_string(),
        })?;
    load_opened_table(path, opened, opened_len, progress)
}

/// [`load_table`] of the file `opened` from `path`, whose size was `opened_len` when opened.
pub(super) fn load_opened_table(
    path: &Path,
    mut opened: File,
    opened_len: u64,
    progress: &LoadProgress,
) -> Result<Option<LoadedTable>, LoadError> {
    let file = path.display().to_string();
    progress.set_total(opened_len);
    let read_error = |message: String| LoadError::Read {
        file: file.clone(),
        message,
    };
    let (first, sample) = first_significant_byte(&mut opened).map_err(read_error)?;
    if first.is_some_and(|first| first != b'[') {
        // Rows (CSV records, GeoJSON features) in the sample, at its rate over the whole file.
        let rows = match first {
            Some(b'{') => sample.rows_by(b"\"Feature\""),
            _ => sample.rows_by(b"\n"),
        };
        let estimate = table_estimate(opened_len, sample.bytes.len() as u64, rows);
        check_memory(&file, opened_len, estimate, available_memory())?;
    }
    opened
        .seek(SeekFrom::Start(0))
        .map_err(|error| read_error(error.to_string()))?;
    // Kept to ask the file's size once it is read.
    let probe = opened
        .try_clone()
        .map_err(|error| read_error(error.to_string()))?;
    let loaded = match first {
        None => Err(LoadError::Document {
            file,
            message: "the file is empty".into(),
        }),
        Some(b'{') => {
            let tuning = geojson::Tuning::default();
            geojson::load_opened(&file, path, (opened, opened_len), progress, tuning)
        }
        Some(b'[') => Err(LoadError::Document {
            file,
            message: "JSON whose top level is an array; GeoJSON is an object (a \
                      FeatureCollection, a Feature or a geometry)"
                .into(),
        }),
        Some(_) => csv_rows::load_opened(&file, path, (opened, opened_len), progress).map(Some),
    };
    Ok(loaded?.map(|loaded| loaded.noting_growth(&probe, opened_len)))
}

impl LoadedTable {
    /// The table, with a first warning when `file` has grown past `opened_len` (the size it
    /// had when it was opened, where the reading stopped), as the whole-file import warns.
    fn noting_growth(mut self, file: &File, opened_len: u64) -> Self {
        if file.metadata().is_ok_and(|now| now.len() > opened_len) {
            let message = crate::formats::file_kind::grew_warning(opened_len);
            self.warnings.insert(
                0,
                Warning {
                    place: "file".to_owned(),
                    message,
                },
            );
        }
        self
    }
}

/// The first bytes of a file, read to decide how to load it.
struct Sample {
    bytes: Vec<u8>,
}

impl Sample {
    /// How many times `marker` occurs in the sample.
    fn rows_by(&self, marker: &[u8]) -> u64 {
        if marker.len() == 1 {
            return self
                .bytes
                .iter()
                .filter(|&&byte| Some(&byte) == marker.first())
                .count() as u64;
        }
        self.bytes
            .windows(marker.len())
            .filter(|window| *window == marker)
            .count() as u64
    }
}

/// The first byte that is not whitespace or a byte-order mark, from the first 64 KiB, and those
/// 64 KiB.
fn first_significant_byte(file: &mut File) -> Result<(Option<u8>, Sample), String> {
    use std::io::Read as _;
    let mut head = vec![0; 64 << 10];
    let read = file.read(&mut head).map_err(|error| error.to_string())?;
    head.truncate(read);
    let text = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&head);
    let first = text
        .iter()
        .copied()
        .find(|byte| !byte.is_ascii_whitespace());
    Ok((first, Sample { bytes: head }))
}
