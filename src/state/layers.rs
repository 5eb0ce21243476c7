//! The layers of data on the map: one list, each layer with an id, a name, a look and its
//! content (events, an overlay, or a large table with its spatial index).

use super::{AppState, ViewRequest};
use crate::error::LoadError;
use crate::formats::event_schema::EventCollection;
use crate::formats::geotiff::GeoTiff;
use crate::geometry::GeoBounds;
use crate::import::{Import, ImportedContent, OverlayLayer};
use crate::model::StrikeEvent;
use crate::spatial::PointIndex;
use crate::table::PointTable;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Identifies a layer for as long as it is loaded (indices shift when layers are removed).
pub type LayerId = u32;

/// An event, by the layer it came from and its id within that layer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventRef {
    pub layer: LayerId,
    pub id: String,
}

/// How a layer is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerLook {
    pub visible: bool,
    /// Colour of the layer's events that name no attacker, its shapes and points (sRGB).
    pub color: [u8; 3],
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f32,
}

/// What a layer holds.
#[derive(Clone, Debug)]
pub enum LayerContent {
    /// Strike events in the app's schema (the bundled case or an imported file), in
    /// chronological order.
    Events(Vec<StrikeEvent>),
    /// A GeoJSON file that is not events: drawn as shapes; clicking one shows its properties.
    Overlay(OverlayLayer),
    /// A large file loaded as a compact table, drawn through its spatial index (count bubbles
    /// when zoomed out).
    Table(TableContent),
    /// A GeoTIFF drawn under the data, read window by window (`map::imagery`).
    Imagery(Arc<GeoTiff>),
}

/// A large file's rows and their spatial index.
#[derive(Clone)]
pub struct TableContent {
    pub table: Arc<PointTable>,
    pub index: Arc<PointIndex>,
}

impl std::fmt::Debug for TableContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableContent")
            .field("rows", &self.table.len())
            .finish_non_exhaustive()
    }
}

/// One layer of data on the map.
#[derive(Clone, Debug)]
pub struct Layer {
    pub id: LayerId,
    pub name: String,
    /// Where it was loaded from; `None` for the bundled data.
    pub path: Option<PathBuf>,
    pub look: LayerLook,
    pub content: LayerContent,
}

impl Layer {
    /// The layer's events; empty for overlays and tables.
    pub fn events(&self) -> &[StrikeEvent] {
        match &self.content {
            LayerContent::Events(events) => events,
            LayerContent::Overlay(_) | LayerContent::Table(_) | LayerContent::Imagery(_) => &[],
        }
    }

    pub fn overlay(&self) -> Option<&OverlayLayer> {
        match &self.content {
            LayerContent::Overlay(overlay) => Some(overlay),
            LayerContent::Events(_) | LayerContent::Table(_) | LayerContent::Imagery(_) => None,
        }
    }

    pub fn imagery(&self) -> Option<&Arc<GeoTiff>> {
        match &self.content {
            LayerContent::Imagery(tiff) => Some(tiff),
            _ => None,
        }
    }

    pub fn table(&self) -> Option<&TableContent> {
        match &self.content {
            LayerContent::Table(table) => Some(table),
            LayerContent::Events(_) | LayerContent::Overlay(_) | LayerContent::Imagery(_) => None,
        }
    }

    pub fn holds_events(&self) -> bool {
        matches!(self.content, LayerContent::Events(_))
    }

    /// Around everything the layer holds.
    pub fn bounds(&self) -> Option<GeoBounds> {
        match &self.content {
            LayerContent::Events(events) => {
                GeoBounds::around(events.iter().map(|event| event.position))
            }
            LayerContent::Overlay(overlay) => overlay.bounds(),
            LayerContent::Table(content) => content.table.bounds(),
            LayerContent::Imagery(tiff) => {
                let [west, south, east, north] = tiff.bounds;
                Some(GeoBounds {
                    min: crate::model::LonLat {
                        lon: west,
                        lat: south,
                    },
                    max: crate::model::LonLat {
                        lon: east,
                        lat: north,
                    },
                })
            }
        }
    }
}

/// Colours given to loaded layers in turn (Okabe–Ito, skipping the countries' colours).
pub const LAYER_COLORS: [[u8; 3]; 5] = [
    [0x56, 0xB4, 0xE9],
    [0x00, 0x9E, 0x73],
    [0xCC, 0x79, 0xA7],
    [0xE6, 0x9F, 0x00],
    [0x00, 0x00, 0x00],
];

/// A file's name without its folder (for a layer with no title of its own, and lists).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

impl AppState {
    /// Adds a layer, visible and opaque, in the next colour.
    pub(super) fn add_layer(
        &mut self,
        name: String,
        path: Option<PathBuf>,
        content: LayerContent,
    ) -> LayerId {
        let id = self.next_layer_id;
        self.next_layer_id += 1;
        self.layers.push(Layer {
            id,
            name,
            path,
            look: LayerLook {
                visible: true,
                color: LAYER_COLORS[id as usize % LAYER_COLORS.len()],
                opacity: 1.0,
            },
            content,
        });
        self.refresh_attackers();
        id
    }

    /// Adds an imported file (events, a table or an overlay) as a new layer, frames it and
    /// reports what was skipped; a failed import only adds a message and changes nothing else.
    pub fn add_import(
        &mut self,
        path: PathBuf,
        imported: Result<Import, LoadError>,
    ) -> Option<LayerId> {
        self.add_import_with_index(path, imported, None)
    }

    /// [`AppState::add_import`] with the spatial index of a table already built (the loader
    /// builds it off the UI thread); built here when `None`.
    pub fn add_import_with_index(
        &mut self,
        path: PathBuf,
        imported: Result<Import, LoadError>,
        index: Option<Arc<PointIndex>>,
    ) -> Option<LayerId> {
        let path = super::case_layers::whole_path(&path);
        // A layer of the case keeps the case's view; a file the user adds is framed.
        let of_the_case = self.is_case_layer_file(&path);
        let import = match imported {
            Ok(import) => import,
            Err(error) => {
                if of_the_case {
                    self.messages.push(format!(
                        "A layer of the case could not be loaded (it stays in the case): {error}"
                    ));
                    self.case_layer_not_loaded(path);
                } else {
                    self.messages.push(error.to_string());
                }
                return None;
            }
        };
        let summary = crate::validate::summarize(&import);
        if import.is_clean() {
            self.notices.extend(summary);
        } else {
            self.messages.extend(summary);
        }
        let id = match import.content {
            ImportedContent::Events(collection) => {
                let name = collection.title.clone().unwrap_or_else(|| file_name(&path));
                self.add_layer(name, Some(path), LayerContent::Events(collection.events))
            }
            ImportedContent::Table(table) => {
                let name = table.title.clone().unwrap_or_else(|| file_name(&path));
                let index = index.unwrap_or_else(|| Arc::new(table.build_index()));
                let content = TableContent { table, index };
                self.add_layer(name, Some(path), LayerContent::Table(content))
            }
            ImportedContent::Overlay(overlay) => {
                let name = overlay.name.clone();
                self.add_layer(name, Some(path), LayerContent::Overlay(overlay))
            }
            ImportedContent::Imagery(tiff) => {
                let name = file_name(&path);
                self.add_layer(name, Some(path), LayerContent::Imagery(tiff))
            }
            ImportedContent::Layers(overlays) => {
                // Each feature table or shapefile set of the file is a layer of its own; the
                // first stands for the file (the case and the view follow it).
                let mut ids = overlays.into_iter().map(|overlay| {
                    let name = format!("{}: {}", file_name(&path), overlay.name);
                    self.add_layer(name, Some(path.clone()), LayerContent::Overlay(overlay))
                });
                let first = ids.next()?;
                ids.for_each(drop);
                first
            }
        };
        self.case_layer_loaded(id);
        if !of_the_case && let Some(bounds) = self.layer_bounds(id) {
            self.pending_view = Some(ViewRequest::Fit(bounds));
        }
        Some(id)
    }

    /// Adds a loaded events file as a new layer, or reports the error and changes nothing else.
    pub fn add_loaded_events(
        &mut self,
        path: PathBuf,
        loaded: Result<EventCollection, LoadError>,
    ) -> Option<LayerId> {
        match loaded {
            Ok(collection) => {
                let name = collection.title.clone().unwrap_or_else(|| file_name(&path));
                let id = self.add_layer(name, Some(path), LayerContent::Events(collection.events));
                self.case_layer_loaded(id);
                if let Some(bounds) = self.layer_bounds(id) {
                    self.pending_view = Some(ViewRequest::Fit(bounds));
                }
                Some(id)
            }
            Err(error) => {
                self.messages.push(error.to_string());
                None
            }
        }
    }

    pub fn layer(&self, id: LayerId) -> Option<&Layer> {
        self.layers.iter().find(|layer| layer.id == id)
    }

    pub(super) fn layer_mut(&mut self, id: LayerId) -> Option<&mut Layer> {
        self.layers.iter_mut().find(|layer| layer.id == id)
    }

    /// The layers of events (bundled or imported), in loading order.
    pub fn event_layers(&self) -> impl Iterator<Item = &Layer> {
        self.layers.iter().filter(|layer| layer.holds_events())
    }

    /// The overlay layers with their content, in loading order.
    pub fn overlays(&self) -> impl DoubleEndedIterator<Item = (&Layer, &OverlayLayer)> {
        self.layers
            .iter()
            .filter_map(|layer| Some((layer, layer.overlay()?)))
    }

    /// The table layers with their content, in loading order.
    pub fn tables(&self) -> impl Iterator<Item = (&Layer, &TableContent)> {
        self.layers
            .iter()
            .filter_map(|layer| Some((layer, layer.table()?)))
    }

    /// The visible table layers.
    pub fn visible_tables(&self) -> impl Iterator<Item = (&Layer, &TableContent)> {
        self.tables().filter(|(layer, _)| layer.look.visible)
    }

    pub fn overlay(&self, id: LayerId) -> Option<(&Layer, &OverlayLayer)> {
        let layer = self.layer(id)?;
        Some((layer, layer.overlay()?))
    }

    pub fn table(&self, id: LayerId) -> Option<(&Layer, &TableContent)> {
        let layer = self.layer(id)?;
        Some((layer, layer.table()?))
    }

    /// Every loaded event, shown or not.
    pub fn all_events(&self) -> impl Iterator<Item = &StrikeEvent> {
        self.layers.iter().flat_map(|layer| layer.events().iter())
    }

    /// How many rows of visible table layers are inside the time window.
    pub fn shown_table_rows(&self) -> usize {
        self.visible_tables()
            .map(|(_, content)| content.table.rows_in_window(self.time_window).len())
            .sum()
    }

    pub fn layer_bounds(&self, id: LayerId) -> Option<GeoBounds> {
        self.layer(id)?.bounds()
    }

    /// The colour and opacity of the layer an event is in.
    pub fn layer_look(&self, id: LayerId) -> ([u8; 3], f32) {
        self.layer(id).map_or(([0x80, 0x80, 0x80], 1.0), |layer| {
            (layer.look.color, layer.look.opacity)
        })
    }

    /// Removes a layer and whatever of it was selected or listed.
    pub(super) fn remove_layer(&mut self, id: LayerId) {
        self.layers.retain(|layer| layer.id != id);
        self.refresh_attackers();
        if self
            .row_listing
            .as_ref()
            .is_some_and(|listing| listing.layer == id)
        {
            self.row_listing = None;
        }
        if self.selection.layer() == Some(id) {
            self.selection = super::Selection::None;
        }
    }
}

/// A table layer as the map draws it: its id, name and look with its content.
#[derive(Clone, Copy, Debug)]
pub struct TableView<'a> {
    pub id: LayerId,
    pub name: &'a str,
    pub look: LayerLook,
    pub table: &'a PointTable,
    pub index: &'a PointIndex,
}

impl<'a> TableView<'a> {
    pub fn new(layer: &'a Layer, content: &'a TableContent) -> Self {
        Self {
            id: layer.id,
            name: &layer.name,
            look: layer.look,
            table: &content.table,
            index: &content.index,
        }
    }
}
