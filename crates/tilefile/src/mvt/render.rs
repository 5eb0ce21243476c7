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
    /// Tile units of a layer with `extent` → output pixels of a `size_px` image of this square.
    pub(crate) fn to_pixels(
        self,
        extent: u32,
        size_px: u32,
    ) -> impl Fn(i32, i32) -> (f32, f32) + Copy {
        let cells = f64::from(1u32 << self.depth.min(30));
        let scale = f64::from(size_px) * cells / f64::from(extent.max(1));
        let (shift_x, shift_y) = (
            f64::from(self.x) * f64::from(size_px),
            f64::from(self.y) * f64::from(size_px),
        );
        move |x: i32, y: i32| {
            (
                (f64::from(x) * scale - shift_x) as f32,
                (f64::from(y) * scale - shift_y) as f32,
            )
        }
    }

    #[cfg(test)]
    pub const WHOLE: SubSquare = SubSquare {
        depth: 0,
        x: 0,
        y: 0,
    };
}

/// Lines narrower than this (output pixels) get bevel joins and butt caps.
const ROUND_JOIN_MIN_WIDTH_PX: f32 = 2.5;

/// Every feature drawn with one paint at one order, as one path: tiny-skia's cost is mostly
/// per draw call, so a dense tile is drawn in a few dozen calls, not thousands.
struct Batch {
    order: u8,
    paint: Paint,
    /// True for the casing pass of a road paint.
    casing: bool,
    path: PathBuilder,
}

/// The batch for (`order`, `paint`, `casing`), created on first use.
fn batch(batches: &mut Vec<Batch>, order: u8, paint: Paint, casing: bool) -> &mut PathBuilder {
    let index = match batches
        .iter()
        .position(|b| b.order == order && b.paint == paint && b.casing == casing)
    {
        Some(index) => index,
        None => {
            batches.push(Batch {
                order,
                paint,
                casing,
                path: PathBuilder::new(),
            });
            batches.len() - 1
        }
    };
    &mut batches[index].path
}

fn colour(rgb: Rgb8) -> Color {
    Color::from_rgba8(rgb.r, rgb.g, rgb.b, 255)
}

/// Appends a feature's parts (tile units) to `path` in output pixels; false when the feature
/// lies wholly outside the image (plus a margin for line widths).
pub(crate) fn append_parts(
    path: &mut PathBuilder,
    parts: &[decode::Part],
    polygon: bool,
    to_px: impl Fn(i32, i32) -> (f32, f32),
    size_px: f32,
) -> bool {
    let margin = size_px * 0.1;
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for part in parts {
        for &(x, y) in &part.points {
            let (px, py) = to_px(x, y);
            (min_x, min_y, max_x, max_y) =
                (min_x.min(px), min_y.min(py), max_x.max(px), max_y.max(py));
        }
    }
    if max_x < -margin || max_y < -margin || min_x > size_px + margin || min_y > size_px + margin {
        return false;
    }
    for part in parts {
        let mut points = part.points.iter().map(|&(x, y)| to_px(x, y));
        let Some((x0, y0)) = points.next() else {
            continue;
        };
        path.move_to(x0, y0);
        for (x, y) in points {
            path.line_to(x, y);
        }
        if part.closed || polygon {
            path.close();
        }
    }
    true
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
    let mut batches: Vec<Batch> = Vec::new();
    for layer in &tile.layers {
        let to_px = sub.to_pixels(layer.extent, size_px);
        for feature in &layer.features {
            let Some(paint) = style::paint(schema, layer, feature, zoom_f) else {
                continue;
            };
            let Ok(parts) = decode::geometry(feature) else {
                continue;
            };
            let order = match paint {
                Paint::Fill { order, .. } | Paint::Line { order, .. } => order,
            };
            let polygon = feature.geom_type == GeomType::Polygon;
            let path = batch(&mut batches, order, paint, false);
            if !append_parts(path, &parts, polygon, to_px, size_px as f32) {
                continue;
            }
            if let Paint::Line {
                casing: Some(_), ..
            } = paint
            {
                let casing = batch(&mut batches, style::order::ROAD_CASING, paint, true);
                append_parts(casing, &parts, polygon, to_px, size_px as f32);
            }
        }
    }
    // Stable: within one order, batches keep the order of their first feature.
    batches.sort_by_key(|batch| batch.order);
    for batch in batches {
        if let Some(path) = batch.path.finish() {
            draw(&mut pixmap, batch.paint, batch.casing, &path, px_scale);
        }
    }
    Some(RgbaTile {
        size_px,
        rgba: unpremultiplied(pixmap),
    })
}

fn draw(
    pixmap: &mut Pixmap,
    paint: Paint,
    casing_pass: bool,
    path: &tiny_skia::Path,
    px_scale: f32,
) {
    let mut skia = SkiaPaint {
        anti_alias: true,
        ..SkiaPaint::default()
    };
    match paint {
        Paint::Fill { colour: rgb, .. } => {
            skia.set_color(colour(rgb));
            pixmap.fill_path(path, &skia, FillRule::Winding, Transform::identity(), None);
        }
        Paint::Line {
            colour: rgb,
            width_px,
            dash_px,
            casing,
            ..
        } => {
            let (rgb, width_px, dash_px) = match casing {
                Some((casing_rgb, casing_width)) if casing_pass => (casing_rgb, casing_width, None),
                _ => (rgb, width_px, dash_px),
            };
            skia.set_color(colour(rgb));
            let dash = dash_px
                .and_then(|dash| StrokeDash::new(dash.iter().map(|d| d * px_scale).collect(), 0.0));
            let width = (width_px * px_scale).max(0.1);
            // Round joins and caps cost curves in every outline; below this width they look
            // the same as bevels and butts.
            let round = dash.is_none() && width >= ROUND_JOIN_MIN_WIDTH_PX;
            let stroke = Stroke {
                width,
                line_cap: if round { LineCap::Round } else { LineCap::Butt },
                line_join: if round {
                    LineJoin::Round
                } else {
                    LineJoin::Bevel
                },
                dash,
                ..Stroke::default()
            };
            pixmap.stroke_path(path, &skia, &stroke, Transform::identity(), None);
        }
    }
}

/// tiny-skia keeps premultiplied RGBA; the API promises straight alpha. The background is
/// opaque, so this only matters at the edges of nothing, but keep the promise.
pub(crate) fn unpremultiplied(pixmap: Pixmap) -> Vec<u8> {
    pixmap
        .pixels()
        .iter()
        .flat_map(|pixel| {
            let c = pixel.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect()
}
