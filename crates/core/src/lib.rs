//! Strikemap's pure core: the event model, loading and validating data files, and map
//! geometry. No GUI code, so it tests fast and can be used by tools without a window.

pub mod border;
pub mod case;
pub mod coords;
pub mod error;
pub mod export;
mod fast_hash;
pub mod formats;
pub mod geometry;
pub mod import;
pub mod measure;
pub mod model;
pub mod search;
pub mod spatial;
pub mod table;
pub mod text;
pub mod timeline;
pub mod validate;
