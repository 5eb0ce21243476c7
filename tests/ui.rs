//! The whole app in an egui_kittest harness: find widgets by their accessible label, click,
//! assert on state. No network (offline basemap), no display.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui::{Event, PointerButton, Pos2, pos2};
use egui_kittest::{Harness, kittest::Queryable as _};
use strikemap::StrikemapApp;
use strikemap::describe::event_list_label;
use strikemap::map::to_position;

fn harness() -> Harness<'static, StrikemapApp> {
    common::app_harness(1280.0, 800.0)
}

fn label_of(harness: &Harness<'_, StrikemapApp>, id: &str) -> String {
    event_list_label(
        harness
            .state()
            .state
            .find_event(id)
            .expect("event exists")
            .1,
    )
}

/// Where the map draws a strike, from the projector of the last frame.
fn marker_screen_position(harness: &Harness<'_, StrikemapApp>, id: &str) -> Pos2 {
    let app = harness.state();
    let (_, event) = app.state.find_event(id).expect("event exists");
    app.map
        .projector()
        .project(to_position(event.position))
        .to_pos2()
}

#[test]
fn starts_with_both_events_listed_and_nothing_selected() {
    let harness = harness();
    assert_eq!(harness.state().state.shown_events().len(), 2);
    harness.get_by_label(&label_of(&harness, "E1"));
    harness.get_by_label(&label_of(&harness, "E2"));
    harness.get_by_label("2 events");
    assert_eq!(harness.state().state.selected_id(), None);
    harness.get_by_label("Click a marker or an event above to read its details.");
}

#[test]
fn clicking_the_panjgur_entry_shows_its_casualty_table() {
    let mut harness = harness();
    let label = label_of(&harness, "E1");
    assert!(label.contains("Panjgur"));
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    assert_eq!(harness.state().state.selected_id(), Some("E1"));

    harness.get_by_label("Iran strikes Panjgur district, Balochistan");
    // Al Jazeera's claim: at least 2 killed, 3 injured; and the Pakistan Foreign Office's.
    harness.get_by_label("Pakistan Foreign Office");
    harness.get_by_label("[A1]");
    harness.get_by_label("[F1]");
    harness.get_by_label("≥2");
    assert!(
        harness.get_all_by_label("3").count() >= 2,
        "injured 3 (Al Jazeera, FO)"
    );
    harness.get_by_label("district level, within ~60 km (ACLED geo_precision 3)");
    // The conflict note on the victims' ages.
    harness.get_by_label_contains("Victims' ages differ");
}

#[test]
fn a_pointer_click_on_the_saravan_marker_selects_e2() {
    let mut harness = harness();
    let at = marker_screen_position(&harness, "E2");
    let map_rect = harness.state().map.last_rect;
    assert!(
        map_rect.contains(at),
        "the marker {at:?} is on the map {map_rect:?}"
    );
    common::pointer_click(&mut harness, at);
    assert_eq!(harness.state().state.selected_id(), Some("E2"));
    harness.get_by_label("Pakistan strikes Saravan county, Sistan and Baluchestan");
    harness.get_by_label("Haalvsh (Baloch rights group)");
}

#[test]
fn a_click_within_the_tolerance_but_off_the_shape_still_selects() {
    let mut harness = harness();
    let at = marker_screen_position(&harness, "E1") + egui::vec2(11.0, 0.0);
    common::pointer_click(&mut harness, at);
    assert_eq!(harness.state().state.selected_id(), Some("E1"));
}

#[test]
fn a_click_on_empty_map_keeps_the_selection_and_esc_clears_it() {
    let mut harness = harness();
    let e2 = marker_screen_position(&harness, "E2");
    common::pointer_click(&mut harness, e2);
    assert_eq!(harness.state().state.selected_id(), Some("E2"));

    let map_rect = harness.state().map.last_rect;
    let empty = pos2(map_rect.left() + 40.0, map_rect.top() + 40.0);
    for id in ["E1", "E2"] {
        assert!(marker_screen_position(&harness, id).distance(empty) > 50.0);
    }
    common::pointer_click(&mut harness, empty);
    assert_eq!(harness.state().state.selected_id(), Some("E2"));

    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().state.selected_id(), None);
}

#[test]
fn markers_are_accessible_buttons() {
    let mut harness = harness();
    harness
        .get_by_label_contains("Strike E2: Pakistan strikes Saravan county")
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().state.selected_id(), Some("E2"));
}

#[test]
fn the_view_opens_fitted_to_both_provinces() {
    let harness = harness();
    let app = harness.state();
    let projector = app.map.projector();
    let rect = app.map.last_rect;
    let bounds = app.state.overview_bounds().unwrap();
    for (lon, lat) in [
        (bounds.min.lon, bounds.min.lat),
        (bounds.max.lon, bounds.max.lat),
    ] {
        let at = projector.project(walkers::lat_lon(lat, lon)).to_pos2();
        assert!(
            rect.expand(1.0).contains(at),
            "corner {lon},{lat} at {at:?} outside {rect:?}"
        );
    }
    // Fitted, not just visible: the box spans most of one axis of the room the furniture
    // (legend, scale bar, inset, attribution, zoom buttons) leaves.
    let layout = app.map.last_layout.as_ref().unwrap();
    let free = strikemap::map::slide_layout::largest_free_rect(rect.shrink(8.0), &layout.rects());
    let rect = free;
    let a = projector
        .project(walkers::lat_lon(bounds.min.lat, bounds.min.lon))
        .to_pos2();
    let b = projector
        .project(walkers::lat_lon(bounds.max.lat, bounds.max.lon))
        .to_pos2();
    let used = ((b.x - a.x).abs() / rect.width()).max((b.y - a.y).abs() / rect.height());
    assert!(used > 0.8, "the provinces fill {used:.2} of the map");
}

#[test]
fn fit_to_events_zooms_in_on_the_strikes() {
    let mut harness = harness();
    let before = harness.state().map.memory.zoom();
    harness.get_by_label("Fit to events").click();
    harness.run_steps(3);
    let after = harness.state().map.memory.zoom();
    assert!(after > before, "zoom {before} -> {after}");
    let rect = harness.state().map.last_rect;
    for id in ["E1", "E2"] {
        assert!(rect.contains(marker_screen_position(&harness, id)));
    }
}

#[test]
fn the_attribution_is_on_the_map() {
    let harness = harness();
    let credit = harness.get_by_label("Made with Natural Earth");
    let map_rect = harness.state().map.last_rect;
    assert!(map_rect.contains(credit.rect().center()));
    assert!(
        credit.rect().center().x > map_rect.center().x,
        "bottom-right"
    );
    assert!(
        credit.rect().center().y > map_rect.center().y,
        "bottom-right"
    );
}

#[test]
fn zoom_buttons_and_keys_change_the_zoom() {
    let mut harness = harness();
    let start = harness.state().map.memory.zoom();
    harness.get_by_label("Zoom in").click();
    harness.run_steps(2);
    assert_eq!(harness.state().map.memory.zoom(), start + 1.0);
    harness.key_press(egui::Key::Minus);
    harness.run_steps(2);
    harness.key_press(egui::Key::Minus);
    harness.run_steps(2);
    assert_eq!(harness.state().map.memory.zoom(), start - 1.0);
    harness.get_by_label("Zoom out").click();
    harness.run_steps(2);
    assert_eq!(harness.state().map.memory.zoom(), start - 2.0);
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("strikemap-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn a_dropped_file_becomes_a_layer_and_a_recent_file() {
    let mut harness = harness();
    let path = temp_file(
        "dropped.geojson",
        // The bundled events as an events file (a case file would open as the case).
        &strikemap::export::events_to_geojson(
            None,
            &strikemap::formats::bundled::bundled_events()
                .unwrap()
                .events,
        ),
    );
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(common::DroppedPath(path.clone())));
    harness.run_steps(1);
    common::step_until(&mut harness, |app| app.state.layers.len() == 2);
    assert_eq!(harness.state().state.shown_events().len(), 4);
    assert_eq!(harness.state().settings.recent_files, [path]);
    harness.run_steps(2);
    harness.get_by_label("4 events");
}

#[test]
fn a_bad_file_is_reported_and_nothing_loaded_before_changes() {
    let mut harness = harness();
    let e1 = label_of(&harness, "E1");
    harness.get_by_label(&e1).click();
    harness.run_steps(2);
    let bad = temp_file(
        "bad.geojson",
        "{\"type\": \"FeatureCollection\", \"features\": [",
    );
    let ctx = harness.ctx.clone();
    harness.state_mut().open_files(vec![bad.clone()], &ctx);
    common::step_until(&mut harness, |app| !app.state.messages.is_empty());
    harness.run_steps(2);
    let message = &harness.state().state.messages[0];
    assert!(
        message.starts_with(&format!("{}:1:", bad.display())),
        "{message}"
    );
    assert_eq!(harness.state().state.layers.len(), 1);
    assert_eq!(harness.state().state.selected_id(), Some("E1"));
    assert!(harness.state().settings.recent_files.is_empty());
    harness.get_by_label_contains("not valid JSON");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(harness.state().state.messages.is_empty());
}

#[test]
fn layers_can_be_hidden_from_the_panel() {
    let mut harness = harness();
    harness.get_by_label("Layers").click();
    harness.run_steps(2);
    harness.get_by_label("Bundled strikes (2 events)").click();
    harness.run_steps(2);
    assert_eq!(harness.state().state.shown_events().len(), 0);
    harness.get_by_label("0 events");
    // The legend lists the provinces while the map draws them, and not after.
    harness.get_by_label_contains("Legend;");
    harness.get_by_label_contains("Balochistan province (Pakistan)");
    harness.get_by_label("Provinces (Natural Earth)").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("Balochistan province (Pakistan)")
            .is_none(),
        "the map still draws the provinces"
    );
    assert!(
        !harness.state().settings.layers.provinces,
        "visibility is remembered"
    );
}

#[test]
fn reset_view_returns_to_the_overview() {
    let mut harness = harness();
    let start = harness.state().map.memory.zoom();
    harness.get_by_label("Zoom in").click();
    harness.run_steps(2);
    harness.get_by_label("Reset view").click();
    harness.run_steps(3);
    assert!((harness.state().map.memory.zoom() - start).abs() < 1e-9);
}

#[test]
fn f5_presents_right_steps_in_time_order_and_esc_leaves() {
    let mut harness = harness();
    harness.key_press(egui::Key::F5);
    harness.run_steps(2);
    assert!(harness.state().is_presenting());
    // The slide is scaled to the window's height: 720 points tall.
    let height = harness.ctx.content_rect().height();
    assert!((height - 720.0).abs() < 1.0, "{height}");
    harness.get_by_label_contains("Esc: leave");

    let mut order = Vec::new();
    for _ in 0..4 {
        harness.key_press(egui::Key::ArrowRight);
        harness.run_steps(2);
        let item = match harness.state().state.current_story_item().unwrap() {
            strikemap::state::StoryItem::Event(event_ref) => event_ref.id,
            strikemap::state::StoryItem::Statement(id) => id,
        };
        order.push(item);
    }
    // The Panjgur strike (16 Jan), Pakistan's protest that night, the recall (17 Jan), then
    // the Saravan strike (18 Jan).
    assert_eq!(order, ["E1", "D1", "D2", "E2"]);
    harness.get_by_label("Toll, as each claimant gives it");
    harness.key_press(egui::Key::PageUp);
    harness.run_steps(2);
    assert_eq!(
        harness.state().state.current_story_item(),
        Some(strikemap::state::StoryItem::Statement("D2".into()))
    );
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    assert_eq!(harness.state().state.current_story_item(), None);

    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().is_presenting());
    assert_eq!(harness.ctx.zoom_factor(), 1.0);
    harness.get_by_label("Fit to events");
}

#[test]
fn stepping_to_a_strike_flies_the_map_to_it() {
    let mut harness = harness();
    harness.get_by_label("Next").click();
    // Let the flight run its course (the harness steps time by a fixed dt).
    for _ in 0..200 {
        harness.step();
    }
    // The strike, its circle and its border line are framed in the room the furniture leaves,
    // and nothing covers them.
    let at = marker_screen_position(&harness, "E1");
    let map = &harness.state().map;
    let layout = map.last_layout.as_ref().unwrap();
    let free =
        strikemap::map::slide_layout::largest_free_rect(map.last_rect.shrink(8.0), &layout.rects());
    assert!(free.contains(at), "E1 at {at:?}, outside {free:?}");
    let focus = map.last_focus.unwrap();
    assert!(focus.contains(at));
    for (name, rect) in layout.named_rects() {
        assert!(!focus.intersects(rect), "the {name} covers {focus:?}");
    }
}

#[test]
fn narrowing_the_timeline_hides_an_event_from_the_map_and_the_list() {
    let mut harness = harness();
    let e1_label = label_of(&harness, "E1");
    harness.get_by_label(&e1_label);
    // Drag across the timeline from the 17th to the 18th.
    let d2 = harness
        .get_by_label_contains("Timeline: 17 Jan 2024")
        .rect()
        .center();
    let e2 = harness
        .get_by_label_contains("Timeline: 18 Jan 2024 Pakistan strikes")
        .rect()
        .center();
    let from = egui::pos2(d2.x, d2.y + 12.0);
    let to = egui::pos2(e2.x, e2.y + 30.0);
    harness.event(Event::PointerMoved(from));
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    });
    harness.run_steps(1);
    for step in 1..=5 {
        harness.event(Event::PointerMoved(
            from + (to - from) * (step as f32 / 5.0),
        ));
        harness.run_steps(1);
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    harness.run_steps(2);

    let window = harness
        .state()
        .state
        .time_window()
        .expect("a range is chosen");
    assert_eq!(
        strikemap::model::format_date_range(window.0, window.1),
        "17–18 Jan 2024"
    );
    harness.get_by_label("17–18 Jan 2024");
    assert!(
        harness.query_by_label(&e1_label).is_none(),
        "E1 left the list"
    );
    assert!(
        harness.query_by_label_contains("Strike E1:").is_none(),
        "E1 left the map"
    );
    harness.get_by_label_contains("Strike E2:");
    harness.get_by_label("All dates").click();
    harness.run_steps(2);
    harness.get_by_label(&e1_label);
}

#[test]
fn the_legend_lists_both_attackers() {
    let harness = harness();
    harness.get_by_label_contains("Legend;");
    harness.get_by_label_contains("; Strike by Iran;");
    harness.get_by_label_contains("; Strike by Pakistan;");
}

#[test]
fn the_selected_strike_shows_its_distance_to_the_border() {
    let mut harness = harness();
    harness.get_by_label(&label_of(&harness, "E1")).click();
    harness.run_steps(2);
    harness.get_by_label_contains("km inside Pakistan (to the nearest point of the Iran–Pakistan border), location uncertain by ±60 km");
}

/// The caveat typed in the top bar reaches the child process that renders "Export image…".
#[test]
fn the_image_export_carries_the_caveat_line() {
    let mut harness = harness();
    harness.get_by_label("Caveat…").click();
    harness.run_steps(2);
    harness.get_by_label("Caveat line").click();
    harness.run_steps(1);
    harness
        .get_by_label("Caveat line")
        .type_text("UNCLASSIFIED // TEST");
    harness.run_steps(2);
    assert_eq!(harness.state().settings.caveat, "UNCLASSIFIED // TEST");
    let args = harness
        .state()
        .export_image_args(std::path::Path::new("/tmp/out.png"));
    let caveat = args
        .iter()
        .position(|arg| arg == "--caveat")
        .expect("--caveat");
    assert_eq!(args[caveat + 1], "UNCLASSIFIED // TEST", "{args:?}");
    assert_eq!(args[1], "/tmp/out.png");
}

/// "Export image…" and "Export deck…" pass the shown layers' files to the child that draws
/// them (after `--`), and a hidden layer's file not (issue #24).
#[test]
fn the_image_and_deck_exports_carry_the_shown_layers() {
    let mut harness = harness();
    let path = temp_file(
        "export-layer.geojson",
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
            "geometry": {"type": "Point", "coordinates": [64.0, 27.0]}}]}"#,
    );
    let ctx = harness.ctx.clone();
    harness.state_mut().open_files(vec![path.clone()], &ctx);
    common::step_until(&mut harness, |app| app.state.layers.len() == 2);
    let shown = path.display().to_string();
    for args in [
        harness
            .state()
            .export_image_args(std::path::Path::new("/tmp/out.png")),
        harness
            .state()
            .export_deck_args(std::path::Path::new("/tmp/deck.pdf")),
    ] {
        let files = args
            .iter()
            .position(|arg| arg == "--")
            .unwrap_or_else(|| panic!("no files in {args:?}"));
        assert_eq!(args[files + 1..], *std::slice::from_ref(&shown), "{args:?}");
    }
    let layer = harness.state().state.layers[1].id;
    harness
        .state_mut()
        .apply(strikemap::state::Command::SetLayerVisible(layer, false));
    let args = harness
        .state()
        .export_image_args(std::path::Path::new("/tmp/out.png"));
    assert!(
        !args.contains(&shown),
        "a hidden layer is exported: {args:?}"
    );
}

/// File → Export shown events as KML / KMZ: the shown events, each a placemark that the KML
/// reader reads back at the same place, in the map's colours.
#[test]
fn the_shown_events_export_as_kml_and_kmz() {
    let mut harness = harness();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export shown events as KML (Google Earth)…");
    harness.get_by_label("Export shown events as KMZ (Google Earth)…");
    let app = harness.state();
    let kml = String::from_utf8(app.shown_events_as_kml(false).unwrap()).unwrap();
    assert_eq!(kml.matches("<Placemark").count(), 2, "{kml}");
    assert!(kml.contains("Panjgur") && kml.contains("Saravan"));
    // The story is a Google Earth tour: the overview and a fly-to per step, each held.
    let steps = 1 + app.state.story().len();
    assert_eq!(kml.matches("<gx:FlyTo>").count(), steps, "{kml}");
    assert_eq!(kml.matches("<gx:Wait>").count(), steps);
    // Iran's strikes in the map's vermillion (KML colours are aabbggrr).
    assert!(kml.to_lowercase().contains("ff005ed5"), "{kml}");
    let kmz = app.shown_events_as_kml(true).unwrap();
    assert!(kmz.starts_with(b"PK\x03\x04"));
    let back = strikemap::import::import_bytes("events.kmz", &kmz).unwrap();
    let (e1, _) = app
        .state
        .find_event("E1")
        .map(|(r, e)| (e.position, r))
        .unwrap();
    let overlay = back.overlay().expect("an overlay");
    assert_eq!(overlay.features.len(), 2);
    assert!(overlay.features.iter().any(|feature| {
        matches!(feature.geometry, geo::Geometry::Point(point)
            if (point.x() - e1.lon).abs() < 1e-6 && (point.y() - e1.lat).abs() < 1e-6)
    }));
}
