//! GeoJSON geometries (any of the seven types, nested collections to a limit) as `geo`
//! geometries, with the JSON path of the first value that does not fit.
//!
//! A [`GeometryReader`] carries what one feature's geometry is read with: the file's old-spec
//! `crs` (positions are reprojected before they are checked), and what was tolerated on the
//! way (a position's non-numeric extra member, an unclosed ring, a bbox of the wrong length,
//! longitudes unwrapped past ±180), said once per feature and rule.

use super::antimeridian;
use super::{MAX_COLLECTION_DEPTH, kind_of};
use crate::formats::crs::Reprojection;
use crate::formats::event_schema::checked_lon_lat;
use crate::formats::rules;
use geo::{Coord, Geometry, LineString, Polygon};
use serde_json::Value;

pub(super) type GeometryProblem = (String, String);

/// Reads one feature's geometry; see the module comment.
pub(super) struct GeometryReader<'c> {
    crs: Option<&'c Reprojection>,
    /// Longitudes past ±180 are kept for now (the geometry is normalised once read); false for
    /// a lone Point, where nothing shows that a longitude of 200 was unwrapped rather than
    /// mistyped.
    unwrapping: bool,
    /// A longitude past ±180 was read (and kept, for [`antimeridian::normalise`]).
    saw_unwrapped: bool,
    /// The smallest and largest longitude read.
    min_lon: f64,
    max_lon: f64,
    /// What was tolerated: (field, message), at most one per rule.
    pub(super) warnings: Vec<(String, String)>,
    warned: [bool; 3],
}

const RULE_POSITION_EXTRA: usize = 0;
const RULE_UNCLOSED_RING: usize = 1;
const RULE_BBOX: usize = 2;

impl<'c> GeometryReader<'c> {
    pub(super) fn new(crs: Option<&'c Reprojection>) -> Self {
        Self {
            crs,
            unwrapping: false,
            saw_unwrapped: false,
            min_lon: f64::INFINITY,
            max_lon: f64::NEG_INFINITY,
            warnings: Vec::new(),
            warned: [false; 3],
        }
    }

    fn warn(&mut self, rule: usize, field: &str, message: String) {
        if let Some(warned) = self.warned.get_mut(rule)
            && !*warned
        {
            *warned = true;
            self.warnings.push((field.to_owned(), message));
        }
    }

    /// Checks a `bbox` member (of a feature, a geometry or the collection): RFC 7946 §5 wants
    /// 2 × n numbers (4 or 6). A wrong one is ignored, with a warning; the map computes its own.
    pub(super) fn check_bbox(&mut self, bbox: Option<&Value>, field: &str) {
        if let Some(message) = bbox.and_then(rules::bbox_value_problem) {
            self.warn(RULE_BBOX, field, message);
        }
    }

    /// Converts a feature's geometry object; errors name the JSON path within the feature.
    /// Longitudes unwrapped past ±180 are normalised and the geometry cut at the antimeridian.
    pub(super) fn read(
        &mut self,
        value: &Value,
        path: &str,
    ) -> Result<Geometry<f64>, GeometryProblem> {
        self.unwrapping = value.get("type").and_then(Value::as_str) != Some("Point");
        let geometry = self.geometry(value, path, 0)?;
        if !self.saw_unwrapped {
            return Ok(geometry);
        }
        let (min, max) = (self.min_lon, self.max_lon);
        if max - min >= 360.0 {
            return Err((
                path.to_owned(),
                format!(
                    "longitudes run from {min} to {max}: past ±180 and a full turn or more \
                     apart, so this is not one shape with unwrapped longitudes"
                ),
            ));
        }
        self.warnings.push((
            path.to_owned(),
            format!(
                "RFC 7946 §3.1.9: longitudes run past ±180 ({min}..{max}, unwrapped across the \
                 antimeridian); normalised into -180..180 and cut at the antimeridian"
            ),
        ));
        Ok(antimeridian::normalise(geometry))
    }

    fn geometry(
        &mut self,
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
        self.check_bbox(object.get("bbox"), &format!("{path}.bbox"));
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
                    self.geometry(member, &format!("{path}[{index}]"), depth + 1)
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
            "Point" => Geometry::Point(self.position(coordinates, &path)?.into()),
            "MultiPoint" => Geometry::MultiPoint(geo::MultiPoint(
                array(coordinates, &path)?
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.position(item, &format!("{path}[{index}]"))
                            .map(Into::into)
                    })
                    .collect::<Result<_, _>>()?,
            )),
            "LineString" => Geometry::LineString(self.line(coordinates, &path, 2)?),
            "MultiLineString" => Geometry::MultiLineString(geo::MultiLineString(
                array(coordinates, &path)?
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.line(item, &format!("{path}[{index}]"), 2))
                    .collect::<Result<_, _>>()?,
            )),
            "Polygon" => Geometry::Polygon(self.polygon(coordinates, &path)?),
            "MultiPolygon" => Geometry::MultiPolygon(geo::MultiPolygon(
                array(coordinates, &path)?
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.polygon(item, &format!("{path}[{index}]")))
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

    /// A position `[lon, lat]` or `[lon, lat, height]`; the height is dropped. Reprojected from
    /// the file's crs first, if it has one.
    fn position(&mut self, value: &Value, path: &str) -> Result<Coord<f64>, GeometryProblem> {
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
        let (mut lon, mut lat) = (number(lon, "longitude")?, number(lat, "latitude")?);
        if let Some((index, extra)) = items
            .iter()
            .enumerate()
            .skip(2)
            .find(|(_, item)| !item.is_number())
        {
            self.warn(
                RULE_POSITION_EXTRA,
                path,
                rules::position_extra_problem(index, kind_of(extra)),
            );
        }
        if let Some(crs) = self.crs {
            (lon, lat) = crs
                .to_wgs84(lon, lat)
                .map_err(|reason| (path.to_owned(), reason))?;
        }
        // One turn past ±180 is an unwrapped longitude (140..220 across the Pacific); it is
        // checked as its normalised value, so that a bad latitude is still named as one, and
        // kept as it is until the whole geometry is read. 500 is refused as ever.
        let unwrapped =
            self.unwrapping && lon.is_finite() && lon.abs() > 180.0 && lon.abs() <= 360.0;
        let checked_lon = if unwrapped {
            lon - 360.0 * lon.signum()
        } else {
            lon
        };
        let point =
            checked_lon_lat(checked_lon, lat).map_err(|reason| (path.to_owned(), reason))?;
        self.saw_unwrapped |= unwrapped;
        self.min_lon = self.min_lon.min(lon);
        self.max_lon = self.max_lon.max(lon);
        Ok(Coord {
            x: lon,
            y: point.lat,
        })
    }

    fn line(
        &mut self,
        value: &Value,
        path: &str,
        minimum: usize,
    ) -> Result<LineString<f64>, GeometryProblem> {
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
            .map(|(index, item)| self.position(item, &format!("{path}[{index}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new)
    }

    /// A polygon: an outer ring, then holes. Each ring needs 4 positions (a closed triangle); an
    /// unclosed ring is closed, with a warning.
    fn polygon(&mut self, value: &Value, path: &str) -> Result<Polygon<f64>, GeometryProblem> {
        let rings = array(value, path)?;
        let mut read = Vec::with_capacity(rings.len());
        for (index, ring) in rings.iter().enumerate() {
            let field = format!("{path}[{index}]");
            let ring = self.line(ring, &field, 4)?;
            if ring.0.first() != ring.0.last() {
                self.warn(
                    RULE_UNCLOSED_RING,
                    &field,
                    "RFC 7946 §3.1.6: the ring is not closed (its last position is not its \
                     first); closed it"
                        .into(),
                );
            }
            read.push(ring);
        }
        let mut rings = read.into_iter();
        let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
        Ok(Polygon::new(exterior, rings.collect()))
    }
}

fn array<'v>(value: &'v Value, path: &str) -> Result<&'v Vec<Value>, GeometryProblem> {
    value.as_array().ok_or_else(|| {
        (
            path.to_owned(),
            format!("is {}, expected an array", kind_of(value)),
        )
    })
}
