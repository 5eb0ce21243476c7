//! KML geometries as `geo` geometries: Point, LineString, LinearRing (a closed line), Polygon
//! with holes, MultiGeometry (nested, to a limit), gx:Track and gx:MultiTrack (as lines).
//! Altitudes are dropped.

use super::super::overlay::MAX_COLLECTION_DEPTH;
use crate::formats::event_schema::checked_lon_lat;
use crate::formats::xml_tree::Element;
use geo::{Coord, Geometry, LineString, Polygon};

/// What is wrong, and the element it is in (for its line and column).
pub(super) struct GeometryProblem<'e> {
    pub element: &'e Element,
    pub reason: String,
}

/// A geometry and what had to be tolerated to read it.
pub(super) struct Read {
    pub geometry: Geometry<f64>,
    /// Rings whose first and last positions differed (closed on reading).
    pub unclosed_rings: usize,
}

/// The geometry elements a placemark may hold.
pub(super) const GEOMETRY_ELEMENTS: [&str; 7] = [
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
    "Track",
    "MultiTrack",
];

type Result<'e, T> = std::result::Result<T, GeometryProblem<'e>>;

fn problem<T>(element: &Element, reason: String) -> Result<'_, T> {
    Err(GeometryProblem { element, reason })
}

/// Reads a geometry element (one of [`GEOMETRY_ELEMENTS`]).
pub(super) fn read_geometry<'e>(element: &'e Element, depth: usize) -> Result<'e, Read> {
    let mut unclosed_rings = 0;
    let geometry = match element.name.as_str() {
        "Point" => {
            let coords = coordinates(element, 1)?;
            match coords.first() {
                Some(coord) => Geometry::Point((*coord).into()),
                None => return problem(element, "a Point has no coordinates".into()),
            }
        }
        "LineString" | "LinearRing" => {
            Geometry::LineString(LineString::new(coordinates(element, 2)?))
        }
        "Polygon" => {
            let Some(outer) = element
                .child("outerBoundaryIs")
                .and_then(|boundary| boundary.child("LinearRing"))
            else {
                return problem(
                    element,
                    "a Polygon has no outerBoundaryIs/LinearRing".into(),
                );
            };
            let exterior = ring(outer, &mut unclosed_rings)?;
            let mut holes = Vec::new();
            for boundary in element.children_named("innerBoundaryIs") {
                for inner in boundary.children_named("LinearRing") {
                    holes.push(ring(inner, &mut unclosed_rings)?);
                }
            }
            Geometry::Polygon(Polygon::new(exterior, holes))
        }
        "MultiGeometry" | "MultiTrack" => {
            if depth >= MAX_COLLECTION_DEPTH {
                return problem(
                    element,
                    format!("MultiGeometry is nested deeper than {MAX_COLLECTION_DEPTH}"),
                );
            }
            let mut members = Vec::new();
            for child in &element.children {
                if GEOMETRY_ELEMENTS.contains(&child.name.as_str()) {
                    let read = read_geometry(child, depth + 1)?;
                    unclosed_rings += read.unclosed_rings;
                    members.push(read.geometry);
                }
            }
            if members.is_empty() {
                return problem(element, format!("a {} holds no geometry", element.name));
            }
            Geometry::GeometryCollection(geo::GeometryCollection(members))
        }
        "Track" => {
            let mut coords = Vec::new();
            for (index, coord) in element.children_named("coord").enumerate() {
                let numbers: Vec<&str> = coord.text.split_whitespace().collect();
                let (Some(lon), Some(lat)) = (numbers.first(), numbers.get(1)) else {
                    return problem(
                        coord,
                        format!(
                            "gx:coord {index} ({:?}) is not \"longitude latitude altitude\"",
                            coord.text.trim()
                        ),
                    );
                };
                coords.push(position(coord, lon, lat)?);
            }
            match coords.as_slice() {
                [] => return problem(element, "a gx:Track has no gx:coord".into()),
                [only] => Geometry::Point((*only).into()),
                _ => Geometry::LineString(LineString::new(coords)),
            }
        }
        other => return problem(element, format!("<{other}> is not a KML geometry")),
    };
    Ok(Read {
        geometry,
        unclosed_rings,
    })
}

/// A LinearRing of a Polygon: at least 3 distinct positions; closed when it is not.
fn ring<'e>(element: &'e Element, unclosed: &mut usize) -> Result<'e, LineString<f64>> {
    let mut coords = coordinates(element, 3)?;
    if coords.first() != coords.last() {
        *unclosed += 1;
        if let Some(first) = coords.first().copied() {
            coords.push(first);
        }
    }
    if coords.len() < 4 {
        return problem(
            element,
            format!(
                "a LinearRing has {} positions, at least 4 are needed (a closed triangle)",
                coords.len()
            ),
        );
    }
    Ok(LineString::new(coords))
}

/// The `coordinates` of an element: tuples `lon,lat[,alt]` separated by white space (white
/// space after a comma is tolerated, as Google Earth does); at least `minimum` of them.
fn coordinates(element: &Element, minimum: usize) -> Result<'_, Vec<Coord<f64>>> {
    let Some(holder) = element.child("coordinates") else {
        return problem(element, format!("a {} has no <coordinates>", element.name));
    };
    let mut coords = Vec::new();
    for (index, tuple) in tuples(&holder.text).enumerate() {
        let mut numbers = tuple.split(',');
        let (Some(lon), Some(lat)) = (numbers.next(), numbers.next()) else {
            return problem(
                holder,
                format!("tuple {index} ({tuple:?}) is not longitude,latitude[,altitude]"),
            );
        };
        coords.push(position(holder, lon, lat)?);
    }
    if coords.len() < minimum {
        return problem(
            holder,
            format!(
                "a {} has {} positions, at least {minimum} are needed",
                element.name,
                coords.len()
            ),
        );
    }
    Ok(coords)
}

/// The tuples of a `coordinates` text, with white space around commas removed.
fn tuples(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut joined = String::with_capacity(text.len());
    let mut pending_space = false;
    for character in text.chars() {
        if character.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && character != ',' && !joined.is_empty() && !joined.ends_with(',') {
            joined.push(' ');
        }
        pending_space = false;
        joined.push(character);
    }
    joined
        .split(' ')
        .filter(|tuple| !tuple.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

fn position<'e>(element: &'e Element, lon: &str, lat: &str) -> Result<'e, Coord<f64>> {
    let number = |text: &str, name: &str| {
        text.trim().parse::<f64>().map_err(|_| GeometryProblem {
            element,
            reason: format!("{name} {text:?} is not a number"),
        })
    };
    checked_coord(number(lon, "longitude")?, number(lat, "latitude")?)
        .map_err(|reason| GeometryProblem { element, reason })
}

/// A longitude and latitude as a coordinate, when they are finite and in range.
pub(crate) fn checked_coord(lon: f64, lat: f64) -> std::result::Result<Coord<f64>, String> {
    let point = checked_lon_lat(lon, lat)?;
    Ok(Coord {
        x: point.lon,
        y: point.lat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_tolerate_spaces_after_commas() {
        let all: Vec<String> = tuples(" 1,2,3\n\t4, 5 ,6  7,8 ").collect();
        assert_eq!(all, ["1,2,3", "4,5,6", "7,8"]);
    }
}
