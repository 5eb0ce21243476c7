//! Strikemap: a briefing map of cross-border strikes.
//!
//! The pure parts ([`model`], [`data`], [`geometry`] from `strikemap_core`, and [`state`])
//! import no egui; the map and the panels ([`map`], [`ui`]) are thin layers on top, assembled
//! by [`app::StrikemapApp`].

pub mod app;
pub mod cli;
pub mod loading;
pub mod map;
pub mod present;
pub mod state;
pub mod style;
pub mod ui;

pub use app::StrikemapApp;
pub use strikemap_core::{
    border, data, export, geometry, import, model, search, spatial, table, text, timeline, validate,
};
