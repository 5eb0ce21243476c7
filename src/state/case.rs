//! The open case: the briefing being shown and edited, with its file, its undo history and
//! whether it has unsaved changes. Its events are the first events layer and its statements
//! the timeline; every edit goes through [`Command::EditCase`] (or [`Command::TypeInCase`])
//! and [`AppState::apply`], which refreshes both from the case. Pure code, no egui.

use super::{AppState, Command, EventRef, LayerContent, Selection, ViewRequest};
use crate::model::{Date, LocationPrecision, LonLat, StrikeEvent};
use std::path::{Path, PathBuf};
use strikemap_core::case::edit::{Edit, History};
use strikemap_core::case::{self, Case, FileStamp, Problem, ProblemPlace};

pub use super::case_problems::describe_problem;

/// What an edit of the bundled case is answered with.
pub const READ_ONLY_HINT: &str = "The bundled case is read-only: use File › Save as… to make \
                                  your own copy, then edit that.";

/// The layer name of the bundled case (as before cases existed).
pub const BUNDLED_LAYER_NAME: &str = "Bundled strikes";

/// The case that is open.
#[derive(Clone, Debug, Default)]
pub struct CaseSession {
    pub case: Case,
    /// The file it was opened from or last saved to; `None` for the bundled case and new cases.
    pub path: Option<PathBuf>,
    /// The file as it was then, to notice another program's changes before saving over it.
    pub stamp: Option<FileStamp>,
    /// The bundled case: shown, never edited ("Save as…" makes an editable copy).
    pub read_only: bool,
    /// "Add strike" was pressed: the next click on the map places the strike.
    pub placing: bool,
    history: History,
    /// The case as last opened or saved: it has unsaved changes while it differs from this.
    saved: Case,
    problems: Vec<Problem>,
    /// Evidence files found missing or changed when last checked (`case_evidence`).
    pub(super) evidence_findings: case::evidence::Findings,
    /// Evidence checks and attachments asked for or under way (`case_evidence`).
    pub(super) evidence_work: super::case_evidence::EvidenceWork,
    /// Counts changes, so the autosave knows whether there is anything new to write.
    changes: u64,
    /// `Some` when the case lives in a team store: edits go there as they are made.
    pub store: Option<super::StoreCase>,
}

impl CaseSession {
    /// A case opened from `path` (`None`: not saved anywhere yet), unchanged.
    pub fn opened(case: Case, path: Option<PathBuf>, stamp: Option<FileStamp>) -> Self {
        let problems = case::problems(&case);
        Self {
            saved: case.clone(),
            case,
            path,
            stamp,
            problems,
            ..Self::default()
        }
    }

    /// The bundled case, read-only.
    pub fn bundled(case: Case) -> Self {
        Self {
            read_only: true,
            ..Self::opened(case, None, None)
        }
    }

    /// A new, empty case dated today (nothing to save until something is added).
    pub fn new_case(today: Date) -> Self {
        Self::opened(Case::new("Untitled case", today), None, None)
    }

    /// Work restored from an autosave: `saved` is what the file held (or an empty case), so
    /// the restored work counts as unsaved.
    pub fn restored(
        case: Case,
        path: Option<PathBuf>,
        stamp: Option<FileStamp>,
        saved: Case,
    ) -> Self {
        let mut session = Self::opened(case, path, stamp);
        session.saved = saved;
        session.changes = 1;
        session
    }

    pub fn is_dirty(&self) -> bool {
        !self.read_only && self.store.is_none() && self.case != self.saved
    }

    /// What is wrong in the case now (saving is refused until none is left).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// How many changes were made since the case was opened (for the autosave).
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// The name shown for the case: its title, or its file's name.
    pub fn display_name(&self) -> String {
        if !self.case.meta.title.trim().is_empty() {
            return self.case.meta.title.clone();
        }
        self.path
            .as_deref()
            .map_or_else(|| "Untitled case".to_owned(), super::file_name)
    }

    /// The case was saved to `path`: it is now the case's file, and nothing is unsaved.
    pub fn mark_saved(&mut self, path: PathBuf, stamp: FileStamp) {
        self.path = Some(path);
        self.stamp = Some(stamp);
        self.saved = self.case.clone();
        self.read_only = false;
    }

    /// Makes an edit as one undo step, or (typing) merged with the last one typed into the
    /// same field.
    fn edit(&mut self, edit: Edit, typing: bool) -> Result<(), String> {
        if self.read_only {
            return Err(self.read_only_hint());
        }
        let before = self.store.as_ref().map(|_| self.case.clone());
        let result = if typing {
            self.history.apply_typing(&mut self.case, edit)
        } else {
            self.history.apply(&mut self.case, edit)
        };
        result.map_err(|error| format!("That edit was not made: {error}"))?;
        self.changed();
        if let Some(before) = before {
            self.send_to_store(before, typing);
        }
        Ok(())
    }

    /// The store's changes laid on the case (not an undo step; the undo history stays).
    pub(super) fn take_in_from_store(&mut self, case: Case) {
        self.case = case;
        self.saved = self.case.clone();
        self.refresh_problems();
    }

    /// The case's extra layers are now `layers` (not an undo step; see `case_layers`).
    pub(super) fn set_layers(&mut self, layers: Vec<case::Layer>) {
        if self.case.layers != layers {
            let before = self.store.as_ref().map(|_| self.case.clone());
            self.case.layers = layers;
            self.changed();
            if let Some(before) = before {
                self.send_to_store(before, false);
            }
        }
    }

    /// A new case takes the layers already loaded as its own, as if it had been saved with
    /// them (they alone are nothing to save).
    pub(super) fn adopt_layers(&mut self, layers: Vec<case::Layer>) {
        self.case.layers.clone_from(&layers);
        self.saved.layers = layers;
    }

    /// The view to save with the case (set just before saving: moving the map is no change
    /// to save on its own).
    pub fn set_view(&mut self, view: case::View) {
        self.case.view = Some(view);
    }

    fn changed(&mut self) {
        self.refresh_problems();
        self.changes += 1;
    }

    /// The case's problems, and its evidence files' as last checked, for the case as it is.
    pub(super) fn refresh_problems(&mut self) {
        self.problems = case::problems(&self.case);
        let evidence = case::evidence::evidence_problems(&self.case, &self.evidence_findings);
        self.problems.extend(evidence);
    }

    /// The problems of the event at `index` whose field is `field` or inside it
    /// (`casualty_claims[0]` matches `casualty_claims[0].source`).
    pub fn event_problems(&self, index: usize, field: &str) -> Vec<&str> {
        self.problems_where(|place| match place {
            ProblemPlace::Event {
                index: at,
                field: name,
                ..
            } => *at == index && field_matches(name, field),
            _ => false,
        })
    }

    /// The problems of the case's own fields (`title`, `as_of`).
    pub fn meta_problems(&self, field: &str) -> Vec<&str> {
        self.problems_where(
            |place| matches!(place, ProblemPlace::Meta { field: name } if name == field),
        )
    }

    /// The problems of a field of the statement at `index` (or inside it).
    pub fn statement_problems(&self, index: usize, field: &str) -> Vec<&str> {
        self.problems_where(|place| match place {
            ProblemPlace::Statement {
                index: at,
                field: name,
                ..
            } => *at == index && field_matches(name, field),
            _ => false,
        })
    }

    /// The problems of a field of the statements' source at `index`.
    pub fn statement_source_problems(&self, index: usize, field: &str) -> Vec<&str> {
        self.problems_where(|place| match place {
            ProblemPlace::StatementSource {
                index: at,
                field: name,
                ..
            } => *at == index && field_matches(name, field),
            _ => false,
        })
    }

    fn problems_where(&self, at: impl Fn(&ProblemPlace) -> bool) -> Vec<&str> {
        self.problems
            .iter()
            .filter(|problem| at(&problem.place))
            .map(|problem| problem.message.as_str())
            .collect()
    }

    /// Every problem as a sentence that names its place in words: "Event E1, claim 2 (Al
    /// Jazeera), source: cites no source…".
    pub fn problem_lines(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|problem| describe_problem(&self.case, problem))
            .collect()
    }
}

/// Whether a problem's field is `wanted` or lies inside it.
fn field_matches(field: &str, wanted: &str) -> bool {
    field == wanted
        || field
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// A position put on the map by a click or a drag, kept to a millionth of a degree (about
/// 0.1 m): finer digits would only be the pointer's noise, and make the file harder to read.
pub fn placed_position(position: LonLat) -> LonLat {
    let micro = |degrees: f64| (degrees * 1e6).round() / 1e6;
    LonLat {
        lon: micro(position.lon),
        lat: micro(position.lat),
    }
}

/// A new strike placed by hand at `position`, to be filled in.
pub fn new_strike(id: &str, position: LonLat, date: Date) -> StrikeEvent {
    let location = LocationPrecision {
        level: "town".to_owned(),
        geo_precision: 1,
        radius_km: 5.0,
        basis: "Placed by hand on the map.".to_owned(),
        where_prec: None,
    };
    StrikeEvent {
        properties: crate::model::EventProperties::empty(
            id.to_owned(),
            "New strike".to_owned(),
            date,
            location,
        ),
        date,
        position,
    }
}

/// A copy of a strike to start the next one from, with a new id: its place, actors, weapons
/// and sources (each fact with the sources it cites), but no casualty claims and no conflict
/// notes, so that no figure is ever carried over to a strike it was not reported for.
pub fn duplicate_strike(event: &StrikeEvent, id: &str) -> StrikeEvent {
    let mut copy = event.clone();
    copy.properties.id = id.to_owned();
    copy.properties.title = format!("{} (copy)", event.properties.title);
    copy.properties.casualty_claims.clear();
    copy.properties.conflict_notes.clear();
    copy
}

/// Whether a file's first bytes are those of a case file (a `strikemap_case` member; case files
/// write it before the features).
pub fn looks_like_case(head: &[u8]) -> bool {
    let needle = format!("\"{}\"", case::CASE_MEMBER);
    head.windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// Whether the file at `path` is a case file (read: its first 64 KiB), or a case bundle.
pub fn is_case_file(path: &Path) -> bool {
    use std::io::Read as _;
    if case::bundle::is_case_bundle_file(path) {
        return true;
    }
    // A named pipe would block here, a device never end: regular files only.
    let Ok((file, _)) = strikemap_core::formats::file_kind::open_regular_file(path) else {
        return false;
    };
    let mut head = Vec::new();
    file.take(64 * 1024).read_to_end(&mut head).is_ok() && looks_like_case(&head)
}

impl AppState {
    /// The open case.
    pub fn case(&self) -> &CaseSession {
        &self.case
    }

    /// The case's caveat line ("figures are the parties' claims…"), shown under the title;
    /// `None` when it is empty.
    pub fn case_caveat(&self) -> Option<&str> {
        let caveat = self.case.case.meta.caveat.trim();
        (!caveat.is_empty()).then_some(caveat)
    }

    /// The layer that shows the case's events.
    pub fn case_layer(&self) -> super::LayerId {
        self.case_layer
    }

    /// The index in the case of the selected event, if it is one of the case's.
    pub fn selected_case_index(&self) -> Option<usize> {
        match &self.selection {
            Selection::Event(event_ref) if event_ref.layer == self.case_layer => {
                self.case.case.event_index(&event_ref.id)
            }
            _ => None,
        }
    }

    /// Shows `session` as the open case in place of the one before: its events, statements,
    /// title, view and layers (the layers of the case before are removed, the new case's are
    /// asked to load). What was selected of the old case is forgotten.
    pub fn open_case(&mut self, session: CaseSession) {
        self.show_case(session);
        self.replace_file_layers_with_the_case_layers();
        self.ask_for_evidence_check(false);
    }

    /// "New case": an empty case that keeps the files loaded now as its layers (an imported
    /// dataset stays, to add its events to the new case).
    pub fn start_new_case(&mut self, mut session: CaseSession) {
        session.adopt_layers(self.file_layers_as_case_layers());
        self.show_case(session);
    }

    fn show_case(&mut self, session: CaseSession) {
        self.case = session;
        self.show_case_provinces();
        if matches!(self.selection, Selection::Statement(_))
            || self.selection.layer() == Some(self.case_layer)
        {
            self.selection = Selection::None;
        }
        self.refresh_case();
        self.pending_view = self.opening_view();
    }

    /// The case's opening view: its saved view when it has one, else the overview.
    pub fn opening_view(&self) -> Option<ViewRequest> {
        match self.case.case.view {
            Some(view) => Some(ViewRequest::Show {
                center: view.center,
                zoom: view.zoom,
            }),
            None => self.overview_bounds().map(ViewRequest::Fit),
        }
    }

    /// The view of the map, saved with the case when it is saved.
    pub fn set_case_view(&mut self, center: LonLat, zoom: f64) {
        if center.lon.is_finite() && center.lat.is_finite() && zoom.is_finite() {
            self.case.set_view(case::View {
                center: placed_position(center),
                zoom: (zoom * 100.0).round() / 100.0,
            });
        }
    }

    /// The case was saved to `path`.
    pub fn case_saved(&mut self, path: PathBuf, stamp: FileStamp) {
        self.case.mark_saved(path, stamp);
        self.refresh_case();
    }

    /// Shows the case as it is now: its events as the case layer, its statements as the
    /// timeline, its title; a selection that is gone is dropped.
    pub(super) fn refresh_case(&mut self) {
        let events = self.case.case.events.clone();
        let name = if self.case.read_only {
            BUNDLED_LAYER_NAME.to_owned()
        } else {
            self.case.display_name()
        };
        let id = self.case_layer;
        if let Some(layer) = self.layer_mut(id) {
            layer.content = LayerContent::Events(events);
            layer.name = name;
        }
        self.refresh_attackers();
        self.statements = self.case.case.timeline_statements();
        let title = self.case.case.meta.title.trim();
        self.title = (!title.is_empty()).then(|| title.to_owned());
        self.as_of = self.case.case.meta.as_of;
        let gone = match &self.selection {
            Selection::Event(event_ref) => self.event(event_ref).is_none(),
            Selection::Statement(id) => !self.statements.iter().any(|s| &s.id == id),
            _ => false,
        };
        if gone {
            self.selection = Selection::None;
        }
    }

    /// Carries out the case commands (edits, undo and redo, placing a strike, "Add to case").
    pub(super) fn apply_case_command(&mut self, command: Command) {
        let before = self.selected_case_index();
        let result = match command {
            Command::EditCase(edit) => self.case_edit(edit, false, before),
            Command::TypeInCase(edit) => self.case_edit(edit, true, before),
            Command::SealCaseTyping => {
                self.case.history.seal();
                self.case.seal_store_typing();
                Ok(())
            }
            Command::UndoCase => self.undo_redo(true, before),
            Command::RedoCase => self.undo_redo(false, before),
            Command::StartPlacingStrike => {
                if self.case.read_only {
                    Err(self.case.read_only_hint())
                } else {
                    self.case.placing = true;
                    Ok(())
                }
            }
            Command::CancelPlacing => {
                self.case.placing = false;
                Ok(())
            }
            Command::PlaceStrike(position) => {
                self.place_strike(position, "Placed by hand on the map.".to_owned())
            }
            Command::PlaceStrikeAsTyped { position, typed } => self.place_strike(
                position,
                format!("Position typed in as \u{201c}{}\u{201d}.", typed.trim()),
            ),
            Command::AddSelectedToCase => self.add_selected_to_case(),
            Command::ForgetCaseLayer(path) => {
                self.forget_case_layer(&path);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(message) = result
            && self.messages.last() != Some(&message)
        {
            self.messages.push(message);
        }
    }

    fn case_edit(&mut self, edit: Edit, typing: bool, before: Option<usize>) -> Result<(), String> {
        let added = match &edit {
            Edit::AddEvent { index, .. } => Some(*index),
            _ => None,
        };
        self.case.edit(edit, typing)?;
        self.after_case_change(before, added);
        Ok(())
    }

    fn undo_redo(&mut self, undo: bool, before: Option<usize>) -> Result<(), String> {
        if self.case.read_only {
            return Ok(());
        }
        self.case.history.seal();
        self.case.seal_store_typing();
        let before_edit = self.case.store.as_ref().map(|_| self.case.case.clone());
        let done = if undo {
            self.case.history.undo(&mut self.case.case)
        } else {
            self.case.history.redo(&mut self.case.case)
        };
        if done {
            self.case.changed();
            if let Some(previous) = before_edit {
                self.case.send_to_store(previous, false);
            }
            self.after_case_change(before, None);
        }
        Ok(())
    }

    /// Refreshes the layer and timeline; the selection follows an added event, and an event
    /// whose id changed stays selected by its place in the list.
    fn after_case_change(&mut self, before: Option<usize>, added: Option<usize>) {
        let select = added.or_else(|| {
            let still_there = matches!(&self.selection, Selection::Event(event_ref)
                if event_ref.layer == self.case_layer
                    && self.case.case.event_index(&event_ref.id).is_some());
            (!still_there).then_some(before).flatten()
        });
        if let Some(index) = select
            && let Some(event) = self.case.case.events.get(index)
        {
            self.selection = Selection::Event(EventRef {
                layer: self.case_layer,
                id: event.id().to_owned(),
            });
        }
        self.refresh_case();
    }

    fn place_strike(&mut self, position: LonLat, basis: String) -> Result<(), String> {
        if !self.case.placing {
            return Ok(());
        }
        self.case.placing = false;
        let case = &self.case.case;
        let date = case.meta.as_of.unwrap_or_else(Date::today_utc);
        let mut event = new_strike(&case.next_event_id(), position, date);
        event.properties.location.basis = basis;
        let edit = Edit::AddEvent {
            index: case.events.len(),
            event: Box::new(event),
        };
        self.case_edit(edit, false, None)
    }

    /// "Add to case": the selected event of an imported file or large layer becomes a strike
    /// of the case, with the dataset row as its source.
    fn add_selected_to_case(&mut self) -> Result<(), String> {
        let Some((event, layer_name)) = self.selected_dataset_event() else {
            return Err("Select an imported event (a row of an ACLED or UCDP file) first.".into());
        };
        let dataset = event
            .properties
            .origin
            .map_or(layer_name, |origin| origin.dataset_name().to_owned());
        let row = format!("{dataset} event {}", event.id());
        let id = self.case.case.next_event_id();
        let strike = case::strike_from_dataset_event(&event, &dataset, &row, &id);
        let edit = Edit::AddEvent {
            index: self.case.case.events.len(),
            event: Box::new(strike),
        };
        self.case_edit(edit, false, None)
    }

    /// The selected event if it is not the case's own: an event of an imported file, or the
    /// record of a large layer's row; with its layer's name.
    pub fn selected_dataset_event(&self) -> Option<(StrikeEvent, String)> {
        match &self.selection {
            Selection::Event(event_ref) if event_ref.layer != self.case_layer => {
                let layer = self.layer(event_ref.layer)?;
                Some((self.event(event_ref)?.clone(), layer.name.clone()))
            }
            Selection::Row(row) => match &row.record {
                Some(Ok(crate::table::Record::Event(event))) => {
                    Some(((**event).clone(), self.layer(row.layer)?.name.clone()))
                }
                _ => None,
            },
            _ => None,
        }
    }
}
