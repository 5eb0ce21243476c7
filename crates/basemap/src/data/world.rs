//! Decoded geometry in world coordinates (normalised Web Mercator): points, rectangles, parts,
//! features, layers, and the decoded asset that holds them.

use std::ops::Range;

use super::layers::Layer;
use super::places::{CountryLabel, Place};
use crate::tile_math::LonLatBounds;

/// An axis-aligned rectangle in world coordinates (Web Mercator, 0..1, y grows southwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WorldRect {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl WorldRect {
    pub(super) const EMPTY: WorldRect = WorldRect {
        min_x: f64::INFINITY,
        min_y: f64::INFINITY,
        max_x: f64::NEG_INFINITY,
        max_y: f64::NEG_INFINITY,
    };

    pub(super) fn include_point(&mut self, point: WorldPoint) {
        self.min_x = self.min_x.min(point.x);
        self.min_y = self.min_y.min(point.y);
        self.max_x = self.max_x.max(point.x);
        self.max_y = self.max_y.max(point.y);
    }

    pub(super) fn include_rect(&mut self, other: &WorldRect) {
        self.min_x = self.min_x.min(other.min_x);
        self.min_y = self.min_y.min(other.min_y);
        self.max_x = self.max_x.max(other.max_x);
        self.max_y = self.max_y.max(other.max_y);
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: &WorldRect) -> bool {
        self.min_x <= other.min_x
            && other.max_x <= self.max_x
            && self.min_y <= other.min_y
            && other.max_y <= self.max_y
    }

    pub fn intersects(&self, other: &WorldRect) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }
}

/// A point in world coordinates (Web Mercator, 0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WorldPoint {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub bounds: WorldRect,
    pub points: Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Feature {
    pub class: u8,
    pub rank: u8,
    pub min_zoom: Option<f32>,
    pub bounds: WorldRect,
    pub parts: Range<usize>,
}

/// One decoded geometry layer; features index into `parts`, parts into `points`.
#[derive(Debug, Clone)]
pub(crate) struct GeometryLayer {
    pub features: Vec<Feature>,
    pub parts: Vec<Part>,
    pub points: Vec<WorldPoint>,
}

impl GeometryLayer {
    pub fn part_points(&self, part: &Part) -> &[WorldPoint] {
        self.points.get(part.points.clone()).unwrap_or(&[])
    }

    pub fn feature_parts(&self, feature: &Feature) -> &[Part] {
        self.parts.get(feature.parts.clone()).unwrap_or(&[])
    }
}

/// Everything decoded from the asset.
#[derive(Debug, Clone)]
pub(crate) struct DecodedAsset {
    pub region: LonLatBounds,
    /// Indexed by `Layer::index`.
    pub layers: Vec<GeometryLayer>,
    pub places: Vec<Place>,
    pub country_labels: Vec<CountryLabel>,
}

impl DecodedAsset {
    pub fn layer(&self, layer: Layer) -> Option<&GeometryLayer> {
        self.layers.get(layer.index())
    }
}
