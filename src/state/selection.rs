//! What is selected (one thing at a time), what is listed, and what the filters show.

use super::{AppState, EventRef, LayerId};
use crate::import::OverlayFeature;
use crate::model::{Date, StrikeEvent};
use crate::table::{PointTable, Record};
use crate::timeline::Statement;
use std::sync::Arc;

/// The one thing selected, if any.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Selection {
    #[default]
    None,
    /// An event of an events layer (a marker or a list entry).
    Event(EventRef),
    /// A statement of the timeline (it has no place on the map), by id.
    Statement(String),
    /// A feature of an overlay: its layer and its index in the file.
    Feature(LayerId, usize),
    /// A row of a table layer.
    Row(SelectedRow),
}

impl Selection {
    /// The layer the selection belongs to (statements belong to none).
    pub fn layer(&self) -> Option<LayerId> {
        match self {
            Self::None | Self::Statement(_) => None,
            Self::Event(event_ref) => Some(event_ref.layer),
            Self::Feature(layer, _) => Some(*layer),
            Self::Row(row) => Some(row.layer),
        }
    }
}

/// The selected row of a table layer and its record, read from the file off the UI thread.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectedRow {
    pub layer: LayerId,
    pub row: u32,
    /// `None` until the record has been read.
    pub record: Option<Result<Record, String>>,
}

/// A row's record to read from its file (taken by the app shell, which reads it on another
/// thread and hands it back to [`AppState::receive_record`]).
#[derive(Clone, Debug)]
pub struct RecordRequest {
    pub layer: LayerId,
    pub row: u32,
    pub table: Arc<PointTable>,
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

impl AppState {
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn search(&self) -> &str {
        &self.search
    }

    pub fn time_window(&self) -> Option<(Date, Date)> {
        self.time_window
    }

    pub fn event(&self, event_ref: &EventRef) -> Option<&StrikeEvent> {
        self.layer(event_ref.layer)?
            .events()
            .iter()
            .find(|event| event.id() == event_ref.id)
    }

    /// The first loaded event with this id (ids are unique within a layer, not across layers).
    pub fn find_event(&self, id: &str) -> Option<(EventRef, &StrikeEvent)> {
        self.layers.iter().find_map(|layer| {
            layer
                .events()
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

    /// Every event that is shown: in a visible layer and inside the time window, in date order.
    pub fn shown_events(&self) -> Vec<(EventRef, &StrikeEvent)> {
        let mut shown: Vec<(EventRef, &StrikeEvent)> = self
            .layers
            .iter()
            .filter(|layer| layer.look.visible)
            .flat_map(|layer| {
                layer.events().iter().map(move |event| {
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

    pub(super) fn in_time_window(&self, event: &StrikeEvent) -> bool {
        self.time_window
            .is_none_or(|(start, end)| start <= event.date && event.date <= end)
    }

    /// The selected event, if it is shown.
    pub fn selected(&self) -> Option<&StrikeEvent> {
        let Selection::Event(selected) = &self.selection else {
            return None;
        };
        let event = self.event(selected)?;
        let layer_visible = self
            .layer(selected.layer)
            .is_some_and(|layer| layer.look.visible);
        (layer_visible && self.in_time_window(event)).then_some(event)
    }

    pub fn selected_ref(&self) -> Option<&EventRef> {
        match &self.selection {
            Selection::Event(selected) => Some(selected).filter(|_| self.selected().is_some()),
            _ => None,
        }
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

    /// The selected statement, if it is inside the time window.
    pub fn selected_statement(&self) -> Option<&Statement> {
        let Selection::Statement(id) = &self.selection else {
            return None;
        };
        self.shown_statements()
            .into_iter()
            .find(|statement| &statement.id == id)
    }

    /// The selected overlay feature with its layer's name and id, if its layer is shown.
    pub fn selected_feature(&self) -> Option<(LayerId, &str, &OverlayFeature)> {
        let Selection::Feature(layer_id, index) = self.selection else {
            return None;
        };
        let (layer, overlay) = self
            .overlay(layer_id)
            .filter(|(layer, _)| layer.look.visible)?;
        let feature = overlay
            .features
            .iter()
            .chain(&overlay.unlocated)
            .find(|feature| feature.index == index)?;
        Some((layer.id, overlay.name.as_str(), feature))
    }

    /// The selected row of a table layer, if its layer is shown and the row is in the time
    /// window.
    pub fn selected_row(&self) -> Option<&SelectedRow> {
        let Selection::Row(selected) = &self.selection else {
            return None;
        };
        let (layer, content) = self.table(selected.layer)?;
        let in_window = content
            .table
            .rows_in_window(self.time_window)
            .contains(&selected.row);
        (layer.look.visible && in_window).then_some(selected)
    }

    /// The rows of a clicked cluster or of the search, if their layer is shown.
    pub fn row_listing(&self) -> Option<&RowListing> {
        let listing = self.row_listing.as_ref()?;
        self.table(listing.layer)
            .filter(|(layer, _)| layer.look.visible)
            .map(|_| listing)
    }

    /// Selects a row of a table layer; its record is asked for and arrives later.
    pub(super) fn select_row(&mut self, layer: LayerId, row: u32) {
        let Some((_, content)) = self.table(layer) else {
            return;
        };
        if row as usize >= content.table.len() {
            return;
        }
        let table = Arc::clone(&content.table);
        self.selection = Selection::Row(SelectedRow {
            layer,
            row,
            record: None,
        });
        self.record_requests
            .push(RecordRequest { layer, row, table });
    }

    /// The record of a row, read from its file; kept if that row is still selected.
    pub fn receive_record(&mut self, layer: LayerId, row: u32, record: Result<Record, String>) {
        if let Selection::Row(selected) = &mut self.selection
            && selected.layer == layer
            && selected.row == row
        {
            selected.record = Some(record);
        }
    }

    /// Records asked for since the last call, for the app shell to read.
    pub fn take_record_requests(&mut self) -> Vec<RecordRequest> {
        std::mem::take(&mut self.record_requests)
    }

    /// The rows of the first visible table layer whose id contains `query` (ignoring case),
    /// inside the time window; `None` for an empty query or no match. A linear scan of the
    /// ids, run when the query changes.
    pub(super) fn search_tables(&self, query: &str) -> Option<RowListing> {
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
        self.visible_tables().find_map(|(layer, content)| {
            let mut rows = Vec::new();
            let mut total = 0;
            for row in content.table.rows_in_window(self.time_window) {
                if matches(content.table.label(row)) {
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
}
