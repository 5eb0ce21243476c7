//! The worker while the store cannot be reached: edits kept in the journal on this machine,
//! reconnecting, and replaying the journal under the clash rule (a journal left by an earlier
//! run, killed or closed offline, is replayed when the case is opened again).

use super::Worker;
use crate::team::{Connection, FromStore};
use std::time::Instant;
use strikemap_store::image::Change;
use strikemap_store::window::Access;
use strikemap_store::{Journal, Session, Store};

impl Worker {
    /// The store cannot be reached at the start: a journal of this case lets the analyst go on
    /// offline; without one there is nothing to show.
    pub(super) fn open_from_journal(&mut self, reason: &str) -> bool {
        let journal = Journal::load(&self.journal_path).ok().filter(|journal| {
            journal.case_id() == self.address.case_id && self.address.as_of.is_none()
        });
        let Some(journal) = journal else {
            self.say(FromStore::Failed(reason.to_owned()));
            return false;
        };
        let case = match journal.case() {
            Ok(case) => case,
            Err(error) => {
                self.say(FromStore::Failed(format!("{reason}; the journal: {error}")));
                return false;
            }
        };
        self.say(FromStore::Opened {
            store: journal.store().to_owned(),
            case: Box::new(case),
            image: Box::new(journal.latest_image().clone()),
            seen: journal.seen(),
            access: Access::Editor,
            notes: vec![format!(
                "The store cannot be reached ({reason}): the case is shown as this machine last \
                 had it, and edits are kept here until it can."
            )],
        });
        self.say(FromStore::Connection(Connection::Offline {
            pending: journal.pending(),
            reason: reason.to_owned(),
        }));
        self.last_try = Instant::now();
        self.journal = Some(journal);
        true
    }

    /// A journal left by an earlier run (killed, or closed offline) is replayed first.
    pub(super) fn replay_journal_of_earlier_run(
        &mut self,
        store: &mut Store,
        notes: &mut Vec<String>,
    ) -> Result<Session, strikemap_store::StoreError> {
        let case_id = self.address.case_id;
        let journal = Journal::load(&self.journal_path).ok().filter(|journal| {
            journal.case_id() == case_id && journal.store() == self.name && journal.pending() > 0
        });
        let Some(mut journal) = journal else {
            return store.open(case_id);
        };
        let (session, replay) = journal.replay(store)?;
        notes.push(format!(
            "{} edit(s) kept on this machine while the store could not be reached were saved \
             to it now.",
            replay.saved
        ));
        if replay.clashes.is_empty() {
            if let Err(error) = journal.finish() {
                notes.push(format!("The spent journal could not be removed: {error}"));
            }
            let mut session = session;
            store.pull(&mut session)?;
            return Ok(session);
        }
        self.journal_clashes = replay.clashes;
        self.journal = Some(journal);
        Ok(session)
    }

    pub(super) fn journal_edit(&mut self, changes: &[Change]) {
        let Some(journal) = self.journal.as_mut() else {
            return;
        };
        match journal.record_changes(changes) {
            Ok(()) => {
                let pending = journal.pending();
                self.say(FromStore::Saved {
                    rows: Vec::new(),
                    journalled: true,
                });
                if self.store.is_none() {
                    self.say(FromStore::Connection(Connection::Offline {
                        pending,
                        reason: "the store cannot be reached".to_owned(),
                    }));
                }
            }
            Err(error) => self.say(FromStore::Failed(format!(
                "{}: the edit could not be kept in the journal: {error}",
                self.journal_path.display()
            ))),
        }
    }

    pub(super) fn went_offline(&mut self, reason: String) {
        self.store = None;
        self.last_try = Instant::now();
        if self.journal.is_none()
            && let Some(session) = &self.session
        {
            if let Some(dir) = self.journal_path.parent()
                && let Err(error) = std::fs::create_dir_all(dir)
            {
                tracing::warn!("cannot make {}: {error}", dir.display());
            }
            match Journal::create(&self.journal_path, &self.name, session) {
                Ok(journal) => self.journal = Some(journal),
                Err(error) => self.say(FromStore::Failed(format!(
                    "{}: cannot start the offline journal: {error}",
                    self.journal_path.display()
                ))),
            }
        }
        let pending = self.journal.as_ref().map_or(0, Journal::pending);
        self.say(FromStore::Connection(Connection::Offline {
            pending,
            reason,
        }));
    }

    pub(super) fn reconnect(&mut self) {
        self.last_try = Instant::now();
        let connected = Store::connect(&self.address.url, &crate::team::window_client_name())
            .and_then(|mut store| store.check_schema().map(|()| store))
            .and_then(|mut store| store.listen(self.address.case_id).map(|()| store));
        let Ok(store) = connected else {
            return;
        };
        self.store = Some(store);
        self.replay_journal();
    }

    /// Sends the journal's edits; on a clash, stops and shows it. Then takes in others' edits.
    pub(super) fn replay_journal(&mut self) {
        let (Some(store), Some(journal)) = (self.store.as_mut(), self.journal.as_mut()) else {
            return;
        };
        match journal.replay(store) {
            Ok((session, replay)) => {
                self.session = Some(session);
                if !replay.clashes.is_empty() {
                    self.journal_clashes.clone_from(&replay.clashes);
                    self.say(FromStore::Clashed(replay.clashes));
                    self.say(FromStore::Connection(Connection::Offline {
                        pending: replay.remaining,
                        reason: "an edit kept offline clashed: settle it, and the rest is saved"
                            .to_owned(),
                    }));
                    return;
                }
                if let Some(journal) = self.journal.take()
                    && let Err(error) = journal.finish()
                {
                    tracing::warn!("the spent journal could not be removed: {error}");
                }
                self.say(FromStore::Saved {
                    rows: Vec::new(),
                    journalled: false,
                });
                self.say(FromStore::Connection(Connection::Live));
                self.pull();
            }
            Err(error) => {
                let closed = store.is_closed();
                if closed {
                    self.went_offline(error.to_string());
                } else {
                    self.say(FromStore::Failed(error.to_string()));
                }
            }
        }
    }
}
