//! Strikemap's team store: several analysts editing one case at once on PostgreSQL with PostGIS.
//!
//! - [`schema`]: the tables, as numbered migrations (`strikemap store init` applies them);
//! - [`image`]: a case as objects of fields, and the changes between two of them (pure);
//! - [`cases`]: publishing a case, listing the store's cases, reading one back;
//! - [`edit`]: sending an edit as changes checked against each field's version (a clash is
//!   returned with both values, never written over), and taking in others' edits;
//! - [`journal`]: edits kept on disk while the store cannot be reached, replayed under the
//!   same clash rule when it can;
//! - [`geopackage`]: a case as a GeoPackage for other GIS tools, and back;
//! - [`history`]: who changed what, when and from what; a case as it was at a past time.
//!
//! Every statement is parameterised; the server enforces who may read and write (roles and
//! row-level security per case, [`schema`]'s version 2).

pub mod cases;
pub mod connect;
pub mod edit;
pub mod geopackage;
pub mod history;
pub mod image;
pub mod journal;
pub mod schema;
pub mod tls;
pub mod window;

pub use cases::{CaseSummary, Session};
pub use connect::{StoreConfig, redacted};
pub use edit::{Clash, Outcome, Resolution};
pub use history::HistoryRow;
pub use journal::{Journal, Replay};

use postgres::Client;
use schema::{MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION};

/// Why a store operation failed. Each message names the store (its URL without a password).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{store}: cannot connect: {message}")]
    Connect { store: String, message: String },
    #[error("{store}: {message}")]
    Schema { store: String, message: String },
    #[error("{store}: {message}")]
    Denied { store: String, message: String },
    #[error("{store}: there is no case {id} (or you may not read it)")]
    NoSuchCase { store: String, id: i64 },
    #[error("{store}: case {id}: {message}")]
    Case {
        store: String,
        id: i64,
        message: String,
    },
    #[error("{store}: {context}: {message}")]
    Sql {
        store: String,
        context: String,
        message: String,
    },
}

/// An SQL error in words, with what was being done. A refusal by the server's grants or
/// row-level security is said as such.
pub(crate) fn sql_error(store: &str, context: &str, error: &postgres::Error) -> StoreError {
    let message = error
        .as_db_error()
        .map_or_else(|| error.to_string(), |db| db.message().to_owned());
    if error.code().map(postgres::error::SqlState::code) == Some("42501") {
        return StoreError::Denied {
            store: store.to_owned(),
            message: format!(
                "{context}: the server refused it ({message}); your role lacks the right: a viewer \
                 only reads, an editor edits, a lead publishes, deletes and shares (the store's \
                 lead gives roles with `strikemap store grant ROLE LEVEL`)"
            ),
        };
    }
    StoreError::Sql {
        store: store.to_owned(),
        context: context.to_owned(),
        message,
    }
}

/// A connection to a store.
pub struct Store {
    client: Client,
    /// The URL without its password, for messages and the title bar.
    name: String,
}

impl Store {
    /// Connects (the password from the URL, `PGPASSWORD` or `~/.pgpass`). `client` names this
    /// program in the history ("strikemap 0.1.0 (cli)").
    pub fn connect(url: &str, client: &str) -> Result<Self, StoreError> {
        let config = StoreConfig::parse(url)?;
        let name = config.display_name();
        let client = config.connect(client)?;
        Ok(Self { client, name })
    }

    /// The store's name for messages: its URL without a password.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// An SQL error in words (see [`sql_error`]).
    pub(crate) fn sql_error(&self, context: &str, error: &postgres::Error) -> StoreError {
        sql_error(&self.name, context, error)
    }

    /// Whether this connection is encrypted (TLS), as the server sees it.
    pub fn connection_is_encrypted(&mut self) -> Result<bool, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .map_err(|error| {
                self.sql_error("asking whether the connection is encrypted", &error)
            })?;
        Ok(row.is_some_and(|row| row.get::<_, bool>(0)))
    }

    /// The schema version of the store: `None` when it has none yet.
    pub fn schema_version(&mut self) -> Result<Option<i32>, StoreError> {
        let exists = self
            .client
            .query_one(
                "SELECT to_regclass('strikemap.schema_migrations') IS NOT NULL",
                &[],
            )
            .map_err(|error| self.sql_error("reading the schema version", &error))?;
        if !exists.get::<_, bool>(0) {
            return Ok(None);
        }
        let row = self
            .client
            .query_one("SELECT max(version) FROM strikemap.schema_migrations", &[])
            .map_err(|error| self.sql_error("reading the schema version", &error))?;
        Ok(row.get::<_, Option<i32>>(0))
    }

    /// Refuses a store whose schema this version does not speak: older (run `store init`) or
    /// newer (written by a newer Strikemap).
    pub fn check_schema(&mut self) -> Result<(), StoreError> {
        let version = self.schema_version()?;
        let schema = |message: String| StoreError::Schema {
            store: self.name.clone(),
            message,
        };
        match version {
            Some(SCHEMA_VERSION) => Ok(()),
            None => Err(schema(
                "this database holds no Strikemap store: create one with \
                 `strikemap store init --store URL`"
                    .to_owned(),
            )),
            Some(version) if version > SCHEMA_VERSION => Err(schema(format!(
                "the store's schema is version {version}, made by a newer Strikemap; this \
                 Strikemap works with store schema versions 1 to {SCHEMA_VERSION}: upgrade \
                 Strikemap to open it"
            ))),
            Some(version) => Err(schema(format!(
                "the store's schema is version {version}; this Strikemap needs version \
                 {SCHEMA_VERSION}: migrate it with `strikemap store init --store URL` (as the \
                 store's owner)"
            ))),
        }
    }

    /// Creates the schema, or migrates an older one, up to [`SCHEMA_VERSION`]. Returns the
    /// versions applied (empty: it was current). Each migration is one transaction.
    pub fn init(&mut self) -> Result<Vec<i32>, StoreError> {
        self.migrate_to(SCHEMA_VERSION)
    }

    /// [`Store::init`] up to `target` only (tests make an older store with it).
    pub fn migrate_to(&mut self, target: i32) -> Result<Vec<i32>, StoreError> {
        let current = self.schema_version()?.unwrap_or(0);
        if current > SCHEMA_VERSION {
            return self.check_schema().map(|()| Vec::new());
        }
        let mut applied = Vec::new();
        for version in (current + 1)..=target.min(SCHEMA_VERSION) {
            let Some(sql) = usize::try_from(version - 1)
                .ok()
                .and_then(|index| MIGRATIONS.get(index))
            else {
                break;
            };
            let context = format!("migrating the store to schema version {version}");
            let name = self.name.clone();
            let mut transaction = self
                .client
                .transaction()
                .map_err(|error| sql_error(&name, &context, &error))?;
            let result = transaction
                .batch_execute(MIGRATIONS_TABLE)
                .and_then(|()| transaction.batch_execute(sql))
                .and_then(|()| {
                    transaction
                        .execute(
                            "INSERT INTO strikemap.schema_migrations (version) VALUES ($1)",
                            &[&version],
                        )
                        .map(|_| ())
                })
                .and_then(|()| transaction.commit());
            if let Err(error) = result {
                let mut failure = sql_error(&name, &context, &error);
                if let StoreError::Sql { message, .. } = &mut failure
                    && message.contains("postgis")
                {
                    message.push_str(
                        " (PostGIS must be installed on the server: on Debian or Ubuntu, \
                         `apt-get install postgresql-postgis`)",
                    );
                }
                return Err(failure);
            }
            applied.push(version);
        }
        Ok(applied)
    }

    /// Makes `role` a member of the team's `viewer`, `editor` or `lead` group (as a lead or the
    /// store's owner). The role must exist (`CREATE ROLE alice LOGIN PASSWORD '…'`).
    pub fn grant(&mut self, role: &str, level: &str) -> Result<(), StoreError> {
        let group = match level {
            "viewer" | "editor" | "lead" => format!("strikemap_{level}"),
            other => {
                return Err(StoreError::Schema {
                    store: self.name.clone(),
                    message: format!("{other:?} is not a level: use viewer, editor or lead"),
                });
            }
        };
        // GRANT takes no parameters: the server quotes the names as identifiers (format's %I).
        let context = format!("granting {level} to {role}");
        let statement: String = self
            .client
            .query_one(
                "SELECT format('GRANT %I TO %I', $1::text, $2::text)",
                &[&group, &role],
            )
            .map_err(|error| self.sql_error(&context, &error))?
            .get(0);
        self.client
            .batch_execute(&statement)
            .map_err(|error| self.sql_error(&context, &error))
    }
}
