//! Decoding the asset: header, sections, geometry layers, places and country labels.

use super::error::DecodeError;
use super::layers::{GeometryKind, Layer};
use super::places::{CountryLabel, Place, PlaceKind};
use super::reader::{NO_MIN_ZOOM, Reader, check_coordinate, world_point};
use super::world::{DecodedAsset, Feature, GeometryLayer, Part, WorldRect};
use crate::tile_math::LonLatBounds;

const MAGIC: &[u8; 4] = b"SMBM";

const SUPPORTED_VERSION: u8 = 1;

const HEADER_LEN: usize = 9;

const TAG_LAYER: u8 = 1;

const TAG_PLACES: u8 = 2;

const TAG_COUNTRY_LABELS: u8 = 3;

const GEOMETRY_POLYGONS: u8 = 1;

const GEOMETRY_LINES: u8 = 2;

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
