//! The top bar's "PowerPoint template…" menu: the organisation's template that PowerPoint
//! decks are built on (its masters, layouts, theme and logo), remembered in the settings.

use crate::settings::Settings;
use crate::state::Command;
use egui::Ui;

/// The template's path as typed (empty for none).
pub fn path_text(settings: &Settings) -> String {
    settings
        .deck_template
        .as_ref()
        .map(|path| path.display().to_string())
        .unwrap_or_default()
}

/// The menu with the template's path; a change is a [`Command::SetDeckTemplate`].
pub fn deck_template_menu(ui: &mut Ui, current: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    let keep_open = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::containers::menu::MenuButton::new("PowerPoint template…")
        .config(keep_open)
        .ui(ui, |ui| {
            ui.label(
                "Your organisation's PowerPoint template (.pptx or .potx) for File, Export deck… as \
                 PowerPoint: its slide master, layouts, fonts and logo. Empty for Strikemap's own layout.",
            );
            let mut draft = current.to_owned();
            let field = ui.add(
                egui::TextEdit::singleline(&mut draft)
                    .desired_width(420.0)
                    .hint_text("/path/to/organisation-template.pptx"),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "PowerPoint template file")
            });
            if draft != current {
                let path = Some(draft.trim()).filter(|path| !path.is_empty()).map(Into::into);
                commands.push(Command::SetDeckTemplate(path));
            }
        });
    commands
}
