//! Loading and validating the app's GeoJSON files. Pure code, no egui.
//!
//! Every error names the file, the place in it (line:column and the JSON path, or the feature index
//! and field) and what is wrong. Loading returns a new value and never touches what the caller
//! already holds, so a failed load leaves earlier data in place.

use crate::model::{Count, Date, EventProperties, LonLat, Province, StrikeEvent};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

/// The strikes bundled with the app, embedded so the binary runs from any folder.
pub const BUNDLED_STRIKES_GEOJSON: &str = include_str!("../../../assets/strikes.geojson");
/// The two target provinces, derived from Natural Earth (see `scripts/derive_provinces.py`).
pub const BUNDLED_PROVINCES_GEOJSON: &str = include_str!("../../../assets/provinces.geojson");

pub const BUNDLED_STRIKES_NAME: &str = "assets/strikes.geojson";
pub const BUNDLED_PROVINCES_NAME: &str = "assets/provinces.geojson";

/// The schema tag that marks a FeatureCollection as Strikemap events.
pub const EVENT_SCHEMA: &str = "strikemap-events/1";

/// Files larger than this are refused before reading, rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read the file: {message}")]
    Read { file: String, message: String },

    #[error("{file}:{line}:{column}: not valid JSON: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}:{line}:{column}: {field}: {message}")]
    Schema {
        file: String,
        line: usize,
        column: usize,
        /// JSON path of the offending value, e.g. `features[0].properties.date`.
        field: String,
        message: String,
    },

    #[error("{file}: feature {feature_index}{}: {field}: {message}", feature_id_suffix(.feature_id))]
    Invalid {
        file: String,
        feature_index: usize,
        feature_id: Option<String>,
        field: String,
        message: String,
    },

    /// A problem at a place in a CSV file: `line` is the 1-based line where the record starts,
    /// `column` the header name of the field (empty when the whole record is at fault).
    #[error("{file}: line {line}{}: {message}", csv_column_suffix(.column))]
    Csv {
        file: String,
        line: u64,
        column: String,
        message: String,
    },

    #[error("{file}: {message}")]
    Document { file: String, message: String },

    /// The user stopped the load.
    #[error("{file}: loading was cancelled")]
    Cancelled { file: String },
}

fn csv_column_suffix(column: &str) -> String {
    if column.is_empty() {
        String::new()
    } else {
        format!(", column {column}")
    }
}

fn feature_id_suffix(feature_id: &Option<String>) -> String {
    feature_id
        .as_ref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default()
}

impl LoadError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            Self::Read { file, .. }
            | Self::Syntax { file, .. }
            | Self::Schema { file, .. }
            | Self::Invalid { file, .. }
            | Self::Csv { file, .. }
            | Self::Document { file, .. }
            | Self::Cancelled { file } => file,
        }
    }
}

/// A validated set of events from one file.
#[derive(Clone, Debug, PartialEq)]
pub struct EventCollection {
    pub title: Option<String>,
    /// The date up to which the information was collected.
    pub as_of: Option<Date>,
    /// In chronological order (ties keep file order).
    pub events: Vec<StrikeEvent>,
}

/// An events file's members; `F` is a typed feature (strict parse) or a JSON value (parsed
/// feature by feature).
#[derive(Deserialize)]
struct RawEventCollection<F> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    features: Vec<F>,
}

#[derive(Deserialize)]
pub(crate) struct RawEventFeature {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    geometry: Option<RawGeometry>,
    properties: EventProperties,
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: serde_json::Value,
}

/// Parses JSON text into `T`, turning serde's errors into [`LoadError`]s with line:column and the
/// JSON path of the value that did not fit.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        explain_syntax_error(json_error(file, &field, &inner), text)
    })?;
    deserializer
        .end()
        .map_err(|error| json_error(file, "", &error))?;
    Ok(parsed)
}

/// Adds a hint to a syntax error at a word that people expect JSON to accept (`NaN`,
/// `Infinity`), which serde_json reports only as "expected value".
pub(crate) fn explain_syntax_error(error: LoadError, text: &str) -> LoadError {
    let LoadError::Syntax {
        file,
        line,
        column,
        mut message,
    } = error
    else {
        return error;
    };
    let rest: String = text
        .lines()
        .nth(line.saturating_sub(1))
        .map(|text_line| {
            text_line
                .chars()
                .skip(column.saturating_sub(1))
                .take(9)
                .collect()
        })
        .unwrap_or_default();
    let rest = rest.trim_start_matches(['-', '+']).to_ascii_lowercase();
    if rest.starts_with("nan") || rest.starts_with("inf") {
        message.push_str(
            " (NaN and Infinity are not numbers in JSON; a coordinate must be a finite number)",
        );
    }
    LoadError::Syntax {
        file,
        line,
        column,
        message,
    }
}

pub(crate) fn json_error(file: &str, field: &str, error: &serde_json::Error) -> LoadError {
    // serde_json's Display ends with " at line L column C"; we print the place ourselves.
    let full = error.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(message, _)| message)
        .to_owned();
    let (line, column) = (error.line(), error.column());
    match error.classify() {
        serde_json::error::Category::Data if !field.is_empty() && field != "." => {
            LoadError::Schema {
                file: file.to_owned(),
                line,
                column,
                field: field.to_owned(),
                message,
            }
        }
        serde_json::error::Category::Io => LoadError::Read {
            file: file.to_owned(),
            message,
        },
        _ => LoadError::Syntax {
            file: file.to_owned(),
            line,
            column,
            message,
        },
    }
}

/// Checks the collection members of an events file; returns its `as_of` date.
pub(crate) fn check_event_document(
    file: &str,
    kind: &str,
    schema: Option<&str>,
    as_of: Option<&str>,
) -> Result<Option<Date>, LoadError> {
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    if kind != "FeatureCollection" {
        return Err(document_error(format!(
            "type is {kind:?}, expected \"FeatureCollection\""
        )));
    }
    if let Some(schema) = schema
        && schema != EVENT_SCHEMA
    {
        return Err(document_error(format!(
            "schema is {schema:?}, this version reads {EVENT_SCHEMA:?}"
        )));
    }
    as_of
        .map(Date::parse_iso)
        .transpose()
        .map_err(|message| document_error(format!("as_of: {message}")))
}

/// Parses and validates a Strikemap events file (see `docs/data-format.md`).
pub fn parse_events(file: &str, text: &str) -> Result<EventCollection, LoadError> {
    let raw: RawEventCollection<RawEventFeature> = parse_json(file, text)?;
    let as_of = check_event_document(file, &raw.kind, raw.schema.as_deref(), raw.as_of.as_deref())?;

    let mut seen_ids = HashSet::new();
    let mut events = Vec::with_capacity(raw.features.len());
    for (feature_index, feature) in raw.features.into_iter().enumerate() {
        let event = validate_event(file, feature_index, feature)?;
        if !seen_ids.insert(event.id().to_owned()) {
            return Err(LoadError::Invalid {
                file: file.to_owned(),
                feature_index,
                feature_id: Some(event.id().to_owned()),
                field: "properties.id".into(),
                message: "the same id is used by an earlier feature".into(),
            });
        }
        events.push(event);
    }
    events.sort_by_key(|event| event.date);
    Ok(EventCollection {
        title: raw.title,
        as_of,
        events,
    })
}

/// A feature of an events file that was left out, and why.
#[derive(Debug)]
pub struct SkippedFeature {
    pub feature_index: usize,
    pub error: LoadError,
}

/// Like [`parse_events`], but a feature that is wrong on its own (a bad field, a missing or
/// out-of-range geometry, a repeated id) is skipped and reported instead of rejecting the file.
/// Errors in the document itself (not JSON, not a FeatureCollection, a wrong schema tag) still
/// reject it.
pub fn parse_events_skipping_bad_features(
    file: &str,
    text: &str,
) -> Result<(EventCollection, Vec<SkippedFeature>), LoadError> {
    // The strict parse keeps line:column in messages; most files pass it.
    match parse_events(file, text) {
        Ok(collection) => return Ok((collection, Vec::new())),
        Err(LoadError::Schema { ref field, .. }) if field.starts_with("features[") => {}
        Err(LoadError::Invalid { .. }) => {}
        Err(error) => return Err(error),
    }
    let raw: RawEventCollection<serde_json::Value> = parse_json(file, text)?;
    let as_of = check_event_document(file, &raw.kind, raw.schema.as_deref(), raw.as_of.as_deref())?;
    let mut seen_ids = HashSet::new();
    let mut events = Vec::new();
    let mut skipped = Vec::new();
    for (feature_index, value) in raw.features.into_iter().enumerate() {
        let parsed: Result<RawEventFeature, _> = serde_path_to_error::deserialize(value);
        let event = parsed
            .map_err(|error| LoadError::Invalid {
                file: file.to_owned(),
                feature_index,
                feature_id: None,
                field: error.path().to_string(),
                message: error.into_inner().to_string(),
            })
            .and_then(|feature| validate_event(file, feature_index, feature));
        match event {
            Ok(event) if !seen_ids.insert(event.id().to_owned()) => skipped.push(SkippedFeature {
                feature_index,
                error: LoadError::Invalid {
                    file: file.to_owned(),
                    feature_index,
                    feature_id: Some(event.id().to_owned()),
                    field: "properties.id".into(),
                    message: "the same id is used by an earlier feature".into(),
                },
            }),
            Ok(event) => events.push(event),
            Err(error) => skipped.push(SkippedFeature {
                feature_index,
                error,
            }),
        }
    }
    events.sort_by_key(|event| event.date);
    Ok((
        EventCollection {
            title: raw.title,
            as_of,
            events,
        },
        skipped,
    ))
}

pub(crate) fn validate_event(
    file: &str,
    feature_index: usize,
    feature: RawEventFeature,
) -> Result<StrikeEvent, LoadError> {
    let feature_id = (!feature.properties.id.is_empty()).then(|| feature.properties.id.clone());
    let invalid = |field: &str, message: String| LoadError::Invalid {
        file: file.to_owned(),
        feature_index,
        feature_id: feature_id.clone(),
        field: field.to_owned(),
        message,
    };
    let properties = feature.properties;

    if feature.kind != "Feature" {
        return Err(invalid(
            "type",
            format!("is {:?}, expected \"Feature\"", feature.kind),
        ));
    }
    if properties.id.trim().is_empty() {
        return Err(invalid("properties.id", "is empty".into()));
    }
    if properties.title.trim().is_empty() {
        return Err(invalid("properties.title", "is empty".into()));
    }
    let geometry = feature.geometry.ok_or_else(|| {
        invalid(
            "geometry",
            "is missing or null; an event needs a Point".into(),
        )
    })?;
    let position = point_position(&geometry).map_err(|message| invalid("geometry", message))?;
    let date =
        Date::parse_iso(&properties.date).map_err(|message| invalid("properties.date", message))?;
    if let Some(date_end) = &properties.date_end {
        let date_end =
            Date::parse_iso(date_end).map_err(|message| invalid("properties.date_end", message))?;
        if date_end < date {
            return Err(invalid(
                "properties.date_end",
                format!("{date_end} is before the date {date}"),
            ));
        }
    }
    let code_checks = [
        (
            "properties.time_precision",
            properties.time_precision,
            3,
            "ACLED codes 1 to 3",
        ),
        (
            "properties.date_prec",
            properties.date_prec,
            5,
            "UCDP GED codes 1 to 5",
        ),
        (
            "properties.location.where_prec",
            properties.location.where_prec,
            7,
            "UCDP GED codes 1 to 7",
        ),
    ];
    for (field, code, highest, codes) in code_checks {
        if let Some(code) = code
            && !(1..=highest).contains(&code)
        {
            return Err(invalid(
                field,
                format!("is {code}, expected one of the {codes}"),
            ));
        }
    }

    let location = &properties.location;
    if !(location.radius_km.is_finite() && location.radius_km > 0.0) {
        return Err(invalid(
            "properties.location.radius_km",
            format!(
                "is {}, expected a positive number of km",
                location.radius_km
            ),
        ));
    }
    if !(1..=3).contains(&location.geo_precision) {
        return Err(invalid(
            "properties.location.geo_precision",
            format!(
                "is {}, expected 1, 2 or 3 (ACLED codes)",
                location.geo_precision
            ),
        ));
    }

    let mut source_keys = HashSet::new();
    for (index, source) in properties.sources.iter().enumerate() {
        if !source_keys.insert(source.key.as_str()) {
            return Err(invalid(
                &format!("properties.sources[{index}].key"),
                format!("key {:?} is listed twice", source.key),
            ));
        }
    }

    for (index, claim) in properties.casualty_claims.iter().enumerate() {
        for (name, count) in [("killed", &claim.killed), ("injured", &claim.injured)] {
            let Some(count) = count else { continue };
            let parts: u32 = count.breakdown().map(|(_, value)| value).sum();
            if parts > count.count {
                return Err(invalid(
                    &format!("properties.casualty_claims[{index}].{name}"),
                    format!(
                        "children, women and men add up to {parts}, more than the count {}",
                        count.count
                    ),
                ));
            }
            if let Some(message) = range_problem(count) {
                return Err(invalid(
                    &format!("properties.casualty_claims[{index}].{name}"),
                    message,
                ));
            }
        }
    }

    let event = StrikeEvent {
        properties,
        date,
        position,
    };
    for (field, key) in event.cited_source_keys() {
        if event.source(key).is_none() {
            return Err(invalid(
                &format!("properties.{field}"),
                format!("cites source {key:?}, which is not in this event's sources"),
            ));
        }
    }
    Ok(event)
}

/// What is wrong with a count's range, if anything: the range must hold the count.
pub(crate) fn range_problem(count: &Count) -> Option<String> {
    match (count.low, count.high) {
        (Some(low), _) if low > count.count => Some(format!(
            "the low estimate {low} is above the count {}",
            count.count
        )),
        (_, Some(high)) if high < count.count => Some(format!(
            "the high estimate {high} is below the count {}",
            count.count
        )),
        _ => None,
    }
}

/// Checks a longitude/latitude pair: finite and within -180..180 and -90..90.
pub(crate) fn checked_lon_lat(lon: f64, lat: f64) -> Result<LonLat, String> {
    if !lon.is_finite() {
        return Err(format!("longitude {lon} is not a finite number"));
    }
    if !lat.is_finite() {
        return Err(format!("latitude {lat} is not a finite number"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    Ok(LonLat { lon, lat })
}

fn point_position(geometry: &RawGeometry) -> Result<LonLat, String> {
    if geometry.kind != "Point" {
        return Err(format!(
            "is a {}, expected a Point (events are points; their precision is a radius)",
            geometry.kind
        ));
    }
    let coordinates = geometry
        .coordinates
        .as_array()
        .ok_or("coordinates are not an array")?;
    if !(2..=3).contains(&coordinates.len()) {
        return Err(format!(
            "a Point has {} coordinates, expected [longitude, latitude]",
            coordinates.len()
        ));
    }
    let number = |index: usize, name: &str| -> Result<f64, String> {
        coordinates[index]
            .as_f64()
            .filter(|value| value.is_finite())
            .ok_or_else(|| format!("{name} {} is not a finite number", coordinates[index]))
    };
    let lon = number(0, "longitude")?;
    let lat = number(1, "latitude")?;
    checked_lon_lat(lon, lat)
}

#[derive(Deserialize)]
struct RawProvinceCollection {
    features: Vec<RawProvinceFeature>,
}

#[derive(Deserialize)]
struct RawProvinceFeature {
    properties: RawProvinceProperties,
    geometry: Option<geojson::Geometry>,
}

#[derive(Deserialize)]
struct RawProvinceProperties {
    name: String,
    country: String,
    iso_3166_2: String,
    area_km2: f64,
}

/// Parses a provinces file: polygons with name, country, ISO 3166-2 code and area.
pub fn parse_provinces(file: &str, text: &str) -> Result<Vec<Province>, LoadError> {
    let raw: RawProvinceCollection = parse_json(file, text)?;
    let mut provinces = Vec::with_capacity(raw.features.len());
    for (feature_index, feature) in raw.features.into_iter().enumerate() {
        let invalid = |field: &str, message: String| LoadError::Invalid {
            file: file.to_owned(),
            feature_index,
            feature_id: Some(feature.properties.name.clone()),
            field: field.to_owned(),
            message,
        };
        let geometry = feature
            .geometry
            .as_ref()
            .ok_or_else(|| invalid("geometry", "is missing or null".into()))?;
        let geometry = geo::Geometry::<f64>::try_from(geometry)
            .map_err(|error| invalid("geometry", error.to_string()))?;
        let geometry = match geometry {
            geo::Geometry::Polygon(polygon) => geo::MultiPolygon::new(vec![polygon]),
            geo::Geometry::MultiPolygon(multi_polygon) => multi_polygon,
            _ => {
                return Err(invalid(
                    "geometry",
                    "is not a Polygon or MultiPolygon".into(),
                ));
            }
        };
        use geo::CoordsIter as _;
        if geometry
            .coords_iter()
            .any(|coord| !(coord.x.is_finite() && coord.y.is_finite()))
        {
            return Err(invalid(
                "geometry",
                "has a coordinate that is not a finite number".into(),
            ));
        }
        let properties = feature.properties;
        provinces.push(Province {
            name: properties.name,
            country: properties.country,
            iso_3166_2: properties.iso_3166_2,
            area_km2: properties.area_km2,
            geometry,
        });
    }
    Ok(provinces)
}

/// Reads a file's bytes from disk, refusing folders and files over [`MAX_FILE_BYTES`] before
/// reading (and stopping at the limit should the file grow meanwhile).
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read as _;
    let file = path.display().to_string();
    let read_error = |message: String| LoadError::Read {
        file: file.clone(),
        message,
    };
    let metadata = std::fs::metadata(path).map_err(|error| read_error(error.to_string()))?;
    if metadata.is_dir() {
        return Err(read_error("is a folder, not a file".into()));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(read_error(too_large_message(metadata.len())));
    }
    let opened = std::fs::File::open(path).map_err(|error| read_error(error.to_string()))?;
    // Sized once: growing by doubling would hold the old and the new buffer at the same time.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0) + 1);
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| read_error(error.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(read_error(too_large_message(bytes.len() as u64)));
    }
    Ok(bytes)
}

pub(crate) fn too_large_message(len: u64) -> String {
    format!(
        "the file has {len} bytes, more than the limit of {MAX_FILE_BYTES} bytes ({} MiB)",
        MAX_FILE_BYTES >> 20
    )
}

/// Decodes UTF-8 text, dropping a leading byte-order mark. Other encodings are refused with the
/// line and column of the first byte that is not UTF-8; UTF-16 is recognised by its mark.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, LoadError> {
    let read_error = |message: String| LoadError::Read {
        file: file.to_owned(),
        message,
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(read_error(
            "the text is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8".into(),
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => {
            let offset = error.valid_up_to();
            let before = bytes.get(..offset).unwrap_or_default();
            let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&byte| byte == b'\n')
                .map_or(0, |newline| newline + 1);
            let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
                .chars()
                .count()
                + 1;
            let byte = bytes.get(offset).copied().unwrap_or_default();
            Err(read_error(format!(
                "line {line}, column {column}: not UTF-8 text (byte 0x{byte:02X} at offset {offset}); \
                 save the file as UTF-8"
            )))
        }
    }
}

/// Reads a UTF-8 text file from disk, refusing files over [`MAX_FILE_BYTES`].
pub fn read_text_file(path: &Path) -> Result<String, LoadError> {
    let bytes = read_file_bytes(path)?;
    decode_text(&path.display().to_string(), &bytes)
}

/// Loads an events file from disk.
pub fn load_events_file(path: &Path) -> Result<EventCollection, LoadError> {
    let text = read_text_file(path)?;
    parse_events(&path.display().to_string(), &text)
}

/// The bundled events. An error here is a bug in the shipped data, caught by the tests.
pub fn bundled_events() -> Result<EventCollection, LoadError> {
    parse_events(BUNDLED_STRIKES_NAME, BUNDLED_STRIKES_GEOJSON)
}

/// The bundled provinces.
pub fn bundled_provinces() -> Result<Vec<Province>, LoadError> {
    parse_provinces(BUNDLED_PROVINCES_NAME, BUNDLED_PROVINCES_GEOJSON)
}
