//! The case editor's fields: each a labelled row whose control carries the label for screen
//! readers (and tests), with the problems of its place beneath it in red. Typing gives a
//! [`Command::TypeInCase`] per keystroke (merged into one undo step) and leaving the field a
//! [`Command::SealCaseTyping`]. A field whose text must be read (a date, a number, a position)
//! keeps what is typed as a draft while it has focus, shows why it cannot be read, and edits
//! the case only with a value that reads.

use crate::state::Command;
use egui::{RichText, Ui};
use strikemap_core::case::edit::Edit;

/// Where the editor's controls put what the user asked for.
pub struct Form<'a> {
    pub commands: &'a mut Vec<Command>,
    /// False for a read-only case: every control is shown but cannot be changed.
    pub enabled: bool,
}

/// Problems shown under a field, in red.
pub fn problems_ui<'a>(ui: &mut Ui, problems: impl IntoIterator<Item = &'a str>) {
    for problem in problems {
        ui.label(
            RichText::new(format!("Problem: {problem}"))
                .color(ui.visuals().error_fg_color)
                .small(),
        );
    }
}

/// The one line under a field that says how its text reads (weak), or why it cannot be read
/// (red); blank when there is nothing to say. Always one line high (a longer text is cut, in
/// full on hover), so that the controls below stay where they are while the user types.
pub fn read_back_line(ui: &mut Ui, line: Option<Result<String, String>>) {
    let text = match line {
        Some(Ok(read)) => RichText::new(read).small().weak(),
        Some(Err(message)) => RichText::new(message)
            .small()
            .color(ui.visuals().error_fg_color),
        None => RichText::new(" ").small(),
    };
    ui.add(egui::Label::new(text).truncate());
}

/// The name above a field (none when empty: the field sits in a row that names it).
fn name_ui(ui: &mut Ui, name: &str) {
    if !name.is_empty() {
        ui.label(RichText::new(name).small().strong());
    }
}

impl Form<'_> {
    /// A text field showing `value`: typing sends `make(text)` as a typing edit. `label` is its
    /// accessible name and must be unique in the panel; `name` is shown above it.
    #[allow(clippy::too_many_arguments)]
    pub fn text<'p>(
        &mut self,
        ui: &mut Ui,
        name: &str,
        label: &str,
        value: &str,
        multiline: bool,
        problems: impl IntoIterator<Item = &'p str>,
        make: impl FnOnce(String) -> Edit,
    ) {
        name_ui(ui, name);
        let mut text = value.to_owned();
        let editor = if multiline {
            egui::TextEdit::multiline(&mut text).desired_rows(2)
        } else {
            egui::TextEdit::singleline(&mut text)
        };
        let response = ui.add_enabled(
            self.enabled,
            editor.id_salt(label).desired_width(f32::INFINITY),
        );
        let (label_owned, enabled) = (label.to_owned(), self.enabled);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, enabled, &label_owned)
        });
        if text != value {
            self.commands.push(Command::TypeInCase(make(text)));
        }
        if response.lost_focus() {
            self.commands.push(Command::SealCaseTyping);
        }
        problems_ui(ui, problems);
    }

    /// An optional text: empty is `None`.
    pub fn optional<'p>(
        &mut self,
        ui: &mut Ui,
        name: &str,
        label: &str,
        value: Option<&str>,
        problems: impl IntoIterator<Item = &'p str>,
        make: impl FnOnce(Option<String>) -> Edit,
    ) {
        self.text(
            ui,
            name,
            label,
            value.unwrap_or_default(),
            false,
            problems,
            |text| make((!text.is_empty()).then_some(text)),
        );
    }

    /// A field whose text is read by `parse`: while it has focus the text typed is kept as a
    /// draft; a draft that reads edits the case (`make`), one that does not shows why, and
    /// `preview` says what a readable draft was read as.
    #[allow(clippy::too_many_arguments)]
    pub fn parsed<'p, T>(
        &mut self,
        ui: &mut Ui,
        name: &str,
        label: &str,
        shown: String,
        parse: impl Fn(&str) -> Result<T, String>,
        preview: impl Fn(&T) -> Option<String>,
        problems: impl IntoIterator<Item = &'p str>,
        make: impl FnOnce(T) -> Option<Edit>,
    ) {
        let draft = Draft {
            label,
            shown,
            width: f32::INFINITY,
            keep_line: true,
        };
        self.draft_field(ui, name, draft, parse, preview, problems, make);
    }

    #[allow(clippy::too_many_arguments)]
    fn draft_field<'p, T>(
        &mut self,
        ui: &mut Ui,
        name: &str,
        Draft {
            label,
            shown,
            width,
            keep_line,
        }: Draft<'_>,
        parse: impl Fn(&str) -> Result<T, String>,
        preview: impl Fn(&T) -> Option<String>,
        problems: impl IntoIterator<Item = &'p str>,
        make: impl FnOnce(T) -> Option<Edit>,
    ) {
        name_ui(ui, name);
        let id = ui.make_persistent_id(("case-draft", label));
        let draft: Option<String> = ui.data(|data| data.get_temp(id));
        let mut text = draft.clone().unwrap_or_else(|| shown.clone());
        let response = ui.add_enabled(
            self.enabled,
            egui::TextEdit::singleline(&mut text)
                .id_salt(label)
                .desired_width(width),
        );
        let (label_owned, enabled) = (label.to_owned(), self.enabled);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, enabled, &label_owned)
        });
        let changed = text != draft.clone().unwrap_or_else(|| shown.clone());
        let mut read = None;
        let mut line = None;
        if changed || draft.is_some() {
            match parse(&text) {
                Ok(value) => {
                    line = preview(&value).map(Ok);
                    read = Some(value);
                }
                Err(message) => line = Some(Err(message)),
            }
        } else if keep_line {
            // What the field holds, read back as it would be while typing.
            line = parse(&shown).ok().and_then(|value| preview(&value)).map(Ok);
        }
        if keep_line || line.is_some() {
            read_back_line(ui, line);
        }
        if response.lost_focus() {
            ui.data_mut(|data| data.remove::<String>(id));
            self.commands.push(Command::SealCaseTyping);
        } else if changed {
            ui.data_mut(|data| data.insert_temp(id, text.clone()));
        }
        if changed
            && let Some(value) = read
            && let Some(edit) = make(value)
        {
            self.commands.push(Command::TypeInCase(edit));
        }
        problems_ui(ui, problems);
    }

    /// A whole number, empty for none.
    pub fn number<'p>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: Option<u32>,
        make: impl FnOnce(Option<u32>) -> Option<Edit>,
        problems: impl IntoIterator<Item = &'p str>,
    ) {
        let draft = Draft {
            label,
            shown: value.map(|value| value.to_string()).unwrap_or_default(),
            width: 40.0,
            keep_line: false,
        };
        self.draft_field(ui, "", draft, read_count, |_| None, problems, make);
    }

    /// A check box showing `text`, named `label` for screen readers; a change is one edit.
    pub fn check(
        &mut self,
        ui: &mut Ui,
        [text, label]: [&str; 2],
        value: bool,
        make: impl FnOnce(bool) -> Edit,
    ) {
        let mut checked = value;
        let response = ui.add_enabled(self.enabled, egui::Checkbox::new(&mut checked, text));
        let (label_owned, enabled) = (label.to_owned(), self.enabled);
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::CheckBox, enabled, checked, &label_owned)
        });
        if response.changed() && checked != value {
            self.commands.push(Command::EditCase(make(checked)));
        }
    }

    /// A button that makes one edit (or another command).
    pub fn button(&mut self, ui: &mut Ui, label: &str, command: impl FnOnce() -> Command) {
        if ui
            .add_enabled(self.enabled, egui::Button::new(label))
            .clicked()
        {
            self.commands.push(command());
        }
    }

    /// A small button with a short text and a unique accessible label (for rows of a table).
    pub fn small_button(
        &mut self,
        ui: &mut Ui,
        text: &str,
        label: &str,
        active: bool,
        command: impl FnOnce() -> Command,
    ) {
        let response = ui
            .add_enabled(self.enabled && active, egui::Button::new(text).small())
            .on_hover_text(label);
        let label_owned = label.to_owned();
        let enabled = self.enabled && active;
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &label_owned));
        if response.clicked() {
            self.commands.push(command());
        }
    }
}

/// A field with a draft: its accessible label, the value shown when no draft is typed, its
/// width.
struct Draft<'a> {
    label: &'a str,
    shown: String,
    width: f32,
    /// Keep the line under the field even when it has nothing to say, so that what lies below
    /// does not move while the user types (a field in a row of fields does not).
    keep_line: bool,
}

/// A count typed in a field: empty for none.
pub fn read_count(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>()
        .map(Some)
        .map_err(|_| format!("{text:?} is not a whole number (leave it empty for none)"))
}

/// A positive number of km.
pub fn read_radius(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(km) if km.is_finite() && km > 0.0 => Ok(km),
        _ => Err(format!("{:?} is not a positive number of km", text.trim())),
    }
}
