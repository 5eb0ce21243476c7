//! Bringing your own data into the running app: ACLED, UCDP and overlay GeoJSON files become
//! layers; clicking shows their details; a malformed file changes nothing that was loaded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use std::path::{Path, PathBuf};
use strikemap::StrikemapApp;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/core/tests/fixtures")
        .join(name)
}

fn harness() -> Harness<'static, StrikemapApp> {
    sized_harness(800.0)
}

fn sized_harness(height: f32) -> Harness<'static, StrikemapApp> {
    common::app_harness(1280.0, height)
}

fn open(harness: &mut Harness<'_, StrikemapApp>, path: PathBuf) {
    let before = harness.state().state.layers.len();
    let messages_before =
        harness.state().state.messages.len() + harness.state().state.notices.len();
    let ctx = harness.ctx.clone();
    harness.state_mut().open_files(vec![path], &ctx);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        harness.run_steps(1);
        let app = harness.state();
        let after = app.state.layers.len();
        let messages = app.state.messages.len() + app.state.notices.len();
        if (after > before || messages > messages_before) && !app.is_loading() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the file did not load in time"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run_steps(2);
}

#[test]
fn an_acled_export_becomes_an_event_layer_with_its_raw_rows() {
    // Tall, so the raw row is on screen without scrolling.
    let mut harness = sized_harness(2400.0);
    open(&mut harness, fixture("acled_current.csv"));
    let app = harness.state();
    assert_eq!(app.state.event_layers().count(), 2);
    let imported = app.state.event_layers().nth(1).unwrap();
    assert!(!imported.events().is_empty());
    let first = imported.events()[0].clone();
    assert_eq!(first.attacker(), None, "ACLED actors are not attackers");
    assert!(
        app.state.notices.iter().any(|n| n.contains("ACLED")),
        "{:?}",
        app.state.notices
    );

    let label = strikemap::describe::event_list_label(&first);
    harness
        .get_all_by_label(&label)
        .next()
        .expect("listed")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Raw row as imported").click();
    harness.run_steps(2);
    harness.get_by_label("event_id_cnty");
    harness.get_by_label_contains("the dataset's actors 1 and 2");
}

#[test]
fn an_overlay_feature_shows_its_properties_when_clicked() {
    let mut harness = harness();
    open(&mut harness, fixture("overlay_mixed.geojson"));
    let app = harness.state();
    assert_eq!(app.state.overlays().count(), 1);
    let (_, overlay) = app.state.overlays().next().unwrap();
    let feature = overlay
        .features
        .iter()
        .find(|f| f.label() == "Border crossing (made-up point)")
        .expect("fixture feature");
    let geo::Geometry::Point(point) = feature.geometry else {
        panic!("a point")
    };
    // Frame the overlay and click its point.
    let at = app
        .map
        .projector()
        .project(walkers::lat_lon(point.y(), point.x()))
        .to_pos2();
    assert!(app.map.last_rect.contains(at));
    common::pointer_click(&mut harness, at);
    assert!(
        harness.state().state.selected_feature().is_some(),
        "a feature is selected"
    );
    harness.get_by_label_contains("Feature 0 of");
}

#[test]
fn the_search_box_filters_the_list() {
    let mut harness = harness();
    harness.get_by_label("Search events").click();
    harness.run_steps(1);
    harness.get_by_label("Search events").type_text("Saravan");
    harness.run_steps(3);
    assert_eq!(harness.state().state.search(), "Saravan");
    let shown: Vec<String> = harness
        .state()
        .state
        .shown_events()
        .iter()
        .map(|(_, event)| event.id().to_owned())
        .collect();
    assert_eq!(shown, ["E2"]);
    harness.get_by_label("1 event");
}

#[test]
fn shown_events_export_as_geojson_that_loads_back_and_as_csv() {
    let harness = harness();
    let app = harness.state();
    let geojson = app
        .shown_events_as(strikemap::export::EventsFormat::GeoJson)
        .unwrap();
    let back = strikemap::formats::event_schema::parse_events("export.geojson", &geojson).unwrap();
    assert_eq!(back.events.len(), 2);
    assert_eq!(
        back.events[0].properties,
        app.state.find_event("E1").unwrap().1.properties
    );
    let csv = app
        .shown_events_as(strikemap::export::EventsFormat::Csv)
        .unwrap();
    let rows = csv.lines().filter(|line| !line.is_empty()).count();
    assert_eq!(rows, 3, "a header and one row per event: {csv}");
}

/// Every file of the malformed corpus gives its error or skip report and leaves the app's
/// events, overlays and selection as they were.
#[test]
fn the_malformed_corpus_never_changes_what_was_loaded() {
    let dir = fixture("malformed");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap();
    let mut state = strikemap::state::AppState::bundled();
    let e1 = state.find_event("E1").unwrap().0;
    state.apply(strikemap::state::Command::Select(e1));
    let mut checked = 0;
    for line in expected
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(name), Some(text), Some(kind)) = (fields.next(), fields.next(), fields.next())
        else {
            panic!("bad EXPECTED.tsv line {line:?}");
        };
        let path = dir.join(name);
        let layers_before = state.event_layers().count();
        let overlays_before = state.overlays().count();
        let messages_before = state.messages.len();
        let added = state.add_import(path.clone(), strikemap::import::import_file(&path));
        let new_messages = state.messages[messages_before..].join("\n");
        assert!(new_messages.contains(text), "{name}: {new_messages}");
        match kind.trim() {
            "rejected" => {
                assert!(added.is_none(), "{name} was loaded");
                assert_eq!(state.event_layers().count(), layers_before, "{name}");
                assert_eq!(state.overlays().count(), overlays_before, "{name}");
            }
            _ => {
                // Partial: the good rows load as a new layer; remove it again.
                let id = added.unwrap_or_else(|| panic!("{name}: the good rows did not load"));
                state.apply(strikemap::state::Command::RemoveLayer(id));
            }
        }
        assert_eq!(
            state.selected_id(),
            Some("E1"),
            "{name} changed the selection"
        );
        assert_eq!(state.shown_events().len(), 2, "{name} changed the events");
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} malformed files");
}

/// `strikemap validate ARGS…`: its exit status and what it printed.
fn validate(args: &[impl AsRef<std::ffi::OsStr>]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_strikemap"))
        .arg("validate")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn validate_prints_the_format_and_sets_the_exit_code() {
    let run = |files: &[PathBuf]| validate(files);
    let (code, out) = run(&[fixture("ucdp_ged.csv")]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("UCDP"), "{out}");
    let (code, out) = run(&[
        fixture("acled_current.csv"),
        fixture("malformed/acled_ambiguous_date.csv"),
    ]);
    assert_eq!(code, Some(2), "rows skipped: {out}");
    assert!(out.contains("day and month are ambiguous"), "{out}");
    let (code, out) = run(&[
        fixture("acled_current.csv"),
        fixture("malformed/acled_all_rows_bad.csv"),
    ]);
    assert_eq!(code, Some(1), "a file rejected: {out}");
}

/// The command line on hostile files: a device and a named pipe are refused at once, and a
/// case's layer outside its folder is named and skipped unless `--trust-layers` is given.
#[test]
fn validate_refuses_devices_and_pipes_and_skips_untrusted_layers() {
    let run = |args: &[&std::ffi::OsStr]| validate(args);
    let (code, out) = run(&["/dev/zero".as_ref()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("/dev/zero: cannot read the file: it is a device, not a file"),
        "{out}"
    );
    let dir = std::env::temp_dir().join(format!("strikemap-hostile-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("pipe.csv");
    let _ = std::fs::remove_file(&fifo);
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, out) = run(&[fifo.as_os_str()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("it is a named pipe (FIFO), not a file"),
        "{out}"
    );

    let mut case = strikemap::case::Case::new(
        "Received",
        strikemap::model::Date::parse_iso("2026-11-30").unwrap(),
    );
    case.layers = vec![strikemap::case::Layer {
        path: "/dev/urandom".into(),
        name: "Noise".into(),
        visible: true,
        colour: "#000000".into(),
        opacity: 1.0,
    }];
    let file = dir.join("case.geojson");
    std::fs::write(&file, strikemap::case::write_case(&case)).unwrap();
    let (code, out) = run(&[file.as_os_str()]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("/dev/urandom: outside the case's folder, so not read"),
        "{out}"
    );
    let (code, out) = run(&[file.as_os_str(), "--trust-layers".as_ref()]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("/dev/urandom: it is a device, not a file"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A feature with `"geometry": null` (RFC 7946 allows it) is not drawn, but listed under its
/// layer in the side panel; choosing it shows its properties.
#[test]
fn features_without_a_location_are_listed_and_show_their_properties() {
    let mut harness = harness();
    let dir = std::env::temp_dir().join(format!("strikemap-unlocated-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("reports.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","name":"Field reports","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[63.0,27.0]},"properties":{"name":"Located report"}},
{"type":"Feature","geometry":null,"properties":{"name":"Unlocated report","source":"radio"}}]}"#,
    )
    .unwrap();
    open(&mut harness, path);
    let (_, overlay) = harness.state().state.overlays().next().expect("an overlay");
    assert_eq!((overlay.features.len(), overlay.unlocated.len()), (1, 1));
    harness
        .get_by_label("Field reports: 1 without a location (not on the map)")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Feature 1: Unlocated report").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Not on the map: the file gives this feature no location");
    harness.get_by_label("radio");
    std::fs::remove_dir_all(&dir).unwrap();
}
