//! The `.shp` (geometry) and `.shx` (index) files: a 100-byte header, then records of one shape
//! each. Every shape type is read (point, multipoint, polyline, polygon, their Z and M forms and
//! the multipatch), drawn in 2-D: Z and M values are passed over. Polygon rings are clockwise
//! for an outer ring and counter-clockwise for a hole; each hole goes to the smallest outer ring
//! that contains it (a hole inside none becomes an outer ring, as GDAL does).

use crate::formats::layers::Positions;
use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

/// The first four bytes of a `.shp` or `.shx`: the file code 9994, big-endian.
pub const SHP_MAGIC: [u8; 4] = [0x00, 0x00, 0x27, 0x0A];
pub(super) const HEADER_BYTES: usize = 100;

/// The header's bounding box (x min, y min, x max, y max).
pub(super) struct ShpHeader {
    pub bounds: [f64; 4],
}

pub(super) fn read_header(shp: &[u8]) -> Result<ShpHeader, String> {
    if shp.len() < HEADER_BYTES || !shp.starts_with(&SHP_MAGIC) {
        return Err(format!(
            "not a shapefile: a .shp starts with the 100-byte header whose first bytes are 00 00 \
             27 0A; this file {}",
            if shp.len() < HEADER_BYTES {
                format!("has {} bytes", shp.len())
            } else {
                "starts otherwise".to_owned()
            }
        ));
    }
    let bounds = [36, 44, 52, 60].map(|at| f64_le(shp, at).unwrap_or(0.0));
    Ok(ShpHeader { bounds })
}

pub(super) fn i32_be(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

pub(super) fn i32_le(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

pub(super) fn f64_le(bytes: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// The byte ranges of the records' contents: from the `.shx` when given (its offsets, in 16-bit
/// words), else by walking the `.shp` record by record. The second value says where the walk or
/// the index stopped short (a truncated file), for a warning.
pub(super) fn record_ranges(
    shp: &[u8],
    shx: Option<&[u8]>,
) -> (Vec<std::ops::Range<usize>>, Option<String>) {
    let mut ranges = Vec::new();
    if let Some(shx) = shx {
        let count = shx.len().saturating_sub(HEADER_BYTES) / 8;
        for record in 0..count {
            let at = HEADER_BYTES + record * 8;
            let (Some(offset), Some(length)) = (i32_be(shx, at), i32_be(shx, at + 4)) else {
                break;
            };
            let start = usize::try_from(offset).unwrap_or(0) * 2 + 8;
            let end = start + usize::try_from(length).unwrap_or(0) * 2;
            if start < HEADER_BYTES + 8 || end > shp.len() {
                return (
                    ranges,
                    Some(format!(
                        "the .shx lists {count} records, but record {record} lies past the end \
                         of the .shp ({} bytes): the .shp is truncated; {record} records read",
                        shp.len()
                    )),
                );
            }
            ranges.push(start..end);
        }
        return (ranges, None);
    }
    let mut at = HEADER_BYTES;
    while at + 8 <= shp.len() {
        let length = i32_be(shp, at + 4).and_then(|words| usize::try_from(words).ok());
        let Some(end) = length
            .map(|words| at + 8 + words * 2)
            .filter(|end| *end <= shp.len())
        else {
            let record = ranges.len();
            return (
                ranges,
                Some(format!(
                    "record {record} at byte {at} runs past the end of the .shp ({} bytes): the \
                     file is truncated; {record} records read",
                    shp.len()
                )),
            );
        };
        ranges.push(at + 8..end);
        at = end;
    }
    let trailing = (at < shp.len()).then(|| {
        format!(
            "{} bytes at the end of the .shp are not a whole record: the file is truncated",
            shp.len() - at
        )
    });
    (ranges, trailing)
}

/// Reads one record's shape; `Ok(None)` for a NULL shape. The error names the part at fault.
pub(super) fn read_shape(
    content: &[u8],
    positions: &Positions<'_>,
) -> Result<Option<Geometry<f64>>, String> {
    let shape_type = i32_le(content, 0).ok_or("the record is shorter than its shape type")?;
    let point_at = |at: usize| -> Result<Coord<f64>, String> {
        match (f64_le(content, at), f64_le(content, at + 8)) {
            (Some(x), Some(y)) => positions.coord(x, y),
            _ => Err(format!(
                "the record ends before the point at byte {at} ({} bytes)",
                content.len()
            )),
        }
    };
    match shape_type {
        0 => Ok(None),
        1 | 11 | 21 => {
            // A point whose coordinates are the "no data" value is a NULL shape in practice.
            if f64_le(content, 4).is_some_and(|x| x < -1e38) {
                return Ok(None);
            }
            Ok(Some(Geometry::Point(Point(point_at(4)?))))
        }
        8 | 18 | 28 => {
            let count = count_at(content, 36, "number of points")?;
            let points = (0..count)
                .map(|index| point_at(40 + index * 16).map(Point))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some(Geometry::MultiPoint(MultiPoint(points))))
        }
        3 | 13 | 23 | 5 | 15 | 25 | 31 => {
            let parts = count_at(content, 36, "number of parts")?;
            let points = count_at(content, 40, "number of points")?;
            let part_starts = (0..parts)
                .map(|part| count_at(content, 44 + part * 4, "part start"))
                .collect::<Result<Vec<_>, _>>()?;
            // A multipatch has one part type per part before its points.
            let types_at = 44 + parts * 4;
            let points_at = if shape_type == 31 {
                types_at + parts * 4
            } else {
                types_at
            };
            let mut lines = Vec::with_capacity(parts);
            for (part, start) in part_starts.iter().enumerate() {
                let end = part_starts.get(part + 1).copied().unwrap_or(points);
                if *start > end || end > points {
                    return Err(format!(
                        "part {part} starts at point {start}, past its end {end} or the {points} \
                         points of the shape"
                    ));
                }
                let coords = (*start..end)
                    .map(|index| point_at(points_at + index * 16))
                    .collect::<Result<Vec<_>, _>>()?;
                lines.push(LineString(coords));
            }
            Ok(Some(match shape_type {
                3 | 13 | 23 => match <[LineString<f64>; 1]>::try_from(lines) {
                    Ok([line]) => Geometry::LineString(line),
                    Err(lines) => Geometry::MultiLineString(MultiLineString(lines)),
                },
                31 => {
                    let types = (0..parts)
                        .map(|part| i32_le(content, types_at + part * 4).unwrap_or(5))
                        .collect::<Vec<_>>();
                    multipatch(lines, &types)
                }
                _ => polygons_of_rings(lines),
            }))
        }
        other => Err(format!(
            "shape type {other} is not a shapefile shape type (0, 1, 3, 5, 8, 11, 13, 15, 18, 21, \
             23, 25, 28 or 31)"
        )),
    }
}

fn count_at(content: &[u8], at: usize, what: &str) -> Result<usize, String> {
    let value = i32_le(content, at).ok_or_else(|| format!("the record ends before its {what}"))?;
    let count = usize::try_from(value).map_err(|_| format!("the {what} is negative ({value})"))?;
    // Each counted thing takes at least four bytes of the record: a larger count is a lie.
    if count > content.len() / 4 {
        return Err(format!(
            "the {what} ({count}) is more than a record of {} bytes can hold",
            content.len()
        ));
    }
    Ok(count)
}

/// Twice the signed area of a ring: negative for a clockwise ring (y up).
fn signed_area(ring: &LineString<f64>) -> f64 {
    ring.0
        .windows(2)
        .map(|pair| pair[0].x * pair[1].y - pair[1].x * pair[0].y)
        .sum()
}

/// True when `point` lies inside `ring` (even-odd rule).
fn ring_contains(ring: &LineString<f64>, point: Coord<f64>) -> bool {
    let mut inside = false;
    for pair in ring.0.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if (a.y > point.y) != (b.y > point.y)
            && point.x < (b.x - a.x) * (point.y - a.y) / (b.y - a.y) + a.x
        {
            inside = !inside;
        }
    }
    inside
}

/// Polygons from a shapefile's rings: clockwise rings are outer, the others holes of the
/// smallest outer ring that contains them.
pub(super) fn polygons_of_rings(rings: Vec<LineString<f64>>) -> Geometry<f64> {
    let mut outers: Vec<(LineString<f64>, f64, Vec<LineString<f64>>)> = Vec::new();
    let mut holes = Vec::new();
    for mut ring in rings.into_iter().filter(|ring| !ring.0.is_empty()) {
        ring.close();
        let area = signed_area(&ring);
        if area <= 0.0 {
            outers.push((ring, area.abs(), Vec::new()));
        } else {
            holes.push(ring);
        }
    }
    for hole in holes {
        let first = hole.0[0];
        let container = outers
            .iter_mut()
            .filter(|(outer, ..)| ring_contains(outer, first))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match container {
            Some((_, _, inner)) => inner.push(hole),
            None => {
                let area = signed_area(&hole).abs();
                outers.push((hole, area, Vec::new()));
            }
        }
    }
    let mut polygons: Vec<Polygon<f64>> = outers
        .into_iter()
        .map(|(outer, _, inner)| Polygon::new(outer, inner))
        .collect();
    if polygons.len() == 1 {
        Geometry::Polygon(polygons.remove(0))
    } else {
        Geometry::MultiPolygon(MultiPolygon(polygons))
    }
}

/// A multipatch drawn in 2-D: its triangle strips and fans as triangles, its rings as polygons.
fn multipatch(parts: Vec<LineString<f64>>, types: &[i32]) -> Geometry<f64> {
    let mut triangles = Vec::new();
    let mut rings = Vec::new();
    for (part, line) in parts.into_iter().enumerate() {
        let points = &line.0;
        match types.get(part) {
            Some(0) => {
                for window in points.windows(3) {
                    triangles.push(triangle(window[0], window[1], window[2]));
                }
            }
            Some(1) => {
                if let Some((first, rest)) = points.split_first() {
                    for pair in rest.windows(2) {
                        triangles.push(triangle(*first, pair[0], pair[1]));
                    }
                }
            }
            _ => rings.push(line),
        }
    }
    let mut polygons = triangles;
    if !rings.is_empty() {
        match polygons_of_rings(rings) {
            Geometry::Polygon(polygon) => polygons.push(polygon),
            Geometry::MultiPolygon(many) => polygons.extend(many.0),
            _ => {}
        }
    }
    Geometry::MultiPolygon(MultiPolygon(polygons))
}

fn triangle(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> Polygon<f64> {
    Polygon::new(LineString(vec![a, b, c, a]), Vec::new())
}
