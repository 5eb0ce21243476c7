//! The build: stored levels, the two-tree build, the sort and the Morton codes.

use super::*;
use crate::spatial::cluster_queries::Strategy;
use crate::spatial::morton::{compact, morton};
use crate::spatial::radix_sort::{Item, radix_sort};

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
