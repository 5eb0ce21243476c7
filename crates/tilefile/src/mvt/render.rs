//! Draws a decoded vector tile with the built-in style ([`super::style`]) using tiny-skia.

use strikemap_basemap::style::Rgb8;
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint as SkiaPaint, PathBuilder, Pixmap, Stroke,
    StrokeDash, Transform,
};

use super::decode::{self, GeomType, Tile};
use super::style::{self, Paint};
use crate::info::{RgbaTile, VectorSchema};

/// Which square of the stored tile to draw: the whole tile (`depth` 0), or, when over-zooming,
/// sub-tile (`x`, `y`) of the `2^depth` × `2^depth` grid inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubSquare {
    pub depth: u8,
    pub x: u32,
    pub y: u32,
}

impl SubSquare {
    #[cfg(test)]
    pub const WHOLE: SubSquare = SubSquare {
        depth: 0,
        x: 0,
        y: 0,
    };
}

/// One shape to draw, in pixel coordinates.
struct Shape {
    order: u8,
    paint: Paint,
    path: tiny_skia::Path,
}

fn colour(rgb: Rgb8) -> Color {
    Color::from_rgba8(rgb.r, rgb.g, rgb.b, 255)
}

/// Renders `tile` as a `size_px` image at display zoom `zoom` (widths follow `zoom`).
pub fn render(
    tile: &Tile,
    schema: &VectorSchema,
    zoom: u8,
    sub: SubSquare,
    size_px: u32,
) -> Option<RgbaTile> {
    let mut pixmap = Pixmap::new(size_px, size_px)?;
    pixmap.fill(colour(style::background(schema)));
    let px_scale = size_px as f32 / 256.0;
    let zoom_f = f32::from(zoom);
    let mut shapes = Vec::new();
    for layer in &tile.layers {
        // Tile units → output pixels.
        let cells = f64::from(1u32 << sub.depth.min(30));
        let scale = f64::from(size_px) * cells / f64::from(layer.extent);
        let (shift_x, shift_y) = (
            f64::from(sub.x) * f64::from(size_px),
            f64::from(sub.y) * f64::from(size_px),
        );
        let margin = f64::from(size_px) * 0.1;
        let to_px = |x: f64, y: f64| {
            let (px, py) = (x * scale - shift_x, y * scale - shift_y);
            (px, py)
        };
        for feature in &layer.features {
            let Some(paint) = style::paint(schema, layer, feature, zoom_f) else {
                continue;
            };
            let Ok(parts) = decode::geometry(feature) else {
                continue;
            };
            let mut builder = PathBuilder::new();
            let (mut min_x, mut min_y, mut max_x, mut max_y) =
                (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for part in &parts {
                let mut points = part
                    .points
                    .iter()
                    .map(|&(x, y)| to_px(f64::from(x), f64::from(y)));
                let Some((x0, y0)) = points.next() else {
                    continue;
                };
                builder.move_to(x0 as f32, y0 as f32);
                (min_x, min_y, max_x, max_y) =
                    (min_x.min(x0), min_y.min(y0), max_x.max(x0), max_y.max(y0));
                for (x, y) in points {
                    builder.line_to(x as f32, y as f32);
                    (min_x, min_y, max_x, max_y) =
                        (min_x.min(x), min_y.min(y), max_x.max(x), max_y.max(y));
                }
                if part.closed || feature.geom_type == GeomType::Polygon {
                    builder.close();
                }
            }
            let outside = max_x < -margin
                || max_y < -margin
                || min_x > f64::from(size_px) + margin
                || min_y > f64::from(size_px) + margin;
            if outside {
                continue;
            }
            let Some(path) = builder.finish() else {
                continue;
            };
            if let Paint::Line {
                casing: Some(_), ..
            } = paint
            {
                shapes.push(Shape {
                    order: style::order::ROAD_CASING,
                    paint,
                    path: path.clone(),
                });
            }
            let order = match paint {
                Paint::Fill { order, .. } | Paint::Line { order, .. } => order,
            };
            shapes.push(Shape { order, paint, path });
        }
    }
    // Stable: within one order, features keep the tile's order.
    shapes.sort_by_key(|shape| shape.order);
    for shape in &shapes {
        draw(&mut pixmap, shape, px_scale);
    }
    Some(RgbaTile {
        size_px,
        rgba: unpremultiplied(pixmap),
    })
}

fn draw(pixmap: &mut Pixmap, shape: &Shape, px_scale: f32) {
    let mut skia = SkiaPaint {
        anti_alias: true,
        ..SkiaPaint::default()
    };
    match shape.paint {
        Paint::Fill { colour: rgb, .. } => {
            skia.set_color(colour(rgb));
            pixmap.fill_path(
                &shape.path,
                &skia,
                FillRule::EvenOdd,
                Transform::identity(),
                None,
            );
        }
        Paint::Line {
            colour: rgb,
            width_px,
            dash_px,
            casing,
            ..
        } => {
            let (rgb, width_px, dash_px) = match casing {
                Some((casing_rgb, casing_width)) if shape.order == style::order::ROAD_CASING => {
                    (casing_rgb, casing_width, None)
                }
                _ => (rgb, width_px, dash_px),
            };
            skia.set_color(colour(rgb));
            let dash = dash_px
                .and_then(|dash| StrokeDash::new(dash.iter().map(|d| d * px_scale).collect(), 0.0));
            let stroke = Stroke {
                width: (width_px * px_scale).max(0.1),
                line_cap: if dash.is_some() {
                    LineCap::Butt
                } else {
                    LineCap::Round
                },
                line_join: LineJoin::Round,
                dash,
                ..Stroke::default()
            };
            pixmap.stroke_path(&shape.path, &skia, &stroke, Transform::identity(), None);
        }
    }
}

/// tiny-skia keeps premultiplied RGBA; the API promises straight alpha. The background is
/// opaque, so this only matters at the edges of nothing, but keep the promise.
fn unpremultiplied(pixmap: Pixmap) -> Vec<u8> {
    pixmap
        .pixels()
        .iter()
        .flat_map(|pixel| {
            let c = pixel.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect()
}
