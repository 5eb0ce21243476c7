//! The application shell: panel layout, and carrying out the commands the panels return.

mod background;
mod case_bundle;
mod case_files;
mod deck;
mod dialogs;
mod keys;
mod output;
mod team_store;

use crate::loading::{BackgroundLoader, RecordReader};
use crate::map::{Basemap, MapView};
use crate::model::LonLat;
use crate::present::{ExportJob, Slide};
use crate::settings::{Settings, TileSourceChoice};
use crate::state::{AppState, Command, ViewRequest};
use dialogs::CustomUrlDialog;
use output::ExportNotice;

pub use case_files::{AUTOSAVE_SECS, SaveOutcome, clock_time, default_autosave_dir};
use std::path::PathBuf;
pub use team_store::{default_journal_dir, url_with_password};

/// The window icon (also installed by the Linux package).
pub const APP_ICON_PNG: &[u8] = include_bytes!("../../assets/icon/strikemap-256.png");

pub struct StrikemapApp {
    pub state: AppState,
    pub map: MapView,
    pub settings: Settings,
    custom_url_dialog: Option<CustomUrlDialog>,
    loader: BackgroundLoader,
    /// Reads the records of clicked table rows off the UI thread.
    record_reader: RecordReader,
    /// The context, for commands that talk to the window (full screen, dialogs, screenshots).
    ctx: egui::Context,
    /// Paths picked in the Open dialog (which runs on its own thread).
    picked_files: std::sync::mpsc::Receiver<Vec<PathBuf>>,
    picked_files_sender: std::sync::mpsc::Sender<Vec<PathBuf>>,
    picked_basemap: std::sync::mpsc::Receiver<PathBuf>,
    picked_basemap_sender: std::sync::mpsc::Sender<PathBuf>,
    /// `Some` while presenting: the zoom factor to return to.
    presentation: Option<f32>,
    /// When playing the story: the time (secs) of the next step.
    next_play_step_secs: Option<f64>,
    /// An image export under way.
    export: Option<ExportJob>,
    /// Set for a command-line export: this run must leave no trace in the settings.
    pub export_only: bool,
    /// `--trust-layers`: a case's layers outside its folder load without asking.
    pub trust_case_layers: bool,
    /// A screenshot for "Copy image", when it arrives.
    /// Results of exports run in a child process.
    export_results: std::sync::mpsc::Receiver<ExportNotice>,
    export_results_sender: std::sync::mpsc::Sender<ExportNotice>,
    /// Frames built so far (logged at trace level, to measure idle repainting).
    frames_built: u64,
    /// The case's file dialogs, questions and autosave.
    case_files: case_files::CaseFiles,
    /// The evidence and case bundle dialogs' choices.
    bundle_dialogs: case_bundle::BundleDialogs,
    /// The team store: its dialog, the open store case's worker, clashes, the title bar.
    team_store: team_store::TeamStoreWindow,
}

/// When the process started, set by `main` (for the start-up time in the log).
pub static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Seconds between steps when playing the story.
pub const PLAY_STEP_SECS: f64 = 3.0;

/// Look and feel for briefings: the light theme reads best on a projector.
pub fn configure_context(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
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
        if basemap.choice() != &settings.basemap
            && let TileSourceChoice::File { path } = &settings.basemap
        {
            state.messages.push(format!(
                "The basemap file last used, {}, could not be opened; the offline map is shown.",
                path.display()
            ));
        }
        let map = MapView::new(&state, basemap);
        let (picked_files_sender, picked_files) = std::sync::mpsc::channel();
        let (picked_basemap_sender, picked_basemap) = std::sync::mpsc::channel();
        let (export_results_sender, export_results) = std::sync::mpsc::channel();
        Self {
            state,
            map,
            settings,
            custom_url_dialog: None,
            loader: BackgroundLoader::default(),
            record_reader: RecordReader::default(),
            ctx: ctx.clone(),
            picked_files,
            picked_files_sender,
            picked_basemap,
            picked_basemap_sender,
            presentation: None,
            next_play_step_secs: None,
            export: None,
            export_only: false,
            trust_case_layers: false,
            export_results,
            export_results_sender,
            frames_built: 0,
            case_files: case_files::CaseFiles::default(),
            bundle_dialogs: case_bundle::BundleDialogs::default(),
            team_store: team_store::TeamStoreWindow::default(),
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
            self.fit_presentation_to_screen(ctx);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
    }

    /// Scales a presentation to its screen: the slide is 720 points high (see
    /// [`crate::present::slide_scale`]). Called every frame, as going full screen takes a few.
    fn fit_presentation_to_screen(&self, ctx: &egui::Context) {
        let Some(desk_zoom) = self.presentation else {
            return;
        };
        // The height in points the window would have at the desk's zoom factor.
        let height = ctx.content_rect().height() * ctx.zoom_factor() / desk_zoom.max(0.1);
        let wanted = desk_zoom * crate::present::slide_scale(height);
        if (ctx.zoom_factor() - wanted).abs() > 0.01 {
            ctx.set_zoom_factor(wanted);
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
        let request = self.state.fly_to(event);
        self.state.apply(Command::Select(event_ref));
        self.state.pending_view = Some(request);
        Ok(())
    }

    /// Loads files as new layers, off the UI thread.
    /// A case file among them opens as the case instead (asking first about unsaved changes).
    pub fn open_files(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let (cases, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|path| crate::state::is_case_file(path));
        if let Some(path) = cases.into_iter().next() {
            self.apply(Command::OpenCase(path));
        }
        let ctx = ctx.clone();
        self.loader.load(paths, move || ctx.request_repaint());
    }

    /// The app as a user starts it: settings from the last run, tiles cached in the user's
    /// cache directory.
    pub fn from_creation_context(creation_context: &eframe::CreationContext<'_>) -> Self {
        let started = std::time::Instant::now();
        configure_context(&creation_context.egui_ctx);
        let settings = Settings::load(creation_context.storage);
        let mut app = Self::new(
            &creation_context.egui_ctx,
            settings,
            crate::map::basemap::default_tile_cache_root(),
        );
        app.set_autosave_dir(default_autosave_dir());
        app.set_journal_dir(default_journal_dir());
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

    /// Carries out a command: the one place where what the user asked for happens. The
    /// state's part goes to [`AppState::apply`]; files, dialogs, the basemap, presentation,
    /// output and settings are the shell's.
    pub fn apply(&mut self, command: Command) {
        let ctx = self.ctx.clone();
        match command {
            Command::TogglePlay => self.toggle_play(&ctx),
            Command::SetMapLayers(layers) => self.settings.layers = layers,
            Command::SetCaveat(caveat) => self.settings.caveat = caveat,
            Command::SetDeckTemplate(path) => self.settings.deck_template = path,
            Command::ShowOpenDialog => dialogs::open_dialog(
                &ctx,
                "Open event files",
                (
                    "Data files",
                    &[
                        "geojson", "json", "csv", "kml", "kmz", "gpx", "shp", "zip", "gpkg", "fgb",
                        "tif", "tiff",
                    ],
                ),
                rfd::FileDialog::pick_files,
                self.picked_files_sender.clone(),
            ),
            Command::ShowOpenBasemapDialog => {
                dialogs::open_dialog(
                    &ctx,
                    "Open basemap",
                    (
                        "PMTiles, MBTiles or MapLibre style",
                        &["pmtiles", "mbtiles", "json"],
                    ),
                    rfd::FileDialog::pick_file,
                    self.picked_basemap_sender.clone(),
                );
            }
            Command::OpenFiles(paths) => self.open_files(paths, &ctx),
            Command::CancelLoading => self.loader.cancel_all(),
            Command::ChooseBasemap(choice) => self.choose_basemap(choice, &ctx),
            Command::AskForCustomUrl => {
                self.custom_url_dialog =
                    Some(CustomUrlDialog::new(self.settings.custom_url_draft.clone()));
            }
            Command::Present => self.start_presentation(&ctx),
            Command::StopPresenting => self.stop_presentation(&ctx),
            Command::ExportImage => self.ask_where_to_export(&ctx),
            Command::ExportDeck => self.ask_where_to_export_deck(&ctx),
            Command::CopyImage => self.copy_image(&ctx),
            Command::CopyMeasurement => {
                if let Some(measurement) = self.state.measurement() {
                    ctx.copy_text(measurement.text());
                    self.state.notices.push("Measurement copied.".to_owned());
                }
            }
            Command::ExportEvents(format) => self.export_events(format, &ctx),
            Command::ExportKml { kmz } => self.export_kml(kmz, &ctx),
            Command::ResetView => {
                self.settings.view = None;
                self.state.apply(Command::ResetView);
            }
            Command::NewCase
            | Command::OpenCase(_)
            | Command::ShowOpenCaseDialog
            | Command::SaveCase
            | Command::ShowSaveCaseAsDialog
            | Command::AnswerUnsaved(_)
            | Command::AnswerRestore(_) => self.apply_case_file_command(command),
            Command::AnswerOutsideCaseLayers { load } => self.answer_outside_case_layers(load),
            Command::ShowAttachEvidenceDialog { .. }
            | Command::ShowExportBundleDialog
            | Command::ShowOpenBundleDialog
            | Command::ExportCaseBundle(_)
            | Command::OpenCaseBundle { .. } => self.apply_bundle_command(command),
            Command::ShowTeamStoreDialog { .. } | Command::OpenStoreCase(_) => {
                self.apply_team_store_command(command);
            }
            other => self.state.apply(other),
        }
    }

    /// Opens a basemap file and draws it over the offline map (`--basemap`); the error names
    /// the file and what is wrong, and changes nothing.
    pub fn open_basemap_file(&mut self, path: &std::path::Path) -> Result<(), String> {
        let choice = TileSourceChoice::File {
            path: path.to_path_buf(),
        };
        let ctx = self.ctx.clone();
        let before = self.state.messages.len();
        self.choose_basemap(choice.clone(), &ctx);
        if self.map.basemap.choice() == &choice {
            Ok(())
        } else {
            let reasons: Vec<String> = self.state.messages.drain(before..).collect();
            Err(reasons.join("; "))
        }
    }

    /// Switches the basemap and remembers the choice (and a custom server's URL, offered again
    /// in its dialog); a bad custom URL is reported.
    pub fn choose_basemap(&mut self, choice: TileSourceChoice, ctx: &egui::Context) {
        match self.map.basemap.choose(choice, ctx) {
            Ok(()) => {
                let chosen = self.map.basemap.choice().clone();
                if let TileSourceChoice::CustomXyz { url_template } = &chosen {
                    self.settings.custom_url_draft.clone_from(url_template);
                }
                if let Some(file) = self.map.basemap.file() {
                    self.state.notices.push(format!(
                        "Basemap {}: {}",
                        file.info.path.display(),
                        file.summary()
                    ));
                    // A file of one region: show that region if the view is elsewhere.
                    if let Some(bounds) = file.info.bounds
                        && !self.map.view_overlaps(
                            bounds.west,
                            bounds.south,
                            bounds.east,
                            bounds.north,
                        )
                    {
                        self.state.pending_view =
                            Some(ViewRequest::Fit(crate::geometry::GeoBounds {
                                min: LonLat {
                                    lon: bounds.west,
                                    lat: bounds.south,
                                },
                                max: LonLat {
                                    lon: bounds.east,
                                    lat: bounds.north,
                                },
                            }));
                    }
                }
                self.settings.basemap = chosen;
            }
            Err(reason) => self.state.messages.push(reason),
        }
    }

    /// Lays out the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.check_close_request(&ctx);
        self.finish_store_edits_before_closing(&ctx);
        self.receive_background_results(&ctx);
        self.receive_case_dialogs();
        self.receive_bundle_dialogs();
        self.team_store_tick(&ctx);
        let mut commands = self.keyboard_commands(&ctx);
        commands.extend(self.playback_commands(&ctx));
        let view_request = self.state.pending_view.take();
        self.fit_presentation_to_screen(&ctx);
        if self.is_presenting() || self.export.is_some() {
            let slide = Slide {
                caveat: &self.settings.caveat,
                made: crate::model::Date::today_utc(),
                hint: self
                    .is_presenting()
                    .then_some("Right / PageDown / Space: next   Left / PageUp: previous   Home: overview   Esc: leave"),
                layers: self.settings.layers,
                map_frame: self.pptx_map_frame(),
            };
            commands.extend(crate::present::slide_ui(
                ui,
                &self.state,
                &mut self.map,
                view_request,
                &slide,
            ));
        } else {
            commands.extend(self.desk_ui(ui, view_request));
        }
        commands.extend(self.case_prompts_ui(&ctx));
        commands.extend(self.team_store_ui(&ctx));
        for command in commands {
            self.apply(command);
        }
        self.team_store_tick(&ctx);
        self.autosave_tick(&ctx);
        // What the state asked for, by commands of this frame or applied from outside it.
        let wake = ctx.clone();
        self.record_reader
            .read(self.state.take_record_requests(), move || {
                wake.request_repaint();
            });
        for url in self.state.pending_urls.drain(..) {
            ctx.open_url(egui::OpenUrl::new_tab(url));
        }
        self.finish_background_work(&ctx);
    }

    /// The desk view: top bar, messages, timeline, side panel and the map.
    fn desk_ui(&mut self, ui: &mut egui::Ui, view_request: Option<ViewRequest>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::top("top-bar").show(ui, |ui| {
            commands.extend(crate::ui::top_bar_ui(
                ui,
                &self.state,
                self.map.basemap.choice(),
                [&self.settings.recent_files, &self.settings.recent_cases],
                self.loader.pending(),
                [
                    &self.settings.caveat,
                    &crate::ui::deck_template::path_text(&self.settings),
                ],
            ));
        });

        if !self.state.messages.is_empty() || !self.state.notices.is_empty() {
            egui::Panel::bottom("messages").show(ui, |ui| {
                if dialogs::messages_ui(ui, &self.state.messages, &self.state.notices) {
                    commands.push(Command::DismissMessages);
                }
            });
        }

        egui::Panel::bottom("timeline").show(ui, |ui| {
            commands.extend(crate::ui::timeline::timeline_ui(
                ui,
                &self.state,
                self.is_playing(),
            ));
        });

        egui::Panel::right("side-panel")
            .resizable(true)
            .default_size(540.0)
            .min_size(320.0)
            .show(ui, |ui| {
                commands.extend(crate::ui::side_panel_ui(
                    ui,
                    &self.state,
                    self.settings.layers,
                ));
            });

        let chrome = crate::map::MapChrome {
            date_stamp: Some(crate::map::furniture::date_stamp(
                crate::model::Date::today_utc(),
                self.state.as_of,
            )),
            inset: self.settings.layers.locator_inset,
            move_case_markers: true,
            ..crate::map::MapChrome::default()
        };
        egui::CentralPanel::no_frame().show(ui, |ui| {
            commands.extend(self.map.map_ui(
                ui,
                &self.state,
                self.settings.layers,
                view_request,
                &chrome,
            ));
        });

        if let Some(dialog) = &mut self.custom_url_dialog {
            match dialog.show(ui.ctx()) {
                dialogs::DialogOutcome::Open => {}
                dialogs::DialogOutcome::Closed => self.custom_url_dialog = None,
                dialogs::DialogOutcome::Submitted(url_template) => {
                    self.custom_url_dialog = None;
                    commands.push(Command::ChooseBasemap(TileSourceChoice::CustomXyz {
                        url_template,
                    }));
                }
            }
        }
        commands
    }
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
