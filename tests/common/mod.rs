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

/// A primary-button drag from `from` to `to` in `steps` moves.
pub fn drag(harness: &mut Harness<'_, StrikemapApp>, from: Pos2, to: Pos2, steps: usize) {
    harness.event(Event::PointerMoved(from));
    harness.run_steps(1);
    let button = |pos, pressed| Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    harness.event(button(from, true));
    harness.run_steps(1);
    for step in 1..=steps {
        let t = step as f32 / steps as f32;
        harness.event(Event::PointerMoved(from + (to - from) * t));
        harness.run_steps(1);
    }
    harness.event(button(to, false));
    harness.run_steps(3);
}

/// Runs frames until `done` holds for the app (at most 30 s; background work such as loading
/// and tile rendering runs on other threads).
pub fn step_until(harness: &mut Harness<'_, StrikemapApp>, done: impl Fn(&StrikemapApp) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done(harness.state()) && std::time::Instant::now() < deadline {
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(done(harness.state()), "condition not reached in time");
}

/// A file dropped on the window.
#[derive(Debug)]
pub struct DroppedPath(pub std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops `path` on the window and runs two frames.
pub fn drop_file(harness: &mut Harness<'_, StrikemapApp>, path: &std::path::Path) {
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(path.to_path_buf())));
    harness.run_steps(2);
}

/// A source with only its key and outlet.
pub fn source(key: &str, outlet: &str) -> strikemap::model::Source {
    strikemap::model::Source {
        key: key.into(),
        outlet: outlet.into(),
        date: None,
        title: None,
        note: None,
        url: None,
        read_via: None,
        ..Default::default()
    }
}
