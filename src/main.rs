//! Entry point: parses the command line and starts the app. Everything else lives in the
//! library so tests can build it.

#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use strikemap::cli::{Cli, Subcommand};

/// Loading a large file allocates and frees millions of small strings on every core; mimalloc
/// does that markedly faster than the system allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options, read from the environment when the process starts: commit arena
/// memory as it is used, and hand freed memory back at once. Measured on the idle app with the
/// bundled data (1600×900, software rendering): 322 MB resident with the defaults, 229 MB with
/// these, and loading a million events no slower (docs/performance.md).
const ALLOCATOR_ENVIRONMENT: [(&str, &str); 2] = [
    ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ("MIMALLOC_PURGE_DELAY", "0"),
];

/// mimalloc reads its options before `main` runs, so on Unix the program starts itself again
/// (exec, same process id) with them set, unless they are set already (or the user set them
/// otherwise). If that cannot be done it simply carries on with the defaults.
#[cfg(unix)]
fn with_allocator_environment() {
    use std::os::unix::process::CommandExt as _;
    if ALLOCATOR_ENVIRONMENT
        .iter()
        .all(|(name, _)| std::env::var_os(name).is_some())
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut command = std::process::Command::new(exe);
    command.args(std::env::args_os().skip(1));
    for (name, value) in ALLOCATOR_ENVIRONMENT {
        if std::env::var_os(name).is_none() {
            command.env(name, value);
        }
    }
    // Only returns if the exec failed.
    let _ = command.exec();
}

#[cfg(not(unix))]
fn with_allocator_environment() {}

fn main() -> std::process::ExitCode {
    with_allocator_environment();
    let _ = strikemap::app::PROCESS_START.set(std::time::Instant::now());
    let cli = match Cli::parse_from_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version land here too, with exit code 0.
            let _ = error.print();
            return std::process::ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    init_logging();
    if let Some(Subcommand::Validate { files }) = &cli.command {
        let report = strikemap::validate::validate_paths_trusting(files, cli.trust_layers);
        for line in &report.lines {
            println!("{line}");
        }
        return std::process::ExitCode::from(u8::try_from(report.exit_code).unwrap_or(1));
    }
    if let Some(Subcommand::Store { store, action }) = &cli.command {
        let Some(url) = store else {
            eprintln!("strikemap: name the store with --store URL (or STRIKEMAP_STORE)");
            return std::process::ExitCode::from(2);
        };
        let report = strikemap::store_cli::run(url, action);
        for line in &report.lines {
            println!("{line}");
        }
        for line in &report.errors {
            eprintln!("strikemap: {line}");
        }
        return std::process::ExitCode::from(report.exit_code);
    }
    if cli.export_png.is_some() || cli.export_deck.is_some() {
        let mut cli = cli;
        if let (Some(url), Some(id)) = (&cli.store, cli.case_id) {
            match strikemap::store_cli::fetch_case(url, id, cli.as_of.as_deref()) {
                Ok(path) => cli.case = Some(path),
                Err(error) => {
                    eprintln!("strikemap: {error}");
                    return std::process::ExitCode::from(2);
                }
            }
        }
        return run_export(cli);
    }
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

/// `--export-png` and `--export-deck`: a window of exactly the image's size draws the slides,
/// saves them and closes.
fn run_export(cli: Cli) -> std::process::ExitCode {
    // A basemap file that cannot be read fails the export before any window opens.
    if let Some(path) = cli.style.as_ref().or(cli.basemap.as_ref())
        && let Err(error) = strikemap_tilefile::TileArchive::open_basemap(path)
    {
        eprintln!("strikemap: {error}");
        return std::process::ExitCode::from(2);
    }
    let [width, height] = cli.pixel_size();
    let pixels_per_point = cli.pixels_per_point();
    let png_job = cli.export_png.clone().map(|path| {
        strikemap::present::ExportJob::new(
            strikemap::present::ExportTarget::Png(path),
            [width, height],
            true,
        )
    });
    let outcome_slot: std::sync::Arc<std::sync::Mutex<Option<strikemap::present::ExportOutcome>>> =
        Default::default();
    if let Some(job) = &png_job
        && let Ok(mut slot) = outcome_slot.lock()
    {
        *slot = Some(std::sync::Arc::clone(&job.outcome));
    }
    let deck_outcome = std::sync::Arc::clone(&outcome_slot);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Strikemap export")
            .with_app_id("strikemap-export")
            .with_inner_size([width as f32, height as f32])
            .with_resizable(false),
        persist_window: false,
        ..Default::default()
    };
    let mut event_error = None;
    let result = eframe::run_native(
        "strikemap",
        options,
        Box::new(|creation_context| {
            creation_context
                .egui_ctx
                .set_pixels_per_point(pixels_per_point);
            let mut app = strikemap::StrikemapApp::from_creation_context(creation_context);
            app.export_only = true;
            app.set_autosave_dir(None);
            if let Some(caveat) = &cli.caveat {
                app.settings.caveat.clone_from(caveat);
            }
            app.trust_case_layers = cli.trust_layers;
            if let Some(path) = &cli.case
                && let Err(error) = app.open_case_file(path)
            {
                event_error = Some(error);
                creation_context
                    .egui_ctx
                    .send_viewport_cmd(egui::ViewportCommand::Close);
            }
            skip_outside_case_layers(&mut app);
            // The files named are drawn, as in the window; loaded before the slide is taken.
            if event_error.is_none()
                && let Err(error) = app.load_files_now(&cli.files)
            {
                event_error = Some(error);
                creation_context
                    .egui_ctx
                    .send_viewport_cmd(egui::ViewportCommand::Close);
            }
            if let Some((lon, lat, zoom)) = cli.view {
                app.state.pending_view = Some(strikemap::state::ViewRequest::Show {
                    center: strikemap::model::LonLat { lon, lat },
                    zoom,
                });
            }
            if let Some(path) = cli.style.as_ref().or(cli.basemap.as_ref())
                && let Err(error) = app.open_basemap_file(path)
            {
                event_error = Some(error);
                creation_context
                    .egui_ctx
                    .send_viewport_cmd(egui::ViewportCommand::Close);
            }
            if let Some(id) = &cli.event
                && let Err(error) = app.select_event_by_id(id)
            {
                event_error = Some(error);
                creation_context
                    .egui_ctx
                    .send_viewport_cmd(egui::ViewportCommand::Close);
            }
            // --center wins over the event's framing (the hidden --view of "Export image…" does
            // not: there the selected event is framed, as before).
            if let Some(view) = cli.start_view() {
                app.state.pending_view = Some(view);
            }
            match png_job {
                Some(job) => app.start_export(job),
                None => {
                    if let Some(path) = cli.export_deck.clone() {
                        let outcome = app.start_deck(path, cli.format, [width, height], true);
                        if let Ok(mut slot) = deck_outcome.lock() {
                            *slot = Some(outcome);
                        }
                    }
                }
            }
            Ok(Box::new(app))
        }),
    );
    if let Some(error) = event_error {
        eprintln!("strikemap: {error}");
        return std::process::ExitCode::from(2);
    }
    if let Err(error) = result {
        eprintln!("strikemap: the export window could not be opened: {error}");
        return std::process::ExitCode::FAILURE;
    }
    let outcome = outcome_slot.lock().ok().and_then(|mut slot| slot.take());
    match outcome.and_then(|outcome| outcome.lock().ok().and_then(|mut outcome| outcome.take())) {
        Some(Ok(message)) => {
            println!("{message}");
            std::process::ExitCode::SUCCESS
        }
        Some(Err(error)) => {
            eprintln!("strikemap: {error}");
            std::process::ExitCode::FAILURE
        }
        None => {
            eprintln!("strikemap: the window closed before the image was taken");
            std::process::ExitCode::FAILURE
        }
    }
}

/// An export without `--trust-layers`: the case's layers outside its folder are not read, and
/// the user is told which.
fn skip_outside_case_layers(app: &mut strikemap::StrikemapApp) {
    let outside = app.state.case_layers_awaiting_consent().to_vec();
    if outside.is_empty() {
        return;
    }
    let listed: Vec<String> = outside
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    eprintln!(
        "strikemap: skipped {} layer(s) of the case outside its folder (--trust-layers reads \
         them): {}",
        listed.len(),
        listed.join(", ")
    );
    app.apply(strikemap::state::Command::AnswerOutsideCaseLayers { load: false });
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
            if let Some(path) = &cli.case
                && let Err(error) = app.open_case_file(path)
            {
                app.state.messages.push(error);
            }
            if let (Some(url), Some(case_id)) = (&cli.store, cli.case_id) {
                app.open_store_case(strikemap::team::StoreCaseAddress {
                    url: url.clone(),
                    case_id,
                    as_of: cli.as_of.clone(),
                });
            }
            if let Some(view) = cli.start_view() {
                app.state.pending_view = Some(view);
            }
            if let Some(path) = cli.style.as_ref().or(cli.basemap.as_ref())
                && let Err(error) = app.open_basemap_file(path)
            {
                app.state.messages.push(error);
            }
            app.open_files(cli.files, &creation_context.egui_ctx);
            Ok(Box::new(app))
        }),
    )
}
