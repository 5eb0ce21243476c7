#![allow(clippy::unwrap_used)]

use super::*;
use geo::{CoordsIter as _, Geometry};
use std::path::PathBuf;

/// WKB of a geometry type code and its body, little-endian.
fn wkb(code: u32, body: &[u8]) -> Vec<u8> {
    [&[1_u8][..], &code.to_le_bytes(), body].concat()
}

fn numbers(values: &[f64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|value| value.to_le_bytes())
        .collect()
}

fn count(n: u32) -> Vec<u8> {
    n.to_le_bytes().to_vec()
}

/// A points list: count then coordinates (`per` numbers each).
fn points(coords: &[f64], per: usize) -> Vec<u8> {
    [count((coords.len() / per) as u32), numbers(coords)].concat()
}

/// The GeoPackage blob of WKB, with an XY envelope (flags: little-endian, envelope 1).
fn blob(wkb: &[u8]) -> Vec<u8> {
    [
        &b"GP\x00\x03"[..],
        &4326_i32.to_le_bytes(),
        &numbers(&[0.0; 4]),
        wkb,
    ]
    .concat()
}

const EMPTY_BLOB: &[u8] = b"GP\x00\x11\xE6\x10\x00\x00";

/// A new GeoPackage file in the temporary folder, removed when dropped.
struct TempGpkg(PathBuf);

impl Drop for TempGpkg {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn geopackage(name: &str, setup: &str) -> TempGpkg {
    let path = std::env::temp_dir().join(format!("strikemap-{}-{name}.gpkg", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "PRAGMA application_id = 1196444487;
             CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
               organization TEXT, organization_coordsys_id INTEGER, definition TEXT,
               description TEXT);
             INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'x', NULL);
             CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,
               identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL,
               max_x REAL, max_y REAL, srs_id INTEGER);
             CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
               geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);",
        )
        .unwrap();
    connection.execute_batch(setup).unwrap();
    TempGpkg(path)
}

fn feature_table(
    connection: &Connection,
    table: &str,
    srs_id: i64,
    geometries: &[Option<Vec<u8>>],
) {
    connection
        .execute_batch(&format!(
            "CREATE TABLE {table} (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT, n REAL);
             INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
               VALUES ('{table}', 'features', '{table} layer', {srs_id});
             INSERT INTO gpkg_geometry_columns VALUES ('{table}', 'geom', 'GEOMETRY', {srs_id}, 0, 0);"
        ))
        .unwrap();
    for (index, geometry) in geometries.iter().enumerate() {
        connection
            .execute(
                &format!("INSERT INTO {table} (geom, name, n) VALUES (?1, ?2, ?3)"),
                rusqlite::params![geometry, format!("f{index}"), index as f64 + 0.5],
            )
            .unwrap();
    }
}

fn first_coord(geometry: &Geometry<f64>) -> (f64, f64) {
    let coord = geometry.coords_iter().next().unwrap();
    (coord.x, coord.y)
}

#[test]
fn every_wkb_type_is_read_with_z_m_curves_and_empties() {
    let point = wkb(1, &numbers(&[60.0, 25.0]));
    let ring = |x: f64| points(&[x, 25.0, x + 1.0, 25.0, x + 1.0, 26.0, x, 25.0], 2);
    let polygon = wkb(3, &[count(2), ring(60.0), ring(60.2)].concat());
    let line = wkb(2, &points(&[60.0, 25.0, 61.0, 26.0], 2));
    let big_endian_point = [
        &[0_u8][..],
        &1_u32.to_be_bytes(),
        &60.0_f64.to_be_bytes(),
        &25.0_f64.to_be_bytes(),
    ]
    .concat();
    let arc = wkb(8, &points(&[60.0, 25.0, 61.0, 26.0, 62.0, 25.0], 2));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("Point", point.clone()),
        ("Point", wkb(1001, &numbers(&[60.0, 25.0, 5.0]))),
        ("Point", wkb(2001, &numbers(&[60.0, 25.0, 5.0]))),
        ("Point", wkb(3001, &numbers(&[60.0, 25.0, 5.0, 6.0]))),
        ("Point", wkb(0x8000_0001, &numbers(&[60.0, 25.0, 5.0]))),
        ("Point", big_endian_point),
        ("LineString", line.clone()),
        (
            "LineString",
            wkb(1002, &points(&[60.0, 25.0, 1.0, 61.0, 26.0, 1.0], 3)),
        ),
        ("Polygon", polygon.clone()),
        (
            "MultiPoint",
            wkb(4, &[count(2), point.clone(), point.clone()].concat()),
        ),
        (
            "MultiLineString",
            wkb(5, &[count(1), line.clone()].concat()),
        ),
        (
            "MultiPolygon",
            wkb(6, &[count(1), polygon.clone()].concat()),
        ),
        (
            "GeometryCollection",
            wkb(7, &[count(2), point.clone(), line.clone()].concat()),
        ),
        ("LineString", arc.clone()),
        (
            "LineString",
            wkb(
                9,
                &[
                    count(2),
                    arc.clone(),
                    wkb(2, &points(&[62.0, 25.0, 63.0, 25.0], 2)),
                ]
                .concat(),
            ),
        ),
        (
            "Polygon",
            wkb(
                10,
                &[
                    count(1),
                    wkb(8, &points(&[60.0, 25.0, 61.0, 26.0, 60.0, 25.0], 2)),
                ]
                .concat(),
            ),
        ),
        (
            "MultiLineString",
            wkb(11, &[count(1), arc.clone()].concat()),
        ),
        (
            "MultiPolygon",
            wkb(12, &[count(1), polygon.clone()].concat()),
        ),
        (
            "MultiPolygon",
            wkb(15, &[count(1), polygon.clone()].concat()),
        ),
        ("Polygon", wkb(17, &[count(1), ring(60.0)].concat())),
    ];
    let positions = Positions { reprojection: None };
    for (expected, wkb) in &cases {
        let geometry = read_gpkg_geometry(&blob(wkb), &positions).unwrap().unwrap();
        let kind = match &geometry {
            Geometry::Point(_) => "Point",
            Geometry::LineString(_) => "LineString",
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            Geometry::GeometryCollection(_) => "GeometryCollection",
            _ => "other",
        };
        assert_eq!(kind, *expected, "{geometry:?}");
        assert_eq!(first_coord(&geometry), (60.0, 25.0), "{expected}");
    }
    // The arc through (61, 26) is a half circle of radius 1 about (61, 25), cut in pieces.
    let Some(Geometry::LineString(line)) = read_gpkg_geometry(&blob(&arc), &positions).unwrap()
    else {
        panic!()
    };
    assert!(line.0.len() > 20);
    assert!(
        line.0
            .iter()
            .all(|c| (((c.x - 61.0).powi(2) + (c.y - 25.0).powi(2)).sqrt() - 1.0).abs() < 1e-9)
    );
    assert!(
        line.0.iter().all(|c| c.y >= 25.0 - 1e-9),
        "the arc goes over the top"
    );
    // Empty: the header's flag, a point of NaN, a collection of nothing.
    assert!(
        read_gpkg_geometry(EMPTY_BLOB, &positions)
            .unwrap()
            .is_none()
    );
    assert!(
        read_gpkg_geometry(&blob(&wkb(1, &numbers(&[f64::NAN, f64::NAN]))), &positions)
            .unwrap()
            .is_none()
    );
    assert!(
        read_gpkg_geometry(&blob(&wkb(7, &count(0))), &positions)
            .unwrap()
            .is_none()
    );
    // Broken: wrong magic, a count larger than the blob, an unknown type.
    for (broken, message) in [
        (
            b"XX\x00\x01\x00\x00\x00\x00".to_vec(),
            "does not start with \"GP\"",
        ),
        (blob(&wkb(2, &count(1_000_000))), "more than the"),
        (blob(&wkb(99, &[])), "geometry type 99"),
        (blob(&point[..10]), "ends at byte"),
    ] {
        let error = read_gpkg_geometry(&broken, &positions).unwrap_err();
        assert!(error.contains(message), "{error}");
    }
}

#[test]
fn every_feature_table_is_a_layer_and_other_tables_are_listed() {
    let file = geopackage("layers", "");
    let connection = Connection::open(&file.0).unwrap();
    let point = blob(&wkb(1, &numbers(&[67.0, 30.0])));
    feature_table(
        &connection,
        "towns",
        4326,
        &[Some(point.clone()), None, Some(EMPTY_BLOB.to_vec())],
    );
    feature_table(
        &connection,
        "roads",
        4326,
        &[
            Some(blob(&wkb(2, &points(&[60.0, 25.0, 61.0, 26.0], 2)))),
            Some(b"GP".to_vec()),
        ],
    );
    connection
        .execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
             INSERT INTO gpkg_contents (table_name, data_type) VALUES ('notes', 'attributes');
             INSERT INTO gpkg_contents (table_name, data_type) VALUES ('imagery', 'tiles');",
        )
        .unwrap();
    drop(connection);
    let layers = read_geopackage(&file.0).unwrap();
    let names: Vec<&str> = layers
        .iter()
        .map(|(layer, _)| layer.name.as_str())
        .collect();
    assert_eq!(names, ["towns layer", "roads layer"]);
    let (towns, log) = &layers[0];
    assert_eq!(towns.features.len(), 1);
    assert_eq!(towns.unlocated.len(), 2);
    assert_eq!(towns.features[0].id.as_deref(), Some("1"));
    assert_eq!(towns.features[0].properties["name"], "f0");
    assert_eq!(towns.features[0].properties["n"], 0.5);
    let warnings: Vec<String> = log.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("not drawn: notes (attributes)")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("tile sets are not drawn as layers: imagery")),
        "{warnings:?}"
    );
    let (roads, log) = &layers[1];
    assert_eq!(roads.features.len(), 1);
    assert_eq!(log.listed[0].place, "feature 1, field geom");
}

/// Quetta (67.0011, 30.1798) in UTM 42N, as pyproj gives it (see crs.rs).
const QUETTA_UTM: [f64; 2] = [307_539.754, 3_340_397.078];

#[test]
fn systems_come_from_epsg_codes_or_the_wkt_definition() {
    let wkt = crate::formats::shapefile::writer::UTM_42N_PRJ;
    let file = geopackage(
        "systems",
        &format!(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('utm', 32642, 'EPSG', 32642, 'x', NULL);
             INSERT INTO gpkg_spatial_ref_sys VALUES ('own', 900001, 'NONE', 1, '{wkt}', NULL);"
        ),
    );
    let connection = Connection::open(&file.0).unwrap();
    let quetta = blob(&wkb(1, &numbers(&QUETTA_UTM)));
    feature_table(&connection, "by_code", 32642, &[Some(quetta.clone())]);
    feature_table(&connection, "by_wkt", 900001, &[Some(quetta)]);
    feature_table(&connection, "unknown", 12345, &[]);
    connection
        .execute("DELETE FROM gpkg_contents WHERE table_name = 'unknown'", [])
        .unwrap();
    drop(connection);
    let layers = read_geopackage(&file.0).unwrap();
    for (layer, _) in &layers {
        let got = first_coord(&layer.features[0].geometry);
        let metres = crate::formats::crs::tests::metres_between(got, (67.0011, 30.1798));
        assert!(metres < 1.0, "{}: {got:?}", layer.name);
    }
}

#[test]
fn wal_files_are_read_without_writing_beside_them_and_strangers_are_refused() {
    let file = geopackage("wal", "PRAGMA journal_mode = WAL;");
    let connection = Connection::open(&file.0).unwrap();
    feature_table(
        &connection,
        "towns",
        4326,
        &[Some(blob(&wkb(1, &numbers(&[67.0, 30.0]))))],
    );
    drop(connection);
    let beside = |suffix: &str| PathBuf::from(format!("{}{suffix}", file.0.display()));
    assert!(!beside("-wal").exists() && !beside("-shm").exists());
    assert_eq!(read_geopackage(&file.0).unwrap().len(), 1);
    assert!(
        !beside("-wal").exists() && !beside("-shm").exists(),
        "files were written beside"
    );

    let plain =
        TempGpkg(std::env::temp_dir().join(format!("strikemap-{}-plain.db", std::process::id())));
    Connection::open(&plain.0)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let error = read_geopackage(&plain.0).unwrap_err().to_string();
    assert!(
        error.contains("an SQLite database, but not a GeoPackage"),
        "{error}"
    );
    let tiles = geopackage(
        "tiles",
        "INSERT INTO gpkg_contents (table_name, data_type) VALUES ('imagery', 'tiles');",
    );
    let error = read_geopackage(&tiles.0).unwrap_err().to_string();
    assert!(
        error.contains("only tile sets (imagery), and tile sets are not drawn as layers"),
        "{error}"
    );
}

#[test]
fn utm_and_national_grid_tables_match_gdal_within_a_metre() {
    use crate::formats::shapefile::gdal_check::{gdal_positions, ogr2ogr_present};
    if !ogr2ogr_present() {
        return;
    }
    for (code, origin) in [(32642, QUETTA_UTM), (27700, [530_000.0, 180_000.0])] {
        let file = geopackage(
            &format!("gdal-{code}"),
            &format!(
                "INSERT INTO gpkg_spatial_ref_sys VALUES ('s', {code}, 'EPSG', {code}, 'x', NULL);"
            ),
        );
        let connection = Connection::open(&file.0).unwrap();
        let [x, y] = origin;
        let far = blob(&wkb(1, &numbers(&[x + 25_000.0, y - 40_000.0])));
        feature_table(
            &connection,
            "places",
            code,
            &[Some(blob(&wkb(1, &numbers(&origin)))), Some(far)],
        );
        drop(connection);
        let ours = read_geopackage(&file.0).unwrap().remove(0).0;
        let theirs = gdal_positions(&file.0);
        assert_eq!(ours.features.len(), theirs.len(), "EPSG:{code}");
        for (feature, expected) in ours.features.iter().zip(&theirs) {
            let metres = crate::formats::crs::tests::metres_between(
                first_coord(&feature.geometry),
                *expected,
            );
            assert!(
                metres < 1.0,
                "EPSG:{code}: {metres:.3} m from GDAL's {expected:?}"
            );
        }
    }
}

#[test]
fn a_geopackage_of_many_points_becomes_a_table_whose_rows_read_again_by_their_key() {
    let gpkg = geopackage("many-points", "");
    let connection = Connection::open(&gpkg.0).unwrap();
    let positions: Vec<(f64, f64)> = (0..600)
        .map(|i| (60.0 + f64::from(i) * 0.01, 25.0 + f64::from(i % 37) * 0.1))
        .collect();
    let geometries: Vec<Option<Vec<u8>>> = positions
        .iter()
        .map(|(x, y)| Some(blob(&wkb(1, &numbers(&[*x, *y])))))
        .collect();
    feature_table(&connection, "sites", 4326, &geometries);
    connection
        .execute_batch("UPDATE gpkg_geometry_columns SET geometry_type_name = 'POINT'")
        .unwrap();
    drop(connection);
    let import = crate::import::import_file(&gpkg.0).unwrap();
    assert_eq!(
        import.format,
        crate::formats::detect::DetectedFormat::GeoPackage
    );
    let crate::import::ImportedContent::Table(table) = &import.content else {
        panic!("{:?}", import.content);
    };
    assert_eq!(table.len(), positions.len());
    for row in [0, 1, 333, 599] {
        // The label is the row's name, "f" and its index.
        let index: usize = table.label(row).trim_start_matches('f').parse().unwrap();
        let position = table.position(row).unwrap();
        assert_eq!((position.lon, position.lat), positions[index]);
        let crate::table::Record::Properties(lines) = table.record(row).unwrap() else {
            panic!()
        };
        assert!(
            lines.contains(&("name".to_owned(), format!("f{index}"))),
            "{lines:?}"
        );
        // fid counts from 1.
        assert!(
            lines.contains(&("fid".to_owned(), format!("{}", index + 1))),
            "{lines:?}"
        );
    }
    // The same table as GEOMETRY (any type) stays an overlay.
    let connection = Connection::open(&gpkg.0).unwrap();
    connection
        .execute_batch("UPDATE gpkg_geometry_columns SET geometry_type_name = 'GEOMETRY'")
        .unwrap();
    drop(connection);
    assert!(matches!(
        crate::import::import_file(&gpkg.0).unwrap().content,
        crate::import::ImportedContent::Overlay(_)
    ));
}
