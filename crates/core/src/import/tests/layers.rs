//! The binary layer formats through the importer: told from their first bytes, whatever
//! their name, and a file of several layers reported as one.

use super::super::*;
use crate::formats::shapefile::writer;
use crate::table::tests::TempFile;

#[test]
fn a_zip_of_two_sets_imports_as_two_layers_and_validate_names_them() {
    let (points, points_index) = writer::shp_and_shx(1, &[Some(vec![vec![(67.0, 30.0)]]), None]);
    let (lines, _) = writer::shp_and_shx(3, &[Some(vec![vec![(60.0, 25.0), (61.0, 26.0)]])]);
    let zip = crate::formats::shapefile::tests::zip_of(&[
        ("districts/towns.shp", &points),
        ("districts/towns.shx", &points_index),
        ("roads.shp", &lines),
    ]);
    // Named .bin: the content decides.
    let file = TempFile::new("boundaries.bin", &zip);
    let import = import_file(&file.0).unwrap();
    assert_eq!(import.format, DetectedFormat::Shapefile);
    let ImportedContent::Layers(layers) = &import.content else {
        panic!("{:?}", import.content);
    };
    assert_eq!(layers.len(), 2);
    assert_eq!(import.loaded_count(), 3);
    let summary = crate::validate::summarize(&import);
    assert!(
        summary[0].ends_with(
            "Shapefile: 3 features loaded in 2 layers (towns, roads), 1 without a location, \
             loaded with 5 warnings"
        ),
        "{summary:?}"
    );
    assert!(
        summary
            .iter()
            .any(|line| line.contains("layer roads, .shx: the set has no .shx")),
        "{summary:?}"
    );
    // The same bytes given whole (drag and drop of content, the fuzzers) read the same.
    let again = import_bytes("boundaries.zip", &zip).unwrap();
    assert_eq!(again.content, import.content);
    // A lone .shp given as bytes has no .prj: its degrees load with a warning.
    let lone = import_bytes("towns.shp", &points).unwrap();
    assert_eq!(lone.overlay().unwrap().features.len(), 1);
}

#[test]
fn a_flatgeobuf_of_many_points_becomes_a_table_whose_rows_read_again_as_their_features() {
    use crate::formats::flatgeobuf::tests::{F, spread_points, typed_points};
    let points = spread_points(600);
    let file = TempFile::new("many.fgb", &typed_points(&points, 16, F::Absent, 1));
    let import = import_file(&file.0).unwrap();
    assert_eq!(import.format, DetectedFormat::FlatGeobuf);
    let ImportedContent::Table(table) = &import.content else {
        panic!("{:?}", import.content);
    };
    assert_eq!(table.len(), points.len());
    assert_eq!(import.skipped_total, 0);
    for row in [0, 1, 299, 599] {
        // The label is the feature's name, "p" and its index in the file.
        let index: usize = table.label(row).trim_start_matches('p').parse().unwrap();
        let position = table.position(row).unwrap();
        assert_eq!((position.lon, position.lat), points[index]);
        let crate::table::Record::Properties(lines) = table.record(row).unwrap() else {
            panic!()
        };
        assert!(
            lines.contains(&("name".to_owned(), format!("p{index}"))),
            "{lines:?}"
        );
        assert!(
            lines.contains(&("share".to_owned(), format!("{index}.0"))),
            "{lines:?}"
        );
    }
    // As many points with an Unknown header type, or 500 points, stay an overlay.
    let unknown = TempFile::new("mixed.fgb", &typed_points(&points, 16, F::Absent, 0));
    assert!(matches!(
        import_file(&unknown.0).unwrap().content,
        ImportedContent::Overlay(_)
    ));
    let few = TempFile::new("few.fgb", &typed_points(&points[..500], 16, F::Absent, 1));
    assert!(matches!(
        import_file(&few.0).unwrap().content,
        ImportedContent::Overlay(_)
    ));
}
