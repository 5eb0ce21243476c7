//! Decoder for the basemap asset `assets/basemap/naturalearth.bin`.
//!
//! The asset is written by `scripts/derive_basemap.py` from the Natural Earth GeoJSON layers in
//! `shared/data`. Decoding never panics: every read is bounds-checked and every error carries
//! the byte offset where it was found.
//!
//! # Binary format, version 1
//!
//! Integers are fixed-size little-endian or unsigned LEB128 varints ("varint"). Signed values
//! are zigzag-encoded varints ("svarint": 0, -1, 1, -2, … → 0, 1, 2, 3, …). Coordinates are
//! WGS 84 degrees quantized to 1e-5 degree.
//!
//! ```text
//! file      = magic:"SMBM" version:u8=1 body_len:u32le body
//! body      = region section_count:varint section*     (exactly body_len bytes)
//! region    = west:svarint south:svarint east:svarint north:svarint   (1e-5 degree)
//! section   = tag:u8 payload_len:varint payload
//!             tag 1 geometry layer, 2 places, 3 country labels; unknown tags are skipped
//!
//! geometry layer payload:
//!   layer_id:u8       1 land, 2 focus countries (PAK, IRN), 3 lakes, 4 playas,
//!                     5 coastline, 6 admin-0 borders, 7 admin-1 internal lines, 8 rivers
//!   geometry_kind:u8  1 polygons (parts are rings, closing point omitted; outer rings
//!                     counter-clockwise, holes clockwise), 2 lines (parts are polylines)
//!   feature_count:varint
//!   feature*: class:u8 rank:u8 min_zoom:u8 (x10, 255 = none) part_count:varint
//!             part*: point_count:varint (dlon:svarint dlat:svarint)*
//!             Each point is a delta from the previous point of the same layer; the running
//!             point starts at (0, 0) at the start of every layer.
//!
//! places payload:
//!   count:varint
//!   place*: kind:u8 (0 national capital, 1 province capital, 2 populated place)
//!           scalerank:u8 labelrank:u8 min_zoom:u8 (x10, 255 = none) pop_max:varint
//!           lon:svarint lat:svarint (absolute) adm0_a3:3 bytes name_len:varint name:UTF-8
//!
//! country labels payload:
//!   count:varint
//!   label*: adm0_a3:3 bytes label_rank:u8 (0 = largest area in the region)
//!           min_zoom:u8 (x10) flags:u8 (bit 0: clipped by the region box)
//!           lon:svarint lat:svarint (absolute) name_len:varint name:UTF-8
//! ```
//!
//! Class bytes: borders 0 international, 1 line of control, 2 disputed, 3 indefinite;
//! focus countries and admin-1 lines 0 Pakistan, 1 Iran; lakes 0 lake, 1 reservoir,
//! 2 alkaline lake; rivers 0 river, 1 lake centre-line.

use std::fmt;
use std::ops::Range;

use crate::tile_math::{LonLatBounds, lat_to_world_y, lon_to_world_x};

const MAGIC: &[u8; 4] = b"SMBM";
const SUPPORTED_VERSION: u8 = 1;
const HEADER_LEN: usize = 9;
const COORDINATE_UNITS_PER_DEGREE: f64 = 100_000.0;
const MAX_LON_UNITS: i64 = 180 * 100_000;
const MAX_LAT_UNITS: i64 = 90 * 100_000;
const NO_MIN_ZOOM: u8 = 255;

const TAG_LAYER: u8 = 1;
const TAG_PLACES: u8 = 2;
const TAG_COUNTRY_LABELS: u8 = 3;

const GEOMETRY_POLYGONS: u8 = 1;
const GEOMETRY_LINES: u8 = 2;

/// Why the asset bytes could not be decoded. Every variant names the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The first four bytes are not `SMBM`.
    BadMagic,
    /// The format version is not one this decoder understands.
    UnsupportedVersion { found: u8 },
    /// The data ended while reading `what`.
    UnexpectedEnd { offset: usize, what: &'static str },
    /// A varint is longer than 64 bits.
    VarintOverflow { offset: usize },
    /// A declared length does not match the bytes that are there.
    LengthMismatch {
        offset: usize,
        what: &'static str,
        declared: u64,
        available: u64,
    },
    /// A count is larger than the remaining bytes could possibly hold.
    CountTooLarge {
        offset: usize,
        what: &'static str,
        count: u64,
    },
    /// A field holds a value outside its allowed set.
    InvalidValue {
        offset: usize,
        what: &'static str,
        value: u64,
    },
    /// A decoded coordinate lies outside -180..180 / -90..90 degrees.
    CoordinateOutOfRange { offset: usize },
    /// A name is not valid UTF-8.
    InvalidUtf8 { offset: usize },
    /// A layer or section appears twice.
    Duplicate { offset: usize, what: &'static str },
    /// A required layer or section is missing.
    Missing { what: &'static str },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadMagic => write!(f, "not a basemap asset (bad magic bytes at offset 0)"),
            Self::UnsupportedVersion { found } => {
                write!(f, "unsupported basemap format version {found} at offset 4")
            }
            Self::UnexpectedEnd { offset, what } => {
                write!(f, "data ends at byte {offset} while reading {what}")
            }
            Self::VarintOverflow { offset } => write!(f, "varint too long at byte {offset}"),
            Self::LengthMismatch {
                offset,
                what,
                declared,
                available,
            } => write!(
                f,
                "{what} at byte {offset} declares {declared} bytes but {available} are available"
            ),
            Self::CountTooLarge {
                offset,
                what,
                count,
            } => write!(
                f,
                "{what} at byte {offset} is {count}, more than the remaining data can hold"
            ),
            Self::InvalidValue {
                offset,
                what,
                value,
            } => write!(f, "invalid {what} {value} at byte {offset}"),
            Self::CoordinateOutOfRange { offset } => {
                write!(f, "coordinate out of range at byte {offset}")
            }
            Self::InvalidUtf8 { offset } => write!(f, "name is not UTF-8 at byte {offset}"),
            Self::Duplicate { offset, what } => write!(f, "duplicate {what} at byte {offset}"),
            Self::Missing { what } => write!(f, "the asset has no {what}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The geometry layers of the asset, in the order they are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Land polygons; sea is the region box minus land.
    Land,
    /// Pakistan and Iran, for a subtle tint.
    FocusCountries,
    /// Playas and salt flats.
    Playas,
    /// Rivers and lake centre-lines.
    Rivers,
    /// Lakes and reservoirs.
    Lakes,
    /// Coastline lines.
    Coastline,
    /// Internal province boundaries of Pakistan and Iran.
    Admin1Lines,
    /// Admin-0 boundaries (international, line of control, disputed, indefinite).
    Borders,
}

impl Layer {
    /// Every layer, in drawing order.
    pub const ALL: [Layer; 8] = [
        Layer::Land,
        Layer::FocusCountries,
        Layer::Playas,
        Layer::Rivers,
        Layer::Lakes,
        Layer::Coastline,
        Layer::Admin1Lines,
        Layer::Borders,
    ];

    fn from_id(layer_id: u8) -> Option<Layer> {
        match layer_id {
            1 => Some(Layer::Land),
            2 => Some(Layer::FocusCountries),
            3 => Some(Layer::Lakes),
            4 => Some(Layer::Playas),
            5 => Some(Layer::Coastline),
            6 => Some(Layer::Borders),
            7 => Some(Layer::Admin1Lines),
            8 => Some(Layer::Rivers),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            Layer::Land => 0,
            Layer::FocusCountries => 1,
            Layer::Playas => 2,
            Layer::Rivers => 3,
            Layer::Lakes => 4,
            Layer::Coastline => 5,
            Layer::Admin1Lines => 6,
            Layer::Borders => 7,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layer::Land => "land layer",
            Layer::FocusCountries => "focus countries layer",
            Layer::Playas => "playas layer",
            Layer::Rivers => "rivers layer",
            Layer::Lakes => "lakes layer",
            Layer::Coastline => "coastline layer",
            Layer::Admin1Lines => "admin-1 lines layer",
            Layer::Borders => "borders layer",
        }
    }

    fn geometry_kind(self) -> GeometryKind {
        match self {
            Layer::Land | Layer::FocusCountries | Layer::Playas | Layer::Lakes => {
                GeometryKind::Polygons
            }
            Layer::Rivers | Layer::Coastline | Layer::Admin1Lines | Layer::Borders => {
                GeometryKind::Lines
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeometryKind {
    /// Parts are closed rings (closing point not repeated).
    Polygons,
    /// Parts are open polylines.
    Lines,
}

/// Kind of a populated place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// Natural Earth "Admin-0 capital".
    NationalCapital,
    /// Natural Earth "Admin-1 capital".
    ProvinceCapital,
    /// Natural Earth "Populated place".
    PopulatedPlace,
}

/// A populated place for the app's label overlay (Natural Earth `populated_places`).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Name in UTF-8 (Natural Earth `name`).
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub kind: PlaceKind,
    /// Natural Earth scalerank (0 = most important).
    pub scalerank: u8,
    /// Natural Earth labelrank.
    pub labelrank: u8,
    /// Natural Earth min_zoom (lowest zoom at which to label the place), if set.
    pub min_zoom: Option<f32>,
    /// Population estimate (Natural Earth `pop_max`).
    pub pop_max: u64,
    /// ISO-like three-letter country code (Natural Earth `adm0_a3`).
    pub adm0_a3: String,
}

/// A country label point: a pole of inaccessibility of the country's largest polygon part
/// inside the region, so it is well inside the country.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryLabel {
    pub name: String,
    /// Natural Earth `adm0_a3` code.
    pub adm0_a3: String,
    pub lon: f64,
    pub lat: f64,
    /// 0 for the country with the largest area inside the region, then 1, 2, …
    pub label_rank: u8,
    /// Lowest zoom at which the label's inscribed circle is about 48 px wide (256-px tiles).
    pub min_zoom: f32,
    /// True when the country extends beyond the region box (only part of it is drawn).
    pub clipped_to_region: bool,
}

/// An axis-aligned rectangle in world coordinates (Web Mercator, 0..1, y grows southwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WorldRect {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl WorldRect {
    const EMPTY: WorldRect = WorldRect {
        min_x: f64::INFINITY,
        min_y: f64::INFINITY,
        max_x: f64::NEG_INFINITY,
        max_y: f64::NEG_INFINITY,
    };

    fn include_point(&mut self, point: WorldPoint) {
        self.min_x = self.min_x.min(point.x);
        self.min_y = self.min_y.min(point.y);
        self.max_x = self.max_x.max(point.x);
        self.max_y = self.max_y.max(point.y);
    }

    fn include_rect(&mut self, other: &WorldRect) {
        self.min_x = self.min_x.min(other.min_x);
        self.min_y = self.min_y.min(other.min_y);
        self.max_x = self.max_x.max(other.max_x);
        self.max_y = self.max_y.max(other.max_y);
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: &WorldRect) -> bool {
        self.min_x <= other.min_x
            && other.max_x <= self.max_x
            && self.min_y <= other.min_y
            && other.max_y <= self.max_y
    }

    pub fn intersects(&self, other: &WorldRect) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }
}

/// A point in world coordinates (Web Mercator, 0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WorldPoint {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub bounds: WorldRect,
    pub points: Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Feature {
    pub class: u8,
    pub rank: u8,
    pub min_zoom: Option<f32>,
    pub bounds: WorldRect,
    pub parts: Range<usize>,
}

/// One decoded geometry layer; features index into `parts`, parts into `points`.
#[derive(Debug, Clone)]
pub(crate) struct GeometryLayer {
    pub features: Vec<Feature>,
    pub parts: Vec<Part>,
    pub points: Vec<WorldPoint>,
}

impl GeometryLayer {
    pub fn part_points(&self, part: &Part) -> &[WorldPoint] {
        self.points.get(part.points.clone()).unwrap_or(&[])
    }

    pub fn feature_parts(&self, feature: &Feature) -> &[Part] {
        self.parts.get(feature.parts.clone()).unwrap_or(&[])
    }
}

/// Everything decoded from the asset.
#[derive(Debug, Clone)]
pub(crate) struct DecodedAsset {
    pub region: LonLatBounds,
    /// Indexed by `Layer::index`.
    pub layers: Vec<GeometryLayer>,
    pub places: Vec<Place>,
    pub country_labels: Vec<CountryLabel>,
}

impl DecodedAsset {
    pub fn layer(&self, layer: Layer) -> Option<&GeometryLayer> {
        self.layers.get(layer.index())
    }
}

/// Bounds-checked cursor over the asset bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], offset: usize) -> Self {
        Reader { bytes, offset }
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.offset)
    }

    fn is_at_end(&self) -> bool {
        self.remaining() == 0
    }

    fn take(&mut self, count: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let end = self
            .offset
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(DecodeError::UnexpectedEnd {
                offset: self.offset,
                what,
            })?;
        let slice = self
            .bytes
            .get(self.offset..end)
            .ok_or(DecodeError::UnexpectedEnd {
                offset: self.offset,
                what,
            })?;
        self.offset = end;
        Ok(slice)
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let byte = *self
            .bytes
            .get(self.offset)
            .ok_or(DecodeError::UnexpectedEnd {
                offset: self.offset,
                what,
            })?;
        self.offset += 1;
        Ok(byte)
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        let start = self.offset;
        let mut value: u64 = 0;
        let mut shift: u32 = 0;
        loop {
            let byte = self.u8(what)?;
            let bits = u64::from(byte & 0x7f);
            if shift >= 64 || (shift == 63 && bits > 1) {
                return Err(DecodeError::VarintOverflow { offset: start });
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn svarint(&mut self, what: &'static str) -> Result<i64, DecodeError> {
        let raw = self.varint(what)?;
        let magnitude = (raw >> 1) as i64;
        Ok(if raw & 1 == 0 {
            magnitude
        } else {
            -magnitude - 1
        })
    }

    /// A count of items that each need at least `min_bytes_each` bytes.
    fn count(&mut self, what: &'static str, min_bytes_each: usize) -> Result<usize, DecodeError> {
        let offset = self.offset;
        let count = self.varint(what)?;
        let limit = self.remaining() / min_bytes_each.max(1);
        match usize::try_from(count) {
            Ok(count) if count <= limit => Ok(count),
            _ => Err(DecodeError::CountTooLarge {
                offset,
                what,
                count,
            }),
        }
    }

    fn min_zoom(&mut self, what: &'static str) -> Result<Option<f32>, DecodeError> {
        let offset = self.offset;
        let raw = self.u8(what)?;
        match raw {
            NO_MIN_ZOOM => Ok(None),
            0..=250 => Ok(Some(f32::from(raw) / 10.0)),
            _ => Err(DecodeError::InvalidValue {
                offset,
                what,
                value: u64::from(raw),
            }),
        }
    }

    fn string(&mut self, what: &'static str) -> Result<String, DecodeError> {
        let length = self.count(what, 1)?;
        let offset = self.offset;
        let bytes = self.take(length, what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::InvalidUtf8 { offset })
    }

    fn country_code(&mut self) -> Result<String, DecodeError> {
        let offset = self.offset;
        let bytes = self.take(3, "country code")?;
        if bytes.iter().all(|b| b.is_ascii_alphanumeric()) {
            String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::InvalidUtf8 { offset })
        } else {
            Err(DecodeError::InvalidUtf8 { offset })
        }
    }

    /// An absolute lon/lat pair in 1e-5 degree units, validated.
    fn lon_lat(&mut self) -> Result<(f64, f64), DecodeError> {
        let offset = self.offset;
        let lon_units = self.svarint("longitude")?;
        let lat_units = self.svarint("latitude")?;
        check_coordinate(lon_units, lat_units, offset)?;
        Ok((
            lon_units as f64 / COORDINATE_UNITS_PER_DEGREE,
            lat_units as f64 / COORDINATE_UNITS_PER_DEGREE,
        ))
    }
}

fn check_coordinate(lon_units: i64, lat_units: i64, offset: usize) -> Result<(), DecodeError> {
    if (-MAX_LON_UNITS..=MAX_LON_UNITS).contains(&lon_units)
        && (-MAX_LAT_UNITS..=MAX_LAT_UNITS).contains(&lat_units)
    {
        Ok(())
    } else {
        Err(DecodeError::CoordinateOutOfRange { offset })
    }
}

fn world_point(lon_units: i64, lat_units: i64) -> WorldPoint {
    WorldPoint {
        x: lon_to_world_x(lon_units as f64 / COORDINATE_UNITS_PER_DEGREE),
        y: lat_to_world_y(lat_units as f64 / COORDINATE_UNITS_PER_DEGREE),
    }
}

/// Decodes a complete asset.
pub(crate) fn decode(bytes: &[u8]) -> Result<DecodedAsset, DecodeError> {
    let mut header = Reader::new(bytes, 0);
    let magic = header.take(4, "magic").map_err(|_| DecodeError::BadMagic)?;
    if magic != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let version = header.u8("version")?;
    if version != SUPPORTED_VERSION {
        return Err(DecodeError::UnsupportedVersion { found: version });
    }
    let length_offset = header.offset;
    let length_bytes = header.take(4, "body length")?;
    let length_array: [u8; 4] =
        length_bytes
            .try_into()
            .map_err(|_| DecodeError::UnexpectedEnd {
                offset: length_offset,
                what: "body length",
            })?;
    let declared_body_len = u32::from_le_bytes(length_array);
    let available = bytes.len().saturating_sub(HEADER_LEN);
    if usize::try_from(declared_body_len).ok() != Some(available) {
        return Err(DecodeError::LengthMismatch {
            offset: length_offset,
            what: "body length",
            declared: u64::from(declared_body_len),
            available: available as u64,
        });
    }

    let mut reader = Reader::new(bytes, HEADER_LEN);
    let region_offset = reader.offset;
    let (west, south) = reader.lon_lat()?;
    let (east, north) = reader.lon_lat()?;
    if !(west < east && south < north) {
        return Err(DecodeError::InvalidValue {
            offset: region_offset,
            what: "region box",
            value: 0,
        });
    }
    let region = LonLatBounds {
        west,
        south,
        east,
        north,
    };

    let section_count = reader.count("section count", 2)?;
    let mut layers: Vec<Option<GeometryLayer>> = vec![None; Layer::ALL.len()];
    let mut places = None;
    let mut country_labels = None;
    for _ in 0..section_count {
        let tag = reader.u8("section tag")?;
        let length_offset = reader.offset;
        let payload_len = reader.varint("section length")?;
        let payload_len = usize::try_from(payload_len)
            .ok()
            .filter(|len| *len <= reader.remaining())
            .ok_or(DecodeError::LengthMismatch {
                offset: length_offset,
                what: "section length",
                declared: payload_len,
                available: reader.remaining() as u64,
            })?;
        let payload_start = reader.offset;
        let payload_end = payload_start + payload_len;
        let section_bytes = bytes.get(..payload_end).ok_or(DecodeError::UnexpectedEnd {
            offset: payload_start,
            what: "section",
        })?;
        let mut section = Reader::new(section_bytes, payload_start);
        match tag {
            TAG_LAYER => {
                let (layer, decoded) = decode_layer(&mut section)?;
                let slot = layers
                    .get_mut(layer.index())
                    .ok_or(DecodeError::Missing { what: layer.name() })?;
                if slot.is_some() {
                    return Err(DecodeError::Duplicate {
                        offset: payload_start,
                        what: layer.name(),
                    });
                }
                *slot = Some(decoded);
            }
            TAG_PLACES => {
                if places.is_some() {
                    return Err(DecodeError::Duplicate {
                        offset: payload_start,
                        what: "places section",
                    });
                }
                places = Some(decode_places(&mut section)?);
            }
            TAG_COUNTRY_LABELS => {
                if country_labels.is_some() {
                    return Err(DecodeError::Duplicate {
                        offset: payload_start,
                        what: "country labels section",
                    });
                }
                country_labels = Some(decode_country_labels(&mut section)?);
            }
            _ => {
                // Unknown section from a newer writer: skip it.
                section.offset = payload_end;
            }
        }
        if !section.is_at_end() {
            return Err(DecodeError::LengthMismatch {
                offset: length_offset,
                what: "section length",
                declared: payload_len as u64,
                available: (section.offset - payload_start) as u64,
            });
        }
        reader.offset = payload_end;
    }
    if !reader.is_at_end() {
        return Err(DecodeError::LengthMismatch {
            offset: reader.offset,
            what: "trailing bytes after the last section",
            declared: 0,
            available: reader.remaining() as u64,
        });
    }

    let mut decoded_layers = Vec::with_capacity(Layer::ALL.len());
    for layer in Layer::ALL {
        let decoded = layers
            .get_mut(layer.index())
            .and_then(Option::take)
            .ok_or(DecodeError::Missing { what: layer.name() })?;
        decoded_layers.push(decoded);
    }
    Ok(DecodedAsset {
        region,
        layers: decoded_layers,
        places: places.ok_or(DecodeError::Missing {
            what: "places section",
        })?,
        country_labels: country_labels.ok_or(DecodeError::Missing {
            what: "country labels section",
        })?,
    })
}

fn decode_layer(reader: &mut Reader<'_>) -> Result<(Layer, GeometryLayer), DecodeError> {
    let id_offset = reader.offset;
    let layer_id = reader.u8("layer id")?;
    let layer = Layer::from_id(layer_id).ok_or(DecodeError::InvalidValue {
        offset: id_offset,
        what: "layer id",
        value: u64::from(layer_id),
    })?;
    let kind_offset = reader.offset;
    let kind_byte = reader.u8("geometry kind")?;
    let kind = match kind_byte {
        GEOMETRY_POLYGONS => GeometryKind::Polygons,
        GEOMETRY_LINES => GeometryKind::Lines,
        _ => {
            return Err(DecodeError::InvalidValue {
                offset: kind_offset,
                what: "geometry kind",
                value: u64::from(kind_byte),
            });
        }
    };
    if kind != layer.geometry_kind() {
        return Err(DecodeError::InvalidValue {
            offset: kind_offset,
            what: "geometry kind for this layer",
            value: u64::from(kind_byte),
        });
    }
    let min_points_per_part: u64 = match kind {
        GeometryKind::Polygons => 3,
        GeometryKind::Lines => 2,
    };

    // A feature needs at least 4 bytes (3 header bytes and a part count).
    let feature_count = reader.count("feature count", 4)?;
    let mut features = Vec::with_capacity(feature_count);
    let mut parts = Vec::new();
    let mut points = Vec::new();
    let mut lon_units: i64 = 0;
    let mut lat_units: i64 = 0;
    for _ in 0..feature_count {
        let class = reader.u8("feature class")?;
        let rank = reader.u8("feature rank")?;
        let min_zoom = reader.min_zoom("feature min_zoom")?;
        // A part needs at least one count byte and two bytes per point.
        let part_count = reader.count("part count", 1 + 2 * min_points_per_part as usize)?;
        let first_part = parts.len();
        let mut feature_bounds = WorldRect::EMPTY;
        for _ in 0..part_count {
            let count_offset = reader.offset;
            let point_count = reader.count("point count", 2)?;
            if (point_count as u64) < min_points_per_part {
                return Err(DecodeError::InvalidValue {
                    offset: count_offset,
                    what: "point count",
                    value: point_count as u64,
                });
            }
            let first_point = points.len();
            let mut part_bounds = WorldRect::EMPTY;
            for _ in 0..point_count {
                let offset = reader.offset;
                let delta_lon = reader.svarint("longitude delta")?;
                let delta_lat = reader.svarint("latitude delta")?;
                lon_units = lon_units
                    .checked_add(delta_lon)
                    .ok_or(DecodeError::CoordinateOutOfRange { offset })?;
                lat_units = lat_units
                    .checked_add(delta_lat)
                    .ok_or(DecodeError::CoordinateOutOfRange { offset })?;
                check_coordinate(lon_units, lat_units, offset)?;
                let point = world_point(lon_units, lat_units);
                part_bounds.include_point(point);
                points.push(point);
            }
            feature_bounds.include_rect(&part_bounds);
            parts.push(Part {
                bounds: part_bounds,
                points: first_point..points.len(),
            });
        }
        features.push(Feature {
            class,
            rank,
            min_zoom,
            bounds: feature_bounds,
            parts: first_part..parts.len(),
        });
    }
    Ok((
        layer,
        GeometryLayer {
            features,
            parts,
            points,
        },
    ))
}

fn decode_places(reader: &mut Reader<'_>) -> Result<Vec<Place>, DecodeError> {
    // A place needs at least 4 + 1 + 2 + 3 + 1 bytes.
    let count = reader.count("place count", 11)?;
    let mut places = Vec::with_capacity(count);
    for _ in 0..count {
        let kind_offset = reader.offset;
        let kind_byte = reader.u8("place kind")?;
        let kind = match kind_byte {
            0 => PlaceKind::NationalCapital,
            1 => PlaceKind::ProvinceCapital,
            2 => PlaceKind::PopulatedPlace,
            _ => {
                return Err(DecodeError::InvalidValue {
                    offset: kind_offset,
                    what: "place kind",
                    value: u64::from(kind_byte),
                });
            }
        };
        let scalerank = reader.u8("place scalerank")?;
        let labelrank = reader.u8("place labelrank")?;
        let min_zoom = reader.min_zoom("place min_zoom")?;
        let pop_max = reader.varint("place population")?;
        let (lon, lat) = reader.lon_lat()?;
        let adm0_a3 = reader.country_code()?;
        let name = reader.string("place name")?;
        places.push(Place {
            name,
            lon,
            lat,
            kind,
            scalerank,
            labelrank,
            min_zoom,
            pop_max,
            adm0_a3,
        });
    }
    Ok(places)
}

fn decode_country_labels(reader: &mut Reader<'_>) -> Result<Vec<CountryLabel>, DecodeError> {
    // A label needs at least 3 + 3 + 2 + 1 bytes.
    let count = reader.count("country label count", 9)?;
    let mut labels = Vec::with_capacity(count);
    for _ in 0..count {
        let adm0_a3 = reader.country_code()?;
        let label_rank = reader.u8("label rank")?;
        let min_zoom_offset = reader.offset;
        let min_zoom = reader
            .min_zoom("label min_zoom")?
            .ok_or(DecodeError::InvalidValue {
                offset: min_zoom_offset,
                what: "label min_zoom",
                value: u64::from(NO_MIN_ZOOM),
            })?;
        let flags = reader.u8("label flags")?;
        let (lon, lat) = reader.lon_lat()?;
        let name = reader.string("country name")?;
        labels.push(CountryLabel {
            name,
            adm0_a3,
            lon,
            lat,
            label_rank,
            min_zoom,
            clipped_to_region: flags & 1 != 0,
        });
    }
    Ok(labels)
}
