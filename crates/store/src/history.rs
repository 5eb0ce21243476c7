//! The history of a case: every change with its author (the database role), client and time,
//! and the case as it stood at a past time (read-only: the figures as they were briefed).

use crate::cases::{Session, TIME_SQL};
use crate::edit::change_of;
use crate::image::{ObjectKey, apply};
use crate::{Store, StoreError};
use serde_json::Value;
use std::collections::HashSet;

/// One change in the history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub object: String,
    /// The field changed; `*` for a whole object added or removed.
    pub field: String,
    pub old: Value,
    pub new: Value,
    pub author: String,
    pub client: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
}

impl HistoryRow {
    /// One line: `2024-01-17T09:30:00Z  alice  strike:E1  title: "old" → "new"  (client)`.
    pub fn line(&self) -> String {
        let what = match (self.field.as_str(), self.old.is_null(), self.new.is_null()) {
            ("*", true, _) => "added".to_owned(),
            ("*", false, true) => "removed".to_owned(),
            (field, _, _) => format!("{field}: {} → {}", short(&self.old), short(&self.new)),
        };
        format!(
            "{}  {}  {}  {what}  ({})",
            self.at, self.author, self.object, self.client
        )
    }
}

fn short(value: &Value) -> String {
    if value.is_null() {
        return "(empty)".to_owned();
    }
    let text = value.to_string();
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(120).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

impl Store {
    /// The case's history, oldest first; with `since` (an ISO time, e.g. `2024-01-17` or
    /// `2024-01-17T09:00:00Z`), only the changes from then on. `object` narrows it to one
    /// strike or statement (`strike:E1`).
    pub fn history(
        &mut self,
        case_id: i64,
        since: Option<&str>,
        object: Option<&str>,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        self.check_schema()?;
        let sql = format!(
            "SELECT id, object, field, old_value, new_value, author, client, {TIME_SQL}
               FROM strikemap.history
              WHERE case_id = $1 AND ($2::text IS NULL OR at >= $2::text::timestamptz)
                AND ($3::text IS NULL OR object = $3::text)
              ORDER BY id"
        );
        let rows = self
            .client()
            .query(&sql, &[&case_id, &since, &object])
            .map_err(|error| {
                self.sql_error(&format!("reading the history of case {case_id}"), &error)
            })?;
        Ok(rows
            .iter()
            .map(|row| HistoryRow {
                id: row.get(0),
                object: row.get(1),
                field: row.get(2),
                old: row.get::<_, Option<Value>>(3).unwrap_or(Value::Null),
                new: row.get::<_, Option<Value>>(4).unwrap_or(Value::Null),
                author: row.get(5),
                client: row.get(6),
                at: row.get(7),
            })
            .collect())
    }

    /// The case as it stood at `time` (an ISO time): today's case with every later change
    /// undone, newest first. A session to read, not to edit.
    pub fn open_as_of(&mut self, case_id: i64, time: &str) -> Result<Session, StoreError> {
        let mut session = self.open(case_id)?;
        let context = format!("reading case {case_id} as of {time}");
        let rows = self
            .client()
            .query(
                "SELECT object, field, old_value, new_value FROM strikemap.history
                  WHERE case_id = $1 AND at > $2::text::timestamptz ORDER BY id DESC",
                &[&case_id, &time],
            )
            .map_err(|error| self.sql_error(&context, &error))?;
        let created_after = rows
            .iter()
            .any(|row| row.get::<_, String>(0) == "case" && row.get::<_, String>(1) == "*");
        if created_after {
            return Err(StoreError::Case {
                store: self.name().to_owned(),
                id: case_id,
                message: format!("the case was published after {time}"),
            });
        }
        for row in rows {
            let Some(object) = ObjectKey::parse(&row.get::<_, String>(0)) else {
                continue;
            };
            let field: String = row.get(1);
            let old = row.get::<_, Option<Value>>(2).unwrap_or(Value::Null);
            let new = row.get::<_, Option<Value>>(3).unwrap_or(Value::Null);
            // Undo: the change from new back to old.
            let undo = change_of(object, &field, old, new).inverse();
            apply(&mut session.image, &undo);
        }
        session.own = HashSet::new();
        Ok(session)
    }
}
