//! Output: images (exported in a child process, or copied), and the shown events written to a
//! file on their own thread.

use super::StrikemapApp;
use crate::export::EventsFormat;
use crate::present::{ExportJob, ExportTarget};

impl StrikemapApp {
    /// The command line that renders the current slide into `path` in a child process: the
    /// export size, the same ground in view, the selected event and the caveat line.
    pub fn export_image_args(&self, path: &std::path::Path) -> Vec<String> {
        let [width, height] = self.settings.export_size;
        let mut args: Vec<String> = vec![
            "--export-png".into(),
            path.display().to_string(),
            "--size".into(),
            format!("{width}x{height}"),
        ];
        if let Some(view) = self.map.current_view() {
            // Keep the same ground in view at the new size.
            // The slide is laid out in points, 720 of them high whatever the pixels.
            let points_per_pixel = 1.0 / f64::from(crate::present::slide_scale(height as f32));
            let scale = (f64::from(width) * points_per_pixel
                / f64::from(self.map.last_rect.width().max(1.0)))
            .min(
                f64::from(height) * points_per_pixel
                    / f64::from(self.map.last_rect.height().max(1.0)),
            );
            let zoom = view.zoom + scale.log2();
            args.extend([
                "--view".into(),
                format!("{},{},{}", view.lon, view.lat, zoom),
            ]);
        }
        if let Some(id) = self.state.selected_id() {
            args.extend(["--event".into(), id.to_owned()]);
        }
        // Always passed, empty included: the child must not fall back to a stored caveat.
        args.extend(["--caveat".into(), self.settings.caveat.clone()]);
        args.extend(self.case_args());
        args.extend(self.layer_file_args());
        args
    }

    /// The command line that renders the deck (overview and every story step) into `path` in
    /// a child process, at the export size, with the caveat line.
    pub fn export_deck_args(&self, path: &std::path::Path) -> Vec<String> {
        let [width, height] = self.settings.export_size;
        let mut args: Vec<String> = vec![
            "--export-deck".into(),
            path.display().to_string(),
            "--size".into(),
            format!("{width}x{height}"),
            // Always passed, empty included: the child must not fall back to a stored caveat.
            "--caveat".into(),
            self.settings.caveat.clone(),
        ];
        if let Some(template) = &self.settings.deck_template {
            args.extend(["--template".into(), template.display().to_string()]);
        }
        args.extend(self.case_args());
        args.extend(self.layer_file_args());
        args
    }

    /// The shown layers' files, after `--` (a file name may start with `-`), when the case is
    /// not passed (the bundled, read-only one): the child loads them as the window did. An
    /// editable case is passed with its layers.
    fn layer_file_args(&self) -> Vec<String> {
        if !self.state.case().read_only {
            return Vec::new();
        }
        let files = self.state.shown_layer_files();
        if files.is_empty() {
            return Vec::new();
        }
        std::iter::once("--".to_owned())
            .chain(files.iter().map(|path| path.display().to_string()))
            .collect()
    }

    /// "Export image…": asks where, then renders the slide at the export size in a child
    /// process (a window of exactly that size) so the image does not depend on this window.
    pub(super) fn ask_where_to_export(&self, ctx: &egui::Context) {
        let save_as = SaveAs::new("Export image", "PNG image", "png", "strikemap.png");
        self.render_in_child(
            ctx,
            save_as,
            self.export_image_args(std::path::Path::new("")),
        );
    }

    /// "Export deck…": asks where, then renders the deck in a child process.
    pub(super) fn ask_where_to_export_deck(&self, ctx: &egui::Context) {
        let save_as = SaveAs::new("Export deck", "PDF document", "pdf", "strikemap-deck.pdf")
            .or("PowerPoint", "pptx");
        self.render_in_child(
            ctx,
            save_as,
            self.export_deck_args(std::path::Path::new("")),
        );
    }

    /// Asks where, then runs this program with `template` (whose second argument is the output
    /// path) and reports how it went.
    fn render_in_child(&self, ctx: &egui::Context, save_as: SaveAs, template: Vec<String>) {
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        self.save_then(ctx, save_as, move |path, notify| {
            let mut args = template;
            if let Some(slot) = args.get_mut(1) {
                *slot = path.display().to_string();
            }
            notify.send(ExportNotice::new(format!("Exporting {}…", path.display())));
            let result = std::process::Command::new(exe).args(&args).output();
            let message = match result {
                Ok(output) if output.status.success() => format!("Exported {}", path.display()),
                Ok(output) => format!(
                    "Export to {} failed: {}",
                    path.display(),
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
                Err(error) => format!("Export to {} failed: {error}", path.display()),
            };
            notify.send(ExportNotice::new(message));
        });
    }

    /// Asks where to save with the system dialog, then runs `job` with the chosen path, both on
    /// a thread of their own (the dialog blocks, and the job may take seconds); `job` reports
    /// through the notifier, which wakes the window. Nothing happens when the dialog is closed.
    fn save_then(
        &self,
        ctx: &egui::Context,
        save_as: SaveAs,
        job: impl FnOnce(std::path::PathBuf, &Notifier) + Send + 'static,
    ) {
        let notifier = Notifier {
            sender: self.export_results_sender.clone(),
            ctx: ctx.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new()
                    .set_title(save_as.title)
                    .add_filter(save_as.filter, &[save_as.extension]);
                for (filter, extension) in &save_as.others {
                    dialog = dialog.add_filter(filter, &[extension]);
                }
                let picked = dialog.set_file_name(save_as.file_name).save_file();
                if let Some(path) = picked {
                    job(path, &notifier);
                }
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start the export: {error}");
        }
    }

    /// The shown events in the app's GeoJSON schema or as CSV, in memory (large layers
    /// included; see [`AppState::shown_events_export`]). An error is returned as its message.
    pub fn shown_events_as(&self, format: EventsFormat) -> Result<String, String> {
        let (bytes, _) = self
            .state
            .shown_events_export()
            .write(Vec::new(), format)
            .map_err(|error| error.to_string())?;
        String::from_utf8(bytes).map_err(|error| error.to_string())
    }

    /// "Export shown events as …": asks where, then writes the file, both on their own thread:
    /// the events of large layers are read again from their files, which takes a few seconds
    /// for a million. The file appears under its name only once it is complete.
    pub(super) fn export_events(&self, format: EventsFormat, ctx: &egui::Context) {
        let export = self.state.shown_events_export();
        let (filter, extension) = match format {
            EventsFormat::GeoJson => ("GeoJSON", "geojson"),
            EventsFormat::Csv => ("CSV", "csv"),
        };
        let save_as = SaveAs::new(
            "Export shown events",
            filter,
            extension,
            &format!("events.{extension}"),
        );
        self.save_then(ctx, save_as, move |path, notify| {
            let under_way = format!("Exporting the shown events to {}…", path.display());
            notify.send(ExportNotice::new(under_way.clone()));
            let mut message = match write_export_file(&export, format, &path) {
                Ok(written) => format!(
                    "Exported {} events to {}",
                    crate::text::thousands(written),
                    path.display()
                ),
                Err(error) => format!("{}: not exported: {error}", path.display()),
            };
            if export.points_left_out > 0 {
                message.push_str(&format!(
                    " (the {} points of large point layers are not events and were left out)",
                    crate::text::thousands(export.points_left_out)
                ));
            }
            notify.send(ExportNotice {
                text: message,
                replaces: Some(under_way),
            });
        });
    }

    /// The shown events of the case as KML, or as KMZ bytes, each attacker in its map colour
    /// (large layers' rows are not included).
    pub fn shown_events_as_kml(&self, kmz: bool) -> Result<Vec<u8>, String> {
        let events = self.shown_case_events();
        let mut out = std::io::Cursor::new(Vec::new());
        let others = self.state.other_attackers();
        let tour = self.state.story_tour(crate::state::TOUR_HOLD_SECS);
        let file = KmlFile {
            title: self.state.title.as_deref(),
            events: &events,
            other_attackers: others,
            tour: &tour,
            annotations: &self.state.case().case.annotations,
        };
        write_kml_file(&mut out, &file, kmz)?;
        Ok(out.into_inner())
    }

    fn shown_case_events(&self) -> Vec<crate::model::StrikeEvent> {
        self.state
            .shown_events()
            .into_iter()
            .map(|(_, event)| event.clone())
            .collect()
    }

    /// "Export shown events as KML/KMZ…": asks where, then writes the file on its own thread,
    /// whole or not at all.
    pub(super) fn export_kml(&self, kmz: bool, ctx: &egui::Context) {
        let events = self.shown_case_events();
        let title = self.state.title.clone();
        let others = self.state.other_attackers().to_vec();
        let annotations = self.state.case().case.annotations.clone();
        let tour = self.state.story_tour(crate::state::TOUR_HOLD_SECS);
        let left_out = self.state.shown_table_rows();
        let extension = if kmz { "kmz" } else { "kml" };
        let save_as = SaveAs::new(
            "Export shown events for Google Earth",
            &extension.to_uppercase(),
            extension,
            &format!("events.{extension}"),
        );
        self.save_then(ctx, save_as, move |path, notify| {
            let written = write_atomically(&path, |file| {
                let kml = KmlFile {
                    title: title.as_deref(),
                    events: &events,
                    other_attackers: &others,
                    tour: &tour,
                    annotations: &annotations,
                };
                write_kml_file(file, &kml, kmz).map(|()| events.len())
            });
            let mut message = match written {
                Ok(count) => format!(
                    "Exported {} events to {}",
                    crate::text::thousands(count),
                    path.display()
                ),
                Err(error) => format!("{}: not exported: {error}", path.display()),
            };
            if left_out > 0 {
                message.push_str(&format!(
                    " (the {} rows of large layers are not in KML exports)",
                    crate::text::thousands(left_out)
                ));
            }
            notify.send(ExportNotice::new(message));
        });
    }

    /// "Copy image": the slide (title, caveat lines, legend, inset, scale bar, attribution and
    /// date stamp) at the window's size, to the clipboard.
    pub(super) fn copy_image(&mut self, ctx: &egui::Context) {
        if self.export.is_some() {
            return;
        }
        let size = ctx.content_rect().size() * ctx.pixels_per_point();
        let job = ExportJob::new(
            ExportTarget::Clipboard,
            [size.x.round() as u32, size.y.round() as u32],
            false,
        );
        self.export = Some(job);
    }

    pub(super) fn finish_background_work(&mut self, ctx: &egui::Context) {
        for notice in self.export_results.try_iter() {
            if let Some(under_way) = &notice.replaces {
                self.state.notices.retain(|shown| shown != under_way);
            }
            self.state.notices.push(notice.text);
        }
        self.state.messages.append(&mut self.map.imagery.failures);
        let ready = self.map.basemap.pending_tiles() == 0
            && self.map.imagery.pending() == 0
            && !self.map.is_flying()
            && !self.loader.is_busy();
        let Some(image) = self.export.as_mut().and_then(|job| job.step(ctx, ready)) else {
            return;
        };
        let Some(job) = self.export.take() else {
            return;
        };
        if matches!(job.target, ExportTarget::Deck(_)) {
            self.export = self.take_deck_page(job, &image);
            return;
        }
        let result = match &job.target {
            ExportTarget::Png(path) => crate::present::save_png(&image, job.size_px, path)
                .map(|()| format!("wrote {}", path.display())),
            ExportTarget::Clipboard => {
                ctx.copy_image((*image).clone());
                Ok("Copied the slide to the clipboard.".to_owned())
            }
            ExportTarget::Deck(_) => return,
        };
        if !job.close_when_done {
            match &result {
                Ok(message) => self.state.notices.push(message.clone()),
                Err(message) => self.state.messages.push(message.clone()),
            }
        }
        job.finish(ctx, result);
    }
}

/// What the save dialog asks for.
struct SaveAs {
    title: String,
    filter: String,
    extension: String,
    file_name: String,
    /// Other formats offered: (filter name, extension).
    others: Vec<(String, String)>,
}

impl SaveAs {
    fn new(title: &str, filter: &str, extension: &str, file_name: &str) -> Self {
        Self {
            title: title.to_owned(),
            filter: filter.to_owned(),
            extension: extension.to_owned(),
            file_name: file_name.to_owned(),
            others: Vec::new(),
        }
    }

    /// Offers another format too (the chosen file's extension says which).
    fn or(mut self, filter: &str, extension: &str) -> Self {
        self.others.push((filter.to_owned(), extension.to_owned()));
        self
    }
}

/// How an export thread reports: its notice reaches the app, and the window wakes to show it.
struct Notifier {
    sender: std::sync::mpsc::Sender<ExportNotice>,
    ctx: egui::Context,
}

impl Notifier {
    fn send(&self, notice: ExportNotice) {
        let _ = self.sender.send(notice);
        self.ctx.request_repaint();
    }
}

/// A message from an export thread for the notices, possibly taking the place of the one that
/// said the export was under way.
pub(super) struct ExportNotice {
    text: String,
    replaces: Option<String>,
}

impl ExportNotice {
    pub(super) fn new(text: String) -> Self {
        Self {
            text,
            replaces: None,
        }
    }
}

/// Writes an export next to `path` and renames it into place when complete, so a failed export
/// leaves no half-written file under the chosen name. Returns how many events were written.
fn write_export_file(
    export: &crate::state::ShownEventsExport,
    format: EventsFormat,
    path: &std::path::Path,
) -> Result<usize, String> {
    write_atomically(path, |file| {
        export
            .write(std::io::BufWriter::with_capacity(1 << 20, file), format)
            .map(|(_, written)| written)
            .map_err(|error| error.to_string())
    })
}

/// Writes `path` through `write` into a file beside it, renamed into place only when
/// complete; on failure nothing is left behind. Returns what `write` returned.
fn write_atomically<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, String>,
) -> Result<T, String> {
    let mut partial_name = path.file_name().unwrap_or_default().to_owned();
    partial_name.push(".part");
    let partial = path.with_file_name(partial_name);
    let written = std::fs::File::create(&partial)
        .map_err(|error| format!("cannot write: {error}"))
        .and_then(|mut file| {
            let written = write(&mut file)?;
            file.sync_all()
                .map_err(|error| format!("cannot write: {error}"))?;
            drop(file); // closed before the rename
            std::fs::rename(&partial, path)
                .map(|()| written)
                .map_err(|error| format!("cannot write: {error}"))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// What a KML export holds: the events, coloured as the map colours their attackers, the
/// story's tour and the case's annotations.
struct KmlFile<'a> {
    title: Option<&'a str>,
    events: &'a [crate::model::StrikeEvent],
    other_attackers: &'a [String],
    tour: &'a crate::export::kml_tour::Tour,
    annotations: &'a [strikemap_core::case::Annotation],
}

/// The events as KML (or KMZ) into `out`, each attacker in the colour the map gives it, with
/// the story's tour and the case's annotations in a folder of their own.
fn write_kml_file<W: std::io::Write + std::io::Seek>(
    mut out: W,
    file: &KmlFile<'_>,
    kmz: bool,
) -> Result<(), String> {
    let other_attackers = file.other_attackers;
    let colour = |attacker: Option<&str>| {
        crate::style::attacker_style_among(attacker, other_attackers)
            .color
            .to_srgba_unmultiplied()
    };
    let colour = |attacker: Option<&str>| {
        let [r, g, b, _] = colour(attacker);
        [r, g, b]
    };
    let text = crate::export::kml::write_kml_with_colours(
        Vec::new(),
        file.title,
        file.events,
        &colour,
        Some(file.tour),
    )
    .map_err(|error| error.to_string())?;
    let text = String::from_utf8_lossy(&text);
    let text = strikemap_core::case::annotation_kml::with_annotations(&text, file.annotations);
    if kmz {
        strikemap_core::case::annotation_kml::kmz_of(out, &text)
            .map(drop)
            .map_err(|error| error.to_string())
    } else {
        out.write_all(text.as_bytes())
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ShownEventsExport;

    /// A large layer of three ACLED rows, loaded from a file in `dir`.
    fn table_in(dir: &std::path::Path) -> std::sync::Arc<crate::table::PointTable> {
        let path = dir.join("rows.csv");
        std::fs::write(
            &path,
            "event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities\n\
             PAK1,2024-01-16,Battles,Pakistan,26.9,64.1,2,0\n\
             PAK2,2024-01-17,Battles,Pakistan,27.0,64.2,2,1\n\
             PAK3,2024-01-18,Battles,Pakistan,27.1,64.3,2,2\n",
        )
        .unwrap();
        let loaded = crate::table::load_table(&path, &crate::table::LoadProgress::default())
            .unwrap()
            .unwrap();
        std::sync::Arc::new(loaded.table)
    }

    #[test]
    fn an_export_file_appears_whole_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("strikemap-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let table = table_in(&dir);
        let export = ShownEventsExport {
            title: None,
            events: Vec::new(),
            tables: vec![(std::sync::Arc::clone(&table), 0..3)],
            search: String::new(),
            points_left_out: 0,
        };
        let out = dir.join("out.csv");
        assert_eq!(write_export_file(&export, EventsFormat::Csv, &out), Ok(3));
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(!dir.join("out.csv.part").exists());

        // The layer's file changes: the export fails, naming it, and leaves nothing behind.
        std::fs::write(dir.join("rows.csv"), "changed\n").unwrap();
        let failed = dir.join("failed.csv");
        let error = write_export_file(&export, EventsFormat::Csv, &failed).unwrap_err();
        assert!(
            error.contains("rows.csv") && error.contains("changed"),
            "{error}"
        );
        assert!(!failed.exists());
        assert!(!dir.join("failed.csv.part").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
