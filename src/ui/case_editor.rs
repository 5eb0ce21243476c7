//! The case section of the side panel: the case's name and state (read-only, unsaved, how
//! many problems), Undo / Redo, "Add strike" (click the map, or type a position), the case's
//! own fields and its timeline statements; and the editor of the selected strike. Reads the
//! state, returns commands.

use super::case_event_editor::{event_editor_ui, read_as};
use super::case_fields::Form;
use super::case_sources::sources_editor_ui;
use crate::coords::parse_position;
use crate::state::{AppState, CaseSession, Command};
use egui::{RichText, Ui};
use strikemap_core::case::CaseStatement;
use strikemap_core::case::edit::{Edit, MetaField, SourceOwner, StatementField};

/// The case's header and editor; the selected strike's editor comes after its details
/// ([`selected_event_editor_ui`]).
pub fn case_section_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let session = state.case();
    let problems = session.problems().len();
    let mut heading = format!("Case: {}", session.display_name());
    if session.is_dirty() {
        heading.push_str(" (unsaved)");
    }
    egui::CollapsingHeader::new(heading)
        .id_salt("case-section")
        .default_open(true)
        .show(ui, |ui| {
            outside_layers_ui(ui, state, commands);
            if session.read_only {
                ui.label(
                    RichText::new(
                        "The bundled case is read-only. File › Save as… makes your own copy to \
                         edit; File › New case starts an empty one.",
                    )
                    .italics(),
                );
                return;
            }
            ui.horizontal(|ui| {
                let undo = ui
                    .add_enabled(session.can_undo(), egui::Button::new("Undo"))
                    .on_hover_text("Undo the last edit (Ctrl+Z)");
                if undo.clicked() {
                    commands.push(Command::UndoCase);
                }
                let redo = ui
                    .add_enabled(session.can_redo(), egui::Button::new("Redo"))
                    .on_hover_text("Redo (Ctrl+Shift+Z or Ctrl+Y)");
                if redo.clicked() {
                    commands.push(Command::RedoCase);
                }
                let count = if problems == 1 {
                    "1 problem".to_owned()
                } else {
                    format!("{problems} problems")
                };
                if problems == 0 {
                    ui.label(RichText::new("No problems").weak());
                } else {
                    ui.label(RichText::new(count).color(ui.visuals().error_fg_color))
                        .on_hover_text(session.problem_lines().join("\n"));
                }
                super::source_evidence::check_evidence_button(ui, session, commands);
            });
            add_strike_ui(ui, session, commands);
            layers_not_loaded_ui(ui, state, commands);
            let mut form = Form {
                commands,
                enabled: true,
            };
            egui::CollapsingHeader::new("Case details (title, as-of date, caveat)")
                .id_salt("case-meta")
                .show(ui, |ui| meta_ui(ui, session, &mut form));
            egui::CollapsingHeader::new(format!(
                "Timeline statements ({})",
                session.case.statements.len()
            ))
            .id_salt("case-statements")
            .show(ui, |ui| statements_ui(ui, session, &mut form));
            egui::CollapsingHeader::new(format!(
                "Annotations ({})",
                session.case.annotations.len()
            ))
            .id_salt("case-annotations")
            .default_open(state.annotation_draft().is_some())
            .show(ui, |ui| {
                super::case_annotations::annotations_ui(ui, state, &mut form);
            });
        });
}

/// The case's layers outside its file's folder, which could be any file on the machine: listed,
/// with "Load these layers" (remembered for this case file) and "Don't load".
fn outside_layers_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let outside = state.case_layers_awaiting_consent();
    if outside.is_empty() {
        return;
    }
    ui.colored_label(
        ui.visuals().warn_fg_color,
        "This case names layers outside its own folder. Load them only if you trust who sent \
         the case:",
    );
    for path in outside {
        ui.label(RichText::new(path.display().to_string()).monospace());
    }
    ui.horizontal(|ui| {
        if ui.button("Load these layers").clicked() {
            commands.push(Command::AnswerOutsideCaseLayers { load: true });
        }
        if ui.button("Don't load").clicked() {
            commands.push(Command::AnswerOutsideCaseLayers { load: false });
        }
    });
    ui.separator();
}

/// The case's layers whose files could not be read: named, each with "Remove from case" (the
/// case keeps them otherwise, as the file may only be out of reach for now).
fn layers_not_loaded_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let missing = state.case_layers_not_loaded();
    if missing.is_empty() {
        return;
    }
    ui.colored_label(
        ui.visuals().warn_fg_color,
        "Layers of this case that could not be loaded (kept in the case):",
    );
    for layer in missing {
        ui.horizontal(|ui| {
            ui.label(&layer.name).on_hover_text(&layer.path);
            let button = ui
                .small_button("Remove from case")
                .on_hover_text(&layer.path);
            button.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    true,
                    format!("Remove {} from the case", layer.name),
                )
            });
            if button.clicked() {
                commands.push(Command::ForgetCaseLayer(layer.path.clone().into()));
            }
        });
    }
}

/// "Add strike": then a click on the map places it; or a position typed here.
fn add_strike_ui(ui: &mut Ui, session: &CaseSession, commands: &mut Vec<Command>) {
    if !session.placing {
        if ui
            .button("Add strike")
            .on_hover_text("Then click the map where it struck, or type a position")
            .clicked()
        {
            commands.push(Command::StartPlacingStrike);
        }
        return;
    }
    ui.label(
        RichText::new("Click the map where the strike was, or type its position (Esc cancels):")
            .strong(),
    );
    let id = ui.make_persistent_id("new-strike-position");
    let mut text: String = ui.data(|data| data.get_temp(id)).unwrap_or_default();
    let field = ui.add(
        egui::TextEdit::singleline(&mut text)
            .hint_text("27.37, 62.33 · 27°22'N 62°20'E · 41R PQ 12345 67890")
            .desired_width(f32::INFINITY),
    );
    field.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Position of the new strike")
    });
    ui.data_mut(|data| data.insert_temp(id, text.clone()));
    let read = (!text.trim().is_empty()).then(|| parse_position(&text));
    // The line is always there, so that "Add strike here" stays under the pointer.
    super::case_fields::read_back_line(
        ui,
        read.as_ref().map(|read| match read {
            Ok(position) => Ok(read_as(*position)),
            Err(error) => Err(error.message.clone()),
        }),
    );
    ui.horizontal(|ui| {
        let position = read.and_then(Result::ok);
        let enter = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(position.is_some(), egui::Button::new("Add strike here"))
            .clicked();
        if (clicked || enter)
            && let Some(position) = position
        {
            // The map goes to a typed position, which may lie outside the view.
            commands.push(Command::PlaceStrikeAsTyped {
                position,
                typed: text.clone(),
            });
            commands.push(Command::ShowPlace(position));
            ui.data_mut(|data| data.remove::<String>(id));
        }
        if ui.button("Cancel placing").clicked() {
            commands.push(Command::CancelPlacing);
        }
    });
}

fn meta_ui(ui: &mut Ui, session: &CaseSession, form: &mut Form<'_>) {
    let meta = &session.case.meta;
    form.text(
        ui,
        "Title",
        "Case title",
        &meta.title,
        false,
        session.meta_problems("title"),
        |text| Edit::SetMeta(MetaField::Title(text)),
    );
    let as_of = meta.as_of;
    form.parsed(
        ui,
        "As of (YYYY-MM-DD: information collected up to)",
        "Case as-of date",
        as_of.map(|date| date.to_iso()).unwrap_or_default(),
        strikemap_core::case::parse_date,
        |_| None,
        session.meta_problems("as_of"),
        |date| (Some(date) != as_of).then_some(Edit::SetMeta(MetaField::AsOf(Some(date)))),
    );
    form.text(
        ui,
        "Caveat line shown with the briefing",
        "Case caveat",
        &meta.caveat,
        true,
        session.meta_problems("caveat"),
        |text| Edit::SetMeta(MetaField::Caveat(text)),
    );
}

fn statements_ui(ui: &mut Ui, session: &CaseSession, form: &mut Form<'_>) {
    let case = &session.case;
    for (index, statement) in case.statements.iter().enumerate() {
        let number = index + 1;
        let set = move |field: StatementField| Edit::SetStatement { index, field };
        let label = |field: &str| format!("Statement {number} {field}");
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Statement {number} ({})", statement.id)).strong());
                form.small_button(
                    ui,
                    "Remove",
                    &format!("Remove statement {number}"),
                    true,
                    || Command::EditCase(Edit::RemoveStatement { index }),
                );
            });
            let date = statement.date;
            form.parsed(
                ui,
                "Date",
                &label("date"),
                date.to_iso(),
                strikemap_core::case::parse_date,
                |_| None,
                session.statement_problems(index, "date"),
                |value| (value != date).then(|| set(StatementField::Date(value))),
            );
            form.optional(
                ui,
                "Time as reported",
                &label("time as reported"),
                statement.time_as_reported.as_deref(),
                session.statement_problems(index, "time_as_reported"),
                |value| set(StatementField::TimeAsReported(value)),
            );
            form.text(
                ui,
                "By",
                &label("by"),
                &statement.by,
                false,
                session.statement_problems(index, "by"),
                |text| set(StatementField::By(text)),
            );
            form.text(
                ui,
                "Title",
                &label("title"),
                &statement.title,
                false,
                session.statement_problems(index, "title"),
                |text| set(StatementField::Title(text)),
            );
            form.text(
                ui,
                "What was said or done",
                &label("detail"),
                &statement.detail,
                true,
                session.statement_problems(index, "detail"),
                |text| set(StatementField::Detail(text)),
            );
            form.text(
                ui,
                "Source keys (comma-separated, from the statement sources below)",
                &label("source keys"),
                &statement.source_keys.join(", "),
                false,
                session.statement_problems(index, "source_keys"),
                |text| {
                    let keys = text
                        .split(',')
                        .map(|key| key.trim().to_owned())
                        .filter(|key| !key.is_empty())
                        .collect();
                    set(StatementField::SourceKeys(keys))
                },
            );
            form.optional(
                ui,
                "Caveat (needed when the statement cites no source: say why)",
                &label("caveat"),
                statement.caveat.as_deref(),
                session.statement_problems(index, "caveat"),
                |value| set(StatementField::Caveat(value)),
            );
        });
    }
    form.button(ui, "Add statement", || {
        Command::EditCase(Edit::AddStatement {
            index: case.statements.len(),
            statement: CaseStatement {
                id: case.next_statement_id(),
                date: case
                    .meta
                    .as_of
                    .unwrap_or_else(crate::model::Date::today_utc),
                time_as_reported: None,
                by: String::new(),
                title: String::new(),
                detail: String::new(),
                source_keys: Vec::new(),
                caveat: None,
            },
        })
    });
    ui.add_space(4.0);
    ui.strong("Statement sources");
    sources_editor_ui(
        ui,
        &case.statement_sources,
        SourceOwner::Statements,
        &|index, field| session.statement_source_problems(index, field),
        form,
    );
}

/// Under the selected event's details: its editor when it is the case's, "Add to case" when it
/// is an imported dataset's.
pub fn selected_event_editor_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let session = state.case();
    if let Some(index) = state.selected_case_index() {
        if session.read_only {
            return;
        }
        ui.separator();
        let mut form = Form {
            commands,
            enabled: true,
        };
        event_editor_ui(ui, session, index, &mut form);
    } else if state.selected_dataset_event().is_some() {
        ui.separator();
        let button = ui.add_enabled(!session.read_only, egui::Button::new("Add to case"));
        let button = if session.read_only {
            button
                .on_disabled_hover_text("The bundled case is read-only: Save as… or New case first")
        } else {
            button.on_hover_text("A strike in the case from this event, citing its dataset row")
        };
        if button.clicked() {
            commands.push(Command::AddSelectedToCase);
        }
    }
}
