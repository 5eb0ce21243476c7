//! The one layout of a case file: members in a fixed order (type, schema, title, as_of, the case
//! member, then the features), two-space indents, and every object or array that holds only
//! plain values (a source, a count, a coordinate pair, a list of keys) on one line. The text
//! depends only on the case, so saving twice gives the same bytes and a diff shows what changed.

use super::read::{CaseMember, ViewMember};
use super::{CASE_VERSION, Case};
use crate::export::FeatureOut;
use crate::formats::event_schema::EVENT_SCHEMA;
use serde::Serialize;

#[derive(Serialize)]
struct CaseOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
    strikemap_case: CaseMember,
    features: Vec<FeatureOut<'a>>,
}

/// The case as the text of a case file (ending in a line break).
pub fn write_case(case: &Case) -> String {
    let out = CaseOut {
        kind: "FeatureCollection",
        schema: EVENT_SCHEMA,
        title: &case.meta.title,
        as_of: case.meta.as_of.map(|date| date.to_iso()),
        strikemap_case: CaseMember {
            version: CASE_VERSION,
            caveat: case.meta.caveat.clone(),
            view: case.view.map(|view| ViewMember {
                center: [view.center.lon, view.center.lat],
                zoom: view.zoom,
            }),
            layers: case.layers.clone(),
            statements: case.statements.clone(),
            statement_sources: case.statement_sources.clone(),
            annotations: case.annotations.clone(),
        },
        features: case.events.iter().map(FeatureOut::of).collect(),
    };
    // Serializing these plain structs cannot fail: every map key is a string and every number
    // is written (serde_json writes a non-finite float as null, which the reader then refuses,
    // and the problems list has already named it).
    let pretty = serde_json::to_string_pretty(&out).unwrap_or_default();
    let mut text = collapse_flat_containers(&pretty);
    text.push('\n');
    text
}

/// Puts every object or array whose members are all plain values on one line:
/// `"killed": {"count": 2, "at_least": true}`, `"coordinates": [64.101, 26.968]`.
fn collapse_flat_containers(pretty: &str) -> String {
    let lines: Vec<&str> = pretty.lines().collect();
    let mut out = String::with_capacity(pretty.len());
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if let Some(collapsed) = flat_container(&lines[index..]) {
            out.push_str(&collapsed.text);
            out.push('\n');
            index += collapsed.lines;
        } else {
            out.push_str(line);
            out.push('\n');
            index += 1;
        }
    }
    out.pop();
    out
}

struct Collapsed {
    text: String,
    lines: usize,
}

/// If `lines[0]` opens a container whose members (the following lines, up to its closing line)
/// are all plain values, the container on one line.
fn flat_container(lines: &[&str]) -> Option<Collapsed> {
    let first = lines.first()?;
    let close = match first.trim_end().chars().last()? {
        '{' => '}',
        '[' => ']',
        _ => return None,
    };
    let indent = first.len() - first.trim_start().len();
    let mut members = Vec::new();
    for (offset, line) in lines.iter().enumerate().skip(1) {
        let body = line.trim();
        let line_indent = line.len() - line.trim_start().len();
        if line_indent == indent && body.starts_with(close) {
            let (open, space) = if close == '}' { ("{", " ") } else { ("[", "") };
            let head = first.trim_end().strip_suffix(open)?;
            let text = format!("{head}{open}{space}{}{space}{}", members.join(", "), body);
            return Some(Collapsed {
                text,
                lines: offset + 1,
            });
        }
        let member = body.strip_suffix(',').unwrap_or(body);
        let value = if close == '}' {
            let key_end = string_end(member)?;
            member.get(key_end..)?.strip_prefix(": ")?
        } else {
            member
        };
        if !is_plain_value(value) {
            return None;
        }
        members.push(member);
    }
    None
}

/// A string, number, `true`, `false` or `null` and nothing after it.
fn is_plain_value(value: &str) -> bool {
    if value.starts_with('"') {
        return string_end(value) == Some(value.len());
    }
    matches!(value, "true" | "false" | "null")
        || (!value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
}

/// The byte index just past the JSON string literal at the start of `text`.
fn string_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut escaped = false;
    for (index, c) in chars {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(index + 1),
            _ => {}
        }
    }
    None
}
