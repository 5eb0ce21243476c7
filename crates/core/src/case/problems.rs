//! What is wrong in a case, each problem with the place the editor shows it beside. The checks
//! are those of the event schema's loader (`formats::event_schema`) and the timeline's, run over
//! a whole case so that all problems are listed at once, plus the case's own fields.

use super::{Case, CaseStatement, Layer, View};
use crate::formats::event_schema::{checked_lon_lat, range_problem};
use crate::model::{Date, Source, StrikeEvent};
use std::collections::HashSet;
use std::fmt;

/// One thing wrong in a case.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub place: ProblemPlace,
    pub message: String,
}

/// Where a problem is. `field` paths are relative to the thing named: an event's are those of
/// its properties (`casualty_claims[1].source`, `sources[0].url`, `location.radius_km`), plus
/// `position` for its point.
#[derive(Clone, Debug, PartialEq)]
pub enum ProblemPlace {
    /// A field of the case itself: `title`, `as_of`, `caveat`.
    Meta {
        field: String,
    },
    /// The saved view: `center`, `zoom`.
    View {
        field: String,
    },
    Layer {
        index: usize,
        field: String,
    },
    Event {
        index: usize,
        id: String,
        field: String,
    },
    Statement {
        index: usize,
        id: String,
        field: String,
    },
    /// An annotation drawn on the map, by its index and id.
    Annotation {
        index: usize,
        id: String,
        field: String,
    },
    /// A source of the statements, by its index and key.
    StatementSource {
        index: usize,
        key: String,
        field: String,
    },
}

impl ProblemPlace {
    /// The JSON path of the place in a case file.
    pub fn json_path(&self) -> String {
        let join = |prefix: String, field: &str| {
            if field.is_empty() {
                prefix
            } else {
                format!("{prefix}.{field}")
            }
        };
        match self {
            Self::Meta { field } if field == "title" || field == "as_of" => field.clone(),
            Self::Meta { field } => format!("strikemap_case.{field}"),
            Self::View { field } => join("strikemap_case.view".into(), field),
            Self::Layer { index, field } => join(format!("strikemap_case.layers[{index}]"), field),
            Self::Event { index, field, .. } if field == "position" => {
                format!("features[{index}].geometry.coordinates")
            }
            Self::Event { index, field, .. } => {
                join(format!("features[{index}].properties"), field)
            }
            Self::Statement { index, field, .. } => {
                join(format!("strikemap_case.statements[{index}]"), field)
            }
            Self::StatementSource { index, field, .. } => {
                join(format!("strikemap_case.statement_sources[{index}]"), field)
            }
            Self::Annotation { index, field, .. } => {
                join(format!("strikemap_case.annotations[{index}]"), field)
            }
        }
    }
}

impl fmt::Display for ProblemPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = |field: &str| {
            if field.is_empty() {
                String::new()
            } else {
                format!(", {field}")
            }
        };
        match self {
            Self::Meta { field } => write!(f, "case {field}"),
            Self::View { field: name } => write!(f, "view{}", field(name)),
            Self::Layer { index, field: name } => write!(f, "layer {}{}", index + 1, field(name)),
            Self::Event {
                index,
                id,
                field: name,
            } => write!(f, "event {id} (#{}){}", index + 1, field(name)),
            Self::Statement {
                index,
                id,
                field: name,
            } => write!(f, "statement {id} (#{}){}", index + 1, field(name)),
            Self::StatementSource {
                key, field: name, ..
            } => write!(f, "statement source {key}{}", field(name)),
            Self::Annotation {
                index,
                id,
                field: name,
            } => write!(f, "annotation {id} (#{}){}", index + 1, field(name)),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Reads a date typed in an edit buffer: `YYYY-MM-DD`, the day checked against its month
/// (surrounding spaces are ignored).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no date given: expected YYYY-MM-DD".into());
    }
    Date::parse_iso(text)
}

/// Checks a source's date as typed: `YYYY-MM-DD` or `YYYY-MM` (as far as it is known).
pub fn parse_source_date(text: &str) -> Result<(), String> {
    let text = text.trim();
    if text.len() == 7 {
        Date::parse_iso(&format!("{text}-01"))
            .map(|_| ())
            .map_err(|_| format!("date {text:?} is not in the form YYYY-MM-DD or YYYY-MM"))
    } else {
        Date::parse_iso(text)
            .map(|_| ())
            .map_err(|message| format!("{message} (or YYYY-MM when the day is not known)"))
    }
}

/// What is wrong with a URL, if anything: sources open only `http` and `https` addresses.
pub fn url_problem(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        None => Some(format!(
            "{url:?} is not an http or https address (it must start with https:// or http://)"
        )),
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            Some(format!("{url:?} names no host"))
        }
        Some(_) if url.chars().any(char::is_whitespace) => {
            Some(format!("{url:?} contains a space"))
        }
        Some(_) => None,
    }
}

/// Everything wrong in the case, in file order: case fields, events, statements, their sources,
/// view, layers.
pub fn problems(case: &Case) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut meta = |field: &str, message: String| {
        found.push(Problem {
            place: ProblemPlace::Meta {
                field: field.into(),
            },
            message,
        })
    };
    if case.meta.title.trim().is_empty() {
        meta("title", "is empty: a case needs a title".into());
    }
    if case.meta.as_of.is_none() {
        meta(
            "as_of",
            "is not set: give the date up to which information was collected".into(),
        );
    }
    let mut ids = HashSet::new();
    for (index, event) in case.events.iter().enumerate() {
        let mut report = |field: String, message: String| {
            found.push(Problem {
                place: ProblemPlace::Event {
                    index,
                    id: event.id().to_owned(),
                    field,
                },
                message,
            })
        };
        if !event.id().trim().is_empty() && !ids.insert(event.id()) {
            report(
                "id".into(),
                format!("{:?} is the id of an earlier event", event.id()),
            );
        }
        event_problems(event, &mut report);
    }
    statement_problems(case, &mut found);
    if let Some(view) = &case.view {
        view_problems(view, &mut found);
    }
    for (index, layer) in case.layers.iter().enumerate() {
        layer_problems(index, layer, &mut found);
    }
    for problem in super::annotation::annotation_problems(case) {
        found.push(Problem {
            place: ProblemPlace::Annotation {
                index: problem.index,
                id: problem.id,
                field: problem.field,
            },
            message: problem.message,
        });
    }
    found
}

fn event_problems(event: &StrikeEvent, report: &mut impl FnMut(String, String)) {
    let p = &event.properties;
    for (field, value) in [("id", &p.id), ("title", &p.title)] {
        if value.trim().is_empty() {
            report(field.into(), "is empty".into());
        }
    }
    if let Err(message) = checked_lon_lat(event.position.lon, event.position.lat) {
        report("position".into(), message);
    }
    match Date::parse_iso(&p.date) {
        Err(message) => report("date".into(), message),
        Ok(date) if date != event.date => report(
            "date".into(),
            format!(
                "reads {} but the event is dated {}",
                p.date,
                event.date.to_iso()
            ),
        ),
        Ok(_) => {}
    }
    if let Some(date_end) = &p.date_end {
        match Date::parse_iso(date_end) {
            Err(message) => report("date_end".into(), message),
            Ok(end) if end < event.date => report(
                "date_end".into(),
                format!("{end} is before the date {}", event.date),
            ),
            Ok(_) => {}
        }
    }
    let codes = [
        ("time_precision", p.time_precision, 3, "ACLED codes 1 to 3"),
        ("date_prec", p.date_prec, 5, "UCDP GED codes 1 to 5"),
        (
            "location.where_prec",
            p.location.where_prec,
            7,
            "UCDP GED codes 1 to 7",
        ),
        (
            "location.geo_precision",
            Some(p.location.geo_precision),
            3,
            "ACLED codes 1 to 3",
        ),
    ];
    for (field, code, highest, codes) in codes {
        if let Some(code) = code
            && !(1..=highest).contains(&code)
        {
            report(
                field.into(),
                format!("is {code}, expected one of the {codes}"),
            );
        }
    }
    let radius = p.location.radius_km;
    if !(radius.is_finite() && radius > 0.0) {
        report(
            "location.radius_km".into(),
            format!("is {radius}, expected a positive number of km"),
        );
    }
    for (index, claim) in p.casualty_claims.iter().enumerate() {
        if claim.claimant.trim().is_empty() {
            report(
                format!("casualty_claims[{index}].claimant"),
                "is empty: whose claim is it?".into(),
            );
        }
        for (name, count) in [("killed", &claim.killed), ("injured", &claim.injured)] {
            let Some(count) = count else { continue };
            let parts: u32 = count.breakdown().map(|(_, value)| value).sum();
            let field = format!("casualty_claims[{index}].{name}");
            if parts > count.count {
                report(
                    field.clone(),
                    format!(
                        "children, women and men add up to {parts}, more than the count {}",
                        count.count
                    ),
                );
            }
            if let Some(message) = range_problem(count) {
                report(field, message);
            }
        }
    }
    let mut keys = HashSet::new();
    for (index, source) in p.sources.iter().enumerate() {
        if !source.key.trim().is_empty() && !keys.insert(source.key.as_str()) {
            report(
                format!("sources[{index}].key"),
                format!("key {:?} is listed twice", source.key),
            );
        }
        source_problems(source, &mut |field, message| {
            report(format!("sources[{index}].{field}"), message)
        });
    }
    for (field, key) in event.cited_source_keys() {
        if key.trim().is_empty() {
            report(
                field,
                "cites no source: give the key of one of this event's sources".into(),
            );
        } else if event.source(key).is_none() {
            report(
                field,
                format!("cites source {key:?}, which is not in this event's sources"),
            );
        }
    }
}

fn source_problems(source: &Source, report: &mut impl FnMut(&str, String)) {
    if source.key.trim().is_empty() {
        report("key", "is empty".into());
    }
    if source.outlet.trim().is_empty() {
        report("outlet", "is empty: who published it?".into());
    }
    if let Some(date) = &source.date
        && let Err(message) = parse_source_date(date)
    {
        report("date", message);
    }
    if let Some(url) = &source.url
        && let Some(message) = url_problem(url)
    {
        report("url", message);
    }
    source_evidence_problems(source, report);
}

/// What is wrong in a source's archive URL, retrieval time and evidence list as written (no
/// file is read): `report(field, message)` with fields such as `evidence[0].sha256`.
fn source_evidence_problems(source: &Source, report: &mut impl FnMut(&str, String)) {
    if let Some(url) = &source.archive_url
        && let Some(message) = url_problem(url)
    {
        report("archive_url", message);
    }
    if let Some(retrieved) = &source.retrieved
        && let Err(message) = parse_timestamp(retrieved)
    {
        report("retrieved", message);
    }
    for (index, file) in source.evidence.iter().enumerate() {
        let field = |name: &str| format!("evidence[{index}].{name}");
        if file.path.trim().is_empty() {
            report(&field("path"), "is empty: which file is it?".into());
        }
        let is_hash = file.sha256.len() == 64
            && file
                .sha256
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
        if !is_hash {
            report(
                &field("sha256"),
                format!(
                    "{:?} is not a SHA-256: expected 64 lowercase hexadecimal digits",
                    file.sha256
                ),
            );
        }
        if let Err(message) = parse_timestamp(&file.attached) {
            report(&field("attached"), message);
        }
    }
}

/// Checks a time as typed or written: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SSZ` (UTC; the
/// seconds may be left out).
pub fn parse_timestamp(text: &str) -> Result<(), String> {
    let text = text.trim();
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let expected = "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)";
    Date::parse_iso(date).map_err(|message| format!("{message} ({expected})"))?;
    if time.is_empty() && !text.contains('T') {
        return Ok(());
    }
    let parts: Option<Vec<u32>> = time
        .strip_suffix('Z')
        .map(|clock| clock.split(':').map(|part| part.parse().ok()).collect())
        .and_then(|parts: Option<Vec<u32>>| parts);
    match parts.as_deref() {
        Some([hours, minutes, rest @ ..])
            if *hours < 24 && *minutes < 60 && rest.len() <= 1 && rest.iter().all(|s| *s < 60) =>
        {
            Ok(())
        }
        _ => Err(format!("{text:?}: {expected}")),
    }
}

fn statement_problems(case: &Case, found: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for (index, statement) in case.statements.iter().enumerate() {
        let CaseStatement { id, .. } = statement;
        let mut report = |field: &str, message: String| {
            found.push(Problem {
                place: ProblemPlace::Statement {
                    index,
                    id: id.clone(),
                    field: field.into(),
                },
                message,
            })
        };
        if id.trim().is_empty() {
            report("id", "is empty".into());
        } else if !ids.insert(id.as_str()) {
            report("id", format!("{id:?} is the id of an earlier statement"));
        }
        for (field, value) in [("by", &statement.by), ("title", &statement.title)] {
            if value.trim().is_empty() {
                report(field, "is empty".into());
            }
        }
        for (key_index, key) in statement.source_keys.iter().enumerate() {
            if !case
                .statement_sources
                .iter()
                .any(|source| &source.key == key)
            {
                report(
                    &format!("source_keys[{key_index}]"),
                    format!("cites {key:?}, which is not in the statements' sources"),
                );
            }
        }
        if statement.source_keys.is_empty()
            && statement
                .caveat
                .as_deref()
                .is_none_or(|caveat| caveat.trim().is_empty())
        {
            report(
                "source_keys",
                "is empty and there is no caveat saying why".into(),
            );
        }
    }
    let mut keys = HashSet::new();
    for (index, source) in case.statement_sources.iter().enumerate() {
        let mut report = |field: &str, message: String| {
            found.push(Problem {
                place: ProblemPlace::StatementSource {
                    index,
                    key: source.key.clone(),
                    field: field.into(),
                },
                message,
            })
        };
        if !source.key.trim().is_empty() && !keys.insert(source.key.as_str()) {
            report("key", format!("key {:?} is listed twice", source.key));
        }
        source_problems(source, &mut report);
    }
}

fn view_problems(view: &View, found: &mut Vec<Problem>) {
    let mut report = |field: &str, message: String| {
        found.push(Problem {
            place: ProblemPlace::View {
                field: field.into(),
            },
            message,
        })
    };
    if let Err(message) = checked_lon_lat(view.center.lon, view.center.lat) {
        report("center", message);
    }
    if !(view.zoom.is_finite() && (0.0..=22.0).contains(&view.zoom)) {
        report("zoom", format!("is {}, expected 0 to 22", view.zoom));
    }
}

fn layer_problems(index: usize, layer: &Layer, found: &mut Vec<Problem>) {
    let mut report = |field: &str, message: String| {
        found.push(Problem {
            place: ProblemPlace::Layer {
                index,
                field: field.into(),
            },
            message,
        })
    };
    if layer.path.trim().is_empty() {
        report("path", "is empty: which file is the layer?".into());
    } else if super::is_bundled_layer_path(&layer.path)
        && layer.path != super::BUNDLED_PROVINCES_LAYER
    {
        report(
            "path",
            format!(
                "{:?} names nothing shipped with the app (the one bundled layer is {:?})",
                layer.path,
                super::BUNDLED_PROVINCES_LAYER
            ),
        );
    }
    let colour_ok = layer.colour.len() == 7
        && layer.colour.starts_with('#')
        && layer.colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !colour_ok {
        report(
            "colour",
            format!("{:?} is not a colour: expected #rrggbb", layer.colour),
        );
    }
    if !(layer.opacity.is_finite() && (0.0..=1.0).contains(&layer.opacity)) {
        report("opacity", format!("is {}, expected 0 to 1", layer.opacity));
    }
}
