//! Bad input gives an error naming the file, the place and the problem; never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use strikemap_core::case::BUNDLED_CASE_GEOJSON;
use strikemap_core::error::LoadError;
use strikemap_core::formats::event_schema::parse_events;

/// The bundled file with the first occurrence of `from` replaced by `to`.
fn bundled_with(from: &str, to: &str) -> String {
    assert!(
        BUNDLED_CASE_GEOJSON.contains(from),
        "fixture text {from:?} not found"
    );
    BUNDLED_CASE_GEOJSON.replacen(from, to, 1)
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .expect("needle present")
        + 1
}

#[test]
fn bad_json_names_file_line_and_column() {
    let text = bundled_with(r#""attacker": "Iran","#, r#""attacker": "Iran""#);
    let error = parse_events("strikes.geojson", &text).unwrap_err();
    let LoadError::Syntax {
        file, line, column, ..
    } = &error
    else {
        panic!("expected a syntax error, got {error:?}");
    };
    assert_eq!(file, "strikes.geojson");
    // The missing comma is noticed at the start of the next key.
    assert_eq!(*line, line_of(&text, r#""attacker": "Iran""#) + 1);
    assert!(*column > 0);
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("strikes.geojson:{line}:{column}: not valid JSON:")),
        "{message}"
    );
}

#[test]
fn truncated_json_is_an_error() {
    let text = &BUNDLED_CASE_GEOJSON[..BUNDLED_CASE_GEOJSON.len() / 2];
    let error = parse_events("half.geojson", text).unwrap_err();
    assert!(matches!(error, LoadError::Syntax { .. }), "{error:?}");
    assert!(error.to_string().contains("EOF"), "{error}");
}

#[test]
fn a_feature_with_no_geometry_names_the_feature_and_field() {
    let text = bundled_with(
        "\"geometry\": {\n        \"type\": \"Point\",\n        \"coordinates\": [62.333, 27.371]\n      },",
        "",
    );
    let error = parse_events("strikes.geojson", &text).unwrap_err();
    assert_eq!(
        error.to_string(),
        "strikes.geojson: feature 1 (E2): geometry: is missing or null; an event needs a Point"
    );
}

#[test]
fn a_null_geometry_is_an_error_too() {
    let text = bundled_with(
        "{\n        \"type\": \"Point\",\n        \"coordinates\": [64.101, 26.968]\n      }",
        "null",
    );
    let error = parse_events("strikes.geojson", &text).unwrap_err();
    assert!(
        matches!(error, LoadError::Invalid { feature_index: 0, ref field, .. } if field == "geometry"),
        "{error:?}"
    );
}

#[test]
fn a_negative_count_names_line_column_and_json_path() {
    let text = bundled_with(
        r#""killed": { "count": 2, "at_least": true"#,
        r#""killed": { "count": -2, "at_least": true"#,
    );
    let error = parse_events("strikes.geojson", &text).unwrap_err();
    let LoadError::Schema {
        line,
        field,
        message,
        ..
    } = &error
    else {
        panic!("expected a schema error, got {error:?}");
    };
    assert_eq!(*line, line_of(&text, r#""count": -2"#));
    assert_eq!(
        field,
        "features[0].properties.casualty_claims[0].killed.count"
    );
    assert!(message.contains("-2"), "{message}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("strikes.geojson:{line}:")),
        "{error}"
    );
}

#[test]
fn an_unknown_source_key_is_named() {
    let text = bundled_with(r#""source": "F1","#, r#""source": "F9","#);
    let error = parse_events("strikes.geojson", &text).unwrap_err();
    assert_eq!(
        error.to_string(),
        "strikes.geojson: feature 0 (E1): properties.casualty_claims[1].source: cites source \"F9\", which is not in this event's sources"
    );
}

#[test]
fn out_of_range_and_non_point_geometries_are_rejected() {
    let cases = [
        (
            "[64.101, 26.968]",
            "[264.101, 26.968]",
            "longitude 264.101 is outside -180..180",
        ),
        (
            "[64.101, 26.968]",
            "[64.101, 96.968]",
            "latitude 96.968 is outside -90..90",
        ),
        ("[64.101, 26.968]", "[64.101]", "a Point has 1 coordinates"),
        (
            "[64.101, 26.968]",
            "[64.101, \"north\"]",
            "latitude \"north\" is not a finite number",
        ),
        (
            "\"type\": \"Point\",\n        \"coordinates\": [64.101",
            "\"type\": \"LineString\",\n        \"coordinates\": [64.101",
            "expected a Point",
        ),
        ("[64.101, 26.968]", "[1e999, 26.968]", "number out of range"),
    ];
    for (from, to, expected) in cases {
        let error = parse_events("s.geojson", &bundled_with(from, to)).unwrap_err();
        assert!(error.to_string().contains(expected), "{to}: {error}");
    }
}

#[test]
fn semantic_checks_name_the_field() {
    let cases = [
        (
            // The first event's date (the statements' dates come before the features).
            "Balochistan\",\n        \"date\": \"2024-01-16\"",
            "Balochistan\",\n        \"date\": \"2024-01-32\"",
            "properties.date",
        ),
        (
            r#""radius_km": 60.0"#,
            r#""radius_km": 0"#,
            "properties.location.radius_km",
        ),
        (
            r#""geo_precision": 3"#,
            r#""geo_precision": 7"#,
            "properties.location.geo_precision",
        ),
        (
            "\"id\": \"E2\",\n        \"title\"",
            "\"id\": \"E1\",\n        \"title\"",
            "properties.id",
        ),
        (
            r#""killed": { "count": 9, "at_least": true, "children": 4, "women": 3 }"#,
            r#""killed": { "count": 5, "at_least": true, "children": 4, "women": 3 }"#,
            "properties.casualty_claims[0].killed",
        ),
    ];
    for (from, to, field) in cases {
        let Err(error) = parse_events("s.geojson", &bundled_with(from, to)) else {
            panic!("{to}: loaded without error");
        };
        let LoadError::Invalid { field: got, .. } = &error else {
            panic!("{to}: expected a validation error, got {error:?}");
        };
        assert_eq!(got, field, "{error}");
    }
}

#[test]
fn unknown_fields_and_wrong_types_are_schema_errors() {
    let cases = [
        (
            r#""weapons": "missiles and drones","#,
            r#""weapon": "missiles and drones","#,
            "features[0].properties.weapon",
        ),
        (
            r#""radius_km": 60"#,
            r#""radius_km": "sixty""#,
            "features[0].properties.location.radius_km",
        ),
        (r#""features": ["#, r#""features": 3, "x": ["#, "features"),
    ];
    for (from, to, field) in cases {
        let error = parse_events("s.geojson", &bundled_with(from, to)).unwrap_err();
        match &error {
            LoadError::Schema { field: got, .. } => assert_eq!(got, field, "{error}"),
            other => panic!("{to}: expected a schema error, got {other:?}"),
        }
    }
}

#[test]
fn odd_documents_never_panic() {
    for text in [
        "",
        "null",
        "[]",
        "{}",
        "\u{feff}",
        "{\"type\":\"FeatureCollection\",\"features\":[null]}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ] {
        assert!(parse_events("x.geojson", text).is_err(), "{text:?}");
    }
    // A byte-order mark in front of good data is fine.
    let with_bom = format!("\u{feff}{BUNDLED_CASE_GEOJSON}");
    assert_eq!(
        parse_events("bom.geojson", &with_bom).unwrap().events.len(),
        2
    );
}

#[test]
fn every_truncation_of_the_bundled_file_errors_without_panicking() {
    let text = BUNDLED_CASE_GEOJSON;
    for end in (0..text.len()).step_by(97) {
        if text.is_char_boundary(end) {
            assert!(parse_events("cut.geojson", &text[..end]).is_err());
        }
    }
}

#[test]
fn a_wrong_schema_tag_is_refused() {
    let text = bundled_with(
        r#""schema": "strikemap-events/1""#,
        r#""schema": "strikemap-events/9""#,
    );
    let error = parse_events("s.geojson", &text).unwrap_err();
    assert!(matches!(error, LoadError::Document { .. }), "{error:?}");
}
