//! Detecting a file's format from its content: JSON by its first character, then the event
//! schema by the `schema` member (or the event properties); CSV by its header's column names.

use super::csv_table::{CsvHeader, read_header};
use super::event_schema::EVENT_SCHEMA;
use super::overlay::read_top_level;
use crate::error::LoadError;
use std::fmt;

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
    /// KML (root element `<kml>`), shown as an overlay layer.
    Kml,
    /// KMZ: KML in a zip archive, recognised by the zip signature `PK\x03\x04`.
    Kmz,
    /// GPX 1.0 or 1.1 (root element `<gpx>`), shown as an overlay layer.
    Gpx,
    /// A shapefile set (`.shp` starting 00 00 27 0A, or a zip holding `.shp` files); each set
    /// an overlay layer.
    Shapefile,
    /// A GeoPackage (SQLite with the application id `GPKG` or a `gpkg_contents` table); each
    /// feature table an overlay layer.
    GeoPackage,
    /// FlatGeobuf (starting `fgb\x03`), an overlay layer.
    FlatGeobuf,
    /// A GeoTIFF or Cloud-Optimised GeoTIFF (starting `II*\0`, `MM\0*` or their BigTIFF
    /// forms), an imagery layer.
    GeoTiff,
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
            Self::Kml => "KML",
            Self::Kmz => "KMZ (zipped KML)",
            Self::Gpx => "GPX",
            Self::Shapefile => "Shapefile",
            Self::GeoPackage => "GeoPackage",
            Self::FlatGeobuf => "FlatGeobuf",
            Self::GeoTiff => "GeoTIFF",
        }
    }
}

impl fmt::Display for DetectedFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Detects the format of UTF-8 text. An empty file, JSON that is not GeoJSON-shaped, a CSV
/// whose header belongs to no supported export, or one split at the wrong delimiter is an error
/// naming the file and the reason.
pub fn detect_format(file: &str, text: &str) -> Result<DetectedFormat, LoadError> {
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(message) = super::not_data::not_the_data(text) {
        return Err(document_error(message));
    }
    match text.trim_start().chars().next() {
        None => Err(document_error("the file is empty".into())),
        Some('[') => Err(document_error(
            "JSON whose top level is an array; GeoJSON is an object (a FeatureCollection, a \
             Feature or a geometry)"
                .into(),
        )),
        Some('{') => detect_json(file, text),
        Some('<') => match super::xml_tree::root_element_name(file, text)?.as_str() {
            "kml" => Ok(DetectedFormat::Kml),
            "gpx" => Ok(DetectedFormat::Gpx),
            other => Err(document_error(super::xml_tree::unknown_root_message(other))),
        },
        Some(_) => detect_csv(file, text),
    }
}

fn detect_json(file: &str, text: &str) -> Result<DetectedFormat, LoadError> {
    let top = read_top_level(file, text)?;
    let schema_tag = top
        .schema
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
    if let Some(tag) = schema_tag
        && tag.starts_with(EVENT_SCHEMA.trim_end_matches(|c: char| c.is_ascii_digit()))
    {
        return Ok(DetectedFormat::StrikemapEvents);
    }
    // Without a schema tag, event-shaped properties still mark the file as events, so that a
    // mistake in one is reported against the event schema instead of turning it into an overlay.
    let first_feature_is_event = top
        .features
        .as_ref()
        .and_then(|features| features.first())
        .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw.get()).ok())
        .is_some_and(|feature| {
            feature
                .get("properties")
                .and_then(serde_json::Value::as_object)
                .is_some_and(|properties| properties.contains_key("casualty_claims"))
        });
    if top.kind.as_deref() == Some("FeatureCollection") && first_feature_is_event {
        Ok(DetectedFormat::StrikemapEvents)
    } else {
        Ok(DetectedFormat::GeoJsonOverlay)
    }
}

/// The export a CSV header belongs to, if any.
pub(crate) fn csv_format_of(header: &CsvHeader) -> Option<DetectedFormat> {
    let has_all = |keys: &[&str]| keys.iter().all(|key| header.has(key));
    let has_any = |keys: &[&str]| keys.iter().any(|key| header.has(key));
    if has_all(&["event_date", "latitude", "longitude"])
        && has_any(&["event_id_cnty", "event_type", "geo_precision", "fatalities"])
    {
        // An old name (ALLY_ACTOR_1, GEO_PRECIS, …) from the alias table.
        let legacy_names = header
            .names
            .iter()
            .any(|name| super::column_names::column_key(name) != name.trim().to_lowercase());
        let legacy = legacy_names
            || header.is_upper_case()
            || has_any(&["data_id", "event_id_no_cnty", "iso3"]);
        return Some(DetectedFormat::AcledCsv { legacy });
    }
    if has_all(&["date_start", "latitude", "longitude"]) && has_any(&["where_prec", "best"]) {
        return Some(DetectedFormat::UcdpGedCsv);
    }
    None
}

const OTHER_DELIMITERS: [(u8, &str); 3] = [
    (b';', "';' (semicolons)"),
    (b'\t', "tabs"),
    (b'|', "'|' (pipes)"),
];

fn detect_csv(file: &str, text: &str) -> Result<DetectedFormat, LoadError> {
    let first = read_header(text, b',');
    if let Some(format) = first.as_ref().and_then(csv_format_of) {
        return Ok(format);
    }
    let first_line = text.lines().next().unwrap_or_default();
    if let Some(message) = first
        .as_ref()
        .and_then(|first| super::not_data::headerless_message(first, first_line))
    {
        return Err(LoadError::Csv {
            file: file.to_owned(),
            line: 1,
            column: String::new(),
            message,
        });
    }
    for (delimiter, name) in OTHER_DELIMITERS {
        if let Some(format) = read_header(text, delimiter)
            .as_ref()
            .and_then(csv_format_of)
        {
            return Err(LoadError::Csv {
                file: file.to_owned(),
                line: 1,
                column: String::new(),
                message: format!(
                    "the delimiter looks like {name}, not commas: split at {name}, the header \
                     has the columns of {}; export the file as comma-separated CSV",
                    format.name()
                ),
            });
        }
    }
    let first_line: String = first_line.chars().take(60).collect();
    Err(LoadError::Document {
        file: file.to_owned(),
        message: format!(
            "not a recognised format: not JSON, and the first line ({first_line:?}) is not the \
             header of an ACLED export (event_date, latitude, longitude, …) or of UCDP GED \
             (date_start, latitude, longitude, where_prec, best, …)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(text: &str) -> Result<DetectedFormat, String> {
        detect_format("f", text).map_err(|error| error.to_string())
    }

    #[test]
    fn json_is_told_apart_by_schema_and_properties() {
        assert_eq!(
            detect(crate::case::BUNDLED_CASE_GEOJSON),
            Ok(DetectedFormat::StrikemapEvents)
        );
        let untagged = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "geometry":null,"properties":{"casualty_claims":[]}}]}"#;
        assert_eq!(detect(untagged), Ok(DetectedFormat::StrikemapEvents));
        let other = r#"{"type":"FeatureCollection","schema":"other/2","features":[]}"#;
        assert_eq!(detect(other), Ok(DetectedFormat::GeoJsonOverlay));
        let point = r#"  {"type":"Point","coordinates":[1,2]}"#;
        assert_eq!(detect(point), Ok(DetectedFormat::GeoJsonOverlay));
        assert!(detect("[1,2]").unwrap_err().contains("array"));
        let error = detect("{\"type\":").unwrap_err();
        assert!(error.starts_with("f:1:8: not valid JSON"), "{error}");
    }

    #[test]
    fn csv_is_told_apart_by_header_columns_not_extension() {
        let current = "event_id_cnty,event_date,year,event_type,latitude,longitude,geo_precision\n";
        assert_eq!(
            detect(current),
            Ok(DetectedFormat::AcledCsv { legacy: false })
        );
        let legacy = "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,latitude,longitude\n";
        assert_eq!(
            detect(legacy),
            Ok(DetectedFormat::AcledCsv { legacy: true })
        );
        let upper = "EVENT_ID_CNTY,EVENT_DATE,LATITUDE,LONGITUDE,GEO_PRECISION\n";
        assert_eq!(detect(upper), Ok(DetectedFormat::AcledCsv { legacy: true }));
        let ucdp = "id,year,date_start,date_end,latitude,longitude,where_prec,best\n";
        assert_eq!(detect(ucdp), Ok(DetectedFormat::UcdpGedCsv));
    }

    #[test]
    fn wrong_delimiters_and_strangers_are_named() {
        let semicolons = "event_id_cnty;event_date;latitude;longitude\n";
        let error = detect(semicolons).unwrap_err();
        assert!(error.contains("delimiter looks like ';'"), "{error}");
        let tabs = "id\tdate_start\tlatitude\tlongitude\tbest\n";
        assert!(detect(tabs).unwrap_err().contains("tabs"));
        let error = detect("name,population\nQuetta,1000\n").unwrap_err();
        assert!(error.contains("not a recognised format"), "{error}");
        assert!(detect(" \n ").unwrap_err().contains("empty"));
    }
}
