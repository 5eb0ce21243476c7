//! A case: one briefing in one human-readable, diffable file (`docs/data-format.md`, "Case
//! files"): title, as-of date, caveat line, the strike events in the event schema, the
//! timeline's dated statements with their sources, the saved view and the extra layers.
//!
//! - [`read`]: reading a case file, and today's events files as version-1 cases (migration);
//! - [`write`]: the one canonical layout (saving twice gives the same bytes);
//! - [`problems`]: what is wrong, each problem with the place the editor shows it beside;
//! - [`store`]: atomic saves refused while problems remain, and noticing a file changed on disk;
//! - [`autosave`]: copies of unsaved work, offered back after a crash;
//! - [`edit`]: every edit as a command with its exact inverse (undo and redo);
//! - [`dataset`]: an ACLED or UCDP event added to the case as a strike;
//! - [`bundle`]: a case with its layers' and evidence files and their hashes in one zip;
//! - [`evidence`]: files attached to sources, their SHA-256 and the check that they are unchanged;
//! - [`migrate`]: the steps that bring an older case file up to [`CASE_VERSION`].

pub mod annotation;
pub mod annotation_kml;
pub mod autosave;
pub mod bundle;
pub mod dataset;
pub mod edit;
pub mod evidence;
pub mod migrate;
pub mod problems;
pub mod read;
pub mod store;
pub mod trust;
pub mod write;

pub use annotation::Annotation;
pub use dataset::strike_from_dataset_event;
pub use problems::{Problem, ProblemPlace, parse_date, parse_source_date, problems};
pub use read::{LoadedCase, parse_case, parse_case_checked, parse_case_of_known_version};
pub use store::{FileStamp, SaveError, load_case_file, save, save_checked};
pub use write::write_case;

use crate::model::{Date, EvidenceFile, LonLat, Source, StrikeEvent};
use crate::timeline::Statement;

/// The case file version this code writes and reads (older versions are migrated on reading:
/// `migrate`, then `read::migrate` for what a step must check).
pub const CASE_VERSION: u32 = 2;
/// The foreign member of the FeatureCollection that holds what is not an event.
pub const CASE_MEMBER: &str = "strikemap_case";
pub use crate::formats::bundled::{BUNDLED_CASE_GEOJSON, BUNDLED_CASE_NAME};

/// The bundled case, read strictly: an error is a bug in the shipped file.
pub fn bundled_case() -> Result<Case, crate::error::LoadError> {
    parse_case_checked(BUNDLED_CASE_NAME, BUNDLED_CASE_GEOJSON)
}

/// A whole briefing.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub meta: CaseMeta,
    /// The strikes, in the order the case lists them.
    pub events: Vec<StrikeEvent>,
    /// Dated statements and diplomatic steps (the timeline's second track).
    pub statements: Vec<CaseStatement>,
    /// The sources the statements cite by key.
    pub statement_sources: Vec<Source>,
    /// Where the map was left; `None`: fit the events.
    pub view: Option<View>,
    /// Extra layers drawn over the map, bottom first.
    pub layers: Vec<Layer>,
    /// What the analyst drew on the map (arrows, callouts, range rings, areas, lines), bottom
    /// first.
    pub annotations: Vec<Annotation>,
}

/// The case's own fields.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseMeta {
    /// The file's version, [`CASE_VERSION`] once read (older versions are migrated).
    pub version: u32,
    pub title: String,
    /// The date up to which information was collected. `None` only in a case migrated from an
    /// events file without one, until it is set (a [`problems`] entry until then).
    pub as_of: Option<Date>,
    /// One line shown with the briefing ("figures are the parties' claims…"); may be empty.
    pub caveat: String,
}

/// A dated statement, citing sources of [`Case::statement_sources`] by key.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStatement {
    pub id: String,
    #[serde(
        deserialize_with = "read::iso_date",
        serialize_with = "read::write_iso_date"
    )]
    pub date: Date,
    #[serde(default)]
    pub time_as_reported: Option<String>,
    /// Who made it.
    pub by: String,
    pub title: String,
    pub detail: String,
    pub source_keys: Vec<String>,
    /// Said when the statement has no source of its own.
    #[serde(default)]
    pub caveat: Option<String>,
}

/// The saved view of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub center: LonLat,
    /// Web map zoom level, 0 (the world) to 22.
    pub zoom: f64,
}

/// The layer path that names the provinces shipped with the app (`assets/provinces.geojson`):
/// the bundled case's area layers, drawn and labelled as they always were. A case without it
/// starts on the plain world map.
pub const BUNDLED_PROVINCES_LAYER: &str = "bundled:provinces";

/// Whether a layer path names something shipped with the app (`bundled:…`), not a file.
pub fn is_bundled_layer_path(path: &str) -> bool {
    path.starts_with("bundled:")
}

/// An extra layer (an overlay file) and how it looks.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// The file, as the user chose it (absolute, or relative to the case file's folder), or
    /// [`BUNDLED_PROVINCES_LAYER`].
    pub path: String,
    /// The name shown in the layer list.
    pub name: String,
    pub visible: bool,
    /// `#rrggbb`.
    pub colour: String,
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f64,
}

impl Default for Case {
    fn default() -> Self {
        Self {
            meta: CaseMeta {
                version: CASE_VERSION,
                title: String::new(),
                as_of: None,
                caveat: String::new(),
            },
            events: Vec::new(),
            statements: Vec::new(),
            statement_sources: Vec::new(),
            view: None,
            layers: Vec::new(),
            annotations: Vec::new(),
        }
    }
}

impl Case {
    /// A new, empty case with its as-of date.
    pub fn new(title: &str, as_of: Date) -> Self {
        let mut case = Self::default();
        case.meta.title = title.to_owned();
        case.meta.as_of = Some(as_of);
        case
    }

    /// Every evidence file of the case's sources: the events' sources' in order, then the
    /// statements'.
    pub fn evidence_files(&self) -> impl Iterator<Item = &EvidenceFile> {
        self.events
            .iter()
            .flat_map(|event| event.properties.sources.iter())
            .chain(self.statement_sources.iter())
            .flat_map(|source| source.evidence.iter())
    }

    /// [`Self::evidence_files`], to rewrite their paths.
    pub fn evidence_files_mut(&mut self) -> impl Iterator<Item = &mut EvidenceFile> {
        self.events
            .iter_mut()
            .flat_map(|event| event.properties.sources.iter_mut())
            .chain(self.statement_sources.iter_mut())
            .flat_map(|source| source.evidence.iter_mut())
    }

    /// The index of the event with this id.
    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|event| event.id() == id)
    }

    /// A fresh event id: `E` and one more than the largest `E<number>` in use (`E1` in an
    /// empty case); never one that is taken.
    pub fn next_event_id(&self) -> String {
        fresh_id(self.events.iter().map(StrikeEvent::id), 'E')
    }

    /// A fresh statement id (`D` and a number, as in the timeline).
    pub fn next_statement_id(&self) -> String {
        fresh_id(
            self.statements
                .iter()
                .map(|statement| statement.id.as_str()),
            'D',
        )
    }

    /// A fresh annotation id (`A` and a number).
    pub fn next_annotation_id(&self) -> String {
        fresh_id(
            self.annotations
                .iter()
                .map(|annotation| annotation.id.as_str()),
            'A',
        )
    }

    /// The statements with their sources resolved, in date order (ties keep the case's order),
    /// as the timeline shows them. A key that resolves to nothing is left out (a problem).
    pub fn timeline_statements(&self) -> Vec<Statement> {
        let mut statements: Vec<Statement> = self
            .statements
            .iter()
            .map(|statement| Statement {
                id: statement.id.clone(),
                date: statement.date,
                time_as_reported: statement.time_as_reported.clone(),
                by: statement.by.clone(),
                title: statement.title.clone(),
                detail: statement.detail.clone(),
                sources: statement
                    .source_keys
                    .iter()
                    .filter_map(|key| {
                        self.statement_sources
                            .iter()
                            .find(|source| &source.key == key)
                            .cloned()
                    })
                    .collect(),
                caveat: statement.caveat.clone(),
            })
            .collect();
        statements.sort_by_key(|statement| statement.date);
        statements
    }
}

fn fresh_id<'a>(ids: impl Iterator<Item = &'a str> + Clone, prefix: char) -> String {
    let highest = ids
        .clone()
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut next = highest.saturating_add(1);
    loop {
        let id = format!("{prefix}{next}");
        if !ids.clone().any(|taken| taken == id) {
            return id;
        }
        next = next.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests;
