//! GeoPackage geometry blobs: the `GP` header (version, flags, SRS id, envelope) and the
//! well-known binary after it, in either byte order, of every type the GeoPackage spec allows:
//! the seven simple types, their Z, M and ZM forms (ISO codes 1001…3007, or the high-bit flags
//! of extended WKB), and the curve types (circular strings, compound curves, curve polygons,
//! multi-curves and multi-surfaces, drawn as their linearisation), polyhedral surfaces, TINs
//! and triangles (as polygons). Z and M are passed over. An empty geometry reads as `None`.

use crate::formats::layers::Positions;
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};

/// Nesting deeper than this is refused (collections of collections…).
const MAX_DEPTH: usize = 8;

/// Reads a GeoPackage geometry blob; `Ok(None)` for an empty geometry.
pub(crate) fn read_gpkg_geometry(
    blob: &[u8],
    positions: &Positions<'_>,
) -> Result<Option<Geometry<f64>>, String> {
    if !blob.starts_with(b"GP") || blob.len() < 8 {
        return Err("is not a GeoPackage geometry (it does not start with \"GP\")".into());
    }
    let flags = blob[3];
    let envelope_bytes = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(format!("has the envelope code {other}, not one of 0 to 4")),
    };
    let wkb = blob
        .get(8 + envelope_bytes..)
        .ok_or("ends inside its header's envelope")?;
    if flags & 0b1_0000 != 0 && wkb.is_empty() {
        return Ok(None);
    }
    let mut reader = Wkb {
        bytes: wkb,
        at: 0,
        positions,
    };
    reader.geometry(0)
}

struct Wkb<'b, 'p> {
    bytes: &'b [u8],
    at: usize,
    positions: &'p Positions<'p>,
}

struct Kind {
    base: u32,
    dimensions: usize,
    little_endian: bool,
}

impl Wkb<'_, '_> {
    fn take<const N: usize>(&mut self, little_endian: bool) -> Result<[u8; N], String> {
        let bytes: [u8; N] = self
            .bytes
            .get(self.at..self.at + N)
            .and_then(|slice| slice.try_into().ok())
            .ok_or_else(|| format!("the geometry ends at byte {} before its end", self.at))?;
        self.at += N;
        Ok(if little_endian {
            bytes
        } else {
            let mut reversed = bytes;
            reversed.reverse();
            reversed
        })
    }

    fn u32(&mut self, little_endian: bool) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take::<4>(little_endian)?))
    }

    fn f64(&mut self, little_endian: bool) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.take::<8>(little_endian)?))
    }

    fn kind(&mut self) -> Result<Kind, String> {
        let order = self.take::<1>(true)?[0];
        let little_endian = match order {
            0 => false,
            1 => true,
            other => {
                return Err(format!(
                    "byte order {other} at byte {}, not 0 or 1",
                    self.at - 1
                ));
            }
        };
        let code = self.u32(little_endian)?;
        let (z, m) = (code & 0x8000_0000 != 0, code & 0x4000_0000 != 0);
        if code & 0x2000_0000 != 0 {
            self.u32(little_endian)?; // an extended WKB SRID
        }
        let code = code & 0x0FFF_FFFF;
        let (base, iso) = (code % 1000, code / 1000);
        let dimensions = 2 + usize::from(z || iso == 1 || iso == 3) + usize::from(m || iso >= 2);
        Ok(Kind {
            base,
            dimensions,
            little_endian,
        })
    }

    fn count(&mut self, little_endian: bool, each: usize) -> Result<usize, String> {
        let count = self.u32(little_endian)? as usize;
        if count.saturating_mul(each) > self.bytes.len().saturating_sub(self.at) {
            return Err(format!(
                "claims {count} parts or points, more than the {} bytes left hold",
                self.bytes.len().saturating_sub(self.at)
            ));
        }
        Ok(count)
    }

    /// A position; `None` for the NaN coordinates of an empty point.
    fn coord(&mut self, kind: &Kind) -> Result<Option<Coord<f64>>, String> {
        let x = self.f64(kind.little_endian)?;
        let y = self.f64(kind.little_endian)?;
        for _ in 2..kind.dimensions {
            self.f64(kind.little_endian)?;
        }
        if x.is_nan() && y.is_nan() {
            return Ok(None);
        }
        self.positions.coord(x, y).map(Some)
    }

    fn points(&mut self, kind: &Kind) -> Result<Vec<Coord<f64>>, String> {
        let count = self.count(kind.little_endian, kind.dimensions * 8)?;
        let mut coords = Vec::with_capacity(count);
        for _ in 0..count {
            if let Some(coord) = self.coord(kind)? {
                coords.push(coord);
            }
        }
        Ok(coords)
    }

    /// The parts of a multi-geometry or collection, each a whole geometry of its own.
    fn parts(&mut self, kind: &Kind, depth: usize) -> Result<Vec<Geometry<f64>>, String> {
        let count = self.count(kind.little_endian, 5)?;
        let mut parts = Vec::with_capacity(count);
        for _ in 0..count {
            if let Some(part) = self.geometry(depth + 1)? {
                parts.push(part);
            }
        }
        Ok(parts)
    }

    /// A curve (line, circular string or compound curve) as a line.
    fn curve(&mut self, depth: usize) -> Result<LineString<f64>, String> {
        match self.geometry(depth + 1)? {
            Some(Geometry::LineString(line)) => Ok(line),
            None => Ok(LineString(Vec::new())),
            Some(_) => {
                Err("a curve polygon's ring or a compound curve's part is not a curve".into())
            }
        }
    }

    fn geometry(&mut self, depth: usize) -> Result<Option<Geometry<f64>>, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} deep"));
        }
        let kind = self.kind()?;
        let geometry = match kind.base {
            1 => self
                .coord(&kind)?
                .map(|coord| Geometry::Point(Point(coord))),
            2 => Some(Geometry::LineString(LineString(self.points(&kind)?))),
            3 | 17 => {
                let count = self.count(kind.little_endian, 4)?;
                let rings = (0..count)
                    .map(|_| self.points(&kind).map(LineString))
                    .collect::<Result<Vec<_>, _>>()?;
                polygon_of(rings).map(Geometry::Polygon)
            }
            8 => Some(Geometry::LineString(LineString(linearise(
                &self.points(&kind)?,
            )))),
            9 => {
                let count = self.count(kind.little_endian, 5)?;
                let mut coords: Vec<Coord<f64>> = Vec::new();
                for _ in 0..count {
                    let part = self.curve(depth)?;
                    let skip =
                        usize::from(coords.last().is_some() && coords.last() == part.0.first());
                    coords.extend(part.0.into_iter().skip(skip));
                }
                Some(Geometry::LineString(LineString(coords)))
            }
            10 => {
                let count = self.count(kind.little_endian, 5)?;
                let rings = (0..count)
                    .map(|_| self.curve(depth))
                    .collect::<Result<Vec<_>, _>>()?;
                polygon_of(rings).map(Geometry::Polygon)
            }
            4 => Some(Geometry::MultiPoint(MultiPoint(
                self.parts(&kind, depth)?
                    .into_iter()
                    .filter_map(|part| match part {
                        Geometry::Point(point) => Some(point),
                        _ => None,
                    })
                    .collect(),
            ))),
            5 | 11 => Some(Geometry::MultiLineString(MultiLineString(
                self.parts(&kind, depth)?
                    .into_iter()
                    .filter_map(|part| match part {
                        Geometry::LineString(line) => Some(line),
                        _ => None,
                    })
                    .collect(),
            ))),
            6 | 12 | 15 | 16 => Some(Geometry::MultiPolygon(MultiPolygon(
                self.parts(&kind, depth)?
                    .into_iter()
                    .flat_map(|part| match part {
                        Geometry::Polygon(polygon) => vec![polygon],
                        Geometry::MultiPolygon(many) => many.0,
                        _ => Vec::new(),
                    })
                    .collect(),
            ))),
            7 => Some(Geometry::GeometryCollection(GeometryCollection(
                self.parts(&kind, depth)?,
            ))),
            other => {
                return Err(format!(
                    "geometry type {other} is not a WKB type GeoPackage allows (1 to 17)"
                ));
            }
        };
        Ok(geometry.filter(|geometry| !is_empty(geometry)))
    }
}

fn polygon_of(mut rings: Vec<LineString<f64>>) -> Option<Polygon<f64>> {
    rings.retain(|ring| !ring.0.is_empty());
    if rings.is_empty() {
        return None;
    }
    let exterior = rings.remove(0);
    Some(Polygon::new(exterior, rings))
}

fn is_empty(geometry: &Geometry<f64>) -> bool {
    use geo::CoordsIter as _;
    geometry.coords_iter().next().is_none()
}

/// A circular string as a line: each arc through three points cut into pieces of at most 2°.
pub(crate) fn linearise(points: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let mut line = points.first().copied().into_iter().collect::<Vec<_>>();
    for arc in points.windows(3).step_by(2) {
        let (a, b, c) = (arc[0], arc[1], arc[2]);
        let d = 2.0 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y));
        if d.abs() < 1e-12 {
            line.extend([b, c]);
            continue;
        }
        let square = |p: Coord<f64>| p.x * p.x + p.y * p.y;
        let center = Coord {
            x: (square(a) * (b.y - c.y) + square(b) * (c.y - a.y) + square(c) * (a.y - b.y)) / d,
            y: (square(a) * (c.x - b.x) + square(b) * (a.x - c.x) + square(c) * (b.x - a.x)) / d,
        };
        let radius = ((a.x - center.x).powi(2) + (a.y - center.y).powi(2)).sqrt();
        let angle = |p: Coord<f64>| (p.y - center.y).atan2(p.x - center.x);
        let tau = std::f64::consts::TAU;
        let (start, middle, end) = (angle(a), angle(b), angle(c));
        // Counter-clockwise when the middle point lies on the way from start to end that way.
        let ccw_span = (end - start).rem_euclid(tau);
        let counter_clockwise = (middle - start).rem_euclid(tau) < ccw_span;
        let sweep = if counter_clockwise {
            ccw_span
        } else {
            ccw_span - tau
        };
        let steps = ((sweep.abs() / 2_f64.to_radians()).ceil() as usize).clamp(2, 720);
        for step in 1..steps {
            let theta = start + sweep * step as f64 / steps as f64;
            line.push(Coord {
                x: center.x + radius * theta.cos(),
                y: center.y + radius * theta.sin(),
            });
        }
        line.push(c);
    }
    line
}
