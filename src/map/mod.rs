//! The map view: a walkers map with the province and strike layers drawn on top, the
//! attribution, and the selection by click. Thin: it reads [`AppState`] and returns
//! [`Command`]s.

pub mod basemap;
pub mod flight;
pub mod furniture;
pub mod hit_test;
pub mod labels;
pub mod layers;
pub mod offline_tiles;
pub mod overlays;
pub mod table_layer;

use crate::geometry::frame_bounds;
use crate::model::LonLat;
use crate::settings::{MapLayerVisibility, SavedView};
use crate::state::{AppState, Command, ViewRequest};
use crate::style;
use egui::{Align, Layout, Rect, UiBuilder};
use flight::{Flight, zoom_to_show_radius};
use walkers::{MapMemory, Position, Projector, lat_lon};

pub use basemap::Basemap;
pub use layers::ProvinceLayer;
pub use offline_tiles::OfflineTiles;

/// Zooms the map may take when framing data.
pub const FRAMING_ZOOM_RANGE: (f64, f64) = (3.0, 12.0);
/// The zoom range the controls allow.
pub const MIN_ZOOM: f64 = 2.0;
pub const MAX_ZOOM: f64 = 16.0;
/// Zoom used when centring on a single event.
pub const EVENT_ZOOM: f64 = 8.0;

pub fn to_position(point: LonLat) -> Position {
    lat_lon(point.lat, point.lon)
}

/// Everything the map keeps between frames.
pub struct MapView {
    pub memory: MapMemory,
    pub basemap: Basemap,
    provinces: ProvinceLayer,
    /// The screen rectangle of the map in the last frame (for tests and framing).
    pub last_rect: Rect,
    /// A camera flight under way (presentations).
    flight: Option<Flight>,
    overlays: overlays::OverlayPainter,
}

/// What is drawn over the map besides the data: differs between the desk, presentations and
/// exported images.
#[derive(Clone, Debug, PartialEq)]
pub struct MapChrome {
    /// Zoom buttons (hidden in presentations and exports).
    pub zoom_controls: bool,
    pub legend: bool,
    pub scale_bar: bool,
    /// "Map made … · information as of …".
    pub date_stamp: Option<String>,
    /// Size of the furniture: 1 at the desk, larger on a projector.
    pub furniture_scale: f32,
    /// Space kept free at the top (a title banner) and bottom (a caveat line), in points.
    pub inset_top: f32,
    pub inset_bottom: f32,
}

impl Default for MapChrome {
    fn default() -> Self {
        Self {
            zoom_controls: true,
            legend: true,
            scale_bar: true,
            date_stamp: None,
            furniture_scale: 1.0,
            inset_top: 0.0,
            inset_bottom: 0.0,
        }
    }
}

impl MapView {
    pub fn new(state: &AppState, basemap: Basemap) -> Self {
        let mut memory = MapMemory::default();
        // A sane view until the first frame frames the data.
        if let Some(bounds) = state.overview_bounds() {
            memory.center_at(to_position(LonLat {
                lon: (bounds.min.lon + bounds.max.lon) / 2.0,
                lat: (bounds.min.lat + bounds.max.lat) / 2.0,
            }));
            let _ = memory.set_zoom(5.0);
        }
        Self {
            memory,
            basemap,
            provinces: ProvinceLayer::new(&state.provinces),
            last_rect: Rect::NOTHING,
            flight: None,
            overlays: overlays::OverlayPainter::default(),
        }
    }

    /// The view as it is now, for saving.
    pub fn current_view(&self) -> Option<SavedView> {
        let center = self.memory.detached()?;
        Some(SavedView {
            lon: center.x(),
            lat: center.y(),
            zoom: self.memory.zoom(),
        })
    }

    /// A projector for the map as drawn in the last frame: the screen position of every place.
    pub fn projector(&self) -> Projector<'_> {
        Projector::new(
            self.last_rect,
            &walkers::MercatorProjection,
            &self.memory,
            self.fallback_position(),
        )
    }

    fn fallback_position(&self) -> Position {
        self.memory.detached().unwrap_or(lat_lon(27.5, 63.5))
    }

    /// True while the camera is flying.
    pub fn is_flying(&self) -> bool {
        self.flight.is_some()
    }

    fn current_center(&self) -> LonLat {
        let position = self.fallback_position();
        LonLat {
            lon: position.x(),
            lat: position.y(),
        }
    }

    fn apply_view_request(&mut self, request: ViewRequest, viewport: Rect, now_secs: f64) {
        match request {
            ViewRequest::FlyTo { center, radius_km } => {
                let zoom = zoom_to_show_radius(
                    center,
                    radius_km,
                    f64::from(viewport.height()),
                    FRAMING_ZOOM_RANGE,
                );
                self.flight = Some(Flight {
                    from: (self.current_center(), self.memory.zoom()),
                    to: (center, zoom),
                    start_secs: now_secs,
                });
            }
            ViewRequest::Fit(bounds) => {
                let framing = frame_bounds(
                    bounds,
                    (f64::from(viewport.width()), f64::from(viewport.height())),
                    f64::from(style::FIT_PADDING),
                    FRAMING_ZOOM_RANGE,
                );
                self.memory.center_at(to_position(framing.center));
                let _ = self.memory.set_zoom(framing.zoom);
            }
            ViewRequest::Show { center, zoom } => {
                self.memory.center_at(to_position(center));
                let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
            }
            ViewRequest::CenterOn(point) => {
                self.memory.center_at(to_position(point));
                if self.memory.zoom() < EVENT_ZOOM - 2.0 {
                    let _ = self.memory.set_zoom(EVENT_ZOOM - 2.0);
                }
            }
        }
    }

    /// Draws the map into the whole of `ui` and returns what the user asked for; a view change
    /// asked for by a command is carried out first.
    pub fn map_ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        visibility: MapLayerVisibility,
        view_request: Option<ViewRequest>,
        chrome: &MapChrome,
    ) -> Vec<Command> {
        let viewport = ui.available_rect_before_wrap();
        let now_secs = ui.input(|input| input.time);
        if let Some(request) = view_request {
            self.flight = None;
            let framed = Rect::from_min_max(
                viewport.min + egui::vec2(0.0, chrome.inset_top),
                viewport.max - egui::vec2(0.0, chrome.inset_bottom),
            );
            self.apply_view_request(request, framed, now_secs);
        }
        if let Some(flight) = self.flight {
            let ((center, zoom), done) = flight.view_at(now_secs);
            self.memory.center_at(to_position(center));
            let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
            if done {
                self.flight = None;
            } else {
                ui.ctx().request_repaint();
            }
        }
        ui.painter()
            .rect_filled(viewport, 0.0, style::MAP_BACKGROUND);

        let mut commands = Vec::new();
        let fallback = self.fallback_position();
        let provinces = &self.provinces;
        let overlay_painter = &mut self.overlays;
        let state_ref: &AppState = state;
        let attribution = self.basemap.attribution_lines();
        let offline_labels = !self.basemap.choice().is_online() && visibility.basemap_labels;
        let (offline, online) = self.basemap.layers();
        let mut map = walkers::Map::new(Some(offline), &mut self.memory, fallback)
            .double_click_to_zoom(true)
            .zoom_with_ctrl(false);
        if let Some(online) = online {
            map = map.with_layer(online, 1.0);
        }
        let response = map.show(ui, |ui, response, projector, _memory| {
            if visibility.provinces {
                provinces.paint(ui.painter(), projector);
            }
            overlay_painter.paint(ui.painter(), projector, state_ref);
            if let Some(border) = &state_ref.border {
                layers::paint_border(ui.painter(), projector, border);
            }
            let markers = layers::screen_markers(projector, state_ref);
            if visibility.uncertainty {
                layers::paint_uncertainty(ui.painter(), projector, state_ref, &markers);
            }
            let marker_boxes: Vec<Rect> = markers
                .iter()
                .map(|drawn| {
                    Rect::from_center_size(
                        drawn.marker.center,
                        egui::Vec2::splat(2.0 * drawn.marker.radius),
                    )
                })
                .collect();
            let mut label_candidates = if visibility.provinces {
                provinces.label_candidates()
            } else {
                Vec::new()
            };
            if offline_labels {
                label_candidates.extend(labels::basemap_candidates(projector.zoom()));
            }
            labels::paint_labels(ui.painter(), projector, &label_candidates, &marker_boxes);
            if let Some(event) = state_ref.selected()
                && let Some(distance) = state_ref.border_distance(event)
            {
                layers::paint_border_distance(ui.painter(), projector, event.position, &distance);
            }
            let table_commands = table_layer::table_layers_ui(
                ui,
                response,
                projector,
                state_ref,
                visibility.uncertainty,
            );
            let mut marker_commands = layers::strike_markers_ui(ui, response, &markers, state_ref);
            // A strike marker drawn on top wins over a table row under it.
            if marker_commands.is_empty() {
                marker_commands = table_commands;
            }
            // A click that hit no marker may hit an overlay feature.
            if marker_commands.is_empty()
                && response.clicked()
                && let Some(pointer) = response.interact_pointer_pos()
                && let Some(command) = overlay_click(projector, pointer, state_ref)
            {
                commands.push(command);
            }
            commands.extend(marker_commands);
            no_offline_data_hint_ui(ui, response.rect, projector);
            furniture_ui(ui, response.rect, projector, state_ref, visibility, chrome);
            attribution_ui(ui, response.rect, attribution, chrome);
        });
        self.last_rect = response.response.rect;
        if chrome.zoom_controls {
            self.zoom_controls_ui(ui, response.response.rect);
        }
        commands
    }
}

impl MapView {
    /// Zoom buttons at the top-left of the map, and the + and - keys.
    fn zoom_controls_ui(&mut self, ui: &mut egui::Ui, map_rect: Rect) {
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
            let zoom = (self.memory.zoom() + zoom_by).clamp(MIN_ZOOM, MAX_ZOOM);
            let _ = self.memory.set_zoom(zoom);
            ui.ctx().request_repaint();
        }
    }
}

/// The top-most overlay feature under a click (within a few pixels), as a selection.
fn overlay_click(projector: &Projector, pointer: egui::Pos2, state: &AppState) -> Option<Command> {
    let at = projector.unproject(pointer.to_vec2());
    let beside =
        projector.unproject((pointer + egui::vec2(style::HIT_TOLERANCE + 2.0, 0.0)).to_vec2());
    let tolerance_deg = (beside.x() - at.x()).abs();
    let point = LonLat {
        lon: at.x(),
        lat: at.y(),
    };
    state
        .overlays()
        .rev()
        .filter(|(layer, _)| layer.look.visible)
        .find_map(|(layer, overlay)| {
            overlay
                .feature_at(point, tolerance_deg)
                .map(|feature| Command::SelectFeature(layer.id, feature.index))
        })
}

/// Where the view reaches past the offline data (44–78° E, 22–40° N), say so in that part.
fn no_offline_data_hint_ui(ui: &mut egui::Ui, map_rect: Rect, projector: &Projector) {
    let Ok(data) = offline_tiles::natural_earth() else {
        return;
    };
    let region = data.region();
    let corner = |lon: f64, lat: f64| projector.project(lat_lon(lat, lon)).to_pos2();
    let region_rect = Rect::from_two_pos(
        corner(region.west, region.north),
        corner(region.east, region.south),
    );
    let text = format!(
        "No offline map data here (the offline basemap covers {:.0}–{:.0}° E, {:.0}–{:.0}° N)",
        region.west, region.east, region.south, region.north
    );
    let strips = [
        Rect::from_min_max(map_rect.min, egui::pos2(map_rect.max.x, region_rect.top())),
        Rect::from_min_max(
            egui::pos2(map_rect.min.x, region_rect.bottom()),
            map_rect.max,
        ),
        Rect::from_min_max(map_rect.min, egui::pos2(region_rect.left(), map_rect.max.y)),
        Rect::from_min_max(
            egui::pos2(region_rect.right(), map_rect.min.y),
            map_rect.max,
        ),
    ];
    let painter = ui.painter();
    let font = egui::FontId::proportional(14.0);
    let width = painter
        .layout_no_wrap(text.clone(), font.clone(), style::LABEL_TEXT)
        .size()
        .x;
    for strip in strips {
        let strip = strip.intersect(map_rect);
        if strip.height() >= 40.0 && strip.width() >= width + 20.0 {
            painter.text(
                strip.center(),
                egui::Align2::CENTER_CENTER,
                &text,
                font.clone(),
                style::NO_DATA_HINT,
            );
            return;
        }
    }
}

/// Legend, scale bar and date stamp at the bottom-left of the map.
fn furniture_ui(
    ui: &egui::Ui,
    map_rect: Rect,
    projector: &Projector,
    state: &AppState,
    visibility: MapLayerVisibility,
    chrome: &MapChrome,
) {
    let painter = ui.painter();
    let scale = chrome.furniture_scale;
    let margin = 8.0 * scale;
    let mut bottom_left = egui::pos2(
        map_rect.left() + margin,
        map_rect.bottom() - chrome.inset_bottom - margin,
    );
    if let Some(stamp) = &chrome.date_stamp {
        let rect = furniture::paint_date_stamp(painter, bottom_left, stamp, scale);
        bottom_left.y = rect.top() - margin / 2.0;
    }
    if chrome.scale_bar {
        let center = projector.unproject(map_rect.center().to_vec2());
        let pixels_per_metre = f64::from(projector.scale_pixel_per_meter(center));
        if pixels_per_metre.is_finite() && pixels_per_metre > 0.0 {
            let rect = furniture::paint_scale_bar(painter, bottom_left, pixels_per_metre, scale);
            bottom_left.y = rect.top() - margin / 2.0;
        }
    }
    if chrome.legend {
        let rows = furniture::legend_rows(state, visibility.provinces, visibility.uncertainty);
        let rect = furniture::paint_legend(painter, bottom_left, &rows, scale);
        // The legend as one accessible node, so screen readers (and tests) can read it.
        let description = std::iter::once("Legend".to_owned())
            .chain(rows.into_iter().map(|(_, text)| text))
            .collect::<Vec<_>>()
            .join("; ");
        let response = ui.interact(rect, ui.scope_id().with("legend"), egui::Sense::hover());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &description));
    }
}

/// The credit lines of the basemap and the data, bottom-right, always visible, clickable.
fn attribution_ui(
    ui: &mut egui::Ui,
    map_rect: Rect,
    lines: Vec<(String, String)>,
    chrome: &MapChrome,
) {
    let inner = Rect::from_min_max(
        map_rect.min,
        map_rect.max - egui::vec2(0.0, chrome.inset_bottom),
    );
    let mut overlay = ui.new_child(
        UiBuilder::new()
            .max_rect(inner.shrink(4.0))
            .layout(Layout::bottom_up(Align::Max)),
    );
    egui::Frame::new()
        .fill(egui::Color32::from_rgba_unmultiplied(255, 255, 255, 215))
        .inner_margin(egui::Margin::symmetric(6, 2))
        .corner_radius(3.0)
        .show(&mut overlay, |ui| {
            ui.spacing_mut().item_spacing.x = 10.0;
            ui.horizontal(|ui| {
                for (text, url) in lines {
                    let text = egui::RichText::new(text).size(11.0 * chrome.furniture_scale);
                    if url.is_empty() {
                        ui.label(text);
                    } else {
                        ui.hyperlink_to(text, url);
                    }
                }
            });
        });
}
