//! What the binary layer formats (Shapefile, GeoPackage, FlatGeobuf) share: positions turned
//! into WGS 84 longitude, latitude and checked, and a file of several layers read as one list
//! of overlay layers with one log of what was skipped or tolerated.

use super::crs::Reprojection;
use super::overlay::{OverlayFeature, OverlayLayer};
use super::skips::SkipLog;
use geo::Coord;
use serde_json::{Map, Value};

/// One layer read, with what was skipped or tolerated in it.
pub type LayerRead = (OverlayLayer, SkipLog);

/// Turns a file's coordinates into WGS 84 longitude, latitude: reprojected when the file's
/// system is another, and checked to be finite and within -180..180, -90..90.
pub struct Positions<'r> {
    pub reprojection: Option<&'r Reprojection>,
}

impl Positions<'_> {
    pub fn coord(&self, x: f64, y: f64) -> Result<Coord<f64>, String> {
        if !x.is_finite() || !y.is_finite() {
            return Err(format!("the position {x}, {y} is not a finite number"));
        }
        let (lon, lat) = match self.reprojection {
            Some(reprojection) => reprojection.to_wgs84(x, y)?,
            None => (x, y),
        };
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(match self.reprojection {
                Some(reprojection) => format!(
                    "the position {x}, {y} in {} lies at longitude {lon}, latitude {lat}, \
                     outside -180..180, -90..90",
                    reprojection.label
                ),
                None => format!(
                    "the position {x}, {y} is not longitude, latitude in degrees (outside \
                     -180..180, -90..90)"
                ),
            });
        }
        Ok(Coord { x: lon, y: lat })
    }
}

/// The layers of one file as one log: each skip and warning of a file of several layers gets
/// its layer's name in front of its place ("layer roads, feature 3").
pub fn merge_logs(reads: &mut [LayerRead]) -> SkipLog {
    let several = reads.len() > 1;
    let mut merged = SkipLog::default();
    for (layer, log) in reads.iter_mut() {
        let prefix = |place: &str| {
            if several {
                format!("layer {}, {place}", layer.name)
            } else {
                place.to_owned()
            }
        };
        for warning in &log.warnings {
            merged.warn(prefix(&warning.place), warning.message.clone());
        }
        merged.warnings_total += log.warnings_total - log.warnings.len();
        for skipped in &log.listed {
            merged.push(prefix(&skipped.place), skipped.reason.clone());
        }
        merged.total += log.total - log.listed.len();
    }
    merged
}

/// A layer being read: features with a place, and those without (a NULL shape, an empty or
/// NULL geometry), which [`OverlayLayer::unlocated`] holds with an empty collection.
#[derive(Default)]
pub struct LayerFeatures {
    features: Vec<OverlayFeature>,
    unlocated: Vec<OverlayFeature>,
}

impl LayerFeatures {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            features: Vec::with_capacity(capacity),
            unlocated: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        index: usize,
        id: Option<String>,
        geometry: Option<geo::Geometry<f64>>,
        properties: Map<String, Value>,
    ) {
        let (list, geometry) = match geometry {
            Some(geometry) => (&mut self.features, geometry),
            None => (
                &mut self.unlocated,
                geo::Geometry::GeometryCollection(geo::GeometryCollection(Vec::new())),
            ),
        };
        list.push(OverlayFeature {
            index,
            id,
            geometry,
            properties,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty() && self.unlocated.is_empty()
    }

    pub fn into_layer(self, name: String) -> OverlayLayer {
        OverlayLayer {
            name,
            features: self.features,
            unlocated: self.unlocated,
        }
    }
}
