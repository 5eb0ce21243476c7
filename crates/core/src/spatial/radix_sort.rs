//! The build's sort of points by Morton code.

/// A point being indexed: its full-resolution Morton code and its row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Item {
    pub(super) key: u64,
    pub(super) row: u32,
}

/// Stable LSD radix sort by key (11-bit digits, skipping digits all keys share), so rows stay
/// ascending among equal keys.
pub(super) fn radix_sort(items: &mut Vec<Item>) {
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
