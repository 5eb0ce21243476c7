//! The application shell: panel layout, and carrying out the commands the panels return.

use crate::map::tiles::validate_xyz_template;
use crate::map::{Basemap, MapView, TileSourceChoice};
use crate::state::{AppState, Command};
use crate::ui::top_bar::TopBarAction;
use std::path::PathBuf;

pub struct StrikemapApp {
    pub state: AppState,
    pub map: MapView,
    pub settings: Settings,
    custom_url_dialog: Option<CustomUrlDialog>,
}

/// Look and feel for briefings: the light theme reads best on a projector.
pub fn configure_context(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
}

/// What is remembered between runs (eframe persistence). Every field has a default, so a settings
/// file from an older version loads, and an unreadable one gives the defaults.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub basemap: TileSourceChoice,
    /// The last custom XYZ URL typed, offered again in the dialog.
    pub custom_url_draft: String,
}

impl Settings {
    pub const STORAGE_KEY: &'static str = "strikemap-settings";

    /// The stored settings, or the defaults when there are none or they cannot be read.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|storage| eframe::get_value(storage, Self::STORAGE_KEY))
            .unwrap_or_default()
    }

    pub fn store(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Self::STORAGE_KEY, self);
    }
}

/// The "Custom XYZ URL…" dialog.
#[derive(Debug, Default)]
struct CustomUrlDialog {
    draft: String,
    error: Option<String>,
}

impl StrikemapApp {
    /// The app with the bundled data; online tiles are cached under `tile_cache_root`.
    pub fn new(ctx: &egui::Context, settings: Settings, tile_cache_root: Option<PathBuf>) -> Self {
        let state = AppState::bundled();
        let basemap = Basemap::new(settings.basemap.clone(), ctx, tile_cache_root);
        let map = MapView::new(&state, basemap);
        Self {
            state,
            map,
            settings,
            custom_url_dialog: None,
        }
    }

    /// The app as a user starts it: settings from the last run, tiles cached in the user's
    /// cache directory.
    pub fn from_creation_context(creation_context: &eframe::CreationContext<'_>) -> Self {
        configure_context(&creation_context.egui_ctx);
        let settings = Settings::load(creation_context.storage);
        Self::new(
            &creation_context.egui_ctx,
            settings,
            crate::map::tiles::default_tile_cache_root(),
        )
    }

    /// The app with default settings and the offline basemap: never touches the network.
    pub fn new_offline(ctx: &egui::Context) -> Self {
        Self::new(ctx, Settings::default(), None)
    }

    pub fn apply(&mut self, command: Command) {
        self.state.apply(command);
    }

    /// Switches the basemap and remembers the choice; a bad custom URL is reported.
    pub fn choose_basemap(&mut self, choice: TileSourceChoice, ctx: &egui::Context) {
        match self.map.basemap.choose(choice, ctx) {
            Ok(()) => self.settings.basemap = self.map.basemap.choice().clone(),
            Err(reason) => self.state.messages.push(reason),
        }
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

        self.custom_url_dialog_ui(ui.ctx());

        for command in commands {
            self.apply(command);
        }
        match action {
            Some(TopBarAction::ChooseBasemap(choice)) => self.choose_basemap(choice, ui.ctx()),
            Some(TopBarAction::AskForCustomUrl) => {
                self.custom_url_dialog = Some(CustomUrlDialog {
                    draft: self.settings.custom_url_draft.clone(),
                    error: None,
                });
            }
            None => {}
        }
        for url in self.state.pending_urls.drain(..) {
            ui.ctx().open_url(egui::OpenUrl::new_tab(url));
        }
    }

    fn custom_url_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.custom_url_dialog else {
            return;
        };
        let mut open = true;
        let mut submitted = None;
        let mut cancelled = false;
        egui::Window::new("Custom XYZ tile server")
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label("URL template with {z}, {x} and {y}, e.g.");
                ui.monospace("https://tiles.example.org/{z}/{x}/{y}.png");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut dialog.draft)
                        .desired_width(420.0)
                        .hint_text("https://…/{z}/{x}/{y}.png"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Tile URL template")
                });
                if let Some(error) = &dialog.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.horizontal(|ui| {
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("Use this server").clicked() || enter {
                        submitted = Some(dialog.draft.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        cancelled = true;
                    }
                });
            });
        if let Some(draft) = submitted {
            match validate_xyz_template(&draft) {
                Ok(url_template) => {
                    self.settings.custom_url_draft = url_template.clone();
                    self.custom_url_dialog = None;
                    self.choose_basemap(TileSourceChoice::CustomXyz { url_template }, ctx);
                }
                Err(reason) => dialog.error = Some(reason),
            }
        } else if cancelled || !open {
            self.custom_url_dialog = None;
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

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.store(storage);
    }
}
