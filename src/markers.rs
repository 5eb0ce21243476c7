//! Painters shared by the map, its legend, the event list and the timeline: strike markers in
//! their attacker's colour and shape, and uncertainty circles.

use crate::model::StrikeEvent;
use crate::state::{AppState, EventRef};
use crate::style::{self, MarkerShape};
use egui::{Color32, Painter, Pos2, Shape, Stroke, Vec2, pos2};

/// How an event is drawn: its attacker's colour and shape (each attacker its own, in the order
/// the data first names them), or, when the data names no attacker, a circle in its layer's
/// colour; faded by the layer's opacity.
pub fn event_style(
    state: &AppState,
    event_ref: &EventRef,
    event: &StrikeEvent,
) -> style::CountryStyle {
    let (rgb, opacity) = state.layer_look(event_ref.layer);
    let mut event_style = match event.attacker() {
        Some(attacker) => style::attacker_style_among(Some(attacker), state.other_attackers()),
        None => style::CountryStyle {
            color: Color32::from_rgb(rgb[0], rgb[1], rgb[2]),
            marker: MarkerShape::Circle,
        },
    };
    event_style.color = event_style.color.gamma_multiply(opacity);
    event_style
}

/// One marker: a filled shape with a white outline; a black ring when selected.
pub fn paint_marker(
    painter: &Painter,
    center: Pos2,
    radius: f32,
    shape: MarkerShape,
    color: Color32,
    selected: bool,
) {
    if selected {
        painter.circle_stroke(
            center,
            radius + 5.0,
            Stroke::new(2.5, style::SELECTION_RING),
        );
    }
    let outline = Stroke::new(2.0, style::MARKER_OUTLINE);
    match shape {
        MarkerShape::Circle => {
            painter.circle(center, radius, color, outline);
        }
        MarkerShape::Square => {
            let half = radius * 0.85;
            painter.rect(
                egui::Rect::from_center_size(center, Vec2::splat(2.0 * half)),
                1.0,
                color,
                outline,
                egui::StrokeKind::Middle,
            );
        }
        MarkerShape::Triangle => {
            let points = vec![
                pos2(center.x, center.y - radius * 1.1),
                pos2(center.x + radius, center.y + radius * 0.7),
                pos2(center.x - radius, center.y + radius * 0.7),
            ];
            painter.add(Shape::convex_polygon(points, color, outline));
        }
        MarkerShape::Diamond => {
            let points = vec![
                pos2(center.x, center.y - radius),
                pos2(center.x + radius, center.y),
                pos2(center.x, center.y + radius),
                pos2(center.x - radius, center.y),
            ];
            painter.add(Shape::convex_polygon(points, color, outline));
        }
    }
}

pub fn paint_uncertainty_circle(painter: &Painter, center: Pos2, radius_px: f32, color: Color32) {
    painter.circle_filled(center, radius_px, style::UNCERTAINTY_FILL);
    paint_uncertainty_rim(painter, center, radius_px, color);
}

/// The dashed rim of an uncertainty circle, without its fill (for many circles at once, where
/// fills would wash out each other's rims).
pub fn paint_uncertainty_rim(painter: &Painter, center: Pos2, radius_px: f32, color: Color32) {
    let steps = ((radius_px * 0.5) as usize).clamp(24, 256);
    let rim: Vec<Pos2> = (0..=steps)
        .map(|i| {
            let angle = i as f32 / steps as f32 * std::f32::consts::TAU;
            center + radius_px * Vec2::angled(angle)
        })
        .collect();
    painter.extend(Shape::dashed_line(
        &rim,
        Stroke::new(style::UNCERTAINTY_OUTLINE_WIDTH, color),
        6.0,
        4.0,
    ));
}
