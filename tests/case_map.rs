//! The case on the map (issue #13): a strike moved by dragging its marker (one undo step, the
//! map not panned, the border distance following); Esc cancels placing; the case's layers and
//! view saved and opened again; the case's caveat on the slide; closing the window with unsaved
//! work asks first. No network, no display.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::drag;
use egui::{Pos2, ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::{Harness, kittest::Queryable as _};
use std::path::PathBuf;
use strikemap::StrikemapApp;
use strikemap::app::SaveOutcome;
use strikemap::case::edit::{Edit, EventField, MetaField};
use strikemap::model::LonLat;
use strikemap::state::Command;

/// A place for a strike of a case elsewhere than the bundled one.
const KHARKIV: LonLat = LonLat {
    lon: 36.25,
    lat: 50.0,
};

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("strikemap-case-map-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::path::absolute(dir).unwrap()
}

fn harness() -> Harness<'static, StrikemapApp> {
    tall_harness(900.0)
}

/// The app 1400 points wide and `height` high (tall enough that the editor needs no
/// scrolling), never autosaving.
fn tall_harness(height: f32) -> Harness<'static, StrikemapApp> {
    common::harness_with(1400.0, height, |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.set_autosave_dir(None);
        app
    })
}

fn click(harness: &mut Harness<'_, StrikemapApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

/// A new case with one strike placed at `at` (through the commands the editor sends), shown.
fn case_with_strike(harness: &mut Harness<'_, StrikemapApp>, at: LonLat) {
    click(harness, "File");
    click(harness, "New case");
    let app = harness.state_mut();
    app.apply(Command::StartPlacingStrike);
    app.apply(Command::PlaceStrike(at));
    app.apply(Command::EditCase(Edit::SetEvent {
        event: 0,
        field: EventField::TargetCountry("Iran".into()),
    }));
    app.state.pending_view = Some(strikemap::state::ViewRequest::Show {
        center: at,
        zoom: 7.0,
    });
    harness.run_steps(4);
}

fn position(harness: &Harness<'_, StrikemapApp>) -> LonLat {
    harness.state().state.case().case.events[0].position
}

fn screen_of(harness: &Harness<'_, StrikemapApp>, at: LonLat) -> Pos2 {
    harness
        .state()
        .map
        .projector()
        .project(walkers::lat_lon(at.lat, at.lon))
        .to_pos2()
}

fn lon_lat_at(harness: &Harness<'_, StrikemapApp>, at: Pos2) -> LonLat {
    let position = harness.state().map.projector().unproject(at.to_vec2());
    LonLat {
        lon: position.x(),
        lat: position.y(),
    }
}

#[test]
fn dragging_a_case_marker_moves_the_strike_in_one_undo_step() {
    let mut harness = harness();
    // North of Saravan, inside Iran near the Pakistan border.
    let start = LonLat {
        lon: 62.0,
        lat: 27.6,
    };
    case_with_strike(&mut harness, start);
    let view_before = harness.state().map.current_view().unwrap();
    let distance_before = {
        let state = &harness.state().state;
        state.border_distance(&state.case().case.events[0]).unwrap()
    };
    let from = screen_of(&harness, start);
    let to = from + egui::vec2(90.0, 60.0);
    let expected = lon_lat_at(&harness, to);
    drag(&mut harness, from, to, 6);

    let moved = position(&harness);
    assert!(
        (moved.lon - expected.lon).abs() < 1e-6 && (moved.lat - expected.lat).abs() < 1e-6,
        "the strike is where the marker was dropped: {moved:?}, expected {expected:?}"
    );
    let view_after = harness.state().map.current_view().unwrap();
    assert_eq!(view_before, view_after, "the map did not pan");
    let app = harness.state();
    assert_eq!(
        app.state.selected_case_index(),
        Some(0),
        "the moved strike is selected"
    );
    let distance_after = app
        .state
        .border_distance(&app.state.case().case.events[0])
        .unwrap();
    assert!(
        (distance_after.distance_km - distance_before.distance_km).abs() > 1.0,
        "the border distance follows: {} km then {} km",
        distance_before.distance_km,
        distance_after.distance_km
    );
    assert!(app.state.case().is_dirty());

    // The six moves are one step: one undo puts the strike back exactly.
    click(&mut harness, "Undo");
    assert_eq!(position(&harness), start);
    click(&mut harness, "Redo");
    assert_eq!(position(&harness), moved);
}

#[test]
fn markers_of_the_bundled_case_do_not_move() {
    let mut harness = harness();
    let app = harness.state();
    let event = app.state.case().case.events[0].clone();
    let from = screen_of(&harness, event.position);
    drag(&mut harness, from, from + egui::vec2(80.0, 0.0), 4);
    assert_eq!(harness.state().state.case().case.events[0], event);
}

#[test]
fn escape_cancels_placing_a_strike() {
    let mut harness = harness();
    click(&mut harness, "File");
    click(&mut harness, "New case");
    click(&mut harness, "Add strike");
    assert!(harness.state().state.case().placing);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().state.case().placing);
    // A click on the map now places nothing.
    let center = harness.state().map.last_rect.center();
    common::pointer_click(&mut harness, center);
    assert!(harness.state().state.case().case.events.is_empty());
}

#[test]
fn the_case_layers_and_view_are_saved_and_opened_again() {
    let dir = temp_dir("layers");
    let overlay = dir.join("data").join("front.geojson");
    std::fs::create_dir_all(overlay.parent().unwrap()).unwrap();
    std::fs::write(
        &overlay,
        r#"{"type":"FeatureCollection","name":"Front line","features":[{"type":"Feature",
        "properties":{"name":"Line"},"geometry":{"type":"LineString",
        "coordinates":[[36.0,49.8],[36.8,50.2]]}}]}"#,
    )
    .unwrap();
    let file = dir.join("kharkiv.geojson");
    let saved_view = {
        let mut harness = harness();
        case_with_strike(&mut harness, KHARKIV);
        harness
            .state_mut()
            .apply(Command::OpenFiles(vec![overlay.clone()]));
        common::step_until(&mut harness, |app| app.state.overlays().count() == 1);
        let id = harness.state().state.overlays().next().unwrap().0.id;
        let app = harness.state_mut();
        app.apply(Command::SetLayerColor(id, [0xe6, 0x9f, 0x00]));
        app.apply(Command::SetLayerOpacity(id, 0.5));
        app.state.pending_view = Some(strikemap::state::ViewRequest::Show {
            center: LonLat {
                lon: 36.4,
                lat: 50.05,
            },
            zoom: 8.5,
        });
        harness.run_steps(4);
        let view = harness.state().map.current_view().unwrap();
        assert_eq!(
            harness.state_mut().save_case_as(file.clone()),
            SaveOutcome::Saved
        );
        view
    };
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(r#""path": "data/front.geojson""#), "{text}");

    let mut harness = harness();
    harness.state_mut().open_case_file(&file).unwrap();
    common::step_until(&mut harness, |app| app.state.overlays().count() == 1);
    harness.run_steps(4);
    let app = harness.state();
    let (layer, _) = app.state.overlays().next().unwrap();
    assert_eq!(layer.name, "Front line");
    assert_eq!(layer.look.color, [0xe6, 0x9f, 0x00]);
    assert!((layer.look.opacity - 0.5).abs() < 1e-6);
    let view = app.map.current_view().unwrap();
    assert!(
        (view.lon - saved_view.lon).abs() < 1e-6
            && (view.lat - saved_view.lat).abs() < 1e-6
            && (view.zoom - saved_view.zoom).abs() < 1e-6,
        "opens where it was saved: {view:?}, saved {saved_view:?}"
    );
    assert!(!app.state.case().is_dirty(), "opening changed nothing");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_case_caveat_is_on_the_slide() {
    let mut harness = harness();
    case_with_strike(&mut harness, KHARKIV);
    let caveat = "Figures are each side's claims; none verified.";
    harness
        .state_mut()
        .apply(Command::EditCase(Edit::SetMeta(MetaField::Caveat(
            caveat.into(),
        ))));
    harness.key_press(egui::Key::F5);
    harness.run_steps(4);
    assert!(harness.state().is_presenting());
    harness.get_by_label(caveat);
}

/// The root viewport's commands of the last frame.
fn viewport_commands(harness: &Harness<'_, StrikemapApp>) -> Vec<ViewportCommand> {
    harness
        .output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|output| output.commands.clone())
        .unwrap_or_default()
}

fn request_close(harness: &mut Harness<'_, StrikemapApp>) {
    harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    harness.step();
}

#[test]
fn closing_the_window_with_unsaved_work_asks_first() {
    let mut harness = harness();
    case_with_strike(&mut harness, KHARKIV);
    request_close(&mut harness);
    assert!(
        viewport_commands(&harness).contains(&ViewportCommand::CancelClose),
        "the close is held back"
    );
    harness.run_steps(2);
    harness.get_by_label("Save the changes to Untitled case?");
    click(&mut harness, "Cancel");
    assert!(
        harness
            .query_by_label_contains("Save the changes")
            .is_none()
    );
    assert_eq!(harness.state().state.case().case.events.len(), 1);

    // Asked again; Discard closes.
    request_close(&mut harness);
    harness.run_steps(2);
    harness.get_by_label("Discard").click();
    harness.step();
    assert!(
        viewport_commands(&harness).contains(&ViewportCommand::Close),
        "Discard closes the window"
    );
}

#[test]
fn closing_with_nothing_unsaved_is_not_questioned() {
    let mut harness = harness();
    request_close(&mut harness);
    assert!(!viewport_commands(&harness).contains(&ViewportCommand::CancelClose));
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("Save the changes")
            .is_none()
    );
}

#[test]
fn a_strike_placed_by_a_typed_position_is_shown_on_the_map() {
    let mut harness = harness();
    click(&mut harness, "File");
    click(&mut harness, "New case");
    click(&mut harness, "Add strike");
    harness.get_by_label("Position of the new strike").focus();
    harness.run_steps(1);
    harness
        .get_by_label("Position of the new strike")
        .type_text("50.0, 36.25");
    harness.run_steps(2);
    click(&mut harness, "Add strike here");
    harness.run_steps(6);
    let view = harness.state().map.current_view().unwrap();
    assert!(
        (view.lon - KHARKIV.lon).abs() < 1e-6 && (view.lat - KHARKIV.lat).abs() < 1e-6,
        "the map went to the strike, far from where it was: {view:?}"
    );
    assert_eq!(position(&harness), KHARKIV);
    assert_eq!(
        harness.state().state.case().case.events[0]
            .properties
            .location
            .basis,
        "Position typed in as \u{201c}50.0, 36.25\u{201d}."
    );
}

#[test]
fn a_strike_known_to_a_few_kilometres_is_framed_where_the_offline_map_still_has_detail() {
    let mut harness = harness();
    case_with_strike(&mut harness, KHARKIV);
    assert_eq!(
        harness.state().state.case().case.events[0]
            .properties
            .location
            .radius_km,
        5.0
    );
    harness.state_mut().apply(Command::ClearSelection);
    harness.state_mut().apply(Command::StepForward);
    common::step_until(&mut harness, |app| !app.map.is_flying());
    harness.run_steps(4);
    let view = harness.state().map.current_view().unwrap();
    assert!(
        view.zoom <= strikemap::map::OFFLINE_FRAMING_MAX_ZOOM + 1e-9
            && view.zoom > strikemap::map::OFFLINE_FRAMING_MAX_ZOOM - 1.0,
        "framed at zoom {} (the offline map's detail ends at 9)",
        view.zoom
    );
}

/// Focuses the field labelled `label`, selects what it holds and types `text` over it.
fn type_into(harness: &mut Harness<'_, StrikemapApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

#[test]
fn a_timeline_statement_is_written_with_its_source_or_a_caveat() {
    let mut harness = tall_harness(2400.0);
    click(&mut harness, "File");
    click(&mut harness, "New case");
    click(&mut harness, "Timeline statements (0)");
    click(&mut harness, "Add statement");
    type_into(&mut harness, "Statement 1 date", "2026-11-28");
    type_into(&mut harness, "Statement 1 time as reported", "morning");
    type_into(&mut harness, "Statement 1 by", "Blueland");
    type_into(
        &mut harness,
        "Statement 1 title",
        "Blueland recalls its ambassador",
    );
    type_into(
        &mut harness,
        "Statement 1 detail",
        "The foreign ministry said so.",
    );
    // No source and no caveat: a problem beside the source keys.
    harness.get_by_label_contains("there is no caveat saying why");
    type_into(
        &mut harness,
        "Statement 1 caveat",
        "Announced on state television; no text published.",
    );
    assert!(harness.state().state.case().problems().is_empty());

    // A source instead: added, cited by key.
    click(&mut harness, "Add statement source");
    type_into(&mut harness, "Statement source 1 key", "MFA1");
    type_into(&mut harness, "Statement source 1 outlet", "Blueland MFA");
    type_into(&mut harness, "Statement 1 source keys", "MFA1");
    let app = harness.state();
    assert!(
        app.state.case().problems().is_empty(),
        "{:?}",
        app.state.case().problem_lines()
    );
    let statement = &app.state.case().case.statements[0];
    assert_eq!(statement.time_as_reported.as_deref(), Some("morning"));
    assert_eq!(statement.source_keys, ["MFA1"]);
    // The timeline shows it, with its source resolved.
    let shown = &app.state.statements[0];
    assert_eq!(shown.title, "Blueland recalls its ambassador");
    assert_eq!(shown.sources[0].outlet, "Blueland MFA");
}

#[test]
fn a_case_layer_that_cannot_be_read_is_shown_and_can_be_removed_from_the_case() {
    let dir = temp_dir("missing-layer");
    let mut case = strikemap::case::Case::new(
        "Missing layer",
        strikemap::model::Date::parse_iso("2026-11-30").unwrap(),
    );
    case.layers = vec![strikemap::case::Layer {
        path: "data/gone.geojson".into(),
        name: "Gone".into(),
        visible: true,
        colour: "#000000".into(),
        opacity: 1.0,
    }];
    let file = dir.join("case.geojson");
    std::fs::write(&file, strikemap::case::write_case(&case)).unwrap();
    let mut harness = harness();
    harness.state_mut().open_case_file(&file).unwrap();
    common::step_until(&mut harness, |app| {
        !app.state.case_layers_not_loaded().is_empty()
    });
    harness.run_steps(2);
    harness.get_by_label_contains("could not be loaded (kept in the case)");
    click(&mut harness, "Remove Gone from the case");
    assert!(harness.state().state.case().case.layers.is_empty());
    assert!(harness.state().state.case().is_dirty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A received case whose layers lie outside its folder: the paths are listed and nothing is
/// read until the user answers; "Load these layers" loads them and is remembered for the case
/// file, "Don't load" leaves them listed as not loaded.
#[test]
fn layers_outside_the_case_folder_load_only_after_the_user_agrees() {
    let dir = temp_dir("outside-layers");
    std::fs::create_dir_all(dir.join("case")).unwrap();
    let outside = dir.join("outside.geojson");
    std::fs::write(
        &outside,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},
            "geometry":{"type":"Point","coordinates":[61.0,28.0]}}]}"#,
    )
    .unwrap();
    let mut case = strikemap::case::Case::new(
        "Received",
        strikemap::model::Date::parse_iso("2026-11-30").unwrap(),
    );
    case.layers = vec![strikemap::case::Layer {
        path: "../outside.geojson".into(),
        name: "Outside".into(),
        visible: true,
        colour: "#000000".into(),
        opacity: 1.0,
    }];
    let file = dir.join("case").join("case.geojson");
    std::fs::write(&file, strikemap::case::write_case(&case)).unwrap();
    let layer_count = |app: &StrikemapApp| app.state.layers.len();

    let mut harness = harness();
    let before = layer_count(harness.state());
    harness.state_mut().open_case_file(&file).unwrap();
    harness.run_steps(4);
    harness.get_by_label_contains("names layers outside its own folder");
    harness.get_by_label_contains("outside.geojson");
    assert_eq!(
        layer_count(harness.state()),
        before,
        "nothing loaded before the answer"
    );
    click(&mut harness, "Don't load");
    assert_eq!(harness.state().state.case_layers_not_loaded().len(), 1);
    assert!(harness.state().settings.trusted_case_files.is_empty());

    harness.state_mut().open_case_file(&file).unwrap();
    harness.run_steps(2);
    click(&mut harness, "Load these layers");
    common::step_until(&mut harness, |app| layer_count(app) > before);
    assert_eq!(
        harness.state().settings.trusted_case_files,
        vec![file.clone()]
    );

    // Remembered: the same case file opens with its layers, without asking.
    harness.state_mut().open_case_file(&file).unwrap();
    assert!(
        harness
            .state()
            .state
            .case_layers_awaiting_consent()
            .is_empty()
    );
    common::step_until(&mut harness, |app| layer_count(app) > before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_source_of_another_strike_is_added_whole_from_a_list() {
    let mut harness = tall_harness(3000.0);
    case_with_strike(&mut harness, KHARKIV);
    let source = strikemap::model::Source {
        date: Some("2026-11-28".into()),
        title: Some("Strikes on two cities".into()),
        url: Some("https://example.org/aj".into()),
        ..common::source("AJ1", "Al Jazeera")
    };
    let app = harness.state_mut();
    app.apply(Command::EditCase(Edit::AddSource {
        owner: strikemap::case::edit::SourceOwner::Event(0),
        index: 0,
        source: source.clone(),
    }));
    app.apply(Command::StartPlacingStrike);
    app.apply(Command::PlaceStrike(LonLat {
        lon: 37.61,
        lat: 49.71,
    }));
    harness.run_steps(3);
    assert_eq!(harness.state().state.selected_case_index(), Some(1));
    click(&mut harness, "Add a source used by another strike");
    click(&mut harness, "AJ1 (Al Jazeera, 2026-11-28)");
    let case = harness.state().state.case().case.clone();
    assert_eq!(case.events[1].properties.sources, [source]);
    // Cited now, it is offered no more.
    assert!(
        harness
            .query_by_label("Add a source used by another strike")
            .is_none()
    );
}

#[test]
fn a_duplicated_strike_keeps_its_fields_and_sources_but_no_figures() {
    let mut harness = tall_harness(3000.0);
    case_with_strike(&mut harness, KHARKIV);
    let app = harness.state_mut();
    app.apply(Command::EditCase(Edit::AddSource {
        owner: strikemap::case::edit::SourceOwner::Event(0),
        index: 0,
        source: common::source("S1", "Wire"),
    }));
    app.apply(Command::EditCase(Edit::AddClaim {
        event: 0,
        index: 0,
        claim: strikemap::model::CasualtyClaim {
            claimant: "Wire".into(),
            killed: None,
            injured: None,
            source: "S1".into(),
            note: None,
        },
    }));
    app.apply(Command::EditCase(Edit::SetEvent {
        event: 0,
        field: EventField::Weapons(Some("drones".into())),
    }));
    harness.run_steps(3);
    click(&mut harness, "Duplicate strike");
    let case = harness.state().state.case().case.clone();
    assert_eq!(case.events.len(), 2);
    let (original, copy) = (&case.events[0], &case.events[1]);
    assert_eq!(copy.id(), "E2");
    assert_eq!(copy.properties.title, "New strike (copy)");
    assert_eq!(copy.properties.weapons.as_deref(), Some("drones"));
    assert_eq!(copy.properties.target_country, "Iran");
    assert_eq!(copy.properties.sources, original.properties.sources);
    assert!(
        copy.properties.casualty_claims.is_empty(),
        "no figure is copied"
    );
    assert_eq!(harness.state().state.selected_case_index(), Some(1));
    // One step: undo removes the copy.
    click(&mut harness, "Undo");
    assert_eq!(harness.state().state.case().case.events.len(), 1);
}
