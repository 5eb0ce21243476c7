//! Tests of the point index against brute force, and the helpers they share.

use std::collections::BTreeMap;
use std::ops::Range;

use super::checkpoints::BuildConfig;
use super::*;

mod building;
mod clusters;
mod rows;

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
