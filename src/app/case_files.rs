//! The case's files: New case, Open case…, Save, Save as… and the recent cases; asking before
//! unsaved changes are lost (closing the window, opening or starting another case); the
//! autosave of unsaved work every minute, offered back on the next start after a crash.

use super::StrikemapApp;
use crate::case::{self, FileStamp, SaveError, autosave};
use crate::state::{CaseSession, Command, UnsavedAnswer, describe_problem};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Seconds between autosaves of unsaved work.
pub const AUTOSAVE_SECS: f64 = 60.0;

/// What waits for unsaved changes to be saved or discarded.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterUnsaved {
    Close,
    NewCase,
    Open(PathBuf),
}

/// The shell's part of the case's files: the dialogs' results, the questions asked, the
/// autosave.
pub struct CaseFiles {
    opened_sender: Sender<PathBuf>,
    opened: Receiver<PathBuf>,
    /// `None`: the Save dialog was closed without a choice.
    saved_as_sender: Sender<Option<PathBuf>>,
    saved_as: Receiver<Option<PathBuf>>,
    /// "Save the changes?" is asked before this happens.
    pub asking: Option<AfterUnsaved>,
    /// What happens once the Save as… dialog under way has saved.
    after_save_as: Option<AfterUnsaved>,
    /// Unsaved work left by an earlier run, offered back.
    pub restore: Option<autosave::AutosaveEntry>,
    /// Where unsaved work is autosaved; `None`: nowhere (tests, exports).
    pub autosave_dir: Option<PathBuf>,
    /// When (egui time) and at which change of the case the last autosave was written.
    last_autosave: (f64, u64),
    /// The user chose to close: the next close request is not questioned.
    closing: bool,
}

impl Default for CaseFiles {
    fn default() -> Self {
        let (opened_sender, opened) = channel();
        let (saved_as_sender, saved_as) = channel();
        Self {
            opened_sender,
            opened,
            saved_as_sender,
            saved_as,
            asking: None,
            after_save_as: None,
            restore: None,
            autosave_dir: None,
            last_autosave: (0.0, 0),
            closing: false,
        }
    }
}

/// Whether a save went through, failed (and said why), or waits for the Save dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved,
    Failed,
    AskingWhere,
}

/// The user's data folder for autosaves: `<data dir>/strikemap/autosave`.
pub fn default_autosave_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("strikemap").join("autosave"))
}

impl StrikemapApp {
    /// Autosaves unsaved work into `dir` (`None`: never), and offers back the newest autosave
    /// an earlier run left there.
    pub fn set_autosave_dir(&mut self, dir: Option<PathBuf>) {
        self.case_files.restore = dir
            .as_deref()
            .and_then(|dir| autosave::find(dir).into_iter().next());
        self.case_files.autosave_dir = dir;
    }

    /// Carries out the case's file commands (the state carries out its edits).
    pub(super) fn apply_case_file_command(&mut self, command: Command) {
        match command {
            Command::NewCase => self.unless_unsaved(AfterUnsaved::NewCase),
            Command::OpenCase(path) => self.unless_unsaved(AfterUnsaved::Open(path)),
            Command::ShowOpenCaseDialog => self.ask_which_case_to_open(),
            Command::SaveCase if self.state.case().store.is_some() => {
                self.state.notices.push(
                    "Every edit of a team store case is saved in the store as it is made; File › \
                     Save a copy as file… writes a file."
                        .to_owned(),
                );
            }
            Command::SaveCase => {
                self.save_case();
            }
            Command::ShowSaveCaseAsDialog => self.ask_where_to_save_case(),
            Command::AnswerUnsaved(answer) => self.answer_unsaved(answer),
            Command::AnswerRestore(restore) => self.answer_restore(restore),
            _ => {}
        }
    }

    fn unless_unsaved(&mut self, then: AfterUnsaved) {
        if self.state.case().is_dirty() {
            self.case_files.asking = Some(then);
        } else {
            self.carry_out(then);
        }
    }

    fn carry_out(&mut self, then: AfterUnsaved) {
        match then {
            AfterUnsaved::Close => {
                self.case_files.closing = true;
                self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            AfterUnsaved::NewCase => {
                let today = crate::model::Date::today_utc();
                self.state.start_new_case(CaseSession::new_case(today));
            }
            AfterUnsaved::Open(path) => {
                if let Err(message) = self.open_case_file(&path) {
                    self.state.messages.push(message);
                }
            }
        }
    }

    fn answer_unsaved(&mut self, answer: UnsavedAnswer) {
        let Some(then) = self.case_files.asking.take() else {
            return;
        };
        match answer {
            UnsavedAnswer::Cancel => {}
            UnsavedAnswer::Discard => {
                let path = self.state.case().path.clone();
                self.discard_autosave(path.as_deref());
                self.carry_out(then);
            }
            UnsavedAnswer::Save => match self.save_case() {
                SaveOutcome::Saved => self.carry_out(then),
                SaveOutcome::AskingWhere => self.case_files.after_save_as = Some(then),
                SaveOutcome::Failed => {}
            },
        }
    }

    /// Opens a case file (or an events file, as a case) in place of the open case, without
    /// asking about unsaved changes; the error names the file and what is wrong.
    pub fn open_case_file(&mut self, path: &Path) -> Result<(), String> {
        if strikemap_core::case::bundle::is_case_bundle(path) {
            let unpacked = self.unpack_bundle_beside(path)?;
            return self.open_case_file(&unpacked);
        }
        let (loaded, stamp) = case::load_case_file(path).map_err(|error| error.to_string())?;
        // Files still loading for the case before would otherwise join this one.
        self.loader.abandon_all();
        let problems = loaded.problems.len();
        let session = CaseSession::opened(loaded.case, Some(path.to_path_buf()), Some(stamp));
        self.state.open_case(session);
        if loaded.migrated {
            self.state.notices.push(format!(
                "{}: an events file, opened as a case; saving writes it as a case file.",
                path.display()
            ));
        }
        if problems > 0 {
            self.state.messages.push(format!(
                "{}: {problems} problem(s) to mend before it can be saved (see the case editor).",
                path.display()
            ));
        }
        if !self.export_only {
            self.settings.remember_case(path.to_path_buf());
        }
        // Layers outside the case's folder: loaded at once only for a case the user trusted
        // before (not in a command-line export, where only --trust-layers counts).
        let trusted =
            self.trust_case_layers || (!self.export_only && self.settings.trusts_case_layers(path));
        if trusted && !self.state.case_layers_awaiting_consent().is_empty() {
            self.state
                .apply(Command::AnswerOutsideCaseLayers { load: true });
        }
        Ok(())
    }

    /// "Load these layers" (remembered for the case file) or "Don't load".
    pub(super) fn answer_outside_case_layers(&mut self, load: bool) {
        if load
            && !self.export_only
            && let Some(path) = self.state.case().path.clone()
        {
            self.settings.trust_case_layers(path);
        }
        self.state.apply(Command::AnswerOutsideCaseLayers { load });
    }

    /// "Save": over the case's file, checked against what was opened (another program's
    /// changes are not overwritten); a case without a file asks where (Save as…).
    pub fn save_case(&mut self) -> SaveOutcome {
        self.keep_view_in_case();
        let session = self.state.case();
        let Some(path) = session.path.clone().filter(|_| !session.read_only) else {
            self.ask_where_to_save_case();
            return SaveOutcome::AskingWhere;
        };
        let result = case::save_checked(&path, &session.case, session.stamp.as_ref());
        self.after_save(path, result)
    }

    /// "Save as…" to `path` (the system dialog has asked before replacing a file): the case's
    /// file from now on; a read-only case saved this way becomes an editable copy.
    pub fn save_case_as(&mut self, path: PathBuf) -> SaveOutcome {
        self.keep_view_in_case();
        let result = case::save(&path, &self.state.case().case);
        self.after_save(path, result)
    }

    /// The map's view goes into the case as it is saved: the case opens where it was left.
    pub(super) fn keep_view_in_case(&mut self) {
        if let Some(view) = self.map.current_view() {
            let center = crate::model::LonLat {
                lon: view.lon,
                lat: view.lat,
            };
            self.state.set_case_view(center, view.zoom);
        }
    }

    fn after_save(&mut self, path: PathBuf, result: Result<FileStamp, SaveError>) -> SaveOutcome {
        match result {
            Ok(_) if self.state.case().store.is_some() => {
                self.state.notices.push(format!(
                    "Saved a copy of the store case as {}",
                    path.display()
                ));
                SaveOutcome::Saved
            }
            Ok(stamp) => {
                let before = self.state.case().path.clone();
                self.discard_autosave(before.as_deref());
                self.discard_autosave(Some(&path));
                self.state.notices.push(format!("Saved {}", path.display()));
                self.settings.remember_case(path.clone());
                self.state.case_saved(path, stamp);
                SaveOutcome::Saved
            }
            Err(SaveError::Problems(problems)) => {
                let case = &self.state.case().case;
                let lines: Vec<String> = problems
                    .iter()
                    .map(|problem| describe_problem(case, problem))
                    .collect();
                self.state.messages.push(format!(
                    "Not saved: {} problem(s) must be mended first:",
                    problems.len()
                ));
                self.state.messages.extend(lines);
                SaveOutcome::Failed
            }
            Err(error @ SaveError::Conflict { .. }) => {
                self.state.messages.push(format!(
                    "Not saved: {error}. Use File › Save as… to save your work under another name."
                ));
                SaveOutcome::Failed
            }
            Err(error) => {
                self.state.messages.push(format!("Not saved: {error}"));
                SaveOutcome::Failed
            }
        }
    }

    fn discard_autosave(&mut self, original: Option<&Path>) {
        if let Some(dir) = &self.case_files.autosave_dir {
            let path = autosave::autosave_path(dir, original);
            if let Err(error) = autosave::discard(&path) {
                tracing::warn!("cannot remove the autosave {}: {error}", path.display());
            }
        }
    }

    /// Writes the unsaved work to the autosave folder now; its path, or `None` when there is
    /// no folder or nothing unsaved.
    pub fn autosave_now(&mut self) -> Option<PathBuf> {
        let dir = self.case_files.autosave_dir.clone()?;
        let session = self.state.case();
        if !session.is_dirty() {
            return None;
        }
        self.case_files.last_autosave.1 = session.changes();
        match autosave::write(&dir, session.path.as_deref(), &session.case) {
            Ok(path) => Some(path),
            Err(error) => {
                tracing::warn!("cannot autosave into {}: {error}", dir.display());
                None
            }
        }
    }

    /// Every minute, unsaved work that changed since the last autosave is written.
    pub(super) fn autosave_tick(&mut self, ctx: &egui::Context) {
        if self.case_files.autosave_dir.is_none() || !self.state.case().is_dirty() {
            return;
        }
        let now = ctx.input(|input| input.time);
        let (at, changes) = self.case_files.last_autosave;
        if self.state.case().changes() == changes {
            return;
        }
        if now - at >= AUTOSAVE_SECS {
            self.case_files.last_autosave.0 = now;
            self.autosave_now();
        } else {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                AUTOSAVE_SECS - (now - at),
            ));
        }
    }

    fn answer_restore(&mut self, restore: bool) {
        let Some(entry) = self.case_files.restore.take() else {
            return;
        };
        if !restore {
            if let Err(error) = autosave::discard(&entry.path) {
                self.state
                    .messages
                    .push(format!("Cannot remove {}: {error}", entry.path.display()));
            }
            return;
        }
        match autosave::read(&entry) {
            Ok(loaded) => {
                let original = entry.original_path.clone();
                let on_disk = original
                    .as_deref()
                    .and_then(|path| case::load_case_file(path).ok());
                let (saved, stamp) = on_disk.map_or_else(
                    || (case::Case::default(), None),
                    |(loaded, stamp)| (loaded.case, Some(stamp)),
                );
                let session = CaseSession::restored(loaded.case, original, stamp, saved);
                self.loader.abandon_all();
                self.state.open_case(session);
                self.state.notices.push(format!(
                    "Restored the unsaved work from {}.",
                    clock_time(entry.saved_at)
                ));
            }
            Err(error) => self.state.messages.push(error.to_string()),
        }
    }

    /// Before the window closes: unsaved changes are asked about first.
    pub(super) fn check_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|input| input.viewport().close_requested())
            && !self.case_files.closing
            && !self.export_only
            && self.state.case().is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.case_files.asking = Some(AfterUnsaved::Close);
        }
    }

    /// What the Open and Save dialogs chose.
    pub(super) fn receive_case_dialogs(&mut self) {
        let opened: Vec<PathBuf> = self.case_files.opened.try_iter().collect();
        for path in opened {
            self.apply(Command::OpenCase(path));
        }
        let saved_as: Vec<Option<PathBuf>> = self.case_files.saved_as.try_iter().collect();
        for picked in saved_as {
            let then = self.case_files.after_save_as.take();
            if let Some(path) = picked
                && self.save_case_as(path) == SaveOutcome::Saved
                && let Some(then) = then
            {
                self.carry_out(then);
            }
        }
    }

    fn ask_which_case_to_open(&self) {
        super::dialogs::open_dialog(
            &self.ctx,
            "Open case",
            ("Strikemap case or case bundle", &["geojson", "json", "zip"]),
            rfd::FileDialog::pick_file,
            self.case_files.opened_sender.clone(),
        );
    }

    fn ask_where_to_save_case(&self) {
        let sender = self.case_files.saved_as_sender.clone();
        let ctx = self.ctx.clone();
        let name = format!("{}.geojson", file_stem(&self.state.case().display_name()));
        super::dialogs::spawn_dialog("save-case-dialog", move || {
            let picked = rfd::FileDialog::new()
                .set_title("Save case as")
                .add_filter("Strikemap case", &["geojson"])
                .set_file_name(name)
                .save_file();
            let _ = sender.send(picked);
            ctx.request_repaint();
        });
    }

    /// `--case FILE` for an export in a child process: the case's file, or (unsaved work) a copy
    /// of the case as it is now in the temporary folder; nothing for the bundled case.
    pub fn case_args(&self) -> Vec<String> {
        let session = self.state.case();
        if session.read_only && session.store.is_none() {
            return Vec::new();
        }
        let path = match &session.path {
            Some(path) if !session.is_dirty() => path.clone(),
            _ => {
                let copy = std::env::temp_dir().join(format!(
                    "strikemap-export-case-{}.geojson",
                    std::process::id()
                ));
                if let Err(error) = std::fs::write(&copy, case::write_case(&session.case)) {
                    tracing::warn!("cannot write {}: {error}", copy.display());
                    return Vec::new();
                }
                copy
            }
        };
        vec!["--case".into(), path.display().to_string()]
    }

    /// The questions about unsaved work: "Save the changes?" and "Restore unsaved work?".
    pub(super) fn case_prompts_ui(&self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        if self.case_files.asking.is_some() {
            let name = self.state.case().display_name();
            egui::Window::new("Unsaved changes")
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.label(format!("Save the changes to {name}?"));
                    ui.horizontal(|ui| {
                        for (text, answer) in [
                            ("Save", UnsavedAnswer::Save),
                            ("Discard", UnsavedAnswer::Discard),
                            ("Cancel", UnsavedAnswer::Cancel),
                        ] {
                            if ui.button(text).clicked() {
                                commands.push(Command::AnswerUnsaved(answer));
                            }
                        }
                    });
                });
        } else if let Some(entry) = &self.case_files.restore {
            egui::Window::new("Unsaved work found")
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.label(format!(
                        "Restore unsaved work from {}?",
                        clock_time(entry.saved_at)
                    ));
                    if let Some(path) = &entry.original_path {
                        ui.label(format!("(work on {})", path.display()));
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            commands.push(Command::AnswerRestore(true));
                        }
                        if ui.button("Discard").clicked() {
                            commands.push(Command::AnswerRestore(false));
                        }
                    });
                });
        }
        commands
    }
}

/// A file name from a title: letters, digits and dashes.
pub(super) fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "case".to_owned()
    } else {
        stem.to_owned()
    }
}

/// `HH:MM UTC` of a moment.
pub fn clock_time(at: std::time::SystemTime) -> String {
    let secs = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let minutes = secs / 60 % (24 * 60);
    format!("{:02}:{:02} UTC", minutes / 60, minutes % 60)
}
