//! Decoder for the basemap asset `assets/basemap/naturalearth.bin`.
//!
//! The asset is written by `scripts/derive_basemap.py` from the world Natural Earth GeoJSON
//! layers in `shared/data/world` (public domain). Decoding never panics: every read is
//! bounds-checked and every error carries the byte offset where it was found.
//!
//! # Binary format, version 2
//!
//! Integers are fixed-size little-endian or unsigned LEB128 varints ("varint"). Signed values
//! are zigzag-encoded varints ("svarint": 0, -1, 1, -2, … → 0, 1, 2, 3, …). Coordinates are
//! WGS 84 degrees as integers of 1e-5 degree; geometry layers store them in steps of `unit`
//! such units (their quantisation).
//!
//! ```text
//! file      = magic:"SMBM" version:u8=2 body_len:u32le body
//! body      = region detail_first_zoom:u8 section_count:varint section*
//!                                                      (exactly body_len bytes)
//! region    = west:svarint south:svarint east:svarint north:svarint   (1e-5 degree;
//!             the world: -180, -90, 180, 90)
//! section   = tag:u8 payload_len:varint payload
//!             tag 1 geometry layer, 2 places, 3 country labels, 4 country areas
//!             (optional; after the country labels); unknown tags are skipped
//!
//! geometry layer payload (every layer appears once per band):
//!   layer_id:u8       1 land, 3 lakes, 4 playas, 5 coastline, 6 admin-0 borders,
//!                     7 admin-1 lines, 8 rivers (2, version 1's focus countries, is retired)
//!   band:u8           0 overview (NE 50m, drawn below detail_first_zoom),
//!                     1 detail (NE 10m, drawn from detail_first_zoom up)
//!   geometry_kind:u8  1 polygons (parts are rings, closing point omitted; outer rings
//!                     counter-clockwise, holes clockwise), 2 lines (parts are polylines)
//!   unit:varint       quantisation step in 1e-5 degree (1..=100000)
//!   feature_count:varint
//!   feature*: class:u8 rank:u8 min_zoom:u8 (x10, 255 = none) part_count:varint
//!             part*: point_count:varint (dlon:svarint dlat:svarint)*
//!             Each point is a delta, in units, from the previous point of the same layer;
//!             the running point starts at (0, 0) at the start of every layer.
//!
//! places payload (sorted by scalerank, then pop_max descending):
//!   count:varint
//!   place*: kind:u8 (0 national capital, 1 province capital, 2 populated place)
//!           scalerank:u8 labelrank:u8 min_zoom:u8 (x10, 255 = none) pop_max:varint
//!           lon:svarint lat:svarint (absolute) adm0_a3:3 bytes name_len:varint name:UTF-8
//!
//! country labels payload (one per country, in placement order):
//!   count:varint
//!   label*: adm0_a3:3 bytes label_rank:u8 (placement order, 0 first)
//!           min_zoom:u8 (x10, NE min_label) max_zoom:u8 (x10, NE max_label, 255 = none)
//!           ne_labelrank:u8 flags:u8 (bit 0: clipped by the region box; always 0)
//!           lon:svarint lat:svarint (absolute) name_len:varint name:UTF-8
//!
//! country areas payload (admin-0 polygons for `Basemap::country_at`, never drawn;
//! smallest box first, so an enclave is found before the country around it):
//!   unit:varint       quantisation step in 1e-5 degree (1..=100000)
//!   polygon_count:varint
//!   polygon*: country:varint (index into the country labels, in their order)
//!             ring_count:varint (≥ 1: the outer ring, then holes)
//!             ring*: point_count:varint (≥ 3) (dlon:svarint dlat:svarint)*
//!             Closing point omitted. Each point is a delta, in units, from the previous
//!             point of the section; the running point starts at (0, 0).
//! ```
//!
//! Class bytes: borders 0 international, 1 line of control, 2 disputed (also NE's claim and
//! breakaway lines), 3 indefinite (also indeterminate frontiers, lease and overlay limits,
//! reference lines and the elusive frontier); lakes 0 lake, 1 reservoir, 2 alkaline lake;
//! rivers 0 river, 1 lake centre-line; 0 elsewhere.
//!
//! The detail band of the embedded asset is decoded on first use (see `asset`); every
//! section's framing is checked up front.
//!
//! # Files
//!
//! `decode` (the file and its sections), `asset` (the decoded asset and its lazily decoded
//! detail band), `sections` (the section payloads), `areas` (the country areas and their
//! point lookup), `reader` (the bounds-checked byte cursor),
//! `world` (decoded geometry in world coordinates), `places` (places and country labels),
//! `layers` (the geometry layers) and `error`. Each uses only files after it in this list;
//! none uses this one.

mod areas;
mod asset;
mod decode;
mod error;
mod layers;
mod places;
mod reader;
mod sections;
mod world;

pub(crate) use asset::{DecodedAsset, band_layer};
pub(crate) use decode::{decode, decode_lazily};
pub use error::DecodeError;
pub use layers::Layer;
pub use places::{CountryLabel, Place, PlaceKind};
pub(crate) use world::{Feature, GeometryLayer, Part, WorldPoint, WorldRect};
