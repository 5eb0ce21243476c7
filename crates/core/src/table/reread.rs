//! Reading rows' events again from a table's file, one for a click or many for an export: the
//! file is opened once and checked against its fingerprint before and after, a CSV header is
//! read once, and each row gets the checks it got when loaded.

use super::{PointTable, TableKind, geojson};
use crate::error::LoadError;
use crate::formats::csv_table::{CsvHeader, CsvTable, RecordParser, RowToEvent};
use crate::model::StrikeEvent;
use std::io::{Read as _, Seek as _, SeekFrom};

/// Reads the events of a table's rows again from its file.
pub struct EventReader<'t> {
    table: &'t PointTable,
    file: std::fs::File,
    bytes: Vec<u8>,
    csv: Option<(CsvHeader, RowToEvent, RecordParser)>,
}

impl<'t> EventReader<'t> {
    /// Opens the table's file. Refuses a table of generic points (its records are not events)
    /// and a file that changed since it was loaded.
    pub(super) fn open(table: &'t PointTable) -> Result<Self, LoadError> {
        let csv = match table.kind {
            TableKind::Events => None,
            TableKind::Points => {
                return Err(table
                    .document_error("its rows are points of a GeoJSON layer, not events".into()));
            }
            TableKind::DatasetRows(format) => {
                let (row_to_event, _) = super::csv_rows::row_reader(format).ok_or_else(|| {
                    table.document_error(format!("{} is not a CSV export", format.name()))
                })?;
                let header_text = table.csv_header.as_deref().unwrap_or("");
                let header = CsvTable::open(&table.file, header_text)?.header;
                Some((header, row_to_event, RecordParser::new()))
            }
        };
        table.check_unchanged()?;
        // Only a regular file: the path may since have been replaced by a named pipe.
        let (file, _) = crate::formats::file_kind::open_regular_file(&table.path)
            .map_err(|problem| table.read_error(&std::io::Error::other(problem.to_string())))?;
        Ok(Self {
            table,
            file,
            bytes: Vec::new(),
            csv,
        })
    }

    /// The event of `row`, read again; an error if the record no longer reads as that row's.
    pub fn event(&mut self, row: u32) -> Result<StrikeEvent, LoadError> {
        let table = self.table;
        let span = table.span(row)?;
        let bytes = match &mut self.csv {
            Some((_, _, parser)) => parser.bytes_mut(),
            None => &mut self.bytes,
        };
        bytes.resize(span.len as usize, 0);
        self.file
            .seek(SeekFrom::Start(span.offset))
            .and_then(|_| self.file.read_exact(bytes))
            .map_err(|error| table.read_error(&error))?;
        let event = match &mut self.csv {
            None => match geojson::event_record(&table.file, &self.bytes)? {
                super::Record::Event(event) => *event,
                super::Record::Properties(_) => {
                    return Err(table.document_error(format!("row {row} is not an event")));
                }
            },
            Some((header, row_to_event, parser)) => {
                let record = parser
                    .parse(&table.file)?
                    .ok_or_else(|| table.document_error(format!("row {row} is empty")))?;
                crate::formats::event_rows::row_event(record, header, *row_to_event).map_err(
                    |problem| {
                        let column = if problem.column.is_empty() {
                            String::new()
                        } else {
                            format!(" (column {})", problem.column)
                        };
                        table.document_error(format!(
                            "row {row} no longer reads as an event{column}: {}",
                            problem.reason
                        ))
                    },
                )?
            }
        };
        if event.id() != table.label(row) {
            return Err(table.document_error(format!(
                "row {row} now reads as event {:?}, not {:?}",
                event.id(),
                table.label(row)
            )));
        }
        Ok(event)
    }

    /// Checks that the file did not change while it was read.
    pub fn finish(self) -> Result<(), LoadError> {
        self.table.check_unchanged()
    }
}
