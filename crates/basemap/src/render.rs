//! Tile rendering with tiny-skia.
//!
//! Per tile: fill the no-data colour, fill the region box (the world) with sea, then draw the
//! layers of the zoom's band in order (land, playas, rivers, lakes, coastline, admin-1 lines,
//! borders). Features, parts and chunks of parts are culled by their bounding boxes (computed
//! at decode), filtered by min_zoom, thinned to `style::simplify_tolerance_px` and clipped to the
//! tile plus a margin before they are handed to tiny-skia, so the cost of a tile follows what
//! is visible in it.

use tiny_skia::{
    FillRule, FilterQuality, LineCap, LineJoin, Paint, PathBuilder, Pattern, Pixmap, Rect,
    SpreadMode, Stroke, Transform,
};

use crate::cull::{collapsed_ring, visible_runs};
use crate::data::{DecodedAsset, Feature, GeometryLayer, Layer, WorldPoint, WorldRect, band_layer};
use crate::geometry::{
    PixelPoint, PixelRect, Projection, append_dashed, append_polyline, append_ring, clip_polyline,
    clip_ring, project_thinned,
};
use crate::style::{self, Rgb8};
use crate::tile_math::{lat_to_world_y, lon_to_world_x, tiles_per_axis, world_size_px};

/// Largest tile edge `render_tile` draws; larger requests are clamped to it.
pub const MAX_TILE_SIZE_PX: u32 = 4096;
/// Highest zoom `render_tile` draws; deeper tiles come back as no-data tiles. Above
/// [`crate::DETAIL_ENDS_AT_ZOOM`] tiles show scaled-up Natural Earth 10m vectors.
pub const MAX_ZOOM: u8 = 30;

/// Tile size the style's pixel widths are designed for.
const REFERENCE_TILE_SIZE_PX: f32 = 256.0;
/// Fills are clipped to the tile grown by this margin (in tile pixels).
const FILL_MARGIN_PX: f64 = 2.0;
/// Lines are clipped to the tile grown by this margin times the HiDPI scale; it covers the
/// widest stroke (the border halo) plus antialiasing.
const LINE_MARGIN_PX: f64 = 12.0;

/// A rendered tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileImage {
    /// Width and height in pixels.
    pub size_px: u32,
    /// Straight (unpremultiplied) RGBA8, row-major, `size_px * size_px * 4` bytes.
    pub rgba: Vec<u8>,
    /// False when the tile is outside the zoom's tile grid (or the zoom is above
    /// [`MAX_ZOOM`]); it is then filled with `style::NO_DATA_BACKGROUND`. Every tile of the
    /// grid has data: the asset covers the whole world.
    pub has_data: bool,
}

impl TileImage {
    /// The RGBA of pixel (x, y), or None outside the image.
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        if x >= self.size_px || y >= self.size_px {
            return None;
        }
        let index = u64::from(y)
            .checked_mul(u64::from(self.size_px))?
            .checked_add(u64::from(x))?
            .checked_mul(4)?;
        let index = usize::try_from(index).ok()?;
        match self.rgba.get(index..index.checked_add(4)?)? {
            &[r, g, b, a] => Some([r, g, b, a]),
            _ => None,
        }
    }
}

/// Everything about the tile being drawn.
struct Frame {
    zoom: f32,
    /// `size_px / 256`: multiplies every style width.
    scale: f32,
    projection: Projection,
    fill_clip_px: PixelRect,
    fill_clip_world: WorldRect,
    line_clip_px: PixelRect,
    line_clip_world: WorldRect,
}

impl Frame {
    /// True for a box smaller than `style::MIN_PART_SIZE_PX` both ways: an islet, lake or
    /// line too small to see at this zoom.
    fn is_speck(&self, bounds: &WorldRect) -> bool {
        let limit = style::MIN_PART_SIZE_PX / self.projection.world_size_px;
        bounds.max_x - bounds.min_x < limit && bounds.max_y - bounds.min_y < limit
    }
}

/// Reused buffers.
#[derive(Default)]
struct Scratch {
    world: Vec<WorldPoint>,
    projected: Vec<PixelPoint>,
    clipped: Vec<PixelPoint>,
    clip_work: Vec<PixelPoint>,
    piece: Vec<PixelPoint>,
}

/// How a set of lines is stroked.
struct LineStyle {
    colour: Rgb8,
    width_px: f32,
    /// Dash pattern (on, off, …) in tile pixels; None for solid lines.
    dash_px: Option<Vec<f64>>,
    round_ends: bool,
}

pub(crate) fn render_tile(
    asset: &DecodedAsset,
    zoom: u8,
    x: u32,
    y: u32,
    size_px: u32,
) -> TileImage {
    let size_px = size_px.min(MAX_TILE_SIZE_PX);
    let Some(mut pixmap) = Pixmap::new(size_px, size_px) else {
        return TileImage {
            size_px: 0,
            rgba: Vec::new(),
            has_data: false,
        };
    };
    pixmap.fill(style::NO_DATA_BACKGROUND.to_skia());

    let tiles = tiles_per_axis(zoom);
    if zoom > MAX_ZOOM || f64::from(x) >= tiles || f64::from(y) >= tiles {
        return finish(pixmap, false);
    }
    let size = f64::from(size_px);
    let projection = Projection {
        world_size_px: world_size_px(zoom, size_px),
        origin_x_px: f64::from(x) * size,
        origin_y_px: f64::from(y) * size,
    };

    // The region box in tile pixels, cut to the tile.
    let region = &asset.region;
    let north_west = projection.project(WorldPoint {
        x: lon_to_world_x(region.west),
        y: lat_to_world_y(region.north),
    });
    let south_east = projection.project(WorldPoint {
        x: lon_to_world_x(region.east),
        y: lat_to_world_y(region.south),
    });
    let visible_left = north_west.x.max(0.0);
    let visible_top = north_west.y.max(0.0);
    let visible_right = south_east.x.min(size);
    let visible_bottom = south_east.y.min(size);
    if !(visible_left < visible_right && visible_top < visible_bottom) {
        return finish(pixmap, false);
    }
    if let Some(rect) = Rect::from_ltrb(
        visible_left as f32,
        visible_top as f32,
        visible_right as f32,
        visible_bottom as f32,
    ) {
        pixmap.fill_rect(rect, &solid_paint(style::SEA), Transform::identity(), None);
    }

    let scale = size_px as f32 / REFERENCE_TILE_SIZE_PX;
    let fill_clip_px = PixelRect::tile_with_margin(size, FILL_MARGIN_PX);
    let line_clip_px = PixelRect::tile_with_margin(size, LINE_MARGIN_PX * f64::from(scale));
    let frame = Frame {
        zoom: f32::from(zoom),
        scale,
        projection,
        fill_clip_world: projection.world_rect(&fill_clip_px),
        fill_clip_px,
        line_clip_world: projection.world_rect(&line_clip_px),
        line_clip_px,
    };
    let mut scratch = Scratch::default();
    draw_layers(&mut pixmap, asset.band_for_zoom(zoom), &frame, &mut scratch);
    finish(pixmap, true)
}

fn draw_layers(pixmap: &mut Pixmap, band: &[GeometryLayer], frame: &Frame, scratch: &mut Scratch) {
    let zoom = frame.zoom;
    let scale = frame.scale;
    let min_zoom_passes = |feature: &Feature| {
        feature
            .min_zoom
            .is_none_or(|min_zoom| min_zoom <= zoom + style::MIN_ZOOM_LEAD)
    };

    if let Some(land) = band_layer(band, Layer::Land) {
        fill_features(
            pixmap,
            land,
            frame,
            scratch,
            |_| true,
            &solid_paint(style::LAND),
        );
    }

    if let Some(playas) = band_layer(band, Layer::Playas) {
        let hatch = playa_hatch_pixmap(scale);
        let paint = match &hatch {
            Some(hatch) => hatch_paint(hatch, frame),
            None => solid_paint(style::PLAYA_FILL),
        };
        fill_features(pixmap, playas, frame, scratch, min_zoom_passes, &paint);
        if zoom >= style::PLAYA_OUTLINE_FIRST_ZOOM {
            let outline = LineStyle {
                colour: style::PLAYA_OUTLINE,
                width_px: style::PLAYA_OUTLINE_WIDTH_PX.at(zoom) * scale,
                dash_px: None,
                round_ends: true,
            };
            stroke_features(
                pixmap,
                playas,
                frame,
                scratch,
                min_zoom_passes,
                true,
                &outline,
            );
        }
    }

    if let Some(rivers) = band_layer(band, Layer::Rivers) {
        let mut ranks: Vec<u8> = rivers
            .features
            .iter()
            .filter(|feature| min_zoom_passes(feature))
            .map(|feature| feature.rank)
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let base_width_px = style::RIVER_WIDTH_PX.at(zoom) * scale;
        for rank in ranks {
            let line = LineStyle {
                colour: style::RIVER,
                width_px: base_width_px * style::river_rank_factor(rank),
                dash_px: None,
                round_ends: true,
            };
            let include = |feature: &Feature| feature.rank == rank && min_zoom_passes(feature);
            stroke_features(pixmap, rivers, frame, scratch, include, false, &line);
        }
    }

    if let Some(lakes) = band_layer(band, Layer::Lakes) {
        let paint = solid_paint(style::LAKE);
        fill_features(pixmap, lakes, frame, scratch, min_zoom_passes, &paint);
        let shore = LineStyle {
            colour: style::COASTLINE,
            width_px: style::LAKE_SHORE_WIDTH_PX.at(zoom) * scale,
            dash_px: None,
            round_ends: true,
        };
        stroke_features(pixmap, lakes, frame, scratch, min_zoom_passes, true, &shore);
    }

    if let Some(coastline) = band_layer(band, Layer::Coastline) {
        let line = LineStyle {
            colour: style::COASTLINE,
            width_px: style::COASTLINE_WIDTH_PX.at(zoom) * scale,
            dash_px: None,
            round_ends: true,
        };
        stroke_features(pixmap, coastline, frame, scratch, |_| true, false, &line);
    }

    if let Some(admin1) = band_layer(band, Layer::Admin1Lines)
        && zoom >= style::ADMIN1_FIRST_ZOOM
    {
        let line = LineStyle {
            colour: style::ADMIN1_LINE,
            width_px: style::ADMIN1_WIDTH_PX.at(zoom) * scale,
            dash_px: Some(scaled_dash(style::ADMIN1_DASH_PX, zoom, scale)),
            round_ends: false,
        };
        stroke_features(pixmap, admin1, frame, scratch, |_| true, false, &line);
    }

    if let Some(borders) = band_layer(band, Layer::Borders) {
        // Borders ignore Natural Earth's min_zoom: a gap in a border reads as an error.
        if zoom >= style::BORDER_HALO_FIRST_ZOOM {
            let halo = LineStyle {
                colour: style::BORDER_HALO,
                width_px: style::BORDER_HALO_WIDTH_PX.at(zoom) * scale,
                dash_px: None,
                round_ends: true,
            };
            stroke_features(pixmap, borders, frame, scratch, |_| true, false, &halo);
        }
        let width_px = style::BORDER_WIDTH_PX.at(zoom) * scale;
        for (class, dash) in [
            (BORDER_INTERNATIONAL, None),
            (BORDER_LINE_OF_CONTROL, Some(style::LINE_OF_CONTROL_DASH_PX)),
            (BORDER_DISPUTED, Some(style::DISPUTED_DASH_PX)),
            (BORDER_INDEFINITE, Some(style::INDEFINITE_DASH_PX)),
        ] {
            let line = LineStyle {
                colour: style::BORDER,
                width_px,
                dash_px: dash.map(|pattern| scaled_dash(pattern, zoom, scale)),
                round_ends: dash.is_none(),
            };
            let include = |feature: &Feature| feature.class == class;
            stroke_features(pixmap, borders, frame, scratch, include, false, &line);
        }
    }
}

const BORDER_INTERNATIONAL: u8 = 0;
const BORDER_LINE_OF_CONTROL: u8 = 1;
const BORDER_DISPUTED: u8 = 2;
const BORDER_INDEFINITE: u8 = 3;

fn scaled_dash(pattern_px: &[f32], zoom: f32, scale: f32) -> Vec<f64> {
    let factor = style::dash_zoom_factor(zoom) * scale;
    pattern_px
        .iter()
        .map(|length| f64::from(length * factor))
        .collect()
}

fn solid_paint(colour: Rgb8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(colour.to_skia());
    paint.anti_alias = true;
    paint
}

/// A small opaque tile of the playa tint with one diagonal hatch line.
fn playa_hatch_pixmap(scale: f32) -> Option<Pixmap> {
    let spacing_px = (style::PLAYA_HATCH_SPACING_PX * scale).round().max(3.0) as u32;
    let mut pattern = Pixmap::new(spacing_px, spacing_px)?;
    pattern.fill(style::PLAYA_FILL.to_skia());
    let line_width_px = scale.round().max(1.0) as u32;
    let hatch = style::PLAYA_HATCH;
    let pixels = pattern.pixels_mut();
    for row in 0..spacing_px {
        for offset in 0..line_width_px {
            // One anti-diagonal line per pattern tile (x + y ≡ -1 mod spacing), thickened for HiDPI.
            let column = (spacing_px - 1 - row + offset) % spacing_px;
            let index = (row * spacing_px + column) as usize;
            if let Some(pixel) = pixels.get_mut(index) {
                *pixel =
                    tiny_skia::ColorU8::from_rgba(hatch.r, hatch.g, hatch.b, 255).premultiply();
            }
        }
    }
    Some(pattern)
}

/// Paint that repeats `hatch`, aligned to global pixels so neighbouring tiles join up.
fn hatch_paint<'a>(hatch: &'a Pixmap, frame: &Frame) -> Paint<'a> {
    let period = f64::from(hatch.width());
    let shift_x = -(frame.projection.origin_x_px.rem_euclid(period)) as f32;
    let shift_y = -(frame.projection.origin_y_px.rem_euclid(period)) as f32;
    let mut paint = Paint {
        shader: Pattern::new(
            hatch.as_ref(),
            SpreadMode::Repeat,
            FilterQuality::Nearest,
            1.0,
            Transform::from_translate(shift_x, shift_y),
        ),
        ..Paint::default()
    };
    paint.anti_alias = true;
    paint
}

/// Fills the polygon features that pass `include` and overlap the tile, as one even-odd path.
fn fill_features(
    pixmap: &mut Pixmap,
    layer: &GeometryLayer,
    frame: &Frame,
    scratch: &mut Scratch,
    include: impl Fn(&Feature) -> bool,
    paint: &Paint<'_>,
) {
    let mut builder = PathBuilder::new();
    let clip = &frame.fill_clip_world;
    for feature in &layer.features {
        if !feature.bounds.intersects(clip) || !include(feature) {
            continue;
        }
        for part in layer.feature_parts(feature) {
            if !part.bounds.intersects(clip) || frame.is_speck(&part.bounds) {
                continue;
            }
            let inside = clip.contains(&part.bounds);
            let points = if inside {
                layer.part_points(part)
            } else {
                collapsed_ring(layer, part, clip, &mut scratch.world);
                &scratch.world
            };
            project_thinned(
                points,
                &frame.projection,
                style::simplify_tolerance_px(frame.zoom),
                true,
                &mut scratch.projected,
            );
            if scratch.projected.len() < 3 {
                continue;
            }
            if inside {
                append_ring(&mut builder, &scratch.projected);
            } else {
                clip_ring(
                    &scratch.projected,
                    &frame.fill_clip_px,
                    &mut scratch.clipped,
                    &mut scratch.clip_work,
                );
                append_ring(&mut builder, &scratch.clipped);
            }
        }
    }
    if let Some(path) = builder.finish() {
        pixmap.fill_path(&path, paint, FillRule::EvenOdd, Transform::identity(), None);
    }
}

/// Strokes the line features (or polygon outlines, with `closed`) that pass `include`.
fn stroke_features(
    pixmap: &mut Pixmap,
    layer: &GeometryLayer,
    frame: &Frame,
    scratch: &mut Scratch,
    include: impl Fn(&Feature) -> bool,
    closed: bool,
    line: &LineStyle,
) {
    if line.width_px.is_nan() || line.width_px <= 0.0 {
        return;
    }
    let mut builder = PathBuilder::new();
    let Scratch {
        world,
        projected,
        piece,
        ..
    } = scratch;
    let clip = &frame.line_clip_world;
    let mut draw = |points: &[WorldPoint], start_length_px: f64| {
        project_thinned(
            points,
            &frame.projection,
            style::simplify_tolerance_px(frame.zoom),
            closed,
            projected,
        );
        clip_polyline(
            projected,
            closed,
            &frame.line_clip_px,
            piece,
            |points, start| match &line.dash_px {
                Some(pattern) => {
                    append_dashed(&mut builder, points, start_length_px + start, pattern);
                }
                None => append_polyline(&mut builder, points),
            },
        );
    };
    for feature in &layer.features {
        if !feature.bounds.intersects(clip) || !include(feature) {
            continue;
        }
        for part in layer.feature_parts(feature) {
            if !part.bounds.intersects(clip) || frame.is_speck(&part.bounds) {
                continue;
            }
            if closed {
                collapsed_ring(layer, part, clip, world);
                draw(world, 0.0);
            } else {
                visible_runs(layer, part, clip, |points, start_length| {
                    draw(points, start_length * frame.projection.world_size_px);
                });
            }
        }
    }
    let Some(path) = builder.finish() else {
        return;
    };
    let stroke = Stroke {
        width: line.width_px,
        line_cap: if line.round_ends {
            LineCap::Round
        } else {
            LineCap::Butt
        },
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    pixmap.stroke_path(
        &path,
        &solid_paint(line.colour),
        &stroke,
        Transform::identity(),
        None,
    );
}

/// Converts the pixmap to a straight-alpha tile image.
fn finish(pixmap: Pixmap, has_data: bool) -> TileImage {
    let size_px = pixmap.width();
    let mut rgba = pixmap.take();
    // Everything drawn is opaque, so this is normally a no-op; it keeps the promise of
    // straight alpha if a translucent style colour is ever introduced.
    for pixel in rgba.chunks_exact_mut(4) {
        if let [r, g, b, alpha] = pixel
            && *alpha != 255
            && *alpha != 0
        {
            let a = u16::from(*alpha);
            for channel in [r, g, b] {
                *channel = ((u16::from(*channel) * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
    TileImage {
        size_px,
        rgba,
        has_data,
    }
}
