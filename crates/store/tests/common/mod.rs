//! A real PostgreSQL + PostGIS server for the store's tests: the one `.ci/run` started
//! (`STRIKEMAP_TEST_STORE`, an admin URL), or one these tests start themselves with
//! `scripts/test-store.sh` in a temporary folder, stopped when the test process ends.
//! Each test works in a database of its own.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use strikemap_store::Store;

/// The workspace root: this file is also included by the app crate's tests.
fn workspace() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("scripts/test-store.sh").exists())
        .map_or(manifest.clone(), PathBuf::from)
}

/// The admin URL of the test server (a superuser on its `postgres` database).
pub fn admin_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("STRIKEMAP_TEST_STORE") {
            return url;
        }
        start_own_server()
    })
}

fn start_own_server() -> String {
    let cluster = Cluster::start("shared");
    let url = cluster.url.clone();
    // Kept for the whole test process; the watchdog stops it.
    std::mem::forget(cluster);
    url
}

/// A server of the test's own (to crash and restart without disturbing the other tests),
/// stopped and removed when dropped, or by a watchdog when the test process ends.
pub struct Cluster {
    pub dir: PathBuf,
    /// The admin URL (superuser `strikemap_admin`, database `postgres`).
    pub url: String,
}

impl Cluster {
    pub fn start(name: &str) -> Self {
        Self::start_with(name, &[])
    }

    /// A server started with these environment variables set for the script
    /// (`STRIKEMAP_STORE_TLS=1`: TLS with a throwaway root certificate in `DIR/tls/root.crt`).
    pub fn start_with(name: &str, environment: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "strikemap-test-store-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free loopback port");
        let output = Command::new("bash")
            .arg(workspace().join("scripts/test-store.sh"))
            .args(["start", &dir.display().to_string(), &port.to_string()])
            .envs(environment.iter().copied())
            .output()
            .expect("bash runs scripts/test-store.sh");
        assert!(
            output.status.success(),
            "the store tests need PostgreSQL with PostGIS (apt-get install postgresql \
             postgresql-postgis), or STRIKEMAP_TEST_STORE naming a server: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Stop the server when this test process ends, however it ends.
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; bash '{script}' stop '{dir}'; rm -rf '{dir}'",
            pid = std::process::id(),
            script = workspace().join("scripts/test-store.sh").display(),
            dir = dir.display()
        );
        // Not waited for: the watchdog outlives this process on purpose.
        #[allow(clippy::zombie_processes)]
        Command::new("bash")
            .arg("-c")
            .arg(watchdog)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the watchdog starts");
        let url = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Self { dir, url }
    }

    fn script(args: &[&str]) -> std::process::Output {
        Command::new("bash")
            .arg(workspace().join("scripts/test-store.sh"))
            .args(args)
            .output()
            .expect("bash runs scripts/test-store.sh")
    }

    /// Stops the server hard, as a crash (`pg_ctl stop -m immediate`).
    pub fn crash(&self) {
        let output = Self::script(&["crash", &self.dir.display().to_string()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts it again on the same port.
    pub fn restart(&self) {
        let output = Self::script(&["restart", &self.dir.display().to_string()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Self::script(&["stop", &self.dir.display().to_string()]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `postgresql://USER@HOST:PORT/DATABASE` of the test server for another user and database.
pub fn url_for(user: &str, database: &str) -> String {
    let admin = admin_url();
    let rest = admin.split_once('@').map_or(admin, |(_, rest)| rest);
    let host = rest.rsplit_once('/').map_or(rest, |(host, _)| host);
    format!("postgresql://{user}@{host}/{database}")
}

/// A fresh database with a current store schema; returns its name. Serialised: role creation
/// and grants are cluster-wide and do not take concurrent runs.
pub fn fresh_store(name: &str) -> String {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let database = empty_database(name);
    let mut store =
        Store::connect(&url_for("strikemap_admin", &database), "strikemap tests").unwrap();
    store.init().unwrap();
    database
}

/// A database with no store yet (for migration tests).
pub fn empty_database(name: &str) -> String {
    let database = format!("t_{name}_{}", std::process::id());
    let mut admin =
        postgres::Client::connect(admin_url(), postgres::NoTls).expect("admin connects");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .unwrap();
    database
}

/// A login role that is a member of the team's `level` group (viewer, editor or lead).
pub fn analyst(database: &str, role: &str, level: &str) -> String {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut admin = postgres::Client::connect(admin_url(), postgres::NoTls).unwrap();
    let exists = admin
        .query_one("SELECT count(*) FROM pg_roles WHERE rolname = $1", &[&role])
        .unwrap()
        .get::<_, i64>(0)
        > 0;
    if !exists {
        admin
            .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
            .unwrap();
    }
    let mut store =
        Store::connect(&url_for("strikemap_admin", database), "strikemap tests").unwrap();
    store.grant(role, level).unwrap();
    url_for(role, database)
}

/// An admin connection to a test database.
pub fn admin_store(database: &str) -> Store {
    Store::connect(
        &url_for("strikemap_admin", database),
        "strikemap tests (admin)",
    )
    .unwrap()
}

/// A plain SQL connection as `role` (to try what a hand-written query can do).
pub fn sql_as(role: &str, database: &str) -> postgres::Client {
    postgres::Client::connect(&url_for(role, database), postgres::NoTls).unwrap()
}

/// The bundled case.
pub fn bundled() -> strikemap_core::case::Case {
    strikemap_core::case::bundled_case().unwrap()
}

/// libpq's `key=value` form of a test database, as GDAL's `PG:` driver takes it.
pub fn conninfo(database: &str) -> String {
    let admin = admin_url();
    let rest = admin.split_once('@').map_or(admin, |(_, rest)| rest);
    let host_port = rest.rsplit_once('/').map_or(rest, |(host, _)| host);
    let (host, port) = host_port.rsplit_once(':').unwrap_or((host_port, "5432"));
    format!("host={host} port={port} dbname={database} user=strikemap_admin")
}
