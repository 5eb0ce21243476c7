//! Writing the events on show as GeoJSON in the app's schema (which [`crate::data::parse_events`]
//! reads back to equal events) and as CSV for spreadsheets (RFC 4180: a header, CRLF line ends,
//! fields with commas, quotes or line breaks quoted, quotes doubled).

use crate::data::EVENT_SCHEMA;
use crate::model::{EventProperties, Source, StrikeEvent};
use serde::Serialize;

#[derive(Serialize)]
struct CollectionOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    features: Vec<FeatureOut<'a>>,
}

#[derive(Serialize)]
struct FeatureOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: PointOut,
    properties: &'a EventProperties,
}

#[derive(Serialize)]
struct PointOut {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

/// The events as a `strikemap-events/1` FeatureCollection. The raw rows of imported events are
/// not written (the schema has no place for them); everything else is.
pub fn events_to_geojson(title: Option<&str>, events: &[StrikeEvent]) -> String {
    let collection = CollectionOut {
        kind: "FeatureCollection",
        schema: EVENT_SCHEMA,
        title,
        features: events
            .iter()
            .map(|event| FeatureOut {
                kind: "Feature",
                id: event.id(),
                geometry: PointOut {
                    kind: "Point",
                    coordinates: [event.position.lon, event.position.lat],
                },
                properties: &event.properties,
            })
            .collect(),
    };
    // These plain structs always serialise (no maps with non-string keys, no fallible
    // impls); should serde_json ever refuse, the message is returned rather than a panic.
    serde_json::to_string_pretty(&collection)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}\n", error.to_string()))
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
    let mut out = String::new();
    push_record(&mut out, CSV_COLUMNS.iter().map(|name| (*name).to_owned()));
    for event in events {
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
        let row: [String; CSV_COLUMNS.len()] = [
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
        ];
        push_record(&mut out, row.into_iter());
    }
    out
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
    use crate::data::{bundled_events, parse_events};

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
}
