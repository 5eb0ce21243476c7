//! The History of the selected strike of a team-store case: who changed which field, when,
//! from what to what (the store's append-only history).

use crate::state::{AppState, Command};
use crate::team::value_in_words;
use egui::{RichText, Ui};

/// The selected strike's history, when the case lives in a team store.
pub fn strike_history_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(store) = &state.case().store else {
        return;
    };
    let Some(index) = state.selected_case_index() else {
        return;
    };
    let Some(event) = state.case().case.events.get(index) else {
        return;
    };
    let id = event.id().to_owned();
    let object = format!("strike:{id}");
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(format!("History of {id}"));
        let label = format!("Show the history of {id}");
        let button = ui.button("Show history").on_hover_text(
            "Every change to this strike in the team store: who, when, from what to what",
        );
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if button.clicked() {
            commands.push(Command::ShowStrikeHistory(id.clone()));
        }
    });
    let Some((shown, rows)) = &store.history else {
        return;
    };
    if shown != &object {
        return;
    }
    if rows.is_empty() {
        ui.label(RichText::new("No change since the case was published.").italics());
        return;
    }
    egui::Grid::new("strike-history")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for row in rows.iter().rev() {
                ui.label(&row.at);
                ui.label(&row.author);
                let what = match (row.field.as_str(), row.old.is_null(), row.new.is_null()) {
                    ("*", true, _) => "added".to_owned(),
                    ("*", false, true) => "removed".to_owned(),
                    ("geometry", _, _) => format!(
                        "position moved from {} to {}",
                        position_in_words(&row.old),
                        position_in_words(&row.new)
                    ),
                    (field, _, _) => format!(
                        "{} changed from {} to {}",
                        field.replace('_', " "),
                        short(&value_in_words(&row.old)),
                        short(&value_in_words(&row.new))
                    ),
                };
                ui.label(what).on_hover_text(&row.client);
                ui.end_row();
            }
        });
}

/// A value cut to a line for the list (the whole value is in the hover of the store's CLI).
fn short(text: &str) -> String {
    const MAX: usize = 80;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A stored `[lon, lat]` as "26.968° N, 64.101° E".
fn position_in_words(value: &serde_json::Value) -> String {
    let coordinate = |index: usize| value.get(index).and_then(serde_json::Value::as_f64);
    match (coordinate(0), coordinate(1)) {
        (Some(lon), Some(lat)) => format!(
            "{:.6}° {}, {:.6}° {}",
            lat.abs(),
            if lat < 0.0 { 'S' } else { 'N' },
            lon.abs(),
            if lon < 0.0 { 'W' } else { 'E' }
        ),
        _ => value_in_words(value),
    }
}
