//! Positions in projected systems checked against GDAL: the same shapefile set read here and
//! by `ogr2ogr -t_srs EPSG:4326 -f GeoJSON` lands within a metre. Skipped (saying so) only when
//! `ogr2ogr` is missing and the `CI` variable is unset; in CI it must run (`gdal-bin`).

#![allow(clippy::unwrap_used)]

use super::writer::{self, BRITISH_GRID_PRJ, KALIANPUR_42N_PRJ, UTM_42N_PRJ};
use super::*;
use geo::CoordsIter as _;

pub(crate) fn ogr2ogr_present() -> bool {
    let present = std::process::Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !present && std::env::var_os("CI").is_some() {
        panic!("ogr2ogr is missing in CI: install gdal-bin");
    }
    if !present {
        eprintln!(
            "SKIPPED: ogr2ogr (GDAL) is not installed, so positions are not compared with GDAL's"
        );
    }
    present
}

/// The first coordinates of each feature of a GeoJSON file written by ogr2ogr.
pub(crate) fn gdal_positions(path: &std::path::Path) -> Vec<(f64, f64)> {
    let output = std::process::Command::new("ogr2ogr")
        .args(["-t_srs", "EPSG:4326", "-f", "GeoJSON", "/vsistdout/"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| {
            let mut coordinates = &feature["geometry"]["coordinates"];
            while coordinates[0].is_array() {
                coordinates = &coordinates[0];
            }
            (
                coordinates[0].as_f64().unwrap(),
                coordinates[1].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn utm_and_national_grid_positions_match_gdal_within_a_metre() {
    if !ogr2ogr_present() {
        return;
    }
    let folder = std::env::temp_dir().join(format!("strikemap-gdal-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    // Points and a polygon around Quetta (UTM 42N, Kalianpur 1962 UTM 42N) and London (British
    // National Grid).
    let around = |(x, y): (f64, f64)| {
        let square = vec![
            (x, y),
            (x, y + 900.0),
            (x + 900.0, y + 900.0),
            (x + 900.0, y),
            (x, y),
        ];
        vec![
            Some(vec![vec![(x, y)]]),
            Some(vec![vec![(x + 25_000.0, y - 40_000.0)]]),
            Some(vec![square]),
        ]
    };
    for (name, prj, origin) in [
        ("utm42n", UTM_42N_PRJ, (307_539.754, 3_340_397.078)),
        ("kalianpur", KALIANPUR_42N_PRJ, (307_539.754, 3_340_397.078)),
        ("british", BRITISH_GRID_PRJ, (530_000.0, 180_000.0)),
    ] {
        let shapes = around(origin);
        for (shape_type, shapes) in [(1, &shapes[..2]), (5, &shapes[2..])] {
            let (shp, shx) = writer::shp_and_shx(shape_type, shapes);
            let dbf = writer::dbf(
                &[("ID", b'N', 4, 0)],
                &vec![vec![&b"1"[..]]; shapes.len()],
                0,
            );
            let stem = folder.join(format!("{name}{shape_type}"));
            for (extension, bytes) in [
                ("shp", &shp),
                ("shx", &shx),
                ("dbf", &dbf),
                ("prj", &prj.as_bytes().to_vec()),
            ] {
                std::fs::write(stem.with_extension(extension), bytes).unwrap();
            }
            let path = stem.with_extension("shp");
            let ours = read_shapefile_path(&path).unwrap().remove(0).0;
            let theirs = gdal_positions(&path);
            assert_eq!(ours.features.len(), theirs.len(), "{name}");
            for (feature, expected) in ours.features.iter().zip(&theirs) {
                let coord = feature.geometry.coords_iter().next().unwrap();
                let metres =
                    crate::formats::crs::tests::metres_between((coord.x, coord.y), *expected);
                assert!(
                    metres < 1.0,
                    "{name}: {metres:.3} m from GDAL's {expected:?}"
                );
            }
        }
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
