//! Legacy (pre-expression) style syntax rewritten as expressions, as MapLibre does:
//! filters like `["==", "class", "x"]` and functions like `{"stops": [[5, 1], [10, 4]]}`.

use serde_json::{Value as Json, json};

/// Whether a filter is already an expression (else it is the legacy syntax).
pub fn is_expression_filter(filter: &Json) -> bool {
    let Some(items) = filter.as_array() else {
        return filter.is_boolean();
    };
    let Some(op) = items.first().and_then(Json::as_str) else {
        return false;
    };
    match op {
        "has" => items.len() >= 2 && items[1] != "$id" && items[1] != "$type",
        "in" => items.len() >= 3 && (!items[1].is_string() || items[2].is_array()),
        "!in" | "!has" | "none" => false,
        "==" | "!=" | ">" | ">=" | "<" | "<=" => {
            items.len() != 3 || items[1].is_array() || items[2].is_array()
        }
        "any" | "all" => items[1..]
            .iter()
            .all(|f| is_expression_filter(f) || f.is_boolean()),
        _ => true,
    }
}

/// A filter as an expression: expression filters are kept, legacy ones converted.
pub fn filter_expression(filter: &Json) -> Json {
    if is_expression_filter(filter) {
        filter.clone()
    } else {
        convert_legacy_filter(filter)
    }
}

fn key_expression(key: &Json) -> Json {
    match key.as_str() {
        Some("$type") => json!(["geometry-type"]),
        Some("$id") => json!(["id"]),
        _ => json!(["get", key]),
    }
}

fn convert_legacy_filter(filter: &Json) -> Json {
    let Some(items) = filter.as_array() else {
        return json!(true);
    };
    let op = items.first().and_then(Json::as_str).unwrap_or("");
    if items.len() <= 1 {
        return json!(op != "any");
    }
    let converted =
        |rest: &[Json]| -> Vec<Json> { rest.iter().map(convert_legacy_filter).collect() };
    match op {
        "==" | "!=" | "<" | "<=" | ">" | ">=" => {
            let value = items.get(2).cloned().unwrap_or(Json::Null);
            json!([op, key_expression(&items[1]), literal(value)])
        }
        "any" | "all" => {
            let mut expression = vec![json!(op)];
            expression.extend(converted(&items[1..]));
            Json::Array(expression)
        }
        "none" => {
            let mut any = vec![json!("any")];
            any.extend(converted(&items[1..]));
            json!(["!", any])
        }
        "in" | "!in" => {
            let key = key_expression(&items[1]);
            let mut any = vec![json!("any")];
            any.extend(
                items[2..]
                    .iter()
                    .map(|value| json!(["==", key, literal(value.clone())])),
            );
            if op == "in" {
                Json::Array(any)
            } else {
                json!(["!", any])
            }
        }
        "has" | "!has" => {
            let has = match items[1].as_str() {
                Some("$type") => json!(true),
                Some("$id") => json!(["!=", ["id"], null]),
                _ => json!(["has", items[1]]),
            };
            if op == "has" { has } else { json!(["!", has]) }
        }
        _ => json!(true),
    }
}

fn literal(value: Json) -> Json {
    if value.is_array() || value.is_object() {
        json!(["literal", value])
    } else {
        value
    }
}

/// What a legacy function needs to know about the property it sets.
#[derive(Debug, Clone, Default)]
pub struct PropertyKind {
    /// Whether the property interpolates (numbers, colours): exponential by default.
    pub interpolated: bool,
    /// Whether strings hold `{field}` tokens (`text-field`, `icon-image`).
    pub tokens: bool,
    /// Whether the property is a colour (identity functions coerce with `to-color`).
    pub is_color: bool,
    /// `number`, `string`, `boolean` or `array`: the assertion an identity function with a
    /// default uses.
    pub value_type: Option<&'static str>,
    /// The property's default, for categorical functions without their own.
    pub default: Option<Json>,
}

/// Whether a property value is a legacy function object.
pub fn is_function(value: &Json) -> bool {
    value.as_object().is_some_and(|map| {
        map.contains_key("stops") || map.get("type").is_some_and(|t| t == "identity")
    })
}

/// A legacy function (`{stops, base, property, type, default}`) as an expression.
pub fn function_expression(function: &Json, kind: &PropertyKind) -> Json {
    let stops: Vec<(Json, Json)> = function
        .get("stops")
        .and_then(Json::as_array)
        .map(|stops| {
            stops
                .iter()
                .filter_map(|stop| Some((stop.get(0)?.clone(), stop.get(1)?.clone())))
                .collect()
        })
        .unwrap_or_default();
    let is_composite = stops.first().is_some_and(|(input, _)| input.is_object());
    if is_composite {
        return composite_expression(function, &stops, kind);
    }
    match function.get("property") {
        Some(property) => property_expression(function, property, &stops, kind),
        None => zoom_expression(function, &stops, kind),
    }
}

fn function_type<'a>(function: &'a Json, kind: &PropertyKind) -> &'a str {
    match function.get("type").and_then(Json::as_str) {
        Some(explicit) => explicit,
        None if kind.interpolated => "exponential",
        None => "interval",
    }
}

fn output(value: &Json, kind: &PropertyKind) -> Json {
    match value.as_str() {
        Some(text) if kind.tokens => token_expression(text),
        _ => literal(value.clone()),
    }
}

/// `"{name} road"` → `["concat", ["to-string", ["get", "name"]], " road"]`.
pub fn token_expression(text: &str) -> Json {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| i + open) else {
            break;
        };
        if open > 0 {
            parts.push(json!(&rest[..open]));
        }
        parts.push(json!(["to-string", ["get", &rest[open + 1..close]]]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(json!(rest));
    }
    match parts.len() {
        0 => json!(""),
        1 if parts[0].is_string() || text.starts_with('{') => parts.swap_remove(0),
        _ => {
            let mut concat = vec![json!("concat")];
            concat.extend(parts);
            Json::Array(concat)
        }
    }
}

fn curve_head(function: &Json, kind: &PropertyKind, input: Json) -> (Vec<Json>, bool) {
    match function_type(function, kind) {
        "interval" => (vec![json!("step"), input], true),
        _ => {
            let base = function.get("base").and_then(Json::as_f64).unwrap_or(1.0);
            let curve = if base == 1.0 {
                json!(["linear"])
            } else {
                json!(["exponential", base])
            };
            let operator = match function.get("colorSpace").and_then(Json::as_str) {
                Some("hcl") => "interpolate-hcl",
                Some("lab") => "interpolate-lab",
                _ => "interpolate",
            };
            (vec![json!(operator), curve, input], false)
        }
    }
}

/// MapLibre's `appendStopPair`: a step drops its first input; repeated inputs are skipped.
fn append_stop(curve: &mut Vec<Json>, input: Json, output: Json, is_step: bool) {
    if curve.len() > 3 && curve.get(curve.len() - 2) == Some(&input) {
        return;
    }
    if !(is_step && curve.len() == 2) {
        curve.push(input);
    }
    curve.push(output);
}

fn fix_degenerate_step(curve: &mut Vec<Json>, is_step: bool) {
    if is_step && curve.len() == 3 {
        let only = curve[2].clone();
        curve.push(json!(0));
        curve.push(only);
    }
}

fn zoom_expression(function: &Json, stops: &[(Json, Json)], kind: &PropertyKind) -> Json {
    let (mut curve, is_step) = curve_head(function, kind, json!(["zoom"]));
    for (input, value) in stops {
        append_stop(&mut curve, input.clone(), output(value, kind), is_step);
    }
    fix_degenerate_step(&mut curve, is_step);
    Json::Array(curve)
}

fn fallback(function: &Json, kind: &PropertyKind) -> Json {
    match function.get("default").or(kind.default.as_ref()) {
        Some(value) => literal(value.clone()),
        None => Json::Null,
    }
}

fn property_expression(
    function: &Json,
    property: &Json,
    stops: &[(Json, Json)],
    kind: &PropertyKind,
) -> Json {
    let get = json!(["get", property]);
    let with_default = |expression: Json| match function.get("default") {
        None => expression,
        Some(_) => json!([
            "case",
            ["==", ["typeof", get], "number"],
            expression,
            fallback(function, kind)
        ]),
    };
    match function_type(function, kind) {
        "categorical" if stops.first().is_some_and(|(input, _)| input.is_boolean()) => {
            let mut case = vec![json!("case")];
            for (input, value) in stops {
                case.push(json!(["==", get, input]));
                case.push(literal(value.clone()));
            }
            case.push(fallback(function, kind));
            Json::Array(case)
        }
        "categorical" => {
            let mut branches = vec![json!("match"), get.clone()];
            for (input, value) in stops {
                append_stop(&mut branches, input.clone(), literal(value.clone()), false);
            }
            if branches.len() == 2 {
                return fallback(function, kind);
            }
            branches.push(fallback(function, kind));
            Json::Array(branches)
        }
        "identity" => {
            let default = function.get("default").map(|value| literal(value.clone()));
            match (kind.is_color, kind.value_type, default) {
                (true, _, None) => json!(["to-color", get]),
                (true, _, Some(default)) => json!(["to-color", get, default]),
                (false, Some(assertion), Some(default)) => json!([assertion, get, default]),
                (false, Some(assertion), None) if assertion != "array" => json!([assertion, get]),
                _ => get,
            }
        }
        _ => {
            let (mut curve, is_step) = curve_head(function, kind, json!(["number", get]));
            for (input, value) in stops {
                append_stop(&mut curve, input.clone(), literal(value.clone()), is_step);
            }
            fix_degenerate_step(&mut curve, is_step);
            with_default(Json::Array(curve))
        }
    }
}

fn composite_expression(function: &Json, stops: &[(Json, Json)], kind: &PropertyKind) -> Json {
    let mut zooms: Vec<(Json, Vec<(Json, Json)>)> = Vec::new();
    for (input, value) in stops {
        let zoom = input.get("zoom").cloned().unwrap_or(Json::Null);
        let feature_stop = (
            input.get("value").cloned().unwrap_or(Json::Null),
            value.clone(),
        );
        match zooms.iter_mut().find(|(known, _)| *known == zoom) {
            Some((_, feature_stops)) => feature_stops.push(feature_stop),
            None => zooms.push((zoom, vec![feature_stop])),
        }
    }
    let property = function.get("property").cloned().unwrap_or(Json::Null);
    let is_step = !kind.interpolated;
    let mut curve = if is_step {
        vec![json!("step"), json!(["zoom"])]
    } else {
        vec![json!("interpolate"), json!(["linear"]), json!(["zoom"])]
    };
    for (zoom, feature_stops) in &zooms {
        let inner = property_expression(function, &property, feature_stops, kind);
        append_stop(&mut curve, zoom.clone(), inner, is_step);
    }
    fix_degenerate_step(&mut curve, is_step);
    Json::Array(curve)
}
