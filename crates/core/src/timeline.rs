//! The timeline's second track: dated statements and diplomatic steps that have no place on the
//! map but belong in the story (bundled: `assets/timeline.json`).

use crate::error::LoadError;
use crate::model::{Date, Source};
use serde::Deserialize;
use std::collections::HashSet;

pub const BUNDLED_TIMELINE_JSON: &str = include_str!("../../../assets/timeline.json");
pub const BUNDLED_TIMELINE_NAME: &str = "assets/timeline.json";

/// A dated statement or diplomatic step.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub id: String,
    pub date: Date,
    pub time_as_reported: Option<String>,
    /// Who made it.
    pub by: String,
    pub title: String,
    pub detail: String,
    pub sources: Vec<Source>,
    /// Said when the statement has no source of its own.
    pub caveat: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    #[serde(default)]
    #[allow(dead_code)]
    schema: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    title: Option<String>,
    entries: Vec<RawStatement>,
    sources: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    id: String,
    date: String,
    #[serde(default)]
    time_as_reported: Option<String>,
    by: String,
    title: String,
    detail: String,
    source_keys: Vec<String>,
    #[serde(default)]
    caveat: Option<String>,
}

/// Parses a timeline file; every source key must resolve to one of its sources, and an entry
/// with no source must say why in a caveat.
pub fn parse_timeline(file: &str, text: &str) -> Result<Vec<Statement>, LoadError> {
    let raw: RawTimeline = serde_json::from_str(text).map_err(|error| LoadError::Syntax {
        file: file.to_owned(),
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })?;
    let mut ids = HashSet::new();
    let mut statements = Vec::with_capacity(raw.entries.len());
    for (index, entry) in raw.entries.into_iter().enumerate() {
        let invalid = |field: &str, message: String| LoadError::Invalid {
            file: file.to_owned(),
            feature_index: index,
            feature_id: Some(entry.id.clone()),
            field: format!("entries[{index}].{field}"),
            message,
        };
        if !ids.insert(entry.id.clone()) {
            return Err(invalid("id", "is used twice".into()));
        }
        let date = Date::parse_iso(&entry.date).map_err(|message| invalid("date", message))?;
        let mut sources = Vec::new();
        for key in &entry.source_keys {
            let source = raw
                .sources
                .iter()
                .find(|source| &source.key == key)
                .ok_or_else(|| {
                    invalid(
                        "source_keys",
                        format!("cites {key:?}, which is not in sources"),
                    )
                })?;
            sources.push(source.clone());
        }
        if sources.is_empty() && entry.caveat.is_none() {
            return Err(invalid(
                "source_keys",
                "is empty and there is no caveat saying why".into(),
            ));
        }
        statements.push(Statement {
            id: entry.id,
            date,
            time_as_reported: entry.time_as_reported,
            by: entry.by,
            title: entry.title,
            detail: entry.detail,
            sources,
            caveat: entry.caveat,
        });
    }
    statements.sort_by_key(|statement| statement.date);
    Ok(statements)
}

pub fn bundled_timeline() -> Result<Vec<Statement>, LoadError> {
    parse_timeline(BUNDLED_TIMELINE_NAME, BUNDLED_TIMELINE_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_timeline_covers_16_to_22_january() {
        let statements = bundled_timeline().unwrap();
        assert_eq!(statements.len(), 7);
        assert_eq!(statements[0].date.to_string(), "16 Jan 2024");
        assert_eq!(statements[6].date.to_string(), "22 Jan 2024");
        for statement in &statements {
            assert!(
                !statement.sources.is_empty() || statement.caveat.is_some(),
                "{}",
                statement.id
            );
        }
    }

    #[test]
    fn unknown_source_keys_are_errors() {
        let text = BUNDLED_TIMELINE_JSON.replacen("\"F2\"]", "\"F9\"]", 1);
        let error = parse_timeline("t.json", &text).unwrap_err().to_string();
        assert!(error.contains("entries[1].source_keys"), "{error}");
        assert!(error.contains("F9"), "{error}");
    }
}
