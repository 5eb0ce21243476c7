//! Strikemap: a briefing map of cross-border strikes.
//!
//! Layers, every arrow pointing down (`ARCHITECTURE.md`):
//! [`app`] → {[`ui`], [`map`], [`present`]} → {[`settings`], [`state`], [`markers`],
//! [`describe`], [`style`], [`loading`]} → `strikemap_core`. The pure parts ([`state`] and
//! the core) import no egui, and [`settings`] only eframe's storage; the map and the panels
//! are thin layers on top that read state and return [`state::Command`]s, which
//! [`app::StrikemapApp`] applies.

pub mod app;
pub mod cli;
pub mod describe;
pub mod loading;
pub mod map;
pub mod markers;
pub mod present;
pub mod settings;
pub mod slide_text;
pub mod state;
pub mod store_cli;
pub mod style;
pub mod team;
pub mod ui;

pub use app::StrikemapApp;
pub use strikemap_core::{
    border, case, coords, error, export, formats, geometry, import, model, search, spatial, table,
    text, timeline, validate,
};
