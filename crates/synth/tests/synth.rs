//! The generated files: deterministic, exact in count, and loadable by Strikemap's importers.

// Test helpers outside #[test] functions unwrap too: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;
use strikemap_core::import::{DetectedFormat, import_bytes};
use strikemap_synth::{ACLED_HEADER, Format, write_all, write_events};

fn generate(format: Format, count: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = write_events(format, count, seed, &mut out).unwrap();
    assert_eq!(bytes, out.len() as u64);
    out
}

fn text(format: Format, count: u64, seed: u64) -> String {
    String::from_utf8(generate(format, count, seed)).unwrap()
}

#[test]
fn the_same_arguments_give_the_same_bytes_and_other_seeds_differ() {
    for format in Format::ALL {
        let first = generate(format, 300, 7);
        assert_eq!(first, generate(format, 300, 7), "{format:?}");
        assert_ne!(first, generate(format, 300, 8), "{format:?}");
    }
}

#[test]
fn the_binary_writes_what_the_library_writes() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_strikemap-synth"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        output.stdout
    };
    let args = [
        "--format",
        "acled-csv",
        "--count",
        "200",
        "--seed",
        "5",
        "--out",
        "-",
    ];
    let first = run(&args);
    assert_eq!(first, run(&args));
    assert_eq!(first, generate(Format::AcledCsv, 200, 5));
    // The default seed is 42.
    assert_eq!(
        run(&["--format=points", "--count=50", "--out=-"]),
        generate(Format::Points, 50, 42)
    );
}

#[test]
fn bad_arguments_and_unwritable_files_exit_with_2_and_a_message() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_strikemap-synth"))
            .args(args)
            .output()
            .unwrap()
    };
    for args in [
        &["--format", "xml", "--count", "1", "--out", "-"][..],
        &["--format", "app", "--count", "ten", "--out", "-"],
        &["--format", "app", "--count", "10"],
        &[
            "--format",
            "app",
            "--count",
            "1",
            "--out",
            "/nonexistent-dir/x.geojson",
        ],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("strikemap-synth: error: "), "{stderr}");
    }
    let output = run(&[
        "--format",
        "app",
        "--count",
        "1",
        "--out",
        "/nonexistent-dir/x.geojson",
    ]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent-dir/x.geojson"));
}

#[test]
fn counts_are_exact_with_one_feature_or_row_per_line() {
    for count in [0, 1, 2, 37, 500] {
        for format in Format::ALL {
            let text = text(format, count, 1);
            let lines = text.lines().count() as u64;
            match format {
                Format::AcledCsv => assert_eq!(lines, count + 1, "{format:?} {count}"),
                Format::App | Format::Points => {
                    assert_eq!(lines, count + 2, "{format:?} {count}");
                    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(
                        value["features"].as_array().unwrap().len() as u64,
                        count,
                        "{format:?} {count}"
                    );
                }
            }
        }
    }
}

#[test]
fn acled_csv_imports_every_row() {
    let csv = text(Format::AcledCsv, 500, 11);
    assert_eq!(csv.lines().next(), Some(ACLED_HEADER));
    // Quoting is exercised: some notes hold commas and double quotes.
    assert!(csv.contains("\"\""), "no note with a double quote");
    let import = import_bytes("acled-500.csv", csv.as_bytes()).unwrap();
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: false });
    assert_eq!(import.skipped_total, 0, "{:?}", import.skipped);
    let events = import.events().unwrap();
    assert_eq!(events.len(), 500);
    assert!(events.iter().all(|event| event.attacker().is_none()));
    assert!(events.iter().any(|event| {
        event
            .properties
            .notes
            .as_deref()
            .unwrap_or("")
            .contains('"')
    }));
    let years: Vec<i32> = events.iter().map(|event| event.date.year).collect();
    assert!(years.contains(&2023) && years.contains(&2024));
    let mut ids: Vec<&str> = events.iter().map(|event| event.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 500);
    // Every row has the 31 columns.
    assert!(events.iter().all(|event| event.properties.raw.len() == 31));
}

#[test]
fn points_import_as_an_overlay_with_every_feature() {
    let geojson = text(Format::Points, 500, 12);
    assert!(!geojson.contains("casualty_claims"));
    let import = import_bytes("points-500.geojson", geojson.as_bytes()).unwrap();
    assert_eq!(import.format, DetectedFormat::GeoJsonOverlay);
    assert_eq!(import.skipped_total, 0, "{:?}", import.skipped);
    let overlay = import.overlay().unwrap();
    assert_eq!(overlay.features.len(), 500);
    let first = &overlay.features[0].properties;
    assert!(first["fatalities"].is_u64());
    assert!(first["event_date"].is_string());
}

#[test]
fn app_events_pass_the_strict_loader() {
    let geojson = text(Format::App, 500, 13);
    let collection =
        strikemap_core::formats::event_schema::parse_events("app-500.geojson", &geojson).unwrap();
    assert_eq!(collection.events.len(), 500);
    let with_attacker = collection
        .events
        .iter()
        .filter(|event| event.attacker().is_some())
        .count();
    assert!(with_attacker > 50 && with_attacker < 450, "{with_attacker}");
    assert!(collection.events.iter().all(|event| {
        let claims = event.properties.casualty_claims.len();
        (1..=2).contains(&claims)
            && event.properties.sources.iter().all(|source| {
                source
                    .url
                    .as_deref()
                    .is_some_and(|url| url.starts_with("https://"))
            })
    }));
    // Not sorted in file order: the loader sorts, the file does not.
    let import = import_bytes("app-500.geojson", geojson.as_bytes()).unwrap();
    assert_eq!(import.format, DetectedFormat::StrikemapEvents);
    assert_eq!(import.loaded_count(), 500);
    assert_eq!(import.skipped_total, 0);
    let first_ids: Vec<&str> = collection
        .events
        .iter()
        .take(5)
        .map(|event| event.id())
        .collect();
    assert_ne!(first_ids, ["E1", "E2", "E3", "E4", "E5"]);
}

#[test]
fn the_formats_describe_the_same_events() {
    let csv = text(Format::AcledCsv, 20, 3);
    let points = text(Format::Points, 20, 3);
    let csv_import = import_bytes("a.csv", csv.as_bytes()).unwrap();
    let points_import = import_bytes("p.geojson", points.as_bytes()).unwrap();
    let overlay = points_import.overlay().unwrap();
    let app = text(Format::App, 20, 3);
    let app_events =
        strikemap_core::formats::event_schema::parse_events("e.geojson", &app).unwrap();
    for feature in &overlay.features {
        let property = |name: &str| feature.properties[name].clone();
        let id = property("event_id_cnty");
        let row = csv_import
            .events()
            .unwrap()
            .iter()
            .find(|event| event.id() == id.as_str().unwrap())
            .unwrap();
        assert_eq!(
            row.properties.date,
            property("event_date").as_str().unwrap()
        );
        assert_eq!(
            row.properties.place_as_reported,
            property("location").as_str().unwrap()
        );
        let killed = row.headline_claim().unwrap().killed.as_ref().unwrap().count;
        assert_eq!(u64::from(killed), property("fatalities").as_u64().unwrap());
        // The app's event of the same index: same day, same place to 4 decimals.
        let event = app_events
            .events
            .iter()
            .find(|event| event.id() == format!("E{}", feature.index + 1))
            .unwrap();
        assert_eq!(event.properties.date, row.properties.date);
        assert!((event.position.lon - row.position.lon).abs() < 1e-4);
        assert!((event.position.lat - row.position.lat).abs() < 1e-4);
    }
}

#[test]
fn all_writes_the_nine_files_by_name() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("synth-all");
    let _ = std::fs::remove_dir_all(&dir);
    let mut reported = 0;
    let written = write_all(&dir, 1, &[("a", 3), ("b", 5), ("c", 8)], |_| reported += 1).unwrap();
    assert_eq!(written.len(), 9);
    assert_eq!(reported, 9);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "acled-a.csv",
            "acled-b.csv",
            "acled-c.csv",
            "app-a.geojson",
            "app-b.geojson",
            "app-c.geojson",
            "points-a.geojson",
            "points-b.geojson",
            "points-c.geojson"
        ]
    );
    for file in &written {
        let bytes = std::fs::read(&file.path).unwrap();
        assert_eq!(bytes.len() as u64, file.bytes);
        assert_eq!(bytes, generate(file.format, file.count, 1));
    }
}
