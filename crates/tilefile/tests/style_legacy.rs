//! Legacy filters and functions, rewritten as expressions, give what the old syntax meant.

use serde_json::{Value as Json, json};
use strikemap_tilefile::style::legacy::{PropertyKind, filter_expression, is_expression_filter};
use strikemap_tilefile::style::{
    Context, FeatureView, Type, Value, compile_property, parse_expression,
};

struct Feature {
    properties: Vec<(&'static str, Value)>,
    geometry: &'static str,
}

impl FeatureView for Feature {
    fn property(&self, key: &str) -> Option<Value> {
        self.properties
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.clone())
    }
    fn properties(&self) -> Vec<(String, Value)> {
        self.properties
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }
    fn geometry_type(&self) -> Option<&'static str> {
        Some(self.geometry)
    }
    fn id(&self) -> Option<Value> {
        None
    }
}

fn road(class: &str, rank: f64) -> Feature {
    Feature {
        properties: vec![
            ("class", Value::String(class.to_string())),
            ("rank", Value::Number(rank)),
        ],
        geometry: "LineString",
    }
}

fn passes(filter: Json, feature: &Feature) -> bool {
    let expression = parse_expression(&filter_expression(&filter), Some(&Type::Boolean))
        .unwrap_or_else(|error| panic!("{filter}: {error}"));
    expression.evaluate_filter(&Context::new(10.0, feature))
}

#[test]
fn legacy_filters_are_recognised_and_kept_apart_from_expressions() {
    assert!(!is_expression_filter(&json!(["==", "class", "x"])));
    assert!(!is_expression_filter(&json!(["in", "class", "a", "b"])));
    assert!(!is_expression_filter(&json!([
        "all",
        ["==", "class", "x"],
        ["has", "name"]
    ])));
    assert!(is_expression_filter(&json!(["==", ["get", "class"], "x"])));
    assert!(is_expression_filter(&json!([
        "all",
        ["==", ["get", "class"], "x"]
    ])));
}

#[test]
fn legacy_filters_select_what_they_name() {
    let primary = road("primary", 3.0);
    let path = road("path", 9.0);
    assert!(passes(json!(["==", "class", "primary"]), &primary));
    assert!(!passes(json!(["==", "class", "primary"]), &path));
    assert!(passes(json!(["!=", "class", "primary"]), &path));
    assert!(passes(
        json!(["in", "class", "motorway", "primary"]),
        &primary
    ));
    assert!(passes(
        json!(["!in", "class", "motorway", "primary"]),
        &path
    ));
    assert!(passes(json!(["has", "rank"]), &path));
    assert!(passes(json!(["!has", "name"]), &path));
    assert!(passes(json!(["<", "rank", 5]), &primary));
    assert!(!passes(json!(["<", "rank", 5]), &path));
    assert!(passes(json!(["==", "$type", "LineString"]), &path));
    assert!(!passes(json!(["==", "$type", "Polygon"]), &path));
    assert!(passes(
        json!(["all", ["==", "class", "primary"], ["<=", "rank", 3]]),
        &primary
    ));
    assert!(passes(
        json!(["any", ["==", "class", "motorway"], ["==", "class", "path"]]),
        &path
    ));
    assert!(passes(
        json!([
            "none",
            ["==", "class", "motorway"],
            ["==", "class", "primary"]
        ]),
        &path
    ));
    assert!(!passes(
        json!([
            "none",
            ["==", "class", "motorway"],
            ["==", "class", "primary"]
        ]),
        &primary
    ));
}

fn number_at(function: Json, zoom: f64, feature: &Feature) -> f64 {
    let kind = PropertyKind {
        interpolated: true,
        ..PropertyKind::default()
    };
    let expression = compile_property(&function, Some(&Type::Number), &kind)
        .unwrap_or_else(|error| panic!("{error}"));
    match expression.evaluate(&Context::new(zoom, feature)) {
        Ok(Value::Number(x)) => x,
        other => panic!("{function} at z{zoom}: {other:?}"),
    }
}

#[test]
fn legacy_zoom_functions_interpolate_between_stops() {
    let feature = road("primary", 3.0);
    let width = json!({"stops": [[5, 1], [10, 4]]});
    assert_eq!(number_at(width.clone(), 3.0, &feature), 1.0);
    assert!((number_at(width.clone(), 7.5, &feature) - 2.5).abs() < 1e-9);
    assert_eq!(number_at(width, 12.0, &feature), 4.0);
    let exponential = json!({"base": 2, "stops": [[0, 0], [10, 1023]]});
    assert!((number_at(exponential, 5.0, &feature) - 31.0).abs() < 1e-9);
    let interval = json!({"type": "interval", "stops": [[0, 1], [8, 2]]});
    assert_eq!(number_at(interval.clone(), 7.9, &feature), 1.0);
    assert_eq!(number_at(interval, 8.0, &feature), 2.0);
}

#[test]
fn legacy_property_functions_read_the_feature() {
    let categorical = json!({"property": "class", "type": "categorical", "stops": [["primary", 6], ["path", 1]], "default": 2});
    assert_eq!(
        number_at(categorical.clone(), 10.0, &road("primary", 1.0)),
        6.0
    );
    assert_eq!(
        number_at(categorical.clone(), 10.0, &road("path", 1.0)),
        1.0
    );
    assert_eq!(number_at(categorical, 10.0, &road("track", 1.0)), 2.0);
    let by_rank = json!({"property": "rank", "stops": [[0, 0], [10, 100]]});
    assert!((number_at(by_rank, 10.0, &road("primary", 3.0)) - 30.0).abs() < 1e-9);
}

#[test]
fn token_strings_become_text_from_the_feature() {
    let kind = PropertyKind {
        tokens: true,
        ..PropertyKind::default()
    };
    let label = compile_property(&json!("{class} road"), Some(&Type::String), &kind)
        .expect("tokens compile");
    let text = label.evaluate(&Context::new(10.0, &road("primary", 1.0)));
    assert_eq!(text, Ok(Value::String("primary road".to_string())));
}
