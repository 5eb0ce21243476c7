//! What "Export shown events" writes, gathered on the UI thread and written on another.

use super::AppState;
use crate::model::StrikeEvent;
use crate::table::PointTable;
use std::sync::Arc;

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

impl AppState {
    /// What "Export shown events" writes: the shown events, then the events of every visible
    /// large layer inside the time window (read again from their files when written). With a
    /// search, a large layer's event is kept when its id holds the search (as the side panel
    /// lists them) or when it matches by place, actor or source (as small layers' events do).
    pub fn shown_events_export(&self) -> ShownEventsExport {
        let mut tables = Vec::new();
        let mut points_left_out = 0;
        for (_, content) in self.visible_tables() {
            let rows = content.table.rows_in_window(self.time_window);
            if rows.is_empty() {
                continue;
            }
            if content.table.holds_events() {
                tables.push((Arc::clone(&content.table), rows));
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
