#![allow(clippy::unwrap_used)]

use super::*;
use geo::CoordsIter as _;

/// A field of a FlatBuffer table, for the fixtures.
pub(crate) enum F {
    Absent,
    U8(u8),
    U16(u16),
    U64(u64),
    I32(i32),
    Str(String),
    Bytes(Vec<u8>, u32),
    Table(Vec<F>),
    Tables(Vec<Vec<F>>),
}

/// Writes a table (its field list first, then the table, then what its offsets point to) and
/// returns where the table starts.
fn table(out: &mut Vec<u8>, fields: &[F]) -> usize {
    let vtable = out.len();
    let slots: Vec<usize> = fields
        .iter()
        .map(|field| match field {
            F::Absent => 0,
            F::U8(_) => 1,
            F::U16(_) => 2,
            F::U64(_) => 8,
            _ => 4,
        })
        .collect();
    let table_size = 4 + slots.iter().sum::<usize>();
    out.extend(((4 + 2 * fields.len()) as u16).to_le_bytes());
    out.extend((table_size as u16).to_le_bytes());
    let mut offset = 4;
    for size in &slots {
        out.extend((if *size == 0 { 0 } else { offset as u16 }).to_le_bytes());
        offset += size;
    }
    let start = out.len();
    out.extend(((start - vtable) as i32).to_le_bytes());
    let mut pending = Vec::new();
    for field in fields {
        match field {
            F::Absent => {}
            F::U8(value) => out.push(*value),
            F::U16(value) => out.extend(value.to_le_bytes()),
            F::U64(value) => out.extend(value.to_le_bytes()),
            F::I32(value) => out.extend(value.to_le_bytes()),
            other => {
                pending.push((out.len(), other));
                out.extend([0; 4]);
            }
        }
    }
    for (slot, field) in pending {
        let target = match field {
            F::Str(text) => vector(out, text.as_bytes(), text.len() as u32),
            F::Bytes(bytes, count) => vector(out, bytes, *count),
            F::Table(fields) => table(out, fields),
            F::Tables(tables) => {
                let at = vector(out, &vec![0; tables.len() * 4], tables.len() as u32);
                for (element, fields) in tables.iter().enumerate() {
                    let target = table(out, fields);
                    let slot = at + 4 + element * 4;
                    out[slot..slot + 4].copy_from_slice(&((target - slot) as u32).to_le_bytes());
                }
                at
            }
            _ => unreachable!(),
        };
        out[slot..slot + 4].copy_from_slice(&((target - slot) as u32).to_le_bytes());
    }
    start
}

fn vector(out: &mut Vec<u8>, bytes: &[u8], count: u32) -> usize {
    let at = out.len();
    out.extend(count.to_le_bytes());
    out.extend(bytes);
    at
}

/// A size-prefixed buffer whose root is the table of `fields`.
fn buffer(fields: &[F]) -> Vec<u8> {
    let mut out = vec![0; 4];
    let root = table(&mut out, fields);
    out[..4].copy_from_slice(&(root as u32).to_le_bytes());
    [(out.len() as u32).to_le_bytes().to_vec(), out].concat()
}

fn f64s(values: &[f64]) -> F {
    F::Bytes(
        values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        values.len() as u32,
    )
}

fn geometry(kind: u8, xy: &[f64], ends: &[u32], parts: Vec<Vec<F>>) -> F {
    let ends = if ends.is_empty() {
        F::Absent
    } else {
        F::Bytes(
            ends.iter().flat_map(|e| e.to_le_bytes()).collect(),
            ends.len() as u32,
        )
    };
    let parts = if parts.is_empty() {
        F::Absent
    } else {
        F::Tables(parts)
    };
    F::Table(vec![
        ends,
        f64s(xy),
        F::Absent,
        F::Absent,
        F::Absent,
        F::Absent,
        F::U8(kind),
        parts,
    ])
}

/// Properties: column 0 (a string) and column 1 (a double).
fn properties(name: &str, value: f64) -> F {
    let mut raw = 0_u16.to_le_bytes().to_vec();
    raw.extend((name.len() as u32).to_le_bytes());
    raw.extend(name.as_bytes());
    raw.extend(1_u16.to_le_bytes());
    raw.extend(value.to_le_bytes());
    let length = raw.len() as u32;
    F::Bytes(raw, length)
}

/// The magic bytes and a header for `count` features with an index of `node_size` (0: none).
fn magic_and_header(count: u64, node_size: u16, crs: F, geometry_type: u8) -> Vec<u8> {
    let columns = F::Tables(vec![
        vec![F::Str("name".into()), F::U8(11)],
        vec![F::Str("share".into()), F::U8(10)],
    ]);
    let header = buffer(&[
        F::Str("sites".into()),
        F::Absent,
        F::U8(geometry_type),
        F::U8(0),
        F::U8(0),
        F::U8(0),
        F::U8(0),
        columns,
        F::U64(count),
        F::U16(node_size),
        crs,
    ]);
    let mut out = b"fgb\x03fgb\x01".to_vec();
    out.extend(header);
    out
}

/// A FlatGeobuf file of `features` (geometry, properties) with an index of `node_size` (0: none)
/// whose nodes are all zero (the whole-file reader passes over it).
fn fgb(features: Vec<(F, F)>, node_size: u16, crs: F) -> Vec<u8> {
    let count = features.len() as u64;
    let mut out = magic_and_header(count, node_size, crs, 0);
    out.extend(vec![
        0;
        usize::try_from(
            index::index_bytes(count, node_size).unwrap()
        )
        .unwrap()
    ]);
    for (geometry, properties) in features {
        out.extend(buffer(&[geometry, properties]));
    }
    out
}

fn sample(node_size: u16, crs: F, first: (f64, f64)) -> Vec<u8> {
    let ring = [
        60.0, 25.0, 61.0, 25.0, 61.0, 26.0, 60.0, 25.0, 60.2, 25.1, 60.3, 25.1, 60.3, 25.2, 60.2,
        25.1,
    ];
    fgb(
        vec![
            (
                geometry(1, &[first.0, first.1], &[], vec![]),
                properties("Quetta", 0.5),
            ),
            (geometry(3, &ring, &[4, 8], vec![]), properties("area", 1.5)),
            (
                geometry(
                    5,
                    &[60.0, 25.0, 61.0, 26.0, 62.0, 27.0, 63.0, 28.0],
                    &[2, 4],
                    vec![],
                ),
                F::Absent,
            ),
            (
                geometry(
                    6,
                    &[],
                    &[],
                    vec![
                        vec![
                            F::Absent,
                            f64s(&ring[..8]),
                            F::Absent,
                            F::Absent,
                            F::Absent,
                            F::Absent,
                            F::U8(3),
                        ],
                        vec![
                            F::Absent,
                            f64s(&ring[8..]),
                            F::Absent,
                            F::Absent,
                            F::Absent,
                            F::Absent,
                            F::U8(3),
                        ],
                    ],
                ),
                F::Absent,
            ),
            (F::Absent, properties("nowhere", 2.5)),
        ],
        node_size,
        crs,
    )
}

#[test]
fn features_are_read_with_and_without_the_index() {
    for node_size in [0, 16, 2] {
        let (layer, log) =
            read_flatgeobuf("sites.fgb", &sample(node_size, F::Absent, (67.0, 30.0))).unwrap();
        assert_eq!(log.total, 0, "{:?}", log.listed);
        assert_eq!(layer.name, "sites");
        assert_eq!(layer.features.len(), 4, "node size {node_size}");
        assert_eq!(layer.unlocated.len(), 1);
        assert_eq!(layer.unlocated[0].properties["name"], "nowhere");
        let quetta = &layer.features[0];
        assert_eq!(quetta.properties["name"], "Quetta");
        assert_eq!(quetta.properties["share"], 0.5);
        assert!(matches!(quetta.geometry, Geometry::Point(p) if p.x() == 67.0 && p.y() == 30.0));
        let Geometry::Polygon(polygon) = &layer.features[1].geometry else {
            panic!()
        };
        assert_eq!(polygon.interiors().len(), 1);
        let Geometry::MultiLineString(lines) = &layer.features[2].geometry else {
            panic!()
        };
        assert_eq!(lines.0.len(), 2);
        assert_eq!(lines.0[1].0[0].x, 62.0);
        let Geometry::MultiPolygon(polygons) = &layer.features[3].geometry else {
            panic!()
        };
        assert_eq!(polygons.0.len(), 2);
    }
}

#[test]
fn the_header_system_is_used() {
    let crs = F::Table(vec![F::Str("EPSG".into()), F::I32(32642)]);
    let (layer, _) =
        read_flatgeobuf("utm.fgb", &sample(16, crs, (307_539.754, 3_340_397.078))).unwrap();
    let coord = layer.features[0].geometry.coords_iter().next().unwrap();
    let metres = crate::formats::crs::tests::metres_between((coord.x, coord.y), (67.0011, 30.1798));
    assert!(metres < 1.0, "{coord:?}");
    let wkt = crate::formats::shapefile::writer::UTM_42N_PRJ;
    let crs = F::Table(vec![
        F::Absent,
        F::Absent,
        F::Absent,
        F::Absent,
        F::Str(wkt.into()),
    ]);
    let (layer, _) =
        read_flatgeobuf("utm.fgb", &sample(0, crs, (307_539.754, 3_340_397.078))).unwrap();
    let coord = layer.features[0].geometry.coords_iter().next().unwrap();
    assert!((coord.x - 67.0011).abs() < 1e-4, "{coord:?}");
}

#[test]
fn broken_files_are_refused_or_cut_with_their_place() {
    let whole = sample(16, F::Absent, (67.0, 30.0));
    let error = read_flatgeobuf("x.fgb", b"fgb\x02fgb\x00....")
        .unwrap_err()
        .to_string();
    assert!(error.contains("not FlatGeobuf"), "{error}");
    let error = read_flatgeobuf("x.fgb", &whole[..40])
        .unwrap_err()
        .to_string();
    assert!(error.contains("header"), "{error}");
    let (layer, log) = read_flatgeobuf("x.fgb", &whole[..whole.len() - 3]).unwrap();
    assert_eq!(layer.features.len() + layer.unlocated.len(), 4);
    let warnings: Vec<String> = log.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("feature 4: ") && w.contains("truncated")),
        "{warnings:?}"
    );
    // Every cut and every flipped byte is an error or a load, never a panic.
    for cut in 0..whole.len() {
        let _ = read_flatgeobuf("x.fgb", &whole[..cut]);
        let mut flipped = whole.clone();
        flipped[cut] ^= 0xFF;
        let _ = read_flatgeobuf("x.fgb", &flipped);
    }
}

/// A packed R-tree over `boxes` (leaf `i` is feature `i`, at `offsets[i]`), written as GDAL
/// lays it out: root first, leaves last, each branch pointing to its first child.
fn packed_index(boxes: &[index::BoxXY], offsets: &[u64], node_size: usize) -> Vec<u8> {
    let mut levels: Vec<Vec<(index::BoxXY, u64)>> =
        vec![boxes.iter().copied().zip(offsets.iter().copied()).collect()];
    loop {
        let below = levels.last().unwrap();
        let level: Vec<(index::BoxXY, u64)> = below
            .chunks(node_size)
            .enumerate()
            .map(|(chunk, nodes)| {
                let mut joined = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
                for (b, _) in nodes {
                    joined = [
                        joined[0].min(b[0]),
                        joined[1].min(b[1]),
                        joined[2].max(b[2]),
                        joined[3].max(b[3]),
                    ];
                }
                (joined, (chunk * node_size) as u64)
            })
            .collect();
        let done = level.len() == 1;
        levels.push(level);
        if done {
            break;
        }
    }
    // Branch offsets are node indices in the whole array: add where the level below starts.
    let sizes: Vec<usize> = levels.iter().map(Vec::len).collect();
    let total: usize = sizes.iter().sum();
    let mut out = Vec::new();
    for depth in (0..levels.len()).rev() {
        let below_start = total - sizes[..depth].iter().sum::<usize>();
        for (b, offset) in &levels[depth] {
            for number in b {
                out.extend(number.to_le_bytes());
            }
            let offset = if depth == 0 {
                *offset
            } else {
                *offset + below_start as u64
            };
            out.extend(offset.to_le_bytes());
        }
    }
    out
}

/// A point file with a real spatial index of `node_size`, in the system `crs` (the header's
/// geometry type Unknown: each feature says).
fn indexed_points(points: &[(f64, f64)], node_size: u16, crs: F) -> Vec<u8> {
    typed_points(points, node_size, crs, 0)
}

/// A point file as [`indexed_points`], the header's geometry type `geometry_type` (1: Point).
pub(crate) fn typed_points(
    points: &[(f64, f64)],
    node_size: u16,
    crs: F,
    geometry_type: u8,
) -> Vec<u8> {
    let features: Vec<Vec<u8>> = points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| {
            buffer(&[
                geometry(1, &[*x, *y], &[], vec![]),
                properties(&format!("p{i}"), i as f64),
            ])
        })
        .collect();
    let mut offsets = Vec::new();
    let mut at = 0_u64;
    for feature in &features {
        offsets.push(at);
        at += feature.len() as u64;
    }
    let boxes: Vec<index::BoxXY> = points.iter().map(|(x, y)| [*x, *y, *x, *y]).collect();
    let mut out = magic_and_header(points.len() as u64, node_size, crs, geometry_type);
    let tree = packed_index(&boxes, &offsets, usize::from(node_size));
    assert_eq!(
        tree.len() as u64,
        index::index_bytes(points.len() as u64, node_size).unwrap()
    );
    out.extend(tree);
    out.extend(features.concat());
    out
}

/// Points spread over south-west Pakistan, deterministic (a small linear congruential walk).
pub(crate) fn spread_points(count: usize) -> Vec<(f64, f64)> {
    let mut state = 12_345_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 11) as f64 / (1_u64 << 53) as f64
    };
    (0..count)
        .map(|_| (60.0 + next() * 10.0, 24.0 + next() * 8.0))
        .collect()
}

#[test]
fn the_index_selects_the_features_in_a_box_as_a_brute_force_filter_does() {
    let points = spread_points(1_000);
    for node_size in [2_u16, 16] {
        let file = indexed_points(&points, node_size, F::Absent);
        let whole = read_flatgeobuf("many.fgb", &file).unwrap().0;
        assert_eq!(whole.features.len(), points.len());
        for view in [
            [62.0, 25.0, 64.5, 27.0],
            [60.0, 24.0, 70.0, 32.0],
            [69.9, 31.9, 75.0, 35.0],
            [0.0, 0.0, 1.0, 1.0],
        ] {
            let expected: Vec<usize> = whole
                .features
                .iter()
                .filter(|feature| {
                    let Geometry::Point(p) = feature.geometry else {
                        panic!()
                    };
                    view[0] <= p.x() && p.x() <= view[2] && view[1] <= p.y() && p.y() <= view[3]
                })
                .map(|feature| feature.index)
                .collect();
            let (part, log) =
                read_flatgeobuf_in_box("many.fgb", &mut std::io::Cursor::new(&file), view).unwrap();
            assert_eq!(log.total, 0);
            let selected: Vec<usize> = part.features.iter().map(|f| f.index).collect();
            assert_eq!(selected, expected, "node size {node_size}, view {view:?}");
            for feature in &part.features {
                assert_eq!(
                    feature.properties["name"],
                    format!("p{}", feature.index),
                    "each feature is read at its own offset"
                );
            }
        }
    }
}

#[test]
fn a_projected_file_is_searched_with_its_boxes_in_degrees() {
    let crs = F::Table(vec![F::Str("EPSG".into()), F::I32(32642)]);
    // Quetta and a point about 100 km east of it, in UTM 42N.
    let points = [(307_539.754, 3_340_397.078), (407_539.754, 3_340_397.078)];
    let file = indexed_points(&points, 16, crs);
    let (part, _) = read_flatgeobuf_in_box(
        "utm.fgb",
        &mut std::io::Cursor::new(&file),
        [66.9, 30.1, 67.1, 30.3],
    )
    .unwrap();
    assert_eq!(part.features.len(), 1);
    assert_eq!(part.features[0].properties["name"], "p0");
}

#[test]
fn a_single_feature_index_has_a_root_above_its_leaf() {
    // GDAL writes two nodes for one feature; the features start after both.
    assert_eq!(index::index_bytes(1, 16), Some(80));
    let file = indexed_points(&[(67.0, 30.0)], 16, F::Absent);
    let (layer, log) = read_flatgeobuf("one.fgb", &file).unwrap();
    assert_eq!(log.total, 0, "{:?}", log.listed);
    assert_eq!(layer.features.len(), 1);
}

#[test]
fn a_file_without_an_index_or_with_a_broken_one_is_refused_by_the_box_reader() {
    let plain = sample(0, F::Absent, (67.0, 30.0));
    let error = read_flatgeobuf_in_box("x.fgb", &mut std::io::Cursor::new(&plain), [0.0; 4])
        .unwrap_err()
        .to_string();
    assert!(error.contains("no spatial index"), "{error}");
    let file = indexed_points(&spread_points(50), 4, F::Absent);
    for cut in 0..file.len() {
        let _ = read_flatgeobuf_in_box(
            "x.fgb",
            &mut std::io::Cursor::new(&file[..cut]),
            [60.0, 24.0, 70.0, 32.0],
        );
        let mut flipped = file.clone();
        flipped[cut] ^= 0xFF;
        let _ = read_flatgeobuf_in_box(
            "x.fgb",
            &mut std::io::Cursor::new(&flipped),
            [60.0, 24.0, 70.0, 32.0],
        );
    }
}
