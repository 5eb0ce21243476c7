//! The locator inset: a small overview map, about sixteen times the view's extent, drawn from
//! the offline basemap's tiles, with a box (or, when the box would be tiny, a cross) for the
//! ground the main map shows.

use crate::geometry::project_zoom0;
use crate::model::LonLat;
use crate::style;
use egui::{Color32, Rect, Stroke, Vec2, pos2, vec2};
use walkers::{Tile, TileId, Tiles};

/// How many zoom levels the inset is below the main map.
const LEVELS_OUT: f64 = 4.0;
/// The inset never zooms in further than this (it shows a region or more).
const MAX_INSET_ZOOM: f64 = 6.0;

/// The inset's size on a map of `map_width` points.
pub fn inset_size(map_width: f32) -> Vec2 {
    let width = (map_width * 0.2).clamp(140.0, 300.0);
    vec2(width, (width * 0.72).round())
}

/// The zoom the inset is drawn at for a main map at `zoom`: whole levels, so tiles are sharp.
pub fn inset_zoom(zoom: f64) -> u8 {
    (zoom - LEVELS_OUT).round().clamp(0.0, MAX_INSET_ZOOM) as u8
}

/// Where the main map's corners fall in the inset, as a rectangle in the inset's points.
pub fn view_box_in_inset(
    inset: Rect,
    inset_zoom: u8,
    center: LonLat,
    view_corners: (LonLat, LonLat),
) -> Rect {
    let scale = f64::from(1u32 << inset_zoom);
    let (cx, cy) = project_zoom0(center);
    let to_inset = |point: LonLat| {
        let (x, y) = project_zoom0(point);
        pos2(
            inset.center().x + ((x - cx) * scale) as f32,
            inset.center().y + ((y - cy) * scale) as f32,
        )
    };
    Rect::from_two_pos(to_inset(view_corners.0), to_inset(view_corners.1))
}

/// Paints the inset into `rect`, centred on `center`; `view_corners` are the main map's
/// north-west and south-east corners. Tiles not rendered yet are asked for and come in on a
/// later frame.
pub fn paint_inset(
    ui: &egui::Ui,
    rect: Rect,
    tiles: &mut dyn Tiles,
    main_zoom: f64,
    center: LonLat,
    view_corners: (LonLat, LonLat),
) {
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, style::MAP_BACKGROUND);
    let zoom = inset_zoom(main_zoom);
    let tiles_across = 1u32 << zoom;
    let scale = f64::from(tiles_across);
    let (cx, cy) = project_zoom0(center);
    let tile_px = 256.0;
    let origin_x = f64::from(rect.center().x) - cx * scale;
    let origin_y = f64::from(rect.center().y) - cy * scale;
    let first =
        |origin: f64, min: f32| ((f64::from(min) - origin) / tile_px).floor().max(0.0) as u32;
    let last = |origin: f64, max: f32| {
        (((f64::from(max) - origin) / tile_px).floor().max(0.0) as u32).min(tiles_across - 1)
    };
    for y in first(origin_y, rect.top())..=last(origin_y, rect.bottom()) {
        for x in first(origin_x, rect.left())..=last(origin_x, rect.right()) {
            let Some(piece) = tiles.at(TileId { x, y, zoom }) else {
                continue;
            };
            let Tile::Raster(texture) = &piece.tile;
            let min = pos2(
                (origin_x + f64::from(x) * tile_px) as f32,
                (origin_y + f64::from(y) * tile_px) as f32,
            );
            let tile_rect = Rect::from_min_size(min, Vec2::splat(tile_px as f32));
            painter.image(texture.id(), tile_rect, piece.uv, Color32::WHITE);
        }
    }
    let view = view_box_in_inset(rect, zoom, center, view_corners);
    let stroke = Stroke::new(2.0, style::INSET_VIEW_BOX);
    if view.width() < 8.0 || view.height() < 8.0 {
        let c = view.center();
        painter.line_segment([c - vec2(8.0, 0.0), c + vec2(8.0, 0.0)], stroke);
        painter.line_segment([c - vec2(0.0, 8.0), c + vec2(0.0, 8.0)], stroke);
    } else {
        painter.rect_stroke(view, 0.0, stroke, egui::StrokeKind::Middle);
    }
    ui.painter().rect_stroke(
        rect,
        2.0,
        Stroke::new(1.5, style::FURNITURE_OUTLINE),
        egui::StrokeKind::Outside,
    );
    let response = ui.interact(
        rect,
        ui.scope_id().with("locator-inset"),
        egui::Sense::hover(),
    );
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            "Locator map: where the view lies in the wider region",
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inset_shows_a_wider_area_in_whole_zoom_levels() {
        assert_eq!(inset_zoom(8.0), 4);
        assert_eq!(inset_zoom(2.0), 0);
        assert_eq!(inset_zoom(15.0), 6);
        assert_eq!(inset_size(1920.0), vec2(300.0, 216.0));
        assert_eq!(inset_size(400.0).x, 140.0);
    }

    #[test]
    fn the_view_box_is_centred_and_sixteen_times_smaller() {
        let inset = Rect::from_min_size(pos2(0.0, 0.0), vec2(200.0, 150.0));
        let center = LonLat {
            lon: 64.0,
            lat: 27.0,
        };
        // A main map 1024 points wide at zoom 8 spans 1024 / 256 / 2^8 of the world.
        let span = 360.0 * 1024.0 / (256.0 * 256.0);
        let corners = (
            LonLat {
                lon: 64.0 - span / 2.0,
                lat: 27.5,
            },
            LonLat {
                lon: 64.0 + span / 2.0,
                lat: 26.5,
            },
        );
        let view = view_box_in_inset(inset, inset_zoom(8.0), center, corners);
        assert!((view.width() - 64.0).abs() < 0.01, "{view:?}");
        assert!((view.center().x - 100.0).abs() < 0.01);
    }
}
