//! The index itself: the R*-tree(s) over distinct positions, the positions by row, the groups of
//! rows sharing a position, and the build.

use std::ops::Range;

use rstar::primitives::GeomWithData;
use rstar::{RStarInsertionStrategy, RTree, RTreeParams};

use super::checkpoints::{BuildConfig, add_checkpoints};
use super::levels::{Level, build_levels};
use super::morton::{morton, to_fixed};
use super::radix_sort::{Item, radix_sort};

/// The most rows an index holds (row numbers must fit in 31 bits); rows beyond are ignored.
pub const MAX_ROWS: usize = 1 << 31;

/// Tag of a tree entry's data that names a group of rows instead of a single row.
const GROUP_FLAG: u32 = 1 << 31;

/// Below this many points the build does not bother with a second thread.
const PARALLEL_BUILD_MIN: usize = 1 << 15;

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
pub(super) struct NodeParams;

impl RTreeParams for NodeParams {
    const MIN_SIZE: usize = 6;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// A distinct position and its row, or (with [`GROUP_FLAG`]) its group of rows.
pub(super) type Entry = GeomWithData<[f32; 2], u32>;

pub(super) type Tree = RTree<Entry, NodeParams>;

/// Spatial index over rows' mercator positions. See the [module documentation](super).
#[derive(Clone)]
pub struct PointIndex {
    /// One tree, or two split at the median `x` (bulk-loaded in parallel) for large inputs.
    pub(super) trees: Vec<Tree>,
    /// Sanitised position of each row; `[NaN, NaN]` for skipped rows.
    pub(super) positions: Vec<[f32; 2]>,
    /// Group `g` is `group_rows[group_starts[g]..group_starts[g + 1]]`, rows ascending.
    pub(super) group_starts: Vec<u32>,
    pub(super) group_rows: Vec<u32>,
    /// `levels[l]` is clustering level `l`.
    pub(super) levels: Vec<Level>,
    pub(super) points: usize,
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

impl PointIndex {
    /// Indexes `points[row]`, the mercator position of row `row`. Non-finite positions are
    /// skipped, others clamped into `[0, 1]²`.
    pub fn build(points: &[[f32; 2]]) -> Self {
        Self::build_with(points, BuildConfig::DEFAULT)
    }
    pub(super) fn build_with(points: &[[f32; 2]], config: BuildConfig) -> Self {
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
            (vec![tree], stored_levels(&items, len, config))
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
                let levels = stored_levels(&items, len, config);
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
    pub(super) fn clamp_rows(&self, rows: &Range<u32>) -> (usize, usize) {
        let len = self.positions.len();
        let a = (rows.start as usize).min(len);
        let b = (rows.end as usize).min(len);
        (a, b.max(a))
    }
    /// The rows of a tree entry that are in `a..b`.
    pub(super) fn rows_of(&self, data: u32, a: usize, b: usize) -> EntryRows<'_> {
        match self.group(data) {
            Some(group) => {
                let lo = group.partition_point(|&row| (row as usize) < a);
                let hi = group.partition_point(|&row| (row as usize) < b);
                EntryRows::Group(group.get(lo..hi).unwrap_or_default().iter())
            }
            None => EntryRows::Single(((a..b).contains(&(data as usize))).then_some(data)),
        }
    }
    pub(super) fn row_count(&self, data: u32) -> u64 {
        self.group(data).map_or(1, |group| group.len() as u64)
    }
    /// The highest row of a tree entry in `a..b`.
    pub(super) fn top_row(&self, data: u32, a: usize, b: usize) -> Option<u32> {
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

/// The rows of one tree entry within a row range.
pub(super) enum EntryRows<'a> {
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

/// The stored cluster levels of an index of `len` rows, with their row checkpoints.
fn stored_levels(items: &[Item], len: usize, config: BuildConfig) -> Vec<Level> {
    let mut levels = build_levels(items);
    add_checkpoints(&mut levels, items, len, config);
    levels
}

/// Finite positions clamped into the unit square (`-0` made `+0`); others become NaN.
fn sanitise(p: [f32; 2]) -> [f32; 2] {
    if p[0].is_finite() && p[1].is_finite() {
        [p[0].clamp(0.0, 1.0) + 0.0, p[1].clamp(0.0, 1.0) + 0.0]
    } else {
        [f32::NAN; 2]
    }
}
