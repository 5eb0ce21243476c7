//! A source's archive copy and evidence files in the case editor: the archive URL and the
//! retrieval time as fields, each attached file with its size, SHA-256 and time attached (in
//! red when it is missing or changed), Remove, and "Attach evidence…". Reads the case, returns
//! commands.

use super::case_fields::{Form, problems_ui};
use crate::model::Source;
use crate::state::{CaseSession, Command};
use egui::{RichText, Ui};
use strikemap_core::case::edit::{Edit, SourceField, SourceOwner};

/// The archive fields and evidence list of source `index` of `owner`; `label(field)` gives the
/// accessible label of a field ("Source 1 archive URL"), `problems(field)` its problems.
pub fn source_evidence_ui<'a>(
    ui: &mut Ui,
    source: &Source,
    (owner, index): (SourceOwner, usize),
    label: &dyn Fn(&str) -> String,
    problems: &dyn Fn(&str) -> Vec<&'a str>,
    form: &mut Form<'_>,
) {
    let set = move |field: SourceField| Edit::SetSource {
        owner,
        index,
        field,
    };
    form.optional(
        ui,
        "Archived copy (URL)",
        &label("archive URL"),
        source.archive_url.as_deref(),
        problems("archive_url"),
        |value| set(SourceField::ArchiveUrl(value)),
    );
    form.optional(
        ui,
        "Retrieved (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
        &label("retrieved"),
        source.retrieved.as_deref(),
        problems("retrieved"),
        |value| set(SourceField::Retrieved(value)),
    );
    if !source.evidence.is_empty() {
        ui.label(RichText::new("Evidence files").small().strong());
    }
    for (file_index, file) in source.evidence.iter().enumerate() {
        let field = format!("evidence[{file_index}]");
        let found = problems(&field);
        let name = file_name_of(&file.path);
        ui.horizontal(|ui| {
            let text = format!(
                "{name} · {} · SHA-256 {}… · attached {}",
                size_text(file.size),
                file.sha256.get(..12).unwrap_or(&file.sha256),
                file.attached
            );
            let shown = if found.is_empty() {
                RichText::new(text).small()
            } else {
                RichText::new(text)
                    .small()
                    .color(ui.visuals().error_fg_color)
            };
            ui.label(shown)
                .on_hover_text(format!("{}\nSHA-256 {}", file.path, file.sha256));
            let mut kept = source.evidence.clone();
            kept.remove(file_index);
            form.small_button(
                ui,
                "Remove",
                &format!("{} {}: remove", label("evidence"), file_index + 1),
                true,
                || Command::EditCase(set(SourceField::Evidence(kept))),
            );
        });
        problems_ui(ui, found);
    }
    let attach = ui
        .add_enabled(form.enabled, egui::Button::new("Attach evidence…"))
        .on_hover_text(
            "A screenshot, a PDF of the archived page or a video: its SHA-256, size and the \
             time are kept in the case",
        );
    let attach_label = label("attach evidence");
    let enabled = form.enabled;
    attach.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &attach_label));
    if attach.clicked() {
        form.commands.push(Command::ShowAttachEvidenceDialog {
            owner,
            source: index,
        });
    }
}

/// Under a source in the strike's details: its archived copy (a link) and retrieval time, and
/// its evidence files with their SHA-256.
pub fn provenance_lines_ui(ui: &mut Ui, source: &Source, commands: &mut Vec<Command>) {
    let archive = source
        .archive_url
        .as_deref()
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    if archive.is_none() && source.retrieved.is_none() && source.evidence.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.add_space(16.0);
        if let Some(url) = archive
            && ui
                .link(format!("Archived copy of {}", source.key))
                .on_hover_text(url)
                .clicked()
        {
            commands.push(Command::OpenUrl(url.to_owned()));
        }
        if let Some(retrieved) = &source.retrieved {
            ui.label(RichText::new(format!("retrieved {retrieved}")).weak());
        }
        for file in &source.evidence {
            let name = file_name_of(&file.path);
            let short = file.sha256.get(..12).unwrap_or(&file.sha256);
            ui.label(RichText::new(format!("evidence {name} (SHA-256 {short}…)")).small())
                .on_hover_text(format!("{}\nSHA-256 {}", file.path, file.sha256));
        }
    });
}

/// "Check evidence": hashes every evidence file of the case again.
pub fn check_evidence_button(ui: &mut Ui, session: &CaseSession, commands: &mut Vec<Command>) {
    if session.evidence_check_pending() || session.evidence_attach_pending() {
        ui.spinner();
        let doing = if session.evidence_check_pending() {
            "Checking evidence…"
        } else {
            "Hashing the evidence to attach…"
        };
        ui.label(RichText::new(doing).weak());
        return;
    }
    if session.case.evidence_files().next().is_some()
        && ui
            .button("Check evidence")
            .on_hover_text("Hash every evidence file again: a missing or changed file is shown in red at its source")
            .clicked()
    {
        commands.push(Command::CheckEvidence);
    }
}

/// The last part of a path, as shown.
fn file_name_of(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(
        || path.to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// A size in bytes as read by a person: `512 B`, `48.2 KB`, `3.1 MB`, `1.2 GB`.
fn size_text(bytes: u64) -> String {
    let units = [("GB", 1e9), ("MB", 1e6), ("KB", 1e3)];
    for (unit, size) in units {
        if bytes as f64 >= size {
            return format!("{:.1} {unit}", bytes as f64 / size);
        }
    }
    format!("{bytes} B")
}
