//! Runs MapLibre's style-spec expression conformance tests (read-only, from
//! ../shared/data/maplibre) against the style expression evaluator. Every test runs except the
//! ones named in `maplibre_skips.txt`, each with its reason; a skipped test that passes fails
//! the run, so the list stays honest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use strikemap_tilefile::style::legacy::PropertyKind;
use strikemap_tilefile::style::{Context, FeatureView, Type, Value, compile_property};

fn tests_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/maplibre/expression-tests/tests")
}

fn test_dirs(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|name| name == "test.json") {
                found.push(dir.clone());
            }
        }
    }
    found.sort();
    found
}

/// `name -> reason`; a name ending in `/` skips the whole folder.
fn skips() -> BTreeMap<String, String> {
    let text = include_str!("maplibre_skips.txt");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            assert!(!reason.trim().is_empty(), "skip entry {name} has no reason");
            (name.to_string(), reason.trim().to_string())
        })
        .collect()
}

struct JsonFeature<'a>(&'a Json);

impl FeatureView for JsonFeature<'_> {
    fn property(&self, key: &str) -> Option<Value> {
        self.0.get("properties")?.get(key).map(Value::from_json)
    }

    fn properties(&self) -> Vec<(String, Value)> {
        match self.0.get("properties") {
            Some(Json::Object(map)) => map
                .iter()
                .map(|(k, v)| (k.clone(), Value::from_json(v)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn geometry_type(&self) -> Option<&'static str> {
        match self.0.get("geometry")?.get("type")?.as_str()? {
            "Point" | "MultiPoint" => Some("Point"),
            "LineString" | "MultiLineString" => Some("LineString"),
            "Polygon" | "MultiPolygon" => Some("Polygon"),
            _ => None,
        }
    }

    fn id(&self) -> Option<Value> {
        self.0.get("id").map(Value::from_json)
    }
}

fn expected_type(spec: Option<&Json>) -> Option<Type> {
    let spec = spec?;
    Some(match spec.get("type")?.as_str()? {
        "color" => Type::Color,
        "string" | "enum" => Type::String,
        "number" => Type::Number,
        "boolean" => Type::Boolean,
        "formatted" => Type::Formatted,
        "array" => {
            let item = match spec.get("value").and_then(Json::as_str) {
                Some("number") => Type::Number,
                Some("string") => Type::String,
                Some("boolean") => Type::Boolean,
                _ => Type::Value,
            };
            let length = spec
                .get("length")
                .and_then(Json::as_u64)
                .map(|n| n as usize);
            Type::array_of(item, length)
        }
        _ => return None,
    })
}

fn close(actual: &Json, expected: &Json) -> bool {
    match (actual, expected) {
        (Json::Number(a), Json::Number(b)) => {
            let (a, b) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            (a - b).abs() <= 1e-6 + 1e-5 * b.abs()
        }
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| close(a, b))
        }
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| close(value, other)))
        }
        _ => actual == expected,
    }
}

fn output_matches(actual: &Result<Value, String>, expected: &Json) -> bool {
    match (actual, expected) {
        (Err(_), Json::Object(map)) if map.contains_key("error") => true,
        (Err(_), _) => false,
        (Ok(Value::Formatted(text)), Json::Object(map)) if map.contains_key("sections") => {
            let sections = map
                .get("sections")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            let joined: String = sections
                .iter()
                .filter_map(|s| s.get("text")?.as_str())
                .collect();
            *text == joined
        }
        (Ok(value), expected) => close(&value.to_json(), expected),
    }
}

/// `Ok(())` when the test passes, else what differed.
fn run_one(dir: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(dir.join("test.json")).map_err(|e| e.to_string())?;
    let test: Json = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let expected = &test["expected"];
    let spec = test.get("propertySpec");
    let kind = PropertyKind {
        interpolated: spec.is_none_or(|spec| spec["expression"]["interpolated"] == true),
        tokens: spec.is_some_and(|spec| spec["tokens"] == true),
        is_color: spec.is_some_and(|spec| spec["type"] == "color"),
        value_type: match spec.and_then(|spec| spec["type"].as_str()) {
            Some("number") => Some("number"),
            Some("string" | "enum") => Some("string"),
            Some("boolean") => Some("boolean"),
            Some("array") => Some("array"),
            _ => None,
        },
        default: spec.and_then(|spec| spec.get("default")).cloned(),
    };
    let compiled = compile_property(&test["expression"], expected_type(spec).as_ref(), &kind);
    let expected_error = expected["compiled"]["result"] == "error";
    let expr = match (compiled, expected_error) {
        (Err(_), true) => return Ok(()),
        (Ok(_), true) => return Err("compiled, but MapLibre gives a parse error".to_string()),
        (Err(message), false) => return Err(format!("parse error: {message}")),
        (Ok(expr), false) => expr,
    };
    let inputs = test["inputs"].as_array().cloned().unwrap_or_default();
    let outputs = expected["outputs"].as_array().cloned().unwrap_or_default();
    for (index, (input, wanted)) in inputs.iter().zip(&outputs).enumerate() {
        let zoom = input[0].get("zoom").and_then(Json::as_f64);
        let feature = JsonFeature(&input[1]);
        let context = Context {
            zoom,
            feature: Some(&feature),
        };
        let actual = expr.evaluate(&context).map_err(|error| error.0);
        if !output_matches(&actual, wanted) {
            return Err(format!("input {index}: got {actual:?}, expected {wanted}"));
        }
    }
    Ok(())
}

#[test]
fn maplibre_expression_conformance() {
    let root = tests_root();
    let dirs = test_dirs(&root);
    assert_eq!(
        dirs.len(),
        577,
        "expected MapLibre's 577 expression tests under {}",
        root.display()
    );
    let skips = skips();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for dir in &dirs {
        let name = dir
            .strip_prefix(&root)
            .unwrap_or(dir)
            .to_string_lossy()
            .replace('\\', "/");
        let folder_skipped = skips
            .keys()
            .any(|key| key.ends_with('/') && name.starts_with(key.as_str()));
        let result = run_one(dir);
        if folder_skipped {
            skipped += 1;
        } else if skips.contains_key(&name) {
            skipped += 1;
            if result.is_ok() {
                failures.push(format!(
                    "{name}: passes now; remove it from maplibre_skips.txt"
                ));
            }
        } else if let Err(message) = result {
            failures.push(format!("{name}: {message}"));
        } else {
            passed += 1;
        }
    }
    println!(
        "MapLibre expression tests: {passed} passed, {skipped} skipped, {} failed of {}",
        failures.len(),
        dirs.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
