//! The overlay reader, through the import it makes.

use crate::formats::overlay::*;
use crate::import::Import;
use geo::Geometry;

fn overlay(text: &str) -> Import {
    parse_overlay("o.geojson", text)
        .map(|read| Import::of_overlay("o.geojson", read))
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn a_lone_geometry_or_feature_is_a_layer_of_one() {
    let import = overlay(r#"{"type":"Point","coordinates":[64.1,26.9,1200]}"#);
    let layer = import.overlay().unwrap();
    assert_eq!(layer.name, "o");
    assert_eq!(
        layer.features[0].geometry,
        Geometry::Point(geo::point!(x: 64.1, y: 26.9))
    );
    let import = overlay(
        r#"{"type":"Feature","id":7,"geometry":{"type":"LineString","coordinates":[[60,25],[61,26]]},"properties":null}"#,
    );
    let feature = &import.overlay().unwrap().features[0];
    assert_eq!(feature.label(), "7");
    assert!(feature.properties.is_empty());
}

#[test]
fn bad_features_are_skipped_with_their_index_field_and_line() {
    let text = "{\"type\":\"FeatureCollection\",\"name\":\"Border posts\",\"features\":[\n\
        {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[62,27]},\"properties\":{\"name\":\"A\"}},\n\
        {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1e999,27]},\"properties\":{}},\n\
        {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[200,27]},\"properties\":{}},\n\
        {\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n]}";
    let import = overlay(text);
    let layer = import.overlay().unwrap();
    assert_eq!(layer.name, "Border posts");
    assert_eq!(layer.features.len(), 1);
    assert_eq!(layer.features[0].label(), "A");
    // Issue 15: a null geometry is an unlocated feature (RFC 7946 §3.2), no longer skipped.
    assert_eq!(layer.unlocated.len(), 1);
    assert_eq!(layer.unlocated[0].index, 3);
    assert_eq!(layer.unlocated[0].label(), "feature 3");
    assert_eq!(import.loaded_count(), 2);
    assert_eq!(import.skipped_total, 2);
    assert_eq!(import.skipped[0].place, "feature 1");
    assert!(
        import.skipped[0].reason.starts_with("line 3, column "),
        "{}",
        import.skipped[0].reason
    );
    assert!(import.skipped[0].reason.contains("number out of range"));
    assert_eq!(
        import.skipped[1].place,
        "feature 2, field geometry.coordinates"
    );
    assert!(
        import.skipped[1]
            .reason
            .contains("longitude 200 is outside")
    );
    let bounds = layer.bounds().unwrap();
    assert_eq!((bounds.min.lon, bounds.max.lat), (62.0, 27.0));
}

#[test]
fn deep_geometry_collections_are_refused_not_overflowed() {
    let mut geometry = r#"{"type":"Point","coordinates":[1,2]}"#.to_owned();
    for _ in 0..20 {
        geometry = format!(r#"{{"type":"GeometryCollection","geometries":[{geometry}]}}"#);
    }
    let error = parse_overlay("deep.geojson", &geometry).unwrap_err();
    assert!(
        error.to_string().contains("nested deeper than 8"),
        "{error}"
    );
}
