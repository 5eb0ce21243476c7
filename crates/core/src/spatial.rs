//! Point index for the map: viewport culling, hit-testing and zoom-level clustering for up to a
//! few million event positions.
//!
//! # Coordinate space
//!
//! Everything here is in *normalised Web Mercator*: `x = (lon + 180) / 360` and
//! `y = (1 - ln(tan(lat) + sec(lat)) / π) / 2`, both in `[0, 1]`, `y` growing southwards (the
//! slippy-map tile convention, latitude clamped to ±[`MAX_MERCATOR_LAT`]). At map zoom `z`
//! (256-px tiles) one mercator unit is `256 * 2^z` screen pixels ([`units_per_pixel`]).
//!
//! # Rows
//!
//! [`PointIndex::build`] takes one position per *row*; the caller numbers its rows and keeps them
//! sorted by date, so a time window is a contiguous row range. Every query takes such a range.
//! Positions that are not finite (NaN, ±∞) are skipped: their rows count towards
//! [`PointIndex::len`] but are never returned or counted. Finite positions outside the unit
//! square are clamped into it. At most [`MAX_ROWS`] rows are indexed; rows beyond are ignored.
//!
//! # Clusters
//!
//! Clustering level `l` is a grid of `4 * 2^l` cells per side: a cell is 64 px wide at zoom `l`.
//! A point belongs to the cell `floor(x * side)`, `floor(y * side)` (clamped to the last cell,
//! so `x == 1` is in the last column): cells are half-open, their left/top edges belong to them.
//! A [`Cluster`] is one non-empty cell: its exact member count and the mean of its members'
//! positions. [`PointIndex::clusters`] returns the cells that *overlap* the query rectangle
//! (closed), counting all their members in the row range, also those outside the rectangle.
//!
//! # Design
//!
//! * An [`rstar`] R*-tree (bulk loaded, nodes of up to 16 children) over the *distinct*
//!   positions, `f32` coordinates. A leaf is `GeomWithData<[f32; 2], u32>`: the `u32` is the row
//!   when the position is unique, else (high bit set) the index of a group of rows sharing that
//!   exact position (geocoded events often share a town's centroid). Groups keep their rows
//!   sorted, so row-range filtering inside a group is a binary search. From 32k distinct
//!   positions on, the tree is two trees split at an `x` quantile, bulk-loaded in parallel
//!   (rstar's bulk load is single-threaded); queries visit both, nearest first.
//! * The positions by row (`[f32; 2]`, 8 bytes a row) for linear scans of a row range.
//! * Cluster levels `0..=D`: per level the non-empty cells in Morton (Z-order) order, as
//!   parallel arrays of key, count and the sums of member positions in 32-bit fixed point (exact
//!   integer sums, so partial aggregates can be subtracted without rounding). `D` is the last
//!   level before the number of non-empty cells exceeds a quarter of the points, and the stored
//!   cells of all levels together are capped at half the number of points (≤ 14 bytes a point).
//!   Cells overlapping a rectangle are found by a quadtree descent over the Morton-sorted keys,
//!   `O(cells returned + perimeter · log)`.
//! * Row checkpoints: for the coarse levels, prefix aggregates per cell at up to 63 row
//!   boundaries (a budget of 8 bytes a point over all levels, the coarsest levels first). A row
//!   range `a..b` is answered as `P(b') - P(a')` for the boundaries `a'`, `b'` nearest to `a` and
//!   `b`, corrected by scanning the rows between `a` and `a'` and between `b` and `b'`. Every
//!   stored level has at least the boundaries `0` and `len`, so a range close to the full one
//!   costs only its complement.
//!
//! # Costs
//!
//! * [`PointIndex::build`]: `O(n log n)`: a radix sort by Morton code (dedupes the positions and
//!   feeds the cluster levels), then the two trees on two threads, the levels after the smaller
//!   one. About 120 ms for a million points on two cores.
//! * [`PointIndex::rows_in_rect`]: with the full row range `O(limit + log n)`: the tree walk stops
//!   at the `limit + 1`-th row. With a partial range the walk also stops after visiting
//!   `len(range) / 4` tree entries and falls back to scanning the range, so the cost is
//!   `O(min(entries visited to find limit + 1 rows, len(range)))`.
//! * [`PointIndex::nearest_row`]: `O(log n + k)`, `k` the entries nearer than the answer (plus
//!   the ones out of the row range that are on the way).
//! * [`PointIndex::clusters`] at a stored level: with the full range
//!   `O(cells returned + perimeter · log)`, from the stored aggregates only. With a partial range
//!   the cheapest of: the checkpoints plus `|a - a'| + |b - b'|` scanned rows (at most half a
//!   checkpoint block at each end, or the complement of the range on levels without
//!   checkpoints), a tree walk over the points in the cells (`O(points there)`), or a scan of the
//!   range (`O(len(range))`). At levels deeper than `D`: the cheaper of the tree walk and the
//!   range scan, estimated from the deepest stored level; callers normally draw single points
//!   there (`rows_in_rect` with a limit), so these levels only need to be right, not fast.

use std::ops::{ControlFlow, Range};

use rstar::primitives::GeomWithData;
use rstar::{AABB, RStarInsertionStrategy, RTree, RTreeParams};

pub use crate::geometry::MAX_MERCATOR_LAT;
use crate::geometry::TILE_SIZE_PX;

/// The deepest clustering level: `4 * 2^30` cells per side, the resolution of the index's fixed
/// point. Deeper levels are clamped to it.
pub const MAX_LEVEL: u8 = 30;

/// The most rows an index holds (row numbers must fit in 31 bits); rows beyond are ignored.
pub const MAX_ROWS: usize = 1 << 31;

/// Tag of a tree entry's data that names a group of rows instead of a single row.
const GROUP_FLAG: u32 = 1 << 31;

/// Fixed point of the cluster sums: `2^32` units per mercator unit.
const FIXED_SCALE: f64 = 4_294_967_296.0;

/// Relative cost of visiting one tree entry compared with scanning one row.
const TREE_COST: usize = 6;

/// A rows query visits at most `len(range) / TREE_BUDGET_DIVISOR` tree entries before it
/// switches to scanning the range.
const TREE_BUDGET_DIVISOR: usize = 4;

/// Below this many points the build does not bother with a second thread.
const PARALLEL_BUILD_MIN: usize = 1 << 15;

/// Accumulators for partial-range clusters are a dense grid up to this many cells.
const DENSE_GRID_MAX: u64 = 1 << 18;

/// Projects lon/lat degrees to normalised Web Mercator (`[0, 1]²`, `y` southwards). Latitude is
/// clamped to ±[`MAX_MERCATOR_LAT`]; longitude is not wrapped (the index clamps `x` to `[0, 1]`).
/// Non-finite input gives non-finite output.
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    strikemap_mercator::project(lon, lat)
}

/// The inverse of [`mercator`]: `(lon, lat)` in degrees.
pub fn lon_lat(point: [f64; 2]) -> (f64, f64) {
    strikemap_mercator::unproject(point)
}

/// Mercator units per screen pixel at map zoom `zoom` (256-px tiles).
pub fn units_per_pixel(zoom: f64) -> f64 {
    1.0 / (TILE_SIZE_PX * zoom.exp2())
}

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

/// Shape of the stored index, for diagnostics and benchmarks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexStats {
    /// Rows given to `build` (up to [`MAX_ROWS`]).
    pub rows: usize,
    /// Rows with a finite position.
    pub points: usize,
    /// Distinct positions (tree entries).
    pub distinct_positions: usize,
    /// Non-empty cells of each stored cluster level, from level 0.
    pub level_cells: Vec<usize>,
    /// Row checkpoint blocks of each stored level (1 = only the full range).
    pub level_blocks: Vec<usize>,
}

/// R*-tree node sizes: larger nodes than rstar's default (6) halve the inner-node overhead
/// (about 43 instead of 51 bytes a point) and bulk-load faster, at a slightly slower query.
#[derive(Clone, Copy, Debug)]
struct NodeParams;

impl RTreeParams for NodeParams {
    const MIN_SIZE: usize = 6;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// A distinct position and its row, or (with [`GROUP_FLAG`]) its group of rows.
type Entry = GeomWithData<[f32; 2], u32>;

type Tree = RTree<Entry, NodeParams>;

/// Spatial index over rows' mercator positions. See the [module documentation](self).
#[derive(Clone)]
pub struct PointIndex {
    /// One tree, or two split at the median `x` (bulk-loaded in parallel) for large inputs.
    trees: Vec<Tree>,
    /// Sanitised position of each row; `[NaN, NaN]` for skipped rows.
    positions: Vec<[f32; 2]>,
    /// Group `g` is `group_rows[group_starts[g]..group_starts[g + 1]]`, rows ascending.
    group_starts: Vec<u32>,
    group_rows: Vec<u32>,
    /// `levels[l]` is clustering level `l`.
    levels: Vec<Level>,
    points: usize,
}

impl std::fmt::Debug for PointIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PointIndex")
            .field("rows", &self.positions.len())
            .field("points", &self.points)
            .field("distinct_positions", &self.distinct_positions())
            .field("levels", &self.levels.len())
            .finish()
    }
}

impl Default for PointIndex {
    fn default() -> Self {
        Self::build(&[])
    }
}

/// How `clusters` gets its numbers for a row range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strategy {
    /// Stored aggregates (and checkpoints) plus scanned corrections.
    Checkpoint,
    /// Walk the tree over the cells.
    Tree,
    /// Scan the row range.
    Scan,
}

/// Tunables of the build; tests shrink them to reach every code path with few points.
#[derive(Clone, Copy, Debug)]
struct BuildConfig {
    /// Most checkpoint blocks per level (a power of two).
    max_blocks: usize,
    /// Fewest rows per checkpoint block.
    min_block_rows: usize,
    /// Checkpoint memory budget in bytes per point.
    checkpoint_bytes_per_point: usize,
}

impl BuildConfig {
    const DEFAULT: Self = Self {
        max_blocks: 64,
        min_block_rows: 1024,
        checkpoint_bytes_per_point: 8,
    };
}

impl PointIndex {
    /// Indexes `points[row]`, the mercator position of row `row`. Non-finite positions are
    /// skipped, others clamped into `[0, 1]²`.
    pub fn build(points: &[[f32; 2]]) -> Self {
        Self::build_with(points, BuildConfig::DEFAULT)
    }

    fn build_with(points: &[[f32; 2]], config: BuildConfig) -> Self {
        let rows = &points[..points.len().min(MAX_ROWS)];
        let positions: Vec<[f32; 2]> = rows.iter().map(|&p| sanitise(p)).collect();
        let mut items: Vec<Item> = positions
            .iter()
            .enumerate()
            .filter(|(_, p)| !p[0].is_nan())
            .map(|(row, p)| Item {
                key: morton(to_fixed(p[0]), to_fixed(p[1])),
                row: row as u32,
            })
            .collect();
        radix_sort(&mut items);
        let len = positions.len();
        let (mut entries, group_starts, group_rows) = distinct_entries(&items, &positions);
        let (trees, levels) = if entries.len() < PARALLEL_BUILD_MIN {
            let tree = Tree::bulk_load_with_params(entries);
            (vec![tree], build_levels(&items, len, config))
        } else {
            // rstar bulk-loads on one core: load two parts, split at an x quantile, in
            // parallel, and build the cluster levels after the (smaller) left part.
            let mid = entries.len() * 9 / 20;
            entries.select_nth_unstable_by(mid, |p, q| p.geom()[0].total_cmp(&q.geom()[0]));
            let right = entries.split_off(mid);
            std::thread::scope(|scope| {
                let spawned = std::thread::Builder::new()
                    .name("spatial-tree".into())
                    .spawn_scoped(scope, move || Tree::bulk_load_with_params(right));
                let left = Tree::bulk_load_with_params(entries);
                let levels = build_levels(&items, len, config);
                let trees = match spawned.ok().and_then(|handle| handle.join().ok()) {
                    Some(right) => vec![left, right],
                    // No second thread (or it panicked): one tree, loaded here.
                    None => vec![Tree::bulk_load_with_params(
                        distinct_entries(&items, &positions).0,
                    )],
                };
                (trees, levels)
            })
        };
        Self {
            trees,
            positions,
            group_starts,
            group_rows,
            levels,
            points: items.len(),
        }
    }

    fn distinct_positions(&self) -> usize {
        self.trees.iter().map(RTree::size).sum()
    }

    /// The number of rows (including skipped, non-finite ones).
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The number of stored cluster levels: levels `0..precomputed_levels()` answer the full row
    /// range from aggregates alone.
    pub fn precomputed_levels(&self) -> usize {
        self.levels.len()
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            rows: self.positions.len(),
            points: self.points,
            distinct_positions: self.distinct_positions(),
            level_cells: self.levels.iter().map(|level| level.keys.len()).collect(),
            level_blocks: self
                .levels
                .iter()
                .map(|level| level.checkpoints + 1)
                .collect(),
        }
    }

    /// The sanitised position of `row` (`None` for rows out of range or skipped).
    pub fn position(&self, row: u32) -> Option<[f32; 2]> {
        self.positions
            .get(row as usize)
            .copied()
            .filter(|p| !p[0].is_nan())
    }

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

    /// Count bubbles at clustering level `level` (`4 * 2^level` cells per side, 64 px at zoom
    /// `level`) for the cells overlapping `rect`, counting only rows in `rows`; Morton order.
    /// Levels above [`MAX_LEVEL`] are clamped to it. See the module documentation for costs.
    pub fn clusters(&self, level: u8, rect: MercatorRect, rows: Range<u32>) -> Vec<Cluster> {
        self.clusters_with(level, rect, rows, None)
    }

    fn clusters_with(
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
    fn collect_rows(
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

    fn clamp_rows(&self, rows: &Range<u32>) -> (usize, usize) {
        let len = self.positions.len();
        let a = (rows.start as usize).min(len);
        let b = (rows.end as usize).min(len);
        (a, b.max(a))
    }

    /// The rows of a tree entry that are in `a..b`.
    fn rows_of(&self, data: u32, a: usize, b: usize) -> EntryRows<'_> {
        match self.group(data) {
            Some(group) => {
                let lo = group.partition_point(|&row| (row as usize) < a);
                let hi = group.partition_point(|&row| (row as usize) < b);
                EntryRows::Group(group.get(lo..hi).unwrap_or_default().iter())
            }
            None => EntryRows::Single(((a..b).contains(&(data as usize))).then_some(data)),
        }
    }

    fn row_count(&self, data: u32) -> u64 {
        self.group(data).map_or(1, |group| group.len() as u64)
    }

    /// The highest row of a tree entry in `a..b`.
    fn top_row(&self, data: u32, a: usize, b: usize) -> Option<u32> {
        self.rows_of(data, a, b).next_back()
    }

    fn group(&self, data: u32) -> Option<&[u32]> {
        if data & GROUP_FLAG == 0 {
            return None;
        }
        let g = (data & !GROUP_FLAG) as usize;
        let start = *self.group_starts.get(g)? as usize;
        let end = *self.group_starts.get(g + 1)? as usize;
        self.group_rows.get(start..end)
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
    fn beyond(&self, tree_distance_2: f32, best: Option<(f64, u32)>) -> bool {
        let bound = f64::from(tree_distance_2).sqrt() * (1.0 - 1e-6) - self.query_error;
        bound > self.radius || best.is_some_and(|(best_2, _)| bound > best_2.sqrt())
    }
}

/// The rows of one tree entry within a row range.
enum EntryRows<'a> {
    Single(Option<u32>),
    Group(std::slice::Iter<'a, u32>),
}

impl Iterator for EntryRows<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self {
            EntryRows::Single(row) => row.take(),
            EntryRows::Group(rows) => rows.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.len();
        (len, Some(len))
    }
}

impl DoubleEndedIterator for EntryRows<'_> {
    fn next_back(&mut self) -> Option<u32> {
        match self {
            EntryRows::Single(row) => row.take(),
            EntryRows::Group(rows) => rows.next_back().copied(),
        }
    }
}

impl ExactSizeIterator for EntryRows<'_> {
    fn len(&self) -> usize {
        match self {
            EntryRows::Single(row) => usize::from(row.is_some()),
            EntryRows::Group(rows) => rows.len(),
        }
    }
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

/// One stored clustering level.
#[derive(Clone, Debug, Default)]
struct Level {
    /// Morton keys (`x` in the even bits) of the non-empty cells, ascending.
    keys: Vec<u64>,
    counts: Vec<u32>,
    /// Sums of the members' fixed-point positions.
    sums: Vec<[u64; 2]>,
    /// Interior row boundaries `k * block_rows` for `k` in `1..=checkpoints`; the boundaries
    /// `0` and `len` are implicit.
    checkpoints: usize,
    block_rows: usize,
    /// Aggregates of rows `0..k * block_rows`, at `i * checkpoints + k - 1` for cell `i`
    /// (cell-major: building walks the cells in order).
    prefix_counts: Vec<u32>,
    prefix_sums: Vec<[u64; 2]>,
}

impl Level {
    fn boundary(&self, k: usize, len: usize) -> usize {
        if k == 0 {
            0
        } else if k > self.checkpoints {
            len
        } else {
            k * self.block_rows
        }
    }

    /// The boundary nearest to row `x` and its distance.
    fn nearest_boundary(&self, x: usize, len: usize) -> (usize, usize) {
        let k = if self.checkpoints == 0 || self.block_rows == 0 {
            0
        } else {
            (x / self.block_rows).min(self.checkpoints)
        };
        let here = x.abs_diff(self.boundary(k, len));
        let next = x.abs_diff(self.boundary(k + 1, len));
        if next < here {
            (k + 1, next)
        } else {
            (k, here)
        }
    }

    /// The aggregate of cell `i` over the rows before boundary `k`.
    fn prefix(&self, k: usize, i: usize) -> Sum {
        if k == 0 {
            return Sum::default();
        }
        let (count, sums) = if k > self.checkpoints {
            (self.counts.get(i), self.sums.get(i))
        } else {
            let j = i * self.checkpoints + k - 1;
            (self.prefix_counts.get(j), self.prefix_sums.get(j))
        };
        match (count, sums) {
            (Some(&count), Some(&[sx, sy])) => Sum {
                count: u64::from(count),
                sx,
                sy,
            },
            _ => Sum::default(),
        }
    }

    /// Index ranges of the cells (of this level, `level`) inside `cells`, ascending.
    fn cells_in(&self, level: u8, cells: &CellRange, out: &mut Vec<Range<usize>>) {
        let mut descent = Descent {
            cells,
            depth: u32::from(level) + 2,
            out,
        };
        descent.visit(&self.keys, 0, 0, 0, 0);
    }
}

/// A quadtree descent over Morton-sorted keys collecting the index ranges inside a cell range.
struct Descent<'a> {
    cells: &'a CellRange,
    /// Quadtree depth of the level's cells.
    depth: u32,
    out: &'a mut Vec<Range<usize>>,
}

impl Descent<'_> {
    /// Visits the quadtree node `(px, py)` at depth `d` whose keys are `keys` (starting at index
    /// `base` of the level).
    fn visit(&mut self, keys: &[u64], base: usize, d: u32, px: u64, py: u64) {
        if keys.is_empty() {
            return;
        }
        let shift = self.depth - d;
        let (x0, y0) = (px << shift, py << shift);
        let (x1, y1) = (x0 + (1u64 << shift) - 1, y0 + (1u64 << shift) - 1);
        let c = self.cells;
        if x1 < c.x0 || x0 > c.x1 || y1 < c.y0 || y0 > c.y1 {
            return;
        }
        if (x0 >= c.x0 && x1 <= c.x1 && y0 >= c.y0 && y1 <= c.y1) || shift == 0 {
            let range = base..base + keys.len();
            match self.out.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => self.out.push(range),
            }
            return;
        }
        let prefix = morton64(px, py);
        let child_shift = 2 * (shift - 1);
        let mut start = 0;
        for quadrant in 0..4u64 {
            let child = (prefix << 2) | quadrant;
            let end = start + keys[start..].partition_point(|&key| (key >> child_shift) <= child);
            self.visit(
                &keys[start..end],
                base + start,
                d + 1,
                (px << 1) | (quadrant & 1),
                (py << 1) | (quadrant >> 1),
            );
            start = end;
        }
    }
}

/// An inclusive range of cells at one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CellRange {
    x0: u64,
    x1: u64,
    y0: u64,
    y1: u64,
}

impl CellRange {
    /// The cells of `level` that overlap `rect`, or `None` when none do (or `rect` is invalid).
    fn overlapping(rect: &MercatorRect, level: u8) -> Option<Self> {
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

    fn contains(&self, cx: u64, cy: u64) -> bool {
        self.x0 <= cx && cx <= self.x1 && self.y0 <= cy && cy <= self.y1
    }

    fn width(&self) -> u64 {
        self.x1 - self.x0 + 1
    }

    fn area(&self) -> u64 {
        self.width().saturating_mul(self.y1 - self.y0 + 1)
    }

    /// The same area at a coarser level.
    fn coarsen(&self, level: u8, coarser: u8) -> Self {
        let shift = level.saturating_sub(coarser);
        Self {
            x0: self.x0 >> shift,
            x1: self.x1 >> shift,
            y0: self.y0 >> shift,
            y1: self.y1 >> shift,
        }
    }

    /// An `f32` envelope containing all these cells.
    fn envelope(&self, level: u8) -> AABB<[f32; 2]> {
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
struct Sum {
    count: u64,
    sx: u64,
    sy: u64,
}

impl Sum {
    fn point(count: u64, fx: u32, fy: u32) -> Self {
        Self {
            count,
            sx: count.wrapping_mul(u64::from(fx)),
            sy: count.wrapping_mul(u64::from(fy)),
        }
    }

    fn add(&mut self, other: &Sum) {
        self.count = self.count.wrapping_add(other.count);
        self.sx = self.sx.wrapping_add(other.sx);
        self.sy = self.sy.wrapping_add(other.sy);
    }

    fn subtract(&mut self, other: &Sum) {
        self.count = self.count.wrapping_sub(other.count);
        self.sx = self.sx.wrapping_sub(other.sx);
        self.sy = self.sy.wrapping_sub(other.sy);
    }

    /// The cluster of cell `key` at `level`, `None` if empty.
    fn cluster(&self, level: u8, key: u64) -> Option<Cluster> {
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
struct Grid {
    level: u8,
    cells: CellRange,
    dense: Vec<Sum>,
    sparse: Vec<(u64, Sum)>,
}

impl Grid {
    fn new(level: u8, cells: CellRange, expected_points: usize) -> Self {
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
    fn add(&mut self, cx: u64, cy: u64, sum: Sum) {
        if self.dense.is_empty() {
            self.sparse.push((morton64(cx, cy), sum));
        } else {
            let i = (cy - self.cells.y0) * self.cells.width() + (cx - self.cells.x0);
            if let Some(cell) = self.dense.get_mut(i as usize) {
                cell.add(&sum);
            }
        }
    }

    fn finish(mut self) -> Vec<Cluster> {
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

/// A point being indexed: its full-resolution Morton code and its row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Item {
    key: u64,
    row: u32,
}

/// Stable LSD radix sort by key (11-bit digits, skipping digits all keys share), so rows stay
/// ascending among equal keys.
fn radix_sort(items: &mut Vec<Item>) {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    const DIGITS: usize = 64usize.div_ceil(BITS as usize);
    let n = items.len();
    if n < 4096 {
        items.sort_by_key(|item| item.key);
        return;
    }
    let digit = |key: u64, d: usize| ((key >> (BITS as usize * d)) as usize) & (BUCKETS - 1);
    let mut histograms = vec![[0usize; BUCKETS]; DIGITS];
    for item in items.iter() {
        for (d, histogram) in histograms.iter_mut().enumerate() {
            histogram[digit(item.key, d)] += 1;
        }
    }
    let mut other = vec![Item::default(); n];
    let mut sorted_in_items = true;
    for (d, histogram) in histograms.iter().enumerate() {
        if histogram.contains(&n) {
            continue;
        }
        let mut offsets = vec![0usize; BUCKETS];
        let mut total = 0;
        for (offset, &count) in offsets.iter_mut().zip(histogram) {
            *offset = total;
            total += count;
        }
        let (source, target) = if sorted_in_items {
            (&items[..], &mut other[..])
        } else {
            (&other[..], &mut items[..])
        };
        for item in source {
            let bucket = digit(item.key, d);
            target[offsets[bucket]] = *item;
            offsets[bucket] += 1;
        }
        sorted_in_items = !sorted_in_items;
    }
    if !sorted_in_items {
        std::mem::swap(items, &mut other);
    }
}

/// Tree entries, one per distinct position (in row order), and the groups of rows sharing a
/// position, from the Morton-sorted items.
fn distinct_entries(items: &[Item], positions: &[[f32; 2]]) -> (Vec<Entry>, Vec<u32>, Vec<u32>) {
    const SINGLE: u32 = u32::MAX;
    const MEMBER: u32 = u32::MAX - 1;
    let bits = |row: u32| {
        positions
            .get(row as usize)
            .map_or((0, 0), |p| (p[0].to_bits(), p[1].to_bits()))
    };
    let mut group_starts = vec![0u32];
    let mut group_rows = Vec::new();
    // The group of each row's position, allocated at the first duplicate.
    let mut group_of: Vec<u32> = Vec::new();
    let mut run = Vec::new();
    let mut i = 0;
    while let Some(first) = items.get(i) {
        let equal_keys = items[i..]
            .iter()
            .take_while(|item| item.key == first.key)
            .count();
        if equal_keys > 1 {
            // Equal fixed-point positions; group the exactly equal f32 ones (the same, except
            // for coordinates below 2^-8 where f32 is finer than the fixed point).
            run.clear();
            run.extend(
                items[i..i + equal_keys]
                    .iter()
                    .map(|item| (bits(item.row), item.row)),
            );
            run.sort_unstable();
            for same in run
                .chunk_by(|p, q| p.0 == q.0)
                .filter(|same| same.len() > 1)
            {
                if group_of.is_empty() {
                    group_of = vec![SINGLE; positions.len()];
                }
                let group = (group_starts.len() - 1) as u32;
                for (k, &(_, row)) in same.iter().enumerate() {
                    if let Some(slot) = group_of.get_mut(row as usize) {
                        *slot = if k == 0 { group } else { MEMBER };
                    }
                }
                group_rows.extend(same.iter().map(|&(_, row)| row));
                group_starts.push(group_rows.len() as u32);
            }
        }
        i += equal_keys;
    }
    let groups = group_starts.len() - 1;
    let mut entries = Vec::with_capacity(items.len() - group_rows.len() + groups);
    for (row, &p) in positions.iter().enumerate() {
        if p[0].is_nan() {
            continue;
        }
        match group_of.get(row).copied().unwrap_or(SINGLE) {
            SINGLE => entries.push(Entry::new(p, row as u32)),
            MEMBER => {}
            group => entries.push(Entry::new(p, GROUP_FLAG | group)),
        }
    }
    group_starts.shrink_to_fit();
    group_rows.shrink_to_fit();
    (entries, group_starts, group_rows)
}

/// The stored cluster levels for the Morton-sorted items of an index of `len` rows.
fn build_levels(items: &[Item], len: usize, config: BuildConfig) -> Vec<Level> {
    let n = items.len();
    if n == 0 {
        return Vec::new();
    }
    // Non-empty cells per level: adjacent sorted keys first differ at some level and then at
    // every deeper one.
    let mut first_differences = [0usize; MAX_LEVEL as usize + 1];
    for pair in items.windows(2) {
        let difference = pair[0].key ^ pair[1].key;
        if difference != 0 {
            let high_bit = 63 - difference.leading_zeros() as usize;
            let level = (MAX_LEVEL as usize).saturating_sub(high_bit / 2);
            first_differences[level] += 1;
        }
    }
    let mut level_cells = Vec::new();
    let mut cells = 1;
    let mut total = 0;
    for &differences in &first_differences {
        cells += differences;
        if cells > n / 4 || total + cells > n / 2 {
            break;
        }
        total += cells;
        level_cells.push(cells);
    }
    let Some(&deepest_cells) = level_cells.last() else {
        return Vec::new();
    };

    let deepest = level_cells.len() - 1;
    let mut levels = vec![Level::default(); level_cells.len()];
    levels[deepest] = level_from_items(items, deepest as u8, deepest_cells);
    for level in (0..deepest).rev() {
        levels[level] = coarser_level(&levels[level + 1], level_cells[level]);
    }
    add_checkpoints(&mut levels, items, len, config);
    levels
}

fn level_from_items(items: &[Item], level: u8, cells: usize) -> Level {
    let shift = 2 * u32::from(MAX_LEVEL - level);
    let mut out = Level {
        keys: Vec::with_capacity(cells),
        counts: Vec::with_capacity(cells),
        sums: Vec::with_capacity(cells),
        ..Level::default()
    };
    let mut current: Option<(u64, u32, [u64; 2])> = None;
    for item in items {
        let key = item.key >> shift;
        let (fx, fy) = (
            u64::from(compact(item.key)),
            u64::from(compact(item.key >> 1)),
        );
        match &mut current {
            Some((k, count, sums)) if *k == key => {
                *count += 1;
                sums[0] += fx;
                sums[1] += fy;
            }
            _ => {
                if let Some((k, count, sums)) = current {
                    out.keys.push(k);
                    out.counts.push(count);
                    out.sums.push(sums);
                }
                current = Some((key, 1, [fx, fy]));
            }
        }
    }
    if let Some((k, count, sums)) = current {
        out.keys.push(k);
        out.counts.push(count);
        out.sums.push(sums);
    }
    out
}

fn coarser_level(finer: &Level, cells: usize) -> Level {
    let mut out = Level {
        keys: Vec::with_capacity(cells),
        counts: Vec::with_capacity(cells),
        sums: Vec::with_capacity(cells),
        ..Level::default()
    };
    for ((&key, &count), sums) in finer.keys.iter().zip(&finer.counts).zip(&finer.sums) {
        let key = key >> 2;
        if out.keys.last() == Some(&key) {
            if let (Some(c), Some(s)) = (out.counts.last_mut(), out.sums.last_mut()) {
                *c += count;
                s[0] += sums[0];
                s[1] += sums[1];
            }
        } else {
            out.keys.push(key);
            out.counts.push(count);
            out.sums.push(*sums);
        }
    }
    out
}

/// Gives the coarsest levels row checkpoints within the memory budget: each level takes as many
/// blocks as fit in half of what is left (at least 4, else all that is left). Block sizes are
/// power-of-two multiples of a common base size.
fn add_checkpoints(levels: &mut [Level], items: &[Item], len: usize, config: BuildConfig) {
    const ENTRY_BYTES: usize = 4 + 16;
    let mut budget = items
        .len()
        .saturating_mul(config.checkpoint_bytes_per_point);
    let max_blocks = (len / config.min_block_rows.max(1)).min(config.max_blocks);
    let mut most_blocks = max_blocks.max(1).next_power_of_two();
    if most_blocks > max_blocks {
        most_blocks /= 2;
    }
    if most_blocks < 2 {
        return;
    }
    let base_rows = len / most_blocks;
    let mut chosen = 0;
    for stored in levels.iter_mut() {
        let cells = stored.keys.len();
        let fit = |limit: usize| {
            let mut blocks = most_blocks;
            while blocks >= 2 && (blocks - 1) * cells * ENTRY_BYTES > limit {
                blocks /= 2;
            }
            blocks
        };
        let mut blocks = fit(budget / 2);
        if blocks < 4 {
            blocks = fit(budget);
        }
        if blocks < 2 {
            break;
        }
        budget -= (blocks - 1) * cells * ENTRY_BYTES;
        stored.checkpoints = blocks - 1;
        stored.block_rows = base_rows * (most_blocks / blocks);
        stored.prefix_counts = vec![0; stored.checkpoints * cells];
        stored.prefix_sums = vec![[0; 2]; stored.checkpoints * cells];
        chosen += 1;
    }
    // Deepest first: a level with as many checkpoints as the next deeper one merges its cells,
    // others take a pass over the items.
    for level in (0..chosen).rev() {
        let (coarse, finer) = levels.split_at_mut(level + 1);
        let Some(stored) = coarse.last_mut() else {
            continue;
        };
        match finer.first() {
            Some(finer) if level + 1 < chosen && finer.checkpoints == stored.checkpoints => {
                merge_checkpoints(finer, stored);
            }
            _ => checkpoints_from_items(stored, level as u8, items, base_rows),
        }
    }
}

/// Per-block sums of each cell of `stored` (at `level`) from the items, then running sums.
fn checkpoints_from_items(stored: &mut Level, level: u8, items: &[Item], base_rows: usize) {
    let key_shift = 2 * u32::from(MAX_LEVEL - level);
    let checkpoints = stored.checkpoints;
    let block_rows = stored.block_rows.max(base_rows).max(1);
    let mut current: Option<u64> = None;
    let mut cell = 0usize;
    for item in items {
        let key = item.key >> key_shift;
        match current {
            Some(k) if k == key => {}
            Some(_) => cell += 1,
            None => {}
        }
        current = Some(key);
        let block = item.row as usize / block_rows;
        if block < checkpoints {
            let j = cell * checkpoints + block;
            if let (Some(count), Some(sums)) = (
                stored.prefix_counts.get_mut(j),
                stored.prefix_sums.get_mut(j),
            ) {
                *count += 1;
                sums[0] += u64::from(compact(item.key));
                sums[1] += u64::from(compact(item.key >> 1));
            }
        }
    }
    for (counts, sums) in stored
        .prefix_counts
        .chunks_mut(checkpoints)
        .zip(stored.prefix_sums.chunks_mut(checkpoints))
    {
        for k in 1..checkpoints {
            counts[k] += counts[k - 1];
            sums[k][0] += sums[k - 1][0];
            sums[k][1] += sums[k - 1][1];
        }
    }
}

/// The checkpoints of `coarse` as the sums of its child cells' in `finer` (same checkpoints).
fn merge_checkpoints(finer: &Level, coarse: &mut Level) {
    let checkpoints = coarse.checkpoints;
    let mut cell = 0usize;
    let mut current: Option<u64> = None;
    for (i, &key) in finer.keys.iter().enumerate() {
        let key = key >> 2;
        match current {
            Some(k) if k == key => {}
            Some(_) => cell += 1,
            None => {}
        }
        current = Some(key);
        let from = i * checkpoints..(i + 1) * checkpoints;
        let to = cell * checkpoints..(cell + 1) * checkpoints;
        if let (Some(counts), Some(finer_counts)) = (
            coarse.prefix_counts.get_mut(to.clone()),
            finer.prefix_counts.get(from.clone()),
        ) {
            for (count, finer_count) in counts.iter_mut().zip(finer_counts) {
                *count += finer_count;
            }
        }
        if let (Some(sums), Some(finer_sums)) =
            (coarse.prefix_sums.get_mut(to), finer.prefix_sums.get(from))
        {
            for (sum, finer_sum) in sums.iter_mut().zip(finer_sums) {
                sum[0] += finer_sum[0];
                sum[1] += finer_sum[1];
            }
        }
    }
}

/// Finite positions clamped into the unit square (`-0` made `+0`); others become NaN.
fn sanitise(p: [f32; 2]) -> [f32; 2] {
    if p[0].is_finite() && p[1].is_finite() {
        [p[0].clamp(0.0, 1.0) + 0.0, p[1].clamp(0.0, 1.0) + 0.0]
    } else {
        [f32::NAN; 2]
    }
}

/// `floor(v * 2^32)`, saturating, for `v` in `[0, 1]`.
fn to_fixed(v: f32) -> u32 {
    let scaled = f64::from(v) * FIXED_SCALE;
    if scaled >= f64::from(u32::MAX) {
        u32::MAX
    } else if scaled > 0.0 {
        scaled as u32
    } else {
        0
    }
}

/// Shift from a fixed-point coordinate to a cell index at `level`.
fn level_shift(level: u8) -> u32 {
    u32::from(MAX_LEVEL - level.min(MAX_LEVEL))
}

fn cells_per_side(level: u8) -> u64 {
    4u64 << level.min(MAX_LEVEL)
}

/// The squared distance in `f64` between a stored position and a query point.
fn exact_distance_2(p: [f32; 2], point: [f64; 2]) -> f64 {
    let dx = f64::from(p[0]) - point[0];
    let dy = f64::from(p[1]) - point[1];
    dx * dx + dy * dy
}

/// The smallest `f32` envelope containing the `f64` box `min..=max`.
fn envelope_around(min: [f64; 2], max: [f64; 2]) -> AABB<[f32; 2]> {
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

fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

fn compact(code: u64) -> u32 {
    let mut x = code & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x >> 4)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
    ((x | (x >> 16)) & 0x0000_0000_ffff_ffff) as u32
}

/// Morton code with `x` in the even bits.
fn morton(x: u32, y: u32) -> u64 {
    spread(x) | (spread(y) << 1)
}

/// [`morton`] of cell indices (below `2^32`).
fn morton64(x: u64, y: u64) -> u64 {
    morton(x as u32, y as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// SplitMix64 steps: deterministic, no `rand`.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            strikemap_synth::rng::splitmix64(&mut self.0)
        }

        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Hot spots, uniform background, exact duplicates, cell-edge points, the map's borders
    /// and some non-finite positions.
    fn sample_points(n: usize, seed: u64) -> Vec<[f32; 2]> {
        let mut rng = Rng(seed);
        let spots: Vec<[f64; 3]> = (0..8)
            .map(|_| {
                [
                    0.3 + 0.4 * rng.unit(),
                    0.3 + 0.3 * rng.unit(),
                    0.0005 + 0.01 * rng.unit(),
                ]
            })
            .collect();
        let mut points: Vec<[f32; 2]> = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = rng.below(100);
            let p = if kind < 55 {
                let [x, y, spread] = spots[rng.below(spots.len())];
                let g = |rng: &mut Rng| (rng.unit() + rng.unit() + rng.unit() - 1.5) * spread;
                [(x + g(&mut rng)) as f32, (y + g(&mut rng)) as f32]
            } else if kind < 80 {
                [rng.unit() as f32, rng.unit() as f32]
            } else if kind < 90 && !points.is_empty() {
                points[rng.below(points.len())]
            } else if kind < 95 {
                // On cell edges of some level.
                let level = rng.below(10) as i32;
                let side = 4.0 * 2f64.powi(level);
                let edge = |rng: &mut Rng| (rng.below(side as usize + 1) as f64 / side) as f32;
                [edge(&mut rng), edge(&mut rng)]
            } else if kind < 98 {
                let border = [0.0, 1.0, -0.0, 1.5, -0.25][rng.below(5)];
                [border, rng.unit() as f32]
            } else {
                [
                    [f32::NAN, 0.5],
                    [0.5, f32::INFINITY],
                    [f32::NEG_INFINITY, f32::NAN],
                ][rng.below(3)]
            };
            points.push(p);
        }
        points
    }

    /// The brute-force view of a point: finite ones clamped into the unit square.
    fn sane(p: [f32; 2]) -> Option<[f64; 2]> {
        (p[0].is_finite() && p[1].is_finite()).then(|| {
            [
                f64::from(p[0].clamp(0.0, 1.0)),
                f64::from(p[1].clamp(0.0, 1.0)),
            ]
        })
    }

    fn brute_rows(points: &[[f32; 2]], rect: &MercatorRect, rows: &Range<u32>) -> Vec<u32> {
        (0..points.len() as u32)
            .filter(|row| rows.contains(row))
            .filter(|&row| sane(points[row as usize]).is_some_and(|p| rect.contains(p)))
            .collect()
    }

    fn brute_nearest(
        points: &[[f32; 2]],
        point: [f64; 2],
        radius: f64,
        rows: &Range<u32>,
    ) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for row in 0..points.len() as u32 {
            let Some(p) = sane(points[row as usize]).filter(|_| rows.contains(&row)) else {
                continue;
            };
            let (dx, dy) = (p[0] - point[0], p[1] - point[1]);
            let d2 = dx * dx + dy * dy;
            if d2 <= radius * radius && best.is_none_or(|(b, _)| d2 <= b) {
                best = Some((d2, row));
            }
        }
        best.map(|(_, row)| row)
    }

    /// Cell (x, y) → (count, mean) by brute force, for the cells overlapping `rect`.
    fn brute_clusters(
        points: &[[f32; 2]],
        level: u8,
        rect: &MercatorRect,
        rows: &Range<u32>,
    ) -> BTreeMap<(u64, u64), (u32, [f64; 2])> {
        let side = (4u64 << level) as f64;
        let overlaps = |k: u64, min: f64, max: f64| {
            let lo = k as f64 / side;
            let hi = (k + 1) as f64 / side;
            lo <= max && (hi > min || (k + 1 == side as u64 && hi >= min))
        };
        let mut sums: BTreeMap<(u64, u64), (u32, [f64; 2])> = BTreeMap::new();
        for row in 0..points.len() as u32 {
            let Some(p) = sane(points[row as usize]).filter(|_| rows.contains(&row)) else {
                continue;
            };
            let cell = |v: f64| ((v * side).floor() as u64).min(side as u64 - 1);
            let (cx, cy) = (cell(p[0]), cell(p[1]));
            if rect.min[0] <= rect.max[0]
                && rect.min[1] <= rect.max[1]
                && overlaps(cx, rect.min[0], rect.max[0])
                && overlaps(cy, rect.min[1], rect.max[1])
            {
                let entry = sums.entry((cx, cy)).or_insert((0, [0.0; 2]));
                entry.0 += 1;
                entry.1[0] += p[0];
                entry.1[1] += p[1];
            }
        }
        for (count, sum) in sums.values_mut() {
            *sum = [sum[0] / f64::from(*count), sum[1] / f64::from(*count)];
        }
        sums
    }

    fn check_clusters(
        points: &[[f32; 2]],
        clusters: &[Cluster],
        level: u8,
        rect: &MercatorRect,
        rows: &Range<u32>,
    ) {
        let expected = brute_clusters(points, level.min(MAX_LEVEL), rect, rows);
        let side = (4u64 << level.min(MAX_LEVEL)) as f64;
        let mut got = BTreeMap::new();
        for cluster in clusters {
            assert_eq!(cluster.level, level.min(MAX_LEVEL));
            let key = (
                (cluster.cell.min[0] * side) as u64,
                (cluster.cell.min[1] * side) as u64,
            );
            assert!(
                got.insert(key, *cluster).is_none(),
                "duplicate cell {key:?}"
            );
        }
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "cells at level {level} for {rect:?} rows {rows:?}"
        );
        for (key, (count, mean)) in &expected {
            let cluster = &got[key];
            assert_eq!(cluster.count, *count, "count of {key:?}");
            assert!(
                (cluster.center[0] - mean[0]).abs() < 1e-6
                    && (cluster.center[1] - mean[1]).abs() < 1e-6,
                "mean of {key:?}: {:?} vs {mean:?}",
                cluster.center
            );
            assert_eq!(cluster.cell.max[0] - cluster.cell.min[0], 1.0 / side);
        }
        let total: u64 = clusters.iter().map(|c| u64::from(c.count)).sum();
        let brute: u64 = expected.values().map(|(count, _)| u64::from(*count)).sum();
        assert_eq!(total, brute);
    }

    fn row_ranges(len: u32) -> Vec<Range<u32>> {
        vec![
            0..len,
            0..u32::MAX,
            0..len / 2,
            len / 2..len,
            len / 4..len * 3 / 4,
            len / 3..len / 3 + len / 100,
            1..len - 1,
            7..19,
            5..5,
            #[allow(clippy::reversed_empty_ranges)]
            (10..3),
            len..len + 10,
        ]
    }

    fn rects(rng: &mut Rng) -> Vec<MercatorRect> {
        let mut rects = vec![
            MercatorRect::new([0.0, 0.0], [1.0, 1.0]),
            MercatorRect::new([-5.0, -5.0], [5.0, 5.0]),
            MercatorRect::new([0.25, 0.25], [0.5, 0.5]),
            MercatorRect::new([0.5, 0.5], [0.5, 0.5]),
            MercatorRect::new([1.0, 0.0], [1.0, 1.0]),
            MercatorRect::new([0.0, 0.0], [0.0, 0.0]),
            MercatorRect::new([1.5, 0.0], [2.0, 1.0]),
            MercatorRect::new([f64::NAN, 0.0], [1.0, 1.0]),
            MercatorRect::new([0.6, 0.6], [0.4, 0.7]),
            MercatorRect::new([f64::NEG_INFINITY, 0.3], [f64::INFINITY, 0.4]),
        ];
        for _ in 0..12 {
            let size = [0.003, 0.03, 0.2][rng.below(3)];
            let (x, y) = (0.25 + 0.5 * rng.unit(), 0.25 + 0.4 * rng.unit());
            rects.push(MercatorRect::new(
                [x, y],
                [x + size * rng.unit(), y + size * rng.unit()],
            ));
        }
        rects
    }

    const SMALL_BLOCKS: BuildConfig = BuildConfig {
        max_blocks: 8,
        min_block_rows: 16,
        checkpoint_bytes_per_point: 1000,
    };

    #[test]
    fn mercator_round_trip_and_clamp() {
        for lon in [-180.0, -179.9, -20.0, 0.0, 45.5, 179.999, 180.0] {
            for lat in [-85.0, -40.0, 0.0, 33.3, 60.0, 85.0] {
                let p = mercator(lon, lat);
                assert!((0.0..=1.0).contains(&p[0]) && (0.0..=1.0).contains(&p[1]));
                let (lon2, lat2) = lon_lat(p);
                assert!(
                    (lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9,
                    "{lon} {lat}"
                );
            }
        }
        assert_eq!(mercator(-180.0, 0.0), [0.0, 0.5]);
        assert_eq!(mercator(180.0, 0.0)[0], 1.0);
        assert_eq!(mercator(0.0, 90.0), mercator(0.0, MAX_MERCATOR_LAT));
        assert_eq!(mercator(0.0, -90.0), mercator(0.0, -MAX_MERCATOR_LAT));
        assert!(mercator(0.0, 90.0)[1].abs() < 1e-9);
        assert!((mercator(0.0, -90.0)[1] - 1.0).abs() < 1e-9);
        assert!(mercator(0.0, 85.0)[1] > 0.0);
        assert!(mercator(f64::NAN, f64::NAN)[0].is_nan());
        assert_eq!(units_per_pixel(0.0), 1.0 / 256.0);
        assert_eq!(units_per_pixel(3.0), 1.0 / 2048.0);
    }

    #[test]
    fn empty_and_all_invalid_indexes() {
        let all_nan = vec![[f32::NAN, 0.5]; 100];
        for points in [&[][..], &all_nan[..]] {
            let index = PointIndex::build(points);
            assert_eq!(index.len(), points.len());
            assert_eq!(index.is_empty(), points.is_empty());
            let world = MercatorRect::new([0.0, 0.0], [1.0, 1.0]);
            assert_eq!(index.rows_in_rect(world, 0..100, 10), Some(vec![]));
            assert_eq!(index.rows_in_rect(world, 0..50, 0), Some(vec![]));
            assert_eq!(index.nearest_row([0.5, 0.5], 10.0, 0..100), None);
            assert_eq!(index.nearest_row([0.5, 0.5], 10.0, 20..30), None);
            for level in [0, 5, 30, 255] {
                assert!(index.clusters(level, world, 0..100).is_empty());
            }
            assert_eq!(index.precomputed_levels(), 0);
            assert_eq!(index.position(0), None);
        }
        assert!(PointIndex::default().is_empty());
    }

    #[test]
    fn rows_in_rect_matches_brute_force() {
        let points = sample_points(3000, 1);
        let index = PointIndex::build(&points);
        let mut rng = Rng(2);
        for rect in rects(&mut rng) {
            for rows in row_ranges(points.len() as u32) {
                let expected = brute_rows(&points, &rect, &rows);
                let n = expected.len();
                assert_eq!(
                    index.rows_in_rect(rect, rows.clone(), usize::MAX),
                    Some(expected.clone())
                );
                assert_eq!(
                    index.rows_in_rect(rect, rows.clone(), n),
                    Some(expected.clone())
                );
                if n > 0 {
                    assert_eq!(index.rows_in_rect(rect, rows.clone(), n - 1), None);
                    assert_eq!(index.rows_in_rect(rect, rows.clone(), 0), None);
                }
                // Both paths of the partial-range query.
                let (a, b) = index.clamp_rows(&rows);
                let envelope = envelope_around(rect.min, rect.max);
                let inside = |p: [f32; 2]| rect.contains([f64::from(p[0]), f64::from(p[1])]);
                if rect.min[0] <= rect.max[0] && rect.min[1] <= rect.max[1] {
                    for budget in [0, 3, usize::MAX] {
                        assert_eq!(
                            index.collect_rows(envelope, inside, a, b, usize::MAX, budget),
                            Some(expected.clone())
                        );
                        if n > 2 {
                            assert_eq!(
                                index.collect_rows(envelope, inside, a, b, n - 2, budget),
                                None
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn nearest_row_matches_brute_force() {
        let points = sample_points(3000, 3);
        let index = PointIndex::build(&points);
        let mut rng = Rng(4);
        let len = points.len() as u32;
        for i in 0..600 {
            let query = if i % 3 == 0 {
                [rng.unit(), rng.unit()]
            } else {
                let p = sane(points[rng.below(points.len())]).unwrap_or([0.5, 0.5]);
                let jitter = [0.0, 1e-7, 1e-4, 1e-2][rng.below(4)];
                [
                    p[0] + jitter * (rng.unit() - 0.5),
                    p[1] + jitter * (rng.unit() - 0.5),
                ]
            };
            let radius = [0.0, 1e-6, 1e-4, 1e-3, 0.05, 2.0, f64::INFINITY][rng.below(7)];
            for rows in row_ranges(len) {
                assert_eq!(
                    index.nearest_row(query, radius, rows.clone()),
                    brute_nearest(&points, query, radius, &rows),
                    "query {query:?} radius {radius} rows {rows:?}"
                );
            }
        }
        // Far off the map, invalid queries.
        assert_eq!(index.nearest_row([5.0, 5.0], 1.0, 0..len), None);
        assert_eq!(
            index.nearest_row([5.0, 5.0], 10.0, 0..len),
            brute_nearest(&points, [5.0, 5.0], 10.0, &(0..len))
        );
        assert_eq!(
            index.nearest_row([-1e300, 0.5], f64::INFINITY, 0..len),
            brute_nearest(&points, [-1e300, 0.5], f64::INFINITY, &(0..len))
        );
        assert_eq!(index.nearest_row([f64::NAN, 0.5], 1.0, 0..len), None);
        assert_eq!(index.nearest_row([0.5, 0.5], f64::NAN, 0..len), None);
        assert_eq!(index.nearest_row([0.5, 0.5], -1.0, 0..len), None);
    }

    #[test]
    fn nearest_row_ties_go_to_the_highest_row() {
        let a = 0.5f32 - 1.0 / 1024.0;
        let b = 0.5f32 + 1.0 / 1024.0;
        let points = vec![
            [a, 0.5],   // 0
            [b, 0.5],   // 1: same distance from (0.5, 0.5) as row 0
            [a, 0.5],   // 2: duplicate of row 0
            [0.9, 0.9], // 3
            [b, 0.5],   // 4: duplicate of row 1
            [a, 0.5],   // 5
        ];
        let index = PointIndex::build(&points);
        let radius = 0.01;
        assert_eq!(index.nearest_row([0.5, 0.5], radius, 0..6), Some(5));
        assert_eq!(index.nearest_row([0.5, 0.5], radius, 0..5), Some(4));
        assert_eq!(index.nearest_row([0.5, 0.5], radius, 0..4), Some(2));
        assert_eq!(index.nearest_row([0.5, 0.5], radius, 0..2), Some(1));
        assert_eq!(index.nearest_row([0.5, 0.5], radius, 0..1), Some(0));
        assert_eq!(index.nearest_row([0.5, 0.5], radius, 3..4), None);
        assert_eq!(index.nearest_row([0.5, 0.5], 1.0, 3..4), Some(3));
        // Exactly on the radius counts.
        assert_eq!(index.nearest_row([0.5, 0.5], 1.0 / 1024.0, 0..2), Some(1));
        assert_eq!(index.nearest_row([0.5, 0.5], 0.99 / 1024.0, 0..6), None);
        assert_eq!(index.nearest_row([f64::from(a), 0.5], 0.0, 0..6), Some(5));
        assert_eq!(index.stats().distinct_positions, 3);
    }

    #[test]
    fn clusters_match_brute_force_for_every_strategy() {
        for (seed, config) in [(5, BuildConfig::DEFAULT), (6, SMALL_BLOCKS)] {
            let points = sample_points(4000, seed);
            let index = PointIndex::build_with(&points, config);
            let stats = index.stats();
            assert!(stats.level_cells.len() >= 3, "{stats:?}");
            if config.max_blocks == 8 {
                assert_eq!(stats.level_blocks[0], 8, "{stats:?}");
            }
            let mut rng = Rng(seed + 100);
            let rects = rects(&mut rng);
            for level in [0, 1, 2, 3, 4, 5, 6, 8, 10, 13, 30, 31, 255] {
                for rect in &rects {
                    for rows in row_ranges(points.len() as u32) {
                        let auto = index.clusters(level, *rect, rows.clone());
                        check_clusters(&points, &auto, level, rect, &rows);
                        for strategy in [Strategy::Checkpoint, Strategy::Tree, Strategy::Scan] {
                            let forced =
                                index.clusters_with(level, *rect, rows.clone(), Some(strategy));
                            assert_eq!(
                                forced, auto,
                                "{strategy:?} level {level} {rect:?} {rows:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn cluster_rows_lists_exact_members() {
        let points = sample_points(3000, 7);
        let index = PointIndex::build(&points);
        let world = MercatorRect::new([0.0, 0.0], [1.0, 1.0]);
        for level in [0, 3, 7, 12] {
            for rows in [0..3000, 1000..1500] {
                let clusters = index.clusters(level, world, rows.clone());
                let side = (4u64 << level) as f64;
                let mut total = 0;
                for cluster in &clusters {
                    let members = index
                        .cluster_rows(cluster, rows.clone(), usize::MAX)
                        .unwrap_or_default();
                    assert_eq!(members.len(), cluster.count as usize);
                    for &row in &members {
                        let p = sane(points[row as usize]).unwrap_or([f64::NAN; 2]);
                        let cell = |v: f64| ((v * side).floor()).min(side - 1.0) / side;
                        assert_eq!([cell(p[0]), cell(p[1])], cluster.cell.min);
                        assert!(rows.contains(&row));
                    }
                    if cluster.count > 1 {
                        assert_eq!(index.cluster_rows(cluster, rows.clone(), 1), None);
                    }
                    total += members.len();
                }
                assert_eq!(total, brute_rows(&points, &world, &rows).len());
            }
        }
    }

    #[test]
    fn cell_edges_antimeridian_and_poles() {
        let west = mercator(-180.0, 10.0);
        let east = mercator(180.0, 10.0);
        let north = mercator(-30.0, 89.0);
        let south = mercator(-30.0, -89.0);
        let points = [
            [0.5, 0.5],                         // 0: on the corner of four cells at every level
            [0.25, 0.75],                       // 1: on edges too
            [west[0] as f32, west[1] as f32],   // 2: x == 0
            [east[0] as f32, east[1] as f32],   // 3: x == 1, the last column
            [north[0] as f32, north[1] as f32], // 4: y clamped to ~0
            [south[0] as f32, south[1] as f32], // 5: y clamped to ~1
            [1.0, 1.0],                         // 6: the last cell
            [-0.0, 0.0],                        // 7: the first cell
        ];
        let index = PointIndex::build(&points);
        let world = MercatorRect::new([0.0, 0.0], [1.0, 1.0]);
        for level in [0, 1, 5, 20, 30] {
            let clusters = index.clusters(level, world, 0..8);
            check_clusters(&points, &clusters, level, &world, &(0..8));
            let side = (4u64 << level) as f64;
            let cell_of = |row: u32| {
                clusters
                    .iter()
                    .find(|c| {
                        index
                            .cluster_rows(c, 0..8, 8)
                            .is_some_and(|rows| rows.contains(&row))
                    })
                    .map(|c| [c.cell.min[0] * side, c.cell.min[1] * side])
            };
            assert_eq!(cell_of(0), Some([side / 2.0, side / 2.0]));
            assert_eq!(cell_of(1), Some([side / 4.0, side * 3.0 / 4.0]));
            assert_eq!(cell_of(2).map(|c| c[0]), Some(0.0));
            assert_eq!(cell_of(3).map(|c| c[0]), Some(side - 1.0));
            assert_eq!(cell_of(4).map(|c| c[1]), Some(0.0));
            assert_eq!(cell_of(5).map(|c| c[1]), Some(side - 1.0));
            assert_eq!(cell_of(6), Some([side - 1.0, side - 1.0]));
            assert_eq!(cell_of(7), Some([0.0, 0.0]));
            // A rectangle ending exactly on an edge overlaps the cell beyond it.
            let left = MercatorRect::new([0.0, 0.0], [0.5, 1.0]);
            let counted: u32 = index
                .clusters(level, left, 0..8)
                .iter()
                .map(|c| c.count)
                .sum();
            assert_eq!(counted, 6, "level {level}");
        }
        // The antimeridian: x == 0 and x == 1 are at opposite ends.
        let west_edge = MercatorRect::new([0.0, 0.0], [0.0, 1.0]);
        assert_eq!(index.rows_in_rect(west_edge, 0..8, 10), Some(vec![2, 7]));
        let east_edge = MercatorRect::new([1.0, 0.0], [1.0, 1.0]);
        assert_eq!(index.rows_in_rect(east_edge, 0..8, 10), Some(vec![3, 6]));
        assert_eq!(index.nearest_row([1.0, 0.5], 0.01, 0..8), None);
        assert_eq!(index.nearest_row([east[0], east[1]], 1e-9, 0..8), Some(3));
        assert_eq!(index.position(4).map(|p| p[1] < 1e-3), Some(true));
    }

    #[test]
    fn non_finite_positions_are_skipped() {
        let points = [
            [0.5, 0.5],
            [f32::NAN, 0.5],
            [0.5, f32::NAN],
            [f32::INFINITY, 0.5],
            [0.5, f32::NEG_INFINITY],
            [0.5, 0.5],
            [2.0, -3.0], // clamped to (1, 0)
        ];
        let index = PointIndex::build(&points);
        assert_eq!(index.len(), 7);
        assert_eq!(index.stats().points, 3);
        let world = MercatorRect::new([0.0, 0.0], [1.0, 1.0]);
        assert_eq!(index.rows_in_rect(world, 0..7, 100), Some(vec![0, 5, 6]));
        assert_eq!(index.rows_in_rect(world, 1..5, 100), Some(vec![]));
        assert_eq!(index.nearest_row([0.5, 0.5], 1.0, 1..5), None);
        assert_eq!(index.nearest_row([0.5, 0.5], 1.0, 0..7), Some(5));
        assert_eq!(index.nearest_row([1.0, 0.0], 1e-9, 0..7), Some(6));
        for level in [0, 4, 12] {
            for strategy in [Strategy::Checkpoint, Strategy::Tree, Strategy::Scan] {
                let clusters = index.clusters_with(level, world, 0..7, Some(strategy));
                assert_eq!(clusters.iter().map(|c| c.count).sum::<u32>(), 3);
                let clusters = index.clusters_with(level, world, 1..5, Some(strategy));
                assert!(clusters.is_empty());
            }
        }
        assert_eq!(index.position(1), None);
        assert_eq!(index.position(6), Some([1.0, 0.0]));
        assert_eq!(index.position(70), None);
        let bogus = Cluster {
            center: [0.5; 2],
            count: 1,
            cell: MercatorRect::new([f64::NAN; 2], [f64::NAN; 2]),
            level: 3,
        };
        assert_eq!(index.cluster_rows(&bogus, 0..7, 10), Some(vec![]));
    }

    #[test]
    fn levels_stop_where_clustering_stops_paying() {
        let mut rng = Rng(9);
        let uniform: Vec<[f32; 2]> = (0..20_000)
            .map(|_| [rng.unit() as f32, rng.unit() as f32])
            .collect();
        let index = PointIndex::build(&uniform);
        let stats = index.stats();
        // 4^(l+2) cells: level 3 has 1024, level 4 has ~4000 of the 5000 a quarter allows,
        // level 5 would have ~15,000.
        assert_eq!(stats.level_cells.len(), 5, "{stats:?}");
        assert!(stats.level_cells.iter().all(|&cells| cells <= 5000));
        assert!(stats.level_cells.iter().sum::<usize>() <= 10_000);
        // Level 5 is answered from the points.
        let rect = MercatorRect::new([0.1, 0.1], [0.3, 0.2]);
        check_clusters(
            &uniform,
            &index.clusters(5, rect, 0..20_000),
            5,
            &rect,
            &(0..20_000),
        );

        // Many points on few positions: every level is cheap, the tree holds 3 entries.
        let stacked: Vec<[f32; 2]> = (0..10_000)
            .map(|i| [[0.1, 0.2], [0.7, 0.7], [0.7, 0.70001]][i % 3])
            .collect();
        let index = PointIndex::build(&stacked);
        let stats = index.stats();
        assert_eq!(stats.distinct_positions, 3);
        assert_eq!(stats.level_cells.len(), usize::from(MAX_LEVEL) + 1);
        let world = MercatorRect::new([0.0, 0.0], [1.0, 1.0]);
        for level in [0, 10, 20, 30] {
            for rows in [0..10_000, 100..200] {
                check_clusters(
                    &stacked,
                    &index.clusters(level, world, rows.clone()),
                    level,
                    &world,
                    &rows,
                );
            }
        }
        assert_eq!(index.nearest_row([0.7, 0.7], 0.1, 0..10_000), Some(9997));
        assert_eq!(index.nearest_row([0.7, 0.7], 0.1, 0..9997), Some(9994));
        assert_eq!(index.rows_in_rect(world, 0..10_000, 5000), None);
        assert_eq!(
            index.rows_in_rect(world, 30..36, 10),
            Some((30..36).collect())
        );
    }

    #[test]
    fn large_build_uses_both_threads_and_matches() {
        let points = sample_points(70_000, 11);
        let index = PointIndex::build(&points);
        let mut rng = Rng(12);
        let len = points.len() as u32;
        for rect in rects(&mut rng).iter().take(14) {
            for rows in [0..len, len / 3..len / 2, 100..800] {
                for level in [2, 6, 9, 12] {
                    check_clusters(
                        &points,
                        &index.clusters(level, *rect, rows.clone()),
                        level,
                        rect,
                        &rows,
                    );
                }
                let expected = brute_rows(&points, rect, &rows);
                let limited = index.rows_in_rect(*rect, rows.clone(), 5000);
                assert_eq!(limited, (expected.len() <= 5000).then_some(expected));
            }
        }
        // Every strategy at every stored level (64 checkpoint blocks on the coarse ones, fewer
        // deeper, merged or built from the items).
        let stats = index.stats();
        assert!(
            stats
                .level_blocks
                .first()
                .is_some_and(|&blocks| blocks == 64),
            "{stats:?}"
        );
        assert_eq!(index.trees.len(), 2);
        let view = MercatorRect::new([0.3, 0.3], [0.6, 0.55]);
        for level in 0..index.precomputed_levels() as u8 + 1 {
            for rows in [1000..len - 1000, 12_345..54_321, len / 2..len / 2 + 700] {
                let auto = index.clusters(level, view, rows.clone());
                check_clusters(&points, &auto, level, &view, &rows);
                for strategy in [Strategy::Checkpoint, Strategy::Tree, Strategy::Scan] {
                    assert_eq!(
                        index.clusters_with(level, view, rows.clone(), Some(strategy)),
                        auto,
                        "{strategy:?} at level {level}, rows {rows:?}"
                    );
                }
            }
        }
        for _ in 0..200 {
            let q = [0.25 + 0.5 * rng.unit(), 0.25 + 0.4 * rng.unit()];
            assert_eq!(
                index.nearest_row(q, 1e-3, 0..len),
                brute_nearest(&points, q, 1e-3, &(0..len))
            );
        }
    }

    #[test]
    fn radix_sort_is_stable() {
        let mut rng = Rng(13);
        let mut items: Vec<Item> = (0..10_000u32)
            .map(|row| Item {
                key: ((rng.next() % 50) << 40) | (rng.next() % 3),
                row,
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|item| item.key);
        radix_sort(&mut items);
        assert_eq!(items, expected);
    }

    #[test]
    fn morton_round_trip() {
        for (x, y) in [
            (0u32, 0u32),
            (1, 0),
            (0, 1),
            (u32::MAX, 0),
            (12345, 987_654_321),
            (u32::MAX, u32::MAX),
        ] {
            let code = morton(x, y);
            assert_eq!((compact(code), compact(code >> 1)), (x, y));
        }
        assert_eq!(morton(1, 0), 1);
        assert_eq!(morton(0, 1), 2);
    }
}
