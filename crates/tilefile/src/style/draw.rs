//! Drawing a Mapbox Vector Tile by a MapLibre style with tiny-skia: background, fill (colour,
//! opacity, outline), line (width, colour, opacity, dash, cap, join), circle, flat
//! fill-extrusion; and the text-label candidates of symbol layers, for the app's own label
//! placement.

use tiny_skia::{
    Color as SkiaColor, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke,
    StrokeDash, Transform,
};

use super::document::{LayerKind, StyleDocument, StyleLayer};
use super::expr::{Context, FeatureView};
use super::{Color, Value};
use crate::info::RgbaTile;
use crate::mvt::decode::{self, Feature, GeomType, Layer, Tile};
use crate::mvt::render::{SubSquare, append_parts, unpremultiplied};

/// A feature of a decoded tile as expressions see it.
struct MvtFeature<'a> {
    layer: &'a Layer,
    feature: &'a Feature,
}

fn value_of(value: &decode::Value) -> Value {
    match value {
        decode::Value::String(text) => Value::String(text.clone()),
        decode::Value::Bool(b) => Value::Bool(*b),
        other => Value::Number(other.as_f64().unwrap_or(f64::NAN)),
    }
}

impl FeatureView for MvtFeature<'_> {
    fn property(&self, key: &str) -> Option<Value> {
        self.layer.property(self.feature, key).map(value_of)
    }

    fn properties(&self) -> Vec<(String, Value)> {
        self.feature
            .tags
            .chunks_exact(2)
            .filter_map(|pair| {
                let key = self.layer.keys.get(pair[0] as usize)?;
                let value = self.layer.values.get(pair[1] as usize)?;
                Some((key.clone(), value_of(value)))
            })
            .collect()
    }

    fn geometry_type(&self) -> Option<&'static str> {
        match self.feature.geom_type {
            GeomType::Point => Some("Point"),
            GeomType::LineString => Some("LineString"),
            GeomType::Polygon => Some("Polygon"),
            GeomType::Unknown => None,
        }
    }

    fn id(&self) -> Option<Value> {
        self.feature.id.map(|id| Value::Number(id as f64))
    }
}

/// Straight RGBA bytes of a colour with an extra opacity.
fn rgba8(color: Color, opacity: f64) -> [u8; 4] {
    let byte = |x: f64| (x.clamp(0.0, 1.0) * 255.0).round() as u8;
    [
        byte(color.r),
        byte(color.g),
        byte(color.b),
        byte(color.a * opacity),
    ]
}

fn skia_color(rgba: [u8; 4]) -> SkiaColor {
    SkiaColor::from_rgba8(rgba[0], rgba[1], rgba[2], rgba[3])
}

/// The evaluated paint of one feature; features with equal paints are drawn as one path.
#[derive(Debug, Clone, PartialEq)]
enum FeaturePaint {
    Fill {
        color: [u8; 4],
        outline: Option<[u8; 4]>,
    },
    Line {
        color: [u8; 4],
        width: f32,
        dash: Vec<f32>,
        cap: LineCap,
        join: LineJoin,
    },
    Circle {
        color: [u8; 4],
        radius: f32,
        stroke: Option<([u8; 4], f32)>,
    },
}

fn feature_paint(layer: &StyleLayer, context: &Context) -> Option<FeaturePaint> {
    let paint = match layer.kind {
        LayerKind::Fill | LayerKind::FillExtrusion => {
            let (color_key, opacity_key) = if layer.kind == LayerKind::Fill {
                ("fill-color", "fill-opacity")
            } else {
                ("fill-extrusion-color", "fill-extrusion-opacity")
            };
            let opacity = layer.number(opacity_key, context, 1.0);
            let color = rgba8(layer.color(color_key, context, Color::BLACK), opacity);
            let outline = layer.has("fill-outline-color").then(|| {
                rgba8(
                    layer.color("fill-outline-color", context, Color::BLACK),
                    opacity,
                )
            });
            FeaturePaint::Fill { color, outline }
        }
        LayerKind::Line => {
            let width = layer.number("line-width", context, 1.0) as f32;
            let dash = match layer.value("line-dasharray", context) {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_f64)
                    .map(|d| d as f32 * width.max(1.0))
                    .collect(),
                _ => Vec::new(),
            };
            let cap = match layer.text("line-cap", context).as_deref() {
                Some("round") => LineCap::Round,
                Some("square") => LineCap::Square,
                _ => LineCap::Butt,
            };
            let join = match layer.text("line-join", context).as_deref() {
                Some("round") => LineJoin::Round,
                Some("bevel") => LineJoin::Bevel,
                _ => LineJoin::Miter,
            };
            let opacity = layer.number("line-opacity", context, 1.0);
            let color = rgba8(layer.color("line-color", context, Color::BLACK), opacity);
            FeaturePaint::Line {
                color,
                width,
                dash,
                cap,
                join,
            }
        }
        LayerKind::Circle => {
            let opacity = layer.number("circle-opacity", context, 1.0);
            let color = rgba8(layer.color("circle-color", context, Color::BLACK), opacity);
            let stroke_width = layer.number("circle-stroke-width", context, 0.0) as f32;
            let stroke = (stroke_width > 0.0).then(|| {
                let stroke_opacity = layer.number("circle-stroke-opacity", context, 1.0);
                (
                    rgba8(
                        layer.color("circle-stroke-color", context, Color::BLACK),
                        stroke_opacity,
                    ),
                    stroke_width,
                )
            });
            FeaturePaint::Circle {
                color,
                radius: layer.number("circle-radius", context, 5.0) as f32,
                stroke,
            }
        }
        LayerKind::Background | LayerKind::Symbol => return None,
    };
    Some(paint)
}

fn draws(kind: LayerKind, geometry: GeomType) -> bool {
    match kind {
        LayerKind::Fill | LayerKind::FillExtrusion => geometry == GeomType::Polygon,
        LayerKind::Line => matches!(geometry, GeomType::LineString | GeomType::Polygon),
        LayerKind::Circle => geometry == GeomType::Point,
        LayerKind::Background | LayerKind::Symbol => false,
    }
}

/// Whether a style layer takes its features from the tile of `source` (any when `None`).
fn reads_source(layer: &StyleLayer, source: Option<&str>) -> bool {
    source.is_none_or(|source| layer.source.as_deref() == Some(source))
}

/// The tile layer a style layer draws (its `source-layer`).
fn source_layer_of<'t>(layer: &StyleLayer, tile: &'t Tile) -> Option<&'t Layer> {
    layer
        .source_layer
        .as_deref()
        .and_then(|name| tile.layer(name))
}

/// Decodes `tile_bytes` (an uncompressed MVT) and draws it by `style` at `style_zoom`.
///
/// MapLibre styles are written for 512-pixel tiles: a 256-pixel tile shown at app zoom `z`
/// matches style zoom `z - 1`, and one style pixel is `size_px / 256` output pixels.
pub fn render_mvt(
    style: &StyleDocument,
    source: Option<&str>,
    tile_bytes: &[u8],
    style_zoom: f64,
    size_px: u32,
) -> Result<Option<RgbaTile>, String> {
    let tile = decode::decode(tile_bytes)?;
    let whole = SubSquare {
        depth: 0,
        x: 0,
        y: 0,
    };
    Ok(render_tile(
        style, source, &tile, style_zoom, whole, size_px,
    ))
}

pub(crate) fn render_tile(
    style: &StyleDocument,
    source: Option<&str>,
    tile: &Tile,
    style_zoom: f64,
    sub: SubSquare,
    size_px: u32,
) -> Option<RgbaTile> {
    let mut pixmap = Pixmap::new(size_px, size_px)?;
    let px_scale = size_px as f32 / 256.0;
    for layer in style
        .layers
        .iter()
        .filter(|layer| layer.shows_at(style_zoom))
    {
        if layer.kind == LayerKind::Background {
            let context = Context {
                zoom: Some(style_zoom),
                feature: None,
            };
            let opacity = layer.number("background-opacity", &context, 1.0);
            let color = rgba8(
                layer.color("background-color", &context, Color::BLACK),
                opacity,
            );
            let mut paint = Paint::default();
            paint.set_color(skia_color(color));
            if let Some(rect) = Rect::from_xywh(0.0, 0.0, size_px as f32, size_px as f32) {
                pixmap.fill_rect(rect, &paint, Transform::identity(), None);
            }
            continue;
        }
        if !reads_source(layer, source) {
            continue;
        }
        let Some(tile_layer) = source_layer_of(layer, tile) else {
            continue;
        };
        let to_px = sub.to_pixels(tile_layer.extent, size_px);
        let mut batches: Vec<(FeaturePaint, PathBuilder)> = Vec::new();
        for feature in tile_layer
            .features
            .iter()
            .filter(|f| draws(layer.kind, f.geom_type))
        {
            let view = MvtFeature {
                layer: tile_layer,
                feature,
            };
            let context = Context::new(style_zoom, &view);
            if !layer.passes_filter(&context) {
                continue;
            }
            let Some(paint) = feature_paint(layer, &context) else {
                continue;
            };
            let Ok(parts) = decode::geometry(feature) else {
                continue;
            };
            let index = match batches.iter().position(|(known, _)| *known == paint) {
                Some(index) => index,
                None => {
                    batches.push((paint, PathBuilder::new()));
                    batches.len() - 1
                }
            };
            let (paint, path) = &mut batches[index];
            if let FeaturePaint::Circle { radius, .. } = paint {
                for &(x, y) in parts.iter().flat_map(|part| &part.points) {
                    let (px, py) = to_px(x, y);
                    path.push_circle(px, py, (*radius * px_scale).max(0.1));
                }
            } else {
                append_parts(
                    path,
                    &parts,
                    feature.geom_type == GeomType::Polygon,
                    to_px,
                    size_px as f32,
                );
            }
        }
        for (paint, path) in batches {
            if let Some(path) = path.finish() {
                draw(&mut pixmap, &paint, &path, px_scale);
            }
        }
    }
    Some(RgbaTile {
        size_px,
        rgba: unpremultiplied(pixmap),
    })
}

fn draw(pixmap: &mut Pixmap, paint: &FeaturePaint, path: &tiny_skia::Path, px_scale: f32) {
    let mut skia = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    let stroke = |width: f32| Stroke {
        width: (width * px_scale).max(0.1),
        ..Stroke::default()
    };
    match paint {
        FeaturePaint::Fill { color, outline } => {
            skia.set_color(skia_color(*color));
            pixmap.fill_path(path, &skia, FillRule::EvenOdd, Transform::identity(), None);
            if let Some(outline) = outline {
                skia.set_color(skia_color(*outline));
                pixmap.stroke_path(
                    path,
                    &skia,
                    &stroke(1.0 / px_scale),
                    Transform::identity(),
                    None,
                );
            }
        }
        FeaturePaint::Line {
            color,
            width,
            dash,
            cap,
            join,
        } => {
            if *width <= 0.0 {
                return;
            }
            skia.set_color(skia_color(*color));
            let mut intervals: Vec<f32> = dash.iter().map(|d| d * px_scale).collect();
            if intervals.len() % 2 == 1 {
                intervals.extend_from_within(..);
            }
            let dash = if intervals.is_empty() {
                None
            } else {
                StrokeDash::new(intervals, 0.0)
            };
            let line = Stroke {
                line_cap: *cap,
                line_join: *join,
                dash,
                ..stroke(*width)
            };
            pixmap.stroke_path(path, &skia, &line, Transform::identity(), None);
        }
        FeaturePaint::Circle {
            color,
            stroke: circle_stroke,
            ..
        } => {
            skia.set_color(skia_color(*color));
            pixmap.fill_path(path, &skia, FillRule::Winding, Transform::identity(), None);
            if let Some((stroke_color, width)) = circle_stroke {
                skia.set_color(skia_color(*stroke_color));
                pixmap.stroke_path(path, &skia, &stroke(*width), Transform::identity(), None);
            }
        }
    }
}

/// A text label a symbol layer asks for, for the app's own placement.
#[derive(Debug, Clone, PartialEq)]
pub struct StyledLabel {
    pub layer: String,
    pub text: String,
    /// Position inside the tile, 0..1 from the left and from the top.
    pub x: f64,
    pub y: f64,
    /// `text-size` in style pixels.
    pub size: f64,
    pub color: Color,
    /// `symbol-sort-key`, else the layer's order: lower is placed first.
    pub sort_key: f64,
}

/// The text labels of the style's symbol layers in `tile_bytes` at `style_zoom`: a point
/// feature's point, or a line's middle vertex.
pub fn label_candidates(
    style: &StyleDocument,
    source: Option<&str>,
    tile_bytes: &[u8],
    style_zoom: f64,
) -> Result<Vec<StyledLabel>, String> {
    let tile = decode::decode(tile_bytes)?;
    let mut labels = Vec::new();
    for (order, layer) in style.layers.iter().enumerate() {
        if layer.kind != LayerKind::Symbol
            || !layer.shows_at(style_zoom)
            || !reads_source(layer, source)
        {
            continue;
        }
        let Some(tile_layer) = source_layer_of(layer, &tile) else {
            continue;
        };
        let extent = f64::from(tile_layer.extent.max(1));
        for feature in &tile_layer.features {
            let view = MvtFeature {
                layer: tile_layer,
                feature,
            };
            let context = Context::new(style_zoom, &view);
            if !layer.passes_filter(&context) {
                continue;
            }
            let Some(text) = layer
                .text("text-field", &context)
                .filter(|text| !text.trim().is_empty())
            else {
                continue;
            };
            let Ok(parts) = decode::geometry(feature) else {
                continue;
            };
            let Some(&(x, y)) = parts
                .first()
                .and_then(|part| part.points.get(part.points.len() / 2))
            else {
                continue;
            };
            labels.push(StyledLabel {
                layer: layer.id.clone(),
                text,
                x: f64::from(x) / extent,
                y: f64::from(y) / extent,
                size: layer.number("text-size", &context, 16.0),
                color: layer.color("text-color", &context, Color::BLACK),
                sort_key: layer.number("symbol-sort-key", &context, order as f64),
            });
        }
    }
    Ok(labels)
}
