//! The application shell: panel layout, and carrying out the commands the panels return.

use crate::loading::BackgroundLoader;
use crate::map::tiles::validate_xyz_template;
use crate::map::{Basemap, MapView, TileSourceChoice};
use crate::model::LonLat;
use crate::state::{AppState, Command, ViewRequest};
use crate::ui::top_bar::TopBarAction;
use std::path::PathBuf;

/// The window icon (also installed by the Linux package).
pub const APP_ICON_PNG: &[u8] = include_bytes!("../assets/icon/strikemap-256.png");

/// How many recently opened files the File menu remembers.
pub const RECENT_FILES_KEPT: usize = 10;

pub struct StrikemapApp {
    pub state: AppState,
    pub map: MapView,
    pub settings: Settings,
    custom_url_dialog: Option<CustomUrlDialog>,
    loader: BackgroundLoader,
    /// Paths picked in the Open dialog (which runs on its own thread).
    picked_files: std::sync::mpsc::Receiver<Vec<PathBuf>>,
    picked_files_sender: std::sync::mpsc::Sender<Vec<PathBuf>>,
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
    /// The map view when the app was closed; `None` opens on the overview.
    pub view: Option<SavedView>,
    /// Which of the fixed map layers are drawn.
    pub layers: MapLayerVisibility,
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
}

/// A map view: centre and zoom.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

/// Visibility of the map's fixed layers.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MapLayerVisibility {
    pub provinces: bool,
    pub uncertainty: bool,
    pub basemap_labels: bool,
}

impl Default for MapLayerVisibility {
    fn default() -> Self {
        Self {
            provinces: true,
            uncertainty: true,
            basemap_labels: true,
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent files, without duplicates, keeping a few.
    pub fn remember_file(&mut self, path: PathBuf) {
        self.recent_files.retain(|known| known != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(RECENT_FILES_KEPT);
    }
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
        let mut state = AppState::bundled();
        if let Some(view) = settings.view
            && view.lon.is_finite()
            && view.lat.is_finite()
            && view.zoom.is_finite()
        {
            state.pending_view = Some(ViewRequest::Show {
                center: LonLat {
                    lon: view.lon.clamp(-180.0, 180.0),
                    lat: view.lat.clamp(-85.0, 85.0),
                },
                zoom: view.zoom,
            });
        }
        let basemap = Basemap::new(settings.basemap.clone(), ctx, tile_cache_root);
        let mut map = MapView::new(&state, basemap);
        map.visibility = settings.layers;
        let (picked_files_sender, picked_files) = std::sync::mpsc::channel();
        Self {
            state,
            map,
            settings,
            custom_url_dialog: None,
            loader: BackgroundLoader::default(),
            picked_files,
            picked_files_sender,
        }
    }

    /// Loads files as new layers, off the UI thread.
    pub fn open_files(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let ctx = ctx.clone();
        self.loader.load(paths, move || ctx.request_repaint());
    }

    /// True while files are loading.
    pub fn is_loading(&self) -> bool {
        self.loader.is_busy()
    }

    /// Shows the system's file dialog on its own thread; the picked files load when it returns.
    fn ask_for_files(&self, ctx: &egui::Context) {
        let sender = self.picked_files_sender.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("open-dialog".into())
            .spawn(move || {
                let picked = rfd::FileDialog::new()
                    .set_title("Open event files")
                    .add_filter("GeoJSON", &["geojson", "json"])
                    .add_filter("All files", &["*"])
                    .pick_files();
                if let Some(paths) = picked {
                    let _ = sender.send(paths);
                    ctx.request_repaint();
                }
            });
        if let Err(error) = spawned {
            tracing::error!("cannot open the file dialog: {error}");
        }
    }

    /// Applies what the loader and the file dialog delivered, and dropped files.
    fn receive_files(&mut self, ctx: &egui::Context) {
        let picked: Vec<PathBuf> = self.picked_files.try_iter().flatten().collect();
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .collect()
        });
        self.open_files(picked.into_iter().chain(dropped).collect(), ctx);
        for loaded in self.loader.finished() {
            if self
                .state
                .add_loaded_events(loaded.path.clone(), loaded.result)
                .is_some()
            {
                self.settings.remember_file(loaded.path);
            }
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
        self.receive_files(ui.ctx());
        let mut commands = Vec::new();
        let mut action = None;

        egui::Panel::top("top-bar").show(ui, |ui| {
            let (top_commands, top_action) = crate::ui::top_bar_ui(
                ui,
                &self.state,
                self.map.basemap.choice(),
                &self.settings.recent_files,
                self.loader.is_busy(),
            );
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
                commands.extend(crate::ui::side_panel_ui(
                    ui,
                    &self.state,
                    &mut self.map.visibility,
                ));
            });
        self.settings.layers = self.map.visibility;

        egui::CentralPanel::no_frame().show(ui, |ui| {
            commands.extend(self.map.map_ui(ui, &mut self.state));
        });

        self.custom_url_dialog_ui(ui.ctx());

        for command in commands {
            self.apply(command);
        }
        match action {
            Some(TopBarAction::ChooseBasemap(choice)) => self.choose_basemap(choice, ui.ctx()),
            Some(TopBarAction::OpenFiles) => self.ask_for_files(ui.ctx()),
            Some(TopBarAction::OpenRecent(path)) => self.open_files(vec![path], ui.ctx()),
            Some(TopBarAction::ResetView) => {
                self.settings.view = None;
                self.apply(Command::FitToOverview);
            }
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
        self.settings.view = self.map.current_view();
        self.settings.store(storage);
    }
}
