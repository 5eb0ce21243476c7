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

/// Shows the system's file dialog for a basemap file on its own thread; the picked path is
/// sent to `sender` and the window woken.
pub fn pick_basemap_file(sender: std::sync::mpsc::Sender<std::path::PathBuf>, ctx: &egui::Context) {
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("basemap-dialog".into())
        .spawn(move || {
            let picked = rfd::FileDialog::new()
                .set_title("Open basemap")
                .add_filter("PMTiles or MBTiles", &["pmtiles", "mbtiles"])
                .add_filter("All files", &["*"])
                .pick_file();
            if let Some(path) = picked {
                let _ = sender.send(path);
                ctx.request_repaint();
            }
        });
    if let Err(error) = spawned {
        tracing::error!("cannot open the file dialog: {error}");
    }
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
