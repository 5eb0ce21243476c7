//! Offline raster basemap of the whole world.
//!
//! Renders Web Mercator XYZ tiles in-process from Natural Earth layers (public domain) packed
//! into a compact binary asset (`assets/basemap/naturalearth.bin`, written by
//! `scripts/derive_basemap.py`; the format is described at the top of `src/data/mod.rs`). Two
//! bands: NE 50m below zoom 6 (fast, uncluttered overviews), NE 10m from zoom 6 up. Natural
//! Earth 10m is drawn for about 1:10,000,000, so detail runs out around
//! [`DETAIL_ENDS_AT_ZOOM`]; deeper tiles still render, as scaled-up vectors. No network, no
//! GUI dependency: the app uploads [`TileImage::rgba`] as a texture and draws its own text
//! labels from [`Basemap::places`] and [`Basemap::country_labels`]; [`Basemap::country_at`]
//! says which country a point is in, so every country in view can be labelled.
//!
//! ```no_run
//! let basemap = strikemap_basemap::Basemap::embedded()?;
//! let tile = basemap.render_tile(7, 87, 52, 256);
//! assert_eq!(tile.rgba.len(), 256 * 256 * 4);
//! # Ok::<(), strikemap_basemap::DecodeError>(())
//! ```
//!
//! [`Basemap`] is immutable after decoding (its detail band is filled in once, on first use)
//! and `Send + Sync`; render tiles from as many worker threads as you like.

mod cull;
mod data;
mod geometry;
mod render;
pub mod style;
pub mod tile_math;

pub use data::{CountryLabel, DecodeError, Layer, Place, PlaceKind};
pub use render::{MAX_TILE_SIZE_PX, MAX_ZOOM, TileImage};
pub use tile_math::LonLatBounds;

/// The zoom from which offline detail runs out. Natural Earth 10m is drawn for about
/// 1:10,000,000 (coasts and borders can be 1–2 km off, several pixels from zoom 9 on, where a
/// pixel is about 300 m) and has no roads or villages; from here on a tile shows little more
/// than a scaled-up version of the zoom before. Tiles still render up to [`MAX_ZOOM`]; the app
/// can say "offline detail ends at about 1:10M; open a detailed basemap for more".
pub const DETAIL_ENDS_AT_ZOOM: u8 = 9;

/// The asset bundled into the binary.
static EMBEDDED_ASSET: &[u8] = include_bytes!("../../../assets/basemap/naturalearth.bin");

/// The embedded basemap, decoded once for the whole process (see [`shared`]).
static SHARED: std::sync::OnceLock<Result<Basemap, DecodeError>> = std::sync::OnceLock::new();

/// The embedded basemap, decoded by the first caller (a few milliseconds; others wait for it)
/// and shared by everyone after: tile renderers, labels, border distances.
pub fn shared() -> Result<&'static Basemap, &'static DecodeError> {
    SHARED.get_or_init(Basemap::embedded).as_ref()
}

/// Whether [`shared`] has been decoded (so a caller that must not wait can skip it for now).
pub fn shared_is_ready() -> bool {
    SHARED.get().is_some()
}

/// Decoded basemap data, ready to render tiles.
#[derive(Debug, Clone)]
pub struct Basemap {
    asset: data::DecodedAsset,
}

impl Basemap {
    /// Decodes an asset written by `scripts/derive_basemap.py`, both bands at once. Never
    /// panics; malformed bytes give a [`DecodeError`] naming the byte offset.
    pub fn from_bytes(bytes: &[u8]) -> Result<Basemap, DecodeError> {
        Ok(Basemap {
            asset: data::decode(bytes)?,
        })
    }

    /// Decodes the asset compiled into the crate: the overview band, places and labels now
    /// (a few milliseconds in release builds), the 10m detail band on first use by a tile at
    /// [`Basemap::detail_first_zoom`] or deeper (see [`Basemap::decode_detail`]).
    pub fn embedded() -> Result<Basemap, DecodeError> {
        Ok(Basemap {
            asset: data::decode_lazily(EMBEDDED_ASSET)?,
        })
    }

    /// The raw bytes of the compiled-in asset.
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_ASSET
    }

    /// Decodes the detail band now if it is not decoded yet (it takes tens of milliseconds:
    /// call this on a worker thread to keep the first detailed tile fast). Safe to call from
    /// several threads; the band is decoded once. If it cannot be decoded, tiles fall back to
    /// the overview band at every zoom.
    pub fn decode_detail(&self) -> Result<(), DecodeError> {
        self.asset
            .detail
            .layers()
            .map(|_| ())
            .map_err(DecodeError::clone)
    }

    /// True once the detail band is decoded.
    pub fn detail_is_decoded(&self) -> bool {
        self.asset.detail.is_decoded()
    }

    /// Tiles at this zoom and deeper are drawn from the Natural Earth 10m detail band, lower
    /// zooms from the 50m overview band.
    pub fn detail_first_zoom(&self) -> u8 {
        self.asset.detail_first_zoom
    }

    /// Approximate heap memory of the decoded data in bytes (the detail band counts once it
    /// is decoded).
    pub fn heap_bytes(&self) -> usize {
        self.asset.heap_bytes()
    }

    /// Renders tile (`x`, `y`) at `zoom` as a `size_px` × `size_px` image (256 for standard,
    /// 512 for HiDPI; line widths scale with `size_px / 256`).
    ///
    /// Every tile of the zoom's grid has data. Tiles outside the grid (`x` or `y` ≥ 2^zoom)
    /// and zooms above [`MAX_ZOOM`] come back with `has_data == false`, filled with
    /// [`style::NO_DATA_BACKGROUND`]. Natural Earth cuts features at ±180°, so tiles on the
    /// grid's east and west edges show their own side's land and nothing wraps across.
    /// `size_px` is clamped to [`MAX_TILE_SIZE_PX`]; `size_px == 0` gives an empty image.
    pub fn render_tile(&self, zoom: u8, x: u32, y: u32, size_px: u32) -> TileImage {
        render::render_tile(&self.asset, zoom, x, y, size_px)
    }

    /// The box the data covers: the whole world (sea wherever there is no land).
    pub fn region(&self) -> LonLatBounds {
        self.asset.region
    }

    /// Populated places, sorted by Natural Earth scalerank and then population (descending),
    /// which suits greedy label placement.
    pub fn places(&self) -> &[Place] {
        &self.asset.places
    }

    /// One label point per country (every Natural Earth admin-0 unit), in placement order
    /// (see [`CountryLabel::label_rank`]).
    pub fn country_labels(&self) -> &[CountryLabel] {
        &self.asset.country_labels
    }

    /// The country at (`lon`, `lat`) in degrees, as an index into
    /// [`Basemap::country_labels`], if the point is on a country's land.
    ///
    /// Looked up in Natural Earth 10m admin-0 polygons simplified to about 2 km (quantised to
    /// 1e-3°), so answers within a few km of a coast or border may name the neighbour or
    /// `None`. Lakes inside a country count as that country (Natural Earth's polygons include
    /// them); the Caspian Sea does not. Points outside −180..=180 / −90..=90 and NaN give `None`
    /// (the map does not wrap). About 0.1–0.3 µs per call in a release build; never panics.
    pub fn country_at(&self, lon: f64, lat: f64) -> Option<usize> {
        self.asset.country_areas.country_at(lon, lat)
    }

    /// The country named `name` (Natural Earth's English name, or its `adm0_a3` code; any
    /// case), as an index into [`Basemap::country_labels`].
    pub fn country_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.asset.country_labels.iter().position(|label| {
            label.name.eq_ignore_ascii_case(name) || label.adm0_a3.eq_ignore_ascii_case(name)
        })
    }

    /// The land border between two countries (indices into [`Basemap::country_labels`]) as
    /// lines of (lon, lat) points: the edges of `a`'s area polygons that run along `b`'s.
    /// Empty when they do not meet. From the same polygons as [`Basemap::country_at`]
    /// (simplified to about 2 km), so a distance to it is good to a few kilometres. Takes
    /// about a millisecond per thousand edges of `a`; cache the answer.
    pub fn border_between(&self, a: usize, b: usize) -> Vec<Vec<[f64; 2]>> {
        if a == b {
            return Vec::new();
        }
        self.asset.country_areas.shared_border(a, b)
    }

    /// The countries (indices into [`Basemap::country_labels`]) that have polygons for
    /// [`Basemap::country_at`], one entry per polygon (a country repeats once per island).
    pub fn country_area_countries(&self) -> impl Iterator<Item = usize> + '_ {
        self.asset.country_areas.countries()
    }

    /// Number of features in a geometry layer of the detail band (multi-polygons count once
    /// per polygon). Decodes the detail band if need be; 0 if it cannot be decoded.
    pub fn feature_count(&self, layer: Layer) -> usize {
        self.detail_layer(layer)
            .map_or(0, |decoded| decoded.features.len())
    }

    /// Number of vertices in a geometry layer of the detail band (see
    /// [`Basemap::feature_count`]).
    pub fn vertex_count(&self, layer: Layer) -> usize {
        self.detail_layer(layer)
            .map_or(0, |decoded| decoded.points.len())
    }

    /// Number of vertices in a geometry layer of the overview band.
    pub fn overview_vertex_count(&self, layer: Layer) -> usize {
        data::band_layer(&self.asset.overview, layer).map_or(0, |decoded| decoded.points.len())
    }

    fn detail_layer(&self, layer: Layer) -> Option<&data::GeometryLayer> {
        let band = self.asset.detail.layers().ok()?;
        data::band_layer(band, layer)
    }
}
