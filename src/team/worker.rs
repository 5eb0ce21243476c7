//! The thread that owns a store case's connection, the store's copy of the case and the offline
//! journal. It listens for others' edits (LISTEN/NOTIFY), sends the window's edits one
//! transaction each, keeps them in the journal while the store cannot be reached and replays
//! them on reconnect, and holds an edit that clashed until the analyst settles it.

mod offline;

use super::{Connection, FromStore, StoreCaseAddress, ToStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};
use strikemap_store::image::Change;
use strikemap_store::window::{Access, changes_of_edit};
use strikemap_store::{Clash, Journal, Outcome, Resolution, Session, Store};

/// How long the worker waits for a notice before looking at the window's messages again.
const LISTEN_SLICE: Duration = Duration::from_millis(40);
/// How often a lost store is tried again.
const RECONNECT_EVERY: Duration = Duration::from_secs(2);

/// The window's handle on a store case's worker. Dropping it stops the worker.
pub struct StoreWorker {
    to_worker: Sender<ToStore>,
    from_worker: Receiver<FromStore>,
    stop: Arc<AtomicBool>,
}

impl StoreWorker {
    /// Opens the case on a new thread; `journal_dir` keeps its offline journal (`None`: the
    /// system's temporary folder). `wake` asks the window to look at the messages.
    pub fn open(
        address: StoreCaseAddress,
        journal_dir: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (to_worker, requests) = std::sync::mpsc::channel();
        let (replies, from_worker) = std::sync::mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let journal_path = journal_path(
            &journal_dir.unwrap_or_else(std::env::temp_dir),
            &address.url,
            address.case_id,
        );
        let worker = Worker {
            address,
            journal_path,
            replies,
            wake: Box::new(wake),
            stop: Arc::clone(&stop),
            store: None,
            session: None,
            journal: None,
            held: Vec::new(),
            journal_clashes: Vec::new(),
            last_try: Instant::now(),
            name: String::new(),
        };
        let spawned = std::thread::Builder::new()
            .name("team store".into())
            .spawn(move || worker.run(&requests));
        let handle = Self {
            to_worker,
            from_worker,
            stop,
        };
        if let Err(error) = spawned {
            tracing::error!("cannot start the team store's thread: {error}");
        }
        handle
    }

    pub fn send(&self, request: ToStore) {
        // A worker that has ended (a failed open) has said why already.
        let _ = self.to_worker.send(request);
    }

    /// What the worker said since the last call, in order.
    pub fn received(&self) -> Vec<FromStore> {
        self.from_worker.try_iter().collect()
    }
}

impl Drop for StoreWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The journal of a store case on this machine: one file per store and case.
pub fn journal_path(dir: &Path, url: &str, case_id: i64) -> PathBuf {
    let store: String = strikemap_store::redacted(url)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    dir.join(format!("journal-{store}-case-{case_id}.json"))
}

/// An edit that clashed, waiting for the analyst: the changes of it nobody else touched are
/// written once every clash of it is settled.
struct Held {
    rest: Vec<Change>,
    drawn: i64,
    open: Vec<Clash>,
}

struct Worker {
    address: StoreCaseAddress,
    journal_path: PathBuf,
    replies: Sender<FromStore>,
    wake: Box<dyn Fn() + Send>,
    stop: Arc<AtomicBool>,
    /// `Some` while connected.
    store: Option<Store>,
    /// The case as the store holds it, as far as this client has seen.
    session: Option<Session>,
    /// `Some` while edits wait on this machine for the store.
    journal: Option<Journal>,
    held: Vec<Held>,
    /// Clashes the journal's replay stopped at.
    journal_clashes: Vec<Clash>,
    last_try: Instant,
    /// The store's name (its URL without a password).
    name: String,
}

/// The changes of an edit that did not clash.
fn without_clashed(changes: Vec<Change>, clashes: &[Clash]) -> Vec<Change> {
    changes
        .into_iter()
        .filter(|change| {
            !clashes
                .iter()
                .any(|clash| &clash.object == change.object() && clash.field == change.field())
        })
        .collect()
}

fn same(a: &Clash, b: &Clash) -> bool {
    a.object == b.object && a.field == b.field
}

impl Worker {
    fn say(&self, message: FromStore) {
        if self.replies.send(message).is_ok() {
            (self.wake)();
        }
    }

    fn run(mut self, requests: &Receiver<ToStore>) {
        if !self.open() {
            return;
        }
        let as_of = self.address.as_of.is_some();
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            loop {
                match requests.try_recv() {
                    Ok(request) => self.handle(request),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            if as_of || self.store.is_none() {
                if !as_of && self.last_try.elapsed() >= RECONNECT_EVERY {
                    self.reconnect();
                }
                match requests.recv_timeout(Duration::from_millis(200)) {
                    Ok(request) => self.handle(request),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                continue;
            }
            let waited = self
                .store
                .as_mut()
                .map(|store| store.wait_for_change(LISTEN_SLICE));
            match waited {
                Some(Ok(true)) => self.pull(),
                Some(Err(error)) => self.went_offline(error.to_string()),
                _ => {}
            }
        }
    }

    /// Connects and reads the case; false (having said why) when it cannot be shown at all.
    fn open(&mut self) -> bool {
        self.name = strikemap_store::redacted(&self.address.url);
        let connected = Store::connect(&self.address.url, &super::window_client_name())
            .and_then(|mut store| store.check_schema().map(|()| store));
        let mut store = match connected {
            Ok(store) => store,
            Err(error) => return self.open_from_journal(&error.to_string()),
        };
        let case_id = self.address.case_id;
        let access = match store.access(case_id) {
            Ok(Access::None) => {
                self.say(FromStore::Failed(format!(
                    "{}: there is no case {case_id} (or you may not read it)",
                    self.name
                )));
                return false;
            }
            Ok(access) => access,
            Err(error) => {
                self.say(FromStore::Failed(error.to_string()));
                return false;
            }
        };
        let mut notes = Vec::new();
        let opened = if let Some(time) = self.address.as_of.clone() {
            store.open_as_of(case_id, &time)
        } else {
            self.replay_journal_of_earlier_run(&mut store, &mut notes)
        };
        let session = match opened {
            Ok(session) => session,
            Err(error) => {
                self.say(FromStore::Failed(error.to_string()));
                return false;
            }
        };
        let live = self.address.as_of.is_none();
        if live && let Err(error) = store.listen(case_id) {
            self.say(FromStore::Failed(error.to_string()));
            return false;
        }
        let (case, image) = match &self.journal {
            Some(journal) => (journal.case(), journal.latest_image().clone()),
            None => (
                session.case().map(|loaded| loaded.case),
                session.image.clone(),
            ),
        };
        let case = match case {
            Ok(case) => case,
            Err(error) => {
                self.say(FromStore::Failed(error.to_string()));
                return false;
            }
        };
        self.say(FromStore::Opened {
            store: self.name.clone(),
            case: Box::new(case),
            image: Box::new(image),
            seen: session.seen(),
            access,
            notes,
        });
        self.say(FromStore::Connection(if live {
            Connection::Live
        } else {
            Connection::AsOf
        }));
        if !self.journal_clashes.is_empty() {
            self.say(FromStore::Clashed(self.journal_clashes.clone()));
        }
        self.session = Some(session);
        self.store = Some(store);
        true
    }

    fn handle(&mut self, request: ToStore) {
        match request {
            ToStore::Edit {
                before,
                after,
                drawn,
            } => self.edit(&before, &after, drawn),
            ToStore::Resolve { clash, resolution } => self.resolve(&clash, resolution),
            ToStore::History { object } => {
                let case_id = self.address.case_id;
                let Some(store) = self.store.as_mut() else {
                    self.say(FromStore::Failed(
                        "The history is read from the store, which cannot be reached now."
                            .to_owned(),
                    ));
                    return;
                };
                match store.history(case_id, None, Some(&object)) {
                    Ok(rows) => self.say(FromStore::History { object, rows }),
                    Err(error) => self.say(FromStore::Failed(error.to_string())),
                }
            }
        }
    }

    fn edit(
        &mut self,
        before: &strikemap_core::case::Case,
        after: &strikemap_core::case::Case,
        drawn: i64,
    ) {
        let Some(session) = self.session.as_mut() else {
            // Opened from the journal alone: the journal's image numbers the objects.
            if let Some(journal) = self.journal.as_mut() {
                let base = journal_session_stand_in(journal);
                let changes = changes_of_edit(&base, before, after);
                self.journal_edit(&changes);
            }
            return;
        };
        if self.journal.is_some() {
            let changes = changes_of_edit(session, before, after);
            self.journal_edit(&changes);
            return;
        }
        let Some(store) = self.store.as_mut() else {
            return;
        };
        match store.commit_edit(session, before, after, drawn) {
            Ok((Outcome::Saved(rows), _)) => self.say(FromStore::Saved {
                rows,
                journalled: false,
            }),
            Ok((Outcome::Clashed(clashes), changes)) => {
                self.held.push(Held {
                    rest: without_clashed(changes, &clashes),
                    drawn,
                    open: clashes.clone(),
                });
                self.say(FromStore::Clashed(clashes));
            }
            Err(error) if store.is_closed() => {
                let changes = changes_of_edit(session, before, after);
                self.went_offline(error.to_string());
                self.journal_edit(&changes);
            }
            Err(error) => {
                // Refused (a role's rights, a value the store cannot take): the window's edit
                // is put back, and the reason said.
                let changes = changes_of_edit(session, before, after);
                let undo: Vec<Change> = changes.iter().rev().map(Change::inverse).collect();
                let (image, seen) = (Box::new(session.image.clone()), session.seen());
                self.say(FromStore::Failed(error.to_string()));
                self.say(FromStore::Changes {
                    changes: undo,
                    image,
                    seen,
                });
            }
        }
    }

    /// Takes in others' edits and hands them to the window.
    fn pull(&mut self) {
        let (Some(store), Some(session)) = (self.store.as_mut(), self.session.as_mut()) else {
            return;
        };
        match store.pull(session) {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                let (image, seen) = (Box::new(session.image.clone()), session.seen());
                self.say(FromStore::Changes {
                    changes,
                    image,
                    seen,
                });
            }
            Err(error) if store.is_closed() => self.went_offline(error.to_string()),
            Err(error) => self.say(FromStore::Failed(error.to_string())),
        }
    }

    fn resolve(&mut self, clash: &Clash, resolution: Resolution) {
        let own_value = match &resolution {
            Resolution::Theirs => None,
            Resolution::Value(value) => Some(value.clone()),
        };
        let (Some(store), Some(session)) = (self.store.as_mut(), self.session.as_mut()) else {
            self.say(FromStore::Failed(
                "The clash is settled in the store, which cannot be reached now: try again when \
                 it can."
                    .to_owned(),
            ));
            return;
        };
        match store.resolve(session, clash, resolution) {
            Ok(Outcome::Saved(_)) => {}
            Ok(Outcome::Clashed(again)) => {
                self.say(FromStore::Clashed(again));
                return;
            }
            Err(error) => {
                if store.is_closed() {
                    self.went_offline(error.to_string());
                } else {
                    self.say(FromStore::Failed(error.to_string()));
                }
                return;
            }
        }
        // Theirs is what the store holds now (it may have changed again since the clash).
        let chosen = own_value.unwrap_or_else(|| {
            strikemap_store::image::value_of(&session.image, &clash.object, &clash.field)
        });
        let settled = Change::Set {
            object: clash.object.clone(),
            field: clash.field.clone(),
            old: clash.yours.clone(),
            new: chosen.clone(),
        };
        let (image, seen) = (Box::new(session.image.clone()), session.seen());
        self.say(FromStore::Changes {
            changes: vec![settled],
            image,
            seen,
        });
        if self.journal_clashes.iter().any(|open| same(open, clash)) {
            self.journal_clashes.retain(|open| !same(open, clash));
            if let Some(journal) = self.journal.as_mut()
                && let Err(error) = journal.settle(clash, &chosen)
            {
                self.say(FromStore::Failed(format!(
                    "{}: cannot write the journal: {error}",
                    self.journal_path.display()
                )));
                return;
            }
            if self.journal_clashes.is_empty() {
                self.replay_journal();
            }
            return;
        }
        self.write_held_rest(clash);
    }

    /// Once every clash of a held edit is settled, its other changes are written.
    fn write_held_rest(&mut self, clash: &Clash) {
        let Some(index) = self
            .held
            .iter()
            .position(|held| held.open.iter().any(|open| same(open, clash)))
        else {
            return;
        };
        self.held[index].open.retain(|open| !same(open, clash));
        if !self.held[index].open.is_empty() {
            return;
        }
        let held = self.held.remove(index);
        let (Some(store), Some(session)) = (self.store.as_mut(), self.session.as_mut()) else {
            return;
        };
        match store.commit_changes(session, &held.rest, held.drawn) {
            Ok(Outcome::Saved(rows)) => self.say(FromStore::Saved {
                rows,
                journalled: false,
            }),
            Ok(Outcome::Clashed(clashes)) => {
                self.held.push(Held {
                    rest: without_clashed(held.rest, &clashes),
                    drawn: held.drawn,
                    open: clashes.clone(),
                });
                self.say(FromStore::Clashed(clashes));
            }
            Err(error) => self.say(FromStore::Failed(error.to_string())),
        }
    }
}

/// A session standing in for the store's when the case was opened from the journal alone (it
/// numbers a window edit's objects as the journal does).
fn journal_session_stand_in(journal: &Journal) -> Session {
    Session::from_image(journal.case_id(), journal.latest_image().clone())
}
