//! Imagery at the desk: GeoTIFFs dropped on the window become imagery layers drawn under the
//! data, and two of them are compared with a swipe bar found and dragged by its label.

mod common;

use common::{app_harness, drop_file, step_until};
use egui::{Event, PointerButton, Pos2};
use egui_kittest::kittest::Queryable as _;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/core/tests/fixtures/geotiff")
        .join(name)
}

#[test]
fn two_dropped_geotiffs_are_compared_with_a_swipe_bar() {
    let mut harness = app_harness(1280.0, 800.0);
    let layers_before = harness.state().state.layers.len();
    for name in ["rgb8-4326-tiled.tif", "rgb8-3857-cog.tif"] {
        drop_file(&mut harness, &fixture(name));
    }
    step_until(&mut harness, |app| {
        app.state.layers.len() == layers_before + 2 && !app.is_loading()
    });
    assert_eq!(harness.state().state.imagery_layers().count(), 2);
    harness.get_by_label("Layers").click();
    harness.run_steps(2);
    harness
        .get_by_label("Compare imagery with a swipe bar")
        .click();
    harness.run_steps(2);
    let compare = harness.state().state.imagery_compare().expect("comparing");
    assert_eq!(compare.split, 0.5);
    // Each side's window is read and drawn.
    step_until(&mut harness, |app| app.map.imagery.pending() == 0);

    let bar = harness
        .get_by_label_contains("Swipe bar: rgb8-4326-tiled.tif on the left")
        .rect();
    let from = bar.center();
    let to = Pos2::new(from.x - 120.0, from.y);
    harness.event(Event::PointerMoved(from));
    harness.run_steps(1);
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    });
    harness.run_steps(1);
    for step in 1..=6 {
        let at = from + (to - from) * (step as f32 / 6.0);
        harness.event(Event::PointerMoved(at));
        harness.run_steps(1);
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    harness.run_steps(2);
    let moved = harness
        .state()
        .state
        .imagery_compare()
        .expect("still comparing");
    let map = harness.state().map.last_rect;
    let expected = (to.x - map.left()) / map.width();
    assert!(
        (moved.split - expected).abs() < 0.01,
        "the bar is at {} of the map, the pointer at {expected}",
        moved.split
    );
}
