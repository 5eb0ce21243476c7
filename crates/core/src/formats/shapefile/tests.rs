#![allow(clippy::unwrap_used)]

use super::writer::{self, BRITISH_GRID_PRJ, KALIANPUR_42N_PRJ, Shape, UTM_42N_PRJ};
use super::*;
use crate::formats::crs::Reprojection;
use geo::Geometry;
use serde_json::{Value, json};

fn parts_of(shape_type: i32, shapes: &[Shape]) -> ShapefileParts {
    let (shp, shx) = writer::shp_and_shx(shape_type, shapes);
    ShapefileParts {
        name: "set".into(),
        shp,
        shx: Some(shx),
        ..ShapefileParts::default()
    }
}

fn read(parts: &ShapefileParts) -> LayerRead {
    read_shapefile_set("set.shp", parts).unwrap()
}

fn warnings(log: &SkipLog) -> String {
    log.warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn square(x: f64, y: f64, size: f64, clockwise: bool) -> Vec<(f64, f64)> {
    let mut ring = vec![
        (x, y),
        (x, y + size),
        (x + size, y + size),
        (x + size, y),
        (x, y),
    ];
    if !clockwise {
        ring.reverse();
    }
    ring
}

#[test]
fn every_shape_type_is_read_in_two_dimensions() {
    let line = vec![
        vec![(60.0, 25.0), (61.0, 26.0)],
        vec![(62.0, 27.0), (63.0, 28.0)],
    ];
    for (shape_type, expected) in [
        (1, "Point"),
        (11, "Point"),
        (21, "Point"),
        (8, "MultiPoint"),
        (18, "MultiPoint"),
        (28, "MultiPoint"),
        (3, "MultiLineString"),
        (13, "MultiLineString"),
        (23, "MultiLineString"),
        (5, "MultiPolygon"),
        (15, "MultiPolygon"),
        (25, "MultiPolygon"),
        (31, "MultiPolygon"),
    ] {
        let shapes: Vec<Shape> = if matches!(shape_type, 5 | 15 | 25 | 31) {
            vec![Some(vec![
                square(60.0, 25.0, 1.0, true),
                square(62.0, 25.0, 1.0, true),
            ])]
        } else {
            vec![Some(line.clone())]
        };
        let (layer, log) = read(&parts_of(shape_type, &shapes));
        let geometry = &layer.features[0].geometry;
        let kind = match geometry {
            Geometry::Point(_) => "Point",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            _ => "other",
        };
        assert_eq!(kind, expected, "shape type {shape_type}: {geometry:?}");
        use geo::CoordsIter as _;
        let first = geometry.coords_iter().next().unwrap();
        assert_eq!((first.x, first.y), (60.0, 25.0), "shape type {shape_type}");
        assert!(log.total == 0, "{shape_type}: {:?}", log.listed);
    }
    let (layer, _) = read(&parts_of(3, &[Some(vec![line[0].clone()])]));
    assert!(matches!(
        layer.features[0].geometry,
        Geometry::LineString(_)
    ));
}

#[test]
fn holes_go_to_the_outer_ring_that_holds_them_and_null_shapes_are_unlocated() {
    // Two outer rings (clockwise), a hole (counter-clockwise) inside the second one, listed
    // first; and a NULL shape.
    let shapes = vec![
        Some(vec![
            square(62.2, 25.2, 0.5, false),
            square(60.0, 25.0, 1.0, true),
            square(62.0, 25.0, 1.0, true),
        ]),
        None,
    ];
    let (layer, _) = read(&parts_of(5, &shapes));
    let Geometry::MultiPolygon(polygons) = &layer.features[0].geometry else {
        panic!("{:?}", layer.features[0].geometry);
    };
    assert_eq!(polygons.0.len(), 2);
    assert!(polygons.0[0].interiors().is_empty());
    assert_eq!(polygons.0[1].interiors().len(), 1);
    assert_eq!(polygons.0[1].interiors()[0].0[0].x, 62.2);
    assert_eq!(layer.unlocated.len(), 1);
    assert_eq!(layer.unlocated[0].index, 1);
}

const FIELDS: [(&str, u8, u8, u8); 7] = [
    ("NAME", b'C', 12, 0),
    ("COUNT", b'N', 6, 0),
    ("SHARE", b'F', 8, 3),
    ("SEEN", b'D', 8, 0),
    ("OPEN", b'L', 1, 0),
    ("NOTE", b'M', 10, 0),
    ("RATE", b'N', 8, 2),
];

#[test]
fn every_field_type_and_null_is_read() {
    let mut parts = parts_of(
        1,
        &[
            Some(vec![vec![(60.0, 25.0)]]),
            Some(vec![vec![(61.0, 26.0)]]),
        ],
    );
    let records = vec![
        vec![
            &b"Panjgur"[..],
            b"42",
            b"0.125",
            b"20240118",
            b"T",
            b"1",
            b"-3.50",
        ],
        vec![&b""[..], b"", b"*****", b"", b"?", b"", b""],
    ];
    parts.dbf = Some(writer::dbf(&FIELDS, &records, 0));
    let mut dbt = vec![0_u8; 1024];
    dbt.splice(512..520, b"a memo\x1A\x1A".iter().copied());
    parts.dbt = Some(dbt);
    let (layer, log) = read(&parts);
    assert_eq!(log.total, 0, "{:?}", log.listed);
    let first = Value::Object(layer.features[0].properties.clone());
    let expected = json!({"NAME": "Panjgur", "COUNT": 42, "SHARE": 0.125, "SEEN": "2024-01-18",
        "OPEN": true, "NOTE": "a memo", "RATE": -3.5});
    assert_eq!(first, expected);
    let second = &layer.features[1].properties;
    assert!(second.values().all(Value::is_null), "{second:?}");
    assert_eq!(second.len(), FIELDS.len());
}

#[test]
fn text_is_decoded_by_cpg_then_driver_byte_then_detection() {
    let name = |driver: u8, cpg: Option<&str>, bytes: &[u8]| {
        let mut parts = parts_of(1, &[Some(vec![vec![(60.0, 25.0)]])]);
        parts.dbf = Some(writer::dbf(
            &[("NAME", b'C', 20, 0)],
            &[vec![bytes]],
            driver,
        ));
        parts.cpg = cpg.map(|cpg| cpg.as_bytes().to_vec());
        let (layer, log) = read(&parts);
        let value = layer.features[0].properties["NAME"]
            .as_str()
            .unwrap()
            .to_owned();
        (value, warnings(&log))
    };
    // "Кветта" (Quetta) in Windows-1251.
    let cyrillic = [0xCA, 0xE2, 0xE5, 0xF2, 0xF2, 0xE0];
    assert_eq!(name(0, Some("1251"), &cyrillic).0, "Кветта");
    assert_eq!(name(0, Some("CP1251"), &cyrillic).0, "Кветта");
    assert_eq!(name(0xC9, None, &cyrillic).0, "Кветта");
    let (utf8, warned) = name(0, None, "Zāhedān".as_bytes());
    assert_eq!(utf8, "Zāhedān");
    assert!(!warned.contains("Windows-1252"), "{warned}");
    assert_eq!(name(0, Some("UTF-8"), "Zāhedān".as_bytes()).0, "Zāhedān");
    // Not UTF-8 and nothing named: Windows-1252, with a warning.
    let (guessed, warned) = name(0, None, b"Tr\xE8s");
    assert_eq!(guessed, "Très");
    assert!(
        warned.contains(".dbf: there is no .cpg") && warned.contains("Windows-1252"),
        "{warned}"
    );
}

/// Quetta (67.0011, 30.1798) in UTM 42N, as pyproj gives it (see crs.rs).
const QUETTA_UTM: (f64, f64) = (307_539.754, 3_340_397.078);

#[test]
fn the_prj_system_is_reprojected_esri_names_included() {
    let mut parts = parts_of(1, &[Some(vec![vec![QUETTA_UTM]])]);
    parts.prj = Some(UTM_42N_PRJ.as_bytes().to_vec());
    let (layer, log) = read(&parts);
    let Geometry::Point(point) = layer.features[0].geometry else {
        panic!()
    };
    let got = (point.x(), point.y());
    assert!(
        crate::formats::crs::tests::metres_between(got, (67.0011, 30.1798)) < 1.0,
        "{got:?}"
    );
    // The system the .prj declares is the file's own: no warning (`strikemap validate` exits 0).
    assert!(!warnings(&log).contains(".prj"), "{}", warnings(&log));

    // A national grid whose .prj names its datum only: the same places as EPSG's definitions.
    for (prj, code, position) in [
        (BRITISH_GRID_PRJ, 27700, (530_000.0, 180_000.0)),
        (KALIANPUR_42N_PRJ, 24312, QUETTA_UTM),
    ] {
        let epsg = Reprojection::from_epsg(code).unwrap().unwrap();
        let expected = epsg.to_wgs84(position.0, position.1).unwrap();
        let mut parts = parts_of(1, &[Some(vec![vec![position]])]);
        parts.prj = Some(prj.as_bytes().to_vec());
        let (layer, _) = read(&parts);
        let Geometry::Point(point) = layer.features[0].geometry else {
            panic!()
        };
        let metres = crate::formats::crs::tests::metres_between((point.x(), point.y()), expected);
        assert!(metres < 0.01, "EPSG:{code}: {metres} m");
    }
}

#[test]
fn without_a_prj_degrees_are_assumed_and_metres_refused() {
    let (layer, log) = read(&parts_of(1, &[Some(vec![vec![(67.0, 30.0)]])]));
    assert_eq!(layer.features.len(), 1);
    assert!(warnings(&log).contains("no .prj"), "{}", warnings(&log));
    let error = read_shapefile_set("set.shp", &parts_of(1, &[Some(vec![vec![QUETTA_UTM]])]))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("set.shp: the set has no .prj") && error.contains("cannot be longitude"),
        "{error}"
    );
}

#[test]
fn broken_sets_name_the_part() {
    let shapes: Vec<Shape> = (0..3)
        .map(|i| Some(vec![vec![(60.0 + f64::from(i), 25.0)]]))
        .collect();
    // No .shx: walked record by record.
    let mut parts = parts_of(1, &shapes);
    parts.shx = None;
    let (layer, log) = read(&parts);
    assert_eq!(layer.features.len(), 3);
    assert!(
        warnings(&log).contains(".shx: the set has no .shx"),
        "{}",
        warnings(&log)
    );
    // A .dbf of two records for three shapes.
    let mut parts = parts_of(1, &shapes);
    parts.dbf = Some(writer::dbf(
        &[("N", b'N', 3, 0)],
        &[vec![b"1"], vec![b"2"]],
        0,
    ));
    let (layer, log) = read(&parts);
    assert_eq!(layer.features.len(), 2);
    assert!(
        warnings(&log).contains(".dbf: the .dbf holds 2 records and the .shp 3"),
        "{}",
        warnings(&log)
    );
    // A truncated .shp, with and without its index.
    for keep_index in [true, false] {
        let mut parts = parts_of(1, &shapes);
        parts.shp.truncate(parts.shp.len() - 5);
        if !keep_index {
            parts.shx = None;
        }
        let (layer, log) = read(&parts);
        assert_eq!(layer.features.len(), 2, "index {keep_index}");
        assert!(warnings(&log).contains("truncated"), "{}", warnings(&log));
    }
    // A record with a part count larger than it can hold, and a file that is no .shp.
    let mut parts = parts_of(
        3,
        &[
            Some(vec![vec![(60.0, 25.0), (61.0, 25.0)]]),
            shapes[0].clone(),
        ],
    );
    parts.shp[100 + 8 + 36] = 0xFF;
    let (layer, log) = read(&parts);
    assert_eq!(layer.features.len(), 1);
    assert!(
        log.listed[0]
            .to_string()
            .starts_with("record 0, field shape: the number of parts"),
        "{:?}",
        log.listed
    );
    let not_shp = ShapefileParts {
        shp: b"PK\x03\x04".to_vec(),
        ..ShapefileParts::default()
    };
    let error = read_shapefile_set("x.shp", &not_shp)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not a shapefile"), "{error}");
    // A deleted record is left out with a warning.
    let mut parts = parts_of(1, &shapes[..2]);
    parts.dbf = Some(writer::dbf(
        &[("N", b'C', 3, 0)],
        &[vec![b"*a"], vec![b"b"]],
        0,
    ));
    let (layer, log) = read(&parts);
    assert_eq!(layer.features.len(), 1);
    assert!(
        warnings(&log).contains("marked deleted"),
        "{}",
        warnings(&log)
    );
}

pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_of_sets_in_folders_gives_a_layer_each_and_files_on_disk_are_found_beside() {
    let (shp, shx) = writer::shp_and_shx(1, &[Some(vec![vec![QUETTA_UTM]])]);
    let (shp2, _) = writer::shp_and_shx(3, &[Some(vec![vec![(60.0, 25.0), (61.0, 26.0)]])]);
    let dbf = writer::dbf(&[("NAME", b'C', 10, 0)], &[vec![b"Quetta"]], 0);
    let zip = zip_of(&[
        ("admin/towns.shp", &shp),
        ("admin/towns.SHX", &shx),
        ("admin/towns.dbf", &dbf),
        ("admin/towns.prj", UTM_42N_PRJ.as_bytes()),
        ("roads.shp", &shp2),
        ("readme.txt", b"hello"),
    ]);
    assert!(zip_holds_shapefiles(&zip));
    assert!(!zip_holds_shapefiles(&zip_of(&[("doc.kml", b"<kml/>")])));
    let layers = read_shapefile_zip("boundaries.zip", &zip).unwrap();
    let names: Vec<&str> = layers
        .iter()
        .map(|(layer, _)| layer.name.as_str())
        .collect();
    assert_eq!(names, ["towns", "roads"]);
    assert_eq!(layers[0].0.features[0].properties["NAME"], "Quetta");
    assert!(warnings(&layers[1].1).contains("no .prj"));

    let folder = std::env::temp_dir().join(format!("strikemap-shp-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("towns.shp"), &shp).unwrap();
    std::fs::write(folder.join("towns.SHX"), &shx).unwrap();
    std::fs::write(folder.join("towns.dbf"), &dbf).unwrap();
    std::fs::write(folder.join("towns.prj"), UTM_42N_PRJ).unwrap();
    let read = read_shapefile_path(&folder.join("towns.shp")).unwrap();
    assert_eq!(read[0].0.features[0].properties["NAME"], "Quetta");
    assert!(
        !warnings(&read[0].1).contains(".shx"),
        "{}",
        warnings(&read[0].1)
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
