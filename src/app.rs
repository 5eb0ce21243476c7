//! The application shell: panel layout, and carrying out the commands the panels return.

use crate::loading::BackgroundLoader;
use crate::map::tiles::validate_xyz_template;
use crate::map::{Basemap, MapView, TileSourceChoice};
use crate::model::LonLat;
use crate::present::{ExportJob, PRESENTATION_ZOOM_FACTOR, Slide};
use crate::state::{AppState, Command, ViewRequest};
use crate::ui::top_bar::{EventsFormat, TopBarAction};
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
    /// `Some` while presenting: the zoom factor to return to.
    presentation: Option<f32>,
    /// When playing the story: the time (secs) of the next step.
    next_play_step_secs: Option<f64>,
    /// An image export under way.
    export: Option<ExportJob>,
    /// Set for a command-line export: this run must leave no trace in the settings.
    pub export_only: bool,
    /// A screenshot for "Copy image", when it arrives.
    copy_shot: std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<egui::ColorImage>>>>,
    /// Results of exports run in a child process.
    export_results: std::sync::mpsc::Receiver<ExportNotice>,
    export_results_sender: std::sync::mpsc::Sender<ExportNotice>,
    /// Frames built so far (logged at trace level, to measure idle repainting).
    frames_built: u64,
}

/// When the process started, set by `main` (for the start-up time in the log).
pub static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Seconds between steps when playing the story.
pub const PLAY_STEP_SECS: f64 = 3.0;

/// Look and feel for briefings: the light theme reads best on a projector.
pub fn configure_context(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
}

/// What is remembered between runs (eframe persistence). Every field has a default, so a settings
/// file from an older version loads, and an unreadable one gives the defaults.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// The caveat or classification line shown at the top and bottom of presentations and
    /// exports; the text is the user's, empty for none.
    pub caveat: String,
    /// Size of exported images, in pixels.
    pub export_size: [u32; 2],
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

impl Default for Settings {
    fn default() -> Self {
        Self {
            basemap: TileSourceChoice::default(),
            custom_url_draft: String::new(),
            view: None,
            layers: MapLayerVisibility::default(),
            recent_files: Vec::new(),
            caveat: String::new(),
            export_size: [1920, 1080],
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
        let (export_results_sender, export_results) = std::sync::mpsc::channel();
        Self {
            state,
            map,
            settings,
            custom_url_dialog: None,
            loader: BackgroundLoader::default(),
            picked_files,
            picked_files_sender,
            presentation: None,
            next_play_step_secs: None,
            export: None,
            export_only: false,
            copy_shot: Default::default(),
            export_results,
            export_results_sender,
            frames_built: 0,
        }
    }

    pub fn is_presenting(&self) -> bool {
        self.presentation.is_some()
    }

    pub fn is_playing(&self) -> bool {
        self.next_play_step_secs.is_some()
    }

    /// Full screen, larger text, no editing chrome.
    pub fn start_presentation(&mut self, ctx: &egui::Context) {
        if self.presentation.is_none() {
            self.presentation = Some(ctx.zoom_factor());
            ctx.set_zoom_factor(PRESENTATION_ZOOM_FACTOR);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
    }

    pub fn stop_presentation(&mut self, ctx: &egui::Context) {
        if let Some(zoom_factor) = self.presentation.take() {
            ctx.set_zoom_factor(zoom_factor);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
    }

    /// Starts an export of the slide layout to `path`; the window's size is the image's size.
    pub fn start_export(&mut self, job: ExportJob) {
        self.export = Some(job);
    }

    /// Selects an event by id (as `--event` does) and frames it.
    pub fn select_event_by_id(&mut self, id: &str) -> Result<(), String> {
        let (event_ref, event) = self
            .state
            .find_event(id)
            .ok_or_else(|| format!("no event with id {id:?}"))?;
        let request = crate::state::ViewRequest::FlyTo {
            center: event.position,
            radius_km: event.properties.location.radius_km,
        };
        self.state.apply(Command::Select(event_ref));
        self.state.pending_view = Some(request);
        Ok(())
    }

    /// Keys: F5 presents; in a presentation Esc leaves, Right/PageDown/Space and
    /// Left/PageUp step, Home returns to the overview. At the desk Esc clears the selection.
    fn keyboard_commands(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        if ctx.egui_wants_keyboard_input() || self.export.is_some() {
            return commands;
        }
        let pressed = |key| ctx.input(|input| input.key_pressed(key));
        if self.is_presenting() {
            if pressed(egui::Key::Escape) {
                self.stop_presentation(ctx);
            }
            if pressed(egui::Key::ArrowRight)
                || pressed(egui::Key::PageDown)
                || pressed(egui::Key::Space)
            {
                commands.push(Command::StepForward);
            }
            if pressed(egui::Key::ArrowLeft) || pressed(egui::Key::PageUp) {
                commands.push(Command::StepBack);
            }
            if pressed(egui::Key::Home) {
                commands.push(Command::ClearSelection);
                commands.push(Command::FitToOverview);
            }
        } else {
            if pressed(egui::Key::F5) {
                self.start_presentation(ctx);
            }
            if pressed(egui::Key::Escape) && self.custom_url_dialog.is_none() {
                commands.push(Command::ClearSelection);
            }
        }
        commands
    }

    /// When playing, steps through the story every few seconds and stops at its end.
    fn playback_commands(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let Some(next_secs) = self.next_play_step_secs else {
            return Vec::new();
        };
        let now = ctx.input(|input| input.time);
        if now < next_secs {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(next_secs - now));
            return Vec::new();
        }
        let story = self.state.story();
        if story.last().is_some() && self.state.current_story_item().as_ref() == story.last() {
            self.next_play_step_secs = None;
            return Vec::new();
        }
        self.next_play_step_secs = Some(now + PLAY_STEP_SECS);
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(PLAY_STEP_SECS));
        vec![Command::StepForward]
    }

    fn toggle_play(&mut self, ctx: &egui::Context) {
        self.next_play_step_secs = match self.next_play_step_secs {
            Some(_) => None,
            None => {
                ctx.request_repaint();
                Some(ctx.input(|input| input.time))
            }
        };
    }

    /// "Export image…": asks where, then renders the slide at the export size in a child
    /// process (a window of exactly that size) so the image does not depend on this window.
    fn ask_where_to_export(&self, ctx: &egui::Context) {
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut args: Vec<String> = vec![
            "--export-png".into(),
            String::new(),
            "--size".into(),
            format!(
                "{}x{}",
                self.settings.export_size[0], self.settings.export_size[1]
            ),
        ];
        if let Some(view) = self.map.current_view() {
            // Keep the same ground in view at the new size.
            let scale = (f64::from(self.settings.export_size[0])
                / f64::from(self.map.last_rect.width().max(1.0)))
            .min(
                f64::from(self.settings.export_size[1])
                    / f64::from(self.map.last_rect.height().max(1.0)),
            );
            let zoom = view.zoom + scale.log2();
            args.extend([
                "--view".into(),
                format!("{},{},{}", view.lon, view.lat, zoom),
            ]);
        }
        if let Some(id) = self.state.selected_id() {
            args.extend(["--event".into(), id.to_owned()]);
        }
        let sender = self.export_results_sender.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let Some(path) = rfd::FileDialog::new()
                    .set_title("Export image")
                    .add_filter("PNG image", &["png"])
                    .set_file_name("strikemap.png")
                    .save_file()
                else {
                    return;
                };
                args[1] = path.display().to_string();
                let result = std::process::Command::new(exe).args(&args).output();
                let message = match result {
                    Ok(output) if output.status.success() => format!("Exported {}", path.display()),
                    Ok(output) => format!(
                        "Export to {} failed: {}",
                        path.display(),
                        String::from_utf8_lossy(&output.stderr).trim()
                    ),
                    Err(error) => format!("Export to {} failed: {error}", path.display()),
                };
                let _ = sender.send(ExportNotice::new(message));
                ctx.request_repaint();
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start the export: {error}");
        }
    }

    /// The shown events in the app's GeoJSON schema or as CSV, in memory (large layers
    /// included; see [`AppState::shown_events_export`]). An error is returned as its message.
    pub fn shown_events_as(&self, format: EventsFormat) -> Result<String, String> {
        let (bytes, _) = self
            .state
            .shown_events_export()
            .write(Vec::new(), format)
            .map_err(|error| error.to_string())?;
        String::from_utf8(bytes).map_err(|error| error.to_string())
    }

    /// "Export shown events as …": asks where, then writes the file, both on their own thread:
    /// the events of large layers are read again from their files, which takes a few seconds
    /// for a million. The file appears under its name only once it is complete.
    fn export_events(&self, format: EventsFormat, ctx: &egui::Context) {
        let export = self.state.shown_events_export();
        let (filter, extension) = match format {
            EventsFormat::GeoJson => ("GeoJSON", "geojson"),
            EventsFormat::Csv => ("CSV", "csv"),
        };
        let sender = self.export_results_sender.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("export-events".into())
            .spawn(move || {
                let Some(path) = rfd::FileDialog::new()
                    .set_title("Export shown events")
                    .add_filter(filter, &[extension])
                    .set_file_name(format!("events.{extension}"))
                    .save_file()
                else {
                    return;
                };
                let under_way = format!("Exporting the shown events to {}…", path.display());
                let _ = sender.send(ExportNotice::new(under_way.clone()));
                ctx.request_repaint();
                let mut message = match write_export_file(&export, format, &path) {
                    Ok(written) => format!(
                        "Exported {} events to {}",
                        crate::ui::top_bar::thousands(written),
                        path.display()
                    ),
                    Err(error) => format!("{}: not exported: {error}", path.display()),
                };
                if export.points_left_out > 0 {
                    message.push_str(&format!(
                        " (the {} points of large point layers are not events and were left out)",
                        crate::ui::top_bar::thousands(export.points_left_out)
                    ));
                }
                let _ = sender.send(ExportNotice {
                    text: message,
                    replaces: Some(under_way),
                });
                ctx.request_repaint();
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start the export: {error}");
        }
    }

    /// "Copy image": a screenshot of the window to the clipboard.
    fn copy_image(&self, ctx: &egui::Context) {
        let slot = std::sync::Arc::clone(&self.copy_shot);
        let wake = ctx.clone();
        ctx.request_screenshot(move |image| {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(image);
            }
            wake.request_repaint();
        });
    }

    fn finish_background_work(&mut self, ctx: &egui::Context) {
        if let Some(image) = self.copy_shot.lock().ok().and_then(|mut slot| slot.take()) {
            ctx.copy_image((*image).clone());
            self.state
                .notices
                .push("Copied the map image to the clipboard.".into());
        }
        for notice in self.export_results.try_iter() {
            if let Some(under_way) = &notice.replaces {
                self.state.notices.retain(|shown| shown != under_way);
            }
            self.state.notices.push(notice.text);
        }
        if let Some(job) = &mut self.export {
            let tiles_ready =
                self.map.basemap.offline().pending_tiles() == 0 && !self.map.is_flying();
            if job.step(ctx, tiles_ready) {
                self.export = None;
            }
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
        if self.loader.is_busy() {
            // Keep the progress bar moving; four times a second leaves the cores to the loader.
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        for loaded in self.loader.finished() {
            if self
                .state
                .add_import_with_index(loaded.path.clone(), loaded.result, loaded.index)
                .is_some()
            {
                self.settings.remember_file(loaded.path);
            }
        }
    }

    /// The app as a user starts it: settings from the last run, tiles cached in the user's
    /// cache directory.
    pub fn from_creation_context(creation_context: &eframe::CreationContext<'_>) -> Self {
        let started = std::time::Instant::now();
        configure_context(&creation_context.egui_ctx);
        let settings = Settings::load(creation_context.storage);
        let app = Self::new(
            &creation_context.egui_ctx,
            settings,
            crate::map::tiles::default_tile_cache_root(),
        );
        tracing::debug!(
            "app state built in {:.1} ms ({:.0} ms after start)",
            started.elapsed().as_secs_f64() * 1000.0,
            PROCESS_START
                .get()
                .map_or(0.0, |start| start.elapsed().as_secs_f64() * 1000.0)
        );
        app
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
        let ctx = ui.ctx().clone();
        self.receive_files(&ctx);
        let mut commands = self.keyboard_commands(&ctx);
        commands.extend(self.playback_commands(&ctx));
        if self.is_presenting() || self.export.is_some() {
            let slide = Slide {
                caveat: &self.settings.caveat,
                made: crate::model::Date::today_utc(),
                hint: self
                    .is_presenting()
                    .then_some("Right / PageDown / Space: next   Left / PageUp: previous   Home: overview   Esc: leave"),
            };
            commands.extend(crate::present::slide_ui(
                ui,
                &mut self.state,
                &mut self.map,
                &slide,
            ));
            for command in commands {
                self.apply(command);
            }
            self.finish_background_work(&ctx);
            return;
        }
        let mut action = None;

        egui::Panel::top("top-bar").show(ui, |ui| {
            let (top_commands, top_action) = crate::ui::top_bar_ui(
                ui,
                &self.state,
                self.map.basemap.choice(),
                &self.settings.recent_files,
                self.loader.pending(),
                &mut self.settings.caveat,
            );
            commands.extend(top_commands);
            action = top_action;
        });

        if !self.state.messages.is_empty() || !self.state.notices.is_empty() {
            egui::Panel::bottom("messages").show(ui, |ui| {
                if messages_ui(ui, &self.state.messages, &self.state.notices) {
                    self.state.messages.clear();
                    self.state.notices.clear();
                }
            });
        }

        let mut timeline_action = None;
        egui::Panel::bottom("timeline").show(ui, |ui| {
            let (timeline_commands, action) =
                crate::ui::timeline::timeline_ui(ui, &self.state, self.is_playing());
            commands.extend(timeline_commands);
            timeline_action = action;
        });

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

        let chrome = crate::map::MapChrome {
            date_stamp: Some(crate::map::furniture::date_stamp(
                crate::model::Date::today_utc(),
                self.state.as_of,
            )),
            ..crate::map::MapChrome::default()
        };
        egui::CentralPanel::no_frame().show(ui, |ui| {
            commands.extend(self.map.map_ui(ui, &mut self.state, &chrome));
        });

        self.custom_url_dialog_ui(ui.ctx());

        for command in commands {
            self.apply(command);
        }
        if timeline_action == Some(crate::ui::timeline::TimelineAction::TogglePlay) {
            self.toggle_play(&ctx);
        }
        match action {
            Some(TopBarAction::Present) => self.start_presentation(&ctx),
            Some(TopBarAction::ExportImage) => self.ask_where_to_export(&ctx),
            Some(TopBarAction::CopyImage) => self.copy_image(&ctx),
            Some(TopBarAction::ExportEvents(format)) => self.export_events(format, &ctx),
            Some(TopBarAction::ChooseBasemap(choice)) => self.choose_basemap(choice, ui.ctx()),
            Some(TopBarAction::OpenFiles) => self.ask_for_files(ui.ctx()),
            Some(TopBarAction::CancelLoading) => self.loader.cancel_all(),
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
        self.finish_background_work(&ctx);
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

/// Problems and notices to show the user. Returns true when they were dismissed.
fn messages_ui(ui: &mut egui::Ui, messages: &[String], notices: &[String]) -> bool {
    let mut dismissed = false;
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            for message in messages {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            for notice in notices {
                ui.label(notice);
            }
        });
        dismissed = ui.button("Dismiss").clicked();
    });
    dismissed
}

impl eframe::App for StrikemapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frames_built += 1;
        tracing::trace!(frame = self.frames_built, "building a frame");
        if self.frames_built == 2
            && let Some(start) = PROCESS_START.get()
        {
            // The first frame has been painted by the time the second is built.
            tracing::info!(
                "first frame on screen {:.0} ms after start",
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
        let started = std::time::Instant::now();
        self.show(ui);
        let built_ms = started.elapsed().as_secs_f64() * 1000.0;
        if self.frames_built <= 2 {
            tracing::debug!("frame {} built in {built_ms:.1} ms", self.frames_built);
        }
        tracing::trace!(frame = self.frames_built, "frame built in {built_ms:.2} ms");
        if self.frames_built == 1 {
            // One more frame, to log when the first one reached the screen.
            ui.ctx().request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // An export run (a child process or the command line) must not overwrite the settings.
        if self.export.is_some() || self.export_only {
            return;
        }
        self.settings.view = self.map.current_view();
        self.settings.store(storage);
    }

    fn persist_egui_memory(&self) -> bool {
        !self.export_only
    }
}

/// A message from an export thread for the notices, possibly taking the place of the one that
/// said the export was under way.
struct ExportNotice {
    text: String,
    replaces: Option<String>,
}

impl ExportNotice {
    fn new(text: String) -> Self {
        Self {
            text,
            replaces: None,
        }
    }
}

/// Writes an export next to `path` and renames it into place when complete, so a failed export
/// leaves no half-written file under the chosen name. Returns how many events were written.
fn write_export_file(
    export: &crate::state::ShownEventsExport,
    format: EventsFormat,
    path: &std::path::Path,
) -> Result<usize, String> {
    let mut partial_name = path.file_name().unwrap_or_default().to_owned();
    partial_name.push(".part");
    let partial = path.with_file_name(partial_name);
    let written = std::fs::File::create(&partial)
        .map_err(|error| format!("cannot write: {error}"))
        .and_then(|file| {
            export
                .write(std::io::BufWriter::with_capacity(1 << 20, file), format)
                .map_err(|error| error.to_string())
        })
        .and_then(|(file, written)| {
            drop(file); // flushed by the writer; closed before the rename
            std::fs::rename(&partial, path)
                .map(|()| written)
                .map_err(|error| format!("cannot write: {error}"))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ShownEventsExport;

    /// A large layer of three ACLED rows, loaded from a file in `dir`.
    fn table_in(dir: &std::path::Path) -> std::sync::Arc<crate::table::PointTable> {
        let path = dir.join("rows.csv");
        std::fs::write(
            &path,
            "event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities\n\
             PAK1,2024-01-16,Battles,Pakistan,26.9,64.1,2,0\n\
             PAK2,2024-01-17,Battles,Pakistan,27.0,64.2,2,1\n\
             PAK3,2024-01-18,Battles,Pakistan,27.1,64.3,2,2\n",
        )
        .unwrap();
        let import = crate::table::load_table(&path, &crate::table::LoadProgress::default())
            .unwrap()
            .unwrap();
        match import.content {
            crate::import::ImportedContent::Table(table) => table,
            _ => panic!("a table"),
        }
    }

    #[test]
    fn an_export_file_appears_whole_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("strikemap-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let table = table_in(&dir);
        let export = ShownEventsExport {
            title: None,
            events: Vec::new(),
            tables: vec![(std::sync::Arc::clone(&table), 0..3)],
            search: String::new(),
            points_left_out: 0,
        };
        let out = dir.join("out.csv");
        assert_eq!(write_export_file(&export, EventsFormat::Csv, &out), Ok(3));
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(!dir.join("out.csv.part").exists());

        // The layer's file changes: the export fails, naming it, and leaves nothing behind.
        std::fs::write(dir.join("rows.csv"), "changed\n").unwrap();
        let failed = dir.join("failed.csv");
        let error = write_export_file(&export, EventsFormat::Csv, &failed).unwrap_err();
        assert!(
            error.contains("rows.csv") && error.contains("changed"),
            "{error}"
        );
        assert!(!failed.exists());
        assert!(!dir.join("failed.csv.part").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
