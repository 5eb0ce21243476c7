//! The decoded asset: the overview band, the detail band (decoded on first use when the
//! asset is the embedded one), places, country labels and country areas.

use std::ops::Range;
use std::sync::OnceLock;

use super::areas::CountryAreas;
use super::error::DecodeError;
use super::layers::Layer;
use super::places::{CountryLabel, Place};
use super::reader::Reader;
use super::sections::{BAND_DETAIL, decode_layer_body, layer_header};
use super::world::GeometryLayer;
use crate::tile_math::LonLatBounds;

/// The geometry layers of one band, indexed by `Layer::index`.
pub(crate) type BandLayers = Vec<GeometryLayer>;

/// The layer `layer` of a band.
pub(crate) fn band_layer(band: &[GeometryLayer], layer: Layer) -> Option<&GeometryLayer> {
    band.get(layer.index())
}

/// The detail band: decoded at once, or kept as byte ranges of a `'static` asset and decoded
/// the first time it is needed (at most once, from whichever thread asks first).
#[derive(Debug, Clone)]
pub(crate) struct DetailBand {
    source: &'static [u8],
    /// Payload ranges of the band's layer sections in `source`, by `Layer::index`.
    sections: Vec<Range<usize>>,
    decoded: OnceLock<Result<BandLayers, DecodeError>>,
}

impl DetailBand {
    pub(super) fn decoded(layers: BandLayers) -> Self {
        DetailBand {
            source: &[],
            sections: Vec::new(),
            decoded: OnceLock::from(Ok(layers)),
        }
    }

    pub(super) fn lazy(source: &'static [u8], sections: Vec<Range<usize>>) -> Self {
        DetailBand {
            source,
            sections,
            decoded: OnceLock::new(),
        }
    }

    /// The band's layers, decoding them now if need be.
    pub fn layers(&self) -> Result<&[GeometryLayer], &DecodeError> {
        self.decoded
            .get_or_init(|| decode_detail_sections(self.source, &self.sections))
            .as_ref()
            .map(Vec::as_slice)
    }

    /// True once the band has been decoded successfully.
    pub fn is_decoded(&self) -> bool {
        matches!(self.decoded.get(), Some(Ok(_)))
    }
}

fn decode_detail_sections(
    source: &[u8],
    sections: &[Range<usize>],
) -> Result<BandLayers, DecodeError> {
    let mut layers = Vec::with_capacity(sections.len());
    for (expected, range) in Layer::ALL.into_iter().zip(sections) {
        let bytes = source.get(..range.end).ok_or(DecodeError::UnexpectedEnd {
            offset: range.start,
            what: "detail layer",
        })?;
        let mut reader = Reader::new(bytes, range.start);
        let (layer, band) = layer_header(&mut reader)?;
        if layer != expected || band != BAND_DETAIL {
            return Err(DecodeError::InvalidValue {
                offset: range.start,
                what: "detail layer id",
                value: u64::from(band),
            });
        }
        layers.push(decode_layer_body(&mut reader, layer)?);
        if !reader.is_at_end() {
            return Err(DecodeError::LengthMismatch {
                offset: range.start,
                what: "detail layer",
                declared: range.len() as u64,
                available: (reader.offset - range.start) as u64,
            });
        }
    }
    if layers.len() != Layer::ALL.len() {
        return Err(DecodeError::Missing {
            what: "detail layer",
        });
    }
    Ok(layers)
}

/// Everything decoded from the asset.
#[derive(Debug, Clone)]
pub(crate) struct DecodedAsset {
    pub region: LonLatBounds,
    /// Zooms from this one up draw the detail band; lower zooms the overview band.
    pub detail_first_zoom: u8,
    pub overview: BandLayers,
    pub detail: DetailBand,
    pub places: Vec<Place>,
    pub country_labels: Vec<CountryLabel>,
    /// Simplified country polygons for `Basemap::country_at` (empty if the asset has none).
    pub country_areas: CountryAreas,
}

impl DecodedAsset {
    /// The layers to draw at `zoom`. Falls back to the overview band when the detail band
    /// cannot be decoded, so a tile is always drawn.
    pub fn band_for_zoom(&self, zoom: u8) -> &[GeometryLayer] {
        if zoom >= self.detail_first_zoom
            && let Ok(detail) = self.detail.layers()
        {
            return detail;
        }
        &self.overview
    }

    /// Approximate heap bytes of the decoded data (the detail band only once decoded).
    pub fn heap_bytes(&self) -> usize {
        let band_bytes = |band: &[GeometryLayer]| {
            band.iter().map(GeometryLayer::heap_bytes).sum::<usize>() + std::mem::size_of_val(band)
        };
        let detail = match self.detail.decoded.get() {
            Some(Ok(layers)) => band_bytes(layers),
            _ => 0,
        };
        let place_bytes: usize = self
            .places
            .iter()
            .map(|place| {
                std::mem::size_of::<Place>() + place.name.capacity() + place.adm0_a3.capacity()
            })
            .sum();
        let label_bytes: usize = self
            .country_labels
            .iter()
            .map(|label| {
                std::mem::size_of::<CountryLabel>()
                    + label.name.capacity()
                    + label.adm0_a3.capacity()
            })
            .sum();
        band_bytes(&self.overview)
            + detail
            + place_bytes
            + label_bytes
            + self.country_areas.heap_bytes()
    }
}
