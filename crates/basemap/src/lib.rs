//! Offline raster basemap for the Iran–Pakistan border region.
//!
//! Renders Web Mercator XYZ tiles in-process from Natural Earth 1:10m layers (public domain)
//! packed into a small binary asset (`assets/basemap/naturalearth.bin`, written by
//! `scripts/derive_basemap.py`; the format is described at the top of `src/data/mod.rs`). No
//! network, no GUI dependency: the app uploads [`TileImage::rgba`] as a texture and draws its
//! own text labels from [`Basemap::places`] and [`Basemap::country_labels`].
//!
//! ```no_run
//! let basemap = strikemap_basemap::Basemap::embedded()?;
//! let tile = basemap.render_tile(7, 87, 52, 256);
//! assert_eq!(tile.rgba.len(), 256 * 256 * 4);
//! # Ok::<(), strikemap_basemap::DecodeError>(())
//! ```
//!
//! [`Basemap`] is immutable after decoding and `Send + Sync`; render tiles from as many
//! worker threads as you like.

mod data;
mod geometry;
mod render;
pub mod style;
pub mod tile_math;

pub use data::{CountryLabel, DecodeError, Layer, Place, PlaceKind};
pub use render::{MAX_TILE_SIZE_PX, MAX_ZOOM, TileImage};
pub use tile_math::LonLatBounds;

/// The asset bundled into the binary.
static EMBEDDED_ASSET: &[u8] = include_bytes!("../../../assets/basemap/naturalearth.bin");

/// Decoded basemap data, ready to render tiles.
#[derive(Debug, Clone)]
pub struct Basemap {
    asset: data::DecodedAsset,
}

impl Basemap {
    /// Decodes an asset written by `scripts/derive_basemap.py`. Never panics; malformed
    /// bytes give a [`DecodeError`] naming the byte offset.
    pub fn from_bytes(bytes: &[u8]) -> Result<Basemap, DecodeError> {
        Ok(Basemap {
            asset: data::decode(bytes)?,
        })
    }

    /// Decodes the asset compiled into the crate (about 4 ms in release builds).
    pub fn embedded() -> Result<Basemap, DecodeError> {
        Self::from_bytes(EMBEDDED_ASSET)
    }

    /// The raw bytes of the compiled-in asset.
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_ASSET
    }

    /// Renders tile (`x`, `y`) at `zoom` as a `size_px` × `size_px` image (256 for standard,
    /// 512 for HiDPI; line widths scale with `size_px / 256`).
    ///
    /// Tiles that do not overlap [`Basemap::region`], tiles outside the zoom's tile grid and
    /// zooms above [`MAX_ZOOM`] come back with `has_data == false`, filled with
    /// [`style::NO_DATA_BACKGROUND`]. In tiles that straddle the region's edge the part
    /// outside is filled with that colour too. `size_px` is clamped to
    /// [`MAX_TILE_SIZE_PX`]; `size_px == 0` gives an empty image.
    pub fn render_tile(&self, zoom: u8, x: u32, y: u32, size_px: u32) -> TileImage {
        render::render_tile(&self.asset, zoom, x, y, size_px)
    }

    /// The box the data covers (sea inside it wherever there is no land).
    pub fn region(&self) -> LonLatBounds {
        self.asset.region
    }

    /// Populated places, sorted by Natural Earth scalerank and then population (descending),
    /// which suits greedy label placement.
    pub fn places(&self) -> &[Place] {
        &self.asset.places
    }

    /// One label point per country touching the region, largest area first.
    pub fn country_labels(&self) -> &[CountryLabel] {
        &self.asset.country_labels
    }

    /// Number of features in a geometry layer (multi-polygons count once per polygon).
    pub fn feature_count(&self, layer: Layer) -> usize {
        self.asset
            .layer(layer)
            .map_or(0, |decoded| decoded.features.len())
    }

    /// Number of vertices in a geometry layer.
    pub fn vertex_count(&self, layer: Layer) -> usize {
        self.asset
            .layer(layer)
            .map_or(0, |decoded| decoded.points.len())
    }
}
