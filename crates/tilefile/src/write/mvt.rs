//! A small Mapbox Vector Tile encoder: enough to write test tiles (points, lines, polygons
//! with string/number/bool properties).

use crate::mvt::decode::Value;

/// Geometry in tile coordinates (0..extent, y down).
#[derive(Debug, Clone, PartialEq)]
pub enum MvtGeometry {
    Points(Vec<(i32, i32)>),
    Lines(Vec<Vec<(i32, i32)>>),
    /// Rings without the repeated closing point; exterior rings clockwise on screen (as the
    /// spec asks), holes anticlockwise after their exterior.
    Polygons(Vec<Vec<(i32, i32)>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MvtFeature {
    pub id: Option<u64>,
    pub properties: Vec<(String, Value)>,
    pub geometry: MvtGeometry,
}

impl MvtFeature {
    pub fn new(geometry: MvtGeometry, properties: &[(&str, Value)]) -> Self {
        MvtFeature {
            id: None,
            properties: properties
                .iter()
                .map(|(key, value)| (key.to_string(), value.clone()))
                .collect(),
            geometry,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MvtLayer {
    pub name: String,
    pub extent: u32,
    pub features: Vec<MvtFeature>,
}

impl MvtLayer {
    /// A layer with the usual extent, 4096.
    pub fn new(name: &str, features: Vec<MvtFeature>) -> Self {
        MvtLayer {
            name: name.to_string(),
            extent: 4096,
            features,
        }
    }
}

fn varint(out: &mut Vec<u8>, value: u64) {
    crate::pmtiles::directory::write_varint(out, value);
}

fn key(out: &mut Vec<u8>, field: u64, wire: u64) {
    varint(out, (field << 3) | wire);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
    key(out, field, 0);
    varint(out, value);
}

fn packed_field(out: &mut Vec<u8>, field: u64, values: &[u32]) {
    let mut packed = Vec::new();
    for &value in values {
        varint(&mut packed, u64::from(value));
    }
    bytes_field(out, field, &packed);
}

fn zigzag(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

fn encode_value(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    match *value {
        Value::String(ref text) => bytes_field(&mut out, 1, text.as_bytes()),
        Value::Float(x) => {
            key(&mut out, 2, 5);
            out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        Value::Double(x) => {
            key(&mut out, 3, 1);
            out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        Value::Int(n) => varint_field(&mut out, 4, n as u64),
        Value::Uint(n) => varint_field(&mut out, 5, n),
        Value::Sint(n) => varint_field(&mut out, 6, ((n << 1) ^ (n >> 63)) as u64),
        Value::Bool(b) => varint_field(&mut out, 7, u64::from(b)),
    }
    out
}

/// The command stream of a geometry, and its `GeomType` number.
fn commands(geometry: &MvtGeometry) -> (u32, Vec<u32>) {
    let mut out = Vec::new();
    let mut cursor = (0i32, 0i32);
    let mut point = |out: &mut Vec<u32>, (x, y): (i32, i32)| {
        out.push(zigzag(x - cursor.0));
        out.push(zigzag(y - cursor.1));
        cursor = (x, y);
    };
    let (kind, parts, close) = match geometry {
        MvtGeometry::Points(points) => {
            out.push(1 | ((points.len() as u32) << 3));
            for &p in points {
                point(&mut out, p);
            }
            return (1, out);
        }
        MvtGeometry::Lines(lines) => (2, lines, false),
        MvtGeometry::Polygons(rings) => (3, rings, true),
    };
    for part in parts {
        let Some((&first, rest)) = part.split_first() else {
            continue;
        };
        out.push(1 | (1 << 3));
        point(&mut out, first);
        out.push(2 | ((rest.len() as u32) << 3));
        for &p in rest {
            point(&mut out, p);
        }
        if close {
            out.push(7 | (1 << 3));
        }
    }
    (kind, out)
}

/// Encodes layers as one (uncompressed) vector tile.
pub fn mvt_tile(layers: &[MvtLayer]) -> Vec<u8> {
    let mut tile = Vec::new();
    for layer in layers {
        let mut keys: Vec<&str> = Vec::new();
        let mut values: Vec<&Value> = Vec::new();
        let mut body = Vec::new();
        varint_field(&mut body, 15, 2);
        bytes_field(&mut body, 1, layer.name.as_bytes());
        for feature in &layer.features {
            let mut tags = Vec::new();
            for (name, value) in &feature.properties {
                let key_index = keys.iter().position(|k| k == name).unwrap_or_else(|| {
                    keys.push(name);
                    keys.len() - 1
                });
                let value_index = values.iter().position(|v| *v == value).unwrap_or_else(|| {
                    values.push(value);
                    values.len() - 1
                });
                tags.extend([key_index as u32, value_index as u32]);
            }
            let (kind, geometry) = commands(&feature.geometry);
            let mut encoded = Vec::new();
            if let Some(id) = feature.id {
                varint_field(&mut encoded, 1, id);
            }
            packed_field(&mut encoded, 2, &tags);
            varint_field(&mut encoded, 3, u64::from(kind));
            packed_field(&mut encoded, 4, &geometry);
            bytes_field(&mut body, 2, &encoded);
        }
        for name in keys {
            bytes_field(&mut body, 3, name.as_bytes());
        }
        for value in values {
            bytes_field(&mut body, 4, &encode_value(value));
        }
        varint_field(&mut body, 5, u64::from(layer.extent));
        bytes_field(&mut tile, 3, &body);
    }
    tile
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mvt::decode::{self, GeomType};

    #[test]
    fn encoded_tiles_decode_to_the_same_features() {
        let layers = vec![
            MvtLayer::new(
                "water",
                vec![MvtFeature::new(
                    MvtGeometry::Polygons(vec![vec![(0, 0), (4096, 0), (4096, 4096), (0, 4096)]]),
                    &[
                        ("kind", Value::String("ocean".into())),
                        ("sort_rank", Value::Int(-3)),
                    ],
                )],
            ),
            MvtLayer::new(
                "places",
                vec![MvtFeature::new(
                    MvtGeometry::Points(vec![(100, 200)]),
                    &[
                        ("name", Value::String("Gwadar".into())),
                        ("capital", Value::Bool(true)),
                    ],
                )],
            ),
        ];
        let tile = decode::decode(&mvt_tile(&layers)).unwrap();
        assert_eq!(tile.layers.len(), 2);
        let water = tile.layer("water").unwrap();
        let feature = &water.features[0];
        assert_eq!(feature.geom_type, GeomType::Polygon);
        assert_eq!(water.str_property(feature, "kind"), Some("ocean"));
        assert_eq!(water.property(feature, "sort_rank"), Some(&Value::Int(-3)));
        let parts = decode::geometry(feature).unwrap();
        assert_eq!(
            parts[0].points,
            vec![(0, 0), (4096, 0), (4096, 4096), (0, 4096)]
        );
        assert!(parts[0].closed);
        let places = tile.layer("places").unwrap();
        assert_eq!(
            decode::geometry(&places.features[0]).unwrap()[0].points,
            vec![(100, 200)]
        );
        assert_eq!(
            places.property(&places.features[0], "capital"),
            Some(&Value::Bool(true))
        );
    }
}
