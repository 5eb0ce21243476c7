//! Reading a MapLibre `style.json`: its vector sources and its layers, each property compiled
//! once into an expression. What the app cannot draw is listed (layer id + property), never
//! fatal.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::Color;
use super::expr::{Context, Expr};
use super::legacy::{PropertyKind, filter_expression};
use super::parse::compile_property;
use super::value::{Type, Value};

/// Where a style source's tiles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceLocation {
    /// `pmtiles://path` (a local file; `pmtiles://https://…` is kept as given).
    PmTiles(String),
    /// `mbtiles://path`.
    MbTiles(String),
    /// A plain local path or a `tiles` URL template.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleSource {
    pub id: String,
    /// `vector`, `raster`, `geojson`, … as the style says.
    pub kind: String,
    pub location: Option<SourceLocation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    Background,
    Fill,
    Line,
    Circle,
    Symbol,
    /// Drawn flat, as a fill.
    FillExtrusion,
}

/// One style layer with its compiled properties.
#[derive(Debug, Clone)]
pub struct StyleLayer {
    pub id: String,
    pub kind: LayerKind,
    pub source: Option<String>,
    pub source_layer: Option<String>,
    pub min_zoom: f64,
    pub max_zoom: f64,
    pub filter: Option<Expr>,
    pub visible: bool,
    properties: BTreeMap<&'static str, Expr>,
}

/// A property the app does not draw, or could not read, named once per layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedProperty {
    pub layer: String,
    pub property: String,
    pub reason: String,
}

/// A parsed style.
#[derive(Debug, Clone, Default)]
pub struct StyleDocument {
    pub name: Option<String>,
    pub sources: Vec<StyleSource>,
    pub layers: Vec<StyleLayer>,
    pub unsupported: Vec<UnsupportedProperty>,
}

/// The type, default and legacy-function kind of each property the app draws.
fn property_spec(kind: LayerKind, name: &str) -> Option<(&'static str, Type, Json)> {
    use serde_json::json;
    let number = |name: &'static str, default: f64| Some((name, Type::Number, json!(default)));
    let color = |name: &'static str, default: &str| Some((name, Type::Color, json!(default)));
    match (kind, name) {
        (_, "visibility") => Some(("visibility", Type::String, json!("visible"))),
        (LayerKind::Background, "background-color") => color("background-color", "#000000"),
        (LayerKind::Background, "background-opacity") => number("background-opacity", 1.0),
        (LayerKind::Fill, "fill-color") => color("fill-color", "#000000"),
        (LayerKind::Fill, "fill-opacity") => number("fill-opacity", 1.0),
        (LayerKind::Fill, "fill-outline-color") => color("fill-outline-color", "rgba(0,0,0,0)"),
        (LayerKind::Fill, "fill-antialias") => Some(("fill-antialias", Type::Boolean, json!(true))),
        (LayerKind::FillExtrusion, "fill-extrusion-color") => {
            color("fill-extrusion-color", "#000000")
        }
        (LayerKind::FillExtrusion, "fill-extrusion-opacity") => {
            number("fill-extrusion-opacity", 1.0)
        }
        (LayerKind::FillExtrusion, "fill-extrusion-height") => number("fill-extrusion-height", 0.0),
        (LayerKind::FillExtrusion, "fill-extrusion-base") => number("fill-extrusion-base", 0.0),
        (LayerKind::Line, "line-color") => color("line-color", "#000000"),
        (LayerKind::Line, "line-opacity") => number("line-opacity", 1.0),
        (LayerKind::Line, "line-width") => number("line-width", 1.0),
        (LayerKind::Line, "line-dasharray") => Some((
            "line-dasharray",
            Type::array_of(Type::Number, None),
            json!(["literal", []]),
        )),
        (LayerKind::Line, "line-cap") => Some(("line-cap", Type::String, json!("butt"))),
        (LayerKind::Line, "line-join") => Some(("line-join", Type::String, json!("miter"))),
        (LayerKind::Line, "line-miter-limit") => number("line-miter-limit", 2.0),
        (LayerKind::Circle, "circle-color") => color("circle-color", "#000000"),
        (LayerKind::Circle, "circle-opacity") => number("circle-opacity", 1.0),
        (LayerKind::Circle, "circle-radius") => number("circle-radius", 5.0),
        (LayerKind::Circle, "circle-stroke-color") => color("circle-stroke-color", "#000000"),
        (LayerKind::Circle, "circle-stroke-width") => number("circle-stroke-width", 0.0),
        (LayerKind::Circle, "circle-stroke-opacity") => number("circle-stroke-opacity", 1.0),
        (LayerKind::Symbol, "text-field") => Some(("text-field", Type::String, json!(""))),
        (LayerKind::Symbol, "text-size") => number("text-size", 16.0),
        (LayerKind::Symbol, "text-color") => color("text-color", "#000000"),
        (LayerKind::Symbol, "symbol-sort-key") => number("symbol-sort-key", 0.0),
        _ => None,
    }
}

fn layer_kind(name: &str) -> Option<LayerKind> {
    Some(match name {
        "background" => LayerKind::Background,
        "fill" => LayerKind::Fill,
        "line" => LayerKind::Line,
        "circle" => LayerKind::Circle,
        "symbol" => LayerKind::Symbol,
        "fill-extrusion" => LayerKind::FillExtrusion,
        _ => return None,
    })
}

fn source_location(source: &Json) -> Option<SourceLocation> {
    let url = source
        .get("url")
        .and_then(Json::as_str)
        .or_else(|| source.get("tiles")?.get(0)?.as_str())?;
    Some(if let Some(path) = url.strip_prefix("pmtiles://") {
        SourceLocation::PmTiles(path.to_string())
    } else if let Some(path) = url.strip_prefix("mbtiles://") {
        SourceLocation::MbTiles(path.to_string())
    } else {
        SourceLocation::Other(url.to_string())
    })
}

impl StyleDocument {
    /// Parses style JSON text; `origin` (a file name) prefixes errors.
    pub fn parse(text: &str, origin: &str) -> Result<StyleDocument, String> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| format!("{origin}:{}:{}: not JSON: {e}", e.line(), e.column()))?;
        let Some(layers) = json.get("layers").and_then(Json::as_array) else {
            return Err(format!(
                "{origin}: no \"layers\" array; is this a MapLibre style.json?"
            ));
        };
        let mut document = StyleDocument {
            name: json.get("name").and_then(Json::as_str).map(str::to_string),
            ..StyleDocument::default()
        };
        if let Some(Json::Object(sources)) = json.get("sources") {
            for (id, source) in sources {
                document.sources.push(StyleSource {
                    id: id.clone(),
                    kind: source
                        .get("type")
                        .and_then(Json::as_str)
                        .unwrap_or("")
                        .to_string(),
                    location: source_location(source),
                });
            }
        }
        for (index, layer) in layers.iter().enumerate() {
            document.read_layer(index, layer);
        }
        Ok(document)
    }

    fn report(&mut self, layer: &str, property: &str, reason: impl Into<String>) {
        self.unsupported.push(UnsupportedProperty {
            layer: layer.to_string(),
            property: property.to_string(),
            reason: reason.into(),
        });
    }

    fn read_layer(&mut self, index: usize, layer: &Json) {
        let id = layer
            .get("id")
            .and_then(Json::as_str)
            .map_or_else(|| format!("layers[{index}]"), str::to_string);
        let type_name = layer.get("type").and_then(Json::as_str).unwrap_or("");
        let Some(kind) = layer_kind(type_name) else {
            self.report(
                &id,
                "type",
                format!("layer type \"{type_name}\" is not drawn"),
            );
            return;
        };
        let mut style_layer = StyleLayer {
            id: id.clone(),
            kind,
            source: layer
                .get("source")
                .and_then(Json::as_str)
                .map(str::to_string),
            source_layer: layer
                .get("source-layer")
                .and_then(Json::as_str)
                .map(str::to_string),
            min_zoom: layer.get("minzoom").and_then(Json::as_f64).unwrap_or(0.0),
            max_zoom: layer.get("maxzoom").and_then(Json::as_f64).unwrap_or(24.0),
            filter: None,
            visible: true,
            properties: BTreeMap::new(),
        };
        if let Some(filter) = layer.get("filter") {
            match compile_property(
                &filter_expression(filter),
                Some(&Type::Boolean),
                &PropertyKind::default(),
            ) {
                Ok(expr) => style_layer.filter = Some(expr),
                Err(message) => {
                    // A filter that does not parse hides the layer rather than showing all of it.
                    self.report(&id, "filter", message);
                    style_layer.visible = false;
                }
            }
        }
        for group in ["layout", "paint"] {
            let Some(Json::Object(properties)) = layer.get(group) else {
                continue;
            };
            for (name, value) in properties {
                let Some((key, ty, default)) = property_spec(kind, name) else {
                    self.report(&id, name, "not supported");
                    continue;
                };
                let property_kind = PropertyKind {
                    interpolated: matches!(ty, Type::Number | Type::Color),
                    tokens: key == "text-field",
                    is_color: ty == Type::Color,
                    value_type: None,
                    default: Some(default),
                };
                // A constant array (`"line-dasharray": [2, 1]`) is a value, not an expression.
                let constant_array = value
                    .as_array()
                    .is_some_and(|items| !items.first().is_some_and(Json::is_string));
                let literal;
                let value = if constant_array {
                    literal = serde_json::json!(["literal", value]);
                    &literal
                } else {
                    value
                };
                match compile_property(value, Some(&ty), &property_kind) {
                    Ok(expr) => {
                        style_layer.properties.insert(key, expr);
                    }
                    Err(message) => self.report(&id, name, message),
                }
            }
        }
        if let Some(visibility) = style_layer.properties.get("visibility") {
            style_layer.visible &=
                visibility.evaluate(&Context::EMPTY) != Ok(Value::String("none".to_string()));
        }
        self.layers.push(style_layer);
    }
}

impl StyleLayer {
    /// Whether the layer shows at `zoom` (minzoom inclusive, maxzoom exclusive).
    pub fn shows_at(&self, zoom: f64) -> bool {
        self.visible && zoom >= self.min_zoom && zoom < self.max_zoom
    }

    pub fn has(&self, name: &str) -> bool {
        self.properties.contains_key(name)
    }

    /// The property's value, or `None` when unset or when evaluation fails (then MapLibre
    /// uses the default, as the caller does).
    pub fn value(&self, name: &str, context: &Context) -> Option<Value> {
        self.properties.get(name)?.evaluate(context).ok()
    }

    pub fn number(&self, name: &str, context: &Context, default: f64) -> f64 {
        match self.value(name, context) {
            Some(Value::Number(x)) if x.is_finite() => x,
            _ => default,
        }
    }

    pub fn color(&self, name: &str, context: &Context, default: Color) -> Color {
        match self.value(name, context) {
            Some(Value::Color(color)) => color,
            _ => default,
        }
    }

    pub fn text(&self, name: &str, context: &Context) -> Option<String> {
        self.value(name, context).map(|value| value.to_text())
    }

    /// Whether the filter (if any) lets the feature through.
    pub fn passes_filter(&self, context: &Context) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|filter| filter.evaluate_filter(context))
    }
}
