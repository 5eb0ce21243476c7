//! Writing the events on show as GeoJSON in the app's schema (which [`crate::formats::event_schema::parse_events`]
//! reads back to equal events) and as CSV for spreadsheets (RFC 4180: a header, CRLF line ends,
//! fields with commas, quotes or line breaks quoted, quotes doubled); and as KML/KMZ for
//! Google Earth ([`kml`]).

pub mod kml;
pub mod kml_tour;
pub mod xml_text;

use crate::error::LoadError;
use crate::formats::event_schema::EVENT_SCHEMA;
use crate::model::{EventProperties, Source, StrikeEvent};
use crate::table::PointTable;
use serde::Serialize;
use std::io::Write;
use std::ops::Range;

#[derive(Serialize)]
pub(crate) struct FeatureOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: PointOut,
    properties: &'a EventProperties,
}

impl<'a> FeatureOut<'a> {
    pub(crate) fn of(event: &'a StrikeEvent) -> Self {
        Self {
            kind: "Feature",
            id: event.id(),
            geometry: PointOut {
                kind: "Point",
                coordinates: [event.position.lon, event.position.lat],
            },
            properties: &event.properties,
        }
    }
}

#[derive(Serialize)]
struct PointOut {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

/// The formats the shown events are exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventsFormat {
    /// A `strikemap-events/1` FeatureCollection.
    GeoJson,
    /// CSV with the columns of [`CSV_COLUMNS`].
    Csv,
}

/// Writes events one at a time, so an export of a million events needs no more memory than
/// one event. The output equals [`events_to_geojson`] or [`events_to_csv`] of the same events.
pub struct EventsWriter<W: Write> {
    out: W,
    format: EventsFormat,
    written: usize,
    buffer: Vec<u8>,
}

impl<W: Write> EventsWriter<W> {
    /// Writes what comes before the first event: the collection's members up to its features,
    /// or the CSV header.
    pub fn new(mut out: W, format: EventsFormat, title: Option<&str>) -> std::io::Result<Self> {
        match format {
            EventsFormat::GeoJson => {
                let quoted =
                    |text: &str| serde_json::to_string(text).map_err(std::io::Error::other);
                writeln!(
                    out,
                    "{{\n  \"type\": \"FeatureCollection\",\n  \"schema\": {},",
                    quoted(EVENT_SCHEMA)?
                )?;
                if let Some(title) = title {
                    writeln!(out, "  \"title\": {},", quoted(title)?)?;
                }
                out.write_all(b"  \"features\": [")?;
            }
            EventsFormat::Csv => {
                let mut header = String::new();
                push_record(
                    &mut header,
                    CSV_COLUMNS.iter().map(|name| (*name).to_owned()),
                );
                out.write_all(header.as_bytes())?;
            }
        }
        Ok(Self {
            out,
            format,
            written: 0,
            buffer: Vec::new(),
        })
    }

    /// Writes one event.
    pub fn write(&mut self, event: &StrikeEvent) -> std::io::Result<()> {
        match self.format {
            EventsFormat::GeoJson => {
                let feature = FeatureOut::of(event);
                self.buffer.clear();
                serde_json::to_writer_pretty(&mut self.buffer, &feature)
                    .map_err(std::io::Error::other)?;
                // Inside the features array, two levels deep. JSON text has no raw line breaks
                // inside strings, so every line break is one of the layout's.
                self.out
                    .write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
                for (index, line) in self.buffer.split(|&byte| byte == b'\n').enumerate() {
                    if index > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"    ")?;
                    self.out.write_all(line)?;
                }
            }
            EventsFormat::Csv => {
                let mut row = String::new();
                push_record(&mut row, csv_fields(event).into_iter());
                self.out.write_all(row.as_bytes())?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// How many events were written.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Writes what comes after the last event and hands back the output, flushed.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.format == EventsFormat::GeoJson {
            let end: &[u8] = if self.written == 0 {
                b"]\n}\n"
            } else {
                b"\n  ]\n}\n"
            };
            self.out.write_all(end)?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The events as `format`, in memory.
fn events_to_text(format: EventsFormat, title: Option<&str>, events: &[StrikeEvent]) -> String {
    let written = EventsWriter::new(Vec::new(), format, title).and_then(|mut writer| {
        for event in events {
            writer.write(event)?;
        }
        writer.finish()
    });
    // Writing to memory fails only if serde_json refuses these plain structs, which it never
    // does (no maps with non-string keys, no fallible impls); the message is returned then.
    match written {
        Ok(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|error| format!("{{\"error\": {:?}}}\n", error.to_string())),
        Err(error) => format!("{{\"error\": {:?}}}\n", error.to_string()),
    }
}

/// Rows of a large layer to export: their events are read again from the layer's file.
pub struct TableRows<'t> {
    pub table: &'t PointTable,
    pub rows: Range<u32>,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    /// A large layer's record could not be read again (the file changed, say).
    #[error(transparent)]
    Record(#[from] LoadError),
}

/// Writes `events`, then the events of each table's rows, read again from its file, that
/// `keep` accepts. Returns the output and how many events were written.
pub fn write_events<W: Write>(
    out: W,
    format: EventsFormat,
    title: Option<&str>,
    events: &[StrikeEvent],
    tables: &[TableRows<'_>],
    keep: &dyn Fn(&StrikeEvent) -> bool,
) -> Result<(W, usize), ExportError> {
    let mut writer = EventsWriter::new(out, format, title)?;
    for event in events {
        writer.write(event)?;
    }
    for TableRows { table, rows } in tables {
        let mut reader = table.event_reader()?;
        for row in rows.clone() {
            let event = reader.event(row)?;
            if keep(&event) {
                writer.write(&event)?;
            }
        }
        reader.finish()?;
    }
    let written = writer.written();
    Ok((writer.finish()?, written))
}

/// The events as a `strikemap-events/1` FeatureCollection. The raw rows of imported events are
/// not written (the schema has no place for them); everything else is.
pub fn events_to_geojson(title: Option<&str>, events: &[StrikeEvent]) -> String {
    events_to_text(EventsFormat::GeoJson, title, events)
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 26] = [
    "id",
    "date",
    "date_end",
    "title",
    "origin",
    "event_type",
    "sub_event_type",
    "attacker",
    "actor1",
    "actor2",
    "country",
    "province",
    "district",
    "admin3",
    "place_as_reported",
    "longitude",
    "latitude",
    "location_level",
    "geo_precision",
    "where_prec",
    "radius_km",
    "time_precision",
    "date_prec",
    "casualty_claims",
    "sources",
    "notes",
];

/// The events as CSV, one row per event under a header of [`CSV_COLUMNS`]. Claims are written as
/// "≥2 killed, 3 injured (Al Jazeera) [A1]" joined by "; ", sources as "A1: Al Jazeera, 2024-01-19,
/// “title”, url" joined by "; ".
pub fn events_to_csv(events: &[StrikeEvent]) -> String {
    events_to_text(EventsFormat::Csv, None, events)
}

/// One event's CSV fields, in the order of [`CSV_COLUMNS`].
fn csv_fields(event: &StrikeEvent) -> [String; CSV_COLUMNS.len()] {
    let p = &event.properties;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let code = |value: Option<u8>| value.map(|code| code.to_string()).unwrap_or_default();
    let claims = p
        .casualty_claims
        .iter()
        .map(|claim| format!("{} [{}]", claim.headline(), claim.source))
        .collect::<Vec<_>>()
        .join("; ");
    let sources = p
        .sources
        .iter()
        .map(source_in_words)
        .collect::<Vec<_>>()
        .join("; ");
    [
        p.id.clone(),
        p.date.clone(),
        text(&p.date_end),
        p.title.clone(),
        p.origin
            .map(|origin| origin.dataset_name().to_owned())
            .unwrap_or_default(),
        text(&p.event_type),
        text(&p.sub_event_type),
        text(&p.attacker),
        text(&p.actor1),
        text(&p.actor2),
        p.target_country.clone(),
        p.province.clone(),
        p.district.clone(),
        text(&p.admin3),
        p.place_as_reported.clone(),
        event.position.lon.to_string(),
        event.position.lat.to_string(),
        p.location.level.clone(),
        p.location.geo_precision.to_string(),
        code(p.location.where_prec),
        p.location.radius_km.to_string(),
        code(p.time_precision),
        code(p.date_prec),
        claims,
        sources,
        text(&p.notes),
    ]
}

fn source_in_words(source: &Source) -> String {
    let mut parts = vec![source.outlet.clone()];
    parts.extend(source.date.clone());
    match (&source.title, &source.note) {
        (Some(title), _) => parts.push(format!("“{title}”")),
        (None, Some(note)) => parts.push(note.clone()),
        (None, None) => {}
    }
    parts.extend(source.url.clone());
    format!("{}: {}", source.key, parts.join(", "))
}

fn push_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(&field));
    }
    out.push_str("\r\n");
}

/// A field quoted as RFC 4180 requires: when it holds a comma, a quote or a line break (and,
/// so that spreadsheets keep them, leading or trailing spaces).
fn csv_field(field: &str) -> String {
    let needs_quotes =
        field.contains([',', '"', '\r', '\n']) || field.starts_with(' ') || field.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::bundled::bundled_events;
    use crate::formats::event_schema::parse_events;

    /// The whole collection at once, as the export was first written: the writer must equal it.
    #[derive(Serialize)]
    struct CollectionOut<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        schema: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<&'a str>,
        features: Vec<FeatureOut<'a>>,
    }

    fn whole_collection(title: Option<&str>, events: &[StrikeEvent]) -> String {
        let collection = CollectionOut {
            kind: "FeatureCollection",
            schema: EVENT_SCHEMA,
            title,
            features: events.iter().map(FeatureOut::of).collect(),
        };
        serde_json::to_string_pretty(&collection).unwrap() + "\n"
    }

    #[test]
    fn the_streamed_collection_equals_the_whole_one() {
        let bundled = bundled_events().unwrap();
        let title = "A title with \"quotes\",\nа line break and ünïcode";
        for events in [&bundled.events[..], &bundled.events[..1], &[]] {
            for title in [None, Some(title)] {
                assert_eq!(
                    events_to_geojson(title, events),
                    whole_collection(title, events),
                    "{} events, title {title:?}",
                    events.len()
                );
            }
        }
    }

    #[test]
    fn geojson_export_reads_back_to_the_same_events() {
        let bundled = bundled_events().unwrap();
        let text = events_to_geojson(bundled.title.as_deref(), &bundled.events);
        let again = parse_events("export.geojson", &text).unwrap();
        assert_eq!(again.events, bundled.events);
        assert_eq!(again.title, bundled.title);
    }

    #[test]
    fn csv_export_has_a_header_and_one_quoted_row_per_event() {
        let events = bundled_events().unwrap().events;
        let text = events_to_csv(&events);
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, CSV_COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "E1");
        assert_eq!(&rows[0][7], "Iran");
        assert!(
            rows[0][23].starts_with("≥2 killed, 3 injured (Al Jazeera) [A1]; "),
            "{}",
            &rows[0][23]
        );
        assert!(rows[0][24].contains(
            "D1: Dawn, 2024-01-18, “Panic grips Koh-i-Sabz”, https://dawn.com/news/1806685"
        ));
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(csv_field(""), "");
    }

    /// Exporting a large layer reads each row's event again: the same event as a click shows, in
    /// the export's formats, and refused when the file changed or holds points.
    #[test]
    fn table_rows_export_as_the_events_a_click_shows() {
        use crate::model::StrikeEvent;
        use crate::table::tests::{TempFile, acled_with_notes, events_file, tricky_points};
        use crate::table::{LoadProgress, Record, load_table};
        let csv_text = acled_with_notes(700);
        let csv_file = TempFile::new("export-acled.csv", csv_text.as_bytes());
        let events_text = events_file(900);
        let events_file = TempFile::new("export-events.geojson", events_text.as_bytes());
        for file in [&csv_file, &events_file] {
            let import = load_table(&file.0, &LoadProgress::default())
                .unwrap()
                .unwrap();
            let table = &import.table;
            let rows = 100..table.len() as u32 - 50;
            let mut reader = table.event_reader().unwrap();
            for row in rows.clone() {
                let Record::Event(clicked) = table.record(row).unwrap() else {
                    panic!("rows give events")
                };
                assert_eq!(reader.event(row).unwrap(), *clicked, "row {row}");
            }
            reader.finish().unwrap();

            // Every other event, through the filter; read back, in row order.
            let keep = |event: &StrikeEvent| event.id().ends_with(['0', '2', '4', '6', '8']);
            let tables = [TableRows {
                table,
                rows: rows.clone(),
            }];
            let (geojson, written) = write_events(
                Vec::new(),
                EventsFormat::GeoJson,
                Some("T"),
                &[],
                &tables,
                &keep,
            )
            .unwrap();
            let expected: Vec<&str> = rows
                .clone()
                .map(|row| table.label(row))
                .filter(|id| id.ends_with(['0', '2', '4', '6', '8']))
                .collect();
            assert!(expected.len() > 200, "{}", expected.len());
            assert_eq!(written, expected.len());
            let again = crate::formats::event_schema::parse_events(
                "export.geojson",
                std::str::from_utf8(&geojson).unwrap(),
            )
            .unwrap();
            let ids: Vec<&str> = again.events.iter().map(StrikeEvent::id).collect();
            assert_eq!(ids, expected);
            let (csv, written) =
                write_events(Vec::new(), EventsFormat::Csv, None, &[], &tables, &keep).unwrap();
            assert_eq!(written, expected.len());
            let lines = csv::Reader::from_reader(csv.as_slice()).records().count();
            assert_eq!(lines, expected.len());
        }

        // A changed file is refused, naming it; nothing half-read is passed off as the export.
        let import = load_table(&csv_file.0, &LoadProgress::default())
            .unwrap()
            .unwrap();
        std::fs::write(&csv_file.0, csv_text.replace("Panjgur", "Turbat")).unwrap();
        let tables = [TableRows {
            table: &import.table,
            rows: 0..10,
        }];
        let error =
            write_events(Vec::new(), EventsFormat::Csv, None, &[], &tables, &|_| true).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("export-acled.csv") && message.contains("changed on disk"),
            "{message}"
        );

        // Points are not events.
        let (points, _) = tricky_points(540);
        let points_file = TempFile::new("export-points.geojson", points.as_bytes());
        let import = load_table(&points_file.0, &LoadProgress::default())
            .unwrap()
            .unwrap();
        assert!(!import.table.holds_events());
        let error = import.table.event_reader().err().unwrap().to_string();
        assert!(error.contains("not events"), "{error}");
    }
}
