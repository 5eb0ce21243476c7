//! What is drawn over the map besides the data: the legend, scale bar, date stamp, locator
//! inset and attribution (placed by [`slide_layout`](super::slide_layout)), and the notice
//! where the offline basemap's detail ends; and the zoom buttons.

use super::furniture;
use super::slide_layout::{Corner, FurnitureLayout, FurnitureSizes};
use crate::geometry::GeoBounds;
use crate::settings::MapLayerVisibility;
use crate::state::AppState;
use crate::style;
use egui::{Align, Layout, Rect, UiBuilder, Vec2, vec2};
use walkers::Projector;

/// What is drawn over the map besides the data: differs between the desk, presentations and
/// exported images.
#[derive(Clone, Debug, PartialEq)]
pub struct MapChrome {
    /// Zoom buttons (hidden in presentations and exports).
    pub zoom_controls: bool,
    pub legend: bool,
    pub scale_bar: bool,
    /// The locator inset.
    pub inset: bool,
    /// "Map made … · information as of …".
    pub date_stamp: Option<String>,
    /// Size of the furniture: 1 at the desk, larger on a projector.
    pub furniture_scale: f32,
    /// Space kept free at the top (a title banner) and bottom (a caveat line), in points.
    pub inset_top: f32,
    pub inset_bottom: f32,
    /// The case's markers may be dragged to move their strikes (at the desk, never on a slide).
    pub move_case_markers: bool,
}

impl Default for MapChrome {
    fn default() -> Self {
        Self {
            zoom_controls: true,
            legend: true,
            scale_bar: true,
            inset: true,
            date_stamp: None,
            furniture_scale: 1.0,
            inset_top: 0.0,
            inset_bottom: 0.0,
            move_case_markers: false,
        }
    }
}

impl MapChrome {
    /// The gap between the map's edge and the furniture, and between pieces.
    pub fn margin(&self) -> f32 {
        8.0 * self.furniture_scale
    }

    /// The part of `viewport` the furniture may use: less the insets and the margin.
    pub fn furniture_area(&self, viewport: Rect) -> Rect {
        Rect::from_min_max(
            viewport.min + vec2(0.0, self.inset_top),
            viewport.max - vec2(0.0, self.inset_bottom),
        )
        .shrink(self.margin())
    }
}

/// The text size of the attribution line, in points.
const ATTRIBUTION_TEXT_SIZE: f32 = 12.0;
const ATTRIBUTION_SPACING: f32 = 10.0;

/// How large each piece of furniture will be on this map (the legend as large as it can get,
/// listing everything that may be shown).
pub fn measure(
    painter: &egui::Painter,
    state: &AppState,
    visibility: MapLayerVisibility,
    chrome: &MapChrome,
    attribution: &[(String, String)],
    viewport: Rect,
) -> FurnitureSizes {
    let scale = chrome.furniture_scale;
    let legend = chrome
        .legend
        .then(|| {
            let rows =
                furniture::legend_rows(state, visibility.provinces, visibility.uncertainty, None);
            furniture::legend_size(painter, &rows, scale)
        })
        .flatten();
    let attribution_size = (!attribution.is_empty()).then(|| {
        let font = egui::FontId::proportional(ATTRIBUTION_TEXT_SIZE * scale);
        let mut width = 0.0;
        let mut height: f32 = 0.0;
        for (text, _) in attribution {
            let size = painter
                .layout_no_wrap(text.clone(), font.clone(), style::LABEL_TEXT)
                .size();
            width += size.x;
            height = height.max(size.y);
        }
        let gaps = ATTRIBUTION_SPACING * attribution.len().saturating_sub(1) as f32;
        vec2(width + gaps + 12.0 + 2.0, height + 4.0 + 2.0)
    });
    FurnitureSizes {
        stamp: chrome
            .date_stamp
            .as_ref()
            .map(|stamp| furniture::date_stamp_size(painter, stamp, scale)),
        scale_bar: chrome
            .scale_bar
            .then(|| furniture::scale_bar_size(painter, scale)),
        legend,
        inset: chrome
            .inset
            .then(|| super::inset::inset_size(viewport.width())),
        attribution: attribution_size,
        top_left_reserved: chrome.zoom_controls.then(|| Vec2::new(34.0, 68.0)),
    }
}

/// The legend, scale bar and date stamp where the layout puts them; the legend lists only what
/// is in `view`.
pub fn paint_furniture(
    ui: &egui::Ui,
    layout: &FurnitureLayout,
    projector: &Projector,
    state: &AppState,
    visibility: MapLayerVisibility,
    chrome: &MapChrome,
    view: Option<GeoBounds>,
) {
    let painter = ui.painter();
    let scale = chrome.furniture_scale;
    if let (Some(stamp), Some(rect)) = (&chrome.date_stamp, layout.stamp) {
        furniture::paint_date_stamp(painter, rect.min, stamp, scale);
    }
    if let Some(rect) = layout.scale_bar {
        let center = projector.unproject(rect.center().to_vec2());
        let pixels_per_metre = f64::from(projector.scale_pixel_per_meter(center));
        if pixels_per_metre.is_finite() && pixels_per_metre > 0.0 {
            furniture::paint_scale_bar(painter, rect.left_bottom(), pixels_per_metre, scale);
        }
    }
    if let Some(rect) = layout.legend {
        let rows =
            furniture::legend_rows(state, visibility.provinces, visibility.uncertainty, view);
        let size = furniture::legend_size(painter, &rows, scale).unwrap_or(Vec2::ZERO);
        // A shorter legend than measured keeps to its corner's edges.
        let corner = layout.legend_corner;
        let left = if matches!(corner, Corner::TopLeft | Corner::BottomLeft) {
            rect.left()
        } else {
            rect.right() - size.x
        };
        let top = if matches!(corner, Corner::TopLeft | Corner::TopRight) {
            rect.top()
        } else {
            rect.bottom() - size.y
        };
        let top_left = egui::pos2(left, top);
        let drawn = furniture::paint_legend(painter, top_left, &rows, scale);
        // The legend as one accessible node, so screen readers (and tests) can read it.
        let description = std::iter::once("Legend".to_owned())
            .chain(rows.into_iter().map(|(_, text)| text))
            .collect::<Vec<_>>()
            .join("; ");
        if drawn.is_positive() {
            let response = ui.interact(drawn, ui.scope_id().with("legend"), egui::Sense::hover());
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &description));
        }
    }
}

/// The credit lines of the basemap and the data in their place, always visible, clickable.
pub fn attribution_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    lines: Vec<(String, String)>,
    chrome: &MapChrome,
) {
    let mut overlay = ui.new_child(
        UiBuilder::new()
            .max_rect(rect)
            .layout(Layout::bottom_up(Align::Max)),
    );
    egui::Frame::new()
        .fill(egui::Color32::from_rgba_unmultiplied(255, 255, 255, 215))
        .inner_margin(egui::Margin::symmetric(6, 2))
        .corner_radius(3.0)
        .show(&mut overlay, |ui| {
            ui.spacing_mut().item_spacing.x = ATTRIBUTION_SPACING;
            ui.horizontal(|ui| {
                for (text, url) in lines {
                    let text = egui::RichText::new(text)
                        .size(ATTRIBUTION_TEXT_SIZE * chrome.furniture_scale);
                    if url.is_empty() {
                        ui.label(text);
                    } else {
                        ui.hyperlink_to(text, url);
                    }
                }
            });
        });
}

/// The notice that the offline basemap has no more detail to give at this zoom.
pub const DETAIL_ENDS_NOTICE: &str = "Offline detail ends at about 1:10M; open a detailed basemap for more (File menu, Open basemap…)";

/// Says where the offline map's detail ends (the free rectangle's top centre), when the map is
/// zoomed past it and no other basemap is drawn.
pub fn detail_ends_notice_ui(ui: &egui::Ui, free: Rect, zoom: f64, detail_ends_at_zoom: f64) {
    if zoom < detail_ends_at_zoom {
        return;
    }
    let painter = ui.painter();
    let galley = painter.layout_no_wrap(
        DETAIL_ENDS_NOTICE.to_owned(),
        egui::FontId::proportional(13.0),
        style::LABEL_TEXT,
    );
    let size = galley.size() + vec2(12.0, 6.0);
    let rect = Rect::from_center_size(
        egui::pos2(free.center().x, free.top() + 8.0 + size.y / 2.0),
        size,
    );
    painter.rect_filled(rect, 3.0, style::FURNITURE_BACKGROUND);
    painter.galley(rect.min + vec2(6.0, 3.0), galley, style::LABEL_TEXT);
    let response = ui.interact(
        rect,
        ui.scope_id().with("detail-ends"),
        egui::Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, DETAIL_ENDS_NOTICE));
}

/// The words at the map's edge where the view reaches past ±180°.
pub const ANTIMERIDIAN_NOTE: &str = "180° — the map ends here and does not wrap";

/// The map does not wrap around the globe: where the view reaches past ±180°, a line marks the
/// edge and a note says so, so the grey beyond is not taken for missing data.
pub fn antimeridian_edge_ui(ui: &egui::Ui, map_rect: Rect, projector: &Projector) {
    let painter = ui.painter();
    for (lon, align) in [
        (180.0, egui::Align2::LEFT_TOP),
        (-180.0, egui::Align2::RIGHT_TOP),
    ] {
        let x = projector.project(walkers::lat_lon(0.0, lon)).x;
        if !(map_rect.left() + 1.0..map_rect.right() - 1.0).contains(&x) {
            continue;
        }
        painter.line_segment(
            [
                egui::pos2(x, map_rect.top()),
                egui::pos2(x, map_rect.bottom()),
            ],
            egui::Stroke::new(1.5, style::FURNITURE_OUTLINE),
        );
        let offset = if lon > 0.0 { 6.0 } else { -6.0 };
        let at = egui::pos2(x + offset, map_rect.center().y);
        let rect = painter.text(
            at,
            align,
            ANTIMERIDIAN_NOTE,
            egui::FontId::proportional(12.0),
            style::NO_DATA_HINT,
        );
        let response = ui.interact(
            rect,
            ui.scope_id().with(("antimeridian", x as i32)),
            egui::Sense::hover(),
        );
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, ANTIMERIDIAN_NOTE));
    }
}

impl super::MapView {
    /// Zoom buttons at the top-left of the map, and the + and - keys.
    pub(super) fn zoom_controls_ui(&mut self, ui: &mut egui::Ui, map_rect: Rect) {
        let mut zoom_by = 0.0;
        let mut overlay = ui.new_child(
            UiBuilder::new()
                .max_rect(map_rect.shrink(8.0))
                .layout(Layout::top_down(Align::Min)),
        );
        for (text, name, delta) in [("+", "Zoom in", 1.0), ("-", "Zoom out", -1.0)] {
            let button = overlay.add(
                egui::Button::new(egui::RichText::new(text).size(18.0).strong())
                    .min_size(egui::vec2(30.0, 30.0)),
            );
            button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
            if button
                .on_hover_text(format!("{name} (key {text})"))
                .clicked()
            {
                zoom_by = delta;
            }
        }
        if !ui.ctx().egui_wants_keyboard_input() {
            ui.input(|input| {
                if input.key_pressed(egui::Key::Plus) || input.key_pressed(egui::Key::Equals) {
                    zoom_by = 1.0;
                }
                if input.key_pressed(egui::Key::Minus) {
                    zoom_by = -1.0;
                }
            });
        }
        if zoom_by != 0.0 {
            let zoom = (self.memory.zoom() + zoom_by).clamp(super::MIN_ZOOM, super::MAX_ZOOM);
            let _ = self.memory.set_zoom(zoom);
            ui.ctx().request_repaint();
        }
    }
}
