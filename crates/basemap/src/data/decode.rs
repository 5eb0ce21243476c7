//! Decoding the asset: header, sections, and which band each geometry layer belongs to.

use std::ops::Range;

use super::areas::decode_country_areas;
use super::asset::{BandLayers, DecodedAsset, DetailBand};
use super::error::DecodeError;
use super::layers::Layer;
use super::reader::Reader;
use super::sections::{
    BAND_OVERVIEW, decode_country_labels, decode_layer_body, decode_places, layer_header,
};
use super::world::GeometryLayer;
use crate::tile_math::LonLatBounds;

const MAGIC: &[u8; 4] = b"SMBM";

const SUPPORTED_VERSION: u8 = 2;

const HEADER_LEN: usize = 9;

const TAG_LAYER: u8 = 1;

const TAG_PLACES: u8 = 2;

const TAG_COUNTRY_LABELS: u8 = 3;

const TAG_COUNTRY_AREAS: u8 = 4;

/// Highest zoom the detail band may start at.
const MAX_DETAIL_FIRST_ZOOM: u8 = 30;

/// Decodes a complete asset, the detail band included.
pub(crate) fn decode(bytes: &[u8]) -> Result<DecodedAsset, DecodeError> {
    decode_with(bytes, None)
}

/// Decodes an asset that lives for the whole program, leaving the detail band to be decoded on
/// first use. The framing of every section is still checked now.
pub(crate) fn decode_lazily(bytes: &'static [u8]) -> Result<DecodedAsset, DecodeError> {
    decode_with(bytes, Some(bytes))
}

/// A detail layer seen while reading the sections.
enum DetailSlot {
    Empty,
    Decoded(GeometryLayer),
    Deferred(Range<usize>),
}

fn decode_with(
    bytes: &[u8],
    lazy_source: Option<&'static [u8]>,
) -> Result<DecodedAsset, DecodeError> {
    let mut reader = Reader::new(bytes, 0);
    read_header(&mut reader, bytes.len())?;
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
    let zoom_offset = reader.offset;
    let detail_first_zoom = reader.u8("detail band first zoom")?;
    if detail_first_zoom > MAX_DETAIL_FIRST_ZOOM {
        return Err(DecodeError::InvalidValue {
            offset: zoom_offset,
            what: "detail band first zoom",
            value: u64::from(detail_first_zoom),
        });
    }

    let section_count = reader.count("section count", 2)?;
    let mut overview: Vec<Option<GeometryLayer>> = vec![None; Layer::ALL.len()];
    let mut detail: Vec<DetailSlot> = Layer::ALL.iter().map(|_| DetailSlot::Empty).collect();
    let mut places = None;
    let mut country_labels: Option<Vec<_>> = None;
    let mut country_areas = None;
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
        let duplicate = |what| DecodeError::Duplicate {
            offset: payload_start,
            what,
        };
        match tag {
            TAG_LAYER => {
                let (layer, band) = layer_header(&mut section)?;
                if band == BAND_OVERVIEW {
                    let slot = overview
                        .get_mut(layer.index())
                        .ok_or(DecodeError::Missing { what: layer.name() })?;
                    if slot.is_some() {
                        return Err(duplicate(layer.name()));
                    }
                    *slot = Some(decode_layer_body(&mut section, layer)?);
                } else {
                    let slot = detail
                        .get_mut(layer.index())
                        .ok_or(DecodeError::Missing { what: layer.name() })?;
                    if !matches!(slot, DetailSlot::Empty) {
                        return Err(duplicate(layer.name()));
                    }
                    *slot = if lazy_source.is_some() {
                        section.offset = payload_end;
                        DetailSlot::Deferred(payload_start..payload_end)
                    } else {
                        DetailSlot::Decoded(decode_layer_body(&mut section, layer)?)
                    };
                }
            }
            TAG_PLACES => {
                if places.is_some() {
                    return Err(duplicate("places section"));
                }
                places = Some(decode_places(&mut section)?);
            }
            TAG_COUNTRY_LABELS => {
                if country_labels.is_some() {
                    return Err(duplicate("country labels section"));
                }
                country_labels = Some(decode_country_labels(&mut section)?);
            }
            TAG_COUNTRY_AREAS => {
                if country_areas.is_some() {
                    return Err(duplicate("country areas section"));
                }
                let label_count =
                    country_labels
                        .as_ref()
                        .map(Vec::len)
                        .ok_or(DecodeError::Missing {
                            what: "country labels section before the country areas",
                        })?;
                country_areas = Some(decode_country_areas(&mut section, label_count)?);
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

    let overview = Layer::ALL
        .into_iter()
        .zip(overview)
        .map(|(layer, slot)| slot.ok_or(DecodeError::Missing { what: layer.name() }))
        .collect::<Result<BandLayers, _>>()?;
    let detail = match lazy_source {
        Some(source) => {
            let ranges = Layer::ALL
                .into_iter()
                .zip(detail)
                .map(|(layer, slot)| match slot {
                    DetailSlot::Deferred(range) => Ok(range),
                    _ => Err(DecodeError::Missing { what: layer.name() }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            DetailBand::lazy(source, ranges)
        }
        None => DetailBand::decoded(
            Layer::ALL
                .into_iter()
                .zip(detail)
                .map(|(layer, slot)| match slot {
                    DetailSlot::Decoded(decoded) => Ok(decoded),
                    _ => Err(DecodeError::Missing { what: layer.name() }),
                })
                .collect::<Result<BandLayers, _>>()?,
        ),
    };
    Ok(DecodedAsset {
        region,
        detail_first_zoom,
        overview,
        detail,
        places: places.ok_or(DecodeError::Missing {
            what: "places section",
        })?,
        country_labels: country_labels.ok_or(DecodeError::Missing {
            what: "country labels section",
        })?,
        country_areas: country_areas.unwrap_or_default(),
    })
}

/// Checks magic, version and body length.
fn read_header(header: &mut Reader<'_>, total_len: usize) -> Result<(), DecodeError> {
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
    let available = total_len.saturating_sub(HEADER_LEN);
    if usize::try_from(declared_body_len).ok() != Some(available) {
        return Err(DecodeError::LengthMismatch {
            offset: length_offset,
            what: "body length",
            declared: u64::from(declared_body_len),
            available: available as u64,
        });
    }
    Ok(())
}
