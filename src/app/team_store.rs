//! The team store in the window: File › Open from team store… and Publish to team store…,
//! the store case's worker (its messages in, the case's edits out), the clash dialog and the
//! title bar that names the store and says whether the connection is live.

use super::StrikemapApp;
use crate::state::{Command, StoreCase};
use crate::team::{
    CaseSummary, FromStore, Resolution, StoreCaseAddress, StoreWorker, value_in_words,
};
use std::path::PathBuf;
use std::sync::mpsc::Receiver;

/// The window's side of the team store.
#[derive(Default)]
pub(super) struct TeamStoreWindow {
    /// The worker of the store case that is open.
    worker: Option<StoreWorker>,
    /// A case being opened, with its worker (it replaces the open one once it is read).
    opening: Option<(StoreCaseAddress, StoreWorker)>,
    dialog: Option<StoreDialog>,
    /// Where offline journals are kept (`None`: the temporary folder).
    pub journal_dir: Option<PathBuf>,
    /// The window's title as last set.
    title: String,
    /// The analyst's own value for the clash shown, as typed.
    clash_draft: Option<String>,
    /// The window was asked to close while edits were on their way: it closes once they are
    /// answered (saved, journalled or refused), or at this time.
    close_when_sent: Option<std::time::Instant>,
}

/// The Open / Publish dialog.
struct StoreDialog {
    publish: bool,
    url: String,
    /// Never saved: used for this connection only (else PGPASSWORD or ~/.pgpass).
    password: String,
    as_of: String,
    cases: Option<Result<Vec<CaseSummary>, String>>,
    published: Option<String>,
    waiting: Option<Receiver<DialogResult>>,
}

enum DialogResult {
    Listed(Result<Vec<CaseSummary>, String>),
    Published(Result<i64, String>),
}

/// The journals of store cases: beside the autosaves.
pub fn default_journal_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("strikemap").join("journals"))
}

/// `url` with `password` for this connection only (the URL form, or libpq's key=value form).
pub fn url_with_password(url: &str, password: &str) -> String {
    let url = url.trim();
    if password.is_empty() {
        return url.to_owned();
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if let Some((user, host)) = authority.split_once('@')
            && !user.contains(':')
        {
            let encoded: String = password
                .bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                        char::from(byte).to_string()
                    } else {
                        format!("%{byte:02X}")
                    }
                })
                .collect();
            return format!("{scheme}://{user}:{encoded}@{host}{path}");
        }
        return url.to_owned();
    }
    let quoted = password.replace('\\', "\\\\").replace('\'', "\\'");
    format!("{url} password='{quoted}'")
}

/// `url` with any password taken out: what the settings may keep.
pub fn url_without_password(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if let Some((userinfo, host)) = authority.rsplit_once('@') {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            return format!("{scheme}://{user}@{host}{path}");
        }
        return url.to_owned();
    }
    // libpq's key=value form: every word but the password, which may be quoted.
    let mut kept = Vec::new();
    let mut rest = url.trim();
    while !rest.is_empty() {
        let skip = rest.starts_with("password");
        let end = word_end(rest);
        if !skip {
            kept.push(&rest[..end]);
        }
        rest = rest[end..].trim_start();
    }
    kept.join(" ")
}

/// The end of one `key=value` word, a quoted value (with `\'` inside) included.
fn word_end(text: &str) -> usize {
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '\'' => quoted = !quoted,
            ' ' if !quoted => return index,
            _ => {}
        }
    }
    text.len()
}

impl StrikemapApp {
    /// Opens a store case (now, or as of a past time) in a worker of its own; it replaces the
    /// open case once read. Unsaved work in a case file is never dropped for it.
    pub fn open_store_case(&mut self, address: StoreCaseAddress) {
        if self.state.case().is_dirty() {
            self.state.messages.push(
                "The open case has unsaved changes: save them (File › Save) before opening a \
                 case from the team store."
                    .to_owned(),
            );
            return;
        }
        self.settings.team_store = url_without_password(&address.url);
        let ctx = self.ctx.clone();
        let worker = StoreWorker::open(
            address.clone(),
            self.team_store.journal_dir.clone(),
            move || ctx.request_repaint(),
        );
        self.team_store.opening = Some((address, worker));
    }

    /// Where a store case's offline journal is kept (tests give their own folder).
    pub fn set_journal_dir(&mut self, dir: Option<PathBuf>) {
        self.team_store.journal_dir = dir;
    }

    pub(super) fn apply_team_store_command(&mut self, command: Command) {
        match command {
            Command::ShowTeamStoreDialog { publish } => {
                self.team_store.dialog = Some(StoreDialog {
                    publish,
                    url: self.settings.team_store.clone(),
                    password: String::new(),
                    as_of: String::new(),
                    cases: None,
                    published: None,
                    waiting: None,
                });
            }
            Command::OpenStoreCase(address) => self.open_store_case(address),
            _ => {}
        }
    }

    /// Closing the window: what is being typed is sent, and the window waits (up to three
    /// seconds) until every edit on its way is saved or journalled.
    pub(super) fn finish_store_edits_before_closing(&mut self, ctx: &egui::Context) {
        if self.state.case().store.is_none() {
            return;
        }
        let requested = ctx.input(|input| input.viewport().close_requested());
        if requested && self.team_store.close_when_sent.is_none() {
            self.state.apply(Command::SealCaseTyping);
            self.team_store_tick(ctx);
            if self
                .state
                .case()
                .store
                .as_ref()
                .is_some_and(|store| store.in_flight > 0)
            {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.team_store.close_when_sent =
                    Some(std::time::Instant::now() + std::time::Duration::from_secs(3));
            }
        }
        if let Some(deadline) = self.team_store.close_when_sent {
            let sent = self
                .state
                .case()
                .store
                .as_ref()
                .is_none_or(|store| store.in_flight == 0);
            if sent || std::time::Instant::now() >= deadline {
                self.team_store.close_when_sent = None;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
        }
    }

    /// Carries the store case's messages both ways, and names it in the title bar.
    pub(super) fn team_store_tick(&mut self, ctx: &egui::Context) {
        self.receive_dialog_results();
        if let Some((address, worker)) = self.team_store.opening.take() {
            let mut still_opening = Some((address, worker));
            if let Some((address, worker)) = &still_opening {
                for message in worker.received() {
                    match message {
                        FromStore::Opened {
                            store,
                            case,
                            image,
                            seen,
                            access,
                            notes,
                        } => {
                            let mut case = *case;
                            if let Some(time) = &address.as_of {
                                crate::store_cli::stamp_as_of(&mut case, time, address.case_id);
                            }
                            let store =
                                StoreCase::new(store, address.clone(), access, *image, seen);
                            self.state.open_store_case(case, store);
                            self.state.notices.extend(notes);
                        }
                        FromStore::Failed(reason) if self.state.case().store.is_none() => {
                            self.state.messages.push(reason);
                        }
                        other => self.state.receive_from_store(other),
                    }
                }
            }
            let opened = self.state.case().store.as_ref().map(|store| &store.address)
                == still_opening.as_ref().map(|(address, _)| address);
            if opened {
                self.team_store.worker = still_opening.take().map(|(_, worker)| worker);
            }
            self.team_store.opening = still_opening;
        }
        if self.state.case().store.is_none() {
            // Another case was opened: the store case's worker stops.
            self.team_store.worker = None;
        }
        if let Some(worker) = &self.team_store.worker {
            for message in worker.received() {
                self.state.receive_from_store(message);
            }
            for request in self.state.take_store_requests() {
                worker.send(request);
            }
        }
        let title = match &self.state.case().store {
            Some(store) => format!(
                "Strikemap — {} — {}",
                store.stored_title().unwrap_or("Untitled case"),
                store.status_line()
            ),
            None => "Strikemap".to_owned(),
        };
        if title != self.team_store.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.team_store.title = title;
        }
    }

    fn receive_dialog_results(&mut self) {
        let Some(dialog) = &mut self.team_store.dialog else {
            return;
        };
        let Some(result) = dialog.waiting.as_ref().and_then(|rx| rx.try_recv().ok()) else {
            return;
        };
        dialog.waiting = None;
        match result {
            DialogResult::Listed(cases) => dialog.cases = Some(cases),
            DialogResult::Published(Ok(case_id)) => {
                let address = StoreCaseAddress {
                    url: url_with_password(&dialog.url, &dialog.password),
                    case_id,
                    as_of: None,
                };
                let store = strikemap_store::redacted(&dialog.url);
                self.state
                    .notices
                    .push(format!("Published as case {case_id} in {store}."));
                self.team_store.dialog = None;
                self.open_store_case(address);
            }
            DialogResult::Published(Err(reason)) => dialog.published = Some(reason),
        }
    }

    /// The dialog and the clash window.
    pub(super) fn team_store_ui(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(dialog) = &mut self.team_store.dialog {
            let wake = ctx.clone();
            let case = &self.state.case().case;
            if !dialog.show(ctx, case, &mut commands, move || wake.request_repaint()) {
                self.team_store.dialog = None;
            }
        }
        self.clash_ui(ctx, &mut commands);
        commands
    }

    fn clash_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let Some(clash) = self
            .state
            .case()
            .store
            .as_ref()
            .and_then(|store| store.clashes.first())
            .cloned()
        else {
            self.team_store.clash_draft = None;
            return;
        };
        let draft = self
            .team_store
            .clash_draft
            .get_or_insert_with(|| value_in_words(&clash.yours));
        egui::Window::new("Clash with another analyst's edit")
            .collapsible(false)
            .resizable(true)
            .default_width(520.0)
            .show(ctx, |ui| {
                let who = if clash.their_author.is_empty() {
                    "another analyst".to_owned()
                } else {
                    clash.their_author.clone()
                };
                ui.label(format!(
                    "{who} changed the {} of {} at {}, after you last saw it. Nothing of your \
                     edit was written: choose what stays.",
                    clash.field.replace('_', " "),
                    clash.object.in_words(),
                    clash.their_time
                ));
                ui.strong("Yours");
                ui.add(egui::Label::new(value_in_words(&clash.yours)).wrap());
                ui.strong(format!("Theirs ({who}, {})", clash.their_time));
                ui.add(egui::Label::new(value_in_words(&clash.theirs)).wrap());
                ui.horizontal(|ui| {
                    if ui.button("Keep mine").clicked() {
                        commands.push(Command::ResolveClash(Resolution::Value(
                            clash.yours.clone(),
                        )));
                    }
                    if ui.button("Keep theirs").clicked() {
                        commands.push(Command::ResolveClash(Resolution::Theirs));
                    }
                });
                let field = ui.add(egui::TextEdit::multiline(draft).desired_rows(2));
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Another value")
                });
                if ui.button("Write this value").clicked() {
                    match third_value(draft, &clash.yours, &clash.theirs) {
                        Ok(value) => commands.push(Command::ResolveClash(Resolution::Value(value))),
                        Err(reason) => self.state.messages.push(reason),
                    }
                }
            });
        if !commands.is_empty() {
            self.team_store.clash_draft = None;
        }
    }
}

/// The value the analyst typed for a clash: text for a text field, else JSON.
fn third_value(
    typed: &str,
    yours: &serde_json::Value,
    theirs: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    if yours.is_string() || theirs.is_string() {
        return Ok(serde_json::Value::String(typed.to_owned()));
    }
    serde_json::from_str(typed).map_err(|error| {
        format!("The value is not written: it must be JSON like the two shown ({error}).")
    })
}

impl StoreDialog {
    /// Draws the dialog; false once it is closed.
    fn show(
        &mut self,
        ctx: &egui::Context,
        case: &strikemap_core::case::Case,
        commands: &mut Vec<Command>,
        wake: impl Fn() + Send + Clone + 'static,
    ) -> bool {
        let mut open = true;
        let title = if self.publish {
            "Publish to team store"
        } else {
            "Open from team store"
        };
        egui::Window::new(title)
            .collapsible(false)
            .default_width(640.0)
            .open(&mut open)
            .show(ctx, |ui| {
                labelled_field(
                    ui,
                    "Store URL",
                    &mut self.url,
                    false,
                    "postgresql://analyst@db.example.org/strikemap",
                );
                labelled_field(
                    ui,
                    "Password",
                    &mut self.password,
                    true,
                    "not saved; else PGPASSWORD or ~/.pgpass",
                );
                if !self.publish {
                    labelled_field(
                        ui,
                        "As of (optional)",
                        &mut self.as_of,
                        false,
                        "2024-01-17T09:00:00Z: the case as it stood then, read-only",
                    );
                }
                let busy = self.waiting.is_some();
                let url = url_with_password(&self.url, &self.password);
                ui.horizontal(|ui| {
                    if self.publish {
                        if ui
                            .add_enabled(!busy, egui::Button::new("Publish this case"))
                            .clicked()
                        {
                            let case = case.clone();
                            self.run(wake.clone(), move || {
                                DialogResult::Published(crate::team::publish_case(&url, &case))
                            });
                        }
                    } else if ui
                        .add_enabled(!busy, egui::Button::new("List cases"))
                        .clicked()
                    {
                        self.run(wake.clone(), move || {
                            DialogResult::Listed(crate::team::list_cases(&url))
                        });
                    }
                    if busy {
                        ui.spinner();
                    }
                });
                if let Some(reason) = &self.published {
                    ui.colored_label(ui.visuals().error_fg_color, reason);
                }
                match &self.cases {
                    Some(Err(reason)) => {
                        ui.colored_label(ui.visuals().error_fg_color, reason);
                    }
                    Some(Ok(cases)) => self.cases_ui(ui, cases, commands),
                    None => {}
                }
            });
        let opened = commands
            .iter()
            .any(|command| matches!(command, Command::OpenStoreCase(_)));
        open && !opened
    }

    fn cases_ui(&self, ui: &mut egui::Ui, cases: &[CaseSummary], commands: &mut Vec<Command>) {
        if cases.is_empty() {
            ui.label("The store holds no case you may read.");
            return;
        }
        let as_of = self.as_of.trim();
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                egui::Grid::new("store-cases")
                    .num_columns(5)
                    .striped(true)
                    .show(ui, |ui| {
                        for heading in ["Case", "As of", "Strikes", "Last change", ""] {
                            ui.strong(heading);
                        }
                        ui.end_row();
                        for case in cases {
                            ui.label(format!("{}: {}", case.id, case.title));
                            ui.label(case.as_of.as_deref().unwrap_or("—"));
                            ui.label(case.strikes.to_string());
                            ui.label(format!("{} by {}", case.changed_at, case.changed_by));
                            let label = format!("Open case {}: {}", case.id, case.title);
                            let button = ui.button("Open");
                            button.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                            });
                            if button.clicked() {
                                commands.push(Command::OpenStoreCase(StoreCaseAddress {
                                    url: url_with_password(&self.url, &self.password),
                                    case_id: case.id,
                                    as_of: (!as_of.is_empty()).then(|| as_of.to_owned()),
                                }));
                            }
                            ui.end_row();
                        }
                    });
            });
    }

    fn run(
        &mut self,
        wake: impl Fn() + Send + 'static,
        work: impl FnOnce() -> DialogResult + Send + 'static,
    ) {
        let (sender, receiver) = std::sync::mpsc::channel();
        self.waiting = Some(receiver);
        self.published = None;
        let spawned = std::thread::Builder::new()
            .name("team store dialog".into())
            .spawn(move || {
                let _ = sender.send(work());
                wake();
            });
        if let Err(error) = spawned {
            self.waiting = None;
            self.cases = Some(Err(format!("cannot start a thread: {error}")));
        }
    }
}

fn labelled_field(ui: &mut egui::Ui, label: &str, text: &mut String, password: bool, hint: &str) {
    ui.horizontal(|ui| {
        ui.label(format!("{label}:"));
        let field = ui.add(
            egui::TextEdit::singleline(text)
                .password(password)
                .desired_width(440.0)
                .hint_text(hint),
        );
        field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
    });
}

#[cfg(test)]
mod tests {
    use super::{url_with_password, url_without_password};

    #[test]
    fn a_password_goes_into_the_url_encoded_and_only_when_given() {
        assert_eq!(
            url_with_password("postgresql://alice@db:5432/team", "p@ss:w/rd"),
            "postgresql://alice:p%40ss%3Aw%2Frd@db:5432/team"
        );
        assert_eq!(
            url_with_password("postgresql://alice@db/team", ""),
            "postgresql://alice@db/team"
        );
        assert_eq!(
            url_with_password("host=db user=alice dbname=team", "it's"),
            "host=db user=alice dbname=team password='it\\'s'"
        );
        assert_eq!(
            url_without_password("postgresql://alice:p%40ss@db:5432/team"),
            "postgresql://alice@db:5432/team"
        );
        assert_eq!(
            url_without_password("host=db password='it\\'s a b' user=alice"),
            "host=db user=alice"
        );
    }
}
