//! What the user is looking at: the loaded layers, the filters and the selection. Pure code,
//! no egui.
//!
//! The UI never mutates this directly; it returns [`Command`]s that [`AppState::apply`] carries
//! out, so every user action can be tested without drawing anything.

use crate::border::{BorderDistance, BorderLine};
use crate::data::{EventCollection, LoadError};
use crate::geometry::GeoBounds;
use crate::import::{Import, ImportedContent, OverlayLayer};
use crate::model::{Date, LonLat, Province, StrikeEvent};
use crate::spatial::PointIndex;
use crate::table::{PointTable, Record};
use crate::timeline::Statement;
use geo::BoundingRect as _;
use std::path::PathBuf;
use std::sync::Arc;

/// Identifies a layer for as long as it is loaded (indices shift when layers are removed).
pub type LayerId = u32;

/// An event, by the layer it came from and its id within that layer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventRef {
    pub layer: LayerId,
    pub id: String,
}

/// A set of events from one file (or the bundled data).
#[derive(Clone, Debug)]
pub struct EventLayer {
    pub id: LayerId,
    pub name: String,
    /// Where it was loaded from; `None` for the bundled data.
    pub path: Option<PathBuf>,
    pub visible: bool,
    /// Colour of the layer's events that name no attacker (sRGB).
    pub color: [u8; 3],
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f32,
    /// In chronological order.
    pub events: Vec<StrikeEvent>,
}

/// A GeoJSON file that is not events: drawn as shapes; clicking one shows its properties.
#[derive(Clone, Debug)]
pub struct OverlayLayerState {
    pub id: LayerId,
    pub path: Option<PathBuf>,
    pub visible: bool,
    pub color: [u8; 3],
    pub opacity: f32,
    pub layer: OverlayLayer,
}

/// A large file loaded as a compact table ([`crate::table`]): drawn through its spatial index,
/// as count bubbles when zoomed out.
#[derive(Clone)]
pub struct TableLayerState {
    pub id: LayerId,
    pub name: String,
    pub visible: bool,
    pub color: [u8; 3],
    pub opacity: f32,
    pub table: Arc<PointTable>,
    pub index: Arc<PointIndex>,
}

impl std::fmt::Debug for TableLayerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableLayerState")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("rows", &self.table.len())
            .finish_non_exhaustive()
    }
}

/// Rows of a table layer listed in the side panel: the members of a clicked cluster, or the
/// rows whose id matches the search.
#[derive(Clone, Debug, PartialEq)]
pub struct RowListing {
    pub layer: LayerId,
    /// At most [`MAX_LISTED_ROWS`] rows.
    pub rows: Vec<u32>,
    /// How many rows there are in all.
    pub total: usize,
    pub reason: ListingReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListingReason {
    Cluster,
    /// Ids containing this text.
    Search(String),
}

/// A cluster lists at most this many of its rows.
pub const MAX_LISTED_ROWS: usize = 200;

/// The selected row of a table layer and its record, read from the file when selected.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectedRow {
    pub layer: LayerId,
    pub row: u32,
    pub record: Result<Record, String>,
}

/// Colours given to loaded layers in turn (Okabe–Ito, skipping the countries' colours).
pub const LAYER_COLORS: [[u8; 3]; 5] = [
    [0x56, 0xB4, 0xE9],
    [0x00, 0x9E, 0x73],
    [0xCC, 0x79, 0xA7],
    [0xE6, 0x9F, 0x00],
    [0x00, 0x00, 0x00],
];

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select an event (from a marker or the list).
    Select(EventRef),
    /// Select an event and centre the map on it (from the event list).
    SelectAndCenter(EventRef),
    ClearSelection,
    /// Frame the map on every shown event.
    FitToEvents,
    /// Frame the map on the provinces and events (the opening view).
    FitToOverview,
    /// Open a source's web page in the system browser.
    OpenUrl(String),
    SetLayerVisible(LayerId, bool),
    SetLayerColor(LayerId, [u8; 3]),
    SetLayerOpacity(LayerId, f32),
    /// Select a feature of an overlay (by layer and feature index in the file).
    SelectFeature(LayerId, usize),
    /// Select a row of a table layer.
    SelectRow(LayerId, u32),
    /// List rows of a table layer in the side panel (a cluster's members): layer, the rows, and
    /// how many the cluster holds.
    ListRows(LayerId, Vec<u32>, usize),
    /// Centre the map on a place at a zoom (clicking a cluster zooms in on it).
    ZoomInOn {
        center: LonLat,
        zoom: f64,
    },
    /// Select a row of a table layer and centre the map on it (from a list).
    SelectRowAndCenter(LayerId, u32),
    /// Filter the event list by place, actor or source ("" shows all).
    SetSearch(String),
    RemoveLayer(LayerId),
    ZoomToLayer(LayerId),
    /// Show only events from `start` to `end` (inclusive); `None` shows all.
    SetTimeWindow(Option<(Date, Date)>),
    /// Select a statement of the timeline (it has no place on the map).
    SelectStatement(String),
    /// Select the next / previous item of the story (events and statements in time order)
    /// and fly the map to it.
    StepForward,
    StepBack,
}

/// One step of the story: an event or a statement, in time order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StoryItem {
    Event(EventRef),
    Statement(String),
}

/// A change of the map view the map widget must carry out on its next frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ViewRequest {
    Fit(GeoBounds),
    CenterOn(LonLat),
    Show {
        center: LonLat,
        zoom: f64,
    },
    /// Fly smoothly to a place, framing `radius_km` around it.
    FlyTo {
        center: LonLat,
        radius_km: f64,
    },
}

#[derive(Debug, Default)]
pub struct AppState {
    pub title: Option<String>,
    pub as_of: Option<Date>,
    pub layers: Vec<EventLayer>,
    pub overlays: Vec<OverlayLayerState>,
    /// Large files, as tables.
    pub tables: Vec<TableLayerState>,
    pub provinces: Vec<Province>,
    /// The timeline's statements, in date order.
    pub statements: Vec<Statement>,
    /// The border that strike distances are measured to.
    pub border: Option<BorderLine>,
    selected: Option<EventRef>,
    selected_statement: Option<String>,
    selected_feature: Option<(LayerId, usize)>,
    selected_row: Option<SelectedRow>,
    row_listing: Option<RowListing>,
    search: String,
    time_window: Option<(Date, Date)>,
    next_layer_id: LayerId,
    /// Set by commands, taken by the map widget.
    pub pending_view: Option<ViewRequest>,
    /// URLs the UI should open, taken by the app shell.
    pub pending_urls: Vec<String>,
    /// Problems to show the user, newest last.
    pub messages: Vec<String>,
    /// Things done that the user should know of (exports, copies).
    pub notices: Vec<String>,
}

impl AppState {
    pub fn new(bundled: EventCollection, provinces: Vec<Province>) -> Self {
        let mut state = Self {
            title: bundled.title.clone(),
            as_of: bundled.as_of,
            provinces,
            ..Self::default()
        };
        state.add_layer("Bundled strikes".into(), None, bundled.events);
        state.pending_view = state.overview_bounds().map(ViewRequest::Fit);
        state
    }

    /// The app's data, loaded from the bundled files. A failure is reported as a message and
    /// that layer stays empty, so the window still opens.
    pub fn bundled() -> Self {
        let mut messages = Vec::new();
        let events = crate::data::bundled_events().unwrap_or_else(|error| {
            messages.push(error.to_string());
            EventCollection {
                title: None,
                as_of: None,
                events: Vec::new(),
            }
        });
        let provinces = crate::data::bundled_provinces().unwrap_or_else(|error| {
            messages.push(error.to_string());
            Vec::new()
        });
        let mut state = Self::new(events, provinces);
        state.statements = crate::timeline::bundled_timeline().unwrap_or_else(|error| {
            messages.push(error.to_string());
            Vec::new()
        });
        state.border = crate::border::bundled_border()
            .map_err(|error| messages.push(error.to_string()))
            .ok();
        state.messages = messages;
        state
    }

    fn next_id_and_color(&mut self) -> (LayerId, [u8; 3]) {
        let id = self.next_layer_id;
        self.next_layer_id += 1;
        (id, LAYER_COLORS[id as usize % LAYER_COLORS.len()])
    }

    fn add_layer(
        &mut self,
        name: String,
        path: Option<PathBuf>,
        events: Vec<StrikeEvent>,
    ) -> LayerId {
        let (id, color) = self.next_id_and_color();
        self.layers.push(EventLayer {
            id,
            name,
            path,
            visible: true,
            color,
            opacity: 1.0,
            events,
        });
        id
    }

    /// Adds an imported file (events or an overlay) as a new layer and reports what was
    /// skipped; a failed import only adds a message and changes nothing else.
    pub fn add_import(
        &mut self,
        path: PathBuf,
        imported: Result<Import, LoadError>,
    ) -> Option<LayerId> {
        self.add_import_with_index(path, imported, None)
    }

    /// [`AppState::add_import`] with the spatial index of a table already built (the loader
    /// builds it off the UI thread); built here when `None`.
    pub fn add_import_with_index(
        &mut self,
        path: PathBuf,
        imported: Result<Import, LoadError>,
        index: Option<Arc<PointIndex>>,
    ) -> Option<LayerId> {
        let import = match imported {
            Ok(import) => import,
            Err(error) => {
                self.messages.push(error.to_string());
                return None;
            }
        };
        let summary = crate::validate::summarize(&import);
        if import.is_whole() {
            self.notices.extend(summary);
        } else {
            self.messages.extend(summary);
        }
        match import.content {
            ImportedContent::Events(collection) => self.add_loaded_events(path, Ok(collection)),
            ImportedContent::Table(table) => {
                let index = index.unwrap_or_else(|| Arc::new(build_index(&table)));
                let (id, color) = self.next_id_and_color();
                let name = table.title.clone().unwrap_or_else(|| {
                    path.file_name().map_or_else(
                        || path.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    )
                });
                let bounds = table.bounds();
                self.tables.push(TableLayerState {
                    id,
                    name,
                    visible: true,
                    color,
                    opacity: 1.0,
                    table,
                    index,
                });
                if let Some(bounds) = bounds {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
                Some(id)
            }
            ImportedContent::Overlay(layer) => {
                let (id, color) = self.next_id_and_color();
                let bounds = layer.bounds();
                self.overlays.push(OverlayLayerState {
                    id,
                    path: Some(path),
                    visible: true,
                    color,
                    opacity: 1.0,
                    layer,
                });
                if let Some(bounds) = bounds {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
                Some(id)
            }
        }
    }

    pub fn overlay(&self, id: LayerId) -> Option<&OverlayLayerState> {
        self.overlays.iter().find(|overlay| overlay.id == id)
    }

    /// The selected overlay feature, if its layer is shown.
    pub fn selected_feature(&self) -> Option<(&OverlayLayerState, &crate::import::OverlayFeature)> {
        let (layer_id, index) = self.selected_feature?;
        let overlay = self.overlay(layer_id).filter(|overlay| overlay.visible)?;
        let feature = overlay
            .layer
            .features
            .iter()
            .find(|feature| feature.index == index)?;
        Some((overlay, feature))
    }

    pub fn search(&self) -> &str {
        &self.search
    }

    pub fn table(&self, id: LayerId) -> Option<&TableLayerState> {
        self.tables.iter().find(|table| table.id == id)
    }

    /// The selected row of a table layer, if its layer is shown.
    pub fn selected_row(&self) -> Option<&SelectedRow> {
        let selected = self.selected_row.as_ref()?;
        let layer = self.table(selected.layer).filter(|layer| layer.visible)?;
        let in_window = layer
            .table
            .rows_in_window(self.time_window)
            .contains(&selected.row);
        in_window.then_some(selected)
    }

    /// The rows of the first visible table layer whose id contains `query` (ignoring case),
    /// inside the time window; `None` for an empty query or no match. A linear scan of the
    /// ids, run when the query changes.
    fn search_tables(&self, query: &str) -> Option<RowListing> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return None;
        }
        let matches = |label: &str| {
            if needle.is_ascii() {
                // No allocation per id: ids are nearly always ASCII.
                label
                    .as_bytes()
                    .windows(needle.len())
                    .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
            } else {
                label.to_lowercase().contains(&needle)
            }
        };
        self.tables
            .iter()
            .filter(|layer| layer.visible)
            .find_map(|layer| {
                let mut rows = Vec::new();
                let mut total = 0;
                for row in layer.table.rows_in_window(self.time_window) {
                    if matches(layer.table.label(row)) {
                        total += 1;
                        if rows.len() < MAX_LISTED_ROWS {
                            rows.push(row);
                        }
                    }
                }
                (total > 0).then(|| RowListing {
                    layer: layer.id,
                    rows,
                    total,
                    reason: ListingReason::Search(query.trim().to_owned()),
                })
            })
    }

    /// How many rows of visible table layers are inside the time window.
    pub fn shown_table_rows(&self) -> usize {
        self.tables
            .iter()
            .filter(|layer| layer.visible)
            .map(|layer| layer.table.rows_in_window(self.time_window).len())
            .sum()
    }

    /// What "Export shown events" writes: the shown events, then the events of every visible
    /// large layer inside the time window (read again from their files when written). With a
    /// search, a large layer's event is kept when its id holds the search (as the side panel
    /// lists them) or when it matches by place, actor or source (as small layers' events do).
    pub fn shown_events_export(&self) -> ShownEventsExport {
        let mut tables = Vec::new();
        let mut points_left_out = 0;
        for layer in self.tables.iter().filter(|layer| layer.visible) {
            let rows = layer.table.rows_in_window(self.time_window);
            if rows.is_empty() {
                continue;
            }
            if layer.table.holds_events() {
                tables.push((Arc::clone(&layer.table), rows));
            } else {
                points_left_out += rows.len();
            }
        }
        ShownEventsExport {
            title: self.title.clone(),
            events: self
                .shown_events()
                .into_iter()
                .map(|(_, event)| event.clone())
                .collect(),
            tables,
            search: self.search.clone(),
            points_left_out,
        }
    }

    /// The rows of a clicked cluster, if its layer is shown.
    pub fn row_listing(&self) -> Option<&RowListing> {
        let listing = self.row_listing.as_ref()?;
        self.table(listing.layer)
            .filter(|layer| layer.visible)
            .map(|_| listing)
    }

    /// Adds a loaded events file as a new layer, or reports the error and changes nothing else.
    pub fn add_loaded_events(
        &mut self,
        path: PathBuf,
        loaded: Result<EventCollection, LoadError>,
    ) -> Option<LayerId> {
        match loaded {
            Ok(collection) => {
                let name = collection.title.clone().unwrap_or_else(|| {
                    path.file_name().map_or_else(
                        || path.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    )
                });
                let id = self.add_layer(name, Some(path), collection.events);
                if let Some(bounds) = self.layer_bounds(id) {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
                Some(id)
            }
            Err(error) => {
                self.messages.push(error.to_string());
                None
            }
        }
    }

    pub fn layer(&self, id: LayerId) -> Option<&EventLayer> {
        self.layers.iter().find(|layer| layer.id == id)
    }

    /// Every event that is shown: in a visible layer and inside the time window, in date order.
    pub fn shown_events(&self) -> Vec<(EventRef, &StrikeEvent)> {
        let mut shown: Vec<(EventRef, &StrikeEvent)> = self
            .layers
            .iter()
            .filter(|layer| layer.visible)
            .flat_map(|layer| {
                layer.events.iter().map(move |event| {
                    (
                        EventRef {
                            layer: layer.id,
                            id: event.id().to_owned(),
                        },
                        event,
                    )
                })
            })
            .filter(|(_, event)| self.in_time_window(event))
            .filter(|(_, event)| {
                self.search.trim().is_empty() || crate::search::event_matches(event, &self.search)
            })
            .collect();
        shown.sort_by_key(|(_, event)| event.date);
        shown
    }

    /// Every loaded event, shown or not.
    pub fn all_events(&self) -> impl Iterator<Item = &StrikeEvent> {
        self.layers.iter().flat_map(|layer| layer.events.iter())
    }

    fn in_time_window(&self, event: &StrikeEvent) -> bool {
        self.time_window
            .is_none_or(|(start, end)| start <= event.date && event.date <= end)
    }

    pub fn time_window(&self) -> Option<(Date, Date)> {
        self.time_window
    }

    pub fn event(&self, event_ref: &EventRef) -> Option<&StrikeEvent> {
        self.layer(event_ref.layer)?
            .events
            .iter()
            .find(|event| event.id() == event_ref.id)
    }

    /// The first loaded event with this id (ids are unique within a layer, not across layers).
    pub fn find_event(&self, id: &str) -> Option<(EventRef, &StrikeEvent)> {
        self.layers.iter().find_map(|layer| {
            layer
                .events
                .iter()
                .find(|event| event.id() == id)
                .map(|event| {
                    (
                        EventRef {
                            layer: layer.id,
                            id: id.to_owned(),
                        },
                        event,
                    )
                })
        })
    }

    /// The selected event, if it is shown.
    pub fn selected(&self) -> Option<&StrikeEvent> {
        let selected = self.selected.as_ref()?;
        let event = self.event(selected)?;
        let layer_visible = self
            .layer(selected.layer)
            .is_some_and(|layer| layer.visible);
        (layer_visible && self.in_time_window(event)).then_some(event)
    }

    pub fn selected_ref(&self) -> Option<&EventRef> {
        self.selected.as_ref().filter(|_| self.selected().is_some())
    }

    /// The id of the selected event, if it is shown.
    pub fn selected_id(&self) -> Option<&str> {
        self.selected_ref().map(|selected| selected.id.as_str())
    }

    pub fn is_selected(&self, event_ref: &EventRef) -> bool {
        self.selected_ref() == Some(event_ref)
    }

    /// Statements inside the time window.
    pub fn shown_statements(&self) -> Vec<&Statement> {
        self.statements
            .iter()
            .filter(|statement| {
                self.time_window
                    .is_none_or(|(start, end)| start <= statement.date && statement.date <= end)
            })
            .collect()
    }

    pub fn selected_statement(&self) -> Option<&Statement> {
        let id = self.selected_statement.as_deref()?;
        self.shown_statements()
            .into_iter()
            .find(|statement| statement.id == id)
    }

    /// The first and last day of everything loaded (events and statements).
    pub fn date_span(&self) -> Option<(Date, Date)> {
        let dates = self
            .all_events()
            .map(|event| event.date)
            .chain(self.statements.iter().map(|statement| statement.date))
            .chain(
                self.tables
                    .iter()
                    .filter_map(|layer| layer.table.date_span())
                    .flat_map(|(first, last)| [first, last]),
            );
        dates.fold(None, |span, date| match span {
            None => Some((date, date)),
            Some((first, last)) => Some((first.min(date), last.max(date))),
        })
    }

    /// Events and statements that are shown, in time order; on the same day events come first.
    pub fn story(&self) -> Vec<StoryItem> {
        let mut items: Vec<(Date, u8, StoryItem)> = self
            .shown_events()
            .into_iter()
            .map(|(event_ref, event)| (event.date, 0, StoryItem::Event(event_ref)))
            .chain(self.shown_statements().into_iter().map(|statement| {
                (
                    statement.date,
                    1,
                    StoryItem::Statement(statement.id.clone()),
                )
            }))
            .collect();
        items.sort_by_key(|(date, kind, _)| (*date, *kind));
        items.into_iter().map(|(_, _, item)| item).collect()
    }

    /// The story item selected now, if any.
    pub fn current_story_item(&self) -> Option<StoryItem> {
        if let Some(selected) = self.selected_ref() {
            return Some(StoryItem::Event(selected.clone()));
        }
        self.selected_statement()
            .map(|statement| StoryItem::Statement(statement.id.clone()))
    }

    fn step(&mut self, forward: bool) {
        let story = self.story();
        if story.is_empty() {
            return;
        }
        let current = self
            .current_story_item()
            .and_then(|item| story.iter().position(|candidate| *candidate == item));
        let next = match (current, forward) {
            (None, true) => Some(0),
            (None, false) => Some(story.len() - 1),
            (Some(index), true) => (index + 1 < story.len()).then_some(index + 1),
            (Some(index), false) => index.checked_sub(1),
        };
        let Some(next) = next else { return };
        match story[next].clone() {
            StoryItem::Event(event_ref) => {
                if let Some(event) = self.event(&event_ref) {
                    self.pending_view = Some(ViewRequest::FlyTo {
                        center: event.position,
                        radius_km: event.properties.location.radius_km,
                    });
                }
                self.selected = Some(event_ref);
                self.selected_statement = None;
            }
            StoryItem::Statement(id) => {
                self.selected = None;
                self.selected_statement = Some(id);
            }
        }
    }

    /// How far the event is from the border, if a border is loaded.
    pub fn border_distance(&self, event: &StrikeEvent) -> Option<BorderDistance> {
        self.border.as_ref()?.distance_from(event.position)
    }

    /// Around every shown event, the visible tables' rows included.
    pub fn events_bounds(&self) -> Option<GeoBounds> {
        let events = GeoBounds::around(
            self.shown_events()
                .into_iter()
                .map(|(_, event)| event.position),
        );
        self.tables
            .iter()
            .filter(|layer| layer.visible)
            .filter_map(|layer| layer.table.bounds())
            .chain(events)
            .reduce(GeoBounds::union)
    }

    pub fn layer_bounds(&self, id: LayerId) -> Option<GeoBounds> {
        if let Some(overlay) = self.overlay(id) {
            return overlay.layer.bounds();
        }
        if let Some(layer) = self.table(id) {
            return layer.table.bounds();
        }
        GeoBounds::around(self.layer(id)?.events.iter().map(|event| event.position))
    }

    /// The colour and opacity of the layer an event is in.
    pub fn layer_look(&self, id: LayerId) -> ([u8; 3], f32) {
        if let Some(layer) = self.table(id) {
            return (layer.color, layer.opacity);
        }
        self.layer(id).map_or(([0x80, 0x80, 0x80], 1.0), |layer| {
            (layer.color, layer.opacity)
        })
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
            (Some(a), Some(b)) => Some(a.union(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Select(event_ref) => {
                if self.event(&event_ref).is_some() {
                    self.selected = Some(event_ref);
                    self.selected_statement = None;
                    self.selected_feature = None;
                    self.selected_row = None;
                }
            }
            Command::SelectFeature(layer, index) => {
                self.selected_feature = Some((layer, index));
                self.selected = None;
                self.selected_statement = None;
                self.selected_row = None;
            }
            Command::SelectRow(layer, row) => {
                let Some(table) = self.table(layer).map(|layer| Arc::clone(&layer.table)) else {
                    return;
                };
                if row as usize >= table.len() {
                    return;
                }
                let record = table.record(row).map_err(|error| error.to_string());
                self.selected_row = Some(SelectedRow { layer, row, record });
                self.selected = None;
                self.selected_statement = None;
                self.selected_feature = None;
            }
            Command::ZoomInOn { center, zoom } => {
                self.pending_view = Some(ViewRequest::Show { center, zoom });
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
            Command::SelectRowAndCenter(layer, row) => {
                let position = self
                    .table(layer)
                    .and_then(|table| table.table.position(row));
                self.apply(Command::SelectRow(layer, row));
                if let Some(position) = position {
                    self.pending_view = Some(ViewRequest::CenterOn(position));
                }
            }
            Command::SetSearch(query) => {
                self.row_listing = self.search_tables(&query);
                self.search = query;
            }
            Command::SetLayerColor(id, color) => {
                if let Some(layer) = self.layers.iter_mut().find(|layer| layer.id == id) {
                    layer.color = color;
                }
                if let Some(overlay) = self.overlays.iter_mut().find(|overlay| overlay.id == id) {
                    overlay.color = color;
                }
                if let Some(table) = self.tables.iter_mut().find(|table| table.id == id) {
                    table.color = color;
                }
            }
            Command::SetLayerOpacity(id, opacity) => {
                let opacity = opacity.clamp(0.0, 1.0);
                if let Some(layer) = self.layers.iter_mut().find(|layer| layer.id == id) {
                    layer.opacity = opacity;
                }
                if let Some(overlay) = self.overlays.iter_mut().find(|overlay| overlay.id == id) {
                    overlay.opacity = opacity;
                }
                if let Some(table) = self.tables.iter_mut().find(|table| table.id == id) {
                    table.opacity = opacity;
                }
            }
            Command::SelectAndCenter(event_ref) => {
                if let Some(event) = self.event(&event_ref) {
                    self.pending_view = Some(ViewRequest::CenterOn(event.position));
                    self.selected = Some(event_ref);
                    self.selected_statement = None;
                }
            }
            Command::SelectStatement(id) => {
                if self.statements.iter().any(|statement| statement.id == id) {
                    self.selected_statement = Some(id);
                    self.selected = None;
                    self.selected_row = None;
                }
            }
            Command::StepForward => self.step(true),
            Command::StepBack => self.step(false),
            Command::ClearSelection => {
                self.selected = None;
                self.selected_statement = None;
                self.selected_feature = None;
                self.selected_row = None;
                self.row_listing = None;
            }
            Command::FitToEvents => {
                if let Some(bounds) = self.events_bounds() {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
            }
            Command::FitToOverview => {
                if let Some(bounds) = self.overview_bounds() {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
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
            Command::SetLayerVisible(id, visible) => {
                if let Some(layer) = self.layers.iter_mut().find(|layer| layer.id == id) {
                    layer.visible = visible;
                }
                if let Some(overlay) = self.overlays.iter_mut().find(|overlay| overlay.id == id) {
                    overlay.visible = visible;
                }
                if let Some(table) = self.tables.iter_mut().find(|table| table.id == id) {
                    table.visible = visible;
                }
            }
            Command::RemoveLayer(id) => {
                self.layers.retain(|layer| layer.id != id);
                self.overlays.retain(|overlay| overlay.id != id);
                self.tables.retain(|table| table.id != id);
                if self
                    .selected_row
                    .as_ref()
                    .is_some_and(|row| row.layer == id)
                {
                    self.selected_row = None;
                }
                if self
                    .row_listing
                    .as_ref()
                    .is_some_and(|listing| listing.layer == id)
                {
                    self.row_listing = None;
                }
                if self.selected_feature.is_some_and(|(layer, _)| layer == id) {
                    self.selected_feature = None;
                }
                if self
                    .selected
                    .as_ref()
                    .is_some_and(|selected| selected.layer == id)
                {
                    self.selected = None;
                }
            }
            Command::ZoomToLayer(id) => {
                if let Some(bounds) = self.layer_bounds(id) {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
            }
            Command::SetTimeWindow(window) => self.time_window = window,
        }
    }
}

/// The spatial index of a table: every row's position in Web Mercator.
pub fn build_index(table: &PointTable) -> PointIndex {
    let points: Vec<[f32; 2]> = table
        .longitudes()
        .iter()
        .zip(table.latitudes())
        .map(|(&lon, &lat)| {
            let [x, y] = crate::spatial::mercator(lon, lat);
            [x as f32, y as f32]
        })
        .collect();
    PointIndex::build(&points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        AppState::bundled()
    }

    fn event_ref(state: &AppState, id: &str) -> EventRef {
        state.find_event(id).expect("event exists").0
    }

    #[test]
    fn search_finds_table_rows_by_id_ignoring_case() {
        let mut state = state();
        let table = PointTable::in_memory(
            "ids",
            ["ÄB1", "ab2", "xy3", "PAK12", "pak120"].map(|id| {
                (
                    LonLat {
                        lon: 60.0,
                        lat: 27.0,
                    },
                    Date::parse_iso("2024-01-16").ok(),
                    id.to_owned(),
                )
            }),
        );
        let layer = state.add_import(
            "ids.geojson".into(),
            Ok(Import {
                file: "ids.geojson".into(),
                format: crate::import::DetectedFormat::GeoJsonOverlay,
                content: ImportedContent::Table(Arc::new(table)),
                skipped: Vec::new(),
                skipped_total: 0,
            }),
        );
        let ids = |state: &AppState| -> Vec<String> {
            let Some(listing) = state.row_listing() else {
                return Vec::new();
            };
            let table = &state.table(listing.layer).unwrap().table;
            listing
                .rows
                .iter()
                .map(|&row| table.label(row).to_owned())
                .collect()
        };
        state.apply(Command::SetSearch("Pak12".into()));
        assert_eq!(ids(&state), ["PAK12", "pak120"]);
        state.apply(Command::SetSearch("äb".into()));
        assert_eq!(ids(&state), ["ÄB1"]);
        state.apply(Command::SetSearch("ab".into()));
        assert_eq!(ids(&state), ["ab2"]);
        state.apply(Command::SetSearch("zz".into()));
        assert!(state.row_listing().is_none());
        state.apply(Command::SetLayerVisible(layer.unwrap(), false));
        state.apply(Command::SetSearch("ab".into()));
        assert!(
            state.row_listing().is_none(),
            "hidden layers are not searched"
        );
    }

    #[test]
    fn bundled_state_opens_on_the_overview() {
        let state = state();
        assert!(state.messages.is_empty(), "{:?}", state.messages);
        assert_eq!(state.shown_events().len(), 2);
        assert_eq!(state.provinces.len(), 2);
        assert_eq!(
            state.pending_view,
            state.overview_bounds().map(ViewRequest::Fit)
        );
    }

    #[test]
    fn selecting_unknown_events_changes_nothing() {
        let mut state = state();
        let e1 = event_ref(&state, "E1");
        state.apply(Command::Select(e1));
        state.apply(Command::Select(EventRef {
            layer: 0,
            id: "nope".into(),
        }));
        assert_eq!(state.selected_id(), Some("E1"));
        state.apply(Command::ClearSelection);
        assert_eq!(state.selected_id(), None);
    }

    #[test]
    fn select_and_center_requests_a_view_change() {
        let mut state = state();
        state.pending_view = None;
        let e2 = event_ref(&state, "E2");
        state.apply(Command::SelectAndCenter(e2.clone()));
        let position = state.event(&e2).unwrap().position;
        assert_eq!(state.pending_view, Some(ViewRequest::CenterOn(position)));
    }

    #[test]
    fn a_failed_load_keeps_everything_as_it_was() {
        let mut state = state();
        let e1 = event_ref(&state, "E1");
        state.apply(Command::Select(e1));
        let layers_before = state.layers.len();
        let added = state.add_loaded_events(
            "bad.geojson".into(),
            crate::data::parse_events("bad.geojson", "{"),
        );
        assert_eq!(added, None);
        assert_eq!(state.layers.len(), layers_before);
        assert_eq!(state.shown_events().len(), 2);
        assert_eq!(state.selected_id(), Some("E1"));
        assert_eq!(state.messages.len(), 1);
        assert!(
            state.messages[0].starts_with("bad.geojson:1:1"),
            "{}",
            state.messages[0]
        );
    }

    #[test]
    fn a_loaded_file_is_a_layer_that_can_be_hidden_and_removed() {
        let mut state = state();
        let loaded =
            crate::data::parse_events("copy.geojson", crate::data::BUNDLED_STRIKES_GEOJSON);
        let id = state
            .add_loaded_events("copy.geojson".into(), loaded)
            .unwrap();
        assert_eq!(state.shown_events().len(), 4);
        // The same id in two layers: each is its own event.
        let copy_e1 = EventRef {
            layer: id,
            id: "E1".into(),
        };
        state.apply(Command::Select(copy_e1.clone()));
        assert!(state.is_selected(&copy_e1));
        assert!(!state.is_selected(&event_ref(&state, "E1")));
        state.apply(Command::SetLayerVisible(id, false));
        assert_eq!(state.shown_events().len(), 2);
        assert_eq!(state.selected_id(), None, "a hidden event is not selected");
        state.apply(Command::SetLayerVisible(id, true));
        assert_eq!(state.selected_id(), Some("E1"));
        state.apply(Command::RemoveLayer(id));
        assert_eq!(state.shown_events().len(), 2);
        assert_eq!(state.selected_id(), None);
    }

    #[test]
    fn the_time_window_filters_events() {
        let mut state = state();
        let day = |d| Date {
            year: 2024,
            month: 1,
            day: d,
        };
        state.apply(Command::SetTimeWindow(Some((day(17), day(18)))));
        let shown: Vec<&str> = state.shown_events().iter().map(|(_, e)| e.id()).collect();
        assert_eq!(shown, ["E2"]);
        state.apply(Command::SetTimeWindow(None));
        assert_eq!(state.shown_events().len(), 2);
    }

    #[test]
    fn stepping_walks_events_and_statements_in_time_order() {
        let mut state = state();
        let mut visited = Vec::new();
        for _ in 0..12 {
            state.apply(Command::StepForward);
            let item = match state.current_story_item().unwrap() {
                StoryItem::Event(event_ref) => event_ref.id,
                StoryItem::Statement(id) => id,
            };
            visited.push(item);
        }
        // E1 (16 Jan) before D1 (16 Jan, a statement), E2 (18 Jan) before D3-D5; the last item
        // stays selected at the end.
        assert_eq!(
            visited,
            [
                "E1", "D1", "D2", "E2", "D3", "D4", "D5", "D6", "D7", "D7", "D7", "D7"
            ]
        );
        state.apply(Command::StepBack);
        assert_eq!(
            state.current_story_item(),
            Some(StoryItem::Statement("D6".into()))
        );
    }

    #[test]
    fn stepping_to_an_event_flies_to_it() {
        let mut state = state();
        state.pending_view = None;
        state.apply(Command::StepForward);
        let e1 = state.find_event("E1").unwrap().1;
        assert_eq!(
            state.pending_view,
            Some(ViewRequest::FlyTo {
                center: e1.position,
                radius_km: 60.0
            })
        );
    }

    #[test]
    fn the_time_window_filters_statements_and_the_story() {
        let mut state = state();
        let day = |d| Date {
            year: 2024,
            month: 1,
            day: d,
        };
        state.apply(Command::SetTimeWindow(Some((day(16), day(17)))));
        assert_eq!(state.story().len(), 3, "E1, D1, D2");
        assert_eq!(state.date_span(), Some((day(16), day(22))));
    }

    #[test]
    fn the_strikes_are_measured_to_the_border() {
        let state = state();
        let (_, e1) = state.find_event("E1").unwrap();
        let distance = state.border_distance(e1).unwrap();
        assert!((70.0..90.0).contains(&distance.distance_km), "{distance:?}");
    }

    #[test]
    fn imports_become_event_or_overlay_layers_and_failures_change_nothing() {
        let mut state = state();
        let overlay_text = r#"{"type":"FeatureCollection","name":"Sites","features":[
            {"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[63.0,27.0]}},
            {"type":"Feature","properties":null,"geometry":{"type":"LineString","coordinates":[[62,26],[64,28]]}}]}"#;
        let overlay = crate::import::import_text("sites.geojson", overlay_text);
        let id = state.add_import("sites.geojson".into(), overlay).unwrap();
        assert_eq!(state.overlays.len(), 1);
        assert_eq!(state.overlay(id).unwrap().layer.features.len(), 2);
        state.apply(Command::SelectFeature(id, 0));
        assert_eq!(state.selected_feature().unwrap().1.label(), "A");
        assert_eq!(state.selected_id(), None);

        let before = (
            state.layers.len(),
            state.overlays.len(),
            state.shown_events().len(),
        );
        let failed = crate::import::import_text("broken.csv", "event_date;latitude\n1;2\n");
        assert!(state.add_import("broken.csv".into(), failed).is_none());
        assert_eq!(
            before,
            (
                state.layers.len(),
                state.overlays.len(),
                state.shown_events().len()
            )
        );
        assert_eq!(
            state.selected_feature().unwrap().1.label(),
            "A",
            "selection kept"
        );

        state.apply(Command::RemoveLayer(id));
        assert!(state.overlays.is_empty());
        assert!(state.selected_feature().is_none());
    }

    #[test]
    fn the_search_filters_events_by_place_actor_or_source() {
        let mut state = state();
        state.apply(Command::SetSearch("panjgur".into()));
        let shown: Vec<&str> = state.shown_events().iter().map(|(_, e)| e.id()).collect();
        assert_eq!(shown, ["E1"]);
        state.apply(Command::SetSearch("Haalvsh".into()));
        let shown: Vec<&str> = state.shown_events().iter().map(|(_, e)| e.id()).collect();
        assert_eq!(shown, ["E2"]);
        state.apply(Command::SetSearch(String::new()));
        assert_eq!(state.shown_events().len(), 2);
    }

    #[test]
    fn only_web_links_are_opened() {
        let mut state = state();
        state.apply(Command::OpenUrl("file:///etc/passwd".into()));
        state.apply(Command::OpenUrl("https://dawn.com/news/1806685".into()));
        assert_eq!(state.pending_urls, vec!["https://dawn.com/news/1806685"]);
        assert_eq!(state.messages.len(), 1);
    }
}

/// The shown events, gathered to be written on another thread: see
/// [`AppState::shown_events_export`].
#[derive(Clone, Debug)]
pub struct ShownEventsExport {
    pub title: Option<String>,
    pub events: Vec<StrikeEvent>,
    /// Visible large layers of events and their rows in the time window.
    pub tables: Vec<(Arc<PointTable>, std::ops::Range<u32>)>,
    pub search: String,
    /// Rows of visible large point layers in the time window: points, not events, so not
    /// exported.
    pub points_left_out: usize,
}

impl ShownEventsExport {
    /// Writes the events as `format`; returns the output and how many events were written.
    pub fn write<W: std::io::Write>(
        &self,
        out: W,
        format: crate::export::EventsFormat,
    ) -> Result<(W, usize), crate::export::ExportError> {
        let tables: Vec<crate::export::TableRows<'_>> = self
            .tables
            .iter()
            .map(|(table, rows)| crate::export::TableRows {
                table,
                rows: rows.clone(),
            })
            .collect();
        // As the search box filters: small layers' events by place, actor or source; large
        // layers' rows by id (the side panel lists those). Either match keeps a row.
        let id_query = self.search.trim().to_lowercase();
        let keep = |event: &StrikeEvent| {
            crate::search::event_matches(event, &self.search)
                || event.id().to_lowercase().contains(&id_query)
        };
        crate::export::write_events(
            out,
            format,
            self.title.as_deref(),
            &self.events,
            &tables,
            &keep,
        )
    }
}
