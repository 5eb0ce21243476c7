//! "Bring your own data": opening a file whatever its format. The format is detected from the
//! content (JSON or a CSV header), not the extension:
//!
//! - GeoJSON in the app's event schema → events ([`crate::data::parse_events`]);
//! - any other GeoJSON → an overlay layer ([`overlay`]);
//! - ACLED CSV exports, current and pre-2023 columns → events ([`acled`]);
//! - UCDP GED CSV → events ([`ucdp`]).
//!
//! Importing returns a new [`Import`] and never touches what the caller holds, so a failed
//! import leaves earlier data in place. Bad rows or features are skipped and reported with their
//! place; a file with nothing usable is an error naming the file and the reason.

pub mod acled;
pub(crate) mod csv_table;
pub mod dates;
pub mod detect;
mod event_rows;
pub mod overlay;
pub mod precision;
pub mod ucdp;

use crate::data::{self, EventCollection, LoadError, MAX_FILE_BYTES};
use crate::model::StrikeEvent;
use std::fmt;
use std::path::Path;

pub use detect::detect_format;
pub(crate) use event_rows::{for_each_event_row, row_event};
pub use overlay::{OverlayFeature, OverlayLayer};

/// At most this many skipped rows or features are kept with their reasons; all are counted.
pub const MAX_LISTED_SKIPS: usize = 20;

/// The format of an imported file, as detected from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetectedFormat {
    /// A GeoJSON FeatureCollection in the app's event schema (`docs/data-format.md`).
    StrikemapEvents,
    /// Any other GeoJSON, shown as an overlay layer.
    GeoJsonOverlay,
    /// An ACLED CSV export; `legacy` for the pre-2023 column set (data_id, iso3,
    /// event_id_no_cnty) and the pre-2019 upper-case headers.
    AcledCsv { legacy: bool },
    /// A UCDP Georeferenced Event Dataset CSV.
    UcdpGedCsv,
}

impl DetectedFormat {
    /// The name shown to people: "ACLED CSV (pre-2023 columns)".
    pub fn name(self) -> &'static str {
        match self {
            Self::StrikemapEvents => "Strikemap events (GeoJSON)",
            Self::GeoJsonOverlay => "GeoJSON overlay",
            Self::AcledCsv { legacy: false } => "ACLED CSV",
            Self::AcledCsv { legacy: true } => "ACLED CSV (pre-2023 columns)",
            Self::UcdpGedCsv => "UCDP GED CSV",
        }
    }
}

impl fmt::Display for DetectedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an imported file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportedContent {
    Events(EventCollection),
    Overlay(OverlayLayer),
    /// A large file's events or points, kept as a compact table ([`crate::table`]).
    Table(std::sync::Arc<crate::table::PointTable>),
}

/// A row or feature that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// "line 14, column latitude" or "feature 3, field geometry".
    pub place: String,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
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
}

impl Import {
    /// The imported events, if the file held events.
    pub fn events(&self) -> Option<&[StrikeEvent]> {
        match &self.content {
            ImportedContent::Events(collection) => Some(&collection.events),
            ImportedContent::Overlay(_) | ImportedContent::Table(_) => None,
        }
    }

    /// The overlay, if the file was GeoJSON other than the event schema.
    pub fn overlay(&self) -> Option<&OverlayLayer> {
        match &self.content {
            ImportedContent::Overlay(layer) => Some(layer),
            ImportedContent::Events(_) | ImportedContent::Table(_) => None,
        }
    }

    /// How many events or features loaded.
    pub fn loaded_count(&self) -> usize {
        match &self.content {
            ImportedContent::Events(collection) => collection.events.len(),
            ImportedContent::Overlay(layer) => layer.features.len(),
            ImportedContent::Table(table) => table.len(),
        }
    }

    /// True when nothing was skipped.
    pub fn is_whole(&self) -> bool {
        self.skipped_total == 0
    }
}

/// Collects skipped rows: keeps the first [`MAX_LISTED_SKIPS`], counts all.
#[derive(Debug, Default)]
pub(crate) struct SkipLog {
    pub listed: Vec<Skipped>,
    pub total: usize,
}

impl SkipLog {
    pub fn push(&mut self, place: String, reason: String) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_SKIPS {
            self.listed.push(Skipped { place, reason });
        }
    }

    /// The error for a file in which nothing could be used.
    pub fn nothing_loaded(&self, file: &str, unit: &str) -> LoadError {
        let message = match (self.listed.first(), self.total) {
            (Some(only), 1) => {
                format!("no {unit} could be loaded: the only {unit} was skipped, at {only}")
            }
            (Some(first), total) => {
                let total = crate::text::thousands(total);
                format!("no {unit} could be loaded: all {total} were skipped; the first at {first}")
            }
            (None, _) => format!("the file has no {unit}s"),
        };
        LoadError::Document {
            file: file.to_owned(),
            message,
        }
    }
}

/// Imports a file's content: detects the format and parses it. `file_name` is used in messages.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<Import, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::Read {
            file: file_name.to_owned(),
            message: data::too_large_message(bytes.len() as u64),
        });
    }
    let text = data::decode_text(file_name, bytes)?;
    import_text(file_name, &text)
}

/// Imports a file from disk. Its size is checked before it is read; files of
/// [`crate::table::LARGE_FILE_BYTES`] or more load as a compact table.
pub fn import_file(path: &Path) -> Result<Import, LoadError> {
    import_file_with_progress(path, &crate::table::LoadProgress::default())
}

/// [`import_file`], reporting how far it got and stopping when asked to (large files only;
/// small ones load in a moment).
pub fn import_file_with_progress(
    path: &Path,
    progress: &crate::table::LoadProgress,
) -> Result<Import, LoadError> {
    if crate::table::is_large_file(path)
        && let Some(import) = crate::table::load_table(path, progress)?
    {
        return Ok(import);
    }
    let bytes = data::read_file_bytes(path)?;
    let import = import_bytes(&path.display().to_string(), &bytes)?;
    // Past a few hundred events a layer draws and lists faster as a table.
    if too_many_for_a_rich_layer(&import)
        && let Some(table) = crate::table::load_table(path, progress)?
    {
        return Ok(table);
    }
    Ok(import)
}

/// True for events, or an overlay of points only, of more than
/// [`crate::table::RICH_LAYER_MAX_EVENTS`].
fn too_many_for_a_rich_layer(import: &Import) -> bool {
    let max = crate::table::RICH_LAYER_MAX_EVENTS;
    match &import.content {
        ImportedContent::Events(collection) => collection.events.len() > max,
        ImportedContent::Overlay(layer) => {
            layer.features.len() > max
                && layer
                    .features
                    .iter()
                    .all(|feature| matches!(feature.geometry, geo::Geometry::Point(_)))
        }
        ImportedContent::Table(_) => false,
    }
}

/// Imports UTF-8 text (without a byte-order mark, or with one: it is ignored).
pub fn import_text(file_name: &str, text: &str) -> Result<Import, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match detect_format(file_name, text)? {
        DetectedFormat::StrikemapEvents => {
            let (collection, skipped_features) =
                data::parse_events_skipping_bad_features(file_name, text)?;
            let mut skips = SkipLog::default();
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
            Ok(Import {
                file: file_name.to_owned(),
                format: DetectedFormat::StrikemapEvents,
                content: ImportedContent::Events(collection),
                skipped: skips.listed,
                skipped_total: skips.total,
            })
        }
        DetectedFormat::GeoJsonOverlay => overlay::parse_overlay(file_name, text),
        DetectedFormat::AcledCsv { .. } => acled::parse_acled_csv(file_name, text),
        DetectedFormat::UcdpGedCsv => ucdp::parse_ucdp_csv(file_name, text),
    }
}

/// The one source of a dataset row: the outlets the row lists (undated), and where it was read.
pub(crate) fn dataset_source(
    outlets: Option<String>,
    note: String,
    read_via: String,
) -> crate::model::Source {
    crate::model::Source {
        key: DATASET_SOURCE_KEY.to_owned(),
        outlet: outlets.unwrap_or_else(|| "not named in the row".to_owned()),
        date: None,
        title: None,
        note: Some(note),
        url: None,
        read_via: Some(read_via),
    }
}

/// Builds an import of events from rows that passed, sorting them by date.
pub(crate) fn events_import(
    file: &str,
    format: DetectedFormat,
    mut events: Vec<StrikeEvent>,
    skips: SkipLog,
) -> Result<Import, LoadError> {
    if events.is_empty() {
        return Err(skips.nothing_loaded(file, "row"));
    }
    events.sort_by_key(|event| event.date);
    Ok(Import {
        file: file.to_owned(),
        format,
        content: ImportedContent::Events(EventCollection {
            title: None,
            as_of: None,
            events,
        }),
        skipped: skips.listed,
        skipped_total: skips.total,
    })
}

/// Properties of an event imported from a dataset, with every strike-report field empty (the
/// datasets do not say who attacked, with what weapons, at what target or in which operation).
/// The caller fills in what its row gives.
pub(crate) fn dataset_properties(
    origin: crate::model::EventOrigin,
    id: String,
    title: String,
    date: crate::model::Date,
    location: crate::model::LocationPrecision,
) -> crate::model::EventProperties {
    crate::model::EventProperties {
        id,
        title,
        date: date.to_iso(),
        date_end: None,
        time_precision: None,
        date_prec: None,
        time_as_reported: None,
        time_sources: Vec::new(),
        attacker: None,
        attacker_detail: None,
        attacker_sources: Vec::new(),
        origin: Some(origin),
        event_type: None,
        sub_event_type: None,
        actor1: None,
        actor2: None,
        target_country: String::new(),
        province: String::new(),
        district: String::new(),
        admin3: None,
        place_as_reported: String::new(),
        place_sources: Vec::new(),
        location,
        weapons: None,
        weapons_detail: None,
        weapons_sources: Vec::new(),
        claimed_target: None,
        claimed_target_sources: Vec::new(),
        operation: None,
        operation_sources: Vec::new(),
        casualty_claims: Vec::new(),
        conflict_notes: Vec::new(),
        notes: None,
        sources: Vec::new(),
        raw: Vec::new(),
    }
}

/// The key of the one source an imported row cites.
pub(crate) const DATASET_SOURCE_KEY: &str = "S1";

/// Reads every row of a CSV table into events with `row_to_event`, skipping rows whose field
/// count differs from the header's, rows it refuses and rows repeating an earlier id.
pub(crate) fn read_event_rows(
    file: &str,
    format: DetectedFormat,
    table: &mut csv_table::CsvTable<&[u8]>,
    row_to_event: csv_table::RowToEvent,
) -> Result<Import, LoadError> {
    let mut events = Vec::new();
    let skips = for_each_event_row(
        table,
        row_to_event,
        &|| Ok(()),
        |_, event| event,
        |_, event| events.push(event),
    )?;
    events_import(file, format, events, skips)
}

/// Refuses a table whose header lacks required columns, naming them.
pub(crate) fn require_columns(
    file: &str,
    header: &csv_table::CsvHeader,
    format: DetectedFormat,
    required: &[&str],
) -> Result<(), LoadError> {
    let missing = header.missing(required);
    if missing.is_empty() {
        return Ok(());
    }
    Err(LoadError::Csv {
        file: file.to_owned(),
        line: 1,
        column: missing.join(", "),
        message: format!(
            "the header lacks {} that every {} needs",
            if missing.len() == 1 {
                "a column"
            } else {
                "columns"
            },
            format.name()
        ),
    })
}
