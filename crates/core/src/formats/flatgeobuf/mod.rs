//! FlatGeobuf (version 3): the magic bytes `fgb\x03fgb\x00`, a header (a FlatBuffer: the
//! name, geometry type, columns, feature count, index node size and coordinate system), the
//! packed Hilbert R-tree when the file has one, then the features, each a FlatBuffer of its
//! geometry and properties. [`read_flatgeobuf`] reads the whole file as one overlay layer,
//! passing over the spatial index; [`read_flatgeobuf_in_box`] searches the index and reads only
//! the features whose boxes meet a given box, each by its offset ([`index`]).
//! The coordinate system is the header's EPSG code, or its WKT ([`crate::formats::wkt`]).

mod buffers;
mod index;
mod stream;

pub use index::{BoxXY, read_flatgeobuf_in_box};
pub use stream::{
    FeaturesSummary, StreamedFeature, features_summary, reread_properties, stream_features,
};
#[cfg(test)]
pub(crate) mod tests;

use super::crs::Reprojection;
use super::layers::{LayerFeatures, LayerRead, Positions};
use super::overlay::file_stem;
use super::skips::SkipLog;
use crate::error::LoadError;
use buffers::Table;
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::{Map, Number, Value};

/// The first bytes of a FlatGeobuf file (the eighth, the patch version, may be any).
pub const FGB_MAGIC: &[u8] = b"fgb\x03fgb";

/// What a FlatGeobuf header says, and where the index and the features start.
struct Header {
    name: Option<String>,
    geometry_type: u8,
    columns: Vec<(String, u8)>,
    features_count: u64,
    node_size: u16,
    reprojection: Option<Reprojection>,
    /// Where the spatial index starts (right after the header).
    index_start: usize,
    /// The index's size in bytes (0 when the file has none).
    index_size: usize,
}

impl Header {
    /// Where the first feature starts.
    fn features_start(&self) -> usize {
        self.index_start + self.index_size
    }

    fn layer_name(&self, file: &str) -> String {
        self.name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| file_stem(file))
    }
}

fn document_error(file: &str, message: String) -> LoadError {
    LoadError::Document {
        file: file.to_owned(),
        message,
    }
}

/// The header's size from the file's first 12 bytes (the magic bytes checked).
fn header_size(file: &str, first: &[u8]) -> Result<usize, LoadError> {
    if !first.starts_with(FGB_MAGIC) || first.len() < 12 {
        return Err(document_error(
            file,
            "not FlatGeobuf: a FlatGeobuf file starts with the bytes \"fgb\\x03fgb\"".into(),
        ));
    }
    Ok(u32::from_le_bytes([first[8], first[9], first[10], first[11]]) as usize)
}

/// Reads the header from the file's first bytes (at least the magic bytes, the size and the
/// header itself).
fn read_header(file: &str, head: &[u8], skips: &mut SkipLog) -> Result<Header, LoadError> {
    let header_size = header_size(file, head)?;
    let header_bytes = head.get(12..12 + header_size).ok_or_else(|| {
        document_error(
            file,
            format!("the header of {header_size} bytes runs past the end"),
        )
    })?;
    let header_error = |message: String| document_error(file, format!("header: {message}"));
    let header = Table::root(header_bytes).map_err(header_error)?;
    let name = header.string(0).map_err(header_error)?;
    let geometry_type = header.u8(2, 0).map_err(header_error)?;
    // Z and M are lists of their own in FlatGeobuf: drawn in 2-D, they are not read.
    let columns = header
        .tables(7)
        .map_err(header_error)?
        .iter()
        .map(|column| Ok((column.string(0)?.unwrap_or_default(), column.u8(1, 11)?)))
        .collect::<Result<Vec<(String, u8)>, String>>()
        .map_err(header_error)?;
    let features_count = header.u64(8).map_err(header_error)?;
    let node_size = header.u16(9, 16).map_err(header_error)?;
    let reprojection = match header.table(10).map_err(header_error)? {
        Some(crs) => system_of(&crs, skips)
            .map_err(|message| document_error(file, format!("header crs: {message}")))?,
        None => None,
    };
    let index_size = index::index_bytes(features_count, node_size)
        .and_then(|size| usize::try_from(size).ok())
        .ok_or_else(|| {
            header_error(format!(
                "{features_count} features is more than can be indexed"
            ))
        })?;
    Ok(Header {
        name,
        geometry_type,
        columns,
        features_count,
        node_size,
        reprojection,
        index_start: 12 + header_size,
        index_size,
    })
}

/// Reads a FlatGeobuf file's bytes as one layer.
pub fn read_flatgeobuf(file: &str, bytes: &[u8]) -> Result<LayerRead, LoadError> {
    let mut skips = SkipLog::default();
    let header = read_header(file, bytes, &mut skips)?;
    let positions = Positions {
        reprojection: header.reprojection.as_ref(),
    };
    let mut at = header.features_start();
    if at > bytes.len() {
        return Err(document_error(
            file,
            format!(
                "the spatial index of {} bytes runs past the end of the file ({} bytes)",
                header.index_size,
                bytes.len()
            ),
        ));
    }
    let mut read = LayerFeatures::default();
    let mut feature_index = 0;
    while at + 4 <= bytes.len() {
        let size =
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let Some(feature_bytes) = bytes.get(at + 4..at + 4 + size) else {
            skips.warn(
                format!("feature {feature_index}"),
                format!("the feature of {size} bytes runs past the end of the file: the file is truncated"),
            );
            break;
        };
        at += 4 + size;
        match read_feature(
            feature_bytes,
            header.geometry_type,
            &header.columns,
            &positions,
        ) {
            Ok((geometry, properties)) => read.push(feature_index, None, geometry, properties),
            Err((field, message)) => {
                skips.push(format!("feature {feature_index}, field {field}"), message)
            }
        }
        feature_index += 1;
    }
    let features_count = header.features_count;
    if features_count > 0 && feature_index as u64 != features_count {
        skips.warn(
            "header".into(),
            format!("the header counts {features_count} features, the file holds {feature_index}"),
        );
    }
    Ok((read.into_layer(header.layer_name(file)), skips))
}

fn system_of(crs: &Table<'_>, skips: &mut SkipLog) -> Result<Option<Reprojection>, String> {
    let org = crs.string(0)?.unwrap_or_else(|| "EPSG".into());
    let code = crs.i32(1)?;
    if org.eq_ignore_ascii_case("EPSG")
        && code > 0
        && let Ok(reprojection) = Reprojection::from_epsg(code.unsigned_abs())
    {
        return Ok(reprojection);
    }
    match crs.string(4)? {
        Some(wkt) if !wkt.trim().is_empty() => {
            let system = super::wkt::read_wkt_system(&wkt)?;
            if let Some(warning) = system.warning {
                skips.warn("header crs".into(), warning);
            }
            Ok(system.reprojection)
        }
        _ if code == 0 => Ok(None),
        _ => Err(format!(
            "{org}:{code} is not a coordinate system this version knows, and no WKT is given"
        )),
    }
}

type FeatureRead = (Option<Geometry<f64>>, Map<String, Value>);

fn read_feature(
    bytes: &[u8],
    header_type: u8,
    columns: &[(String, u8)],
    positions: &Positions<'_>,
) -> Result<FeatureRead, (String, String)> {
    let at_geometry = |message: String| ("geometry".to_owned(), message);
    let feature = Table::root(bytes).map_err(|message| (String::new(), message))?;
    let geometry = match feature.table(0).map_err(at_geometry)? {
        Some(geometry) => {
            read_geometry(&geometry, header_type, positions, 0).map_err(at_geometry)?
        }
        None => None,
    };
    let properties = match feature
        .vector(1, 1)
        .map_err(|message| ("properties".to_owned(), message))?
    {
        Some((raw, _)) => {
            read_properties(raw, columns).map_err(|message| ("properties".to_owned(), message))?
        }
        None => Map::new(),
    };
    Ok((geometry, properties))
}

fn read_geometry(
    geometry: &Table<'_>,
    header_type: u8,
    positions: &Positions<'_>,
    depth: usize,
) -> Result<Option<Geometry<f64>>, String> {
    if depth > 8 {
        return Err("geometry parts nested more than 8 deep".into());
    }
    let kind = match header_type {
        0 => geometry.u8(6, 0)?,
        kind => kind,
    };
    let xy = geometry.f64s(1)?;
    let coords = xy
        .chunks_exact(2)
        .map(|pair| positions.coord(pair[0], pair[1]))
        .collect::<Result<Vec<Coord<f64>>, String>>()?;
    let ends = geometry.u32s(0)?;
    let lines = || -> Vec<LineString<f64>> {
        if ends.is_empty() {
            return vec![LineString(coords.clone())];
        }
        let mut start = 0;
        ends.iter()
            .map(|end| {
                let end = (*end as usize).clamp(start, coords.len());
                let line = LineString(coords[start..end].to_vec());
                start = end;
                line
            })
            .collect()
    };
    let parts = || -> Result<Vec<Geometry<f64>>, String> {
        let mut parts = Vec::new();
        for part in geometry.tables(7)? {
            if let Some(part) = read_geometry(&part, 0, positions, depth + 1)? {
                parts.push(part);
            }
        }
        Ok(parts)
    };
    let read = match kind {
        1 => coords.first().map(|coord| Geometry::Point(Point(*coord))),
        2 | 8 => Some(Geometry::LineString(LineString(if kind == 8 {
            super::geopackage::linearise_arcs(&coords)
        } else {
            coords.clone()
        }))),
        3 | 17 => {
            let mut rings = lines();
            rings.retain(|ring| !ring.0.is_empty());
            (!rings.is_empty()).then(|| {
                let exterior = rings.remove(0);
                Geometry::Polygon(Polygon::new(exterior, rings))
            })
        }
        4 => Some(Geometry::MultiPoint(MultiPoint(
            coords.iter().map(|c| Point(*c)).collect(),
        ))),
        5 => Some(Geometry::MultiLineString(MultiLineString(lines()))),
        6 | 15 | 16 => Some(Geometry::MultiPolygon(MultiPolygon(
            parts()?
                .into_iter()
                .filter_map(|part| match part {
                    Geometry::Polygon(polygon) => Some(polygon),
                    _ => None,
                })
                .collect(),
        ))),
        7 | 9..=14 => Some(Geometry::GeometryCollection(GeometryCollection(parts()?))),
        other => {
            return Err(format!(
                "geometry type {other} is not a FlatGeobuf type (1 to 17)"
            ));
        }
    };
    use geo::CoordsIter as _;
    Ok(read.filter(|geometry| geometry.coords_iter().next().is_some()))
}

/// Properties: (column index as u16, value) pairs, each value as its column type says.
fn read_properties(raw: &[u8], columns: &[(String, u8)]) -> Result<Map<String, Value>, String> {
    let mut properties = Map::with_capacity(columns.len());
    let mut at = 0;
    while at + 2 <= raw.len() {
        let column = usize::from(u16::from_le_bytes([raw[at], raw[at + 1]]));
        at += 2;
        let (name, kind) = columns.get(column).ok_or_else(|| {
            format!(
                "column {column} is not among the header's {}",
                columns.len()
            )
        })?;
        let fixed = match kind {
            0..=2 => 1,
            3 | 4 => 2,
            5 | 6 | 9 => 4,
            7 | 8 | 10 => 8,
            _ => 0,
        };
        let take = |at: usize, length: usize| {
            raw.get(at..at + length)
                .ok_or_else(|| format!("the value of {name} runs past the end of the properties"))
        };
        let value = if fixed > 0 {
            let b = take(at, fixed)?;
            at += fixed;
            let number = |n: f64| Number::from_f64(n).map_or(Value::Null, Value::Number);
            match kind {
                0 => Value::from(b[0] as i8),
                1 => Value::from(b[0]),
                2 => Value::Bool(b[0] != 0),
                3 => Value::from(i16::from_le_bytes([b[0], b[1]])),
                4 => Value::from(u16::from_le_bytes([b[0], b[1]])),
                5 => Value::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                6 => Value::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                9 => number(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
                7 => Value::from(i64::from_le_bytes(b.try_into().unwrap_or_default())),
                8 => Value::from(u64::from_le_bytes(b.try_into().unwrap_or_default())),
                _ => number(f64::from_le_bytes(b.try_into().unwrap_or_default())),
            }
        } else {
            let length = take(at, 4)?;
            let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]) as usize;
            let text = take(at + 4, length)?;
            at += 4 + length;
            match kind {
                14 => Value::String(format!("({length} bytes of binary data)")),
                12 => serde_json::from_slice(text)
                    .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(text).into_owned())),
                _ => Value::String(String::from_utf8_lossy(text).into_owned()),
            }
        };
        properties.insert(name.clone(), value);
    }
    Ok(properties)
}
