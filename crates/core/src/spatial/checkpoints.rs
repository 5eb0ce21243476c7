//! Row checkpoints of the coarse levels: prefix aggregates per cell at row boundaries, so a time
//! window's clusters are two lookups plus short corrections.

use super::cluster::Sum;
use super::levels::Level;
use super::morton::{MAX_LEVEL, compact};
use super::radix_sort::Item;

/// Tunables of the build; tests shrink them to reach every code path with few points.
#[derive(Clone, Copy, Debug)]
pub(super) struct BuildConfig {
    /// Most checkpoint blocks per level (a power of two).
    pub(super) max_blocks: usize,
    /// Fewest rows per checkpoint block.
    pub(super) min_block_rows: usize,
    /// Checkpoint memory budget in bytes per point.
    pub(super) checkpoint_bytes_per_point: usize,
}

impl BuildConfig {
    pub(super) const DEFAULT: Self = Self {
        max_blocks: 64,
        min_block_rows: 1024,
        checkpoint_bytes_per_point: 8,
    };
}

impl Level {
    pub(super) fn boundary(&self, k: usize, len: usize) -> usize {
        if k == 0 {
            0
        } else if k > self.checkpoints {
            len
        } else {
            k * self.block_rows
        }
    }
    /// The boundary nearest to row `x` and its distance.
    pub(super) fn nearest_boundary(&self, x: usize, len: usize) -> (usize, usize) {
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
    pub(super) fn prefix(&self, k: usize, i: usize) -> Sum {
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
}

/// Gives the coarsest levels row checkpoints within the memory budget: each level takes as many
/// blocks as fit in half of what is left (at least 4, else all that is left). Block sizes are
/// power-of-two multiples of a common base size.
pub(super) fn add_checkpoints(
    levels: &mut [Level],
    items: &[Item],
    len: usize,
    config: BuildConfig,
) {
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
