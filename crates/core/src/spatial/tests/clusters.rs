//! Clusters, their members and cell edges.

use super::*;
use crate::spatial::cluster_queries::Strategy;

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
                        assert_eq!(forced, auto, "{strategy:?} level {level} {rect:?} {rows:?}");
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
