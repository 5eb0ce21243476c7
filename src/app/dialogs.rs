//! The shell's small windows: the custom tile server dialog and the message strip.

use crate::settings::validate_xyz_template;

/// The "Custom XYZ URL…" dialog: its draft and the last problem with it.
#[derive(Debug, Default)]
pub struct CustomUrlDialog {
    draft: String,
    error: Option<String>,
}

/// What became of the dialog this frame.
#[derive(Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    Open,
    Closed,
    /// A checked URL template to use.
    Submitted(String),
}

impl CustomUrlDialog {
    /// The dialog, offering the last URL typed.
    pub fn new(draft: String) -> Self {
        Self { draft, error: None }
    }

    pub fn show(&mut self, ctx: &egui::Context) -> DialogOutcome {
        let mut open = true;
        let mut submitted = None;
        let mut cancelled = false;
        egui::Window::new("Custom XYZ tile server")
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label("URL template with {z}, {x} and {y}, e.g.");
                ui.monospace("https://tiles.example.org/{z}/{x}/{y}.png");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.draft)
                        .desired_width(420.0)
                        .hint_text("https://…/{z}/{x}/{y}.png"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Tile URL template")
                });
                if let Some(error) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.horizontal(|ui| {
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("Use this server").clicked() || enter {
                        submitted = Some(self.draft.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        cancelled = true;
                    }
                });
            });
        if let Some(draft) = submitted {
            match validate_xyz_template(&draft) {
                Ok(url_template) => return DialogOutcome::Submitted(url_template),
                Err(reason) => self.error = Some(reason),
            }
        } else if cancelled || !open {
            return DialogOutcome::Closed;
        }
        DialogOutcome::Open
    }
}

/// Problems and notices to show the user. Returns true when they were dismissed.
pub fn messages_ui(ui: &mut egui::Ui, messages: &[String], notices: &[String]) -> bool {
    let mut dismissed = false;
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            for message in messages {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            for notice in notices {
                ui.label(notice);
            }
        });
        dismissed = ui.button("Dismiss").clicked();
    });
    dismissed
}

/// Runs a file dialog on a thread of its own, so the window keeps drawing while it is open.
pub fn spawn_dialog(name: &str, dialog: impl FnOnce() + Send + 'static) {
    if let Err(error) = std::thread::Builder::new().name(name.into()).spawn(dialog) {
        tracing::error!("cannot open the file dialog: {error}");
    }
}

/// The system's Open dialog on a thread of its own, titled `title`, with a filter for `kind`
/// files (`extensions`) and one for all files. What `pick` returns (one file or several) is
/// sent to `sender` and the window woken; a closed dialog sends nothing.
pub fn open_dialog<T: Send + 'static>(
    ctx: &egui::Context,
    title: &'static str,
    (kind, extensions): (&'static str, &'static [&'static str]),
    pick: impl FnOnce(rfd::FileDialog) -> Option<T> + Send + 'static,
    sender: std::sync::mpsc::Sender<T>,
) {
    let ctx = ctx.clone();
    spawn_dialog(title, move || {
        let dialog = rfd::FileDialog::new()
            .set_title(title)
            .add_filter(kind, extensions)
            .add_filter("All files", &["*"]);
        if let Some(picked) = pick(dialog) {
            let _ = sender.send(picked);
            ctx.request_repaint();
        }
    });
}

/// Whether a dropped or named file is a basemap (by its extension; its content is checked
/// when it is opened).
pub fn is_basemap_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("pmtiles") || extension.eq_ignore_ascii_case("mbtiles")
        })
}
