//! Entry point: parses the command line and starts the app. Everything else lives in the
//! library so tests can build it.

#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use strikemap::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = match Cli::parse_from_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version land here too, with exit code 0.
            let _ = error.print();
            return std::process::ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    init_logging();
    match run_window(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("the window could not be opened: {error}");
            eprintln!("strikemap: the window could not be opened: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr; RUST_LOG selects what (default: warnings).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn run_window(cli: Cli) -> eframe::Result {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Strikemap")
        .with_app_id("strikemap")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 420.0]);
    match eframe::icon_data::from_png_bytes(strikemap::app::APP_ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => tracing::warn!("the app icon could not be decoded: {error}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "strikemap",
        options,
        Box::new(move |creation_context| {
            let mut app = strikemap::StrikemapApp::from_creation_context(creation_context);
            app.open_files(cli.files, &creation_context.egui_ctx);
            Ok(Box::new(app))
        }),
    )
}
