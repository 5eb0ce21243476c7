//! The map view: a walkers map with the province and strike layers drawn on top, the
//! attribution, and the selection by click. Thin: it reads [`AppState`] and returns
//! [`Command`]s.

pub mod annotation_handles;
pub mod annotations;
pub mod basemap;
pub mod chrome;
pub mod country_labels;
pub mod flight;
pub mod furniture;
pub mod hit_test;
pub mod imagery;
pub mod inset;
pub mod labels;
pub mod layers;
pub mod measure;
pub mod offline_tiles;
pub mod overlays;
pub mod slide_layout;
pub mod swipe;
pub mod table_layer;
mod view_requests;

use crate::model::LonLat;
use crate::settings::{MapLayerVisibility, SavedView, TileSourceChoice};
use crate::state::{AppState, Command, ViewRequest};
use crate::style;
use egui::Rect;
use flight::Flight;
use slide_layout::{Corner, FurnitureLayout};
use walkers::{MapMemory, Position, Projector, lat_lon};

pub use basemap::Basemap;
pub use chrome::MapChrome;
pub use layers::ProvinceLayer;
pub use offline_tiles::OfflineTiles;

/// Zooms the map may take when framing data.
pub const FRAMING_ZOOM_RANGE: (f64, f64) = (3.0, 12.0);
/// The closest framing on the offline map alone: a step short of where its detail ends, so a
/// strike known to a few kilometres is shown among its towns, not on an empty page.
pub const OFFLINE_FRAMING_MAX_ZOOM: f64 = DETAIL_ENDS_AT_ZOOM - 0.25;
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
    /// Imagery layers' windows and textures, read on worker threads.
    pub imagery: imagery::ImageryPainter,
    /// Where the legend is, and whether to look for a emptier corner once the markers of a new
    /// view are known.
    legend_corner: Corner,
    rechoose_legend_corner: bool,
    /// A view change waiting for the map's size to settle (the first frames of a window, and a
    /// window going full screen, have sizes that do not last).
    pending_request: Option<ViewRequest>,
    last_viewport: Rect,
    /// Flights animate (presentations); exports jump straight to the view.
    pub animate_flights: bool,
    /// What the last frame drew, for layout tests: the furniture, the selected strike's focus
    /// (marker, circle, border line and labels) and every label's box.
    pub last_layout: Option<FurnitureLayout>,
    pub last_focus: Option<Rect>,
    pub last_labels: Vec<Rect>,
    /// The strikes' markers, circles and labels, and the country labels, of the last frame.
    pub last_marks: country_labels::DrawnMarks,
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
            imagery: imagery::ImageryPainter::default(),
            legend_corner: Corner::BottomLeft,
            rechoose_legend_corner: true,
            pending_request: None,
            last_viewport: Rect::NOTHING,
            animate_flights: true,
            last_layout: None,
            last_focus: None,
            last_labels: Vec::new(),
            last_marks: country_labels::DrawnMarks::default(),
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

    /// Whether the last frame's view overlaps the box (west, south, east, north), in degrees.
    pub fn view_overlaps(&self, west: f64, south: f64, east: f64, north: f64) -> bool {
        if !self.last_rect.is_positive() {
            return true;
        }
        let Some(view) = view_bounds(&self.projector(), self.last_rect) else {
            return true;
        };
        view.min.lon <= east
            && west <= view.max.lon
            && view.min.lat <= north
            && south <= view.max.lat
    }

    /// True while the camera is flying or a view change waits to be carried out.
    pub fn is_flying(&self) -> bool {
        self.flight.is_some() || self.pending_request.is_some()
    }

    fn current_center(&self) -> LonLat {
        let position = self.fallback_position();
        LonLat {
            lon: position.x(),
            lat: position.y(),
        }
    }

    /// The zooms framing may choose: on the offline map alone, none past where its detail
    /// ends (a basemap file or an online source has more to show).
    pub fn framing_zoom_range(&self) -> (f64, f64) {
        match self.basemap.choice() {
            TileSourceChoice::Offline => (FRAMING_ZOOM_RANGE.0, OFFLINE_FRAMING_MAX_ZOOM),
            _ => FRAMING_ZOOM_RANGE,
        }
    }

    /// Draws the map into the whole of `ui` and returns what the user asked for; a view change
    /// asked for by a command is carried out first, framed in the room the furniture leaves.
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
        let attribution = self.basemap.attribution_lines();
        let area = chrome.furniture_area(viewport);
        let gap = chrome.margin() / 2.0;
        let sizes = chrome::measure(
            ui.painter(),
            state,
            visibility,
            chrome,
            &attribution,
            viewport,
        );
        if view_request.is_some() {
            self.pending_request = view_request;
        }
        let settled = viewport == self.last_viewport;
        self.last_viewport = viewport;
        if !settled && self.pending_request.is_some() {
            ui.ctx().request_repaint();
        }
        if settled && let Some(request) = self.pending_request.take() {
            self.flight = None;
            if matches!(
                request,
                ViewRequest::FlyTo { .. } | ViewRequest::FlyToBounds(_)
            ) {
                self.legend_corner = slide_layout::roomiest_corner(area, &sizes, gap);
            }
            let placed = slide_layout::layout(area, &sizes, self.legend_corner, gap);
            let free = slide_layout::largest_free_rect(area, &placed.rects());
            self.apply_view_request(request, viewport, free, now_secs);
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
        if !self.provinces.shows(&state.provinces) {
            self.provinces = ProvinceLayer::new(&state.provinces);
        }
        let provinces = &self.provinces;
        let overlay_painter = &mut self.overlays;
        let imagery_painter = &mut self.imagery;
        // At the desk (zoom buttons shown), never on a slide or an export.
        let interactive = chrome.zoom_controls;
        let state_ref: &AppState = state;
        let offline_only = matches!(self.basemap.choice(), TileSourceChoice::Offline);
        // Raster basemaps (online or from a file) carry their own names; vector files do not.
        let vector_file = self
            .basemap
            .file()
            .is_some_and(|file| file.info.tile_format.is_vector());
        let offline_labels = (offline_only || vector_file) && visibility.basemap_labels;
        let mut legend_corner = self.legend_corner;
        let rechoose = std::mem::take(&mut self.rechoose_legend_corner);
        let mut drawn = DrawnFrame::default();
        let (offline, online) = self.basemap.layers();
        let mut map = walkers::Map::new(Some(offline), &mut self.memory, fallback)
            .double_click_to_zoom(true)
            .zoom_with_ctrl(false);
        if let Some(online) = online {
            map = map.with_layer(online, 1.0);
        }
        let response = map.show(ui, |ui, response, projector, _memory| {
            let compare = state_ref.imagery_compare();
            let split = compare.map(|compare| swipe::split_x(&compare, response.rect));
            let ctx = ui.ctx().clone();
            imagery_painter.paint(&ctx, ui.painter(), projector, state_ref, split);
            if let Some(compare) = compare {
                commands.extend(swipe::swipe_bar_ui(
                    ui,
                    response.rect,
                    state_ref,
                    &compare,
                    interactive,
                ));
            }
            if visibility.provinces {
                provinces.paint(ui.painter(), projector);
            }
            overlay_painter.paint(ui.painter(), projector, state_ref);
            if let Some(border) = &state_ref.border {
                layers::paint_border(ui.painter(), projector, border);
            }
            let (at_desk, scale) = (chrome.move_case_markers, chrome.furniture_scale);
            annotations::paint_annotations(ui.painter(), projector, state_ref, at_desk, scale);
            let markers = layers::screen_markers(projector, state_ref);
            if visibility.uncertainty {
                layers::paint_uncertainty(ui.painter(), projector, state_ref, &markers);
            }
            if rechoose {
                let centers: Vec<egui::Pos2> =
                    markers.iter().map(|drawn| drawn.marker.center).collect();
                legend_corner =
                    slide_layout::emptiest_corner(area, &sizes, gap, &centers, legend_corner);
            }
            let placed = slide_layout::layout(area, &sizes, legend_corner, gap);
            let mut reserved = placed.rects();
            let marker_boxes: Vec<Rect> = markers
                .iter()
                .map(|drawn| {
                    Rect::from_center_size(
                        drawn.marker.center,
                        egui::Vec2::splat(2.0 * drawn.marker.radius),
                    )
                })
                .collect();
            reserved.extend(marker_boxes.iter().copied());
            let mut focus = None;
            if let Some(event) = state_ref.selected() {
                let marker = projector.project(to_position(event.position)).to_pos2();
                let marker_box = Rect::from_center_size(
                    marker,
                    egui::Vec2::splat(2.0 * style::MARKER_RADIUS_SELECTED),
                );
                let mut rect = marker_box;
                if visibility.uncertainty {
                    let radius = layers::radius_px(projector, event);
                    rect = rect.union(Rect::from_center_size(
                        marker,
                        egui::Vec2::splat(2.0 * radius),
                    ));
                }
                if let Some(distance) = state_ref.border_distance(event) {
                    let drawn_line = layers::paint_border_distance(
                        ui.painter(),
                        projector,
                        event.position,
                        &distance,
                    );
                    for part in drawn_line {
                        rect = rect.union(part);
                        reserved.push(part);
                    }
                }
                focus = Some(rect);
            }
            let strike_labels = strike_labels(&markers, state_ref);
            let mut label_boxes =
                labels::paint_strike_labels(ui.painter(), &strike_labels, &reserved);
            if let (Some(rect), Some(first)) = (&mut focus, strike_labels.first())
                && state_ref.selected().is_some()
                && let Some(placed_label) = label_boxes
                    .iter()
                    .find(|spot| spot.expand(8.0).intersects(first.marker))
            {
                *rect = rect.union(*placed_label);
            }
            reserved.extend(label_boxes.iter().copied());
            let strikes: Vec<country_labels::StrikeMark> = markers
                .iter()
                .zip(&marker_boxes)
                .map(|(drawn, marker)| country_labels::StrikeMark {
                    marker: *marker,
                    center: drawn.marker.center,
                    circle_radius: if visibility.uncertainty {
                        layers::radius_px(projector, drawn.event)
                    } else {
                        0.0
                    },
                })
                .collect();
            let strike_label_boxes = label_boxes.clone();
            let view = view_bounds(projector, response.rect);
            let mut label_candidates = if visibility.provinces {
                provinces.label_candidates()
            } else {
                Vec::new()
            };
            if offline_labels && offline_tiles::natural_earth_is_ready() {
                let samples = sample_points(projector, response.rect, &placed.rects());
                // The country the selected strike hit is named on its slide.
                let target = state_ref
                    .selected()
                    .map(|event| event.properties.target_country.as_str());
                label_candidates.extend(labels::basemap_candidates_in_view(
                    projector.zoom(),
                    view,
                    &samples,
                    target,
                ));
            }
            let painted = labels::paint_labels(
                ui.painter(),
                projector,
                &label_candidates,
                &reserved,
                &strikes,
            );
            label_boxes.extend(painted.boxes);
            let table_commands = table_layer::table_layers_ui(
                ui,
                response,
                projector,
                state_ref,
                visibility.uncertainty,
            );
            let movable = chrome.move_case_markers && !state_ref.case().read_only;
            let mut marker_commands =
                layers::strike_markers_ui(ui, response, projector, &markers, state_ref, movable);
            // A strike marker drawn on top wins over a table row under it.
            if marker_commands.is_empty() {
                marker_commands = table_commands;
            }
            if state_ref.case().placing {
                marker_commands = hit_test::placing_click(projector, response);
            }
            if chrome.move_case_markers {
                commands.extend(annotation_handles::handles_ui(ui, projector, state_ref));
            }
            if state_ref.annotation_draft().is_some() && chrome.move_case_markers {
                marker_commands = annotations::draft_ui(ui, response, projector, state_ref);
            }
            if let Some(measured) = state_ref.measurement().filter(|_| chrome.move_case_markers) {
                let tool = measure::measure_ui(ui, response, projector, measured);
                if measured.is_adding() {
                    marker_commands = tool;
                } else {
                    commands.extend(tool);
                }
            }
            // A click that hit no marker may hit an overlay feature.
            if marker_commands.is_empty()
                && response.clicked()
                && let Some(pointer) = response.interact_pointer_pos()
                && let Some(command) = hit_test::overlay_click(projector, pointer, state_ref)
            {
                commands.push(command);
            }
            commands.extend(marker_commands);
            chrome::antimeridian_edge_ui(ui, response.rect, projector);
            if offline_only {
                let free = slide_layout::largest_free_rect(area, &placed.rects());
                chrome::detail_ends_notice_ui(ui, free, projector.zoom(), DETAIL_ENDS_AT_ZOOM);
            }
            chrome::paint_furniture(ui, &placed, projector, state_ref, visibility, chrome, view);
            if let Some(rect) = placed.attribution {
                chrome::attribution_ui(ui, rect, attribution, chrome);
            }
            drawn = DrawnFrame {
                layout: Some(placed),
                focus,
                labels: label_boxes,
                view,
                marks: country_labels::DrawnMarks {
                    strikes,
                    strike_labels: strike_label_boxes,
                    country_labels: painted.countries,
                },
            };
        });
        self.legend_corner = legend_corner;
        self.last_rect = response.response.rect;
        if let (Some(layout), Some(view)) = (&drawn.layout, drawn.view)
            && let Some(rect) = layout.inset
        {
            let center = self.current_center();
            let (offline, _) = self.basemap.layers();
            inset::paint_inset(
                ui,
                rect,
                offline,
                self.memory.zoom(),
                center,
                (
                    LonLat {
                        lon: view.min.lon,
                        lat: view.max.lat,
                    },
                    LonLat {
                        lon: view.max.lon,
                        lat: view.min.lat,
                    },
                ),
            );
        }
        self.last_layout = drawn.layout;
        self.last_focus = drawn.focus;
        self.last_labels = drawn.labels;
        self.last_marks = drawn.marks;
        if chrome.zoom_controls {
            self.zoom_controls_ui(ui, response.response.rect);
        }
        commands
    }
}

/// Where the focus may not be cut: room kept around a framed strike for its marker, its label
/// and the border line's label.
const FOCUS_MARGIN: egui::Vec2 = egui::vec2(150.0, 40.0);

/// Past this zoom the offline basemap has no more detail to give (Natural Earth 1:10M).
const DETAIL_ENDS_AT_ZOOM: f64 = strikemap_basemap::DETAIL_ENDS_AT_ZOOM as f64;

/// What a frame drew, kept for the next frame's tests.
#[derive(Default)]
struct DrawnFrame {
    layout: Option<FurnitureLayout>,
    focus: Option<Rect>,
    labels: Vec<Rect>,
    view: Option<crate::geometry::GeoBounds>,
    marks: country_labels::DrawnMarks,
}

/// The lon/lat box the map shows.
fn view_bounds(projector: &Projector, rect: Rect) -> Option<crate::geometry::GeoBounds> {
    let corner = |pos: egui::Pos2| {
        let position = projector.unproject(pos.to_vec2());
        LonLat {
            lon: position.x(),
            lat: position.y(),
        }
    };
    crate::geometry::GeoBounds::around([corner(rect.left_top()), corner(rect.right_bottom())])
}

/// A grid of points over the map (8 across, 6 down, away from the edges) and not under the
/// furniture (`covered`), in lon/lat: where to look for the countries in view.
fn sample_points(projector: &Projector, rect: Rect, covered: &[Rect]) -> Vec<LonLat> {
    const ACROSS: usize = 8;
    const DOWN: usize = 6;
    let mut points = Vec::with_capacity(ACROSS * DOWN);
    for row in 0..DOWN {
        for column in 0..ACROSS {
            let at = egui::pos2(
                rect.left() + rect.width() * (column as f32 + 0.5) / ACROSS as f32,
                rect.top() + rect.height() * (row as f32 + 0.5) / DOWN as f32,
            );
            if covered.iter().any(|rect| rect.expand(40.0).contains(at)) {
                continue;
            }
            let position = projector.unproject(at.to_vec2());
            if (-180.0..=180.0).contains(&position.x()) {
                points.push(LonLat {
                    lon: position.x(),
                    lat: position.y(),
                });
            }
        }
    }
    points
}

/// The strikes' labels, the selected strike's first.
fn strike_labels(
    markers: &[layers::DrawnMarker<'_>],
    state: &AppState,
) -> Vec<labels::StrikeLabel> {
    let mut labels: Vec<(bool, labels::StrikeLabel)> = markers
        .iter()
        .map(|drawn| {
            (
                !state.is_selected(&drawn.event_ref),
                labels::StrikeLabel {
                    text: crate::describe::strike_place_label(drawn.event),
                    marker: Rect::from_center_size(
                        drawn.marker.center,
                        egui::Vec2::splat(2.0 * drawn.marker.radius),
                    ),
                },
            )
        })
        .collect();
    labels.sort_by_key(|(unselected, _)| *unselected);
    labels.into_iter().map(|(_, label)| label).collect()
}
