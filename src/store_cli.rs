//! `strikemap store …`: the team store from the command line, so a team can script it, and a
//! store case fetched for `--export-png` / `--export-deck`. No egui here.

use crate::cli::StoreAction;
use crate::team::client_name;
use std::path::{Path, PathBuf};
use strikemap_core::case::{self, write_case};
use strikemap_store::{Store, StoreError};

/// What a store command printed, and its exit status (0 done, 1 failed).
pub struct Report {
    pub lines: Vec<String>,
    pub errors: Vec<String>,
    pub exit_code: u8,
}

impl Report {
    fn failed(message: String) -> Self {
        Self {
            lines: Vec::new(),
            errors: vec![message],
            exit_code: 1,
        }
    }
}

/// Runs one `strikemap store` command against the store at `url`.
pub fn run(url: &str, action: &StoreAction) -> Report {
    match run_inner(url, action) {
        Ok(lines) => Report {
            lines,
            errors: Vec::new(),
            exit_code: 0,
        },
        Err(message) => Report::failed(message),
    }
}

fn run_inner(url: &str, action: &StoreAction) -> Result<Vec<String>, String> {
    let mut store = Store::connect(url, &client_name("cli")).map_err(|e| e.to_string())?;
    let text = |error: StoreError| error.to_string();
    match action {
        StoreAction::Init => {
            let applied = store.init().map_err(text)?;
            let version = strikemap_store::schema::SCHEMA_VERSION;
            Ok(vec![if applied.is_empty() {
                format!(
                    "{}: the store is current (schema version {version})",
                    store.name()
                )
            } else {
                format!(
                    "{}: schema version {version} (applied {})",
                    store.name(),
                    applied
                        .iter()
                        .map(|v| format!("migration {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }])
        }
        StoreAction::Publish { case: path } => {
            let loaded = if is_geopackage(path) {
                strikemap_store::geopackage::read_case(path)?
            } else {
                case::load_case_file(path)
                    .map_err(|error| error.to_string())?
                    .0
            };
            if let Some(problem) = loaded.problems.first() {
                return Err(format!(
                    "{}: {} problem(s) to mend before it can be published, the first: {}",
                    path.display(),
                    loaded.problems.len(),
                    problem
                ));
            }
            let id = store.publish(&loaded.case).map_err(text)?;
            Ok(vec![id.to_string()])
        }
        StoreAction::List => {
            let cases = store.list().map_err(text)?;
            let mut lines = vec![format!(
                "{:>6}  {:<10}  {:>7}  {:<20}  {:<16}  title",
                "id", "as of", "strikes", "last change (UTC)", "by"
            )];
            lines.extend(cases.iter().map(|case| {
                format!(
                    "{:>6}  {:<10}  {:>7}  {:<20}  {:<16}  {}",
                    case.id,
                    case.as_of.as_deref().unwrap_or("-"),
                    case.strikes,
                    case.changed_at,
                    case.changed_by,
                    case.title
                )
            }));
            Ok(lines)
        }
        StoreAction::Export { id, out, as_of } => {
            let text = export_text(&mut store, *id, as_of.as_deref())?;
            if is_geopackage(out) {
                let loaded = case::parse_case(&format!("store case {id}"), &text)
                    .map_err(|error| error.to_string())?;
                strikemap_store::geopackage::write_case_geopackage(out, &loaded.case)?;
            } else {
                write_file(out, &text)?;
            }
            Ok(vec![format!("wrote case {id} to {}", out.display())])
        }
        StoreAction::History { id, since, strike } => {
            let object = strike.as_ref().map(|id| format!("strike:{id}"));
            let rows = store
                .history(*id, since.as_deref(), object.as_deref())
                .map_err(text)?;
            Ok(rows.iter().map(strikemap_store::HistoryRow::line).collect())
        }
        StoreAction::Delete { id } => {
            store.delete_case(*id).map_err(text)?;
            Ok(vec![format!("deleted case {id} (its history stays)")])
        }
        StoreAction::Share { id, role, level } => {
            if let (Some(role), Some(level)) = (role, level) {
                let level = (level != "none").then_some(level.as_str());
                store.share(*id, role, level).map_err(text)?;
            }
            let members = store.members(*id).map_err(text)?;
            Ok(members
                .into_iter()
                .map(|(member, level)| format!("{level:<7} {member}"))
                .collect())
        }
        StoreAction::Grant { role, level } => {
            store.grant(role, level).map_err(text)?;
            let article = if level.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            Ok(vec![format!(
                "{role} is now {article} {level} of {}",
                store.name()
            )])
        }
    }
}

/// The case file text of a store case, now or as it stood at `as_of` (then stamped so in its
/// caveat, which every slide carries).
fn export_text(store: &mut Store, id: i64, as_of: Option<&str>) -> Result<String, String> {
    let Some(time) = as_of else {
        return store.export(id).map_err(|error| error.to_string());
    };
    let session = store
        .open_as_of(id, time)
        .map_err(|error| error.to_string())?;
    let mut case = session.case().map_err(|error| error.to_string())?.case;
    stamp_as_of(&mut case, time, id);
    Ok(write_case(&case))
}

/// A case read as it stood at a past time says so in its caveat, which every slide carries.
pub fn stamp_as_of(case: &mut strikemap_core::case::Case, time: &str, id: i64) {
    let stamp = format!("As of {time} (team store history, case {id}).");
    case.meta.caveat = if case.meta.caveat.is_empty() {
        stamp
    } else {
        format!("{stamp} {}", case.meta.caveat)
    };
}

/// A `.gpkg` file is written and read as a GeoPackage; any other as a case file.
fn is_geopackage(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("gpkg"))
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("{}: cannot write: {error}", path.display()))
}

/// Fetches a store case into a file of its own (for `--export-png` / `--export-deck`), and
/// returns that file's path.
pub fn fetch_case(url: &str, id: i64, as_of: Option<&str>) -> Result<PathBuf, String> {
    let mut store = Store::connect(url, &client_name("export")).map_err(|e| e.to_string())?;
    let text = export_text(&mut store, id, as_of)?;
    let folder = std::env::temp_dir().join(format!("strikemap-store-{}", std::process::id()));
    std::fs::create_dir_all(&folder)
        .map_err(|error| format!("{}: cannot make the folder: {error}", folder.display()))?;
    let path = folder.join(format!("store-case-{id}.geojson"));
    write_file(&path, &text)?;
    Ok(path)
}
