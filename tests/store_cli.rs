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
