//! The stored clustering levels: per level, the non-empty cells in Morton order with their
//! counts and fixed-point sums, aggregated once at build time.

use std::ops::Range;

use super::cluster::CellRange;
use super::morton::{MAX_LEVEL, compact, morton64};
use super::radix_sort::Item;

/// One stored clustering level.
#[derive(Clone, Debug, Default)]
pub(super) struct Level {
    /// Morton keys (`x` in the even bits) of the non-empty cells, ascending.
    pub(super) keys: Vec<u64>,
    pub(super) counts: Vec<u32>,
    /// Sums of the members' fixed-point positions.
    pub(super) sums: Vec<[u64; 2]>,
    /// Interior row boundaries `k * block_rows` for `k` in `1..=checkpoints`; the boundaries
    /// `0` and `len` are implicit.
    pub(super) checkpoints: usize,
    pub(super) block_rows: usize,
    /// Aggregates of rows `0..k * block_rows`, at `i * checkpoints + k - 1` for cell `i`
    /// (cell-major: building walks the cells in order).
    pub(super) prefix_counts: Vec<u32>,
    pub(super) prefix_sums: Vec<[u64; 2]>,
}

impl Level {
    /// Index ranges of the cells (of this level, `level`) inside `cells`, ascending.
    pub(super) fn cells_in(&self, level: u8, cells: &CellRange, out: &mut Vec<Range<usize>>) {
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
    pub(super) fn visit(&mut self, keys: &[u64], base: usize, d: u32, px: u64, py: u64) {
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

/// The stored cluster levels for the Morton-sorted items, without row checkpoints (the
/// `checkpoints` module adds them).
pub(super) fn build_levels(items: &[Item]) -> Vec<Level> {
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
