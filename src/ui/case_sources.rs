//! Editing sources: a list of sources (a strike's, or the timeline statements') with every
//! field, Add and Remove; and, for a strike, adding a source another strike of the case
//! already cites. Reads the case, returns edits as commands.

use super::case_fields::Form;
use crate::model::Source;
use crate::state::{CaseSession, Command};
use egui::{RichText, Ui};
use strikemap_core::case::edit::{Edit, SourceField, SourceOwner};

/// A list of sources (an event's, or the statements'): key, outlet, date, title and URL each,
/// with Add and Remove. `problems(source, field)` gives a field's problems.
pub fn sources_editor_ui<'a>(
    ui: &mut Ui,
    sources: &[Source],
    owner: SourceOwner,
    problems: &dyn Fn(usize, &str) -> Vec<&'a str>,
    form: &mut Form<'_>,
) {
    let prefix = match owner {
        SourceOwner::Event(_) => "Source",
        SourceOwner::Statements => "Statement source",
    };
    for (index, source) in sources.iter().enumerate() {
        let number = index + 1;
        let set = move |field: SourceField| Edit::SetSource {
            owner,
            index,
            field,
        };
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{prefix} {number}")).strong());
                form.small_button(
                    ui,
                    "Remove",
                    &format!("Remove {} {number}", prefix.to_lowercase()),
                    true,
                    || Command::EditCase(Edit::RemoveSource { owner, index }),
                );
            });
            let label = |field: &str| format!("{prefix} {number} {field}");
            form.text(
                ui,
                "Key (cited by claims and facts)",
                &label("key"),
                &source.key,
                false,
                problems(index, "key"),
                |text| set(SourceField::Key(text)),
            );
            form.text(
                ui,
                "Outlet",
                &label("outlet"),
                &source.outlet,
                false,
                problems(index, "outlet"),
                |text| set(SourceField::Outlet(text)),
            );
            form.optional(
                ui,
                "Date (YYYY-MM-DD or YYYY-MM)",
                &label("date"),
                source.date.as_deref(),
                problems(index, "date"),
                |value| set(SourceField::Date(value)),
            );
            form.optional(
                ui,
                "Title",
                &label("title"),
                source.title.as_deref(),
                problems(index, "title"),
                |value| set(SourceField::Title(value)),
            );
            form.optional(
                ui,
                "URL",
                &label("URL"),
                source.url.as_deref(),
                problems(index, "url"),
                |value| set(SourceField::Url(value)),
            );
            super::source_evidence::source_evidence_ui(
                ui,
                source,
                (owner, index),
                &label,
                &|field| problems(index, field),
                form,
            );
        });
    }
    let label = format!("Add {}", prefix.to_lowercase());
    form.button(ui, &label, || {
        Command::EditCase(Edit::AddSource {
            owner,
            index: sources.len(),
            source: Source {
                key: fresh_key(sources),
                outlet: String::new(),
                date: None,
                title: None,
                note: None,
                url: None,
                read_via: None,
                ..Default::default()
            },
        })
    });
}

/// `S` and the lowest number no source of the list has as its key.
fn fresh_key(sources: &[Source]) -> String {
    (1..)
        .map(|number| format!("S{number}"))
        .find(|key| !sources.iter().any(|source| &source.key == key))
        .unwrap_or_default()
}

/// "Add a source used by another strike": the sources of the case's other strikes that this
/// one does not cite yet (by key), each copied in whole, so an outlet that reported several
/// strikes is typed once.
pub fn reuse_source_ui(ui: &mut Ui, session: &CaseSession, event: usize, form: &mut Form<'_>) {
    let case = &session.case;
    let Some(this) = case.events.get(event) else {
        return;
    };
    let mut offered: Vec<&Source> = Vec::new();
    for (index, other) in case.events.iter().enumerate() {
        for source in other.properties.sources.iter().filter(|_| index != event) {
            let cited = this
                .properties
                .sources
                .iter()
                .any(|own| own.key == source.key);
            if !cited && !offered.iter().any(|listed| listed.key == source.key) {
                offered.push(source);
            }
        }
    }
    if offered.is_empty() {
        return;
    }
    let label = "Add a source used by another strike";
    let combo = egui::ComboBox::from_id_salt(("reuse-source", event))
        .selected_text(label)
        .show_ui(ui, |ui| {
            for source in offered {
                let date = source.date.as_deref().map(|date| format!(", {date}"));
                let text = format!(
                    "{} ({}{})",
                    source.key,
                    source.outlet,
                    date.unwrap_or_default()
                );
                if ui
                    .add_enabled(form.enabled, egui::Button::new(text))
                    .clicked()
                {
                    form.commands.push(Command::EditCase(Edit::AddSource {
                        owner: SourceOwner::Event(event),
                        index: this.properties.sources.len(),
                        source: source.clone(),
                    }));
                }
            }
        });
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
}
