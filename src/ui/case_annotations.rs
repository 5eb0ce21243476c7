//! The case editor's Annotations section: "Add arrow", "Add callout", "Add range rings",
//! "Add area", "Add line" (then click the map, or type positions), and each annotation's
//! label, style, radii, sources and story steps, with its problems in red. Every control is
//! named after the annotation's id ("Label of annotation A1"). Reads the state, returns
//! commands; every change is one edit of the case (undoable).

use super::case_fields::{Form, problems_ui, read_back_line};
use crate::coords::parse_position;
use crate::state::{AppState, Command};
use egui::{RichText, Ui};
use strikemap_core::case::Annotation;
use strikemap_core::case::annotation::{Colour, Dash, Fill, Kind, Shape};
use strikemap_core::case::edit::Edit;
use strikemap_core::case::problems::ProblemPlace;

/// The Annotations section of the case editor.
pub fn annotations_ui(ui: &mut Ui, state: &AppState, form: &mut Form<'_>) {
    let session = state.case();
    draft_ui(ui, state, form.commands);
    for (index, annotation) in session.case.annotations.iter().enumerate() {
        let kind = annotation.shape.kind().name();
        let title = if annotation.label.trim().is_empty() {
            format!("{} {}", capitalised(kind), annotation.id)
        } else {
            format!(
                "{} {}: {}",
                capitalised(kind),
                annotation.id,
                annotation.label
            )
        };
        egui::CollapsingHeader::new(title)
            .id_salt(("annotation", index))
            .show(ui, |ui| annotation_ui(ui, state, index, annotation, form));
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The buttons that start drawing, or the annotation being drawn: its points, a typed one,
/// Finish and Cancel.
fn draft_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(draft) = state.annotation_draft() else {
        ui.horizontal_wrapped(|ui| {
            for kind in Kind::ALL {
                if ui
                    .button(format!("Add {}", kind.name()))
                    .on_hover_text("Then click the map for its points, or type them")
                    .clicked()
                {
                    commands.push(Command::StartAnnotation(kind));
                }
            }
        });
        return;
    };
    let (least, most) = draft.kind.points_needed();
    let wanted = match most {
        Some(most) if most == least => format!("{least}"),
        _ => format!("{least} or more"),
    };
    ui.label(
        RichText::new(format!(
            "Drawing {}: click the map or type a position ({} of {wanted} points; Esc cancels)",
            draft.kind.with_article(),
            draft.points.len()
        ))
        .strong(),
    );
    let id = ui.make_persistent_id("annotation-point");
    let mut text: String = ui.data(|data| data.get_temp(id)).unwrap_or_default();
    let field = ui.add(
        egui::TextEdit::singleline(&mut text)
            .hint_text("27.37, 62.33 · 27°22'N 62°20'E · 41R PQ 12345 67890")
            .desired_width(f32::INFINITY),
    );
    field.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Position of the next point")
    });
    ui.data_mut(|data| data.insert_temp(id, text.clone()));
    let read = (!text.trim().is_empty()).then(|| parse_position(&text));
    read_back_line(
        ui,
        read.as_ref().map(|read| match read {
            Ok(at) => Ok(strikemap_core::measure::describe_position(*at)),
            Err(error) => Err(error.message.clone()),
        }),
    );
    ui.horizontal(|ui| {
        let position = read.and_then(Result::ok);
        let enter = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        let add = ui
            .add_enabled(position.is_some(), egui::Button::new("Add point"))
            .clicked();
        if (add || enter)
            && let Some(position) = position
        {
            commands.push(Command::AddAnnotationPoint(position));
            commands.push(Command::ShowPlace(position));
            ui.data_mut(|data| data.remove::<String>(id));
        }
        if ui
            .add_enabled(draft.can_finish(), egui::Button::new("Finish"))
            .clicked()
        {
            commands.push(Command::FinishAnnotation);
        }
        if ui.button("Cancel drawing").clicked() {
            commands.push(Command::CancelAnnotation);
        }
    });
}

/// The problems of one field of an annotation (`""`: of the annotation as a whole; a prefix
/// such as `shape` takes the fields under it).
fn problems_of<'a>(state: &'a AppState, index: usize, field: &str) -> Vec<&'a str> {
    state
        .case()
        .problems()
        .iter()
        .filter(|problem| {
            matches!(&problem.place, ProblemPlace::Annotation { index: at, field: name, .. }
                if *at == index && (name == field || name.starts_with(&format!("{field}."))
                    || name.starts_with(&format!("{field}["))))
        })
        .map(|problem| problem.message.as_str())
        .collect()
}

fn set(index: usize, annotation: Annotation) -> Edit {
    Edit::SetAnnotation {
        index,
        annotation: Box::new(annotation),
    }
}

fn annotation_ui(
    ui: &mut Ui,
    state: &AppState,
    index: usize,
    annotation: &Annotation,
    form: &mut Form<'_>,
) {
    let id = &annotation.id;
    let changed = |change: &dyn Fn(&mut Annotation)| {
        let mut new = annotation.clone();
        change(&mut new);
        set(index, new)
    };
    form.text(
        ui,
        "Label",
        &format!("Label of annotation {id}"),
        &annotation.label,
        matches!(annotation.shape, Shape::Callout { .. }),
        problems_of(state, index, "label"),
        |text| changed(&|a| a.label.clone_from(&text)),
    );
    problems_ui(ui, problems_of(state, index, "id"));
    problems_ui(ui, problems_of(state, index, "shape.points"));
    match &annotation.shape {
        Shape::RangeRings { radii_km, .. } => {
            let shown = radii_km
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            form.parsed(
                ui,
                "Radii (km, comma-separated)",
                &format!("Radii of annotation {id}"),
                shown,
                parse_radii,
                |_| None,
                problems_of(state, index, "shape.radii_km"),
                |radii| {
                    Some(changed(&|a| {
                        if let Shape::RangeRings { radii_km, .. } = &mut a.shape {
                            radii_km.clone_from(&radii);
                        }
                    }))
                },
            );
        }
        Shape::Arrow { curved, .. } => {
            let mut value = *curved;
            let response = ui.checkbox(&mut value, "Curved");
            let label = format!("Curved arrow {id}");
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::CheckBox, true, value, &label)
            });
            if value != *curved {
                form.commands.push(Command::EditCase(changed(&|a| {
                    if let Shape::Arrow { curved, .. } = &mut a.shape {
                        *curved = value;
                    }
                })));
            }
        }
        Shape::Area { fill, .. } => {
            let names = [
                (Fill::Tint, "Tint"),
                (Fill::Hatch, "Hatch"),
                (Fill::None, "None"),
            ];
            let current = names.iter().find(|(f, _)| f == fill).map_or("", |(_, n)| n);
            egui::ComboBox::from_label(format!("Fill of annotation {id}"))
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (choice, name) in names {
                        if ui.selectable_label(*fill == choice, name).clicked() && *fill != choice {
                            form.commands.push(Command::EditCase(changed(&|a| {
                                if let Shape::Area { fill, .. } = &mut a.shape {
                                    *fill = choice;
                                }
                            })));
                        }
                    }
                });
        }
        Shape::Callout { .. } | Shape::Line { .. } => {}
    }
    let style = annotation.style;
    egui::ComboBox::from_label(format!("Colour of annotation {id}"))
        .selected_text(style.colour.name())
        .show_ui(ui, |ui| {
            for colour in Colour::ALL {
                if ui
                    .selectable_label(style.colour == colour, colour.name())
                    .clicked()
                    && style.colour != colour
                {
                    form.commands
                        .push(Command::EditCase(changed(&|a| a.style.colour = colour)));
                }
            }
        });
    egui::ComboBox::from_label(format!("Dash of annotation {id}"))
        .selected_text(style.dash.name())
        .show_ui(ui, |ui| {
            for dash in Dash::ALL {
                if ui
                    .selectable_label(style.dash == dash, dash.name())
                    .clicked()
                    && style.dash != dash
                {
                    form.commands
                        .push(Command::EditCase(changed(&|a| a.style.dash = dash)));
                }
            }
        });
    let mut width = style.width;
    let response = ui.add(
        egui::Slider::new(
            &mut width,
            0.5..=strikemap_core::case::annotation::MAX_WIDTH,
        )
        .text("width (points)"),
    );
    let label = format!("Width of annotation {id}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, &label));
    if width != style.width {
        form.commands
            .push(Command::TypeInCase(changed(&|a| a.style.width = width)));
    }
    if response.drag_stopped() || response.lost_focus() {
        form.commands.push(Command::SealCaseTyping);
    }
    problems_ui(ui, problems_of(state, index, "style"));
    form.text(
        ui,
        "Sources (keys, comma-separated)",
        &format!("Sources of annotation {id}"),
        &annotation.source_keys.join(", "),
        false,
        problems_of(state, index, "source_keys"),
        |text| changed(&|a| a.source_keys = split_list(&text)),
    );
    form.text(
        ui,
        "Shown on steps (strike or statement ids; empty: every step)",
        &format!("Steps of annotation {id}"),
        &annotation.steps.join(", "),
        false,
        problems_of(state, index, "steps"),
        |text| changed(&|a| a.steps = split_list(&text)),
    );
    if ui.button(format!("Delete annotation {id}")).clicked() {
        form.commands
            .push(Command::EditCase(Edit::RemoveAnnotation { index }));
    }
}

/// `"A1, A2"` as `["A1", "A2"]`; a trailing comma while typing keeps nothing empty.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Radii typed as `"300, 1000"` (km).
fn parse_radii(text: &str) -> Result<Vec<f64>, String> {
    split_list(text)
        .iter()
        .map(|item| {
            item.replace(',', "")
                .parse::<f64>()
                .map_err(|_| format!("{item:?} is not a number of km"))
        })
        .collect()
}
