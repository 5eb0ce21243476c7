//! Sending an edit to the store and taking in others' edits.
//!
//! An edit is the changes between the case this client last knew ([`Session::image`]) and the
//! case after the edit. It is written in one transaction: each changed field's version is locked
//! and compared with the version this client knew. If another analyst changed that field since,
//! nothing of the edit is written and the clash is returned with both values, who and when:
//! never a silent overwrite. Fields nobody else touched (another field of the same strike,
//! another strike) go through.

use crate::cases::{
    Session, TIME_SQL, history_row, insert_statement, insert_strike, json_or_null,
    object_from_value, object_value, position_of, text_of,
};
use crate::image::{Change, ORDER_FIELD, ObjectKey, apply, diff, image_of};
use crate::{Store, StoreError, sql_error};
use postgres::Transaction;
use serde_json::Value;
use strikemap_core::case::Case;

/// Another analyst's change that an edit ran into.
#[derive(Clone, Debug, PartialEq)]
pub struct Clash {
    pub object: ObjectKey,
    pub field: String,
    /// The value this client wrote (`null`: it emptied or removed it).
    pub yours: Value,
    /// The value in the store now (`null`: emptied, or the object was removed).
    pub theirs: Value,
    pub their_author: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub their_time: String,
    /// The version of the field in the store now.
    pub their_version: i64,
}

/// What became of an edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Written: the history rows it made (none when nothing changed).
    Saved(Vec<i64>),
    /// Not written: these fields were changed by someone else since this client read them.
    Clashed(Vec<Clash>),
}

/// How the analyst settles a clash.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// Keep the other analyst's value.
    Theirs,
    /// Write this value over theirs (the analyst's own, or a third one), knowingly.
    Value(Value),
}

/// A field as the store holds it now.
struct CurrentField {
    value: Value,
    /// `(field, version)` of the field and of `*` (the object as a whole).
    versions: Vec<(String, i64)>,
}

enum Check {
    Clear,
    /// The store already holds this change (another analyst made the same correction, or this
    /// edit's own earlier try committed before the connection dropped): nothing to write, and
    /// the field's version is this.
    AlreadyThere(i64),
    Clash(Clash),
}

impl Store {
    /// Sends the edit that turned the session's case into `after`. On [`Outcome::Saved`] the
    /// session holds `after`; on a clash it is unchanged.
    pub fn commit(&mut self, session: &mut Session, after: &Case) -> Result<Outcome, StoreError> {
        let after = image_of(after, Some(&session.image));
        let mut changes = diff(&session.image, &after);
        if changes.is_empty() {
            return Ok(Outcome::Saved(Vec::new()));
        }
        // One lock order for every client, so two edits never wait on each other in a circle.
        changes.sort_by(|a, b| (a.object(), a.field()).cmp(&(b.object(), b.field())));
        let outcome = self.write_changes(session, &changes)?;
        if let Outcome::Saved(ids) = &outcome {
            session.take_saved(&changes, ids, false);
            session.image = after;
        }
        Ok(outcome)
    }

    /// Settles a clash: the store's value is taken in as known, then `Theirs` leaves it and
    /// `Value` writes the chosen value over it (one more edit, in the history like any other).
    pub fn resolve(
        &mut self,
        session: &mut Session,
        clash: &Clash,
        resolution: Resolution,
    ) -> Result<Outcome, StoreError> {
        // What the store holds now (others may have changed the field again since the clash
        // was found): taken in as known, with its versions.
        let current = self.current_state(session.case_id, &clash.object, &clash.field)?;
        let known = Change::Set {
            object: clash.object.clone(),
            field: clash.field.clone(),
            old: Value::Null,
            new: current.value.clone(),
        };
        apply(&mut session.image, &known);
        for (field, version) in current.versions {
            session
                .versions
                .insert((clash.object.to_text(), field), version);
        }
        let Resolution::Value(value) = resolution else {
            return Ok(Outcome::Saved(Vec::new()));
        };
        let change = Change::Set {
            object: clash.object.clone(),
            field: clash.field.clone(),
            old: current.value,
            new: value,
        };
        let outcome = self.write_changes(session, std::slice::from_ref(&change))?;
        if let Outcome::Saved(ids) = &outcome {
            session.take_saved(std::slice::from_ref(&change), ids, true);
        }
        Ok(outcome)
    }

    /// A field's value in the store now, and the versions of it and of its object as a whole.
    fn current_state(
        &mut self,
        case_id: i64,
        object: &ObjectKey,
        field: &str,
    ) -> Result<CurrentField, StoreError> {
        let context = format!("reading {} as the store holds it", object.in_words());
        let name = self.name().to_owned();
        let client = self.client();
        let image = crate::cases::read_image(client, case_id)
            .map_err(|error| sql_error(&name, &context, &error))?;
        let value = image.map_or(Value::Null, |image| {
            crate::image::value_of(&image, object, field)
        });
        let rows = client
            .query(
                "SELECT field, version FROM strikemap.field_versions
                  WHERE case_id = $1 AND object = $2 AND field IN ($3, '*')",
                &[&case_id, &object.to_text(), &field],
            )
            .map_err(|error| sql_error(&name, &context, &error))?;
        let versions = rows.iter().map(|row| (row.get(0), row.get(1))).collect();
        Ok(CurrentField { value, versions })
    }

    /// Takes in the edits others made since this client last looked, in the order they were
    /// made; returns them (the caller redraws from [`Session::case`]).
    pub fn pull(&mut self, session: &mut Session) -> Result<Vec<Change>, StoreError> {
        let rows = self
            .client()
            .query(
                "SELECT id, object, field, old_value, new_value FROM strikemap.history
                  WHERE case_id = $1 AND id > $2 ORDER BY id",
                &[&session.case_id, &session.seen],
            )
            .map_err(|error| self.sql_error("reading others' edits", &error))?;
        let mut changes = Vec::new();
        for row in rows {
            let id: i64 = row.get(0);
            session.seen = session.seen.max(id);
            if session.own.remove(&id) {
                continue;
            }
            let object: String = row.get(1);
            let field: String = row.get(2);
            let Some(key) = ObjectKey::parse(&object) else {
                continue;
            };
            let old = row.get::<_, Option<Value>>(3).unwrap_or(Value::Null);
            let new = row.get::<_, Option<Value>>(4).unwrap_or(Value::Null);
            let change = change_of(key, &field, old, new);
            apply(&mut session.image, &change);
            session.versions.insert((object, field), id);
            changes.push(change);
        }
        Ok(changes)
    }

    pub(crate) fn write_changes(
        &mut self,
        session: &Session,
        changes: &[Change],
    ) -> Result<Outcome, StoreError> {
        let context = format!("saving an edit of case {}", session.case_id);
        let name = self.name().to_owned();
        // A deadlock or serialisation failure is retried: the edit is then checked again.
        for attempt in 0..5 {
            let mut transaction = self
                .client()
                .transaction()
                .map_err(|error| sql_error(&name, &context, &error))?;
            match write_in(&mut transaction, session, changes) {
                Ok(Outcome::Saved(ids)) => match transaction.commit() {
                    Ok(()) => return Ok(Outcome::Saved(ids)),
                    Err(error) if retryable(&error) && attempt < 4 => continue,
                    Err(error) => return Err(sql_error(&name, &context, &error)),
                },
                Ok(clashed) => {
                    drop(transaction);
                    return Ok(clashed);
                }
                Err(error) if retryable(&error) && attempt < 4 => continue,
                Err(error) => return Err(sql_error(&name, &context, &error)),
            }
        }
        Err(StoreError::Case {
            store: self.name().to_owned(),
            id: session.case_id,
            message: "the edit kept meeting others' at the same moment: try again".to_owned(),
        })
    }
}

fn retryable(error: &postgres::Error) -> bool {
    matches!(
        error.code().map(postgres::error::SqlState::code),
        Some("40001" | "40P01")
    )
}

/// A history row as a change.
pub(crate) fn change_of(object: ObjectKey, field: &str, old: Value, new: Value) -> Change {
    let id = match &object {
        ObjectKey::Case => String::new(),
        ObjectKey::Strike(id) | ObjectKey::Statement(id) => id.clone(),
    };
    match (field, old.is_null(), new.is_null()) {
        ("*", true, false) if object != ObjectKey::Case => Change::Add {
            value: object_from_value(&id, &new),
            object,
        },
        ("*", false, true) => Change::Delete {
            old: object_from_value(&id, &old),
            object,
        },
        _ => Change::Set {
            object,
            field: field.to_owned(),
            old,
            new,
        },
    }
}

fn write_in(
    transaction: &mut Transaction<'_>,
    session: &Session,
    changes: &[Change],
) -> Result<Outcome, postgres::Error> {
    let case_id = session.case_id;
    let mut clashes = Vec::new();
    let mut already = vec![None; changes.len()];
    for (index, change) in changes.iter().enumerate() {
        match check(transaction, session, change)? {
            Check::Clear => {}
            Check::AlreadyThere(version) => already[index] = Some(version),
            Check::Clash(clash) => clashes.push(clash),
        }
    }
    if !clashes.is_empty() {
        return Ok(Outcome::Clashed(clashes));
    }
    let mut ids = Vec::with_capacity(changes.len());
    for (change, already) in changes.iter().zip(already) {
        if let Some(version) = already {
            ids.push(version);
            continue;
        }
        let object = change.object();
        let (old, new) = match change {
            Change::Set { old, new, .. } => (old.clone(), new.clone()),
            Change::Add { value, .. } => (Value::Null, object_value(value)),
            Change::Delete { old, .. } => (object_value(old), Value::Null),
        };
        let written = write_change(transaction, case_id, change)?;
        if written == 0 {
            // Gone between the check and the write: cannot happen under the locks; say so
            // rather than write a history row for nothing.
            return Ok(Outcome::Clashed(vec![gone(change)]));
        }
        let id = history_row(
            transaction,
            case_id,
            object,
            change.field(),
            Some(&old),
            Some(&new),
        )?;
        transaction.execute(
            "INSERT INTO strikemap.field_versions (case_id, object, field, version)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id, object, field) DO UPDATE SET version = EXCLUDED.version",
            &[&case_id, &object.to_text(), &change.field(), &id],
        )?;
        ids.push(id);
    }
    Ok(Outcome::Saved(ids))
}

fn gone(change: &Change) -> Clash {
    Clash {
        object: change.object().clone(),
        field: change.field().to_owned(),
        yours: Value::Null,
        theirs: Value::Null,
        their_author: String::new(),
        their_time: String::new(),
        their_version: 0,
    }
}

/// Locks the change's field versions and compares them with what this client knew.
fn check(
    transaction: &mut Transaction<'_>,
    session: &Session,
    change: &Change,
) -> Result<Check, postgres::Error> {
    let case_id = session.case_id;
    let object = change.object();
    let object_text = object.to_text();
    // The versions of the object's fields, locked until the transaction ends. For a set, the
    // field itself and the object as a whole (a removal or re-addition); for an add or a
    // removal, every field of it.
    transaction.execute(
        "INSERT INTO strikemap.field_versions (case_id, object, field, version)
         VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING",
        &[&case_id, &object_text, &change.field()],
    )?;
    let rows = match change {
        Change::Set { field, .. } => transaction.query(
            "SELECT field, version FROM strikemap.field_versions
              WHERE case_id = $1 AND object = $2 AND field IN ($3, '*') FOR UPDATE",
            &[&case_id, &object_text, field],
        )?,
        Change::Add { .. } | Change::Delete { .. } => transaction.query(
            "SELECT field, version FROM strikemap.field_versions
              WHERE case_id = $1 AND object = $2 FOR UPDATE",
            &[&case_id, &object_text],
        )?,
    };
    let newer = rows.iter().find(|row| {
        let field: String = row.get(0);
        let version: i64 = row.get(1);
        version > session.version_of(object, &field)
    });
    let Some(newer) = newer else {
        return Ok(Check::Clear);
    };
    let version: i64 = newer.get(1);
    let sql =
        format!("SELECT field, new_value, author, {TIME_SQL} FROM strikemap.history WHERE id = $1");
    let their = transaction.query_opt(&sql, &[&version])?;
    let (their_field, theirs, author, time) = match their {
        Some(row) => (
            row.get::<_, String>(0),
            row.get::<_, Option<Value>>(1).unwrap_or(Value::Null),
            row.get(2),
            row.get(3),
        ),
        None => ("*".to_owned(), Value::Null, String::new(), String::new()),
    };
    let yours = match change {
        Change::Set { new, .. } => new.clone(),
        Change::Add { value, .. } => object_value(value),
        Change::Delete { .. } => Value::Null,
    };
    if their_field == change.field() && theirs == yours {
        return Ok(Check::AlreadyThere(version));
    }
    // A removal of the whole object clashes with an edit of one of its fields: report the
    // object as removed.
    let theirs = if their_field == "*" || their_field == change.field() {
        theirs
    } else {
        current_field(transaction, case_id, object, change.field())?
    };
    Ok(Check::Clash(Clash {
        object: object.clone(),
        field: change.field().to_owned(),
        yours,
        theirs,
        their_author: author,
        their_time: time,
        their_version: version,
    }))
}

/// A field's value in the store now (`null` when empty or the object is gone).
fn current_field(
    transaction: &mut Transaction<'_>,
    case_id: i64,
    object: &ObjectKey,
    field: &str,
) -> Result<Value, postgres::Error> {
    let image = crate::cases::read_image(transaction, case_id)?;
    Ok(image.map_or(Value::Null, |image| {
        crate::image::value_of(&image, object, field)
    }))
}

/// Writes one change to the data tables; returns the rows it touched.
fn write_change(
    transaction: &mut Transaction<'_>,
    case_id: i64,
    change: &Change,
) -> Result<u64, postgres::Error> {
    match change {
        Change::Set {
            object: ObjectKey::Case,
            field,
            new,
            ..
        } => write_case_field(transaction, case_id, field, new),
        Change::Set {
            object: ObjectKey::Strike(id),
            field,
            new,
            ..
        } => match field.as_str() {
            "geometry" => {
                let mut fields = crate::image::Fields::new();
                fields.insert("geometry".into(), new.clone());
                let (lon, lat) = position_of(&fields);
                transaction.execute(
                    "UPDATE strikemap.strikes SET geom =
                        CASE WHEN $3::float8 IS NULL OR $4::float8 IS NULL THEN NULL
                             ELSE ST_SetSRID(ST_MakePoint($3::float8, $4::float8), 4326) END
                      WHERE case_id = $1 AND strike_id = $2",
                    &[&case_id, id, &lon, &lat],
                )
            }
            _ => set_stored_field(transaction, &STRIKES, case_id, id, field, new),
        },
        Change::Set {
            object: ObjectKey::Statement(id),
            field,
            new,
            ..
        } => set_stored_field(transaction, &STATEMENTS, case_id, id, field, new),
        Change::Add {
            object: ObjectKey::Strike(_),
            value,
        } => insert_strike(transaction, case_id, value),
        Change::Add {
            object: ObjectKey::Statement(_),
            value,
        } => insert_statement(transaction, case_id, value),
        Change::Delete {
            object: ObjectKey::Strike(id),
            ..
        } => delete_stored(transaction, &STRIKES, case_id, id),
        Change::Delete {
            object: ObjectKey::Statement(id),
            ..
        } => delete_stored(transaction, &STATEMENTS, case_id, id),
        Change::Add {
            object: ObjectKey::Case,
            ..
        }
        | Change::Delete {
            object: ObjectKey::Case,
            ..
        } => Ok(0),
    }
}

/// Where a strike's or a statement's fields are stored. The names come from these two values
/// only, never from a change's text.
struct Stored {
    table: &'static str,
    id_column: &'static str,
    fields_column: &'static str,
}

const STRIKES: Stored = Stored {
    table: "strikemap.strikes",
    id_column: "strike_id",
    fields_column: "properties",
};

const STATEMENTS: Stored = Stored {
    table: "strikemap.statements",
    id_column: "statement_id",
    fields_column: "fields",
};

/// Sets one field (or the order) of a stored strike or statement; `null` empties it.
fn set_stored_field(
    transaction: &mut Transaction<'_>,
    stored: &Stored,
    case_id: i64,
    id: &str,
    field: &str,
    new: &Value,
) -> Result<u64, postgres::Error> {
    let Stored {
        table,
        id_column,
        fields_column: column,
    } = stored;
    if field == ORDER_FIELD {
        let sql =
            format!("UPDATE {table} SET sort_order = $3 WHERE case_id = $1 AND {id_column} = $2");
        return transaction.execute(&sql, &[&case_id, &id, &new.as_f64().unwrap_or_default()]);
    }
    let sql = format!(
        "UPDATE {table} SET {column} = CASE WHEN $4::jsonb IS NULL THEN {column} - $3::text
                ELSE jsonb_set({column}, ARRAY[$3::text], $4::jsonb) END
          WHERE case_id = $1 AND {id_column} = $2"
    );
    transaction.execute(&sql, &[&case_id, &id, &field, &json_or_null(new.clone())])
}

fn delete_stored(
    transaction: &mut Transaction<'_>,
    stored: &Stored,
    case_id: i64,
    id: &str,
) -> Result<u64, postgres::Error> {
    let sql = format!(
        "DELETE FROM {} WHERE case_id = $1 AND {} = $2",
        stored.table, stored.id_column
    );
    transaction.execute(&sql, &[&case_id, &id])
}

fn write_case_field(
    transaction: &mut Transaction<'_>,
    case_id: i64,
    field: &str,
    new: &Value,
) -> Result<u64, postgres::Error> {
    // The column comes from this list, never from the change's text.
    let (sql, json) = match field {
        "title" => (
            "UPDATE strikemap.cases SET title = COALESCE($2, '') WHERE id = $1",
            false,
        ),
        "as_of" => ("UPDATE strikemap.cases SET as_of = $2 WHERE id = $1", false),
        "caveat" => (
            "UPDATE strikemap.cases SET caveat = COALESCE($2, '') WHERE id = $1",
            false,
        ),
        "view" => ("UPDATE strikemap.cases SET view = $2 WHERE id = $1", true),
        "layers" => (
            "UPDATE strikemap.cases SET layers = COALESCE($2, '[]'::jsonb) WHERE id = $1",
            true,
        ),
        "statement_sources" => (
            "UPDATE strikemap.cases SET statement_sources = COALESCE($2, '[]'::jsonb) WHERE id = $1",
            true,
        ),
        _ => return Ok(0),
    };
    if json {
        transaction.execute(sql, &[&case_id, &json_or_null(new.clone())])
    } else {
        transaction.execute(sql, &[&case_id, &text_of(new)])
    }
}

impl Store {
    /// Asks the server to tell this connection of every change to the case (each history row
    /// sends `NOTIFY strikemap_case_<id>`).
    pub fn listen(&mut self, case_id: i64) -> Result<(), StoreError> {
        // LISTEN takes no parameters; the channel is built from a number.
        self.client()
            .batch_execute(&format!("LISTEN strikemap_case_{case_id}"))
            .map_err(|error| self.sql_error("listening for changes", &error))
    }

    /// Waits up to `timeout` for a change to a case this connection listens to; true when one
    /// came (then [`Store::pull`] takes it in). Every notice already waiting is taken.
    pub fn wait_for_change(&mut self, timeout: std::time::Duration) -> Result<bool, StoreError> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let name = self.name().to_owned();
        let mut notifications = self.client().notifications();
        let first = notifications.timeout_iter(timeout).next();
        let came = first
            .map_err(|error| crate::sql_error(&name, "waiting for changes", &error))?
            .is_some();
        // Take the rest already waiting, without waiting.
        while let Ok(Some(_)) = notifications.iter().next() {}
        Ok(came)
    }
}
