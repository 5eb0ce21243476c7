//! Count bubbles for a level, rectangle and time window: from the stored aggregates and
//! checkpoints, a tree walk or a scan of the rows, whichever is cheapest.

use std::ops::{ControlFlow, Range};

use super::cluster::{CellRange, Cluster, Grid, MercatorRect, Sum};
use super::index::{Entry, PointIndex};
use super::levels::Level;
use super::morton::{MAX_LEVEL, level_shift, morton64, to_fixed};

/// Relative cost of visiting one tree entry compared with scanning one row.
const TREE_COST: usize = 6;

/// How `clusters` gets its numbers for a row range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Strategy {
    /// Stored aggregates (and checkpoints) plus scanned corrections.
    Checkpoint,
    /// Walk the tree over the cells.
    Tree,
    /// Scan the row range.
    Scan,
}

struct CheckpointQuery<'a> {
    level: u8,
    stored: &'a Level,
    cells: &'a CellRange,
    /// Range start and its nearest boundary index.
    a: (usize, usize),
    /// Range end and its nearest boundary index.
    b: (usize, usize),
}

impl PointIndex {
    /// Count bubbles at clustering level `level` (`4 * 2^level` cells per side, 64 px at zoom
    /// `level`) for the cells overlapping `rect`, counting only rows in `rows`; Morton order.
    /// Levels above [`MAX_LEVEL`] are clamped to it. See the module documentation for costs.
    pub fn clusters(&self, level: u8, rect: MercatorRect, rows: Range<u32>) -> Vec<Cluster> {
        self.clusters_with(level, rect, rows, None)
    }
    pub(super) fn clusters_with(
        &self,
        level: u8,
        rect: MercatorRect,
        rows: Range<u32>,
        force: Option<Strategy>,
    ) -> Vec<Cluster> {
        let level = level.min(MAX_LEVEL);
        let (a, b) = self.clamp_rows(&rows);
        let Some(cells) = CellRange::overlapping(&rect, level) else {
            return Vec::new();
        };
        if a >= b || self.points == 0 {
            return Vec::new();
        }
        let len = self.positions.len();
        if let Some(stored) = self.levels.get(usize::from(level)) {
            let mut ranges = Vec::new();
            stored.cells_in(level, &cells, &mut ranges);
            let in_cells: usize = ranges
                .iter()
                .flat_map(|range| &stored.counts[range.clone()])
                .map(|&count| count as usize)
                .sum();
            let (ka, cost_a) = stored.nearest_boundary(a, len);
            let (kb, cost_b) = stored.nearest_boundary(b, len);
            let strategy = force.unwrap_or_else(|| {
                let checkpoint = cost_a + cost_b;
                let tree = in_cells.saturating_mul(TREE_COST);
                let scan = b - a;
                if checkpoint <= tree && checkpoint <= scan {
                    Strategy::Checkpoint
                } else if tree <= scan {
                    Strategy::Tree
                } else {
                    Strategy::Scan
                }
            });
            match strategy {
                Strategy::Checkpoint => {
                    let query = CheckpointQuery {
                        level,
                        stored,
                        cells: &cells,
                        a: (a, ka),
                        b: (b, kb),
                    };
                    self.clusters_from_checkpoints(&query, &ranges)
                }
                Strategy::Tree => self.clusters_by_tree(level, &cells, a, b, in_cells),
                Strategy::Scan => self.clusters_by_scan(level, &cells, a, b, in_cells),
            }
        } else {
            let in_cells = self.estimate_points_in(level, &cells);
            let tree = match force {
                Some(Strategy::Tree) => true,
                Some(_) => false,
                None => in_cells.saturating_mul(TREE_COST) <= b - a,
            };
            let expected = in_cells.min(b - a);
            if tree {
                self.clusters_by_tree(level, &cells, a, b, expected)
            } else {
                self.clusters_by_scan(level, &cells, a, b, expected)
            }
        }
    }
    /// An upper bound of the points in `cells` (a level that is not stored), from the deepest
    /// stored level whose covering range has at most a few thousand cells.
    fn estimate_points_in(&self, level: u8, cells: &CellRange) -> usize {
        let mut best = None;
        for (stored_level, stored) in self.levels.iter().enumerate() {
            let coarse = cells.coarsen(level, stored_level as u8);
            if stored_level > 0 && coarse.area() > 4096 {
                break;
            }
            best = Some((stored_level as u8, stored, coarse));
        }
        let Some((stored_level, stored, coarse)) = best else {
            return self.points;
        };
        let mut ranges = Vec::new();
        stored.cells_in(stored_level, &coarse, &mut ranges);
        ranges
            .iter()
            .flat_map(|range| &stored.counts[range.clone()])
            .map(|&count| count as usize)
            .sum()
    }
    fn clusters_from_checkpoints(
        &self,
        query: &CheckpointQuery<'_>,
        ranges: &[Range<usize>],
    ) -> Vec<Cluster> {
        let stored = query.stored;
        let (a, ka) = query.a;
        let (b, kb) = query.b;
        let mut keys = Vec::new();
        let mut sums = Vec::new();
        for range in ranges {
            for i in range.clone() {
                keys.push(stored.keys[i]);
                let mut sum = stored.prefix(kb, i);
                sum.subtract(&stored.prefix(ka, i));
                sums.push(sum);
            }
        }
        let len = self.positions.len();
        // F(x) = aggregate of rows 0..x; we want F(b) - F(a).
        let rb = stored.boundary(kb, len);
        let ra = stored.boundary(ka, len);
        let mut correct = |range: Range<usize>, add: bool| {
            let shift = level_shift(query.level);
            for p in &self.positions[range] {
                if p[0].is_nan() {
                    continue;
                }
                let (fx, fy) = (to_fixed(p[0]), to_fixed(p[1]));
                let (cx, cy) = (u64::from(fx >> shift), u64::from(fy >> shift));
                if !query.cells.contains(cx, cy) {
                    continue;
                }
                if let Ok(j) = keys.binary_search(&morton64(cx, cy)) {
                    let point = Sum::point(1, fx, fy);
                    if add {
                        sums[j].add(&point);
                    } else {
                        sums[j].subtract(&point);
                    }
                }
            }
        };
        if b > rb {
            correct(rb..b, true);
        } else if b < rb {
            correct(b..rb, false);
        }
        if a > ra {
            correct(ra..a, false);
        } else if a < ra {
            correct(a..ra, true);
        }
        keys.iter()
            .zip(&sums)
            .filter_map(|(&key, sum)| sum.cluster(query.level, key))
            .collect()
    }
    fn clusters_by_scan(
        &self,
        level: u8,
        cells: &CellRange,
        a: usize,
        b: usize,
        expected: usize,
    ) -> Vec<Cluster> {
        let shift = level_shift(level);
        let mut grid = Grid::new(level, *cells, expected);
        for p in &self.positions[a..b] {
            if p[0].is_nan() {
                continue;
            }
            let (fx, fy) = (to_fixed(p[0]), to_fixed(p[1]));
            let (cx, cy) = (u64::from(fx >> shift), u64::from(fy >> shift));
            if cells.contains(cx, cy) {
                grid.add(cx, cy, Sum::point(1, fx, fy));
            }
        }
        grid.finish()
    }
    fn clusters_by_tree(
        &self,
        level: u8,
        cells: &CellRange,
        a: usize,
        b: usize,
        expected: usize,
    ) -> Vec<Cluster> {
        let shift = level_shift(level);
        let mut grid = Grid::new(level, *cells, expected);
        let full = a == 0 && b == self.positions.len();
        let envelope = cells.envelope(level);
        let mut visit = |entry: &Entry| {
            let p = *entry.geom();
            let (fx, fy) = (to_fixed(p[0]), to_fixed(p[1]));
            let (cx, cy) = (u64::from(fx >> shift), u64::from(fy >> shift));
            if cells.contains(cx, cy) {
                let count = if full {
                    self.row_count(entry.data)
                } else {
                    self.rows_of(entry.data, a, b).len() as u64
                };
                if count > 0 {
                    grid.add(cx, cy, Sum::point(count, fx, fy));
                }
            }
            ControlFlow::<()>::Continue(())
        };
        for tree in &self.trees {
            let _ = tree.locate_in_envelope_int(&envelope, &mut visit);
        }
        grid.finish()
    }
}
