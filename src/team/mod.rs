//! A case that lives in a team store, at the desk: a worker thread owns the connection, the
//! store's copy of the case and the offline journal; the window talks to it with messages
//! ([`ToStore`], [`FromStore`]) and never waits on the network. No egui here.
//!
//! The window sends each edit as the pair (case before, case after) with the last history row
//! it had drawn (see `strikemap_store::window`), so an edit made while others' changes are
//! still on their way is never turned into a revert of them.

mod worker;

pub use strikemap_store::image::{Change, Image};
pub use strikemap_store::window::Access;
pub use strikemap_store::{CaseSummary, Clash, HistoryRow, Resolution};
pub use worker::StoreWorker;

use strikemap_core::case::Case;

/// Where a store case is opened from: the store's URL, the case, and (to read it as it was)
/// a past time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreCaseAddress {
    pub url: String,
    pub case_id: i64,
    /// An ISO time: the case as it stood then, read-only.
    pub as_of: Option<String>,
}

/// Whether the store can be reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    /// Connected and listening for others' edits.
    Live,
    /// The store cannot be reached: edits are kept in the journal on this machine.
    Offline {
        pending: usize,
        reason: String,
    },
    /// A past state of the case, read once; nothing to listen to.
    AsOf,
}

/// What the window asks of the worker.
#[derive(Clone, Debug)]
pub enum ToStore {
    /// One edit: the case before and after it, as the window had them; `drawn` is the last
    /// history row the window had drawn.
    Edit {
        before: Box<Case>,
        after: Box<Case>,
        drawn: i64,
    },
    /// The analyst settled a clash.
    Resolve {
        clash: Box<Clash>,
        resolution: Resolution,
    },
    /// The history of one object (`strike:E1`).
    History { object: String },
}

/// What the worker tells the window.
#[derive(Clone, Debug)]
pub enum FromStore {
    /// The case is open: shown as the store holds it (with any journalled edits of an earlier
    /// run laid on it).
    Opened {
        store: String,
        case: Box<Case>,
        image: Box<Image>,
        seen: i64,
        access: Access,
        /// A note for the analyst (a journal of an earlier run replayed, …).
        notes: Vec<String>,
    },
    /// An edit is in the store (`rows`: its history rows), or kept in the journal.
    Saved {
        rows: Vec<i64>,
        journalled: bool,
    },
    /// Changes the window must take in (others' edits, a clash settled, an edit the store
    /// refused put back); after them the window has drawn every row up to `seen`.
    Changes {
        changes: Vec<Change>,
        image: Box<Image>,
        seen: i64,
    },
    /// An edit ran into others' changes: nothing of it was written.
    Clashed(Vec<Clash>),
    Connection(Connection),
    History {
        object: String,
        rows: Vec<HistoryRow>,
    },
    /// Something failed; the message says what, naming the store.
    Failed(String),
}

pub fn client_name(part: &str) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown host".to_owned());
    format!("strikemap {} ({part}) on {host}", env!("CARGO_PKG_VERSION"))
}

/// The client name the history records for the window.
pub fn window_client_name() -> String {
    client_name("window")
}

/// The cases of a store, for the Open dialog (run off the UI thread).
pub fn list_cases(url: &str) -> Result<Vec<CaseSummary>, String> {
    let mut store = strikemap_store::Store::connect(url, &window_client_name())
        .map_err(|error| error.to_string())?;
    store.list().map_err(|error| error.to_string())
}

/// Publishes a case as a new store case; its id (run off the UI thread).
pub fn publish_case(url: &str, case: &Case) -> Result<i64, String> {
    let mut store = strikemap_store::Store::connect(url, &window_client_name())
        .map_err(|error| error.to_string())?;
    store.publish(case).map_err(|error| error.to_string())
}

/// The window's case with changes from the store laid on it: its own edits not yet in the
/// store stay. `store_image` numbers the objects (their order) as the store does.
pub fn take_in(case: &Case, store_image: &Image, changes: &[Change]) -> Result<Case, String> {
    let mut image = strikemap_store::image::image_of(case, Some(store_image));
    for change in changes {
        strikemap_store::image::apply(&mut image, change);
    }
    strikemap_store::image::case_of("the store case", &image)
        .map(|loaded| loaded.case)
        .map_err(|error| error.to_string())
}

/// A value from the store in words, for the clash dialog and the history.
pub fn value_in_words(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(empty)".to_owned(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
