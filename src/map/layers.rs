//! The province and strike layers, drawn in screen space over the tiles.

use crate::describe::marker_label;
use crate::map::hit_test::{ScreenMarker, marker_at};
use crate::map::labels::{LabelCandidate, LabelKind};
use crate::map::to_position;
use crate::markers::{event_style, paint_marker, paint_uncertainty_circle};
use crate::model::{LonLat, Province, StrikeEvent};
use crate::state::{AppState, Command, EventRef};
use crate::style;
use egui::epaint::{Mesh, PathShape, PathStroke};
use egui::{Color32, Painter, Pos2, Sense, Shape, Stroke, Vec2};
use geo::{InteriorPoint as _, TriangulateEarcut as _};
use walkers::Projector;

/// A province prepared for drawing: triangulated once (earcut, so concave shapes fill right),
/// its rings, and where its label goes.
struct PreparedProvince {
    name: String,
    color: Color32,
    /// Triangle vertices (lon, lat) and indices into them.
    vertices: Vec<[f64; 2]>,
    triangle_indices: Vec<u32>,
    rings: Vec<Vec<LonLat>>,
    label_at: Option<LonLat>,
}

pub struct ProvinceLayer {
    provinces: Vec<PreparedProvince>,
}

impl ProvinceLayer {
    pub fn new(provinces: &[Province]) -> Self {
        let provinces = provinces
            .iter()
            .map(|province| {
                let mut vertices = Vec::new();
                let mut triangle_indices = Vec::new();
                let mut rings = Vec::new();
                for polygon in &province.geometry {
                    let triangulation = polygon.earcut_triangles_raw();
                    let offset = vertices.len();
                    vertices.extend(triangulation.vertices);
                    triangle_indices.extend(
                        triangulation
                            .triangle_indices
                            .into_iter()
                            .filter_map(|index| u32::try_from(offset + index).ok()),
                    );
                    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                        rings.push(
                            ring.coords()
                                .map(|coord| LonLat {
                                    lon: coord.x,
                                    lat: coord.y,
                                })
                                .collect(),
                        );
                    }
                }
                PreparedProvince {
                    name: province.name.clone(),
                    color: style::country_style(&province.country).color,
                    vertices,
                    triangle_indices,
                    rings,
                    label_at: province.geometry.interior_point().map(|point| LonLat {
                        lon: point.x(),
                        lat: point.y(),
                    }),
                }
            })
            .collect();
        Self { provinces }
    }

    /// Whether this is `provinces` prepared (the open case's may change with the case).
    pub fn shows(&self, provinces: &[Province]) -> bool {
        self.provinces.len() == provinces.len()
            && self
                .provinces
                .iter()
                .zip(provinces)
                .all(|(prepared, province)| prepared.name == province.name)
    }

    /// Province names, to be placed with the other labels (they come first).
    pub fn label_candidates(&self) -> Vec<LabelCandidate> {
        self.provinces
            .iter()
            .filter_map(|province| {
                Some(LabelCandidate {
                    text: province.name.clone(),
                    at: province.label_at?,
                    kind: LabelKind::Province,
                    country: None,
                })
            })
            .collect()
    }

    pub fn paint(&self, painter: &Painter, projector: &Projector) {
        let project = |lon: f64, lat: f64| -> Pos2 {
            projector
                .project(to_position(LonLat { lon, lat }))
                .to_pos2()
        };
        for province in &self.provinces {
            let mut mesh = Mesh::default();
            let fill = style::with_alpha(province.color, style::PROVINCE_FILL_ALPHA);
            for [lon, lat] in &province.vertices {
                mesh.colored_vertex(project(*lon, *lat), fill);
            }
            mesh.indices.clone_from(&province.triangle_indices);
            painter.add(Shape::mesh(mesh));
        }
        for province in &self.provinces {
            for ring in &province.rings {
                let points: Vec<Pos2> = ring.iter().map(|p| project(p.lon, p.lat)).collect();
                painter.add(Shape::Path(PathShape::closed_line(
                    points,
                    PathStroke::new(style::PROVINCE_OUTLINE_WIDTH, province.color),
                )));
            }
        }
    }
}

/// Each strike's location uncertainty as a circle of its radius in metres (scales with zoom):
/// a light veil with a dashed rim in the attacker's colour, so it reads as "somewhere in here".
pub fn paint_uncertainty(
    painter: &Painter,
    projector: &Projector,
    state: &AppState,
    markers: &[DrawnMarker<'_>],
) {
    for DrawnMarker {
        event_ref, event, ..
    } in markers
    {
        let center = projector.project(to_position(event.position)).to_pos2();
        let radius_px = radius_px(projector, event);
        paint_uncertainty_circle(
            painter,
            center,
            radius_px,
            event_style(state, event_ref, event).color,
        );
    }
}

/// The radius of an event's uncertainty circle on screen.
pub fn radius_px(projector: &Projector, event: &StrikeEvent) -> f32 {
    let position = to_position(event.position);
    event.properties.location.radius_m() as f32 * projector.scale_pixel_per_meter(position)
}

/// The international border as a crisp vector line over any basemap.
pub fn paint_border(painter: &Painter, projector: &Projector, border: &crate::border::BorderLine) {
    for line in &border.line {
        let points: Vec<Pos2> = line
            .coords()
            .map(|coord| {
                projector
                    .project(to_position(LonLat {
                        lon: coord.x,
                        lat: coord.y,
                    }))
                    .to_pos2()
            })
            .collect();
        painter.add(Shape::line(
            points,
            PathStroke::new(
                style::INTERNATIONAL_BORDER_WIDTH,
                style::INTERNATIONAL_BORDER,
            ),
        ));
    }
}

/// A thin dashed line from a strike to the nearest point of the border, labelled with the
/// distance. Returns the boxes it drew: the line's and the label's.
pub fn paint_border_distance(
    painter: &Painter,
    projector: &Projector,
    from: crate::model::LonLat,
    distance: &crate::border::BorderDistance,
) -> Vec<egui::Rect> {
    let start = projector.project(to_position(from)).to_pos2();
    let end = projector.project(to_position(distance.nearest)).to_pos2();
    painter.extend(Shape::dashed_line(
        &[start, end],
        Stroke::new(style::BORDER_DISTANCE_WIDTH, style::BORDER_DISTANCE_COLOR),
        6.0,
        4.0,
    ));
    painter.circle_filled(end, 3.0, style::BORDER_DISTANCE_COLOR);
    let mut drawn = vec![egui::Rect::from_two_pos(start, end).expand(3.0)];
    if start.distance(end) > 4.0 {
        // The label sits beside the middle of the line, off to one side, so it hides neither
        // the line nor the marker.
        let along = (end - start).normalized();
        let across = egui::vec2(along.y, -along.x);
        let text = format!("~{:.0} km to border", distance.distance_km);
        let galley =
            painter.layout_no_wrap(text, egui::FontId::proportional(13.0), style::LABEL_TEXT);
        let size = galley.size() + egui::vec2(6.0, 2.0);
        let middle = start + (end - start) / 2.0;
        let offset = across * (size.y / 2.0 + 16.0 + across.x.abs() * size.x / 2.0);
        let rect = egui::Rect::from_center_size(middle + offset, size);
        painter.rect_filled(rect, 2.0, style::FURNITURE_BACKGROUND);
        painter.galley(rect.min + egui::vec2(3.0, 1.0), galley, style::LABEL_TEXT);
        drawn.push(rect);
    }
    drawn
}

/// A strike marker as drawn this frame.
pub struct DrawnMarker<'a> {
    pub event_ref: EventRef,
    pub event: &'a StrikeEvent,
    pub marker: ScreenMarker,
}

/// Where every shown marker is on screen, in drawing order: the selected one last, so it is on
/// top.
pub fn screen_markers<'a>(projector: &Projector, state: &'a AppState) -> Vec<DrawnMarker<'a>> {
    let mut shown = state.shown_events();
    shown.sort_by_key(|(event_ref, _)| state.is_selected(event_ref));
    shown
        .into_iter()
        .map(|(event_ref, event)| {
            let selected = state.is_selected(&event_ref);
            let marker = ScreenMarker {
                center: projector.project(to_position(event.position)).to_pos2(),
                radius: if selected {
                    style::MARKER_RADIUS_SELECTED
                } else {
                    style::MARKER_RADIUS
                },
            };
            DrawnMarker {
                event_ref,
                event,
                marker,
            }
        })
        .collect()
}

/// Draws the markers, gives each an accessible, clickable widget, shows hover tooltips and
/// turns clicks into selection commands. With `move_case_markers`, a marker of the case can be
/// dragged: the strike follows the pointer (its uncertainty circle, border distance and label
/// with it) and the whole move is one undo step.
pub fn strike_markers_ui(
    ui: &mut egui::Ui,
    map_response: &egui::Response,
    projector: &Projector,
    markers: &[DrawnMarker<'_>],
    state: &AppState,
    move_case_markers: bool,
) -> Vec<Command> {
    let hit_areas: Vec<ScreenMarker> = markers.iter().map(|drawn| drawn.marker).collect();
    let mut commands = Vec::new();

    for drawn in markers {
        let DrawnMarker {
            event_ref,
            event,
            marker,
        } = drawn;
        let selected = state.is_selected(event_ref);
        let country = event_style(state, event_ref, event);
        paint_marker(
            ui.painter(),
            marker.center,
            marker.radius,
            country.marker,
            country.color,
            selected,
        );

        let hit_rect = egui::Rect::from_center_size(
            marker.center,
            Vec2::splat(2.0 * (marker.radius + style::HIT_TOLERANCE)),
        );
        let case_index = (move_case_markers && event_ref.layer == state.case_layer())
            .then(|| state.case().case.event_index(&event_ref.id))
            .flatten();
        let sense = if case_index.is_some() {
            Sense::click_and_drag()
        } else {
            Sense::click()
        };
        let response = ui.interact(
            hit_rect,
            ui.scope_id().with(("strike-marker", event_ref)),
            sense,
        );
        if let Some(index) = case_index {
            commands.extend(drag_to_move(&response, projector, marker.center, index));
            if !selected && response.drag_started() {
                commands.push(Command::Select(event_ref.clone()));
            }
        }
        let label = marker_label(event);
        response
            .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
        if response.clicked() {
            // A pointer click goes to the top-most marker under the pointer; an accessibility
            // click (no pointer) to this marker.
            let target = response
                .interact_pointer_pos()
                .and_then(|pointer| marker_at(&hit_areas, pointer, style::HIT_TOLERANCE))
                .and_then(|index| markers.get(index))
                .map_or(event_ref, |hit| &hit.event_ref);
            commands.push(Command::Select(target.clone()));
        }
        response.on_hover_ui(|ui| marker_tooltip_ui(ui, event));
    }

    // A click on empty map keeps the selection; a click that lands within the tolerance of a
    // marker but outside its widget still selects it.
    if map_response.clicked()
        && let Some(pointer) = map_response.interact_pointer_pos()
        && let Some(hit) =
            marker_at(&hit_areas, pointer, style::HIT_TOLERANCE).and_then(|i| markers.get(i))
    {
        commands.push(Command::Select(hit.event_ref.clone()));
    }
    commands
}

/// A case marker being dragged: the strike moves with the pointer, typed into the case so that
/// the whole drag is one undo step (sealed when it starts and when it ends).
fn drag_to_move(
    response: &egui::Response,
    projector: &Projector,
    center: Pos2,
    index: usize,
) -> Vec<Command> {
    use strikemap_core::case::edit::{Edit, EventField};
    let mut commands = Vec::new();
    if response.hovered() || response.dragged() {
        let icon = if response.dragged() {
            egui::CursorIcon::Grabbing
        } else {
            egui::CursorIcon::Grab
        };
        response.ctx.set_cursor_icon(icon);
    }
    if response.drag_started() {
        commands.push(Command::SealCaseTyping);
    }
    let delta = response.drag_delta();
    if response.dragged() && delta != Vec2::ZERO {
        let to = projector.unproject((center + delta).to_vec2());
        let position = crate::state::placed_position(LonLat {
            lon: to.x().clamp(-180.0, 180.0),
            lat: to.y().clamp(-85.0, 85.0),
        });
        commands.push(Command::TypeInCase(Edit::SetEvent {
            event: index,
            field: EventField::Position(position),
        }));
    }
    if response.drag_stopped() {
        commands.push(Command::SealCaseTyping);
    }
    commands
}

fn marker_tooltip_ui(ui: &mut egui::Ui, event: &StrikeEvent) {
    ui.strong(event.title());
    ui.label(event.date.to_string());
    match event.headline_claim() {
        Some(claim) => ui.label(claim.headline()),
        None => ui.label("No casualty claim recorded"),
    };
}
