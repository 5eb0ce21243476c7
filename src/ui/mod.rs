//! The panels around the map. Each `*_ui` function reads state and returns commands.

pub mod case_annotations;
pub mod case_editor;
pub mod case_event_editor;
pub mod case_fields;
pub mod case_sources;
pub mod deck_template;
pub mod imagery_panel;
pub mod side_panel;
pub mod source_evidence;
pub mod strike_history;
pub mod timeline;
pub mod top_bar;

pub use side_panel::side_panel_ui;
pub use top_bar::top_bar_ui;
