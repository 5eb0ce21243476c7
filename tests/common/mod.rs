//! Helpers shared by the UI tests: one way to build the app in a harness and to click.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use egui::{Event, PointerButton, Pos2};
use egui_kittest::Harness;
use strikemap::StrikemapApp;

/// The app with the offline basemap (no network) in a harness of the given size, a few frames in.
pub fn app_harness(width: f32, height: f32) -> Harness<'static, StrikemapApp> {
    harness_with(width, height, StrikemapApp::new_offline)
}

/// The app that `make` builds in a harness of the given size, a few frames in: the one way
/// every UI test builds the app.
pub fn harness_with(
    width: f32,
    height: f32,
    make: impl FnOnce(&egui::Context) -> StrikemapApp + 'static,
) -> Harness<'static, StrikemapApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_theme(egui::Theme::Light)
        .build_eframe(|creation_context| make(&creation_context.egui_ctx));
    harness.run_steps(3);
    harness
}

/// A primary-button pointer click at a screen position.
pub fn pointer_click(harness: &mut Harness<'_, StrikemapApp>, at: Pos2) {
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
