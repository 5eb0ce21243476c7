//! Large ACLED and UCDP CSV exports as tables. Every row goes through the same checks as in a
//! small file (the importers' own row readers); only the columns the map needs are kept.

use super::{LoadProgress, LoadedTable, NewRow, PointTable, RowColumns, Span, TableKind};
use crate::error::LoadError;
use crate::formats::csv_table::{CsvTable, RowToEvent};
use crate::formats::dataset::{DatasetEvents, require_columns};
use crate::formats::detect::{DetectedFormat, detect_format};
use crate::formats::event_chunks::for_each_event_row_in_chunks;
use crate::formats::{acled, ucdp};
use std::path::Path;

pub(super) fn row_reader(format: DetectedFormat) -> Option<(RowToEvent, &'static [&'static str])> {
    match format {
        DetectedFormat::AcledCsv { .. } => {
            Some((acled::acled_event, &acled::ACLED_REQUIRED_COLUMNS))
        }
        DetectedFormat::UcdpGedCsv => Some((ucdp::ucdp_event, &ucdp::UCDP_REQUIRED_COLUMNS)),
        DetectedFormat::StrikemapEvents | DetectedFormat::GeoJsonOverlay => None,
        DetectedFormat::Kml | DetectedFormat::Kmz | DetectedFormat::Gpx => None,
        DetectedFormat::Shapefile
        | DetectedFormat::GeoPackage
        | DetectedFormat::FlatGeobuf
        | DetectedFormat::GeoTiff => None,
    }
}

/// What a table keeps of an event read from a row: [`NewRow`]'s fields but the id and span
/// (which come with it), owned, so the event itself can be dropped on the thread that built it.
struct KeptRow {
    position: crate::model::LonLat,
    date: crate::model::Date,
    radius_km: f64,
    class: Option<Box<str>>,
}

/// Bytes of rows each worker parses at a time: large enough that a chunk's setup is nothing
/// next to its rows, small enough that the chunks in flight stay a few MiB.
const CHUNK_BYTES: usize = 4 << 20;

/// Streams a CSV export from a file already opened, read no further than its size then: only
/// a reading buffer and the table are in memory.
pub(super) fn load_opened(
    file: &str,
    path: &Path,
    (mut source, opened_len): (std::fs::File, u64),
    progress: &LoadProgress,
) -> Result<LoadedTable, LoadError> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let read_error = |error: std::io::Error| LoadError::Read {
        file: file.to_owned(),
        message: error.to_string(),
    };
    // The header decides the format; it is in the first few KiB.
    let mut head = vec![0; 64 << 10];
    let read = source.read(&mut head).map_err(read_error)?;
    head.truncate(read);
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        // The ordinary decoder names the problem.
        crate::formats::text_files::decode_text(file, &head)?;
    }
    let bom: u64 = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let head_lines = head
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(head.as_slice(), |last| {
            head.get(..=last).unwrap_or_default()
        });
    let head_text = String::from_utf8_lossy(head_lines.get(bom as usize..).unwrap_or_default());
    let format = detect_format(file, &head_text)?;
    let Some((read_row, required)) = row_reader(format) else {
        return Err(LoadError::Document {
            file: file.to_owned(),
            message: format!("{} is not a CSV export", format.name()),
        });
    };
    source.seek(SeekFrom::Start(bom)).map_err(read_error)?;
    // Read no further than the file's size when it was opened (a growing file is cut there).
    let data_len = opened_len.saturating_sub(bom);
    let mut table = CsvTable::from_reader(
        file,
        std::io::BufReader::with_capacity(64 << 10, (&mut source).take(data_len)),
    )?;
    require_columns(file, &table.header, format, required)?;
    // The table keeps a few columns of each event; the row is read again when shown.
    table.header.checks_only = true;
    let header_end = table.data_start();
    let data_line = table.data_start_line();
    let header = table.header;

    // The rows, from the start of the data on, parsed in chunks on both cores.
    source
        .seek(SeekFrom::Start(bom + header_end))
        .map_err(read_error)?;
    let rows_source = source.take(data_len.saturating_sub(header_end));
    let mut rows = RowColumns::new();
    let file_offset = |byte: u64| byte + bom;
    let keep_going = || {
        progress.check(file)?;
        Ok(())
    };
    let skips = for_each_event_row_in_chunks(
        file,
        rows_source,
        (header_end, data_line),
        &header,
        read_row,
        &keep_going,
        |event| KeptRow {
            position: event.position,
            date: event.date,
            radius_km: event.properties.location.radius_km,
            class: event.attacker().map(Box::from),
        },
        |id, kept, row| {
            let span = Span {
                offset: file_offset(row.byte),
                len: u32::try_from(row.end.saturating_sub(row.byte)).unwrap_or(u32::MAX),
            };
            progress.set_done(span.offset);
            rows.push(NewRow {
                position: kept.position,
                date: Some(kept.date),
                radius_km: Some(kept.radius_km),
                class: kept.class.as_deref(),
                label: id,
                span,
            });
        },
        CHUNK_BYTES,
    )?;
    if rows.len() == 0 {
        return Err(skips.nothing_loaded(file, "row"));
    }
    let header_bytes = super::read_span(
        path,
        Span {
            offset: bom,
            len: u32::try_from(header_end).unwrap_or(u32::MAX),
        },
    )
    .map_err(|message| LoadError::Read {
        file: file.to_owned(),
        message,
    })?;
    let header_text = String::from_utf8_lossy(&header_bytes).into_owned();
    let kind = TableKind::DatasetRows(format);
    let table = PointTable::new(
        file.to_owned(),
        path.to_owned(),
        kind,
        None,
        rows,
        Some(header_text),
    );
    Ok(LoadedTable::new(table, format, skips))
}

impl LoadedTable {
    /// The table of a CSV export's events that were already read whole from `text`, the file's
    /// content from byte `text_start` on: the same table, skips and format [`load`] gives, with
    /// no second reading of the rows.
    pub fn from_dataset_events(
        file: &str,
        path: &Path,
        text: &str,
        text_start: u64,
        read: DatasetEvents,
    ) -> Self {
        let DatasetEvents {
            format,
            events,
            skips,
            layout,
        } = read;
        let mut rows = RowColumns::new();
        for (event, bytes) in events.iter().zip(&layout.rows) {
            let span = Span {
                offset: text_start + bytes.start,
                len: u32::try_from(bytes.end.saturating_sub(bytes.start)).unwrap_or(u32::MAX),
            };
            rows.push(NewRow::of_event(event, span));
        }
        let header = usize::try_from(layout.header_start).unwrap_or(usize::MAX)
            ..usize::try_from(layout.header_end).unwrap_or(usize::MAX);
        let header_text = text.get(header).unwrap_or_default().to_owned();
        let table = PointTable::new(
            file.to_owned(),
            path.to_owned(),
            TableKind::DatasetRows(format),
            None,
            rows,
            Some(header_text),
        );
        Self::new(table, format, skips)
    }
}
