//! Any GeoJSON that is not in the app's event schema becomes an overlay layer: points, lines,
//! polygons (with holes), multi-geometries and geometry collections, with whatever properties the
//! features carry. 3-D positions are accepted (the height is dropped); foreign members and the
//! legacy `crs` member are ignored. A feature with a null geometry, a coordinate that is not a
//! finite number or lies outside -180..180 / -90..90, or a number too large for JSON is skipped
//! with its index and field; the other features load.

use super::{DetectedFormat, Import, ImportedContent, SkipLog};
use crate::data::{LoadError, checked_lon_lat, json_error};
use crate::geometry::GeoBounds;
use crate::model::LonLat;
use geo::{Coord, Geometry, LineString, Polygon};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Geometry collections nested deeper than this are refused (the format allows it; no real
/// data needs it, and it keeps the converter's recursion small).
pub const MAX_COLLECTION_DEPTH: usize = 8;

/// A GeoJSON file shown as a layer of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct OverlayLayer {
    /// The collection's `name` or `title` member, or else the file name.
    pub name: String,
    pub features: Vec<OverlayFeature>,
}

/// One feature of an overlay.
#[derive(Clone, Debug, PartialEq)]
pub struct OverlayFeature {
    /// Index of the feature in the file's `features` array (0 for a lone Feature or geometry).
    pub index: usize,
    /// The feature's `id` member, as text, when it has one.
    pub id: Option<String>,
    pub geometry: Geometry<f64>,
    /// The feature's properties; empty when they are `null`.
    pub properties: Map<String, Value>,
}

impl OverlayFeature {
    /// A short label for lists and the side panel: the `name` or `title` property, the id, or
    /// "feature N".
    pub fn label(&self) -> String {
        ["name", "title", "NAME", "Name"]
            .iter()
            .find_map(|key| self.properties.get(*key).and_then(Value::as_str))
            .map(str::to_owned)
            .or_else(|| self.id.clone())
            .unwrap_or_else(|| format!("feature {}", self.index))
    }

    /// The properties as (name, value) lines for the side panel; strings without quotes.
    pub fn property_lines(&self) -> Vec<(String, String)> {
        self.properties
            .iter()
            .map(|(key, value)| {
                let text = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (key.clone(), text)
            })
            .collect()
    }
}

impl OverlayLayer {
    /// The feature under a click: the one nearest to `point` within `tolerance_deg` degrees
    /// (the caller converts its pixel tolerance at the current zoom), a point inside a polygon
    /// (not in a hole) being at distance 0. On a tie the later feature, drawn on top, wins.
    pub fn feature_at(&self, point: LonLat, tolerance_deg: f64) -> Option<&OverlayFeature> {
        use geo::{Distance as _, Euclidean};
        let target = geo::Point::new(point.lon, point.lat);
        let mut nearest: Option<(f64, &OverlayFeature)> = None;
        for feature in &self.features {
            let distance = Euclidean.distance(&target, &feature.geometry);
            let closer = nearest.is_none_or(|(best, _)| distance <= best);
            if distance.is_finite() && distance <= tolerance_deg && closer {
                nearest = Some((distance, feature));
            }
        }
        nearest.map(|(_, feature)| feature)
    }

    /// The box around every coordinate of every feature, or `None` for an empty layer.
    pub fn bounds(&self) -> Option<GeoBounds> {
        use geo::CoordsIter as _;
        GeoBounds::around(self.features.iter().flat_map(|feature| {
            feature.geometry.coords_iter().map(|coord| LonLat {
                lon: coord.x,
                lat: coord.y,
            })
        }))
    }
}

/// The top-level members the importer looks at; features are kept as raw text so that a number
/// too large for JSON (which serde_json refuses) costs one feature, not the file.
#[derive(Deserialize)]
pub(crate) struct TopLevel<'a> {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default, borrow)]
    pub schema: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub features: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow)]
    pub name: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub title: Option<&'a RawValue>,
}

/// Reads the top level of a JSON document, with line:column and JSON path on error.
pub(crate) fn read_top_level<'a>(file: &str, text: &'a str) -> Result<TopLevel<'a>, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let top: TopLevel<'a> =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let field = error.path().to_string();
            crate::data::explain_syntax_error(json_error(file, &field, error.inner()), text)
        })?;
    deserializer
        .end()
        .map_err(|error| json_error(file, "", &error))?;
    Ok(top)
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// Parses any GeoJSON object (FeatureCollection, Feature or bare geometry) as an overlay.
pub fn parse_overlay(file: &str, text: &str) -> Result<Import, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top = read_top_level(file, text)?;
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let name = [top.name, top.title]
        .into_iter()
        .flatten()
        .find_map(|raw| serde_json::from_str::<String>(raw.get()).ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| file_stem(file));

    let mut skips = SkipLog::default();
    let mut features = Vec::new();
    let mut lines = LineCounter::new(text);
    match top.kind.as_deref() {
        Some("FeatureCollection") => {
            let raw_features = top.features.ok_or_else(|| {
                document_error("a FeatureCollection needs a \"features\" array".into())
            })?;
            for (index, raw) in raw_features.into_iter().enumerate() {
                match read_feature(index, raw.get()) {
                    Ok(feature) => features.push(feature),
                    Err(problem) => {
                        let place = problem.place(index);
                        let reason = match problem.json_error {
                            Some((line, column))
                                if skips.listed.len() < super::MAX_LISTED_SKIPS =>
                            {
                                let offset = offset_in(text, raw.get());
                                let (line, column) = lines.absolute(offset, line, column);
                                format!("line {line}, column {column}: {}", problem.reason)
                            }
                            _ => problem.reason,
                        };
                        skips.push(place, reason);
                    }
                }
            }
        }
        Some("Feature") => match read_feature(0, text) {
            Ok(feature) => features.push(feature),
            Err(problem) => {
                let reason = match problem.json_error {
                    Some((line, column)) => {
                        format!("line {line}, column {column}: {}", problem.reason)
                    }
                    None => problem.reason.clone(),
                };
                skips.push(problem.place(0), reason);
            }
        },
        Some(kind) if GEOMETRY_TYPES.contains(&kind) => {
            let value: Value =
                serde_json::from_str(text).map_err(|error| json_error(file, "", &error))?;
            match geometry_from_json(&value, "geometry", 0) {
                Ok(geometry) => features.push(OverlayFeature {
                    index: 0,
                    id: None,
                    geometry,
                    properties: Map::new(),
                }),
                Err((field, reason)) => {
                    return Err(LoadError::Invalid {
                        file: file.to_owned(),
                        feature_index: 0,
                        feature_id: None,
                        field,
                        message: reason,
                    });
                }
            }
        }
        Some(kind) => {
            return Err(document_error(format!(
                "JSON, but not GeoJSON: type is {kind:?}, expected FeatureCollection, Feature or \
                 a geometry type"
            )));
        }
        None => {
            return Err(document_error(
                "JSON, but not GeoJSON: the top-level object has no \"type\" member".into(),
            ));
        }
    }
    if features.is_empty() {
        return Err(skips.nothing_loaded(file, "feature"));
    }
    Ok(Import {
        file: file.to_owned(),
        format: DetectedFormat::GeoJsonOverlay,
        content: ImportedContent::Overlay(OverlayLayer { name, features }),
        skipped: skips.listed,
        skipped_total: skips.total,
    })
}

fn file_stem(file: &str) -> String {
    let path = std::path::Path::new(file);
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| file.to_owned())
}

/// Byte offset of `part` inside `whole`, where `part` is a slice of it.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// Turns byte offsets into line:column, moving forward only so that a file with many bad
/// features is still read in linear time.
struct LineCounter<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// The absolute line and column of a place given relative to the slice starting at
    /// `offset` (serde_json's 1-based line and column within that slice).
    fn absolute(&mut self, offset: usize, line: usize, column: usize) -> (usize, usize) {
        let offset = offset.max(self.offset);
        let passed = self
            .text
            .as_bytes()
            .get(self.offset..offset)
            .unwrap_or_default();
        for (index, byte) in passed.iter().enumerate() {
            if *byte == b'\n' {
                self.line += 1;
                self.line_start = self.offset + index + 1;
            }
        }
        self.offset = offset;
        if line <= 1 {
            let start_column = self
                .text
                .get(self.line_start..offset)
                .map_or(0, |before| before.chars().count());
            (self.line, start_column + column)
        } else {
            (self.line + line - 1, column)
        }
    }
}

/// Why a feature was skipped.
struct FeatureProblem {
    /// The feature's field at fault ("geometry.coordinates[0]"), empty for the whole feature.
    field: String,
    reason: String,
    /// serde_json's line and column within the feature's text, for syntax-level problems.
    json_error: Option<(usize, usize)>,
}

impl FeatureProblem {
    fn new(field: &str, reason: String) -> Self {
        Self {
            field: field.to_owned(),
            reason,
            json_error: None,
        }
    }

    /// "feature 3, field geometry" or "feature 3".
    fn place(&self, index: usize) -> String {
        if self.field.is_empty() {
            format!("feature {index}")
        } else {
            format!("feature {index}, field {}", self.field)
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn read_feature(index: usize, raw: &str) -> Result<OverlayFeature, FeatureProblem> {
    let value: Value = serde_json::from_str(raw).map_err(|error| {
        let full = error.to_string();
        let reason = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(message, _)| message)
            .to_owned();
        FeatureProblem {
            field: String::new(),
            reason,
            json_error: Some((error.line(), error.column())),
        }
    })?;
    let Value::Object(mut object) = value else {
        return Err(FeatureProblem::new(
            "",
            format!("is {}, expected a Feature object", kind_of(&value)),
        ));
    };
    match object.get("type") {
        Some(Value::String(kind)) if kind == "Feature" => {}
        Some(other) => {
            return Err(FeatureProblem::new(
                "type",
                format!("is {other}, expected \"Feature\""),
            ));
        }
        None => return Err(FeatureProblem::new("type", "is missing".into())),
    }
    let properties = match object.remove("properties") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(properties)) => properties,
        Some(other) => {
            return Err(FeatureProblem::new(
                "properties",
                format!("is {}, expected an object or null", kind_of(&other)),
            ));
        }
    };
    let id = match object.get("id") {
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    let geometry = match object.get("geometry") {
        None => {
            return Err(FeatureProblem::new(
                "geometry",
                "is missing; a feature needs a geometry to be drawn".into(),
            ));
        }
        Some(Value::Null) => {
            return Err(FeatureProblem::new(
                "geometry",
                "is null (a feature without a place cannot be drawn)".into(),
            ));
        }
        Some(geometry) => geometry_from_json(geometry, "geometry", 0)
            .map_err(|(field, reason)| FeatureProblem::new(&field, reason))?,
    };
    Ok(OverlayFeature {
        index,
        id,
        geometry,
        properties,
    })
}

type GeometryProblem = (String, String);

/// Converts a GeoJSON geometry object; errors name the JSON path within the feature.
fn geometry_from_json(
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<Geometry<f64>, GeometryProblem> {
    let problem = |field: String, reason: String| (field, reason);
    let Value::Object(object) = value else {
        return Err(problem(
            path.to_owned(),
            format!("is {}, expected a geometry object", kind_of(value)),
        ));
    };
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(other) => {
            return Err(problem(
                format!("{path}.type"),
                format!("is {other}, expected a geometry type"),
            ));
        }
        None => return Err(problem(format!("{path}.type"), "is missing".into())),
    };
    if kind == "GeometryCollection" {
        if depth >= MAX_COLLECTION_DEPTH {
            return Err(problem(
                path.to_owned(),
                format!("geometry collections are nested deeper than {MAX_COLLECTION_DEPTH}"),
            ));
        }
        let path = format!("{path}.geometries");
        let Some(Value::Array(members)) = object.get("geometries") else {
            return Err(problem(path, "is missing or not an array".into()));
        };
        let members = members
            .iter()
            .enumerate()
            .map(|(index, member)| {
                geometry_from_json(member, &format!("{path}[{index}]"), depth + 1)
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Geometry::GeometryCollection(geo::GeometryCollection(
            members,
        )));
    }
    let path = format!("{path}.coordinates");
    let Some(coordinates) = object.get("coordinates") else {
        return Err(problem(path, "is missing".into()));
    };
    let geometry = match kind {
        "Point" => Geometry::Point(position(coordinates, &path)?.into()),
        "MultiPoint" => Geometry::MultiPoint(geo::MultiPoint(
            array(coordinates, &path)?
                .iter()
                .enumerate()
                .map(|(index, item)| position(item, &format!("{path}[{index}]")).map(Into::into))
                .collect::<Result<_, _>>()?,
        )),
        "LineString" => Geometry::LineString(line(coordinates, &path, 2)?),
        "MultiLineString" => Geometry::MultiLineString(geo::MultiLineString(
            array(coordinates, &path)?
                .iter()
                .enumerate()
                .map(|(index, item)| line(item, &format!("{path}[{index}]"), 2))
                .collect::<Result<_, _>>()?,
        )),
        "Polygon" => Geometry::Polygon(polygon(coordinates, &path)?),
        "MultiPolygon" => Geometry::MultiPolygon(geo::MultiPolygon(
            array(coordinates, &path)?
                .iter()
                .enumerate()
                .map(|(index, item)| polygon(item, &format!("{path}[{index}]")))
                .collect::<Result<_, _>>()?,
        )),
        other => {
            return Err(problem(
                format!("{}.type", path.trim_end_matches(".coordinates")),
                format!("{other:?} is not a GeoJSON geometry type"),
            ));
        }
    };
    Ok(geometry)
}

fn array<'v>(value: &'v Value, path: &str) -> Result<&'v Vec<Value>, GeometryProblem> {
    value.as_array().ok_or_else(|| {
        (
            path.to_owned(),
            format!("is {}, expected an array", kind_of(value)),
        )
    })
}

/// A position `[lon, lat]` or `[lon, lat, height]`; the height is dropped.
fn position(value: &Value, path: &str) -> Result<Coord<f64>, GeometryProblem> {
    let items = array(value, path)?;
    let (Some(lon), Some(lat)) = (items.first(), items.get(1)) else {
        return Err((
            path.to_owned(),
            format!(
                "a position has {} numbers, expected [longitude, latitude]",
                items.len()
            ),
        ));
    };
    let number = |item: &Value, name: &str| {
        item.as_f64()
            .ok_or_else(|| (path.to_owned(), format!("{name} {item} is not a number")))
    };
    let point = checked_lon_lat(number(lon, "longitude")?, number(lat, "latitude")?)
        .map_err(|reason| (path.to_owned(), reason))?;
    Ok(Coord {
        x: point.lon,
        y: point.lat,
    })
}

fn line(value: &Value, path: &str, minimum: usize) -> Result<LineString<f64>, GeometryProblem> {
    let items = array(value, path)?;
    if items.len() < minimum {
        return Err((
            path.to_owned(),
            format!(
                "has {} positions, at least {minimum} are needed",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| position(item, &format!("{path}[{index}]")))
        .collect::<Result<Vec<_>, _>>()
        .map(LineString::new)
}

/// A polygon: an outer ring, then holes. Each ring needs 4 positions (a closed triangle); an
/// unclosed ring is closed.
fn polygon(value: &Value, path: &str) -> Result<Polygon<f64>, GeometryProblem> {
    let mut rings = array(value, path)?
        .iter()
        .enumerate()
        .map(|(index, ring)| line(ring, &format!("{path}[{index}]"), 4))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
    Ok(Polygon::new(exterior, rings.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay(text: &str) -> Import {
        parse_overlay("o.geojson", text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn a_lone_geometry_or_feature_is_a_layer_of_one() {
        let import = overlay(r#"{"type":"Point","coordinates":[64.1,26.9,1200]}"#);
        let layer = import.overlay().unwrap();
        assert_eq!(layer.name, "o");
        assert_eq!(
            layer.features[0].geometry,
            Geometry::Point(geo::point!(x: 64.1, y: 26.9))
        );
        let import = overlay(
            r#"{"type":"Feature","id":7,"geometry":{"type":"LineString","coordinates":[[60,25],[61,26]]},"properties":null}"#,
        );
        let feature = &import.overlay().unwrap().features[0];
        assert_eq!(feature.label(), "7");
        assert!(feature.properties.is_empty());
    }

    #[test]
    fn bad_features_are_skipped_with_their_index_field_and_line() {
        let text = "{\"type\":\"FeatureCollection\",\"name\":\"Border posts\",\"features\":[\n\
            {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[62,27]},\"properties\":{\"name\":\"A\"}},\n\
            {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1e999,27]},\"properties\":{}},\n\
            {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[200,27]},\"properties\":{}},\n\
            {\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n]}";
        let import = overlay(text);
        let layer = import.overlay().unwrap();
        assert_eq!(layer.name, "Border posts");
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.features[0].label(), "A");
        assert_eq!(import.skipped_total, 3);
        assert_eq!(import.skipped[0].place, "feature 1");
        assert!(
            import.skipped[0].reason.starts_with("line 3, column "),
            "{}",
            import.skipped[0].reason
        );
        assert!(import.skipped[0].reason.contains("number out of range"));
        assert_eq!(
            import.skipped[1].place,
            "feature 2, field geometry.coordinates"
        );
        assert!(
            import.skipped[1]
                .reason
                .contains("longitude 200 is outside")
        );
        assert_eq!(import.skipped[2].place, "feature 3, field geometry");
        let bounds = layer.bounds().unwrap();
        assert_eq!((bounds.min.lon, bounds.max.lat), (62.0, 27.0));
    }

    #[test]
    fn deep_geometry_collections_are_refused_not_overflowed() {
        let mut geometry = r#"{"type":"Point","coordinates":[1,2]}"#.to_owned();
        for _ in 0..20 {
            geometry = format!(r#"{{"type":"GeometryCollection","geometries":[{geometry}]}}"#);
        }
        let error = parse_overlay("deep.geojson", &geometry).unwrap_err();
        assert!(
            error.to_string().contains("nested deeper than 8"),
            "{error}"
        );
    }
}
