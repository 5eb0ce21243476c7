//! Users' own basemap files for Strikemap: PMTiles v3 and MBTiles 1.3, raster and vector.

mod archive;
mod error;
mod info;
mod mbtiles;
mod mvt;
mod pmtiles;
mod raster;
mod source;
pub mod write;

pub use archive::{MAX_OVERZOOM, MAX_TILE_SIZE_PX, TileArchive};
pub use error::{ErrorKind, TileFileError};
pub use info::{
    ArchiveInfo, Container, LonLatBounds, RgbaTile, TileFormat, TileLabel, VectorSchema,
};
pub use mvt::decode::Value as MvtValue;
