//! The top bar: File menu, title, event count, view controls and the basemap chooser.

use crate::settings::TileSourceChoice;
use crate::state::{AppState, Command};
use egui::{RichText, Ui};
use std::path::PathBuf;

use crate::export::EventsFormat;
use crate::text::thousands;

pub fn top_bar_ui(
    ui: &mut Ui,
    state: &AppState,
    basemap: &TileSourceChoice,
    [recent_files, recent_cases]: [&[PathBuf]; 2],
    loading: &[crate::loading::Pending],
    [caveat, deck_template]: [&str; 2],
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.menu_button("File", |ui| {
            case_menu_ui(ui, state, recent_cases, &mut commands);
            ui.separator();
            if ui.button("Open…").clicked() {
                commands.push(Command::ShowOpenDialog);
                ui.close();
            }
            if ui
                .button("Open basemap…")
                .on_hover_text("Your own detailed basemap: a PMTiles (raster or vector) or MBTiles file")
                .clicked()
            {
                commands.push(Command::ShowOpenBasemapDialog);
                ui.close();
            }
            if ui.button("Export image…").clicked() {
                commands.push(Command::ExportImage);
                ui.close();
            }
            if ui
                .button("Export deck…")
                .on_hover_text("A PDF or PowerPoint deck with a slide per story step: the overview, each strike, each statement")
                .clicked()
            {
                commands.push(Command::ExportDeck);
                ui.close();
            }
            if ui.button("Copy image").clicked() {
                commands.push(Command::CopyImage);
                ui.close();
            }
            ui.separator();
            if ui.button("Export shown events as GeoJSON…").clicked() {
                commands.push(Command::ExportEvents(EventsFormat::GeoJson));
                ui.close();
            }
            if ui.button("Export shown events as CSV…").clicked() {
                commands.push(Command::ExportEvents(EventsFormat::Csv));
                ui.close();
            }
            if ui
                .button("Export shown events as KML (Google Earth)…")
                .on_hover_text("Each event a placemark with its claims and sources; large layers are not included")
                .clicked()
            {
                commands.push(Command::ExportKml { kmz: false });
                ui.close();
            }
            if ui.button("Export shown events as KMZ (Google Earth)…").clicked() {
                commands.push(Command::ExportKml { kmz: true });
                ui.close();
            }
            ui.menu_button("Open recent", |ui| {
                if recent_files.is_empty() {
                    ui.label("No recent files");
                }
                for path in recent_files {
                    if ui
                        .button(crate::state::file_name(path))
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        commands.push(Command::OpenFiles(vec![path.clone()]));
                        ui.close();
                    }
                }
            });
        });
        ui.separator();
        ui.label(RichText::new("Strikemap").strong().size(18.0));
        if let Some(title) = &state.title {
            let shown = ui.label(RichText::new(title).size(16.0));
            if let Some(caveat) = state.case_caveat() {
                shown.on_hover_text(caveat);
            }
        }
        let case = state.case();
        if let Some(store) = &case.store {
            ui.label(RichText::new(format!("({})", store.status_line())).weak());
        } else if case.read_only {
            ui.label(RichText::new("(read-only)").weak());
        } else if case.is_dirty() {
            ui.label(RichText::new("(unsaved)").weak());
        }
        ui.separator();
        let count = state.shown_events().len() + state.shown_table_rows();
        ui.label(format!(
            "{} {}",
            thousands(count),
            if count == 1 { "event" } else { "events" }
        ));
        if let Some(first) = loading.first() {
            loading_ui(ui, first, loading.len(), &mut commands);
        }
        ui.separator();
        if ui
            .button("Fit to events")
            .on_hover_text("Zoom the map to show every shown event")
            .clicked()
        {
            commands.push(Command::FitToEvents);
        }
        if ui
            .button("Reset view")
            .on_hover_text("Back to the opening view: the provinces and all events")
            .clicked()
        {
            commands.push(Command::ResetView);
        }
        let measuring = state.measurement().is_some_and(|m| m.is_adding());
        if ui
            .selectable_label(measuring, "Measure")
            .on_hover_text("Geodesic distance and bearing between points clicked on the map (M); Esc ends")
            .clicked()
        {
            commands.push(crate::state::measure_toggle(state.measurement()));
        }
        ui.separator();
        if ui
            .button("Present")
            .on_hover_text("Full-screen briefing (F5); Esc leaves")
            .clicked()
        {
            commands.push(Command::Present);
        }
        // A click into the field must not close the menu (menus close on any click by default).
        let keep_open = egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        egui::containers::menu::MenuButton::new("Caveat…")
            .config(keep_open)
            .ui(ui, |ui| {
                ui.label("Caveat or classification line, shown at the top and bottom of presentations and exported images (empty for none):");
                let mut draft = caveat.to_owned();
                let field = ui.add(egui::TextEdit::singleline(&mut draft).desired_width(320.0).hint_text("e.g. UNCLASSIFIED"));
                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Caveat line"));
                if draft != caveat {
                    commands.push(Command::SetCaveat(draft));
                }
            });
        commands.extend(crate::ui::deck_template::deck_template_menu(ui, deck_template));
        ui.separator();
        egui::ComboBox::from_label("Basemap")
            .selected_text(basemap.describe())
            .show_ui(ui, |ui| {
                for choice in [
                    TileSourceChoice::Offline,
                    TileSourceChoice::OpenStreetMap,
                    TileSourceChoice::OpenTopoMap,
                ] {
                    if ui
                        .selectable_label(basemap == &choice, choice.label())
                        .clicked()
                        && basemap != &choice
                    {
                        commands.push(Command::ChooseBasemap(choice));
                    }
                }
                let custom = matches!(basemap, TileSourceChoice::CustomXyz { .. });
                if ui.selectable_label(custom, "Custom XYZ URL…").clicked() {
                    commands.push(Command::AskForCustomUrl);
                }
                if let TileSourceChoice::File { .. } = basemap {
                    let _ = ui.selectable_label(true, basemap.describe());
                }
                if ui.selectable_label(false, "Open basemap file…").clicked() {
                    commands.push(Command::ShowOpenBasemapDialog);
                }
            });
        if basemap.is_online() {
            ui.label(
                RichText::new("online: tiles load when the network allows")
                    .small()
                    .weak(),
            );
        }
    });
    commands
}

/// The File menu's case items: New case, Open case…, Save, Save as…, Recent cases.
fn case_menu_ui(
    ui: &mut Ui,
    state: &AppState,
    recent_cases: &[PathBuf],
    commands: &mut Vec<Command>,
) {
    let case = state.case();
    let items = [
        (
            "New case",
            "An empty case to build a briefing in",
            true,
            Command::NewCase,
        ),
        (
            "Open case…",
            "A case file (or an events file, opened as a case)",
            true,
            Command::ShowOpenCaseDialog,
        ),
        (
            "Save",
            "Save the case to its file",
            !case.read_only && case.store.is_none(),
            Command::SaveCase,
        ),
        (
            if case.store.is_some() {
                "Save a copy as file…"
            } else {
                "Save as…"
            },
            "Save the case to a new file (the bundled case: your own copy to edit)",
            true,
            Command::ShowSaveCaseAsDialog,
        ),
        (
            "Export case bundle…",
            "One zip with the case, its layers' and evidence files and their SHA-256 hashes",
            true,
            Command::ShowExportBundleDialog,
        ),
        (
            "Open case bundle…",
            "Unpack a case bundle into a folder, check its hashes and open the case",
            true,
            Command::ShowOpenBundleDialog,
        ),
        (
            "Open from team store…",
            "A case from the team's shared store (PostgreSQL), edited live with the team",
            true,
            Command::ShowTeamStoreDialog { publish: false },
        ),
        (
            "Publish to team store…",
            "This case as a new case in the team's shared store",
            true,
            Command::ShowTeamStoreDialog { publish: true },
        ),
    ];
    for (text, hint, enabled, command) in items {
        if ui
            .add_enabled(enabled, egui::Button::new(text))
            .on_hover_text(hint)
            .clicked()
        {
            commands.push(command);
            ui.close();
        }
    }
    ui.menu_button("Recent cases", |ui| {
        if recent_cases.is_empty() {
            ui.label("No recent cases");
        }
        for path in recent_cases {
            let label = format!("Case: {}", crate::state::file_name(path));
            if ui
                .button(label)
                .on_hover_text(path.display().to_string())
                .clicked()
            {
                commands.push(Command::OpenCase(path.clone()));
                ui.close();
            }
        }
    });
}

/// The file being read: its name, a progress bar and Cancel.
fn loading_ui(
    ui: &mut Ui,
    first: &crate::loading::Pending,
    files: usize,
    commands: &mut Vec<Command>,
) {
    let progress = &first.progress;
    let fraction = progress.fraction();
    let text = if progress.total_bytes() > 0 && fraction >= 1.0 {
        format!(
            "{}: building the map index…",
            crate::state::file_name(&first.path)
        )
    } else if progress.total_bytes() > 0 {
        format!(
            "{}: {:.0} of {:.0} MB",
            crate::state::file_name(&first.path),
            progress.done_bytes() as f64 / 1e6,
            progress.total_bytes() as f64 / 1e6
        )
    } else {
        format!("{}: loading…", crate::state::file_name(&first.path))
    };
    let bar = ui.add(
        egui::ProgressBar::new(fraction)
            .desired_width(260.0)
            .text(text.clone()),
    );
    bar.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::ProgressIndicator,
            true,
            format!("Loading {text}"),
        )
    });
    if files > 1 {
        ui.label(format!("+{} more", files - 1));
    }
    if ui
        .button("Cancel")
        .on_hover_text("Stop loading; what was loaded before stays")
        .clicked()
    {
        commands.push(Command::CancelLoading);
    }
}
