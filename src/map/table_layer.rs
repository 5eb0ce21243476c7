//! Table layers (large files) on the map: the rows in view come from the spatial index; when
//! more than [`MAX_POINTS_DRAWN`] are in view they are drawn as count bubbles, one per grid cell
//! of the zoom level, so a million events read as a picture rather than a smear.
//!
//! Building the shapes ([`table_shapes`]) is separate from the widgets so that its cost can be
//! measured on its own (`cargo bench --bench frame`).

use crate::describe::{cluster_label, row_label};
use crate::spatial::{Cluster, MercatorRect, PointIndex, mercator};
use crate::state::{AppState, Command, TableView};
use crate::style;
use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2};
use std::ops::Range;
use walkers::Projector;

/// Above this many rows in view, a layer is drawn as clusters.
pub const MAX_POINTS_DRAWN: usize = 4_000;
/// Up to this many single points in view get a widget each (an accessible name, a tooltip);
/// above it they are reached by clicking (the index) or through the side panel.
pub const MAX_POINT_WIDGETS: usize = 300;
/// Up to this many events in view show the area each is known to (as the full layers' strikes
/// do); past it the circles would hide the map, and only the selected event's is drawn.
pub const MAX_UNCERTAINTY_CIRCLES: usize = 60;
/// Radius of a single table point.
pub const POINT_RADIUS: f32 = 4.0;
/// A cluster of at most this many rows lists them when clicked; a larger one zooms in.
pub const LIST_CLUSTER_AT_MOST: u32 = 50;
/// The deepest zoom: a cluster clicked here lists its rows whatever its size.
const DEEPEST_ZOOM: f64 = crate::map::MAX_ZOOM;

/// The map's view as a linear map from normalised Web Mercator to screen points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewTransform {
    /// Mercator position shown at `screen_origin`.
    pub center: [f64; 2],
    pub screen_origin: Pos2,
    /// Screen points per mercator unit (256 × 2^zoom).
    pub scale: f64,
}

impl ViewTransform {
    /// The view centred on `center` (lon, lat) at `zoom`, in `rect`.
    pub fn new(center_lon_lat: (f64, f64), zoom: f64, rect: Rect) -> Self {
        Self {
            center: mercator(center_lon_lat.0, center_lon_lat.1),
            screen_origin: rect.center(),
            scale: 1.0 / crate::spatial::units_per_pixel(zoom),
        }
    }

    /// The transform walkers uses this frame, read off its projector.
    pub fn from_projector(projector: &Projector, rect: Rect) -> Self {
        let center = projector.unproject(rect.center().to_vec2());
        let [cx, cy] = mercator(center.x(), center.y());
        // One tenth of the screen width away, to keep precision.
        let probe = rect.center() + Vec2::new(rect.width().max(10.0) / 10.0, 0.0);
        let probed = projector.unproject(probe.to_vec2());
        let [px, _] = mercator(probed.x(), probed.y());
        let scale = f64::from(probe.x - rect.center().x) / (px - cx);
        Self {
            center: [cx, cy],
            screen_origin: rect.center(),
            scale: if scale.is_finite() && scale > 0.0 {
                scale
            } else {
                256.0
            },
        }
    }

    pub fn zoom(&self) -> f64 {
        (self.scale / crate::geometry::TILE_SIZE_PX).log2()
    }

    pub fn to_screen(&self, point: [f64; 2]) -> Pos2 {
        Pos2::new(
            (f64::from(self.screen_origin.x) + (point[0] - self.center[0]) * self.scale) as f32,
            (f64::from(self.screen_origin.y) + (point[1] - self.center[1]) * self.scale) as f32,
        )
    }

    pub fn to_mercator(&self, point: Pos2) -> [f64; 2] {
        [
            self.center[0] + f64::from(point.x - self.screen_origin.x) / self.scale,
            self.center[1] + f64::from(point.y - self.screen_origin.y) / self.scale,
        ]
    }

    /// The part of the world inside `rect`, widened by `margin` points.
    pub fn visible(&self, rect: Rect, margin: f32) -> MercatorRect {
        let rect = rect.expand(margin);
        MercatorRect {
            min: self.to_mercator(rect.min),
            max: self.to_mercator(rect.max),
        }
    }

    /// The clustering level for this zoom: grid cells of 128–256 points, so that the largest
    /// bubbles (about 60 points across) do not overlap their neighbours.
    pub fn cluster_level(&self) -> u8 {
        (self.zoom().floor() - 1.0).clamp(0.0, 24.0) as u8
    }
}

/// What a table layer shows in the current view.
#[derive(Clone, Debug, PartialEq)]
pub enum TableDrawing {
    /// Every row in view, in row (date) order.
    Points(Vec<u32>),
    Clusters(Vec<Cluster>),
}

/// The rows or clusters of `layer` inside `rect` in this view, for the rows in `rows` (the
/// time window).
pub fn table_drawing(
    index: &PointIndex,
    view: &ViewTransform,
    rect: Rect,
    rows: Range<u32>,
) -> TableDrawing {
    let visible = view.visible(rect, POINT_RADIUS * 2.0);
    match index.rows_in_rect(visible, rows.clone(), MAX_POINTS_DRAWN) {
        Some(in_view) => TableDrawing::Points(in_view),
        None => TableDrawing::Clusters(index.clusters(view.cluster_level(), visible, rows)),
    }
}

/// The radius of a cluster's bubble: grows with the logarithm of its count.
pub fn bubble_radius(count: u32) -> f32 {
    8.0 + 5.0 * (count.max(1) as f32).log10()
}

/// "37", "1.2k", "35k", "1.1M".
pub fn short_count(count: u32) -> String {
    match count {
        0..=999 => count.to_string(),
        1_000..=9_999 => format!("{:.1}k", f64::from(count) / 1e3),
        10_000..=999_999 => format!("{}k", count / 1_000),
        _ => format!("{:.1}M", f64::from(count) / 1e6),
    }
}

/// The colours of a layer's points and bubbles.
#[derive(Clone, Copy, Debug)]
pub struct TableLook {
    pub fill: Color32,
    pub bubble: Color32,
}

impl TableLook {
    pub fn of(layer: &TableView<'_>) -> Self {
        let [r, g, b] = layer.look.color;
        let fill = Color32::from_rgb(r, g, b).gamma_multiply(layer.look.opacity);
        Self {
            fill,
            bubble: Color32::from_rgb(r, g, b).gamma_multiply(0.78 * layer.look.opacity),
        }
    }
}

/// The shapes of one table layer for this frame: points, or bubbles with their counts.
/// `fonts` lays out the count labels.
pub fn table_shapes(
    drawing: &TableDrawing,
    index_positions: &dyn Fn(u32) -> Option<[f64; 2]>,
    view: &ViewTransform,
    look: TableLook,
    selected_row: Option<u32>,
    fonts: &mut egui::epaint::text::FontsView<'_>,
) -> Vec<Shape> {
    match drawing {
        TableDrawing::Points(rows) => {
            let mut shapes = Vec::with_capacity(rows.len() + 1);
            for &row in rows {
                let Some(point) = index_positions(row) else {
                    continue;
                };
                shapes.push(Shape::circle_filled(
                    view.to_screen(point),
                    POINT_RADIUS,
                    look.fill,
                ));
                if selected_row == Some(row) {
                    shapes.extend(selected_marker(view.to_screen(point), look));
                }
            }
            shapes
        }
        TableDrawing::Clusters(clusters) => {
            let mut shapes = Vec::with_capacity(clusters.len() * 2 + 2);
            let font = egui::FontId::proportional(11.0);
            for cluster in clusters {
                let center = view.to_screen(cluster.center);
                if cluster.count == 1 {
                    shapes.push(Shape::circle_filled(center, POINT_RADIUS, look.fill));
                    continue;
                }
                let radius = bubble_radius(cluster.count);
                shapes.push(Shape::Circle(egui::epaint::CircleShape {
                    center,
                    radius,
                    fill: look.bubble,
                    stroke: Stroke::new(1.5, Color32::WHITE),
                }));
                let galley =
                    fonts.layout_no_wrap(short_count(cluster.count), font.clone(), Color32::WHITE);
                let at = center - galley.size() / 2.0;
                shapes.push(Shape::galley(at, galley, Color32::WHITE));
            }
            // The selected row stays visible on top of its bubble.
            if let Some(point) = selected_row.and_then(index_positions) {
                shapes.extend(selected_marker(view.to_screen(point), look));
            }
            shapes
        }
    }
}

/// The selected row: a larger point with the selection ring.
fn selected_marker(center: Pos2, look: TableLook) -> [Shape; 2] {
    [
        Shape::circle_stroke(
            center,
            POINT_RADIUS + 5.0,
            Stroke::new(2.5, style::SELECTION_RING),
        ),
        Shape::Circle(egui::epaint::CircleShape {
            center,
            radius: POINT_RADIUS + 1.5,
            fill: look.fill,
            stroke: Stroke::new(1.0, style::MARKER_OUTLINE),
        }),
    ]
}

/// Mercator position of a row of a table.
fn row_mercator(layer: &TableView<'_>, row: u32) -> Option<[f64; 2]> {
    layer
        .table
        .position(row)
        .map(|position| mercator(position.lon, position.lat))
}

/// Draws every visible table layer, gives bubbles (and points, when few) widgets, and turns
/// clicks into commands: a point selects its row; a bubble zooms in, or lists its rows when it
/// is small or the map cannot zoom further.
pub fn table_layers_ui(
    ui: &mut egui::Ui,
    map_response: &egui::Response,
    projector: &Projector,
    state: &AppState,
    uncertainty: bool,
) -> Vec<Command> {
    let rect = map_response.rect;
    let view = ViewTransform::from_projector(projector, rect);
    let mut commands = Vec::new();
    let selected = state
        .selected_row()
        .map(|selected| (selected.layer, selected.row));
    for (layer, content) in state.visible_tables() {
        let layer = &TableView::new(layer, content);
        let rows = layer.table.rows_in_window(state.time_window());
        let drawing = table_drawing(layer.index, &view, rect, rows.clone());
        let selected_row = selected
            .filter(|(id, _)| *id == layer.id)
            .map(|(_, row)| row);
        if uncertainty {
            // Every circle when few are in view (more would hide the map), and always the
            // selected event's.
            let few_in_view = match &drawing {
                TableDrawing::Points(in_view) if in_view.len() <= MAX_UNCERTAINTY_CIRCLES => {
                    in_view.as_slice()
                }
                _ => &[],
            };
            let look = TableLook::of(layer);
            paint_row_uncertainty(
                ui.painter(),
                projector,
                layer,
                few_in_view,
                look.fill.gamma_multiply(0.45),
            );
            paint_row_uncertainty(
                ui.painter(),
                projector,
                layer,
                selected_row.as_slice(),
                look.fill,
            );
        }
        let shapes = ui.ctx().fonts_mut(|fonts| {
            table_shapes(
                &drawing,
                &|row| row_mercator(layer, row),
                &view,
                TableLook::of(layer),
                selected_row,
                fonts,
            )
        });
        ui.painter().extend(shapes);
        match &drawing {
            TableDrawing::Points(in_view) => {
                commands.extend(points_ui(ui, map_response, &view, layer, in_view, rows));
            }
            TableDrawing::Clusters(clusters) => {
                commands.extend(clusters_ui(ui, map_response, &view, layer, clusters, rows));
            }
        }
    }
    commands
}

/// The area each of `rows` is known to: the dashed rim of a circle of its radius (without the
/// full layers' fill, which would hide the rims where circles overlap).
fn paint_row_uncertainty(
    painter: &egui::Painter,
    projector: &Projector,
    layer: &TableView<'_>,
    rows: &[u32],
    color: Color32,
) {
    for &row in rows {
        let (Some(position), Some(radius_km)) =
            (layer.table.position(row), layer.table.radius_km(row))
        else {
            continue;
        };
        let position = crate::map::to_position(position);
        let radius_px = (radius_km * 1000.0) as f32 * projector.scale_pixel_per_meter(position);
        let center = projector.project(position).to_pos2();
        crate::markers::paint_uncertainty_rim(painter, center, radius_px, color);
    }
}

/// The row under a click, through the spatial index.
pub fn row_at(
    index: &PointIndex,
    view: &ViewTransform,
    pointer: Pos2,
    rows: Range<u32>,
) -> Option<u32> {
    let radius = f64::from(POINT_RADIUS + style::HIT_TOLERANCE) / view.scale;
    index.nearest_row(view.to_mercator(pointer), radius, rows)
}

/// A clickable, accessible button over a round mark on the map.
fn map_button(
    ui: &mut egui::Ui,
    center: Pos2,
    radius: f32,
    id: impl std::hash::Hash + std::fmt::Debug,
    label: &str,
) -> egui::Response {
    let response = ui.interact(
        Rect::from_center_size(center, Vec2::splat(2.0 * radius)),
        ui.scope_id().with(id),
        Sense::click(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    response
}

fn points_ui(
    ui: &mut egui::Ui,
    map_response: &egui::Response,
    view: &ViewTransform,
    layer: &TableView<'_>,
    in_view: &[u32],
    rows: Range<u32>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if in_view.len() <= MAX_POINT_WIDGETS {
        for &row in in_view {
            let Some(point) = row_mercator(layer, row) else {
                continue;
            };
            let center = view.to_screen(point);
            if !map_response.rect.contains(center) {
                continue;
            }
            let label = row_label(layer.name, layer.table, row);
            let response = map_button(
                ui,
                center,
                POINT_RADIUS + style::HIT_TOLERANCE,
                ("table-row", layer.id, row),
                &label,
            );
            if response.clicked() {
                let target = response
                    .interact_pointer_pos()
                    .and_then(|pointer| row_at(layer.index, view, pointer, rows.clone()))
                    .unwrap_or(row);
                commands.push(Command::SelectRow(layer.id, target));
            }
            response.on_hover_text(&label);
        }
    }
    if commands.is_empty()
        && map_response.clicked()
        && let Some(pointer) = map_response.interact_pointer_pos()
        && let Some(row) = row_at(layer.index, view, pointer, rows)
    {
        commands.push(Command::SelectRow(layer.id, row));
    }
    commands
}

fn clusters_ui(
    ui: &mut egui::Ui,
    map_response: &egui::Response,
    view: &ViewTransform,
    layer: &TableView<'_>,
    clusters: &[Cluster],
    rows: Range<u32>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    for (number, cluster) in clusters.iter().enumerate() {
        let center = view.to_screen(cluster.center);
        if !map_response.rect.contains(center) {
            continue;
        }
        let radius = if cluster.count == 1 {
            POINT_RADIUS
        } else {
            bubble_radius(cluster.count)
        };
        let label = cluster_label(layer.name, cluster);
        let response = map_button(
            ui,
            center,
            radius,
            ("table-cluster", layer.id, number),
            &label,
        );
        if response.clicked() {
            commands.push(cluster_click(layer, cluster, view, rows.clone()));
        }
        response.on_hover_text(if cluster.count <= LIST_CLUSTER_AT_MOST {
            format!("{label}: click to list them")
        } else {
            format!("{label}: click to zoom in")
        });
    }
    commands
}

/// What clicking a cluster does: a small cluster (or any at the deepest zoom) lists its rows,
/// a single row is selected, a larger cluster is zoomed into.
pub fn cluster_click(
    layer: &TableView<'_>,
    cluster: &Cluster,
    view: &ViewTransform,
    rows: Range<u32>,
) -> Command {
    let members = || {
        let index = &layer.index;
        index
            .cluster_rows(cluster, rows.clone(), crate::state::MAX_LISTED_ROWS)
            .or_else(|| {
                // More than can be listed: the first ones, by date.
                let all = index.cluster_rows(cluster, rows.clone(), usize::MAX)?;
                Some(
                    all.into_iter()
                        .take(crate::state::MAX_LISTED_ROWS)
                        .collect(),
                )
            })
            .unwrap_or_default()
    };
    if cluster.count == 1
        && let Some(&row) = members().first()
    {
        return Command::SelectRow(layer.id, row);
    }
    if cluster.count <= LIST_CLUSTER_AT_MOST || view.zoom() >= DEEPEST_ZOOM - 0.5 {
        return Command::ListRows(layer.id, members(), cluster.count as usize);
    }
    let (lon, lat) = crate::spatial::lon_lat(cluster.center);
    Command::ZoomInOn {
        center: crate::model::LonLat { lon, lat },
        zoom: (view.zoom() + 2.0).floor(),
    }
}
