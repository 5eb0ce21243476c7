//! At the desk, a handle on every point of the case's annotations (an editable case only): a
//! drag moves that point, typed into the case so that the whole drag is one undo step (sealed
//! when it starts and when it ends). Each handle is named "Point 2 of annotation A1".

use super::to_position;
use crate::model::LonLat;
use crate::state::{AppState, Command};
use egui::{Color32, Rect, Sense, Stroke, Vec2};
use strikemap_core::case::edit::Edit;
use walkers::Projector;

/// Half the side of a handle, in points.
const HANDLE: f32 = 4.5;

/// Draws the handles and returns the edits of a drag.
pub fn handles_ui(ui: &egui::Ui, projector: &Projector, state: &AppState) -> Vec<Command> {
    let session = state.case();
    let mut commands = Vec::new();
    if session.read_only {
        return commands;
    }
    for (index, annotation) in session.case.annotations.iter().enumerate() {
        for (point_index, at) in annotation.shape.points().into_iter().enumerate() {
            let center = projector.project(to_position(at)).to_pos2();
            let rect = Rect::from_center_size(center, Vec2::splat(2.0 * HANDLE));
            if !ui.clip_rect().contains(center) {
                continue;
            }
            let response = ui.interact(
                rect.expand(3.0),
                ui.scope_id()
                    .with(("annotation-handle", index, point_index)),
                Sense::drag(),
            );
            let label = format!("Point {} of annotation {}", point_index + 1, annotation.id);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            let active = response.hovered() || response.dragged();
            ui.painter().rect(
                rect,
                1.0,
                if active {
                    Color32::BLACK
                } else {
                    Color32::WHITE
                },
                Stroke::new(1.5, Color32::BLACK),
                egui::StrokeKind::Middle,
            );
            if active {
                response.ctx.set_cursor_icon(egui::CursorIcon::Grab);
            }
            if response.drag_started() {
                commands.push(Command::SealCaseTyping);
            }
            let delta = response.drag_delta();
            if response.dragged() && delta != Vec2::ZERO {
                let to = projector.unproject((center + delta).to_vec2());
                let mut moved = annotation.clone();
                moved.shape = annotation.shape.with_point(
                    point_index,
                    crate::state::placed_position(LonLat {
                        lon: to.x().clamp(-180.0, 180.0),
                        lat: to.y().clamp(-85.0, 85.0),
                    }),
                );
                commands.push(Command::TypeInCase(Edit::SetAnnotation {
                    index,
                    annotation: Box::new(moved),
                }));
            }
            if response.drag_stopped() {
                commands.push(Command::SealCaseTyping);
            }
        }
    }
    commands
}
