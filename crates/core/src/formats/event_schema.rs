//! The app's own event schema (`docs/data-format.md`): parsing and validating Strikemap events
//! files and the provinces file.
//!
//! Every error names the file, the place in it (line:column and the JSON path, or the feature index
//! and field) and what is wrong. Loading returns a new value and never touches what the caller
//! already holds, so a failed load leaves earlier data in place.

use super::crs::{Reprojection, read_crs};
use super::json::parse_json;
use super::skips::Warning;
use super::text_files::read_text_file;
use crate::error::LoadError;
use crate::model::{Count, Date, EventProperties, LonLat, Province, StrikeEvent};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

/// The schema tag that marks a FeatureCollection as Strikemap events.
pub const EVENT_SCHEMA: &str = "strikemap-events/1";

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
    /// The 2008 spec's coordinate reference system ([`crate::formats::crs`]).
    #[serde(default)]
    crs: Option<serde_json::Value>,
    features: Vec<F>,
}

/// The reprojection an events file's `crs` member asks for, and the warning that says so.
fn events_crs(
    file: &str,
    crs: Option<&serde_json::Value>,
) -> Result<(Option<Reprojection>, Vec<Warning>), LoadError> {
    let Some(crs) = crs else {
        return Ok((None, Vec::new()));
    };
    let reprojection = read_crs(crs).map_err(|message| LoadError::Document {
        file: file.to_owned(),
        message: format!("crs: {message}"),
    })?;
    let warnings = reprojection
        .iter()
        .map(|reprojection| Warning {
            place: "crs".into(),
            message: reprojection.warning_message(),
        })
        .collect();
    Ok((reprojection, warnings))
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
/// A `crs` member naming a projected system is read and the positions reprojected
/// ([`crate::formats::crs`]).
pub fn parse_events(file: &str, text: &str) -> Result<EventCollection, LoadError> {
    parse_events_with_warnings(file, text).map(|(collection, _)| collection)
}

/// [`parse_events`], with what was tolerated (a reprojection from an old-spec `crs`).
pub fn parse_events_with_warnings(
    file: &str,
    text: &str,
) -> Result<(EventCollection, Vec<Warning>), LoadError> {
    let raw: RawEventCollection<RawEventFeature> = parse_json(file, text)?;
    let as_of = check_event_document(file, &raw.kind, raw.schema.as_deref(), raw.as_of.as_deref())?;
    let (crs, warnings) = events_crs(file, raw.crs.as_ref())?;

    let mut seen_ids = HashSet::new();
    let mut events = Vec::with_capacity(raw.features.len());
    for (feature_index, feature) in raw.features.into_iter().enumerate() {
        let event = validate_event(file, feature_index, feature, crs.as_ref())?;
        if !seen_ids.insert(event.id().to_owned()) {
            return Err(repeated_id(file, feature_index, event.id()));
        }
        events.push(event);
    }
    events.sort_by_key(|event| event.date);
    Ok((
        EventCollection {
            title: raw.title,
            as_of,
            events,
        },
        warnings,
    ))
}

/// The error of a feature whose id an earlier feature already has.
fn repeated_id(file: &str, feature_index: usize, id: &str) -> LoadError {
    LoadError::Invalid {
        file: file.to_owned(),
        feature_index,
        feature_id: Some(id.to_owned()),
        field: "properties.id".into(),
        message: "the same id is used by an earlier feature".into(),
    }
}

/// A feature of an events file that was left out, and why.
#[derive(Debug)]
pub struct SkippedFeature {
    pub feature_index: usize,
    pub error: LoadError,
}

/// Like [`parse_events`], but a feature that is wrong on its own (a bad field, a missing or
/// out-of-range geometry, a repeated id) is skipped and reported instead of rejecting the file.
/// Errors in the document itself (not JSON, not a FeatureCollection, a wrong schema tag, a `crs`
/// that cannot be read) still reject it. Also returns what was tolerated.
pub fn parse_events_skipping_bad_features(
    file: &str,
    text: &str,
) -> Result<(EventCollection, Vec<SkippedFeature>, Vec<Warning>), LoadError> {
    // The strict parse keeps line:column in messages; most files pass it.
    match parse_events_with_warnings(file, text) {
        Ok((collection, warnings)) => return Ok((collection, Vec::new(), warnings)),
        Err(LoadError::Schema { ref field, .. }) if field.starts_with("features[") => {}
        Err(LoadError::Invalid { .. }) => {}
        Err(error) => return Err(error),
    }
    let raw: RawEventCollection<serde_json::Value> = parse_json(file, text)?;
    let as_of = check_event_document(file, &raw.kind, raw.schema.as_deref(), raw.as_of.as_deref())?;
    let (crs, warnings) = events_crs(file, raw.crs.as_ref())?;
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
            .and_then(|feature| validate_event(file, feature_index, feature, crs.as_ref()));
        match event {
            Ok(event) if !seen_ids.insert(event.id().to_owned()) => skipped.push(SkippedFeature {
                feature_index,
                error: repeated_id(file, feature_index, event.id()),
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
        warnings,
    ))
}

/// Checks one event; `crs` is the file's old-spec coordinate system, when it is not WGS 84.
pub(crate) fn validate_event(
    file: &str,
    feature_index: usize,
    feature: RawEventFeature,
    crs: Option<&Reprojection>,
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
    let position =
        point_position(&geometry, crs).map_err(|message| invalid("geometry", message))?;
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

fn point_position(geometry: &RawGeometry, crs: Option<&Reprojection>) -> Result<LonLat, String> {
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
    match crs {
        Some(crs) => {
            let (lon, lat) = crs.to_wgs84(lon, lat)?;
            checked_lon_lat(lon, lat)
        }
        None => checked_lon_lat(lon, lat),
    }
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

/// Loads an events file from disk.
pub fn load_events_file(path: &Path) -> Result<EventCollection, LoadError> {
    let text = read_text_file(path)?;
    parse_events(&path.display().to_string(), &text)
}
