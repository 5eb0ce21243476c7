//! Reaching a store: a `postgresql://` URL or libpq's `key=value` form, the password from the
//! URL, `PGPASSWORD` or `~/.pgpass` (as psql and QGIS find it; never written anywhere), TLS by
//! libpq's `sslmode` up to `verify-full` ([`crate::tls`]), and the store's name for messages
//! with the password left out.

use crate::StoreError;
use crate::tls::{SslMode, client_config, split_tls_options};
use postgres::config::Host;
use postgres::{Client, Config, NoTls};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;

/// A parsed store address.
pub struct StoreConfig {
    config: Config,
    tls: Option<rustls::ClientConfig>,
}

impl StoreConfig {
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let refused = |message: String| StoreError::Connect {
            store: redacted(url),
            message,
        };
        let (rest, mode, root) = split_tls_options(url).map_err(refused)?;
        let mut config = Config::from_str(&rest).map_err(|error| {
            refused(format!(
                "not a PostgreSQL address ({error}); write postgresql://USER@HOST/DATABASE"
            ))
        })?;
        config.ssl_mode(match mode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        });
        let tls = client_config(mode, root.as_ref()).map_err(refused)?;
        Ok(Self { config, tls })
    }

    /// `postgresql://user@host:port/database`, never the password.
    pub fn display_name(&self) -> String {
        let user = self.config.get_user().unwrap_or("");
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) => host.clone(),
            #[cfg(unix)]
            Some(Host::Unix(path)) => path.display().to_string(),
            None => "localhost".to_owned(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let database = self.config.get_dbname().unwrap_or(user);
        let at = if user.is_empty() {
            String::new()
        } else {
            format!("{user}@")
        };
        format!("postgresql://{at}{host}:{port}/{database}")
    }

    /// Connects with the password found for it, naming `client` to the server (it goes in the
    /// history's `client` column).
    pub fn connect(mut self, client: &str) -> Result<Client, StoreError> {
        let name = self.display_name();
        if self.config.get_password().is_none()
            && let Some(password) = self.find_password()
        {
            self.config.password(password);
        }
        if self.config.get_application_name().is_none() {
            self.config.application_name(client);
        }
        if self.config.get_connect_timeout().is_none() {
            self.config.connect_timeout(Duration::from_secs(10));
        }
        let connected = match self.tls.take() {
            Some(tls) => self.config.connect(MakeRustlsConnect::new(tls)),
            None => self.config.connect(NoTls),
        };
        connected.map_err(|error| StoreError::Connect {
            store: name,
            message: connect_message(&error),
        })
    }

    /// `PGPASSWORD`, else the first matching line of `PGPASSFILE` or `~/.pgpass`.
    fn find_password(&self) -> Option<String> {
        if let Ok(password) = std::env::var("PGPASSWORD") {
            return Some(password);
        }
        let file = std::env::var_os("PGPASSFILE")
            .map(std::path::PathBuf::from)
            .or_else(|| dirs_home().map(|home| home.join(".pgpass")))?;
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) => host.clone(),
            _ => "localhost".to_owned(),
        };
        let port = self
            .config
            .get_ports()
            .first()
            .copied()
            .unwrap_or(5432)
            .to_string();
        let user = self.config.get_user().unwrap_or("").to_owned();
        let database = self.config.get_dbname().unwrap_or(&user).to_owned();
        pgpass_lookup(&file, [&host, &port, &database, &user])
    }
}

fn dirs_home() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME").map(std::path::PathBuf::from)
}

/// The password of the first `host:port:database:user:password` line that matches (`*` matches
/// anything; `\:` and `\\` are escapes), as libpq reads `.pgpass`.
pub fn pgpass_lookup(file: &Path, wanted: [&str; 4]) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            if fields.len() != 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value);
            matches.then(|| fields[4].clone())
        })
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

fn connect_message(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.message().to_owned();
    }
    let text = error.to_string();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    let mut detail = String::new();
    while let Some(inner) = source {
        detail = inner.to_string();
        source = inner.source();
    }
    if detail.is_empty() || text.contains(&detail) {
        text
    } else {
        format!("{text}: {detail}")
    }
}

/// A store address with any password replaced by `***`, for messages and logs.
pub fn redacted(url: &str) -> String {
    let mut out = url.to_owned();
    // URL form: postgresql://user:password@host
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        if let Some(at) = out[rest_start..].find('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(rest_start + colon + 1..rest_start + at, "***");
            }
        }
    }
    // key=value form, and ?password= in a URL.
    for key in ["password=", "password ="] {
        while let Some(start) = out
            .find(key)
            .filter(|&s| !out[s + key.len()..].starts_with("***"))
        {
            let value_start = start + key.len();
            let value_end = out[value_start..]
                .find([' ', '&'])
                .map_or(out.len(), |end| value_start + end);
            out.replace_range(value_start..value_end, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redacted("postgresql://alice:s3cret@db.example:5432/cases"),
            "postgresql://alice:***@db.example:5432/cases"
        );
        assert_eq!(
            redacted("host=db user=alice password=s3cret dbname=x"),
            "host=db user=alice password=*** dbname=x"
        );
        assert_eq!(
            redacted("postgresql://db/x?user=a&password=pw&sslmode=require"),
            "postgresql://db/x?user=a&password=***&sslmode=require"
        );
        let config = StoreConfig::parse("postgresql://alice:s3cret@db.example:6543/cases").unwrap();
        assert_eq!(
            config.display_name(),
            "postgresql://alice@db.example:6543/cases"
        );
    }

    #[test]
    fn pgpass_lines_match_as_libpq_reads_them() {
        let dir = std::env::temp_dir().join(format!("strikemap-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:alice:wrong\ndb:5432:cases:alice:pa\\:ss\n*:*:*:bob:b0b\n",
        )
        .unwrap();
        assert_eq!(
            pgpass_lookup(&file, ["db", "5432", "cases", "alice"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_lookup(&file, ["any", "1", "x", "bob"]).as_deref(),
            Some("b0b")
        );
        assert_eq!(pgpass_lookup(&file, ["db", "5433", "cases", "alice"]), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
