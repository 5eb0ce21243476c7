//! The story: the shown events and statements in time order, stepped through in briefings.

use super::{AppState, EventRef, Selection, ViewRequest};
use crate::model::Date;

/// One step of the story: an event or a statement, in time order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StoryItem {
    Event(EventRef),
    Statement(String),
}

impl AppState {
    /// The view change that frames `event`: its uncertainty circle and, where the border
    /// distance is drawn, the nearest border point.
    pub fn fly_to(&self, event: &crate::model::StrikeEvent) -> ViewRequest {
        ViewRequest::FlyTo {
            center: event.position,
            radius_km: event.properties.location.radius_km,
            also: self.border_distance(event).map(|distance| distance.nearest),
        }
    }

    /// The first and last day of everything loaded (events, statements and table rows).
    pub fn date_span(&self) -> Option<(Date, Date)> {
        let dates = self
            .all_events()
            .map(|event| event.date)
            .chain(self.statements.iter().map(|statement| statement.date))
            .chain(
                self.tables()
                    .filter_map(|(_, content)| content.table.date_span())
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

    /// Selects the next (or previous) item of the story; an event is flown to.
    pub(super) fn step(&mut self, forward: bool) {
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
        let Some(item) = next.and_then(|next| story.get(next)).cloned() else {
            return;
        };
        match item {
            StoryItem::Event(event_ref) => {
                if let Some(event) = self.event(&event_ref) {
                    self.pending_view = Some(self.fly_to(event));
                }
                self.selection = Selection::Event(event_ref);
            }
            StoryItem::Statement(id) => {
                let view = self
                    .shown_statements()
                    .into_iter()
                    .find(|statement| statement.id == id)
                    .and_then(|statement| self.frame_statement(statement));
                if view.is_some() {
                    self.pending_view = view;
                }
                self.selection = Selection::Statement(id);
            }
        }
    }
}
