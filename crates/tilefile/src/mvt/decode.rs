//! A Mapbox Vector Tile 2.1 decoder: the protobuf messages `Tile`, `Layer`, `Feature`,
//! `Value`, and the geometry command streams.

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Float(f32),
    Double(f64),
    Int(i64),
    Uint(u64),
    Sint(i64),
    Bool(bool),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Float(x) => Some(f64::from(x)),
            Value::Double(x) => Some(x),
            Value::Int(n) | Value::Sint(n) => Some(n as f64),
            Value::Uint(n) => Some(n as f64),
            Value::Bool(_) | Value::String(_) => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Value::Bool(b) => Some(b),
            _ => self.as_f64().map(|x| x != 0.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomType {
    Unknown,
    Point,
    LineString,
    Polygon,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub id: Option<u64>,
    pub tags: Vec<u32>,
    pub geom_type: GeomType,
    pub geometry: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    pub extent: u32,
    pub keys: Vec<String>,
    pub values: Vec<Value>,
    pub features: Vec<Feature>,
}

impl Layer {
    /// The feature's value for `key`, if it has one.
    pub fn property(&self, feature: &Feature, key: &str) -> Option<&Value> {
        feature.tags.chunks_exact(2).find_map(|pair| {
            let name = self.keys.get(pair[0] as usize)?;
            if name == key {
                self.values.get(pair[1] as usize)
            } else {
                None
            }
        })
    }

    pub fn str_property<'a>(&'a self, feature: &Feature, key: &str) -> Option<&'a str> {
        self.property(feature, key).and_then(Value::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tile {
    pub layers: Vec<Layer>,
}

impl Tile {
    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers.iter().find(|layer| layer.name == name)
    }
}

/// A protobuf reader over a byte slice; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

enum Field<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .bytes
                .get(self.pos)
                .ok_or_else(|| format!("ends inside a varint at byte {}", self.pos))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(format!("varint longer than 10 bytes at byte {}", self.pos))
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| format!("a {len}-byte field at byte {} runs past the end", self.pos))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    /// The next field number and value, or `None` at the end.
    fn field(&mut self) -> Result<Option<(u64, Field<'a>)>, String> {
        if self.pos >= self.bytes.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let value = match key & 7 {
            0 => Field::Varint(self.varint()?),
            1 => {
                let mut raw = [0u8; 8];
                raw.copy_from_slice(self.take(8)?);
                Field::Fixed64(u64::from_le_bytes(raw))
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|e| e.to_string())?;
                Field::Bytes(self.take(len)?)
            }
            5 => {
                let mut raw = [0u8; 4];
                raw.copy_from_slice(self.take(4)?);
                Field::Fixed32(u32::from_le_bytes(raw))
            }
            wire => return Err(format!("unsupported wire type {wire} at byte {}", self.pos)),
        };
        Ok(Some((key >> 3, value)))
    }
}

fn packed_u32(bytes: &[u8], into: &mut Vec<u32>) -> Result<(), String> {
    let mut reader = Reader::new(bytes);
    while reader.pos < bytes.len() {
        into.push(reader.varint()? as u32);
    }
    Ok(())
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Decodes a whole tile (already inflated).
pub fn decode(bytes: &[u8]) -> Result<Tile, String> {
    let mut tile = Tile::default();
    let mut reader = Reader::new(bytes);
    while let Some((number, field)) = reader.field()? {
        if let (3, Field::Bytes(layer)) = (number, field) {
            tile.layers.push(
                decode_layer(layer).map_err(|e| format!("layer {}: {e}", tile.layers.len()))?,
            );
        }
    }
    Ok(tile)
}

fn decode_layer(bytes: &[u8]) -> Result<Layer, String> {
    let mut layer = Layer {
        name: String::new(),
        extent: 4096,
        keys: Vec::new(),
        values: Vec::new(),
        features: Vec::new(),
    };
    let mut reader = Reader::new(bytes);
    while let Some((number, field)) = reader.field()? {
        match (number, field) {
            (1, Field::Bytes(name)) => layer.name = utf8(name),
            (2, Field::Bytes(feature)) => layer.features.push(decode_feature(feature)?),
            (3, Field::Bytes(key)) => layer.keys.push(utf8(key)),
            (4, Field::Bytes(value)) => layer.values.push(decode_value(value)?),
            (5, Field::Varint(extent)) => {
                layer.extent = u32::try_from(extent)
                    .ok()
                    .filter(|&e| e > 0)
                    .ok_or("extent 0")?;
            }
            _ => {}
        }
    }
    Ok(layer)
}

fn decode_feature(bytes: &[u8]) -> Result<Feature, String> {
    let mut feature = Feature {
        id: None,
        tags: Vec::new(),
        geom_type: GeomType::Unknown,
        geometry: Vec::new(),
    };
    let mut reader = Reader::new(bytes);
    while let Some((number, field)) = reader.field()? {
        match (number, field) {
            (1, Field::Varint(id)) => feature.id = Some(id),
            (2, Field::Bytes(tags)) => packed_u32(tags, &mut feature.tags)?,
            (3, Field::Varint(kind)) => {
                feature.geom_type = match kind {
                    1 => GeomType::Point,
                    2 => GeomType::LineString,
                    3 => GeomType::Polygon,
                    _ => GeomType::Unknown,
                }
            }
            (4, Field::Bytes(geometry)) => packed_u32(geometry, &mut feature.geometry)?,
            _ => {}
        }
    }
    Ok(feature)
}

fn decode_value(bytes: &[u8]) -> Result<Value, String> {
    let mut reader = Reader::new(bytes);
    let mut value = Value::Bool(false);
    while let Some((number, field)) = reader.field()? {
        value = match (number, field) {
            (1, Field::Bytes(text)) => Value::String(utf8(text)),
            (2, Field::Fixed32(bits)) => Value::Float(f32::from_bits(bits)),
            (3, Field::Fixed64(bits)) => Value::Double(f64::from_bits(bits)),
            (4, Field::Varint(n)) => Value::Int(n as i64),
            (5, Field::Varint(n)) => Value::Uint(n),
            (6, Field::Varint(n)) => Value::Sint(zigzag(n)),
            (7, Field::Varint(n)) => Value::Bool(n != 0),
            _ => continue,
        };
    }
    Ok(value)
}

fn zigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// One part of a feature's geometry in tile coordinates: a point, a line string, or a polygon
/// ring (`closed`; the closing point is not repeated).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub points: Vec<(i32, i32)>,
    pub closed: bool,
}

/// Runs the command stream (MoveTo, LineTo, ClosePath with zigzag deltas). Points of a
/// `Point` feature each become a one-point part.
pub fn geometry(feature: &Feature) -> Result<Vec<Part>, String> {
    let mut parts: Vec<Part> = Vec::new();
    let (mut x, mut y) = (0i32, 0i32);
    let mut commands = feature.geometry.iter().copied();
    while let Some(command) = commands.next() {
        let (id, count) = (command & 7, command >> 3);
        match id {
            1 | 2 => {
                for _ in 0..count {
                    let (Some(dx), Some(dy)) = (commands.next(), commands.next()) else {
                        return Err("geometry ends inside a command".into());
                    };
                    x = x.wrapping_add(zigzag(u64::from(dx)) as i32);
                    y = y.wrapping_add(zigzag(u64::from(dy)) as i32);
                    match parts.last_mut() {
                        _ if id == 1 => parts.push(Part {
                            points: vec![(x, y)],
                            closed: false,
                        }),
                        Some(part) if !part.closed => part.points.push((x, y)),
                        _ => return Err("LineTo without a MoveTo".into()),
                    }
                }
            }
            7 => {
                if let Some(part) = parts.last_mut() {
                    part.closed = true;
                }
            }
            other => return Err(format!("unknown geometry command {other}")),
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_geometries_decode() {
        // From the spec: a point at (25, 17).
        let point = Feature {
            id: None,
            tags: vec![],
            geom_type: GeomType::Point,
            geometry: vec![9, 50, 34],
        };
        assert_eq!(
            geometry(&point).unwrap(),
            vec![Part {
                points: vec![(25, 17)],
                closed: false
            }]
        );
        // A line (2,2) (2,10) (10,10).
        let line = Feature {
            id: None,
            tags: vec![],
            geom_type: GeomType::LineString,
            geometry: vec![9, 4, 4, 18, 0, 16, 16, 0],
        };
        assert_eq!(
            geometry(&line).unwrap()[0].points,
            vec![(2, 2), (2, 10), (10, 10)]
        );
        // A polygon (3,6) (8,12) (20,34) closed.
        let polygon = Feature {
            id: None,
            tags: vec![],
            geom_type: GeomType::Polygon,
            geometry: vec![9, 6, 12, 18, 10, 12, 24, 44, 15],
        };
        let parts = geometry(&polygon).unwrap();
        assert_eq!(parts[0].points, vec![(3, 6), (8, 12), (20, 34)]);
        assert!(parts[0].closed);
        let broken = Feature {
            geometry: vec![9, 4],
            ..line
        };
        assert!(geometry(&broken).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode(&[0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).is_err());
        assert!(decode(&[0x0F]).is_err());
        assert_eq!(decode(&[]).unwrap(), Tile::default());
    }
}
