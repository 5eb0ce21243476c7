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
//!
//! # Files
//!
//! `decode` (the file and its sections), `reader` (the bounds-checked byte cursor), `world`
//! (decoded geometry in world coordinates), `places` (places and country labels), `layers` (the
//! geometry layers) and `error`. Each uses only files after it in this list; none uses this one.

mod decode;
mod error;
mod layers;
mod places;
mod reader;
mod world;

pub(crate) use decode::decode;
pub use error::DecodeError;
pub use layers::Layer;
pub use places::{CountryLabel, Place, PlaceKind};
pub(crate) use world::{DecodedAsset, Feature, GeometryLayer, WorldPoint, WorldRect};
