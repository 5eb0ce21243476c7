//! Strikemap: a briefing map of cross-border strikes.
//!
//! The pure parts ([`model`], [`data`], [`geometry`], [`state`]) import no egui; the map and the
//! panels ([`map`], [`ui`]) are thin layers on top, assembled by [`app::StrikemapApp`].

pub mod app;
pub mod data;
pub mod geometry;
pub mod map;
pub mod model;
pub mod state;
pub mod style;
pub mod ui;

pub use app::StrikemapApp;
