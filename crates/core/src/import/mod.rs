//! "Bring your own data": opening a file whatever its format. The format is detected from the
//! content (JSON or a CSV header), not the extension, by [`crate::formats::detect`], and the file
//! is read by that format's reader:
//!
//! - GeoJSON in the app's event schema → events ([`crate::formats::event_schema`]);
//! - any other GeoJSON → an overlay layer ([`crate::formats::overlay`]);
//! - ACLED CSV exports, current and pre-2023 columns → events ([`crate::formats::acled`]);
//! - UCDP GED CSV → events ([`crate::formats::ucdp`]);
//! - KML, KMZ and GPX → an overlay layer ([`crate::formats::kml`], [`crate::formats::gpx`]);
//! - GeoTIFF → an imagery layer, read by window ([`crate::formats::geotiff`]).
//!
//! This module alone decides whether a file becomes a full layer or a compact table
//! ([`crate::table`]): files of [`LARGE_FILE_BYTES`] or more are read as a table without being
//! read whole; smaller ones are read whole, once, and become a table when they hold more than
//! [`RICH_LAYER_MAX_EVENTS`] events.
//!
//! Importing returns a new [`Import`] and never touches what the caller holds, so a failed
//! import leaves earlier data in place. Bad rows or features are skipped and reported with their
//! place; a file with nothing usable is an error naming the file and the reason.

mod binary_layers;
mod size;
#[cfg(test)]
mod tests;
mod xml_overlays;

use crate::error::LoadError;
use crate::formats::dataset::DatasetEvents;
use crate::formats::event_schema::{EventCollection, parse_events_skipping_bad_features};
use crate::formats::geotiff::GeoTiff;
use crate::formats::skips::SkipLog;
use crate::formats::text_files::{
    check_readable, check_whole_file_memory, decode_text, read_file_bytes_noting_growth,
};
use crate::formats::{acled, overlay, ucdp};
use crate::model::StrikeEvent;
use crate::table::{LoadProgress, LoadedTable, PointTable, load_table};
use std::path::Path;
use std::sync::Arc;

pub use crate::formats::detect::{DetectedFormat, detect_format};
pub use crate::formats::overlay::{OverlayFeature, OverlayLayer};
pub use crate::formats::skips::{MAX_LISTED_SKIPS, Skipped, Warning};
pub use size::{LARGE_FILE_BYTES, RICH_LAYER_MAX_EVENTS, is_large_file};

/// What an imported file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportedContent {
    Events(EventCollection),
    Overlay(OverlayLayer),
    /// A large file's events or points, kept as a compact table ([`crate::table`], chosen by [`import_file`]).
    Table(Arc<PointTable>),
    /// Several overlay layers from one file (a GeoPackage of several feature tables, a zip of
    /// several shapefiles), each shown as a layer of its own.
    Layers(Vec<OverlayLayer>),
    /// A GeoTIFF, opened (its directories, georeferencing and stretch read) but never read
    /// whole: drawn window by window ([`crate::formats::geotiff`]).
    Imagery(Arc<GeoTiff>),
}

/// A successfully imported file: what loaded, and what was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The file name as given to the importer.
    pub file: String,
    pub format: DetectedFormat,
    pub content: ImportedContent,
    /// The first [`MAX_LISTED_SKIPS`] skipped rows or features, in file order.
    pub skipped: Vec<Skipped>,
    /// How many rows or features were skipped in all.
    pub skipped_total: usize,
    /// What the file does that its format's rules forbid but readers tolerate, each with its
    /// place; the data loaded anyway (see [`Warning`]).
    pub warnings: Vec<Warning>,
}

impl Import {
    /// The imported events, if the file held events.
    pub fn events(&self) -> Option<&[StrikeEvent]> {
        match &self.content {
            ImportedContent::Events(collection) => Some(&collection.events),
            ImportedContent::Overlay(_)
            | ImportedContent::Table(_)
            | ImportedContent::Layers(_)
            | ImportedContent::Imagery(_) => None,
        }
    }

    /// The overlay, if the file was GeoJSON other than the event schema, KML, KMZ, GPX or a
    /// layer format of one layer.
    pub fn overlay(&self) -> Option<&OverlayLayer> {
        match &self.content {
            ImportedContent::Overlay(layer) => Some(layer),
            ImportedContent::Events(_)
            | ImportedContent::Table(_)
            | ImportedContent::Layers(_)
            | ImportedContent::Imagery(_) => None,
        }
    }

    /// Every overlay layer the file gave: one, several, or none (events, a table).
    pub fn overlays(&self) -> &[OverlayLayer] {
        match &self.content {
            ImportedContent::Overlay(layer) => std::slice::from_ref(layer),
            ImportedContent::Layers(layers) => layers,
            ImportedContent::Events(_)
            | ImportedContent::Table(_)
            | ImportedContent::Imagery(_) => &[],
        }
    }

    /// How many events or features loaded.
    pub fn loaded_count(&self) -> usize {
        match &self.content {
            ImportedContent::Events(collection) => collection.events.len(),
            ImportedContent::Overlay(layer) => layer.features.len() + layer.unlocated.len(),
            ImportedContent::Table(table) => table.len(),
            ImportedContent::Layers(layers) => layers
                .iter()
                .map(|layer| layer.features.len() + layer.unlocated.len())
                .sum(),
            ImportedContent::Imagery(_) => 1,
        }
    }

    /// True when nothing was skipped.
    pub fn is_whole(&self) -> bool {
        self.skipped_total == 0
    }

    /// True when nothing was skipped and nothing had to be tolerated.
    pub fn is_clean(&self) -> bool {
        self.is_whole() && self.warnings.is_empty()
    }
}

impl Import {
    /// The import of a file read as a table.
    pub fn of_table(file: &str, loaded: LoadedTable) -> Self {
        Self {
            file: file.to_owned(),
            format: loaded.format,
            content: ImportedContent::Table(Arc::new(loaded.table)),
            skipped: loaded.skipped,
            skipped_total: loaded.skipped_total,
            warnings: loaded.warnings,
        }
    }

    /// The import of a CSV export's events, read whole.
    pub fn of_dataset_events(file: &str, read: DatasetEvents) -> Self {
        let content = ImportedContent::Events(EventCollection {
            title: None,
            as_of: None,
            events: read.events,
        });
        Self::new(file, read.format, content, read.skips)
    }

    /// The import of an overlay layer.
    pub fn of_overlay(file: &str, (layer, skips): (OverlayLayer, SkipLog)) -> Self {
        let content = ImportedContent::Overlay(layer);
        Self::new(file, DetectedFormat::GeoJsonOverlay, content, skips)
    }

    fn new(file: &str, format: DetectedFormat, content: ImportedContent, skips: SkipLog) -> Self {
        Self {
            file: file.to_owned(),
            format,
            content,
            warnings: skips.warnings_listed(),
            skipped: skips.listed,
            skipped_total: skips.total,
        }
    }
}

/// Imports a file's content: detects the format and parses it. `file_name` is used in messages.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<Import, LoadError> {
    if let Some(layers) = binary_layers::bytes_import(file_name, bytes) {
        return layers;
    }
    if let Some(kmz) = xml_overlays::binary_import(file_name, bytes) {
        return kmz;
    }
    let text = decode_within_limit(file_name, bytes)?;
    import_text(file_name, &text)
}

fn decode_within_limit(file_name: &str, bytes: &[u8]) -> Result<String, LoadError> {
    check_whole_file_memory(file_name, bytes.len() as u64)?;
    decode_text(file_name, bytes)
}

/// Imports a file from disk. Its size is checked before it is read; files of
/// [`LARGE_FILE_BYTES`] or more load as a compact table.
pub fn import_file(path: &Path) -> Result<Import, LoadError> {
    import_file_with_progress(path, &LoadProgress::default())
}

/// [`import_file`], reporting how far it got and stopping when asked to (tables only; a small
/// file loads in a moment).
///
/// Each file is read once: a large one as a table; a smaller one whole, its format detected
/// once and its content parsed once. A CSV export of more than [`RICH_LAYER_MAX_EVENTS`] events
/// becomes a table of the rows already read. A GeoJSON events file whose text names more
/// features than that is read as a table first (a full layer is made only if the table ends up
/// small, when most features were skipped); other GeoJSON of that many points is read whole and
/// then again as a table.
pub fn import_file_with_progress(
    path: &Path,
    progress: &LoadProgress,
) -> Result<Import, LoadError> {
    let file = path.display().to_string();
    // A folder, a device or a named pipe is refused before anything opens it.
    check_readable(path)?;
    if let Some(layers) = binary_layers::path_import(path, progress) {
        return layers;
    }
    let large = is_large_file(path) && !xml_overlays::is_zip_or_xml_file(path);
    if large && let Some(loaded) = load_table(path, progress)? {
        return Ok(Import::of_table(&file, loaded));
    }
    let (bytes, grew) = read_file_bytes_noting_growth(path)?;
    let with_growth = |mut import: Import| {
        if let Some(message) = &grew {
            import.warnings.push(Warning {
                place: "file".to_owned(),
                message: message.clone(),
            });
        }
        import
    };
    if let Some(kmz) = xml_overlays::binary_import(&file, &bytes) {
        return kmz.map(with_growth);
    }
    // The memory check was made before reading (read_file_bytes).
    let text = decode_text(&file, &bytes)?;
    let text_start = (bytes.len() - text.len()) as u64;
    drop(bytes);
    let on_disk = OnDisk {
        path,
        text_start,
        progress,
        table_refused: large,
    };
    read_text(&file, &text, Some(&on_disk)).map(with_growth)
}

/// Where text being imported came from, so that a file of many events can become a table.
struct OnDisk<'p> {
    path: &'p Path,
    /// The byte of the file at which the decoded text starts (after a byte-order mark).
    text_start: u64,
    progress: &'p LoadProgress,
    /// The table reader was already given the file and found no table in it.
    table_refused: bool,
}

/// Imports UTF-8 text (without a byte-order mark, or with one: it is ignored).
pub fn import_text(file_name: &str, text: &str) -> Result<Import, LoadError> {
    read_text(file_name, text, None)
}

/// Detects the format of `text` and reads it; with `on_disk`, a file of more than
/// [`RICH_LAYER_MAX_EVENTS`] events becomes a table.
fn read_text(file: &str, whole: &str, on_disk: Option<&OnDisk<'_>>) -> Result<Import, LoadError> {
    let text = whole.strip_prefix('\u{feff}').unwrap_or(whole);
    let format = detect_format(file, text)?;
    if let Some(on_disk) = on_disk
        && !on_disk.table_refused
        && format == DetectedFormat::StrikemapEvents
        && size::names_more_features_than(text, RICH_LAYER_MAX_EVENTS)
        && let Some(table) = size::table_of_many_events(file, on_disk.path, on_disk.progress)?
    {
        return Ok(table);
    }
    let import = match format {
        DetectedFormat::StrikemapEvents => events_import(file, text)?,
        DetectedFormat::GeoJsonOverlay => {
            Import::of_overlay(file, overlay::parse_overlay(file, text)?)
        }
        DetectedFormat::Kml | DetectedFormat::Kmz | DetectedFormat::Gpx => {
            return xml_overlays::text_import(file, text, format);
        }
        // Told apart by their first bytes, never detected from text.
        DetectedFormat::Shapefile
        | DetectedFormat::GeoPackage
        | DetectedFormat::FlatGeobuf
        | DetectedFormat::GeoTiff => {
            return Err(LoadError::Document {
                file: file.to_owned(),
                message: format!("{format} is a binary format, not text"),
            });
        }
        DetectedFormat::AcledCsv { .. } | DetectedFormat::UcdpGedCsv => {
            let read = if format == DetectedFormat::UcdpGedCsv {
                ucdp::parse_ucdp_csv(file, text)?
            } else {
                acled::parse_acled_csv(file, text)?
            };
            return Ok(match on_disk {
                Some(on_disk) if read.events.len() > RICH_LAYER_MAX_EVENTS => {
                    let start = on_disk.text_start + (whole.len() - text.len()) as u64;
                    let loaded =
                        LoadedTable::from_dataset_events(file, on_disk.path, text, start, read);
                    Import::of_table(file, loaded)
                }
                _ => Import::of_dataset_events(file, read),
            });
        }
    };
    // Past a few hundred events or points a layer draws and lists faster as a table.
    if let Some(on_disk) = on_disk
        && too_many_for_a_rich_layer(&import)
        && let Some(loaded) = load_table(on_disk.path, on_disk.progress)?
    {
        return Ok(Import::of_table(file, loaded));
    }
    Ok(import)
}

/// Reads an events file whole, skipping bad features.
fn events_import(file_name: &str, text: &str) -> Result<Import, LoadError> {
    let (collection, skipped_features, warnings) =
        parse_events_skipping_bad_features(file_name, text)?;
    let mut skips = SkipLog::default();
    for warning in warnings {
        skips.warn(warning.place, warning.message);
    }
    for skipped in skipped_features {
        // The error names file and feature; the place is said once, by the skip.
        let reason = match &skipped.error {
            LoadError::Invalid { field, message, .. } => format!("{field}: {message}"),
            other => other.to_string(),
        };
        skips.push(format!("feature {}", skipped.feature_index), reason);
    }
    if collection.events.is_empty() {
        return Err(if skips.total > 0 {
            skips.nothing_loaded(file_name, "feature")
        } else {
            LoadError::Document {
                file: file_name.to_owned(),
                message: "the events file has no features".into(),
            }
        });
    }
    let content = ImportedContent::Events(collection);
    Ok(Import::new(
        file_name,
        DetectedFormat::StrikemapEvents,
        content,
        skips,
    ))
}

/// True for events, or an overlay of points only, of more than
/// [`RICH_LAYER_MAX_EVENTS`].
fn too_many_for_a_rich_layer(import: &Import) -> bool {
    let max = RICH_LAYER_MAX_EVENTS;
    match &import.content {
        ImportedContent::Events(collection) => collection.events.len() > max,
        ImportedContent::Overlay(layer) => {
            layer.features.len() > max
                && layer
                    .features
                    .iter()
                    .all(|feature| matches!(feature.geometry, geo::Geometry::Point(_)))
        }
        ImportedContent::Table(_) | ImportedContent::Layers(_) | ImportedContent::Imagery(_) => {
            false
        }
    }
}
