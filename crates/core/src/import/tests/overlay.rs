//! The overlay reader, through the import it makes.

use crate::formats::overlay::*;
use crate::import::{Import, MAX_LISTED_SKIPS};
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

#[test]
fn a_projected_crs_reprojects_bare_geometries_and_features_alike() {
    // Panjgur in Web Mercator (pyproj 3.7.2: EPSG:4326 → EPSG:3857, always_xy).
    let crs = r#""crs":{"type":"name","properties":{"name":"EPSG:3857"}}"#;
    let geometry = format!(r#"{{"type":"Point",{crs},"coordinates":[7135690.679,3119474.341]}}"#);
    for text in [
        geometry.clone(),
        format!(r#"{{"type":"Feature",{crs},"geometry":{geometry},"properties":null}}"#),
    ] {
        let import = overlay(&text);
        let Geometry::Point(point) = import.overlay().unwrap().features[0].geometry else {
            panic!()
        };
        assert!((point.x() - 64.101).abs() < 1e-4 && (point.y() - 26.968).abs() < 1e-4);
        assert_eq!(import.warnings[0].place, "crs");
    }
    // A position that is no place in the system is skipped with its field.
    let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32641"}},"features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[609270.813,2983367.107]},"properties":{}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[5e7,3e6]},"properties":{}}]}"#;
    let import = overlay(text);
    assert_eq!(import.skipped_total, 1);
    assert_eq!(
        import.skipped[0].to_string(),
        "feature 1, field geometry.coordinates: 50000000, 3000000 cannot be reprojected from \
         EPSG:32641: Failed to compute inverse projection"
    );
}

#[test]
fn a_lone_point_past_180_is_refused_but_a_shape_is_normalised() {
    let error = parse_overlay("p.geojson", r#"{"type":"Point","coordinates":[200,10]}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("longitude 200 is outside -180..180"),
        "{error}"
    );
    let import = overlay(r#"{"type":"MultiPoint","coordinates":[[179,10],[181,10]]}"#);
    assert_eq!(
        import.overlay().unwrap().features[0].geometry,
        Geometry::MultiPoint(
            vec![
                geo::point!(x: 179.0, y: 10.0),
                geo::point!(x: -179.0, y: 10.0)
            ]
            .into()
        )
    );
    assert_eq!(import.warnings.len(), 1);
}

#[test]
fn ids_and_bboxes_that_break_the_rules_are_named_and_warnings_are_capped() {
    let mut features = Vec::new();
    for index in 0..30 {
        features.push(format!(
            r#"{{"type":"Feature","id":{{"n":{index}}},"geometry":{{"type":"Point","coordinates":[60,20]}},"properties":{{}}}}"#
        ));
    }
    let text = format!(
        r#"{{"type":"FeatureCollection","bbox":"all","features":[{}]}}"#,
        features.join(",")
    );
    let import = overlay(&text);
    assert_eq!(import.warnings.len(), MAX_LISTED_SKIPS + 1);
    assert_eq!(
        import.warnings[0].to_string(),
        "bbox: RFC 7946 §5: bbox is a string, expected an array of 4 or 6 numbers; ignored it"
    );
    assert_eq!(
        import.warnings[1].to_string(),
        "feature 0, field id: RFC 7946 §3.2: the id is an object, expected a string or a \
         number; ignored it"
    );
    assert_eq!(
        import.warnings[MAX_LISTED_SKIPS].to_string(),
        "more: 11 more warnings like these, not listed"
    );
    assert_eq!(import.overlay().unwrap().features[0].id, None);
}
