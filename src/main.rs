//! Entry point: starts the app. Everything else lives in the library so tests can build it.

#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> eframe::Result {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Strikemap")
            .with_app_id("strikemap")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Strikemap",
        options,
        Box::new(|creation_context| {
            Ok(Box::new(strikemap::StrikemapApp::from_creation_context(
                creation_context,
            )))
        }),
    )
}
