//! `strikemap store …` end to end, against a real PostgreSQL + PostGIS server (the one `.ci/run`
//! started, or one started here: see crates/store/tests/common).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../crates/store/tests/common/mod.rs"]
mod store_server;

use std::process::{Command, Output};

fn strikemap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strikemap"))
        .args(args)
        .env("RUST_LOG", "error")
        .env_remove("STRIKEMAP_STORE")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_team_scripts_the_store_from_the_command_line() {
    let database = store_server::empty_database("cli");
    let url = store_server::url_for("strikemap_admin", &database);
    let dir = std::env::temp_dir().join(format!("strikemap-store-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case_file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/cases/iran-pakistan-2024.geojson"
    );

    // Nothing there yet: every command but init says how to make the store.
    let output = strikemap(&["store", "list", "--store", &url]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("strikemap store init"));

    let init = stdout(&strikemap(&["store", "init", "--store", &url]));
    assert!(
        init.contains("schema version 3 (applied migration 1, migration 2, migration 3)"),
        "{init}"
    );
    let again = stdout(&strikemap(&["store", "init", "--store", &url]));
    assert!(again.contains("the store is current"), "{again}");

    let id = stdout(&strikemap(&[
        "store", "publish", case_file, "--store", &url,
    ]));
    let id = id.trim();
    assert!(id.parse::<i64>().is_ok(), "publish printed {id:?}");

    let list = stdout(&strikemap(&["store", "list", "--store", &url]));
    assert!(
        list.contains("Iran–Pakistan cross-border strikes, January 2024"),
        "{list}"
    );
    assert!(list.contains("2024-02-01"), "{list}");

    // The round trip gives the same bytes.
    let out = dir.join("exported.geojson");
    stdout(&strikemap(&[
        "store",
        "export",
        id,
        out.to_str().unwrap(),
        "--store",
        &url,
    ]));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(case_file).unwrap()
    );

    let history = stdout(&strikemap(&[
        "store", "history", id, "--strike", "E1", "--store", &url,
    ]));
    assert_eq!(history.lines().count(), 1, "{history}");
    assert!(
        history.contains("strikemap_admin  strike:E1  added"),
        "{history}"
    );
    assert!(history.contains("(strikemap 0.1.0 (cli) on "), "{history}");

    // As of a time before it was published: said, not a file of nothing.
    let output = strikemap(&[
        "store",
        "export",
        id,
        out.to_str().unwrap(),
        "--as-of",
        "2000-01-01",
        "--store",
        &url,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("was published after 2000-01-01"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A password never shows in a message.
    let output = strikemap(&[
        "store",
        "list",
        "--store",
        "postgresql://someone:s3cret@127.0.0.1:1/nothing",
    ]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        !message.contains("s3cret") && message.contains("cannot connect"),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_whole_store_goes_into_one_geopackage_and_back() {
    let database = store_server::fresh_store("cli_all");
    let url = store_server::url_for("strikemap_admin", &database);
    let dir = std::env::temp_dir().join(format!("strikemap-store-all-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case_file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/cases/iran-pakistan-2024.geojson"
    );
    for _ in 0..2 {
        stdout(&strikemap(&[
            "store", "publish", case_file, "--store", &url,
        ]));
    }
    let gpkg = dir.join("store.gpkg");
    let gpkg_arg = gpkg.display().to_string();
    let wrote = stdout(&strikemap(&[
        "store",
        "export-all",
        &gpkg_arg,
        "--store",
        &url,
    ]));
    assert!(wrote.contains("wrote 2 case(s)"), "{wrote}");

    // GDAL reads the strikes of both cases as one point layer, with their case ids.
    if std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok()
    {
        let output = std::process::Command::new("ogrinfo")
            .args(["-ro", "-al", "-q", &gpkg_arg, "strikes"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{text}");
        assert_eq!(text.matches("POINT (64.101 26.968)").count(), 2, "{text}");
        assert!(
            text.contains("case_id (Integer64) = 1") && text.contains("case_id (Integer64) = 2")
        );
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo (gdal-bin) is missing in CI"
        );
    }

    // Published back into another store: both cases, the same bytes as the originals.
    let other = store_server::fresh_store("cli_all_back");
    let other_url = store_server::url_for("strikemap_admin", &other);
    let ids = stdout(&strikemap(&[
        "store", "publish", &gpkg_arg, "--store", &other_url,
    ]));
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    for id in ids {
        let out = dir.join(format!("back-{id}.geojson"));
        stdout(&strikemap(&[
            "store",
            "export",
            id,
            &out.display().to_string(),
            "--store",
            &other_url,
        ]));
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            std::fs::read_to_string(case_file).unwrap()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sslrootcert_system_checks_the_server_against_the_systems_roots() {
    let cluster = store_server::Cluster::start_with("cli_tls", &[("STRIKEMAP_STORE_TLS", "1")]);
    let root = cluster.dir.join("tls/root.crt");
    let url = format!("{}?sslrootcert=system", cluster.url);
    let with_roots = |roots: &std::path::Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_strikemap"))
            .args(args)
            .env("RUST_LOG", "error")
            .env("SSL_CERT_FILE", roots)
            .env_remove("STRIKEMAP_STORE")
            .output()
            .expect("the binary runs")
    };
    // The system's roots (here the test's own root, as SSL_CERT_FILE names it) vouch for it.
    let init = stdout(&with_roots(&root, &["store", "init", "--store", &url]));
    assert!(init.contains("schema version"), "{init}");
    // Roots that did not sign the server's certificate: refused, nothing read.
    let other =
        std::env::temp_dir().join(format!("strikemap-other-roots-{}.pem", std::process::id()));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=Another root", "-keyout", "/dev/null", "-out"])
        .arg(&other)
        .output()
        .expect("openssl runs");
    assert!(made.status.success());
    let refused = with_roots(&other, &["store", "list", "--store", &url]);
    assert_eq!(refused.status.code(), Some(1));
    let _ = std::fs::remove_file(&other);
}
