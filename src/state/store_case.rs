//! A case that lives in a team store, as the window holds it (pure state, no egui): where it
//! lives, whether the store can be reached, the edits on their way, clashes to settle and a
//! strike's history. Edits reach it through the case's own edit commands
//! ([`CaseSession::send_to_store`]); the shell carries the requests to the store's worker
//! (`crate::team`) and hands its answers to [`AppState::receive_from_store`].

use super::{AppState, CaseSession};
use crate::team::{
    Access, Clash, Connection, FromStore, HistoryRow, Image, Resolution, StoreCaseAddress, ToStore,
};
use strikemap_core::case::Case;

/// A store case at the desk.
#[derive(Clone, Debug)]
pub struct StoreCase {
    /// The store's name (its URL without a password).
    pub store: String,
    pub address: StoreCaseAddress,
    pub access: Access,
    pub connection: Connection,
    /// The last history row the window has drawn: an edit made on it is checked against it.
    pub drawn: i64,
    /// The case as the store holds it, as last heard (it numbers the strikes' order).
    image: Image,
    /// Edits that ran into others' changes, first first: the analyst settles each.
    pub clashes: Vec<Clash>,
    /// The history of one strike (`strike:E1`) as last asked for.
    pub history: Option<(String, Vec<HistoryRow>)>,
    /// Edits sent and not yet answered.
    pub in_flight: usize,
    /// Edits kept on this machine while the store cannot be reached.
    pub journalled: usize,
    outbox: Vec<ToStore>,
    /// The case before the field being typed into was first changed (sent once typing ends).
    typing_before: Option<Case>,
}

impl StoreCase {
    pub fn new(
        store: String,
        address: StoreCaseAddress,
        access: Access,
        image: Image,
        seen: i64,
    ) -> Self {
        Self {
            store,
            address,
            access,
            connection: Connection::Connecting,
            drawn: seen,
            image,
            clashes: Vec::new(),
            history: None,
            in_flight: 0,
            journalled: 0,
            outbox: Vec::new(),
            typing_before: None,
        }
    }

    /// Whether the window may edit the case (an editor or lead, not a past state).
    pub fn editable(&self) -> bool {
        self.address.as_of.is_none() && self.access >= Access::Editor
    }

    /// Why the case cannot be edited, in words.
    pub fn read_only_reason(&self) -> String {
        let case_id = self.address.case_id;
        if let Some(time) = &self.address.as_of {
            return format!(
                "This is case {case_id} as it stood at {time}, read-only: open it from the team \
                 store without a time to edit it."
            );
        }
        format!(
            "You are a {} of case {case_id} in {}: you may read it, not edit it (the case's lead \
             can make you an editor).",
            self.access.name(),
            self.store
        )
    }

    /// The case's title as the store holds it (the window's title bar shows this one: a title
    /// changing at every keystroke would take the keyboard from the field being typed in).
    pub fn stored_title(&self) -> Option<&str> {
        self.image
            .case
            .get("title")
            .and_then(|title| title.as_str())
    }

    /// The title bar's words: which store and case, and whether the connection is live.
    pub fn status_line(&self) -> String {
        let case_id = self.address.case_id;
        let link = match (&self.connection, &self.address.as_of) {
            (_, Some(time)) => format!("as of {time}, read-only"),
            (Connection::Connecting, _) => "connecting…".to_owned(),
            (Connection::Live, _) if self.in_flight > 0 => "live, saving…".to_owned(),
            (Connection::Live, _) => "live".to_owned(),
            (Connection::Offline { pending, .. }, _) => {
                format!("offline, {pending} edit(s) kept on this machine")
            }
            (Connection::AsOf, None) => "read-only".to_owned(),
        };
        let viewer = if self.address.as_of.is_none() && !self.editable() {
            format!(", {} (read-only)", self.access.name())
        } else {
            String::new()
        };
        format!("case {case_id} in {} — {link}{viewer}", self.store)
    }

    fn send_edit(&mut self, before: Case, after: Case) {
        if before == after {
            return;
        }
        self.outbox.push(ToStore::Edit {
            before: Box::new(before),
            after: Box::new(after),
            drawn: self.drawn,
        });
        self.in_flight += 1;
    }
}

impl CaseSession {
    /// A case opened from a team store: read-only for a viewer or a past state.
    pub fn from_store(case: Case, store: StoreCase) -> Self {
        let read_only = !store.editable();
        let mut session = Self::opened(case, None, None);
        session.read_only = read_only;
        session.store = Some(store);
        session
    }

    /// Why an edit is refused.
    pub fn read_only_hint(&self) -> String {
        self.store.as_ref().map_or_else(
            || super::READ_ONLY_HINT.to_owned(),
            StoreCase::read_only_reason,
        )
    }

    /// An edit was made (the case was `before`): it goes to the store, typing once the field
    /// is left.
    pub(super) fn send_to_store(&mut self, before: Case, typing: bool) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if typing {
            store.typing_before.get_or_insert(before);
            return;
        }
        if let Some(typed_from) = store.typing_before.take() {
            store.send_edit(typed_from, before.clone());
        }
        store.send_edit(before, self.case.clone());
    }

    /// The field typed into was left: what was typed goes to the store as one edit.
    pub(super) fn seal_store_typing(&mut self) {
        let case = self.case.clone();
        if let Some(store) = self.store.as_mut()
            && let Some(typed_from) = store.typing_before.take()
        {
            store.send_edit(typed_from, case);
        }
    }
}

impl AppState {
    /// Shows a case opened from a team store in place of the one before.
    pub fn open_store_case(&mut self, case: Case, store: StoreCase) {
        self.open_case(CaseSession::from_store(case, store));
    }

    /// What the window must send to the store's worker (taken once).
    pub fn take_store_requests(&mut self) -> Vec<ToStore> {
        self.case
            .store
            .as_mut()
            .map(|store| std::mem::take(&mut store.outbox))
            .unwrap_or_default()
    }

    /// Settles the first clash: keep theirs, or write a value (one's own or a third) over it.
    pub(super) fn resolve_first_clash(&mut self, resolution: Resolution) {
        let Some(store) = self.case.store.as_mut() else {
            return;
        };
        if store.clashes.is_empty() {
            return;
        }
        let clash = store.clashes.remove(0);
        store.outbox.push(ToStore::Resolve {
            clash: Box::new(clash),
            resolution,
        });
    }

    /// Asks the store for a strike's history.
    pub(super) fn ask_strike_history(&mut self, strike_id: String) {
        if let Some(store) = self.case.store.as_mut() {
            let object = format!("strike:{strike_id}");
            store.outbox.push(ToStore::History { object });
        }
    }

    /// Takes in what the store's worker said (other than the case being opened, which the
    /// shell turns into [`AppState::open_store_case`]).
    pub fn receive_from_store(&mut self, message: FromStore) {
        if self.case.store.is_none() {
            if let FromStore::Failed(reason) = message {
                self.messages.push(reason);
            }
            return;
        }
        match message {
            FromStore::Opened { .. } => {}
            FromStore::Changes {
                changes,
                image,
                seen,
            } => {
                // What is being typed goes first, so the store's change does not bury it.
                self.case.seal_store_typing();
                let Some(store) = self.case.store.as_mut() else {
                    return;
                };
                let taken = crate::team::take_in(&self.case.case, &store.image, &changes);
                store.image = *image;
                store.drawn = store.drawn.max(seen);
                match taken {
                    Ok(case) => {
                        self.case.take_in_from_store(case);
                        self.refresh_case();
                    }
                    Err(error) => self
                        .messages
                        .push(format!("Others' edits could not be shown: {error}")),
                }
            }
            FromStore::Saved { journalled, .. } => {
                if let Some(store) = self.case.store.as_mut() {
                    store.in_flight = store.in_flight.saturating_sub(1);
                    if journalled {
                        store.journalled += 1;
                    } else if store.connection == Connection::Live {
                        store.journalled = 0;
                    }
                }
            }
            FromStore::Clashed(clashes) => {
                if let Some(store) = self.case.store.as_mut() {
                    store.in_flight = store.in_flight.saturating_sub(1);
                    store.clashes.extend(clashes);
                }
            }
            FromStore::Connection(connection) => {
                if let Some(store) = self.case.store.as_mut() {
                    if let Connection::Offline { pending, .. } = &connection {
                        store.journalled = *pending;
                    }
                    store.connection = connection;
                }
            }
            FromStore::History { object, rows } => {
                if let Some(store) = self.case.store.as_mut() {
                    store.history = Some((object, rows));
                }
            }
            FromStore::Failed(reason) => {
                if let Some(store) = self.case.store.as_mut() {
                    store.in_flight = store.in_flight.saturating_sub(1);
                }
                self.messages.push(reason);
            }
        }
    }
}
