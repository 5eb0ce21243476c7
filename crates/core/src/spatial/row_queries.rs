//! Queries for rows: the rows in a rectangle, the rows of a cluster, the row nearest a point.

use std::ops::{ControlFlow, Range};

use rstar::AABB;

use super::cluster::{CellRange, Cluster, MercatorRect, envelope_around};
use super::index::{Entry, PointIndex, Tree};
use super::morton::{MAX_LEVEL, cells_per_side, level_shift, to_fixed};

/// A rows query visits at most `len(range) / TREE_BUDGET_DIVISOR` tree entries before it
/// switches to scanning the range.
const TREE_BUDGET_DIVISOR: usize = 4;

impl PointIndex {
    /// Rows inside `rect` (edges included) whose row number is in `rows`, ascending; `None` when
    /// there are more than `limit`. An invalid rectangle (NaN, `min > max`) contains nothing.
    pub fn rows_in_rect(
        &self,
        rect: MercatorRect,
        rows: Range<u32>,
        limit: usize,
    ) -> Option<Vec<u32>> {
        let (a, b) = self.clamp_rows(&rows);
        if !(rect.min[0] <= rect.max[0] && rect.min[1] <= rect.max[1]) {
            return Some(Vec::new());
        }
        let envelope = envelope_around(rect.min, rect.max);
        let inside = |p: [f32; 2]| rect.contains([f64::from(p[0]), f64::from(p[1])]);
        self.collect_rows(envelope, inside, a, b, limit, self.tree_budget(a, b))
    }
    /// The rows of `cluster` (same level and cell) whose row number is in `rows`, ascending;
    /// `None` when there are more than `limit`. Exact cell membership, unlike
    /// `rows_in_rect(cluster.cell, ..)` which also returns points on the right/bottom edge.
    pub fn cluster_rows(
        &self,
        cluster: &Cluster,
        rows: Range<u32>,
        limit: usize,
    ) -> Option<Vec<u32>> {
        let (a, b) = self.clamp_rows(&rows);
        let level = cluster.level.min(MAX_LEVEL);
        let side = cells_per_side(level) as f64;
        let cx = (cluster.cell.min[0] * side).floor();
        let cy = (cluster.cell.min[1] * side).floor();
        if !(0.0..side).contains(&cx) || !(0.0..side).contains(&cy) {
            return Some(Vec::new());
        }
        let (cx, cy) = (cx as u64, cy as u64);
        let cells = CellRange {
            x0: cx,
            x1: cx,
            y0: cy,
            y1: cy,
        };
        let shift = level_shift(level);
        let member = |p: [f32; 2]| {
            u64::from(to_fixed(p[0]) >> shift) == cx && u64::from(to_fixed(p[1]) >> shift) == cy
        };
        let envelope = cells.envelope(level);
        self.collect_rows(envelope, member, a, b, limit, self.tree_budget(a, b))
    }
    /// The row nearest to `point` within `radius` (mercator units, edge included) among `rows`;
    /// ties go to the highest row number (drawn last, so on top). Distances are exact (`f64`
    /// from the stored `f32` positions).
    pub fn nearest_row(&self, point: [f64; 2], radius: f64, rows: Range<u32>) -> Option<u32> {
        let (a, b) = self.clamp_rows(&rows);
        if a >= b || !point[0].is_finite() || !point[1].is_finite() || radius.is_nan() {
            return None;
        }
        let radius_2 = radius * radius;
        // Every stored point is in the unit square.
        let outside = [
            (-point[0]).max(point[0] - 1.0).max(0.0),
            (-point[1]).max(point[1] - 1.0).max(0.0),
        ];
        if outside[0] * outside[0] + outside[1] * outside[1] > radius_2 || radius < 0.0 {
            return None;
        }
        if !(-1.0..=2.0).contains(&point[0]) || !(-1.0..=2.0).contains(&point[1]) {
            // Far off the map with a huge radius: the f32 tree distances would be too coarse.
            return self.nearest_by_scan(point, radius_2, a, b);
        }
        let query = [point[0] as f32, point[1] as f32];
        let search = NearestSearch {
            point,
            query,
            query_error: (f64::from(query[0]) - point[0]).abs()
                + (f64::from(query[1]) - point[1]).abs(),
            radius,
            radius_2,
            rows: (a, b),
        };
        let mut best = None;
        // Trees nearest first, skipping those whose envelope is too far.
        let mut searched = 0u64;
        for _ in 0..self.trees.len() {
            let Some((i, tree, distance_2)) = self
                .trees
                .iter()
                .enumerate()
                .filter(|&(i, _)| searched & (1 << i) == 0)
                .map(|(i, tree)| (i, tree, tree.root().envelope().distance_2(&query)))
                .min_by(|x, y| x.2.total_cmp(&y.2))
            else {
                break;
            };
            searched |= 1 << i;
            if !search.beyond(distance_2, best) {
                self.nearest_in(tree, &search, &mut best);
            }
        }
        best.map(|(_, row)| row)
    }
    fn nearest_in(&self, tree: &Tree, search: &NearestSearch, best: &mut Option<(f64, u32)>) {
        let (a, b) = search.rows;
        for (entry, distance_2) in tree.nearest_neighbor_iter_with_distance_2(&search.query) {
            if search.beyond(distance_2, *best) {
                break;
            }
            let distance_2 = exact_distance_2(*entry.geom(), search.point);
            if distance_2 > search.radius_2 || best.is_some_and(|(best_2, _)| distance_2 > best_2) {
                continue;
            }
            let Some(row) = self.top_row(entry.data, a, b) else {
                continue;
            };
            if best.is_none_or(|(best_2, best_row)| {
                distance_2 < best_2 || (distance_2 == best_2 && row > best_row)
            }) {
                *best = Some((distance_2, row));
            }
        }
    }
    /// Tree entries a rows query may visit before it switches to scanning the row range.
    fn tree_budget(&self, a: usize, b: usize) -> usize {
        if a == 0 && b >= self.positions.len() {
            usize::MAX
        } else {
            b.saturating_sub(a) / TREE_BUDGET_DIVISOR
        }
    }
    /// Rows in `a..b` whose position passes `test`, from the tree entries in `envelope` (at most
    /// `budget` of them) or else by scanning the row range.
    pub(super) fn collect_rows(
        &self,
        envelope: AABB<[f32; 2]>,
        test: impl Fn([f32; 2]) -> bool,
        a: usize,
        b: usize,
        limit: usize,
        budget: usize,
    ) -> Option<Vec<u32>> {
        if a >= b {
            return Some(Vec::new());
        }
        enum Stop {
            Limit,
            Budget,
        }
        let mut found = Vec::new();
        let mut visited = 0usize;
        let mut visit = |entry: &Entry| {
            visited += 1;
            if visited > budget {
                return ControlFlow::Break(Stop::Budget);
            }
            if test(*entry.geom()) {
                for row in self.rows_of(entry.data, a, b) {
                    found.push(row);
                    if found.len() > limit {
                        return ControlFlow::Break(Stop::Limit);
                    }
                }
            }
            ControlFlow::Continue(())
        };
        let mut flow = ControlFlow::Continue(());
        for tree in &self.trees {
            flow = tree.locate_in_envelope_int(&envelope, &mut visit);
            if flow.is_break() {
                break;
            }
        }
        match flow {
            ControlFlow::Continue(()) => {
                found.sort_unstable();
                Some(found)
            }
            ControlFlow::Break(Stop::Limit) => None,
            ControlFlow::Break(Stop::Budget) => {
                found.clear();
                for (row, &p) in (a..b).zip(&self.positions[a..b]) {
                    if !p[0].is_nan() && test(p) {
                        found.push(row as u32);
                        if found.len() > limit {
                            return None;
                        }
                    }
                }
                Some(found)
            }
        }
    }
    fn nearest_by_scan(&self, point: [f64; 2], radius_2: f64, a: usize, b: usize) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for (row, &p) in (a..b).zip(&self.positions[a..b]) {
            if p[0].is_nan() {
                continue;
            }
            let distance_2 = exact_distance_2(p, point);
            // Rows ascend, so `<=` hands ties to the highest row.
            if distance_2 <= radius_2 && best.is_none_or(|(best_2, _)| distance_2 <= best_2) {
                best = Some((distance_2, row as u32));
            }
        }
        best.map(|(_, row)| row)
    }
}

/// A `nearest_row` query.
struct NearestSearch {
    point: [f64; 2],
    /// `point` rounded to `f32`, for the tree.
    query: [f32; 2],
    /// The Manhattan distance between `point` and `query`.
    query_error: f64,
    radius: f64,
    radius_2: f64,
    rows: (usize, usize),
}

impl NearestSearch {
    /// Whether everything at an `f32` tree distance of at least `tree_distance_2` from `query`
    /// is out of the radius or farther than the best so far. The tree's `f32` distances are
    /// within a relative 1e-6 of the exact distance from `query`, and nodes come in ascending
    /// order, so this is a lower bound of the exact distance for the rest of the search.
    pub(super) fn beyond(&self, tree_distance_2: f32, best: Option<(f64, u32)>) -> bool {
        let bound = f64::from(tree_distance_2).sqrt() * (1.0 - 1e-6) - self.query_error;
        bound > self.radius || best.is_some_and(|(best_2, _)| bound > best_2.sqrt())
    }
}

/// The squared distance in `f64` between a stored position and a query point.
fn exact_distance_2(p: [f32; 2], point: [f64; 2]) -> f64 {
    let dx = f64::from(p[0]) - point[0];
    let dy = f64::from(p[1]) - point[1];
    dx * dx + dy * dy
}
