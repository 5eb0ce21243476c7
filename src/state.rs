//! What the user is looking at: the loaded layers and the selection. Pure code, no egui.
//!
//! The UI never mutates this directly; it returns [`Command`]s that [`AppState::apply`] carries
//! out, so every user action can be tested without drawing anything.

use crate::data::{EventCollection, LoadError};
use crate::geometry::GeoBounds;
use crate::model::{LonLat, Province, StrikeEvent};
use geo::BoundingRect as _;

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select an event by id (from a marker or the list).
    Select(String),
    /// Select an event and centre the map on it (from the event list).
    SelectAndCenter(String),
    ClearSelection,
    /// Frame the map on every event.
    FitToEvents,
    /// Frame the map on the provinces and events (the opening view).
    FitToOverview,
    /// Open a source's web page in the system browser.
    OpenUrl(String),
}

/// A change of the map view the map widget must carry out on its next frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ViewRequest {
    Fit(GeoBounds),
    CenterOn(LonLat),
}

#[derive(Debug, Default)]
pub struct AppState {
    pub title: Option<String>,
    pub events: Vec<StrikeEvent>,
    pub provinces: Vec<Province>,
    selected_id: Option<String>,
    /// Set by commands, taken by the map widget.
    pub pending_view: Option<ViewRequest>,
    /// URLs the UI should open, taken by the app shell.
    pub pending_urls: Vec<String>,
    /// Problems to show the user, newest last.
    pub messages: Vec<String>,
}

impl AppState {
    pub fn new(events: EventCollection, provinces: Vec<Province>) -> Self {
        let mut state = Self {
            title: events.title,
            events: events.events,
            provinces,
            ..Self::default()
        };
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
        state.messages = messages;
        state
    }

    /// Replaces the events with a newly loaded collection, or reports the error and keeps what
    /// was loaded before.
    pub fn replace_events(&mut self, loaded: Result<EventCollection, LoadError>) {
        match loaded {
            Ok(collection) => {
                self.title = collection.title;
                self.events = collection.events;
                if self
                    .selected_id
                    .as_ref()
                    .is_some_and(|id| self.event(id).is_none())
                {
                    self.selected_id = None;
                }
            }
            Err(error) => self.messages.push(error.to_string()),
        }
    }

    pub fn event(&self, id: &str) -> Option<&StrikeEvent> {
        self.events.iter().find(|event| event.id() == id)
    }

    pub fn selected(&self) -> Option<&StrikeEvent> {
        self.selected_id.as_deref().and_then(|id| self.event(id))
    }

    pub fn selected_id(&self) -> Option<&str> {
        self.selected_id.as_deref()
    }

    pub fn events_bounds(&self) -> Option<GeoBounds> {
        GeoBounds::around(self.events.iter().map(|event| event.position))
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
            Command::Select(id) => {
                if self.event(&id).is_some() {
                    self.selected_id = Some(id);
                }
            }
            Command::SelectAndCenter(id) => {
                if let Some(event) = self.event(&id) {
                    self.pending_view = Some(ViewRequest::CenterOn(event.position));
                    self.selected_id = Some(id);
                }
            }
            Command::ClearSelection => self.selected_id = None,
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        AppState::bundled()
    }

    #[test]
    fn bundled_state_opens_on_the_overview() {
        let state = state();
        assert!(state.messages.is_empty(), "{:?}", state.messages);
        assert_eq!(state.events.len(), 2);
        assert_eq!(state.provinces.len(), 2);
        assert_eq!(
            state.pending_view,
            state.overview_bounds().map(ViewRequest::Fit)
        );
    }

    #[test]
    fn selecting_unknown_ids_changes_nothing() {
        let mut state = state();
        state.apply(Command::Select("E1".into()));
        state.apply(Command::Select("nope".into()));
        assert_eq!(state.selected_id(), Some("E1"));
        state.apply(Command::ClearSelection);
        assert_eq!(state.selected_id(), None);
    }

    #[test]
    fn select_and_center_requests_a_view_change() {
        let mut state = state();
        state.pending_view = None;
        state.apply(Command::SelectAndCenter("E2".into()));
        let e2 = state.event("E2").unwrap().position;
        assert_eq!(state.pending_view, Some(ViewRequest::CenterOn(e2)));
    }

    #[test]
    fn a_failed_load_keeps_the_events() {
        let mut state = state();
        state.apply(Command::Select("E1".into()));
        state.replace_events(crate::data::parse_events("bad.geojson", "{"));
        assert_eq!(state.events.len(), 2);
        assert_eq!(state.selected_id(), Some("E1"));
        assert_eq!(state.messages.len(), 1);
        assert!(
            state.messages[0].starts_with("bad.geojson:1:1"),
            "{}",
            state.messages[0]
        );
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
