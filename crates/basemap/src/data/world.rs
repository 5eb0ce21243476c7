//! Decoded geometry in world coordinates (normalised Web Mercator): points, rectangles, parts,
//! chunks, features and layers.

use std::ops::Range;

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

/// Segments per chunk: a part is cut into runs of this many segments, each with its own box,
/// so a tile touches only the vertices of a long coastline or border that are near it.
const CHUNK_SEGMENTS: usize = 32;

/// A run of consecutive vertices of one part, `first..=last` (indices into the layer's
/// points); neighbouring chunks share their end vertex.
#[derive(Debug, Clone)]
pub(crate) struct Chunk {
    pub bounds: WorldRect,
    pub first: usize,
    pub last: usize,
    /// Length of the part before `first`, in world units (for dash phases).
    pub start_length: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub bounds: WorldRect,
    pub points: Range<usize>,
    /// Indices into the layer's chunks.
    pub chunks: Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Feature {
    pub class: u8,
    pub rank: u8,
    pub min_zoom: Option<f32>,
    pub bounds: WorldRect,
    pub parts: Range<usize>,
}

/// One decoded geometry layer; features index into `parts`, parts into `chunks` and `points`.
#[derive(Debug, Clone, Default)]
pub(crate) struct GeometryLayer {
    pub features: Vec<Feature>,
    pub parts: Vec<Part>,
    pub chunks: Vec<Chunk>,
    pub points: Vec<WorldPoint>,
}

impl GeometryLayer {
    /// Closes the part made of the points from `first_point` to the end: computes its chunks
    /// and box, stores it, and returns the box.
    pub(super) fn finish_part(&mut self, first_point: usize) -> WorldRect {
        let end = self.points.len();
        let first_chunk = self.chunks.len();
        let mut bounds = WorldRect::EMPTY;
        let mut length = 0.0;
        let mut start = first_point;
        while start + 1 < end {
            let last = (start + CHUNK_SEGMENTS).min(end - 1);
            let mut chunk_bounds = WorldRect::EMPTY;
            let mut chunk_length = 0.0;
            let mut previous: Option<WorldPoint> = None;
            for &point in self.points.get(start..=last).unwrap_or(&[]) {
                chunk_bounds.include_point(point);
                if let Some(previous) = previous {
                    let (dx, dy) = (point.x - previous.x, point.y - previous.y);
                    chunk_length += (dx * dx + dy * dy).sqrt();
                }
                previous = Some(point);
            }
            self.chunks.push(Chunk {
                bounds: chunk_bounds,
                first: start,
                last,
                start_length: length,
            });
            bounds.include_rect(&chunk_bounds);
            length += chunk_length;
            start = last;
        }
        self.parts.push(Part {
            bounds,
            points: first_point..end,
            chunks: first_chunk..self.chunks.len(),
        });
        bounds
    }

    pub fn part_chunks(&self, part: &Part) -> &[Chunk] {
        self.chunks.get(part.chunks.clone()).unwrap_or(&[])
    }

    /// The points of a chunk, both ends included.
    pub fn chunk_points(&self, chunk: &Chunk) -> &[WorldPoint] {
        self.points.get(chunk.first..=chunk.last).unwrap_or(&[])
    }

    /// Approximate heap bytes held by the layer.
    pub fn heap_bytes(&self) -> usize {
        self.features.capacity() * std::mem::size_of::<Feature>()
            + self.parts.capacity() * std::mem::size_of::<Part>()
            + self.chunks.capacity() * std::mem::size_of::<Chunk>()
            + self.points.capacity() * std::mem::size_of::<WorldPoint>()
    }

    pub fn part_points(&self, part: &Part) -> &[WorldPoint] {
        self.points.get(part.points.clone()).unwrap_or(&[])
    }

    pub fn feature_parts(&self, feature: &Feature) -> &[Part] {
        self.parts.get(feature.parts.clone()).unwrap_or(&[])
    }
}
