//! What the ACLED and UCDP readers share: the events of a dataset's rows, each row's one
//! source, the properties a dataset leaves empty, and the check of a header's columns.

use super::csv_table::{CsvHeader, CsvTable, RowToEvent};
use super::detect::DetectedFormat;
use super::event_rows::for_each_event_row;
use super::skips::SkipLog;
use crate::error::LoadError;
use crate::model::StrikeEvent;
use std::ops::Range;

/// The events read from a dataset's rows, in date order (ties keep file order), and what was
/// skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetEvents {
    pub format: DetectedFormat,
    pub events: Vec<StrikeEvent>,
    pub skips: SkipLog,
    /// Where each event's row is in the text read, in the order of `events`, and where the
    /// header ends: what a table needs to read a row again.
    pub(crate) layout: RowLayout,
}

/// Byte ranges of rows in the text a reader was given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowLayout {
    /// Where the header starts (after a byte-order mark) and ends (where the first data row
    /// starts).
    pub header_start: u64,
    pub header_end: u64,
    /// Each event's row, in the order of the events.
    pub rows: Vec<Range<u64>>,
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
        ..Default::default()
    }
}

/// Reads every row of a CSV table into events with `row_to_event`, skipping rows whose field
/// count differs from the header's, rows it refuses and rows repeating an earlier id. An error
/// when no row could be used.
pub(crate) fn read_event_rows(
    file: &str,
    format: DetectedFormat,
    table: &mut CsvTable<&[u8]>,
    row_to_event: RowToEvent,
) -> Result<DatasetEvents, LoadError> {
    let mut rows = Vec::new();
    let skips = for_each_event_row(
        table,
        row_to_event,
        &|| Ok(()),
        |row, event| (event, row.byte..row.end),
        |_, kept| rows.push(kept),
    )?;
    if rows.is_empty() {
        return Err(skips.nothing_loaded(file, "row"));
    }
    rows.sort_by_key(|(event, _)| event.date);
    let (events, rows) = rows.into_iter().unzip();
    Ok(DatasetEvents {
        format,
        events,
        skips,
        layout: RowLayout {
            header_start: 0,
            header_end: table.data_start(),
            rows,
        },
    })
}

impl DatasetEvents {
    /// Moves the row places on by `bytes`: the reader was given the text from that byte on.
    pub(crate) fn starting_at(mut self, bytes: u64) -> Self {
        let layout = &mut self.layout;
        layout.header_start += bytes;
        layout.header_end += bytes;
        for row in &mut layout.rows {
            *row = row.start + bytes..row.end + bytes;
        }
        self
    }
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
    let mut properties = crate::model::EventProperties::empty(id, title, date, location);
    properties.origin = Some(origin);
    properties
}

/// The event of a row that passed its checks, with only what a table keeps
/// ([`super::csv_table::CsvHeader::checks_only`]).
pub(crate) fn checked_only_event(
    origin: crate::model::EventOrigin,
    id: String,
    date: crate::model::Date,
    position: crate::model::LonLat,
    location: crate::model::LocationPrecision,
) -> StrikeEvent {
    StrikeEvent {
        properties: dataset_properties(origin, id, String::new(), date, location),
        date,
        position,
    }
}

/// The key of the one source an imported row cites.
pub(crate) const DATASET_SOURCE_KEY: &str = "S1";

/// Refuses a table whose header lacks required columns, naming them.
pub(crate) fn require_columns(
    file: &str,
    header: &CsvHeader,
    format: DetectedFormat,
    required: &[&str],
) -> Result<(), LoadError> {
    let missing = header.missing(required);
    if missing.is_empty() {
        return Ok(());
    }
    // Each missing column with its older names, as the alias table accepts them.
    let named: Vec<String> = missing
        .iter()
        .map(|key| match super::column_names::other_names(key) {
            [] => (*key).to_owned(),
            others => format!("{key} (or {})", others.join(", ")),
        })
        .collect();
    Err(LoadError::Csv {
        file: file.to_owned(),
        line: 1,
        column: named.join(", "),
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
