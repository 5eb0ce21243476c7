use super::*;
use crate::import::{Import, ImportedContent};
use crate::model::{Date, LonLat};
use crate::table::PointTable;
use std::sync::Arc;

fn state() -> AppState {
    AppState::bundled()
}

fn event_ref(state: &AppState, id: &str) -> EventRef {
    state.find_event(id).expect("event exists").0
}

/// Adds a table layer of points at one place and day, one per id.
fn add_table(state: &mut AppState, name: &str, ids: &[&str]) -> Option<LayerId> {
    let rows = ids.iter().map(|id| {
        (
            LonLat {
                lon: 60.0,
                lat: 27.0,
            },
            Date::parse_iso("2024-01-16").ok(),
            (*id).to_owned(),
        )
    });
    let file = format!("{name}.geojson");
    state.add_import(
        file.clone().into(),
        Ok(Import {
            file,
            format: crate::import::DetectedFormat::GeoJsonOverlay,
            content: ImportedContent::Table(Arc::new(PointTable::in_memory(name, rows))),
            skipped: Vec::new(),
            skipped_total: 0,
            warnings: Vec::new(),
        }),
    )
}

#[test]
fn search_finds_table_rows_by_id_ignoring_case() {
    let mut state = state();
    let layer = add_table(&mut state, "ids", &["ÄB1", "ab2", "xy3", "PAK12", "pak120"]);
    let ids = |state: &AppState| -> Vec<String> {
        let Some(listing) = state.row_listing() else {
            return Vec::new();
        };
        let table = &state.table(listing.layer).unwrap().1.table;
        listing
            .rows
            .iter()
            .map(|&row| table.label(row).to_owned())
            .collect()
    };
    state.apply(Command::SetSearch("Pak12".into()));
    assert_eq!(ids(&state), ["PAK12", "pak120"]);
    state.apply(Command::SetSearch("äb".into()));
    assert_eq!(ids(&state), ["ÄB1"]);
    state.apply(Command::SetSearch("ab".into()));
    assert_eq!(ids(&state), ["ab2"]);
    state.apply(Command::SetSearch("zz".into()));
    assert!(state.row_listing().is_none());
    state.apply(Command::SetLayerVisible(layer.unwrap(), false));
    state.apply(Command::SetSearch("ab".into()));
    assert!(
        state.row_listing().is_none(),
        "hidden layers are not searched"
    );
}

#[test]
fn bundled_state_opens_on_the_overview() {
    let state = state();
    assert!(state.messages.is_empty(), "{:?}", state.messages);
    assert_eq!(state.shown_events().len(), 2);
    assert_eq!(state.provinces.len(), 2);
    assert_eq!(
        state.pending_view,
        state.overview_bounds().map(ViewRequest::Fit)
    );
}

#[test]
fn selecting_unknown_events_changes_nothing() {
    let mut state = state();
    let e1 = event_ref(&state, "E1");
    state.apply(Command::Select(e1));
    state.apply(Command::Select(EventRef {
        layer: 0,
        id: "nope".into(),
    }));
    assert_eq!(state.selected_id(), Some("E1"));
    state.apply(Command::ClearSelection);
    assert_eq!(state.selected_id(), None);
}

#[test]
fn select_and_center_requests_a_view_change() {
    let mut state = state();
    state.pending_view = None;
    let e2 = event_ref(&state, "E2");
    state.apply(Command::SelectAndCenter(e2.clone()));
    let position = state.event(&e2).unwrap().position;
    assert_eq!(state.pending_view, Some(ViewRequest::CenterOn(position)));
}

#[test]
fn a_failed_load_keeps_everything_as_it_was() {
    let mut state = state();
    let e1 = event_ref(&state, "E1");
    state.apply(Command::Select(e1));
    let layers_before = state.event_layers().count();
    let added = state.add_loaded_events(
        "bad.geojson".into(),
        crate::formats::event_schema::parse_events("bad.geojson", "{"),
    );
    assert_eq!(added, None);
    assert_eq!(state.event_layers().count(), layers_before);
    assert_eq!(state.shown_events().len(), 2);
    assert_eq!(state.selected_id(), Some("E1"));
    assert_eq!(state.messages.len(), 1);
    assert!(
        state.messages[0].starts_with("bad.geojson:1:1"),
        "{}",
        state.messages[0]
    );
}

#[test]
fn a_loaded_file_is_a_layer_that_can_be_hidden_and_removed() {
    let mut state = state();
    let loaded = crate::formats::event_schema::parse_events(
        "copy.geojson",
        crate::case::BUNDLED_CASE_GEOJSON,
    );
    let id = state
        .add_loaded_events("copy.geojson".into(), loaded)
        .unwrap();
    assert_eq!(state.shown_events().len(), 4);
    // The same id in two layers: each is its own event.
    let copy_e1 = EventRef {
        layer: id,
        id: "E1".into(),
    };
    state.apply(Command::Select(copy_e1.clone()));
    assert!(state.is_selected(&copy_e1));
    assert!(!state.is_selected(&event_ref(&state, "E1")));
    state.apply(Command::SetLayerVisible(id, false));
    assert_eq!(state.shown_events().len(), 2);
    assert_eq!(state.selected_id(), None, "a hidden event is not selected");
    state.apply(Command::SetLayerVisible(id, true));
    assert_eq!(state.selected_id(), Some("E1"));
    state.apply(Command::RemoveLayer(id));
    assert_eq!(state.shown_events().len(), 2);
    assert_eq!(state.selected_id(), None);
}

#[test]
fn the_time_window_filters_events() {
    let mut state = state();
    let day = |d| Date {
        year: 2024,
        month: 1,
        day: d,
    };
    state.apply(Command::SetTimeWindow(Some((day(17), day(18)))));
    let shown: Vec<&str> = state.shown_events().iter().map(|(_, e)| e.id()).collect();
    assert_eq!(shown, ["E2"]);
    state.apply(Command::SetTimeWindow(None));
    assert_eq!(state.shown_events().len(), 2);
}

#[test]
fn stepping_walks_events_and_statements_in_time_order() {
    let mut state = state();
    let mut visited = Vec::new();
    for _ in 0..12 {
        state.apply(Command::StepForward);
        let item = match state.current_story_item().unwrap() {
            StoryItem::Event(event_ref) => event_ref.id,
            StoryItem::Statement(id) => id,
        };
        visited.push(item);
    }
    // E1 (16 Jan) before D1 (16 Jan, a statement), E2 (18 Jan) before D3-D5; the last item
    // stays selected at the end.
    assert_eq!(
        visited,
        [
            "E1", "D1", "D2", "E2", "D3", "D4", "D5", "D6", "D7", "D7", "D7", "D7"
        ]
    );
    state.apply(Command::StepBack);
    assert_eq!(
        state.current_story_item(),
        Some(StoryItem::Statement("D6".into()))
    );
}

#[test]
fn stepping_to_an_event_flies_to_it() {
    let mut state = state();
    state.pending_view = None;
    state.apply(Command::StepForward);
    let e1 = state.find_event("E1").unwrap().1;
    assert!(state.border_distance(e1).is_some());
    assert_eq!(
        state.pending_view,
        Some(ViewRequest::FlyTo {
            center: e1.position,
            radius_km: 60.0,
            also: state.border_distance(e1).map(|distance| distance.nearest),
        })
    );
}

#[test]
fn the_time_window_filters_statements_and_the_story() {
    let mut state = state();
    let day = |d| Date {
        year: 2024,
        month: 1,
        day: d,
    };
    state.apply(Command::SetTimeWindow(Some((day(16), day(17)))));
    assert_eq!(state.story().len(), 3, "E1, D1, D2");
    assert_eq!(state.date_span(), Some((day(16), day(22))));
}

#[test]
fn the_strikes_are_measured_to_the_border() {
    let state = state();
    let (_, e1) = state.find_event("E1").unwrap();
    let distance = state.border_distance(e1).unwrap();
    assert!((70.0..90.0).contains(&distance.distance_km), "{distance:?}");
}

#[test]
fn imports_become_event_or_overlay_layers_and_failures_change_nothing() {
    let mut state = state();
    let overlay_text = r#"{"type":"FeatureCollection","name":"Sites","features":[
        {"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[63.0,27.0]}},
        {"type":"Feature","properties":null,"geometry":{"type":"LineString","coordinates":[[62,26],[64,28]]}}]}"#;
    let overlay = crate::import::import_text("sites.geojson", overlay_text);
    let id = state.add_import("sites.geojson".into(), overlay).unwrap();
    assert_eq!(state.overlays().count(), 1);
    assert_eq!(state.overlay(id).unwrap().1.features.len(), 2);
    state.apply(Command::SelectFeature(id, 0));
    assert_eq!(state.selected_feature().unwrap().2.label(), "A");
    assert_eq!(state.selected_id(), None);

    let before = (
        state.event_layers().count(),
        state.overlays().count(),
        state.shown_events().len(),
    );
    let failed = crate::import::import_text("broken.csv", "event_date;latitude\n1;2\n");
    assert!(state.add_import("broken.csv".into(), failed).is_none());
    assert_eq!(
        before,
        (
            state.event_layers().count(),
            state.overlays().count(),
            state.shown_events().len()
        )
    );
    assert_eq!(
        state.selected_feature().unwrap().2.label(),
        "A",
        "selection kept"
    );

    state.apply(Command::RemoveLayer(id));
    assert!(state.overlays().next().is_none());
    assert!(state.selected_feature().is_none());
}

#[test]
fn the_search_filters_events_by_place_actor_or_source() {
    let mut state = state();
    state.apply(Command::SetSearch("panjgur".into()));
    let shown: Vec<&str> = state.shown_events().iter().map(|(_, e)| e.id()).collect();
    assert_eq!(shown, ["E1"]);
    state.apply(Command::SetSearch("Haalvsh".into()));
    let shown: Vec<&str> = state.shown_events().iter().map(|(_, e)| e.id()).collect();
    assert_eq!(shown, ["E2"]);
    state.apply(Command::SetSearch(String::new()));
    assert_eq!(state.shown_events().len(), 2);
}

#[test]
fn only_web_links_are_opened() {
    let mut state = state();
    state.apply(Command::OpenUrl("file:///etc/passwd".into()));
    state.apply(Command::OpenUrl("https://dawn.com/news/1806685".into()));
    assert_eq!(state.pending_urls, vec!["https://dawn.com/news/1806685"]);
    assert_eq!(state.messages.len(), 1);
}

/// One thing is selected at a time: choosing an event from the list or stepping the story
/// after a table row was clicked leaves no row selected, and the row's record, read off the
/// UI thread, is kept only while its row is still selected.
#[test]
fn selecting_anything_else_replaces_a_selected_row() {
    let mut state = state();
    let layer = add_table(&mut state, "rows", &["R1", "R2"]).unwrap();
    state.apply(Command::SelectRow(layer, 1));
    let requests = state.take_record_requests();
    assert_eq!(requests.len(), 1, "the record is asked for, not read here");
    assert_eq!((requests[0].layer, requests[0].row), (layer, 1));
    assert_eq!(state.selected_row().map(|row| row.row), Some(1));
    assert_eq!(state.selected_row().unwrap().record, None);

    state.apply(Command::SelectAndCenter(event_ref(&state, "E1")));
    assert!(state.selected_row().is_none());
    assert_eq!(state.selected_id(), Some("E1"));
    // The record arriving late does not bring the row back.
    state.receive_record(layer, 1, Err("late".into()));
    assert!(state.selected_row().is_none());
    assert_eq!(state.selected_id(), Some("E1"));

    state.apply(Command::SelectRow(layer, 0));
    state.apply(Command::StepForward);
    assert!(state.selected_row().is_none());
    assert!(state.current_story_item().is_some());

    state.apply(Command::SelectRow(layer, 0));
    state.receive_record(layer, 0, Err("unreadable".into()));
    assert_eq!(
        state.selected_row().unwrap().record,
        Some(Err("unreadable".into()))
    );
    state.apply(Command::SelectStatement(state.statements[0].id.clone()));
    assert!(state.selected_row().is_none());
}

#[test]
fn a_strike_far_from_the_border_or_outside_its_countries_is_not_measured_to_it() {
    let state = state();
    let e1 = state.find_event("E1").unwrap().1.clone();
    assert!(state.border_distance(&e1).is_some());
    let mut elsewhere = e1.clone();
    elsewhere.properties.target_country = "Ukraine".into();
    elsewhere.position = crate::model::LonLat {
        lon: 37.6,
        lat: 49.7,
    };
    assert_eq!(state.border_distance(&elsewhere), None);
    // In Pakistan but far from the Iran–Pakistan border (Lahore): not measured either.
    let mut far = e1;
    far.position = crate::model::LonLat {
        lon: 74.3,
        lat: 31.5,
    };
    assert_eq!(state.border_distance(&far), None);
}

#[test]
fn a_file_of_several_layers_adds_a_layer_each_named_by_file_and_layer() {
    let mut state = state();
    let layer = |name: &str, lon: f64| crate::import::OverlayLayer {
        name: name.to_owned(),
        features: vec![crate::import::OverlayFeature {
            index: 0,
            id: None,
            geometry: geo::Geometry::Point(geo::Point::new(lon, 27.0)),
            properties: Default::default(),
        }],
        unlocated: Vec::new(),
    };
    let import = Import {
        file: "districts.gpkg".into(),
        format: crate::import::DetectedFormat::GeoPackage,
        content: ImportedContent::Layers(vec![layer("districts", 62.0), layer("roads", 64.0)]),
        skipped: Vec::new(),
        skipped_total: 0,
        warnings: Vec::new(),
    };
    let before = state.overlays().count();
    let first = state
        .add_import("districts.gpkg".into(), Ok(import))
        .unwrap();
    let names: Vec<&str> = state
        .overlays()
        .skip(before)
        .map(|(layer, _)| layer.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["districts.gpkg: districts", "districts.gpkg: roads"]
    );
    assert_eq!(state.overlay(first).unwrap().1.name, "districts");
}
