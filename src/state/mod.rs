//! What the user is looking at: the loaded layers, the filters and the selection. Pure code,
//! no egui.
//!
//! The UI never mutates this directly; it returns [`Command`]s that the app applies (the
//! state's part in [`AppState::apply`]), so every user action can be tested without drawing
//! anything.

mod annotations;
mod borders;
mod case;
pub mod case_evidence;
mod case_layers;
mod case_problems;
#[cfg(test)]
mod case_tests;
mod command;
mod export;
mod imagery;
mod layers;
mod measure;
mod selection;
mod statement_focus;
mod store_case;
mod story;
#[cfg(test)]
mod tests;
mod tour;

pub use annotations::{AnnotationDraft, NEW_RING_RADIUS_KM};
pub use borders::{
    BORDER_DISTANCE_MAX_KM, DerivedBorders, border_title, country_other_than_target,
};
pub use case::{
    BUNDLED_LAYER_NAME, CaseSession, READ_ONLY_HINT, describe_problem, duplicate_strike,
    is_case_file, looks_like_case, new_strike, placed_position,
};
pub use command::{Command, UnsavedAnswer, ViewRequest};
pub use export::ShownEventsExport;
pub use imagery::{ImageryCompare, imagery_date};
pub use layers::{
    EventRef, LAYER_COLORS, Layer, LayerContent, LayerId, LayerLook, TableContent, TableView,
    file_name,
};
pub use measure::{Measurement, measure_toggle};
pub use selection::{
    ListingReason, MAX_LISTED_ROWS, RecordRequest, RowListing, SelectedRow, Selection,
};
pub use statement_focus::StatementParties;
pub use store_case::StoreCase;
pub use story::StoryItem;
pub use tour::{TOUR_FLY_SECS, TOUR_HOLD_SECS};

use crate::border::BorderLine;
use crate::geometry::GeoBounds;
use crate::model::{Date, LonLat, Province};
use crate::timeline::Statement;
use geo::BoundingRect as _;

/// Whether two boxes overlap once each is grown by `margin_deg` degrees.
fn overlaps_within(a: GeoBounds, b: GeoBounds, margin_deg: f64) -> bool {
    a.min.lon - margin_deg <= b.max.lon
        && b.min.lon - margin_deg <= a.max.lon
        && a.min.lat - margin_deg <= b.max.lat
        && b.min.lat - margin_deg <= a.max.lat
}

/// The attackers drawn in a style of their own in every case (`style::country_style`); any
/// other attacker takes the next style in turn.
pub const ATTACKERS_WITH_THEIR_OWN_STYLE: [&str; 3] = ["Iran", "Pakistan", "Afghanistan"];

#[derive(Debug, Default)]
pub struct AppState {
    pub title: Option<String>,
    pub as_of: Option<Date>,
    /// Every layer of data, in loading order (the bundled events first).
    pub layers: Vec<Layer>,
    /// The provinces the open case shows: [`Self::bundled_provinces`] when the case lists the
    /// bundled provinces layer among its layers, none otherwise (`case_layers`).
    pub provinces: Vec<Province>,
    /// The provinces shipped with the app (`assets/provinces.geojson`).
    pub bundled_provinces: Vec<Province>,
    /// The timeline's statements, in date order.
    pub statements: Vec<Statement>,
    /// The bundled Iran–Pakistan border (drawn, and measured to for those two countries).
    pub border: Option<std::sync::Arc<BorderLine>>,
    /// Borders between other countries, from the offline world map, as strikes need them.
    derived_borders: DerivedBorders,
    selection: Selection,
    row_listing: Option<RowListing>,
    search: String,
    time_window: Option<(Date, Date)>,
    next_layer_id: LayerId,
    /// Set by commands, taken by the app shell for the map widget's next frame.
    pub pending_view: Option<ViewRequest>,
    /// URLs the UI should open, taken by the app shell.
    pub pending_urls: Vec<String>,
    /// Rows whose records are to be read from their files, taken by the app shell.
    record_requests: Vec<RecordRequest>,
    /// Problems to show the user, newest last.
    pub messages: Vec<String>,
    /// Things done that the user should know of (exports, copies).
    pub notices: Vec<String>,
    /// Two imagery layers compared with a swipe bar (`imagery`).
    imagery_compare: Option<ImageryCompare>,
    /// The open case, shown as the first events layer and the timeline.
    case: CaseSession,
    case_layer: LayerId,
    /// Attackers without a style of their own, in the order the layers first name them (the
    /// case's strikes first): each is drawn in the next style in turn.
    other_attackers: Vec<String>,
    /// The files of the case's layers, to be loaded by the app shell.
    case_layer_loads: Vec<std::path::PathBuf>,
    /// The case's layers whose files could not be read when it opened.
    case_layers_not_loaded: Vec<std::path::PathBuf>,
    /// The case's layers outside its folder, loaded only when the user agrees.
    case_layers_awaiting_consent: Vec<std::path::PathBuf>,
    /// The measure tool's points, while a measurement is shown.
    measurement: Option<Measurement>,
    /// The annotation being drawn, while its points are given.
    annotation_draft: Option<AnnotationDraft>,
}

impl AppState {
    /// The state showing `case` (its events as the first layer, its statements as the
    /// timeline) over the provinces.
    pub fn new(case: CaseSession, provinces: Vec<Province>) -> Self {
        let mut state = Self {
            bundled_provinces: provinces,
            ..Self::default()
        };
        state.case_layer = state.add_layer(
            BUNDLED_LAYER_NAME.into(),
            None,
            LayerContent::Events(Vec::new()),
        );
        state.open_case(case);
        state.pending_view = state.overview_bounds().map(ViewRequest::Fit);
        state
    }

    /// The app's data: the bundled case (read-only) and provinces. A failure is reported as a
    /// message and that part stays empty, so the window still opens.
    pub fn bundled() -> Self {
        let mut messages = Vec::new();
        let case = strikemap_core::case::bundled_case().unwrap_or_else(|error| {
            messages.push(error.to_string());
            strikemap_core::case::Case::default()
        });
        let provinces = crate::formats::bundled::bundled_provinces().unwrap_or_else(|error| {
            messages.push(error.to_string());
            Vec::new()
        });
        let mut state = Self::new(CaseSession::bundled(case), provinces);
        state.border = crate::border::bundled_border()
            .map(std::sync::Arc::new)
            .map_err(|error| messages.push(error.to_string()))
            .ok();
        state.messages = messages;
        state
    }

    /// Attackers without a style of their own, in the order the data first names them.
    pub fn other_attackers(&self) -> &[String] {
        &self.other_attackers
    }

    /// Lists the attackers again after the events changed (a case edit, a layer added or
    /// removed).
    pub(crate) fn refresh_attackers(&mut self) {
        let mut others: Vec<String> = Vec::new();
        for layer in &self.layers {
            for event in layer.events() {
                if let Some(attacker) = event.attacker()
                    && !ATTACKERS_WITH_THEIR_OWN_STYLE.contains(&attacker)
                    && !others.iter().any(|known| known == attacker)
                {
                    others.push(attacker.to_owned());
                }
            }
        }
        self.other_attackers = others;
    }

    /// Around every shown event, the visible tables' rows included.
    pub fn events_bounds(&self) -> Option<GeoBounds> {
        let events = GeoBounds::around(
            self.shown_events()
                .into_iter()
                .map(|(_, event)| event.position),
        );
        self.visible_tables()
            .filter_map(|(_, content)| content.table.bounds())
            .chain(events)
            .reduce(GeoBounds::union)
    }

    pub fn provinces_bounds(&self) -> Option<GeoBounds> {
        self.provinces
            .iter()
            .filter_map(|province| province.geometry.bounding_rect())
            .map(|rect| GeoBounds {
                min: LonLat {
                    lon: rect.min().x,
                    lat: rect.min().y,
                },
                max: LonLat {
                    lon: rect.max().x,
                    lat: rect.max().y,
                },
            })
            .reduce(GeoBounds::union)
    }

    /// Provinces and events together: the view the app opens on.
    pub fn overview_bounds(&self) -> Option<GeoBounds> {
        match (self.provinces_bounds(), self.events_bounds()) {
            // The provinces belong to the overview when the events are among them (the
            // bundled case); a case elsewhere is framed on its own events.
            (Some(provinces), Some(events)) if overlaps_within(provinces, events, 5.0) => {
                Some(provinces.union(events))
            }
            (_, Some(events)) => Some(events),
            (provinces, None) => provinces,
        }
    }

    /// Carries out the state's part of a command. Commands for the app shell (files, the
    /// basemap, presentation, output, settings) change nothing here.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Select(event_ref) => {
                if self.event(&event_ref).is_some() {
                    self.selection = Selection::Event(event_ref);
                }
            }
            Command::SelectAndCenter(event_ref) => {
                if let Some(event) = self.event(&event_ref) {
                    self.pending_view = Some(ViewRequest::CenterOn(event.position));
                    self.selection = Selection::Event(event_ref);
                }
            }
            Command::SelectFeature(layer, index) => {
                self.selection = Selection::Feature(layer, index);
            }
            Command::SelectRow(layer, row) => self.select_row(layer, row),
            Command::SelectRowAndCenter(layer, row) => {
                let position = self
                    .table(layer)
                    .and_then(|(_, content)| content.table.position(row));
                self.select_row(layer, row);
                if let Some(position) = position {
                    self.pending_view = Some(ViewRequest::CenterOn(position));
                }
            }
            Command::SelectStatement(id) => {
                if self.statements.iter().any(|statement| statement.id == id) {
                    self.selection = Selection::Statement(id);
                }
            }
            Command::ListRows(layer, mut rows, total) => {
                rows.truncate(MAX_LISTED_ROWS);
                self.row_listing = Some(RowListing {
                    layer,
                    rows,
                    total,
                    reason: ListingReason::Cluster,
                });
            }
            Command::ClearSelection => {
                self.selection = Selection::None;
                self.row_listing = None;
            }
            Command::StepForward => self.step(true),
            Command::StepBack => self.step(false),
            Command::SetSearch(query) => {
                self.row_listing = self.search_tables(&query);
                self.search = query;
            }
            Command::SetTimeWindow(window) => self.time_window = window,
            Command::ShowPlace(center) => {
                self.pending_view = Some(ViewRequest::CenterOn(center));
            }
            Command::ZoomInOn { center, zoom } => {
                self.pending_view = Some(ViewRequest::Show { center, zoom });
            }
            Command::FitToEvents => {
                if let Some(bounds) = self.events_bounds() {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
            }
            Command::FitToOverview => {
                if let Some(view) = self.opening_view() {
                    self.pending_view = Some(view);
                }
            }
            Command::ResetView => {
                if let Some(bounds) = self.overview_bounds() {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
            }
            Command::ZoomToLayer(id) => {
                if let Some(bounds) = self.layer_bounds(id) {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
            }
            Command::SetLayerVisible(id, visible) => {
                if let Some(layer) = self.layer_mut(id) {
                    layer.look.visible = visible;
                }
                self.case_layer_changed(id);
            }
            Command::SetLayerColor(id, color) => {
                if let Some(layer) = self.layer_mut(id) {
                    layer.look.color = color;
                }
                self.case_layer_changed(id);
            }
            Command::SetLayerOpacity(id, opacity) => {
                if let Some(layer) = self.layer_mut(id) {
                    layer.look.opacity = opacity.clamp(0.0, 1.0);
                }
                self.case_layer_changed(id);
            }
            Command::CompareImagery(pair) => self.compare_imagery(pair),
            Command::SetImagerySplit(split) => self.set_imagery_split(split),
            Command::RemoveLayer(id) => {
                self.case_layer_removed(id);
                self.remove_layer(id);
            }
            Command::OpenUrl(url) => {
                if url.starts_with("https://") || url.starts_with("http://") {
                    self.pending_urls.push(url);
                } else {
                    self.messages.push(format!(
                        "Not opening {url:?}: only http and https links open."
                    ));
                }
            }
            Command::DismissMessages => {
                self.messages.clear();
                self.notices.clear();
            }
            Command::EditCase(_)
            | Command::TypeInCase(_)
            | Command::SealCaseTyping
            | Command::UndoCase
            | Command::RedoCase
            | Command::StartPlacingStrike
            | Command::CancelPlacing
            | Command::PlaceStrike(_)
            | Command::PlaceStrikeAsTyped { .. }
            | Command::ForgetCaseLayer(_)
            | Command::AddSelectedToCase => self.apply_case_command(command),
            Command::ResolveClash(resolution) => self.resolve_first_clash(resolution),
            Command::ShowStrikeHistory(id) => self.ask_strike_history(id),
            Command::AnswerOutsideCaseLayers { load } => self.answer_outside_case_layers(load),
            Command::StartMeasuring
            | Command::AddMeasurePoint(_)
            | Command::FinishMeasuring
            | Command::StopMeasuring => self.apply_measure_command(command),
            Command::StartAnnotation(_)
            | Command::AddAnnotationPoint(_)
            | Command::FinishAnnotation
            | Command::CancelAnnotation
            | Command::KeepMeasurementAsLine => self.apply_annotation_command(command),
            Command::AttachEvidence { .. } | Command::CheckEvidence => {
                self.apply_evidence_command(command);
            }
            // The app shell's: nothing in the state.
            Command::TogglePlay
            | Command::SetMapLayers(_)
            | Command::ShowOpenDialog
            | Command::OpenFiles(_)
            | Command::CancelLoading
            | Command::ChooseBasemap(_)
            | Command::AskForCustomUrl
            | Command::SetCaveat(_)
            | Command::SetDeckTemplate(_)
            | Command::Present
            | Command::StopPresenting
            | Command::ExportImage
            | Command::CopyMeasurement
            | Command::ShowOpenBasemapDialog
            | Command::ExportDeck
            | Command::CopyImage
            | Command::ExportEvents(_)
            | Command::ExportKml { .. }
            | Command::NewCase
            | Command::ShowOpenCaseDialog
            | Command::OpenCase(_)
            | Command::SaveCase
            | Command::ShowSaveCaseAsDialog
            | Command::AnswerUnsaved(_)
            | Command::AnswerRestore(_)
            | Command::ShowAttachEvidenceDialog { .. }
            | Command::ShowExportBundleDialog
            | Command::ShowOpenBundleDialog
            | Command::ExportCaseBundle(_)
            | Command::OpenCaseBundle { .. }
            | Command::ShowTeamStoreDialog { .. }
            | Command::OpenStoreCase(_) => {}
        }
    }
}
