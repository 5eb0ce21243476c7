//! Clusters and the cells they come from: the query rectangle, a level's cell ranges, exact
//! fixed-point aggregates and the per-cell accumulators of clusters computed from points.

use rstar::AABB;

use super::morton::{FIXED_SCALE, cells_per_side, compact, morton64};
use super::projection::units_per_pixel;

/// Accumulators for partial-range clusters are a dense grid up to this many cells.
const DENSE_GRID_MAX: u64 = 1 << 18;

/// An axis-aligned rectangle in normalised mercator, edges included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MercatorRect {
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl MercatorRect {
    pub fn new(min: [f64; 2], max: [f64; 2]) -> Self {
        Self { min, max }
    }

    /// The rectangle a `width_px` × `height_px` viewport centred on `center` shows at `zoom`.
    /// (Not wrapped at the antimeridian: split such a viewport into two rectangles.)
    pub fn viewport(center: [f64; 2], width_px: f64, height_px: f64, zoom: f64) -> Self {
        let unit = units_per_pixel(zoom);
        let half = [width_px * unit / 2.0, height_px * unit / 2.0];
        Self {
            min: [center[0] - half[0], center[1] - half[1]],
            max: [center[0] + half[0], center[1] + half[1]],
        }
    }

    /// Whether `point` is inside, edges included.
    pub fn contains(&self, point: [f64; 2]) -> bool {
        self.min[0] <= point[0]
            && point[0] <= self.max[0]
            && self.min[1] <= point[1]
            && point[1] <= self.max[1]
    }
}

/// One non-empty clustering cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cluster {
    /// The mean position of the members (exact to about `1e-9`).
    pub center: [f64; 2],
    /// The number of members (rows in the queried row range).
    pub count: u32,
    /// The cell's rectangle: members are in `[min, max)`, or up to `1` in the last row/column.
    pub cell: MercatorRect,
    pub level: u8,
}

/// An inclusive range of cells at one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct CellRange {
    pub(super) x0: u64,
    pub(super) x1: u64,
    pub(super) y0: u64,
    pub(super) y1: u64,
}

impl CellRange {
    /// The cells of `level` that overlap `rect`, or `None` when none do (or `rect` is invalid).
    pub(super) fn overlapping(rect: &MercatorRect, level: u8) -> Option<Self> {
        let [ax, ay] = rect.min;
        let [bx, by] = rect.max;
        if !(ax <= bx && ay <= by) || bx < 0.0 || by < 0.0 || ax > 1.0 || ay > 1.0 {
            return None;
        }
        let side = cells_per_side(level) as f64;
        let cell = |v: f64| (v * side).floor().clamp(0.0, side - 1.0) as u64;
        Some(Self {
            x0: cell(ax),
            x1: cell(bx),
            y0: cell(ay),
            y1: cell(by),
        })
    }

    pub(super) fn contains(&self, cx: u64, cy: u64) -> bool {
        self.x0 <= cx && cx <= self.x1 && self.y0 <= cy && cy <= self.y1
    }

    pub(super) fn width(&self) -> u64 {
        self.x1 - self.x0 + 1
    }

    pub(super) fn area(&self) -> u64 {
        self.width().saturating_mul(self.y1 - self.y0 + 1)
    }

    /// The same area at a coarser level.
    pub(super) fn coarsen(&self, level: u8, coarser: u8) -> Self {
        let shift = level.saturating_sub(coarser);
        Self {
            x0: self.x0 >> shift,
            x1: self.x1 >> shift,
            y0: self.y0 >> shift,
            y1: self.y1 >> shift,
        }
    }

    /// An `f32` envelope containing all these cells.
    pub(super) fn envelope(&self, level: u8) -> AABB<[f32; 2]> {
        let side = cells_per_side(level) as f64;
        envelope_around(
            [self.x0 as f64 / side, self.y0 as f64 / side],
            [(self.x1 + 1) as f64 / side, (self.y1 + 1) as f64 / side],
        )
    }
}

/// Aggregate of some points in fixed point. Arithmetic wraps: partial aggregates are computed as
/// differences that are exact once all terms are in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Sum {
    pub(super) count: u64,
    pub(super) sx: u64,
    pub(super) sy: u64,
}

impl Sum {
    pub(super) fn point(count: u64, fx: u32, fy: u32) -> Self {
        Self {
            count,
            sx: count.wrapping_mul(u64::from(fx)),
            sy: count.wrapping_mul(u64::from(fy)),
        }
    }

    pub(super) fn add(&mut self, other: &Sum) {
        self.count = self.count.wrapping_add(other.count);
        self.sx = self.sx.wrapping_add(other.sx);
        self.sy = self.sy.wrapping_add(other.sy);
    }

    pub(super) fn subtract(&mut self, other: &Sum) {
        self.count = self.count.wrapping_sub(other.count);
        self.sx = self.sx.wrapping_sub(other.sx);
        self.sy = self.sy.wrapping_sub(other.sy);
    }

    /// The cluster of cell `key` at `level`, `None` if empty.
    pub(super) fn cluster(&self, level: u8, key: u64) -> Option<Cluster> {
        if self.count == 0 || self.count > u64::from(u32::MAX) {
            return None;
        }
        let count = self.count as f64;
        let (cx, cy) = (u64::from(compact(key)), u64::from(compact(key >> 1)));
        let side = cells_per_side(level) as f64;
        Some(Cluster {
            center: [
                self.sx as f64 / count / FIXED_SCALE,
                self.sy as f64 / count / FIXED_SCALE,
            ],
            count: self.count as u32,
            cell: MercatorRect {
                min: [cx as f64 / side, cy as f64 / side],
                max: [(cx + 1) as f64 / side, (cy + 1) as f64 / side],
            },
            level,
        })
    }
}

/// Per-cell accumulators for clusters computed from points: a dense grid over the cell range
/// when it is small enough, else a list sorted at the end.
pub(super) struct Grid {
    level: u8,
    cells: CellRange,
    dense: Vec<Sum>,
    sparse: Vec<(u64, Sum)>,
}

impl Grid {
    pub(super) fn new(level: u8, cells: CellRange, expected_points: usize) -> Self {
        let area = cells.area();
        let dense_ok = area <= DENSE_GRID_MAX && area <= 4096u64.max(2 * expected_points as u64);
        Self {
            level,
            cells,
            dense: if dense_ok {
                vec![Sum::default(); area as usize]
            } else {
                Vec::new()
            },
            sparse: Vec::new(),
        }
    }

    /// Adds to cell `(cx, cy)`, which must be in the range.
    pub(super) fn add(&mut self, cx: u64, cy: u64, sum: Sum) {
        if self.dense.is_empty() {
            self.sparse.push((morton64(cx, cy), sum));
        } else {
            let i = (cy - self.cells.y0) * self.cells.width() + (cx - self.cells.x0);
            if let Some(cell) = self.dense.get_mut(i as usize) {
                cell.add(&sum);
            }
        }
    }

    pub(super) fn finish(mut self) -> Vec<Cluster> {
        let width = self.cells.width();
        let mut cells: Vec<(u64, Sum)> = if self.dense.is_empty() {
            self.sparse.sort_unstable_by_key(|&(key, _)| key);
            let mut merged: Vec<(u64, Sum)> = Vec::new();
            for (key, sum) in self.sparse {
                match merged.last_mut() {
                    Some((last, total)) if *last == key => total.add(&sum),
                    _ => merged.push((key, sum)),
                }
            }
            merged
        } else {
            let mut cells: Vec<(u64, Sum)> = self
                .dense
                .iter()
                .enumerate()
                .filter(|(_, sum)| sum.count > 0)
                .map(|(i, &sum)| {
                    let (dy, dx) = (i as u64 / width, i as u64 % width);
                    (morton64(self.cells.x0 + dx, self.cells.y0 + dy), sum)
                })
                .collect();
            cells.sort_unstable_by_key(|&(key, _)| key);
            cells
        };
        cells
            .drain(..)
            .filter_map(|(key, sum)| sum.cluster(self.level, key))
            .collect()
    }
}

/// The smallest `f32` envelope containing the `f64` box `min..=max`.
pub(super) fn envelope_around(min: [f64; 2], max: [f64; 2]) -> AABB<[f32; 2]> {
    let down = |v: f64| {
        let r = v as f32;
        if f64::from(r) > v { r.next_down() } else { r }
    };
    let up = |v: f64| {
        let r = v as f32;
        if f64::from(r) < v { r.next_up() } else { r }
    };
    AABB::from_corners([down(min[0]), down(min[1])], [up(max[0]), up(max[1])])
}
