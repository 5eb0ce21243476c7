//! The analyst's tools on the map (issue #23): the measure tool, found by accessible labels.
//! No network, no display.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::{Harness, kittest::Queryable as _};
use strikemap::StrikemapApp;
use strikemap::model::LonLat;
use strikemap::state::ViewRequest;
use strikemap_core::measure;

fn harness() -> Harness<'static, StrikemapApp> {
    let mut harness = common::harness_with(1400.0, 900.0, |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.set_autosave_dir(None);
        app
    });
    harness.state_mut().state.pending_view = Some(ViewRequest::Show {
        center: LonLat {
            lon: 60.0,
            lat: 33.0,
        },
        zoom: 6.0,
    });
    harness.run_steps(4);
    harness
}

fn click(harness: &mut Harness<'_, StrikemapApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

fn press(harness: &mut Harness<'_, StrikemapApp>, key: Key) {
    for pressed in [true, false] {
        harness.event(Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run_steps(3);
}

fn lon_lat_at(harness: &Harness<'_, StrikemapApp>, at: Pos2) -> LonLat {
    let position = harness.state().map.projector().unproject(at.to_vec2());
    LonLat {
        lon: position.x(),
        lat: position.y(),
    }
}

/// Where on the map to click: a fraction of the map's width and height from its top left.
fn on_map(harness: &Harness<'_, StrikemapApp>, x: f32, y: f32) -> Pos2 {
    let rect = harness.state().map.last_rect;
    rect.min + egui::vec2(rect.width() * x, rect.height() * y)
}

fn copied_text(harness: &Harness<'_, StrikemapApp>) -> Option<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

#[test]
fn measuring_shows_each_leg_and_the_total_live_and_copies_them() {
    let mut harness = harness();
    click(&mut harness, "Measure");
    assert!(harness.state().state.measurement().is_some());
    let points = [
        on_map(&harness, 0.2, 0.5),
        on_map(&harness, 0.8, 0.55),
        on_map(&harness, 0.55, 0.8),
    ];
    let places: Vec<LonLat> = points.iter().map(|&at| lon_lat_at(&harness, at)).collect();
    common::pointer_click(&mut harness, points[0]);
    common::pointer_click(&mut harness, points[1]);
    // Live: the pointer resting at the third point is a third leg's end before it is clicked.
    harness.event(Event::PointerMoved(points[2]));
    harness.run_steps(2);
    let legs = measure::legs(&places);
    let lines = measure::leg_lines(&legs);
    harness.get_by_label(&lines[1]);
    harness.get_by_label(&measure::total_line(&legs));
    common::pointer_click(&mut harness, points[2]);
    // Esc ends: no more points, the result stays.
    press(&mut harness, Key::Escape);
    let measurement = harness.state().state.measurement().unwrap().clone();
    assert!(measurement.finished);
    assert_eq!(measurement.points.len(), 3);
    let elsewhere = on_map(&harness, 0.3, 0.7);
    common::pointer_click(&mut harness, elsewhere);
    assert_eq!(
        harness.state().state.measurement().unwrap().points.len(),
        3,
        "a click after Esc added a point"
    );
    for line in &lines {
        harness.get_by_label(line);
    }
    let total = measure::total_line(&legs);
    harness.get_by_label(&total);
    assert!(harness.query_by_label("Done").is_none());

    harness.get_by_label("Copy measurement").click();
    harness.run_steps(1);
    let copied = copied_text(&harness).expect("nothing was copied");
    assert!(
        copied.contains(&lines[0]) && copied.contains(&total),
        "{copied}"
    );
    assert_eq!(copied, measure::measurement_text(&places));

    // A second Esc closes it; M starts another.
    press(&mut harness, Key::Escape);
    assert!(harness.state().state.measurement().is_none());
    press(&mut harness, Key::M);
    assert!(harness.state().state.measurement().unwrap().is_adding());
    click(&mut harness, "Close");
    assert!(harness.state().state.measurement().is_none());
}
