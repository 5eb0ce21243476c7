//! The top bar: title, event count and view controls.

use crate::map::TileSourceChoice;
use crate::state::{AppState, Command};
use egui::{RichText, Ui};

/// What the top bar asks for besides state commands.
#[derive(Debug, PartialEq, Eq)]
pub enum TopBarAction {
    ChooseBasemap(TileSourceChoice),
    /// Open the dialog that asks for a custom XYZ URL.
    AskForCustomUrl,
}

pub fn top_bar_ui(
    ui: &mut Ui,
    state: &AppState,
    basemap: &TileSourceChoice,
) -> (Vec<Command>, Option<TopBarAction>) {
    let mut commands = Vec::new();
    let mut action = None;
    ui.horizontal(|ui| {
        ui.label(RichText::new("Strikemap").strong().size(18.0));
        if let Some(title) = &state.title {
            ui.label(RichText::new(title).size(16.0));
        }
        ui.separator();
        let count = state.events.len();
        ui.label(format!(
            "{count} {}",
            if count == 1 { "event" } else { "events" }
        ));
        ui.separator();
        if ui
            .button("Fit to events")
            .on_hover_text("Zoom the map to show every event")
            .clicked()
        {
            commands.push(Command::FitToEvents);
        }
        if ui
            .button("Overview")
            .on_hover_text("Zoom the map to the provinces and events")
            .clicked()
        {
            commands.push(Command::FitToOverview);
        }
        ui.separator();
        egui::ComboBox::from_label("Basemap")
            .selected_text(basemap.label())
            .show_ui(ui, |ui| {
                for choice in [
                    TileSourceChoice::Offline,
                    TileSourceChoice::OpenStreetMap,
                    TileSourceChoice::OpenTopoMap,
                ] {
                    if ui
                        .selectable_label(basemap == &choice, choice.label())
                        .clicked()
                        && basemap != &choice
                    {
                        action = Some(TopBarAction::ChooseBasemap(choice));
                    }
                }
                let custom = matches!(basemap, TileSourceChoice::CustomXyz { .. });
                if ui.selectable_label(custom, "Custom XYZ URL…").clicked() {
                    action = Some(TopBarAction::AskForCustomUrl);
                }
            });
        if basemap.is_online() {
            ui.label(
                RichText::new("online: tiles load when the network allows")
                    .small()
                    .weak(),
            );
        }
    });
    (commands, action)
}
