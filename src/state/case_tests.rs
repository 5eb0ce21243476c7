//! The case session in the state: the bundled case looks as before, edits refresh the layer
//! and the timeline, the selection follows, the bundled case refuses edits.

use super::*;
use crate::model::LonLat;
use strikemap_core::case::Case;
use strikemap_core::case::edit::{ClaimField, Edit, EventField, MetaField};

fn new_case_state() -> AppState {
    let mut state = AppState::bundled();
    state.open_case(CaseSession::new_case(
        Date::parse_iso("2024-01-20").unwrap(),
    ));
    state
}

fn place(state: &mut AppState, lon: f64, lat: f64) {
    state.apply(Command::StartPlacingStrike);
    state.apply(Command::PlaceStrike(LonLat { lon, lat }));
}

#[test]
fn the_bundled_case_shows_as_the_bundled_files_did() {
    let state = AppState::bundled();
    assert!(state.messages.is_empty(), "{:?}", state.messages);
    let layer = state.layer(state.case_layer()).unwrap();
    assert_eq!(layer.name, BUNDLED_LAYER_NAME);
    assert!(layer.path.is_none(), "not removable");
    let events = crate::formats::bundled::bundled_events().unwrap();
    assert_eq!(layer.events(), events.events.as_slice());
    assert_eq!(state.title, events.title);
    assert_eq!(state.as_of, events.as_of);
    assert_eq!(
        state.statements,
        crate::case::bundled_case().unwrap().timeline_statements()
    );
    assert!(state.case().read_only && !state.case().is_dirty());
}

#[test]
fn the_provinces_belong_to_the_bundled_case_and_a_new_case_starts_without_them() {
    let bundled = AppState::bundled();
    assert_eq!(bundled.provinces.len(), 2);
    assert_eq!(bundled.bundled_provinces.len(), 2);
    let mut state = new_case_state();
    assert!(state.provinces.is_empty(), "the plain world map");
    assert!(state.overview_bounds().is_none());
    assert!(state.take_case_layer_loads().is_empty(), "no file to load");
    // A copy of the bundled case (Save as…) lists them among its layers: they come back.
    let copy = crate::case::bundled_case().unwrap();
    state.open_case(CaseSession::opened(copy, None, None));
    assert_eq!(state.provinces.len(), 2);
    assert!(
        state.take_case_layer_loads().is_empty(),
        "drawn, not loaded"
    );
    assert!(state.case_layers_awaiting_consent().is_empty());
}

#[test]
fn the_bundled_case_refuses_edits_with_a_hint() {
    let mut state = AppState::bundled();
    let before = state.case().case.clone();
    state.apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
        "x".into(),
    ))));
    state.apply(Command::StartPlacingStrike);
    place(&mut state, 63.0, 27.0);
    assert_eq!(state.case().case, before);
    assert!(!state.case().placing);
    assert_eq!(state.messages, vec![READ_ONLY_HINT.to_owned()], "said once");
}

#[test]
fn edits_refresh_the_layer_and_the_timeline_and_the_selection_follows() {
    let mut state = new_case_state();
    // A click without "Add strike" places nothing.
    state.apply(Command::PlaceStrike(LonLat {
        lon: 62.0,
        lat: 27.0,
    }));
    assert!(state.case().case.events.is_empty());
    place(&mut state, 62.333, 27.371);
    assert_eq!(state.shown_events().len(), 1);
    assert_eq!(state.selected_case_index(), Some(0));
    assert_eq!(state.selected_id(), Some("E1"));
    assert!(state.case().is_dirty());
    // Renaming the selected event keeps it selected.
    state.apply(Command::EditCase(Edit::SetEvent {
        event: 0,
        field: EventField::Id("SARAVAN".into()),
    }));
    assert_eq!(state.selected_id(), Some("SARAVAN"));
    // A statement joins the timeline, in date order.
    let statement = strikemap_core::case::CaseStatement {
        id: "D1".into(),
        date: Date::parse_iso("2024-01-17").unwrap(),
        time_as_reported: None,
        by: "Iran".into(),
        title: "Iran summons the envoy".into(),
        detail: String::new(),
        source_keys: Vec::new(),
        caveat: None,
    };
    state.apply(Command::EditCase(Edit::AddStatement {
        index: 0,
        statement,
    }));
    assert_eq!(state.statements.len(), 1);
    assert_eq!(state.story().len(), 2);
    // Undo twice: the statement goes, then the id is back, still selected.
    state.apply(Command::UndoCase);
    state.apply(Command::UndoCase);
    assert!(state.statements.is_empty());
    assert_eq!(state.selected_id(), Some("E1"));
    // Deleting the event clears the selection; undo brings it back.
    state.apply(Command::EditCase(Edit::DeleteEvent { index: 0 }));
    assert_eq!(state.selected_id(), None);
    assert!(state.shown_events().is_empty());
    state.apply(Command::UndoCase);
    assert_eq!(state.shown_events().len(), 1);
    // Back to the case as opened: nothing unsaved.
    state.apply(Command::UndoCase);
    assert!(!state.case().is_dirty());
    assert!(!state.case().can_undo() && state.case().can_redo());
}

#[test]
fn an_edit_that_cannot_be_made_is_reported_and_changes_nothing() {
    let mut state = new_case_state();
    place(&mut state, 62.0, 27.0);
    let before = state.case().case.clone();
    state.apply(Command::EditCase(Edit::SetClaim {
        event: 0,
        index: 3,
        field: ClaimField::Claimant("Iran".into()),
    }));
    assert_eq!(state.case().case, before);
    assert!(state.messages.last().unwrap().contains("not made"));
}

#[test]
fn problems_name_the_claim_and_its_claimant() {
    let mut state = new_case_state();
    place(&mut state, 62.0, 27.0);
    state.apply(Command::EditCase(Edit::AddClaim {
        event: 0,
        index: 0,
        claim: crate::model::CasualtyClaim {
            claimant: "Iran".into(),
            killed: None,
            injured: None,
            source: String::new(),
            note: None,
        },
    }));
    let session = state.case();
    assert_eq!(session.problems().len(), 1);
    assert_eq!(session.event_problems(0, "casualty_claims[0]").len(), 1);
    assert!(session.event_problems(0, "casualty_claims[1]").is_empty());
    assert!(
        session
            .event_problems(0, "casualty_claims[0].claimant")
            .is_empty()
    );
    let line = &session.problem_lines()[0];
    assert!(
        line.starts_with("Event E1 (#1), claim 1 (Iran), source: cites no source"),
        "{line}"
    );
}

#[test]
fn case_files_are_told_from_other_geojson_by_their_member() {
    assert!(looks_like_case(
        strikemap_core::case::write_case(&Case::default()).as_bytes()
    ));
    let events = crate::formats::bundled::bundled_events().unwrap().events;
    assert!(!looks_like_case(
        crate::export::events_to_geojson(None, &events).as_bytes()
    ));
    assert!(!looks_like_case(b""));
}

/// A small overlay file (one line) in a fresh folder, and its whole path.
fn overlay_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "strikemap-case-layers-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("route.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Route"},
        "geometry":{"type":"LineString","coordinates":[[36.2,49.9],[36.6,50.1]]}}]}"#,
    )
    .unwrap();
    std::path::absolute(path).unwrap()
}

fn remove_folder_of(path: &std::path::Path) {
    if let Some(folder) = path.parent() {
        let _ = std::fs::remove_dir_all(folder);
    }
}

fn load(state: &mut AppState, path: &std::path::Path) -> Option<LayerId> {
    state.add_import(path.to_path_buf(), crate::import::import_file(path))
}

#[test]
fn a_file_loaded_into_an_editable_case_is_listed_and_restyled_with_it() {
    let path = overlay_file("listed");
    let mut state = new_case_state();
    assert!(!state.case().is_dirty());
    let id = load(&mut state, &path).unwrap();
    let listed = &state.case().case.layers;
    assert_eq!(listed.len(), 1);
    assert_eq!(std::path::Path::new(&listed[0].path), path);
    assert!(state.case().is_dirty(), "a new layer is a change to save");

    state.apply(Command::SetLayerColor(id, [0xe6, 0x9f, 0x00]));
    state.apply(Command::SetLayerOpacity(id, 0.4));
    state.apply(Command::SetLayerVisible(id, false));
    let listed = &state.case().case.layers[0];
    assert_eq!(
        (listed.colour.as_str(), listed.opacity, listed.visible),
        ("#e69f00", 0.4, false)
    );

    state.apply(Command::RemoveLayer(id));
    assert!(state.case().case.layers.is_empty());
    remove_folder_of(&path);
}

#[test]
fn opening_a_case_loads_its_layers_with_their_saved_looks_and_keeps_its_view() {
    let path = overlay_file("opened");
    let mut case = Case::new("Layers", Date::parse_iso("2024-01-20").unwrap());
    case.layers = vec![strikemap_core::case::Layer {
        path: path.display().to_string(),
        name: "Supply route".into(),
        visible: true,
        colour: "#009e73".into(),
        opacity: 0.6,
    }];
    case.view = Some(strikemap_core::case::View {
        center: LonLat {
            lon: 36.3,
            lat: 50.0,
        },
        zoom: 8.0,
    });
    let mut state = new_case_state();
    let earlier_file = overlay_file("earlier");
    let earlier = load(&mut state, &earlier_file).unwrap();
    state.open_case(CaseSession::opened(case.clone(), None, None));
    assert!(
        state.layer(earlier).is_none(),
        "the case before's layers go"
    );
    assert_eq!(state.take_case_layer_loads(), vec![path.clone()]);
    let view = state.pending_view.take();

    let id = load(&mut state, &path).unwrap();
    let layer = state.layer(id).unwrap();
    assert_eq!(layer.name, "Supply route");
    assert_eq!(layer.look.color, [0x00, 0x9e, 0x73]);
    assert!((layer.look.opacity - 0.6).abs() < 1e-6);
    assert_eq!(
        state.pending_view, None,
        "the case's layer does not move the view"
    );
    assert!(matches!(view, Some(ViewRequest::Show { zoom: 8.0, .. })));
    assert!(!state.case().is_dirty(), "nothing changed");
    assert_eq!(state.case().case, case);
    remove_folder_of(&path);
    remove_folder_of(&earlier_file);
}

#[test]
fn a_layer_of_the_case_that_cannot_be_read_stays_in_the_case_and_is_reported() {
    let missing = std::env::temp_dir().join("strikemap-no-such-layer.geojson");
    let mut case = Case::new("Layers", Date::parse_iso("2024-01-20").unwrap());
    case.layers = vec![strikemap_core::case::Layer {
        path: missing.display().to_string(),
        name: "Gone".into(),
        visible: true,
        colour: "#000000".into(),
        opacity: 1.0,
    }];
    let mut state = new_case_state();
    state.open_case(CaseSession::opened(case.clone(), None, None));
    assert_eq!(load(&mut state, &missing), None);
    let message = state.messages.last().unwrap();
    assert!(
        message.contains("stays in the case") && message.contains("strikemap-no-such-layer"),
        "{message}"
    );
    assert_eq!(state.case().case.layers, case.layers);
    assert!(!state.case().is_dirty());
    let not_loaded: Vec<&str> = state
        .case_layers_not_loaded()
        .iter()
        .map(|layer| layer.name.as_str())
        .collect();
    assert_eq!(not_loaded, ["Gone"]);

    // "Remove from case" drops it: a change to save.
    state.apply(Command::ForgetCaseLayer(missing));
    assert!(state.case().case.layers.is_empty());
    assert!(state.case_layers_not_loaded().is_empty());
    assert!(state.case().is_dirty());
}

#[test]
fn a_new_case_keeps_the_loaded_files_as_its_layers_without_unsaved_changes() {
    let path = overlay_file("kept");
    let mut state = AppState::bundled();
    let id = load(&mut state, &path).unwrap();
    state.start_new_case(CaseSession::new_case(
        Date::parse_iso("2024-01-20").unwrap(),
    ));
    assert!(state.layer(id).is_some());
    assert_eq!(state.case().case.layers.len(), 1);
    assert!(!state.case().is_dirty());
    remove_folder_of(&path);
}

#[test]
fn attackers_without_a_style_of_their_own_are_listed_in_the_order_the_case_names_them() {
    let mut state = new_case_state();
    assert!(
        state.other_attackers().is_empty(),
        "Iran and Pakistan have their own"
    );
    for (index, attacker) in ["Russia", "Ukraine", "Russia", "Iran"].iter().enumerate() {
        place(&mut state, 36.0 + index as f64, 50.0);
        state.apply(Command::EditCase(Edit::SetEvent {
            event: index,
            field: EventField::Attacker(Some((*attacker).into())),
        }));
    }
    assert_eq!(state.other_attackers(), ["Russia", "Ukraine"]);
    state.apply(Command::UndoCase);
    state.apply(Command::EditCase(Edit::SetEvent {
        event: 1,
        field: EventField::Attacker(Some("Belarus".into())),
    }));
    assert_eq!(state.other_attackers(), ["Russia", "Belarus"]);
}
