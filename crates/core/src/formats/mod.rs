//! The format readers: the bottom layer of loading. Each turns text in one format into the
//! model's values and says what it skipped; none of them knows about imports, tables or export.
//! They depend only on [`crate::model`], [`crate::error`] and each other.
//!
//! - [`event_schema`]: the app's own GeoJSON events and the provinces file;
//! - [`overlay`]: any other GeoJSON, as an overlay layer;
//! - [`acled`] and [`ucdp`]: the two CSV datasets, row by row ([`csv_table`], [`event_rows`]),
//!   with what they share in [`dataset`], [`dates`] and [`precision`];
//! - [`column_names`]: the names columns had in every era of the exports, in one table;
//! - [`detect`]: telling the formats apart from the content;
//! - [`not_data`]: files that are not data at all (a Git LFS pointer, an HTML page) or lack
//!   their header row, named as such;
//! - [`skips`]: the log of skipped rows and features;
//! - [`json`] and [`text_files`]: JSON errors with their place; reading and decoding files;
//! - [`kml`] (and KMZ) and [`gpx`]: XML overlays, read through `xml_tree`;
//! - [`memory`]: whether a load fits in the memory available, checked before reading;
//! - [`bundled`]: the data shipped with the app;
//! - [`shapefile`] (loose or zipped), [`geopackage`] and [`flatgeobuf`], read as overlay layers through [`layers`], their `.prj`
//!   through `wkt`;
//! - [`geotiff`]: GeoTIFF and Cloud-Optimised GeoTIFF imagery, read by window.

pub mod acled;
pub mod bundled;
pub mod column_names;
pub mod crs;
#[doc(hidden)]
pub mod csv_split;
pub(crate) mod csv_table;
pub mod dataset;
pub mod dates;
pub mod detect;
pub(crate) mod event_chunks;
pub(crate) mod event_rows;
pub mod event_schema;
pub mod file_kind;
pub mod flatgeobuf;
pub mod geopackage;
pub mod geotiff;
pub mod gpx;
pub mod inflate;
pub(crate) mod json;
pub mod kml;
pub mod layers;
pub mod memory;
pub(crate) mod not_data;
pub mod overlay;
pub mod precision;
pub(crate) mod rules;
pub mod shapefile;
pub mod skips;
pub mod text_files;
pub mod ucdp;
pub(crate) mod wkt;
mod xml_source;
pub(crate) mod xml_tree;
