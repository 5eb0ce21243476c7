//! What background work delivers to the window: files picked, dropped and loaded, basemaps
//! chosen, records read; and loading files at once for an export run.

use super::{StrikemapApp, dialogs};
use crate::settings::TileSourceChoice;
use std::path::PathBuf;

impl StrikemapApp {
    /// Loads `paths` before returning, for an export run: each file is a layer as in the window
    /// (framed, unless a view is asked for after), a case file opens as the case. The first
    /// file that cannot be read is the error, naming it.
    pub fn load_files_now(&mut self, paths: &[PathBuf]) -> Result<(), String> {
        for path in paths {
            if crate::state::is_case_file(path) {
                self.open_case_file(path)?;
                continue;
            }
            let imported = crate::import::import_file(path).map_err(|error| error.to_string())?;
            self.state
                .add_import_with_index(path.clone(), Ok(imported), None);
        }
        Ok(())
    }

    /// True while files are loading.
    pub fn is_loading(&self) -> bool {
        self.loader.is_busy()
    }

    /// Applies what the loader and the file dialog delivered, and dropped files.
    /// Takes what background work finished: picked and dropped files start loading, loaded
    /// files become layers, read records reach the selected row.
    pub(super) fn receive_background_results(&mut self, ctx: &egui::Context) {
        let picked: Vec<PathBuf> = self.picked_files.try_iter().flatten().collect();
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .collect()
        });
        let (basemaps, data): (Vec<PathBuf>, Vec<PathBuf>) = picked
            .into_iter()
            .chain(dropped)
            .partition(|path| dialogs::is_basemap_file(path));
        self.open_files(data, ctx);
        let picked_basemap = self.picked_basemap.try_iter().last();
        if let Some(path) = picked_basemap.or_else(|| basemaps.into_iter().last()) {
            self.choose_basemap(TileSourceChoice::File { path }, ctx);
        }
        if let Some(failure) = self.map.basemap.take_failure() {
            self.state.messages.push(failure);
        }
        if self.loader.is_busy() {
            // Keep the progress bar moving; four times a second leaves the cores to the loader.
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        for loaded in self.loader.finished() {
            if self
                .state
                .add_import_with_index(loaded.path.clone(), loaded.result, loaded.index)
                .is_some()
            {
                self.settings.remember_file(loaded.path);
            }
        }
        let case_layers = self.state.take_case_layer_loads();
        if !case_layers.is_empty() {
            let ctx = ctx.clone();
            self.loader.load(case_layers, move || ctx.request_repaint());
        }
        for read in self.record_reader.finished() {
            self.state.receive_record(read.layer, read.row, read.record);
        }
    }
}
