//! The before/after swipe bar over two imagery layers: at the desk a vertical bar dragged
//! across the map (or moved with the arrow keys once focused), with each side's layer and date
//! labelled at the top; on slides and exports the same split and labels, fixed.

use crate::state::{AppState, Command, ImageryCompare, imagery_date};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, Vec2};

/// The bar's grab width, in points.
const GRAB_WIDTH: f32 = 18.0;

/// Where the bar stands on screen, for the imagery painter.
pub fn split_x(compare: &ImageryCompare, view: Rect) -> f32 {
    view.left() + compare.split.clamp(0.0, 1.0) * view.width()
}

/// "2024-01-16 · before.tif".
fn side_label(state: &AppState, id: crate::state::LayerId) -> String {
    state
        .imagery_layers()
        .find(|(layer, _)| layer.id == id)
        .map(|(layer, tiff)| match imagery_date(layer, tiff) {
            Some(date) => format!("{date} · {}", layer.name),
            None => layer.name.clone(),
        })
        .unwrap_or_default()
}

/// Draws the bar and its labels; at the desk (`interactive`) it is dragged or moved with
/// the arrow keys, and the new place is returned as a command.
pub fn swipe_bar_ui(
    ui: &mut Ui,
    view: Rect,
    state: &AppState,
    compare: &ImageryCompare,
    interactive: bool,
) -> Option<Command> {
    let x = split_x(compare, view);
    let left_label = side_label(state, compare.left);
    let right_label = side_label(state, compare.right);
    let painter = ui.painter().with_clip_rect(view);
    painter.line_segment(
        [Pos2::new(x, view.top()), Pos2::new(x, view.bottom())],
        Stroke::new(3.0, Color32::WHITE),
    );
    painter.line_segment(
        [Pos2::new(x, view.top()), Pos2::new(x, view.bottom())],
        Stroke::new(1.0, Color32::from_gray(40)),
    );
    let font = FontId::proportional(14.0);
    // Above the knob, clear of the zoom buttons and inset in the corners.
    let top = view.center().y - 60.0;
    for (text, anchor, at) in [
        (&left_label, Align2::RIGHT_TOP, Pos2::new(x - 10.0, top)),
        (&right_label, Align2::LEFT_TOP, Pos2::new(x + 10.0, top)),
    ] {
        let galley = painter.layout_no_wrap(text.clone(), font.clone(), Color32::WHITE);
        let rect = anchor.anchor_size(at, galley.size()).expand(4.0);
        painter.rect_filled(rect, 3.0, Color32::from_black_alpha(170));
        painter.galley(rect.min + Vec2::splat(4.0), galley, Color32::WHITE);
    }
    if !interactive {
        return None;
    }
    let grab = Rect::from_center_size(
        Pos2::new(x, view.center().y),
        Vec2::new(GRAB_WIDTH, view.height()),
    );
    let response = ui.interact(
        grab,
        ui.scope_id().with("imagery swipe bar"),
        Sense::click_and_drag(),
    );
    let name = format!("Swipe bar: {left_label} on the left, {right_label} on the right");
    let split = compare.split;
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::Role::Slider, true, &name);
        info.value = Some(f64::from(split));
        info
    });
    let knob = Rect::from_center_size(Pos2::new(x, view.center().y), Vec2::new(14.0, 44.0));
    painter.rect_filled(knob, 4.0, Color32::WHITE);
    for offset in [-3.0, 0.0, 3.0] {
        let grip_x = knob.center().x + offset;
        painter.line_segment(
            [
                Pos2::new(grip_x, knob.top() + 12.0),
                Pos2::new(grip_x, knob.bottom() - 12.0),
            ],
            Stroke::new(1.0, Color32::from_gray(90)),
        );
    }
    if response.hovered() || response.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
    }
    if response.dragged()
        && let Some(pointer) = response.interact_pointer_pos()
        && view.width() > 0.0
    {
        return Some(Command::SetImagerySplit(
            (pointer.x - view.left()) / view.width(),
        ));
    }
    if response.has_focus() {
        let step = ui.input(|input| {
            if input.key_pressed(egui::Key::ArrowLeft) {
                -0.02
            } else if input.key_pressed(egui::Key::ArrowRight) {
                0.02
            } else {
                0.0
            }
        });
        if step != 0.0 {
            return Some(Command::SetImagerySplit(split + step));
        }
    }
    None
}
