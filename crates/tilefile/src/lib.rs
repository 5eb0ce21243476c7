//! Users' own basemap files for Strikemap: PMTiles v3 and MBTiles 1.3, raster (PNG, JPEG,
//! WebP) and vector (Mapbox Vector Tile 2.1) tiles. Pure and GUI-free: the app asks for a
//! tile's RGBA pixels and place labels and draws them itself; where the file has no tile
//! ([`TileArchive::render_tile`] gives `Ok(None)`), the app's own world map shows beneath.
//!
//! ```no_run
//! use strikemap_tilefile::TileArchive;
//! let archive = TileArchive::open(std::path::Path::new("region.pmtiles"))?;
//! println!("{:?}", archive.info().attribution);
//! if let Some(tile) = archive.render_tile(7, 87, 52, 256)? {
//!     assert_eq!(tile.rgba.len(), 256 * 256 * 4);
//! }
//! # Ok::<(), strikemap_tilefile::TileFileError>(())
//! ```
//!
//! # Opening
//! The container is recognised from the first bytes (`PMTiles` + version 3; `SQLite format
//! 3\0`), never from the extension. [`TileArchive::open`] checks, and otherwise gives a
//! [`TileFileError`] that names the file and what is wrong:
//! * the file exists, is a file, is readable and not empty;
//! * PMTiles: the 127-byte header is complete; the version is 3 (v1/v2 are named as such);
//!   internal and tile compression are none, gzip or brotli (zstd is refused by name);
//!   the tile type is MVT, PNG, JPEG or WebP; the zoom range is sane; the root directory,
//!   metadata, leaf directories and tile data sections lie inside the file; the root
//!   directory and the JSON metadata decode; every root entry points inside its section.
//!   Leaf directories are checked when first read (then cached);
//! * MBTiles: it opens as SQLite (a truncated or corrupt database gives SQLite's reason),
//!   has a `tiles` table or view (so the `map`/`images` layout works) and a `metadata` table;
//!   the format comes from `metadata.format`, else from the first tile's bytes.
//!
//! Tile reads that fail later (a file that shrank, bad gzip, an image or vector tile that
//! does not decode) are errors naming the file and the tile `z/x/y`. Nothing panics on any
//! input; decompressed data is capped at 64 MiB and at 200:1 of its compressed size
//! (`strikemap_core::formats::inflate`), stored MBTiles tiles at 64 MiB (refused unread), and
//! images at 4096 px a side.
//!
//! # Threads and cost
//! [`TileArchive`] is `Send + Sync`; call it from several worker threads at once. PMTiles
//! tiles are read with positional reads of the one open file (no lock), leaf directories
//! are cached (64, behind a mutex held only for the lookup). MBTiles keeps a pool of up to
//! four read-only SQLite connections; more threads open more. Each call does one read
//! (a directory lookup in memory, or one indexed SQLite query), then for raster tiles an
//! image decode and a bilinear resample, for vector tiles a gunzip, a protobuf decode and a
//! tiny-skia draw (features of one paint are drawn as one path). Measured in a release build
//! (`examples/tilefile_timing.rs`): a 256-px PNG tile about 2 ms (512 px: 9 ms); a
//! synthetic dense z14 vector tile (100 KB: 2 000 streets, 1 000 buildings) about 130 ms
//! (512 px: 170 ms); sparse low-zoom tiles far less. Render on worker threads. Nothing is
//! cached between calls: the app's own tile cache keeps the results; [`TileArchive::labels`]
//! decodes the tile again.
//!
//! # The built-in vector style
//! Written for the [Protomaps basemap schema](https://docs.protomaps.com/basemaps/layers)
//! (v4; v3 files draw the same). Calm and print-like, with the colours of the app's offline
//! basemap ([`strikemap_basemap::style`]) where they meet. Widths are pixels of a 256-px
//! tile, scaled for larger tiles; "a→b" means linear in zoom between the stops given.
//!
//! | layer | kinds | drawn as |
//! | --- | --- | --- |
//! | (background) | | sea `#D6E2E9` (= basemap `SEA`) |
//! | `earth` | polygons | land `#F2EFE9` (= basemap `LAND`) |
//! | `landcover` | forest · grassland, scrub · farmland · barren · glacier · urban_area | `#E2E8D8` · `#E9EDDD` · `#EFEEE1` · `#EEE7D6` · `#F8F9F9` · `#EAE7E1` |
//! | `landuse`, `natural` | park, national_park, nature_reserve, protected_area, cemetery, golf_course, garden, pitch, … | park `#E1E9D6` |
//! | | industrial, military, commercial, railway, quarry | `#E8E5E3` |
//! | | aerodrome, runway, taxiway | `#E7E6EA` |
//! | | wood, forest, grass, sand, beach, glacier, residential, … | as `landcover` |
//! | `water` | polygons (ocean, lake, water, …) | sea `#D6E2E9` |
//! | | lines: river, canal (z8+) · stream, ditch, … (z12+) | `#92B0C4` (= basemap `RIVER`), 0.5 (z8) → 1.2 (z12) → 3 (z16); minor ×0.6 |
//! | `buildings` | polygons, z13+ | `#E2DDD5` |
//! | `roads` | highway (z4+) | 0.6 (z5) → 2 (z10) → 6 (z14) → 18 (z18) |
//! | | major_road (z6+) | 0.4 (z7) → 1.3 (z10) → 4.5 (z14) → 14 (z18) |
//! | | medium_road (z9+) | 0.3 (z9) → 1 (z12) → 3.5 (z15) → 10 (z18) |
//! | | minor_road, other (z12+) | 0.4 (z12) → 1.5 (z14) → 3.5 (z16) → 8 (z18) |
//! | | path (z14+) | `#C9C1B5` dashed 2/1.5, 0.6 → 1.5 |
//! | | (all roads) | below z10 one `#D5CBBB` line; from z10 white over a casing (`#C4B9A8` highways, `#D3CCC1` others) 1 → 2 px wider |
//! | `roads` kind rail, `transit` rail | z10+ | `#B5B0A9`, 0.6 → 1.6 |
//! | `boundaries` | country | `#7E7870` (= basemap `BORDER`) dashed 6/3 (disputed: 2/2.5), 0.8 (z3) → 1.2 (z6) → 1.8 (z9) → 2.4 (z12) |
//! | | region | `#B4AEA5` (= basemap `ADMIN1_LINE`) dashed 4/2.5, 0.6 × the country width |
//! | `places` | points | not drawn: [`TileArchive::labels`] gives them to the app |
//! | `pois`, `transit` (other), `boundaries` county/locality | | not drawn |
//!
//! Drawing order: background, earth, landcover, landuse, water, waterways, buildings, road
//! casings, roads (minor first), rail, region borders, country borders. Polygons fill
//! non-zero (the spec's winding: holes run against their exterior). Over-zoomed vector
//! tiles are redrawn from the `max_zoom` ancestor at the requested zoom's widths, so lines
//! stay sharp.
//!
//! OpenMapTiles files (`water`, `waterway`, `landcover`, `landuse`, `park`, `building`,
//! `transportation`, `boundary`, `place`) get the same colours mapped from their classes over
//! a land background; files of any other schema get water-named polygon layers over land.

mod archive;
mod error;
mod info;
mod mbtiles;
mod mvt;
mod pmtiles;
mod raster;
mod source;
pub mod style;
mod styled;
pub mod write;

pub use archive::{MAX_OVERZOOM, MAX_TILE_SIZE_PX, TileArchive};
pub use error::{ErrorKind, TileFileError};
pub use info::{
    ArchiveInfo, Container, LonLatBounds, RgbaTile, TileFormat, TileLabel, VectorSchema,
};
pub use mvt::decode::Value as MvtValue;
