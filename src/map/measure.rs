//! The measure tool on the map: each leg drawn along its geodesic with its length, a live leg
//! to the pointer while points are being added, and a panel listing each leg's length (km,
//! nautical miles, miles) and bearing and the total, with Done, Copy, Keep as line and Close.
//! Thin: the figures are the core's (`strikemap_core::measure`); clicks become commands.

use super::to_position;
use crate::model::LonLat;
use crate::state::{Command, Measurement};
use egui::{Align2, Color32, FontId, Pos2, Stroke};
use strikemap_core::measure;
use walkers::Projector;

/// The colour of the measured legs (a dark line with a light halo reads on any basemap).
const LINE: Color32 = Color32::from_rgb(20, 20, 20);
const HALO: Color32 = Color32::from_rgba_premultiplied(255, 255, 255, 200);

/// Draws the measurement and its panel; while points are being added a click on the map adds
/// one (the commands returned are then the click's only effect).
pub fn measure_ui(
    ui: &mut egui::Ui,
    response: &egui::Response,
    projector: &Projector,
    measurement: &Measurement,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let pointer = response.hover_pos().map(|at| lon_lat_at(projector, at));
    if measurement.is_adding() {
        if response.hovered() {
            response.ctx.set_cursor_icon(egui::CursorIcon::Crosshair);
            // The live leg follows the pointer.
            response.ctx.request_repaint();
        }
        if response.clicked()
            && let Some(at) = response.interact_pointer_pos()
        {
            commands.push(Command::AddMeasurePoint(lon_lat_at(projector, at)));
        }
    }
    let legs = measurement.legs_with(pointer);
    paint_legs(ui.painter(), projector, &measurement.points, &legs);
    commands.extend(panel_ui(ui, response.rect, measurement, &legs));
    commands
}

fn lon_lat_at(projector: &Projector, at: Pos2) -> LonLat {
    let position = projector.unproject(at.to_vec2());
    LonLat {
        lon: position.x(),
        lat: position.y(),
    }
}

/// A geodesic as screen points: sampled finely enough that straight pieces follow its curve.
pub fn screen_path(projector: &Projector, from: LonLat, to: LonLat) -> Vec<Pos2> {
    let length = measure::leg(from, to).distance_m;
    measure::geodesic_path(from, to, (length / 64.0).max(1_000.0))
        .into_iter()
        .map(|at| projector.project(to_position(at)).to_pos2())
        .collect()
}

fn paint_legs(
    painter: &egui::Painter,
    projector: &Projector,
    points: &[LonLat],
    legs: &[measure::Leg],
) {
    for leg in legs {
        let path = screen_path(projector, leg.from, leg.to);
        painter.add(egui::Shape::line(path.clone(), Stroke::new(5.0, HALO)));
        painter.add(egui::Shape::dashed_line(
            &path,
            Stroke::new(2.0, LINE),
            10.0,
            5.0,
        ));
        let middle = path[path.len() / 2];
        let text = format!("{:.1} km", leg.distance_m / 1000.0);
        let galley = painter.layout_no_wrap(text, FontId::proportional(13.0), LINE);
        let rect = Align2::CENTER_BOTTOM
            .anchor_size(middle - egui::vec2(0.0, 6.0), galley.size())
            .expand(3.0);
        painter.rect_filled(rect, 3.0, HALO);
        painter.galley(rect.shrink(3.0).min, galley, LINE);
    }
    for at in points {
        let center = projector.project(to_position(*at)).to_pos2();
        painter.circle(center, 4.5, Color32::WHITE, Stroke::new(2.0, LINE));
    }
}

/// The panel at the top of the map: each leg, the total, and what can be done with them.
fn panel_ui(
    ui: &egui::Ui,
    map: egui::Rect,
    measurement: &Measurement,
    legs: &[measure::Leg],
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Area::new(egui::Id::unique("measure-panel"))
        .order(egui::Order::Foreground)
        .pivot(Align2::CENTER_TOP)
        .fixed_pos(map.center_top() + egui::vec2(0.0, 12.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.strong("Measure (geodesic, WGS 84)");
                if legs.is_empty() {
                    ui.label(if measurement.is_adding() {
                        "Click the map to place the first point."
                    } else {
                        "No points were placed."
                    });
                }
                for line in measure::leg_lines(legs) {
                    ui.label(line);
                }
                if legs.len() > 1 {
                    ui.strong(measure::total_line(legs));
                }
                if measurement.is_adding() && !legs.is_empty() {
                    ui.label(
                        egui::RichText::new("Click to add points; Esc or Done ends.")
                            .small()
                            .weak(),
                    );
                }
                ui.horizontal(|ui| {
                    if measurement.is_adding() && ui.button("Done").clicked() {
                        commands.push(Command::FinishMeasuring);
                    }
                    let has_legs = measurement.points.len() > 1;
                    if ui
                        .add_enabled(has_legs, egui::Button::new("Copy measurement"))
                        .on_hover_text("The points, each leg and the total as text")
                        .clicked()
                    {
                        commands.push(Command::CopyMeasurement);
                    }
                    if ui
                        .add_enabled(has_legs, egui::Button::new("Keep as line"))
                        .on_hover_text("Keep the measured path in the case as a line annotation")
                        .clicked()
                    {
                        commands.push(Command::KeepMeasurementAsLine);
                    }
                    if ui.button("Close").clicked() {
                        commands.push(Command::StopMeasuring);
                    }
                });
            });
        });
    commands
}
