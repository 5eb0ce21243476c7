//! KML (Google Earth's format) and KMZ (KML zipped) as overlay layers.
//!
//! Every `Placemark` becomes a feature: its geometry (see `geometry.rs`), and as properties its
//! `name`, `description`, `folder` (the names of the Folders and Documents it is in, below the
//! outermost Document, joined by " / "), `time` (TimeStamp) or `begin`/`end` (TimeSpan),
//! `when` (a gx:Track's times), the `ExtendedData` (`Data` name/value and `SchemaData`'s
//! `SimpleData`) and the colours of its style (see `style.rs`). The outermost Document's name
//! names the layer. Image overlays and network links are skipped with a word; a placemark
//! whose geometry cannot be read is skipped with its index, name, line and column.
//!
//! The georust `kml` crate (0.15) was looked at first: it does not read gx:Track, keeps
//! ExtendedData as untyped elements and gives no line and column, so the files are read with
//! quick-xml (which `kml` itself is built on) through `formats::xml_tree`.

mod geometry;
mod kmz;
mod style;

pub(crate) use geometry::checked_coord;
pub use kmz::{ZIP_MAGIC, parse_kmz};

use super::overlay::{OverlayFeature, OverlayLayer};
use super::skips::SkipLog;
use super::xml_tree::{self, Element};
use crate::error::LoadError;
use geometry::{GEOMETRY_ELEMENTS, read_geometry};
use serde_json::{Map, Value};
use style::Styles;

/// A layer read from KML, with what was skipped and what was tolerated (the log's warnings).
pub type KmlRead = (OverlayLayer, SkipLog);

/// Elements that are not placemarks but are worth a word when skipped.
const NOT_DRAWN: [(&str, &str); 4] = [
    ("GroundOverlay", "an image laid on the ground"),
    ("ScreenOverlay", "an image fixed on the screen"),
    ("PhotoOverlay", "a photo"),
    (
        "NetworkLink",
        "a link to a file elsewhere, which is not fetched",
    ),
];

/// Parses KML text into an overlay layer. `file` names the file in messages.
pub fn parse_kml(file: &str, text: &str) -> Result<KmlRead, LoadError> {
    parse_kml_from(file, text.as_bytes())
}

/// Parses KML read from `source` as a stream (the whole text is never held): the entry of a
/// KMZ as it inflates. `file` names the file in messages.
pub fn parse_kml_from(file: &str, source: impl std::io::Read) -> Result<KmlRead, LoadError> {
    let root = xml_tree::parse_document_from(file, source, "kml", "KML")?;
    let styles = Styles::collect(&root);
    // The outermost Document (or Folder) names the layer and is left out of the folder paths.
    let top = match root.children.as_slice() {
        [only] if only.name == "Document" || only.name == "Folder" => only,
        _ => &root,
    };
    let name = top
        .child_text("name")
        .map(str::to_owned)
        .unwrap_or_else(|| super::overlay::file_stem(file));
    let mut reader = Reader {
        styles,
        folders: Vec::new(),
        placemarks: 0,
        features: Vec::new(),
        skips: SkipLog::default(),
    };
    reader.visit(top);
    if reader.features.is_empty() {
        return Err(if reader.skips.total > 0 {
            reader.skips.nothing_loaded(file, "placemark")
        } else {
            LoadError::Document {
                file: file.to_owned(),
                message: "the KML file has no placemarks".into(),
            }
        });
    }
    let layer = OverlayLayer {
        name,
        features: reader.features,
        unlocated: Vec::new(),
    };
    Ok((layer, reader.skips))
}

struct Reader<'e> {
    styles: Styles<'e>,
    /// The names of the Folders and Documents being read, outermost first.
    folders: Vec<String>,
    /// How many placemarks were met, loaded or not.
    placemarks: usize,
    features: Vec<OverlayFeature>,
    /// Skipped placemarks and, as its warnings, what was tolerated.
    skips: SkipLog,
}

impl<'e> Reader<'e> {
    fn visit(&mut self, container: &'e Element) {
        for child in &container.children {
            match child.name.as_str() {
                "Document" | "Folder" => {
                    let name = child.child_text("name").unwrap_or("(unnamed)");
                    self.folders.push(name.to_owned());
                    self.visit(child);
                    self.folders.pop();
                }
                "Placemark" => self.placemark(child),
                other => {
                    if let Some((_, what)) = NOT_DRAWN.iter().find(|(name, _)| *name == other) {
                        let label = child
                            .child_text("name")
                            .map(|name| format!(" ({name:?})"))
                            .unwrap_or_default();
                        self.skips.push(
                            format!("{other}{label} at {}", child.place),
                            format!("{what}; only placemarks are drawn"),
                        );
                    }
                }
            }
        }
    }

    fn placemark(&mut self, placemark: &'e Element) {
        let index = self.placemarks;
        self.placemarks += 1;
        let name = placemark.child_text("name");
        let place = match name {
            Some(name) => format!("placemark {index} ({name:?})"),
            None => format!("placemark {index}"),
        };
        let geometries: Vec<&Element> = placemark
            .children
            .iter()
            .filter(|child| GEOMETRY_ELEMENTS.contains(&child.name.as_str()))
            .collect();
        let [geometry_element] = geometries.as_slice() else {
            let reason = if geometries.is_empty() {
                format!(
                    "{}: has no geometry (Point, LineString, LinearRing, Polygon, \
                     MultiGeometry or gx:Track) to draw",
                    placemark.place
                )
            } else {
                format!(
                    "{}: has {} geometries; a placemark holds one (several go in a \
                     MultiGeometry)",
                    placemark.place,
                    geometries.len()
                )
            };
            self.skips.push(place, reason);
            return;
        };
        let read = match read_geometry(geometry_element, 0) {
            Ok(read) => read,
            Err(problem) => {
                let at = problem.element.place;
                self.skips.push(place, format!("{at}: {}", problem.reason));
                return;
            }
        };
        if read.unclosed_rings > 0 {
            let at = format!("{place}, {}", geometry_element.place);
            self.skips.warn(
                at,
                format!(
                    "KML 2.2 §10.5: {} LinearRing(s) whose last position is not the first; \
                     closed them",
                    read.unclosed_rings
                ),
            );
        }
        let mut properties = Map::new();
        if let Some(name) = name {
            properties.insert("name".into(), Value::from(name));
        }
        if let Some(description) = placemark.child_text("description") {
            properties.insert("description".into(), Value::from(description));
        }
        if !self.folders.is_empty() {
            properties.insert("folder".into(), Value::from(self.folders.join(" / ")));
        }
        if let Some(when) = placemark
            .child("TimeStamp")
            .and_then(|stamp| stamp.child_text("when"))
        {
            properties.insert("time".into(), Value::from(when));
        }
        if let Some(span) = placemark.child("TimeSpan") {
            for key in ["begin", "end"] {
                if let Some(value) = span.child_text(key) {
                    properties.insert(key.into(), Value::from(value));
                }
            }
        }
        let track_times: Vec<Value> = std::iter::once(*geometry_element)
            .chain(geometry_element.children_named("Track"))
            .flat_map(|track| track.children_named("when"))
            .map(|when| Value::from(when.text.trim()))
            .collect();
        if !track_times.is_empty() {
            properties.insert("when".into(), Value::Array(track_times));
        }
        if let Some(extended) = placemark.child("ExtendedData") {
            extended_data(extended, &mut properties);
        }
        self.styles.add_colours(placemark, &mut properties);
        self.features.push(OverlayFeature {
            index,
            id: placemark.attribute("id").map(str::to_owned),
            geometry: read.geometry,
            properties,
        });
    }
}

/// `Data` (name, value and an optional displayName) and `SchemaData`'s `SimpleData` as
/// properties; a name already taken (by `name`, say) gets the prefix "data: ".
fn extended_data(extended: &Element, properties: &mut Map<String, Value>) {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for data in extended.children_named("Data") {
        if let Some(key) = data.attribute("name") {
            pairs.push((
                key,
                data.child("value").map_or("", |value| value.text.trim()),
            ));
        }
    }
    for schema_data in extended.children_named("SchemaData") {
        for simple in schema_data.children_named("SimpleData") {
            if let Some(key) = simple.attribute("name") {
                pairs.push((key, simple.text.trim()));
            }
        }
    }
    for (key, value) in pairs {
        let key = if properties.contains_key(key) {
            format!("data: {key}")
        } else {
            key.to_owned()
        };
        properties.insert(key, Value::from(value));
    }
}

#[cfg(test)]
mod tests;
