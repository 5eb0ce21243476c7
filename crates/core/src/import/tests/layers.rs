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
