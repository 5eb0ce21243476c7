//! The case's extra layers: the files loaded over the map (overlays, events files, large
//! tables) with their looks are part of the case. Opening a case loads its layers (the shell
//! carries out the loads) and gives each its saved name and look; adding, restyling or removing
//! a layer changes the case's list, so it is saved with the case. These changes are not undo
//! steps: undo and redo cover the case's events, statements and fields. A layer whose file
//! cannot be read stays in the case (as QGIS keeps unavailable layers) and the user is told.
//! Pure code, no egui.

use super::{AppState, Layer, LayerId, LayerLook};
use std::path::{Path, PathBuf};
use strikemap_core::case;

/// A loaded layer as the case lists it.
pub fn case_layer_of(layer: &Layer) -> Option<case::Layer> {
    let path = layer.path.as_ref()?;
    let [r, g, b] = layer.look.color;
    Some(case::Layer {
        path: path.display().to_string(),
        name: layer.name.clone(),
        visible: layer.look.visible,
        colour: format!("#{r:02x}{g:02x}{b:02x}"),
        // Two decimals: the slider's steps, and a file that reads well.
        opacity: (f64::from(layer.look.opacity) * 100.0).round() / 100.0,
    })
}

/// The look a case gives a layer; a colour that is not `#rrggbb` keeps `fallback`'s.
pub fn look_of(layer: &case::Layer, fallback: LayerLook) -> LayerLook {
    let channel = |at: usize| {
        layer
            .colour
            .get(at..at + 2)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
    };
    let color = match (layer.colour.len(), channel(1), channel(3), channel(5)) {
        (7, Some(r), Some(g), Some(b)) => [r, g, b],
        _ => fallback.color,
    };
    LayerLook {
        visible: layer.visible,
        color,
        opacity: if layer.opacity.is_finite() {
            layer.opacity.clamp(0.0, 1.0) as f32
        } else {
            fallback.opacity
        },
    }
}

/// A path as a whole path (joined to the working folder when relative), so the same file is
/// recognised however it was named.
pub fn whole_path(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl AppState {
    /// The provinces shown are the case's own: the bundled ones when the case lists
    /// [`case::BUNDLED_PROVINCES_LAYER`] (the bundled case and copies of it), none otherwise, so
    /// a new case starts on the plain world map.
    pub(super) fn show_case_provinces(&mut self) {
        let listed = self
            .case
            .case
            .layers
            .iter()
            .any(|layer| layer.path == case::BUNDLED_PROVINCES_LAYER);
        self.provinces = if listed {
            self.bundled_provinces.clone()
        } else {
            Vec::new()
        };
    }

    /// The layers the case lists whose files are to be loaded, taken by the app shell.
    pub fn take_case_layer_loads(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.case_layer_loads)
    }

    /// The index in the case's layer list of the entry for the file at `path`.
    fn case_layer_entry(&self, path: &Path) -> Option<usize> {
        self.case
            .case
            .layers
            .iter()
            .position(|layer| Path::new(&layer.path) == path)
    }

    /// Whether the file at `path` is one of the case's layers (its load is the case's).
    pub(super) fn is_case_layer_file(&self, path: &Path) -> bool {
        self.case_layer_entry(path).is_some()
    }

    /// The layers loaded from files (all but the case's own events).
    fn file_layer_ids(&self) -> Vec<LayerId> {
        self.layers
            .iter()
            .filter(|layer| layer.id != self.case_layer && layer.path.is_some())
            .map(|layer| layer.id)
            .collect()
    }

    /// The files of the shown layers (all but the case's own events), bottom first.
    pub fn shown_layer_files(&self) -> Vec<PathBuf> {
        self.layers
            .iter()
            .filter(|layer| layer.id != self.case_layer && layer.look.visible)
            .filter_map(|layer| layer.path.clone())
            .collect()
    }

    /// The loaded files' layers as a case lists them, bottom first.
    pub(super) fn file_layers_as_case_layers(&self) -> Vec<case::Layer> {
        self.layers
            .iter()
            .filter(|layer| layer.id != self.case_layer)
            .filter_map(case_layer_of)
            .collect()
    }

    /// The case's layers whose files could not be read when it opened (still in the case).
    pub fn case_layers_not_loaded(&self) -> Vec<&case::Layer> {
        self.case
            .case
            .layers
            .iter()
            .filter(|layer| {
                self.case_layers_not_loaded
                    .iter()
                    .any(|path| path.as_path() == Path::new(&layer.path))
            })
            .collect()
    }

    /// A case layer's file could not be read: it is listed as not loaded.
    pub(super) fn case_layer_not_loaded(&mut self, path: PathBuf) {
        if !self.case_layers_not_loaded.contains(&path) {
            self.case_layers_not_loaded.push(path);
        }
    }

    /// "Remove from case" on a layer that could not be loaded.
    pub(super) fn forget_case_layer(&mut self, path: &Path) {
        self.case_layers_not_loaded
            .retain(|missing| missing != path);
        let mut layers = self.case.case.layers.clone();
        layers.retain(|layer| Path::new(&layer.path) != path);
        self.case.set_layers(layers);
    }

    /// Opening a case: the layers of the case before are removed, and the new case's layers are
    /// asked to load: those in the case file's folder at once, those outside it
    /// ([`case::trust`]) only once the user agrees ([`Self::case_layers_awaiting_consent`]).
    pub(super) fn replace_file_layers_with_the_case_layers(&mut self) {
        for id in self.file_layer_ids() {
            self.remove_layer(id);
        }
        self.case_layers_not_loaded.clear();
        let outside = match &self.case.path {
            Some(case_path) => case::trust::layers_outside_case_folder(case_path, &self.case.case),
            None => Vec::new(),
        };
        self.case_layer_loads = self
            .case
            .case
            .layers
            .iter()
            .filter(|layer| !layer.path.is_empty() && !case::is_bundled_layer_path(&layer.path))
            .map(|layer| PathBuf::from(&layer.path))
            .filter(|path| !outside.contains(path))
            .collect();
        self.case_layers_awaiting_consent = outside;
    }

    /// The open case's layers outside its folder that wait for the user's answer.
    pub fn case_layers_awaiting_consent(&self) -> &[PathBuf] {
        &self.case_layers_awaiting_consent
    }

    /// "Load these layers" (`load`) or "Don't load": the layers outside the case's folder are
    /// loaded, or listed as not loaded (they stay in the case).
    pub(super) fn answer_outside_case_layers(&mut self, load: bool) {
        let waiting = std::mem::take(&mut self.case_layers_awaiting_consent);
        if load {
            self.case_layer_loads.extend(waiting);
        } else {
            for path in waiting {
                self.case_layer_not_loaded(path);
            }
        }
    }

    /// A file layer was loaded: a layer of the case takes its saved name, look and place in
    /// the list; any other file becomes one of the case's layers.
    pub(super) fn case_layer_loaded(&mut self, id: LayerId) {
        let Some(loaded) = self.layer(id).and_then(|layer| layer.path.clone()) else {
            return;
        };
        match self.case_layer_entry(&loaded) {
            Some(entry) => {
                let saved = self.case.case.layers[entry].clone();
                if let Some(layer) = self.layer_mut(id) {
                    layer.look = look_of(&saved, layer.look);
                    if !saved.name.trim().is_empty() {
                        layer.name = saved.name;
                    }
                }
                self.order_layers_as_the_case();
            }
            None => self.case_layer_changed(id),
        }
    }

    /// Puts the file layers in the case's order (bottom first); others keep theirs, after.
    fn order_layers_as_the_case(&mut self) {
        let case_layer = self.case_layer;
        let order: Vec<Option<usize>> = self
            .layers
            .iter()
            .map(|layer| {
                if layer.id == case_layer {
                    Some(0)
                } else {
                    layer
                        .path
                        .as_deref()
                        .and_then(|path| self.case_layer_entry(path))
                        .map(|entry| entry + 1)
                }
            })
            .collect();
        let mut keyed: Vec<(usize, Layer)> = order
            .into_iter()
            .map(|key| key.unwrap_or(usize::MAX))
            .zip(std::mem::take(&mut self.layers))
            .collect();
        keyed.sort_by_key(|(key, _)| *key);
        self.layers = keyed.into_iter().map(|(_, layer)| layer).collect();
    }

    /// A file layer was added or restyled: the case lists it as it is now.
    pub(super) fn case_layer_changed(&mut self, id: LayerId) {
        let Some(listed) = self.layer(id).and_then(case_layer_of) else {
            return;
        };
        let mut layers = self.case.case.layers.clone();
        match self.case_layer_entry(Path::new(&listed.path)) {
            Some(entry) => layers[entry] = listed,
            None => layers.push(listed),
        }
        self.case.set_layers(layers);
    }

    /// A file layer is being removed: the case no longer lists it.
    pub(super) fn case_layer_removed(&mut self, id: LayerId) {
        let Some(path) = self.layer(id).and_then(|layer| layer.path.clone()) else {
            return;
        };
        let mut layers = self.case.case.layers.clone();
        layers.retain(|layer| Path::new(&layer.path) != path);
        self.case.set_layers(layers);
    }
}
