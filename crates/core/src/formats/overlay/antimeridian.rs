//! Geometries whose longitudes were "unwrapped" past ±180 (a Pacific polygon written as
//! 140..220) brought back into -180..180 so that they draw right on the map.
//!
//! The choice: cut at the antimeridian, as RFC 7946 §3.1.9 asks writers to do, rather than keep
//! the geometry continuous in an unwrapped frame. Everything downstream (bounds, hit tests,
//! clustering, the map's projection) works in -180..180; a cut geometry is valid there as it
//! is, and on a Web-Mercator map its pieces meet at the edge of the world. A geometry that lies
//! wholly past ±180 (190..200) is only shifted by a turn. Polygons are cut with `geo`'s boolean
//! intersection against the three bands [-540, -180], [-180, 180] and [180, 540] (the reader
//! allows at most one turn past ±180, and less than a turn between the extremes, so at most two
//! bands are touched); each piece is shifted into -180..180. Lines are cut where a segment
//! crosses ±180, the latitude interpolated linearly in longitude (the map draws straight
//! segments in Web Mercator, where that is the line drawn).

use geo::{
    BooleanOps as _, BoundingRect as _, Coord, Geometry, LineString, MultiLineString, MultiPolygon,
    Polygon, Rect, Translate as _,
};

/// The band a longitude lies in: -1 below -180, 0 within -180..180, 1 above 180.
fn band(lon: f64) -> i32 {
    if lon > 180.0 {
        1
    } else if lon < -180.0 {
        -1
    } else {
        0
    }
}

fn shift(band: i32) -> f64 {
    -360.0 * f64::from(band)
}

/// The geometry with every longitude in -180..180, cut at the antimeridian where it crosses it.
pub(super) fn normalise(geometry: Geometry<f64>) -> Geometry<f64> {
    match geometry {
        Geometry::Point(point) => Geometry::Point(point.translate(shift(band(point.x())), 0.0)),
        Geometry::MultiPoint(points) => Geometry::MultiPoint(
            points
                .into_iter()
                .map(|point| point.translate(shift(band(point.x())), 0.0))
                .collect(),
        ),
        Geometry::LineString(line) => {
            let mut pieces = cut_line(&line);
            if pieces.len() == 1
                && let Some(piece) = pieces.pop()
            {
                Geometry::LineString(piece)
            } else {
                Geometry::MultiLineString(MultiLineString(pieces))
            }
        }
        Geometry::MultiLineString(lines) => {
            Geometry::MultiLineString(MultiLineString(lines.iter().flat_map(cut_line).collect()))
        }
        Geometry::Polygon(polygon) => {
            let mut pieces = cut_polygon(polygon);
            if pieces.len() == 1
                && let Some(piece) = pieces.pop()
            {
                Geometry::Polygon(piece)
            } else {
                Geometry::MultiPolygon(MultiPolygon(pieces))
            }
        }
        Geometry::MultiPolygon(polygons) => Geometry::MultiPolygon(MultiPolygon(
            polygons.into_iter().flat_map(cut_polygon).collect(),
        )),
        Geometry::GeometryCollection(members) => {
            Geometry::GeometryCollection(members.into_iter().map(normalise).collect())
        }
        other => other,
    }
}

/// A line cut where it crosses ±180, each piece shifted into -180..180.
fn cut_line(line: &LineString<f64>) -> Vec<LineString<f64>> {
    let mut pieces = Vec::new();
    let mut current: Vec<Coord<f64>> = Vec::new();
    let mut previous: Option<Coord<f64>> = None;
    for &coord in &line.0 {
        if let Some(from) = previous {
            let (from_band, to_band) = (band(from.x), band(coord.x));
            if from_band != to_band {
                // The bands touch at one of ±180; the crossing is where the segment meets it.
                let edge = if from_band.max(to_band) == 1 {
                    180.0
                } else {
                    -180.0
                };
                let t = (edge - from.x) / (coord.x - from.x);
                let lat = from.y + t * (coord.y - from.y);
                current.push(Coord {
                    x: edge + shift(from_band),
                    y: lat,
                });
                pieces.push(LineString::new(std::mem::take(&mut current)));
                current.push(Coord {
                    x: edge + shift(to_band),
                    y: lat,
                });
            }
        }
        current.push(Coord {
            x: coord.x + shift(band(coord.x)),
            y: coord.y,
        });
        previous = Some(coord);
    }
    pieces.push(LineString::new(current));
    pieces.retain(|piece| piece.0.len() >= 2);
    pieces
}

/// A polygon cut at ±180, each piece shifted into -180..180.
fn cut_polygon(polygon: Polygon<f64>) -> Vec<Polygon<f64>> {
    let Some(rect) = polygon.bounding_rect() else {
        return vec![polygon];
    };
    let (low, high) = (band(rect.min().x), band(rect.max().x));
    if low == high {
        return vec![polygon.translate(shift(low), 0.0)];
    }
    let mut pieces = Vec::new();
    for piece_band in low..=high {
        let west = 360.0 * f64::from(piece_band) - 180.0;
        let clip = Rect::new(
            Coord { x: west, y: -90.0 },
            Coord {
                x: west + 360.0,
                y: 90.0,
            },
        )
        .to_polygon();
        let part = polygon.intersection(&clip);
        pieces.extend(
            part.0
                .into_iter()
                .map(|piece| piece.translate(shift(piece_band), 0.0)),
        );
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area as _, CoordsIter as _};

    fn line(points: &[(f64, f64)]) -> LineString<f64> {
        LineString::from(points.to_vec())
    }

    fn poly(points: &[(f64, f64)]) -> Polygon<f64> {
        Polygon::new(line(points), Vec::new())
    }

    fn in_range(geometry: &Geometry<f64>) -> bool {
        geometry
            .coords_iter()
            .all(|coord| (-180.0..=180.0).contains(&coord.x))
    }

    #[test]
    fn a_pacific_polygon_is_cut_into_two_pieces_of_the_same_area() {
        let polygon = poly(&[
            (170.0, -10.0),
            (190.0, -10.0),
            (190.0, 10.0),
            (170.0, 10.0),
            (170.0, -10.0),
        ]);
        let area = polygon.unsigned_area();
        let cut = normalise(Geometry::Polygon(polygon));
        assert!(in_range(&cut));
        let Geometry::MultiPolygon(pieces) = &cut else {
            panic!("{cut:?}")
        };
        assert_eq!(pieces.0.len(), 2);
        assert!((cut.unsigned_area() - area).abs() < 1e-9);
        let east = pieces.0.iter().find(|p| p.exterior().0[0].x > 0.0);
        let west = pieces.0.iter().find(|p| p.exterior().0[0].x < 0.0);
        let (Some(east), Some(west)) = (east, west) else {
            panic!("{pieces:?}")
        };
        let (east, west) = (east.bounding_rect(), west.bounding_rect());
        let (Some(east), Some(west)) = (east, west) else {
            panic!()
        };
        assert_eq!((east.min().x, east.max().x), (170.0, 180.0));
        assert_eq!((west.min().x, west.max().x), (-180.0, -170.0));
    }

    #[test]
    fn lines_are_cut_where_they_cross_and_whole_shapes_past_180_are_shifted() {
        let crossing = line(&[(170.0, 0.0), (190.0, 10.0)]);
        let cut = normalise(Geometry::LineString(crossing));
        let Geometry::MultiLineString(pieces) = cut else {
            panic!()
        };
        assert_eq!(
            pieces.0,
            [
                line(&[(170.0, 0.0), (180.0, 5.0)]),
                line(&[(-180.0, 5.0), (-170.0, 10.0)]),
            ]
        );
        let west = line(&[(-175.0, 0.0), (-185.0, 2.0)]);
        let Geometry::MultiLineString(pieces) = normalise(Geometry::LineString(west)) else {
            panic!()
        };
        assert_eq!(pieces.0[1].0[0], Coord { x: 180.0, y: 1.0 });
        let far = poly(&[(190.0, 0.0), (200.0, 0.0), (200.0, 5.0), (190.0, 0.0)]);
        assert_eq!(
            normalise(Geometry::Polygon(far)),
            Geometry::Polygon(poly(&[
                (-170.0, 0.0),
                (-160.0, 0.0),
                (-160.0, 5.0),
                (-170.0, 0.0)
            ]))
        );
    }
}
