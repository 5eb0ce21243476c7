//! Two small rendered snapshots of slides, so a change in their look shows in review: the
//! overview and the Panjgur strike (E1), presented with a caveat. Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test --test slide_snapshots` and look at the PNGs in
//! tests/snapshots before committing them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::{Harness, SnapshotOptions};
use strikemap::StrikemapApp;

/// Runs frames until the tiles are drawn and the camera has landed.
fn settle(harness: &mut Harness<'_, StrikemapApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        harness.run_steps(1);
        let map = &harness.state().map;
        if map.basemap.pending_tiles() == 0 && !map.is_flying() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "tiles never arrived");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(3);
}

#[test]
fn the_overview_and_the_e1_slide_look_as_reviewed() {
    let mut harness = common::app_harness(960.0, 540.0);
    harness.state_mut().settings.caveat = "UNCLASSIFIED // EXERCISE".into();
    harness.key_press(egui::Key::F5);
    settle(&mut harness);
    // Anti-aliasing differs a little between software rasterisers; a moved label does not hide
    // in this tolerance.
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
    harness.snapshot_options("slide-overview", &options);
    harness.key_press(egui::Key::ArrowRight);
    settle(&mut harness);
    assert_eq!(harness.state().state.selected_id(), Some("E1"));
    harness.snapshot_options("slide-e1", &options);
}
