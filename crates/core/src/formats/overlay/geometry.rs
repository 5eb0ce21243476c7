//! GeoJSON geometries (any of the seven types, nested collections to a limit) as `geo`
//! geometries, with the JSON path of the first value that does not fit.

use super::{MAX_COLLECTION_DEPTH, kind_of};
use crate::formats::event_schema::checked_lon_lat;
use geo::{Coord, Geometry, LineString, Polygon};
use serde_json::Value;

pub(super) type GeometryProblem = (String, String);

/// Converts a GeoJSON geometry object; errors name the JSON path within the feature.
pub(super) fn geometry_from_json(
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
