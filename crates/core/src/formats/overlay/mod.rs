//! Any GeoJSON that is not in the app's event schema becomes an overlay layer: points, lines,
//! polygons (with holes), multi-geometries and geometry collections, with whatever properties the
//! features carry. 3-D positions are accepted (the height is dropped); foreign members are
//! ignored. The 2008 spec's `crs` member is read ([`crate::formats::crs`]): a projected system's
//! coordinates are reprojected to WGS 84, with a warning. A feature with `"geometry": null`
//! (which RFC 7946 allows) is kept as an unlocated feature: listed with its properties, not
//! drawn. Longitudes unwrapped past ±180 are normalised ([`antimeridian`]), and the rule breaks
//! readers commonly tolerate (an unclosed ring, a bbox of the wrong length, a non-numeric extra
//! member in a position, an id that is not a string or number) load with a warning naming the
//! feature and the rule. A feature with no geometry member, a coordinate that is not a finite
//! number or lies outside -180..180 / -90..90 (and is not unwrapped), or a number too large for
//! JSON is skipped with its index and field; the other features load.

mod antimeridian;
mod geometry;

use super::json::{explain_syntax_error, json_error};
use super::skips::{MAX_LISTED_SKIPS, SkipLog};
use crate::error::LoadError;
use crate::formats::crs::{Reprojection, read_crs};
use crate::formats::rules::{self, kind_of};
use crate::geometry::GeoBounds;
use crate::model::LonLat;
use geo::Geometry;
use geometry::GeometryReader;
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
    /// The features that have a place, drawn on the map.
    pub features: Vec<OverlayFeature>,
    /// The features whose geometry is `null` (RFC 7946 §3.2 allows it): listed with their
    /// properties, not drawn. Their `geometry` is an empty GeometryCollection.
    pub unlocated: Vec<OverlayFeature>,
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
    /// The 2008 spec's coordinate reference system.
    #[serde(default, borrow)]
    pub crs: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub bbox: Option<&'a RawValue>,
}

/// The reprojection a document's `crs` member asks for (`None` for WGS 84 or no member); an
/// unreadable or unknown system is an error naming the member.
pub(crate) fn crs_of(
    file: &str,
    crs: Option<&RawValue>,
) -> Result<Option<Reprojection>, LoadError> {
    let Some(raw) = crs else { return Ok(None) };
    let value: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
    read_crs(&value).map_err(|message| LoadError::Document {
        file: file.to_owned(),
        message: format!("crs: {message}"),
    })
}

/// Reads the top level of a JSON document, with line:column and JSON path on error.
pub(crate) fn read_top_level<'a>(file: &str, text: &'a str) -> Result<TopLevel<'a>, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let top: TopLevel<'a> =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let field = error.path().to_string();
            explain_syntax_error(json_error(file, &field, error.inner()), text)
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

/// Parses any GeoJSON object (FeatureCollection, Feature or bare geometry) as an overlay; also
/// returns the features that were skipped.
pub fn parse_overlay(file: &str, text: &str) -> Result<(OverlayLayer, SkipLog), LoadError> {
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
    let crs = crs_of(file, top.crs)?;
    if let Some(crs) = &crs {
        skips.warn("crs".into(), crs.warning_message());
    }
    let crs = crs.as_ref();
    if let Some(raw) = top.bbox {
        let mut reader = GeometryReader::new(None);
        reader.check_bbox(serde_json::from_str(raw.get()).ok().as_ref(), "bbox");
        for (field, message) in reader.warnings {
            skips.warn(field, message);
        }
    }
    let mut features = Vec::new();
    let mut unlocated = Vec::new();
    let mut lines = LineCounter::new(text);
    let mut keep = |read: ReadFeature, skips: &mut SkipLog| {
        for (field, message) in read.warnings {
            skips.warn(feature_place(read.feature.index, &field), message);
        }
        if read.located {
            features.push(read.feature);
        } else {
            unlocated.push(read.feature);
        }
    };
    match top.kind.as_deref() {
        Some("FeatureCollection") => {
            let raw_features = top.features.ok_or_else(|| {
                document_error("a FeatureCollection needs a \"features\" array".into())
            })?;
            for (index, raw) in raw_features.into_iter().enumerate() {
                match read_feature(index, raw.get(), crs) {
                    Ok(read) => keep(read, &mut skips),
                    Err(problem) => {
                        let place = problem.place(index);
                        let reason = match problem.json_error {
                            Some((line, column)) if skips.listed.len() < MAX_LISTED_SKIPS => {
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
        Some("Feature") => match read_feature(0, text, crs) {
            Ok(read) => keep(read, &mut skips),
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
            let mut reader = GeometryReader::new(crs);
            match reader.read(&value, "geometry") {
                Ok(geometry) => keep(
                    ReadFeature {
                        feature: OverlayFeature {
                            index: 0,
                            id: None,
                            geometry,
                            properties: Map::new(),
                        },
                        located: true,
                        warnings: reader.warnings,
                    },
                    &mut skips,
                ),
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
    if features.is_empty() && unlocated.is_empty() {
        return Err(skips.nothing_loaded(file, "feature"));
    }
    Ok((
        OverlayLayer {
            name,
            features,
            unlocated,
        },
        skips,
    ))
}

pub(crate) fn file_stem(file: &str) -> String {
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
        feature_place(index, &self.field)
    }
}

/// "feature 3, field geometry" or "feature 3".
fn feature_place(index: usize, field: &str) -> String {
    if field.is_empty() {
        format!("feature {index}")
    } else {
        format!("feature {index}, field {field}")
    }
}

/// A feature read, with or without a place, and what was tolerated in it (field, message).
struct ReadFeature {
    feature: OverlayFeature,
    located: bool,
    warnings: Vec<(String, String)>,
}

fn read_feature(
    index: usize,
    raw: &str,
    crs: Option<&Reprojection>,
) -> Result<ReadFeature, FeatureProblem> {
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
    let mut reader = GeometryReader::new(crs);
    let id = match object.get("id") {
        None => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        Some(Value::Bool(id)) => {
            let message = rules::id_problem("a boolean", Some(*id));
            reader.warnings.push(("id".into(), message));
            Some(id.to_string())
        }
        Some(other) => {
            let message = rules::id_problem(kind_of(other), None);
            reader.warnings.push(("id".into(), message));
            None
        }
    };
    reader.check_bbox(object.get("bbox"), "bbox");
    let (geometry, located) = match object.get("geometry") {
        None => {
            return Err(FeatureProblem::new(
                "geometry",
                "is missing; a feature needs a geometry to be drawn".into(),
            ));
        }
        // RFC 7946 §3.2: an unlocated feature. Kept, listed, not drawn.
        Some(Value::Null) => (
            Geometry::GeometryCollection(geo::GeometryCollection(Vec::new())),
            false,
        ),
        Some(geometry) => (
            reader
                .read(geometry, "geometry")
                .map_err(|(field, reason)| FeatureProblem::new(&field, reason))?,
            true,
        ),
    };
    Ok(ReadFeature {
        feature: OverlayFeature {
            index,
            id,
            geometry,
            properties,
        },
        located,
        warnings: reader.warnings,
    })
}
