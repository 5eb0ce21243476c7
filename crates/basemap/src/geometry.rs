//! Projection into tile pixels, vertex thinning, clipping and dashing.
//!
//! Everything is clipped to a rectangle slightly larger than the tile before it reaches
//! tiny-skia, which keeps its fixed-point rasteriser in range at any zoom and keeps the
//! work per tile proportional to what is visible.

use tiny_skia::PathBuilder;

use crate::data::{WorldPoint, WorldRect};

/// A position in tile pixels (0..size_px inside the tile).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PixelPoint {
    pub x: f64,
    pub y: f64,
}

impl PixelPoint {
    fn distance_to(self, other: PixelPoint) -> f64 {
        (other.x - self.x).hypot(other.y - self.y)
    }

    fn lerp(self, other: PixelPoint, t: f64) -> PixelPoint {
        PixelPoint {
            x: self.x + (other.x - self.x) * t,
            y: self.y + (other.y - self.y) * t,
        }
    }
}

/// A rectangle in tile pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PixelRect {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl PixelRect {
    /// The tile `0..size_px` grown by `margin_px` on every side.
    pub fn tile_with_margin(size_px: f64, margin_px: f64) -> Self {
        PixelRect {
            min_x: -margin_px,
            min_y: -margin_px,
            max_x: size_px + margin_px,
            max_y: size_px + margin_px,
        }
    }
}

/// Maps world coordinates (0..1) to the pixels of one tile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Projection {
    pub world_size_px: f64,
    pub origin_x_px: f64,
    pub origin_y_px: f64,
}

impl Projection {
    pub fn project(&self, point: WorldPoint) -> PixelPoint {
        PixelPoint {
            x: point.x * self.world_size_px - self.origin_x_px,
            y: point.y * self.world_size_px - self.origin_y_px,
        }
    }

    /// The world rectangle covered by a tile-pixel rectangle.
    pub fn world_rect(&self, rect: &PixelRect) -> WorldRect {
        WorldRect {
            min_x: (rect.min_x + self.origin_x_px) / self.world_size_px,
            min_y: (rect.min_y + self.origin_y_px) / self.world_size_px,
            max_x: (rect.max_x + self.origin_x_px) / self.world_size_px,
            max_y: (rect.max_y + self.origin_y_px) / self.world_size_px,
        }
    }
}

/// Projects `points` into tile pixels, dropping each vertex closer than `tolerance_px` to the
/// previous kept one. For open lines the last vertex is always kept; for rings a last vertex
/// close to the first is dropped (the ring closes itself).
pub(crate) fn project_thinned(
    points: &[WorldPoint],
    projection: &Projection,
    tolerance_px: f64,
    is_ring: bool,
    out: &mut Vec<PixelPoint>,
) {
    out.clear();
    let tolerance_sq = tolerance_px * tolerance_px;
    let last_index = points.len().saturating_sub(1);
    for (index, &point) in points.iter().enumerate() {
        let projected = projection.project(point);
        match out.last() {
            None => out.push(projected),
            Some(previous) => {
                let dx = projected.x - previous.x;
                let dy = projected.y - previous.y;
                let far_enough = dx * dx + dy * dy >= tolerance_sq;
                if far_enough || (index == last_index && !is_ring) {
                    out.push(projected);
                }
            }
        }
    }
    if is_ring
        && out.len() > 1
        && let (Some(first), Some(last)) = (out.first(), out.last())
        && first.distance_to(*last) < tolerance_px
    {
        out.pop();
    }
}

/// Clips a closed ring to `rect` (Sutherland–Hodgman). Correct for concave rings with a
/// convex clip region; parts outside collapse onto the rectangle's edges, which the
/// even-odd fill ignores. `out` receives the result; `scratch` is working space.
pub(crate) fn clip_ring(
    ring: &[PixelPoint],
    rect: &PixelRect,
    out: &mut Vec<PixelPoint>,
    scratch: &mut Vec<PixelPoint>,
) {
    out.clear();
    out.extend_from_slice(ring);
    clip_ring_by_edge(
        out,
        scratch,
        |p| p.x >= rect.min_x,
        |a, b| intersect_vertical(a, b, rect.min_x),
    );
    clip_ring_by_edge(
        out,
        scratch,
        |p| p.x <= rect.max_x,
        |a, b| intersect_vertical(a, b, rect.max_x),
    );
    clip_ring_by_edge(
        out,
        scratch,
        |p| p.y >= rect.min_y,
        |a, b| intersect_horizontal(a, b, rect.min_y),
    );
    clip_ring_by_edge(
        out,
        scratch,
        |p| p.y <= rect.max_y,
        |a, b| intersect_horizontal(a, b, rect.max_y),
    );
}

fn intersect_vertical(a: PixelPoint, b: PixelPoint, x: f64) -> PixelPoint {
    let t = if b.x != a.x {
        (x - a.x) / (b.x - a.x)
    } else {
        0.0
    };
    PixelPoint {
        x,
        y: a.y + (b.y - a.y) * t,
    }
}

fn intersect_horizontal(a: PixelPoint, b: PixelPoint, y: f64) -> PixelPoint {
    let t = if b.y != a.y {
        (y - a.y) / (b.y - a.y)
    } else {
        0.0
    };
    PixelPoint {
        x: a.x + (b.x - a.x) * t,
        y,
    }
}

fn clip_ring_by_edge(
    ring: &mut Vec<PixelPoint>,
    scratch: &mut Vec<PixelPoint>,
    inside: impl Fn(PixelPoint) -> bool,
    intersect: impl Fn(PixelPoint, PixelPoint) -> PixelPoint,
) {
    scratch.clear();
    let Some(&last) = ring.last() else {
        return;
    };
    let mut previous = last;
    let mut previous_inside = inside(previous);
    for &current in ring.iter() {
        let current_inside = inside(current);
        if current_inside {
            if !previous_inside {
                scratch.push(intersect(previous, current));
            }
            scratch.push(current);
        } else if previous_inside {
            scratch.push(intersect(previous, current));
        }
        previous = current;
        previous_inside = current_inside;
    }
    std::mem::swap(ring, scratch);
}

/// The parameter range `t0..t1` (0..1) of segment a→b inside `rect` (Liang–Barsky).
fn clip_segment(a: PixelPoint, b: PixelPoint, rect: &PixelRect) -> Option<(f64, f64)> {
    let dx = b.x - a.x;
    let dy = b.y - a.y;
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.x - rect.min_x),
        (dx, rect.max_x - a.x),
        (-dy, a.y - rect.min_y),
        (dy, rect.max_y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

/// Clips a polyline to `rect` and calls `emit(piece, start_length_px)` for every visible
/// piece, where `start_length_px` is the distance along the (thinned) polyline from its first
/// vertex to the start of the piece, so dash patterns stay continuous across tiles.
/// With `closed`, the segment from the last vertex back to the first is included.
pub(crate) fn clip_polyline(
    points: &[PixelPoint],
    closed: bool,
    rect: &PixelRect,
    piece: &mut Vec<PixelPoint>,
    mut emit: impl FnMut(&[PixelPoint], f64),
) {
    piece.clear();
    let mut length_px = 0.0;
    let mut piece_start_length_px = 0.0;
    let closing = if closed && points.len() > 2 {
        points.first().copied()
    } else {
        None
    };
    let mut vertices = points.iter().copied().chain(closing);
    let Some(mut previous) = vertices.next() else {
        return;
    };
    for current in vertices {
        let segment_length = previous.distance_to(current);
        match clip_segment(previous, current, rect) {
            None => {
                if piece.len() >= 2 {
                    emit(piece, piece_start_length_px);
                }
                piece.clear();
            }
            Some((t0, t1)) => {
                if t0 > 0.0 || piece.is_empty() {
                    if piece.len() >= 2 {
                        emit(piece, piece_start_length_px);
                    }
                    piece.clear();
                    piece_start_length_px = length_px + t0 * segment_length;
                    piece.push(previous.lerp(current, t0));
                }
                piece.push(previous.lerp(current, t1));
                if t1 < 1.0 {
                    if piece.len() >= 2 {
                        emit(piece, piece_start_length_px);
                    }
                    piece.clear();
                }
            }
        }
        length_px += segment_length;
        previous = current;
    }
    if piece.len() >= 2 {
        emit(piece, piece_start_length_px);
    }
    piece.clear();
}

/// Appends a solid polyline to `builder`.
pub(crate) fn append_polyline(builder: &mut PathBuilder, points: &[PixelPoint]) {
    let mut iter = points.iter();
    if let Some(first) = iter.next() {
        builder.move_to(first.x as f32, first.y as f32);
        for point in iter {
            builder.line_to(point.x as f32, point.y as f32);
        }
    }
}

/// Appends a closed ring to `builder`.
pub(crate) fn append_ring(builder: &mut PathBuilder, points: &[PixelPoint]) {
    if points.len() >= 3 {
        append_polyline(builder, points);
        builder.close();
    }
}

/// Appends the "on" stretches of a dashed polyline to `builder`. `pattern_px` alternates
/// on and off lengths; `start_length_px` is the distance already travelled along the line
/// before `points[0]`, which sets the phase.
pub(crate) fn append_dashed(
    builder: &mut PathBuilder,
    points: &[PixelPoint],
    start_length_px: f64,
    pattern_px: &[f64],
) {
    let period: f64 = pattern_px.iter().sum();
    if pattern_px.len() < 2
        || !pattern_px.len().is_multiple_of(2)
        || pattern_px.iter().any(|len| len.is_nan() || *len < 0.05)
        || !period.is_finite()
    {
        append_polyline(builder, points);
        return;
    }
    // Find where in the pattern the piece starts.
    let mut phase = start_length_px.rem_euclid(period);
    let mut index = 0;
    let mut remaining = pattern_px[0];
    while phase >= remaining {
        phase -= remaining;
        index = (index + 1) % pattern_px.len();
        remaining = pattern_px[index];
    }
    remaining -= phase;

    let mut pen_down = false;
    for pair in points.windows(2) {
        let [a, b] = [pair[0], pair[1]];
        let segment_length = a.distance_to(b);
        let is_on = index % 2 == 0;
        if is_on && !pen_down {
            builder.move_to(a.x as f32, a.y as f32);
            pen_down = true;
        }
        let mut travelled = 0.0;
        while segment_length - travelled > remaining {
            travelled += remaining;
            let point = a.lerp(b, travelled / segment_length);
            if index % 2 == 0 {
                builder.line_to(point.x as f32, point.y as f32);
                pen_down = false;
            } else {
                builder.move_to(point.x as f32, point.y as f32);
                pen_down = true;
            }
            index = (index + 1) % pattern_px.len();
            remaining = pattern_px[index];
        }
        remaining -= segment_length - travelled;
        if index % 2 == 0 {
            builder.line_to(b.x as f32, b.y as f32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> PixelPoint {
        PixelPoint { x, y }
    }

    fn ring_area(ring: &[PixelPoint]) -> f64 {
        let mut twice_area = 0.0;
        for (i, a) in ring.iter().enumerate() {
            let b = ring[(i + 1) % ring.len()];
            twice_area += a.x * b.y - b.x * a.y;
        }
        twice_area / 2.0
    }

    #[test]
    fn ring_clipped_to_rect() {
        let rect = PixelRect::tile_with_margin(10.0, 0.0);
        let square = [p(-5.0, -5.0), p(5.0, -5.0), p(5.0, 5.0), p(-5.0, 5.0)];
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        clip_ring(&square, &rect, &mut out, &mut scratch);
        assert!((ring_area(&out).abs() - 25.0).abs() < 1e-9);
        // A ring enclosing the whole rect becomes the rect.
        let big = [
            p(-50.0, -50.0),
            p(50.0, -50.0),
            p(50.0, 50.0),
            p(-50.0, 50.0),
        ];
        clip_ring(&big, &rect, &mut out, &mut scratch);
        assert!((ring_area(&out).abs() - 100.0).abs() < 1e-9);
        // A ring fully outside vanishes (or has zero area).
        let outside = [p(20.0, 20.0), p(30.0, 20.0), p(30.0, 30.0)];
        clip_ring(&outside, &rect, &mut out, &mut scratch);
        assert!(ring_area(&out).abs() < 1e-9);
    }

    #[test]
    fn polyline_pieces_and_lengths() {
        let rect = PixelRect::tile_with_margin(10.0, 0.0);
        // In, out, back in.
        let line = [
            p(-5.0, 5.0),
            p(5.0, 5.0),
            p(5.0, 20.0),
            p(8.0, 20.0),
            p(8.0, 5.0),
        ];
        let mut piece = Vec::new();
        let mut pieces = Vec::new();
        clip_polyline(&line, false, &rect, &mut piece, |points, start| {
            pieces.push((points.to_vec(), start));
        });
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].0, vec![p(0.0, 5.0), p(5.0, 5.0), p(5.0, 10.0)]);
        assert!((pieces[0].1 - 5.0).abs() < 1e-9);
        assert_eq!(pieces[1].0, vec![p(8.0, 10.0), p(8.0, 5.0)]);
        // 10 + 15 + 3 + 10 travelled before (8, 10).
        assert!((pieces[1].1 - 38.0).abs() < 1e-9);
    }

    #[test]
    fn thinning_keeps_ends() {
        let projection = Projection {
            world_size_px: 100.0,
            origin_x_px: 0.0,
            origin_y_px: 0.0,
        };
        let points: Vec<WorldPoint> = (0..=10)
            .map(|i| WorldPoint {
                x: f64::from(i) * 0.001,
                y: 0.5,
            })
            .collect();
        let mut out = Vec::new();
        project_thinned(&points, &projection, 0.35, false, &mut out);
        assert_eq!(out.first(), Some(&p(0.0, 50.0)));
        assert_eq!(out.last().map(|q| (q.x * 10.0).round()), Some(10.0));
        assert!(out.len() < points.len());
    }

    #[test]
    fn dashes_follow_phase() {
        let mut builder = PathBuilder::new();
        append_dashed(&mut builder, &[p(0.0, 0.0), p(10.0, 0.0)], 0.0, &[2.0, 3.0]);
        let path = builder.finish();
        let Some(path) = path else {
            panic!("dashed path is empty");
        };
        // Dashes at 0..2 and 5..7, and nothing else.
        let xs: Vec<f32> = path.points().iter().map(|q| q.x).collect();
        assert_eq!(xs, vec![0.0, 2.0, 5.0, 7.0]);

        // Starting 1 px into the pattern shortens the first dash.
        let mut builder = PathBuilder::new();
        append_dashed(&mut builder, &[p(0.0, 0.0), p(10.0, 0.0)], 1.0, &[2.0, 3.0]);
        let xs: Vec<f32> = builder
            .finish()
            .map(|path| path.points().iter().map(|q| q.x).collect())
            .unwrap_or_default();
        assert_eq!(xs, vec![0.0, 1.0, 4.0, 6.0, 9.0, 10.0]);
    }
}
