//! The whole app in an egui_kittest harness: find widgets by their accessible label, click,
//! assert on state. No network (offline basemap), no display.

use egui::{Event, PointerButton, Pos2, pos2};
use egui_kittest::{Harness, kittest::Queryable as _};
use strikemap::StrikemapApp;
use strikemap::map::to_position;
use strikemap::ui::side_panel::event_list_label;

fn harness() -> Harness<'static, StrikemapApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_theme(egui::Theme::Light)
        .build_eframe(|creation_context| StrikemapApp::new_offline(&creation_context.egui_ctx));
    harness.run_steps(3);
    harness
}

fn label_of(harness: &Harness<'_, StrikemapApp>, id: &str) -> String {
    event_list_label(harness.state().state.event(id).expect("event exists"))
}

/// Where the map draws a strike, from the projector of the last frame.
fn marker_screen_position(harness: &Harness<'_, StrikemapApp>, id: &str) -> Pos2 {
    let app = harness.state();
    let event = app.state.event(id).expect("event exists");
    app.map
        .projector()
        .project(to_position(event.position))
        .to_pos2()
}

fn pointer_click(harness: &mut Harness<'_, StrikemapApp>, at: Pos2) {
    harness.event(Event::PointerMoved(at));
    harness.run_steps(1);
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        });
        harness.run_steps(1);
    }
    harness.run_steps(2);
}

#[test]
fn starts_with_both_events_listed_and_nothing_selected() {
    let harness = harness();
    assert_eq!(harness.state().state.events.len(), 2);
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
    pointer_click(&mut harness, at);
    assert_eq!(harness.state().state.selected_id(), Some("E2"));
    harness.get_by_label("Pakistan strikes Saravan county, Sistan and Baluchestan");
    harness.get_by_label("Haalvsh (Baloch rights group)");
}

#[test]
fn a_click_within_the_tolerance_but_off_the_shape_still_selects() {
    let mut harness = harness();
    let at = marker_screen_position(&harness, "E1") + egui::vec2(11.0, 0.0);
    pointer_click(&mut harness, at);
    assert_eq!(harness.state().state.selected_id(), Some("E1"));
}

#[test]
fn a_click_on_empty_map_keeps_the_selection_and_esc_clears_it() {
    let mut harness = harness();
    let e2 = marker_screen_position(&harness, "E2");
    pointer_click(&mut harness, e2);
    assert_eq!(harness.state().state.selected_id(), Some("E2"));

    let map_rect = harness.state().map.last_rect;
    let empty = pos2(map_rect.left() + 40.0, map_rect.top() + 40.0);
    for id in ["E1", "E2"] {
        assert!(marker_screen_position(&harness, id).distance(empty) > 50.0);
    }
    pointer_click(&mut harness, empty);
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
    // Fitted, not just visible: the box spans most of one axis.
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
