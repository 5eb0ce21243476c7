//! Rows in a rectangle and the nearest row.

use super::*;
use crate::spatial::cluster::envelope_around;
use crate::spatial::cluster_queries::Strategy;

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
