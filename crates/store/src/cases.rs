//! Publishing a case to the store, listing the store's cases and reading one back.

use crate::document::case_of;
use crate::image::{Fields, Image, Object, ObjectKey, image_of};
use crate::{Store, StoreError, sql_error};
use postgres::GenericClient;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use strikemap_core::case::{Case, LoadedCase};

/// A case in the store's list.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseSummary {
    pub id: i64,
    pub title: String,
    pub as_of: Option<String>,
    pub strikes: i64,
    /// When it last changed (UTC, `YYYY-MM-DDTHH:MM:SSZ`) and by whom.
    pub changed_at: String,
    pub changed_by: String,
}

/// A case opened from the store: what this client knows of it, and the version of each field
/// it knows (an edit is checked against them).
#[derive(Clone, Debug)]
pub struct Session {
    pub case_id: i64,
    /// The case as the store holds it, as far as this client has seen.
    pub image: Image,
    pub(crate) versions: HashMap<(String, String), i64>,
    /// The last history row taken in.
    pub(crate) seen: i64,
    /// History rows this client wrote (not taken in again).
    pub(crate) own: HashSet<i64>,
    /// Every history row this client wrote, kept after they are pulled (a window that has not
    /// yet heard of its own row is not behind).
    pub(crate) written: HashSet<i64>,
}

impl Session {
    /// The case this session holds, read as a case file is (with its problems).
    pub fn case(&self) -> Result<LoadedCase, strikemap_core::error::LoadError> {
        case_of(&format!("store case {}", self.case_id), &self.image)
    }

    /// The version this client knows of a field (0: as published).
    pub fn version_of(&self, object: &ObjectKey, field: &str) -> i64 {
        self.versions
            .get(&(object.to_text(), field.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// The last history row this client has taken in.
    pub fn seen(&self) -> i64 {
        self.seen
    }

    /// A session that knows a case's image alone, no versions (offline, it numbers the
    /// objects of a window's edit as that image does).
    pub fn from_image(case_id: i64, image: Image) -> Self {
        Self {
            case_id,
            image,
            versions: HashMap::new(),
            seen: 0,
            own: HashSet::new(),
            written: HashSet::new(),
        }
    }
}

/// Time as the store writes it in lists and the history.
pub(crate) const TIME_SQL: &str = r#"to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#;

impl Store {
    /// Publishes a case as a new store case (as a lead); returns its id. The whole team may
    /// read it, editors edit it, and the publisher leads it.
    pub fn publish(&mut self, case: &Case) -> Result<i64, StoreError> {
        self.check_schema()?;
        let image = image_of(case, None);
        let context = "publishing the case";
        let name = self.name().to_owned();
        let mut transaction = self
            .client()
            .transaction()
            .map_err(|error| sql_error(&name, context, &error))?;
        let result = (|| {
            let field = |name: &str| image.case.get(name).cloned().unwrap_or(Value::Null);
            let row = transaction.query_one(
                "INSERT INTO strikemap.cases (title, as_of, caveat, view, layers, statement_sources, annotations)
                 VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, '[]'::jsonb)) RETURNING id",
                &[
                    &text_of(&field("title")).unwrap_or_default(),
                    &text_of(&field("as_of")),
                    &text_of(&field("caveat")).unwrap_or_default(),
                    &json_or_null(field("view")),
                    &field("layers"),
                    &field("statement_sources"),
                    &json_or_null(field("annotations")),
                ],
            )?;
            let id: i64 = row.get(0);
            history_row(
                &mut transaction,
                id,
                &ObjectKey::Case,
                "*",
                None,
                Some(&Value::Object(image.case.clone())),
            )?;
            for strike in &image.strikes {
                insert_strike(&mut transaction, id, strike)?;
                history_row(
                    &mut transaction,
                    id,
                    &ObjectKey::Strike(strike.id.clone()),
                    "*",
                    None,
                    Some(&object_value(strike)),
                )?;
            }
            for statement in &image.statements {
                insert_statement(&mut transaction, id, statement)?;
                history_row(
                    &mut transaction,
                    id,
                    &ObjectKey::Statement(statement.id.clone()),
                    "*",
                    None,
                    Some(&object_value(statement)),
                )?;
            }
            transaction.execute(
                "INSERT INTO strikemap.case_members (case_id, member, level)
                 VALUES ($1, 'strikemap_viewer', 'viewer'), ($1, 'strikemap_editor', 'editor'),
                        ($1, session_user, 'lead')",
                &[&id],
            )?;
            Ok::<i64, postgres::Error>(id)
        })();
        let id = result.map_err(|error| sql_error(&name, context, &error))?;
        transaction
            .commit()
            .map_err(|error| sql_error(&name, context, &error))?;
        Ok(id)
    }

    /// The cases this role may read, newest change first.
    pub fn list(&mut self) -> Result<Vec<CaseSummary>, StoreError> {
        self.check_schema()?;
        let sql = format!(
            "SELECT c.id, c.title, c.as_of,
                    (SELECT count(*) FROM strikemap.strikes s WHERE s.case_id = c.id),
                    COALESCE(h.changed_at, ''), COALESCE(h.author, c.created_by)
               FROM strikemap.cases c
               LEFT JOIN LATERAL (
                    SELECT {TIME_SQL} AS changed_at, author FROM strikemap.history
                     WHERE case_id = c.id ORDER BY id DESC LIMIT 1) h ON true
              ORDER BY h.changed_at DESC NULLS LAST, c.id DESC"
        );
        let rows = self
            .client()
            .query(&sql, &[])
            .map_err(|error| self.sql_error("listing the store's cases", &error))?;
        Ok(rows
            .iter()
            .map(|row| CaseSummary {
                id: row.get(0),
                title: row.get(1),
                as_of: row.get(2),
                strikes: row.get(3),
                changed_at: row.get(4),
                changed_by: row.get(5),
            })
            .collect())
    }

    /// Opens a case: its image, the version of each field and the last history row, read in
    /// one snapshot.
    pub fn open(&mut self, case_id: i64) -> Result<Session, StoreError> {
        self.check_schema()?;
        let context = format!("reading case {case_id}");
        let name = self.name().to_owned();
        let mut transaction = self
            .client()
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|error| sql_error(&name, &context, &error))?;
        let read = read_image(&mut transaction, case_id)
            .and_then(|image| {
                let versions = transaction
                    .query(
                        "SELECT object, field, version FROM strikemap.field_versions WHERE case_id = $1",
                        &[&case_id],
                    )?
                    .iter()
                    .map(|row| ((row.get(0), row.get(1)), row.get(2)))
                    .collect();
                let seen: Option<i64> = transaction
                    .query_one(
                        "SELECT max(id) FROM strikemap.history WHERE case_id = $1",
                        &[&case_id],
                    )?
                    .get(0);
                Ok((image, versions, seen.unwrap_or(0)))
            });
        let (image, versions, seen) = read.map_err(|error| sql_error(&name, &context, &error))?;
        drop(transaction);
        let Some(image) = image else {
            return Err(StoreError::NoSuchCase {
                store: self.name().to_owned(),
                id: case_id,
            });
        };
        Ok(Session {
            case_id,
            image,
            versions,
            seen,
            own: HashSet::new(),
            written: HashSet::new(),
        })
    }

    /// The case as its case file (the canonical text the app saves).
    pub fn export(&mut self, case_id: i64) -> Result<String, StoreError> {
        let session = self.open(case_id)?;
        let loaded = session.case().map_err(|error| StoreError::Case {
            store: self.name().to_owned(),
            id: case_id,
            message: error.to_string(),
        })?;
        Ok(strikemap_core::case::write_case(&loaded.case))
    }
}

/// A stored strike row as an object of the image (its JSON parsed as it is taken).
fn strike_of_row(row: &postgres::Row) -> Object {
    let mut fields = fields_of(row.get(2));
    if let (Some(lon), Some(lat)) = (row.get::<_, Option<f64>>(3), row.get::<_, Option<f64>>(4)) {
        fields.insert("geometry".into(), json!([lon, lat]));
    }
    Object {
        id: row.get(0),
        order: row.get(1),
        fields,
    }
}

/// Rows taken in batches of this many, each parsed on a thread of its own while the next
/// batch arrives.
const ROWS_A_BATCH: usize = 1000;

/// The case's strikes, in order. The rows are streamed: each full batch's JSON is parsed on a
/// thread of its own while the server sends the next, so a large case's parse overlaps its
/// transfer and takes every core.
fn read_strikes(
    client: &mut impl GenericClient,
    case_id: i64,
) -> Result<Vec<Object>, postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator as _;
    let params: [&(dyn postgres::types::ToSql + Sync); 1] = [&case_id];
    let mut rows = client.query_raw(
        "SELECT strike_id, sort_order, properties, ST_X(geom), ST_Y(geom)
           FROM strikemap.strikes WHERE case_id = $1 ORDER BY sort_order, strike_id",
        params,
    )?;
    std::thread::scope(|scope| {
        let mut parsed = Vec::new();
        let mut batch = Vec::with_capacity(ROWS_A_BATCH);
        while let Some(row) = rows.next()? {
            batch.push(row);
            if batch.len() == ROWS_A_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(ROWS_A_BATCH));
                parsed.push(scope.spawn(move || full.iter().map(strike_of_row).collect()));
            }
        }
        let mut strikes: Vec<Object> = Vec::new();
        for part in parsed {
            let part: Vec<Object> = part
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            strikes.extend(part);
        }
        strikes.extend(batch.iter().map(strike_of_row));
        Ok(strikes)
    })
}

/// The image of a stored case (`None`: no such case, or not readable by this role).
pub(crate) fn read_image(
    client: &mut impl GenericClient,
    case_id: i64,
) -> Result<Option<Image>, postgres::Error> {
    let Some(row) = client.query_opt(
        "SELECT title, as_of, caveat, view, layers, statement_sources, annotations FROM strikemap.cases WHERE id = $1",
        &[&case_id],
    )?
    else {
        return Ok(None);
    };
    let mut case = Fields::new();
    case.insert("title".into(), json!(row.get::<_, String>(0)));
    case.insert(
        "as_of".into(),
        row.get::<_, Option<String>>(1)
            .map_or(Value::Null, Value::String),
    );
    case.insert("caveat".into(), json!(row.get::<_, String>(2)));
    case.insert(
        "view".into(),
        row.get::<_, Option<Value>>(3).unwrap_or(Value::Null),
    );
    case.insert("layers".into(), row.get::<_, Value>(4));
    case.insert("statement_sources".into(), row.get::<_, Value>(5));
    case.insert("annotations".into(), row.get::<_, Value>(6));
    case.retain(|_, value| !value.is_null());
    let strikes = read_strikes(client, case_id)?;
    let statements = client
        .query(
            "SELECT statement_id, sort_order, fields FROM strikemap.statements
              WHERE case_id = $1 ORDER BY sort_order, statement_id",
            &[&case_id],
        )?
        .iter()
        .map(|row| Object {
            id: row.get(0),
            order: row.get(1),
            fields: fields_of(row.get(2)),
        })
        .collect();
    Ok(Some(Image {
        case,
        strikes,
        statements,
    }))
}

pub(crate) fn text_of(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

pub(crate) fn json_or_null(value: Value) -> Option<Value> {
    (!value.is_null()).then_some(value)
}

/// An object as the history keeps a whole one: `{"order": …, "fields": {…}}`.
pub(crate) use crate::image::{fields_of, object_from_value, object_value};

/// `[lon, lat]` of a strike's fields.
pub(crate) fn position_of(fields: &Fields) -> (Option<f64>, Option<f64>) {
    let at = |index: usize| {
        fields
            .get("geometry")
            .and_then(|geometry| geometry.get(index))
            .and_then(Value::as_f64)
    };
    (at(0), at(1))
}

pub(crate) fn insert_strike(
    client: &mut impl GenericClient,
    case_id: i64,
    strike: &Object,
) -> Result<u64, postgres::Error> {
    let mut properties = strike.fields.clone();
    properties.remove("geometry");
    let (lon, lat) = position_of(&strike.fields);
    client.execute(
        "INSERT INTO strikemap.strikes (case_id, strike_id, sort_order, geom, properties)
         VALUES ($1, $2, $3,
                 CASE WHEN $4::float8 IS NULL OR $5::float8 IS NULL THEN NULL
                      ELSE ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326) END, $6)
         ON CONFLICT (case_id, strike_id) DO NOTHING",
        &[
            &case_id,
            &strike.id,
            &strike.order,
            &lon,
            &lat,
            &Value::Object(properties),
        ],
    )
}

pub(crate) fn insert_statement(
    client: &mut impl GenericClient,
    case_id: i64,
    statement: &Object,
) -> Result<u64, postgres::Error> {
    client.execute(
        "INSERT INTO strikemap.statements (case_id, statement_id, sort_order, fields)
         VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, statement_id) DO NOTHING",
        &[
            &case_id,
            &statement.id,
            &statement.order,
            &Value::Object(statement.fields.clone()),
        ],
    )
}

/// Appends a history row; returns its id.
pub(crate) fn history_row(
    client: &mut impl GenericClient,
    case_id: i64,
    object: &ObjectKey,
    field: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Result<i64, postgres::Error> {
    let old = old.filter(|value| !value.is_null());
    let new = new.filter(|value| !value.is_null());
    let row = client.query_one(
        "INSERT INTO strikemap.history (case_id, object, field, old_value, new_value)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &[&case_id, &object.to_text(), &field, &old, &new],
    )?;
    Ok(row.get(0))
}

impl Store {
    /// Deletes a case (a lead's right; the server refuses anyone else). Its history stays.
    pub fn delete_case(&mut self, case_id: i64) -> Result<(), StoreError> {
        self.check_schema()?;
        let deleted = self
            .client()
            .execute("DELETE FROM strikemap.cases WHERE id = $1", &[&case_id])
            .map_err(|error| self.sql_error(&format!("deleting case {case_id}"), &error))?;
        if deleted == 0 {
            return Err(StoreError::Denied {
                store: self.name().to_owned(),
                message: format!(
                    "case {case_id} was not deleted: there is no such case, or only its lead may delete it"
                ),
            });
        }
        Ok(())
    }

    /// Who may read (viewer), edit (editor) or lead a case: roles or group roles and their level.
    pub fn members(&mut self, case_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        self.check_schema()?;
        let rows = self
            .client()
            .query(
                "SELECT member, level FROM strikemap.case_members WHERE case_id = $1 ORDER BY member",
                &[&case_id],
            )
            .map_err(|error| self.sql_error(&format!("reading who shares case {case_id}"), &error))?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    /// Shares a case with a role at a level (`viewer`, `editor`, `lead`), or with `None` stops
    /// sharing it with that role (a lead's right).
    pub fn share(
        &mut self,
        case_id: i64,
        role: &str,
        level: Option<&str>,
    ) -> Result<(), StoreError> {
        self.check_schema()?;
        let context = format!("sharing case {case_id} with {role}");
        let changed = match level {
            Some(level) => self.client().execute(
                "INSERT INTO strikemap.case_members (case_id, member, level) VALUES ($1, $2, $3)
                 ON CONFLICT (case_id, member) DO UPDATE SET level = EXCLUDED.level",
                &[&case_id, &role, &level],
            ),
            None => self.client().execute(
                "DELETE FROM strikemap.case_members WHERE case_id = $1 AND member = $2",
                &[&case_id, &role],
            ),
        }
        .map_err(|error| self.sql_error(&context, &error))?;
        if changed == 0 && level.is_none() {
            return Err(StoreError::Denied {
                store: self.name().to_owned(),
                message: format!(
                    "{context}: {role} was not a member, or only the case's lead may change who shares it"
                ),
            });
        }
        Ok(())
    }
}
