//! Decoders for the section payloads: a geometry layer, places and country labels.

use super::error::DecodeError;
use super::layers::{GeometryKind, Layer};
use super::places::{CountryLabel, Place, PlaceKind};
use super::reader::{NO_MIN_ZOOM, Reader, world_point};
use super::world::{Feature, GeometryLayer, WorldRect};

const GEOMETRY_POLYGONS: u8 = 1;

const GEOMETRY_LINES: u8 = 2;

/// Band byte of the overview band (drawn below the detail band's first zoom).
pub(super) const BAND_OVERVIEW: u8 = 0;

/// Band byte of the detail band.
pub(super) const BAND_DETAIL: u8 = 1;

/// Reads the first two bytes of a geometry layer payload: the layer and its band.
pub(super) fn layer_header(reader: &mut Reader<'_>) -> Result<(Layer, u8), DecodeError> {
    let id_offset = reader.offset;
    let layer_id = reader.u8("layer id")?;
    let layer = Layer::from_id(layer_id).ok_or(DecodeError::InvalidValue {
        offset: id_offset,
        what: "layer id",
        value: u64::from(layer_id),
    })?;
    let band_offset = reader.offset;
    let band = reader.u8("band")?;
    if band != BAND_OVERVIEW && band != BAND_DETAIL {
        return Err(DecodeError::InvalidValue {
            offset: band_offset,
            what: "band",
            value: u64::from(band),
        });
    }
    Ok((layer, band))
}

/// Decodes a geometry layer payload after its header (see [`layer_header`]).
pub(super) fn decode_layer_body(
    reader: &mut Reader<'_>,
    layer: Layer,
) -> Result<GeometryLayer, DecodeError> {
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
    let unit = reader.unit()?;
    let min_points_per_part: usize = match kind {
        GeometryKind::Polygons => 3,
        GeometryKind::Lines => 2,
    };

    // A feature needs at least 4 bytes (3 header bytes and a part count).
    let feature_count = reader.count("feature count", 4)?;
    let mut layer = GeometryLayer {
        features: Vec::with_capacity(feature_count),
        ..GeometryLayer::default()
    };
    let mut lon_units: i64 = 0;
    let mut lat_units: i64 = 0;
    for _ in 0..feature_count {
        let class = reader.u8("feature class")?;
        let rank = reader.u8("feature rank")?;
        let min_zoom = reader.min_zoom("feature min_zoom")?;
        // A part needs at least one count byte and two bytes per point.
        let part_count = reader.count("part count", 1 + 2 * min_points_per_part)?;
        let first_part = layer.parts.len();
        let mut feature_bounds = WorldRect::EMPTY;
        for _ in 0..part_count {
            let point_count = reader.point_count(min_points_per_part)?;
            let first_point = layer.points.len();
            for _ in 0..point_count {
                (lon_units, lat_units) = reader.delta_point(unit, lon_units, lat_units)?;
                layer.points.push(world_point(lon_units, lat_units));
            }
            let part_bounds = layer.finish_part(first_point);
            feature_bounds.include_rect(&part_bounds);
        }
        layer.features.push(Feature {
            class,
            rank,
            min_zoom,
            bounds: feature_bounds,
            parts: first_part..layer.parts.len(),
        });
    }
    layer.points.shrink_to_fit();
    layer.parts.shrink_to_fit();
    layer.chunks.shrink_to_fit();
    Ok(layer)
}

pub(super) fn decode_places(reader: &mut Reader<'_>) -> Result<Vec<Place>, DecodeError> {
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

pub(super) fn decode_country_labels(
    reader: &mut Reader<'_>,
) -> Result<Vec<CountryLabel>, DecodeError> {
    // A label needs at least 3 + 5 + 2 + 1 bytes.
    let count = reader.count("country label count", 11)?;
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
        let max_zoom = reader.min_zoom("label max_zoom")?;
        let ne_label_rank = reader.u8("label NE labelrank")?;
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
            max_zoom,
            ne_label_rank,
            clipped_to_region: flags & 1 != 0,
        });
    }
    Ok(labels)
}
