//! The application shell: panel layout, and carrying out the commands the panels return.

use crate::map::{Basemap, MapView, TileSourceChoice};
use crate::state::{AppState, Command};
use crate::ui::top_bar::TopBarAction;

pub struct StrikemapApp {
    pub state: AppState,
    pub map: MapView,
}

/// Look and feel for briefings: the light theme reads best on a projector.
pub fn configure_context(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
}

impl StrikemapApp {
    /// The app with the bundled data and the given basemap.
    pub fn new(basemap: Basemap) -> Self {
        let state = AppState::bundled();
        let map = MapView::new(&state, basemap);
        Self { state, map }
    }

    /// The app as a user starts it: OpenStreetMap tiles when the network allows.
    pub fn new_online(ctx: &egui::Context) -> Self {
        Self::new(Basemap::new(TileSourceChoice::OpenStreetMap, ctx))
    }

    /// The app with no tiles at all: never touches the network (tests, air-gapped rooms).
    pub fn new_offline() -> Self {
        Self::new(Basemap::plain())
    }

    pub fn apply(&mut self, command: Command) {
        self.state.apply(command);
    }

    /// Lays out the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        let mut action = None;

        egui::Panel::top("top-bar").show(ui, |ui| {
            let (top_commands, top_action) =
                crate::ui::top_bar_ui(ui, &self.state, self.map.basemap.choice());
            commands.extend(top_commands);
            action = top_action;
        });

        if !self.state.messages.is_empty() {
            egui::Panel::bottom("messages").show(ui, |ui| {
                if messages_ui(ui, &self.state.messages) {
                    self.state.messages.clear();
                }
            });
        }

        egui::Panel::right("side-panel")
            .resizable(true)
            .default_size(540.0)
            .min_size(320.0)
            .show(ui, |ui| {
                commands.extend(crate::ui::side_panel_ui(ui, &self.state));
            });

        egui::CentralPanel::no_frame().show(ui, |ui| {
            commands.extend(self.map.map_ui(ui, &mut self.state));
        });

        for command in commands {
            self.apply(command);
        }
        if let Some(TopBarAction::ChooseBasemap(choice)) = action {
            self.map.basemap = Basemap::new(choice, ui.ctx());
        }
        for url in self.state.pending_urls.drain(..) {
            ui.ctx().open_url(egui::OpenUrl::new_tab(url));
        }
    }
}

/// Problems to show the user. Returns true when they were dismissed.
fn messages_ui(ui: &mut egui::Ui, messages: &[String]) -> bool {
    let mut dismissed = false;
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            for message in messages {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
        });
        dismissed = ui.button("Dismiss").clicked();
    });
    dismissed
}

impl eframe::App for StrikemapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}
