//! The case's annotations on the map (at the desk, on slides and in exports, which share this
//! map): arrows (straight or curved, with a head and a label), callouts, geodesic range rings
//! with their radii, areas (tinted or hatched) and lines, each in its Okabe–Ito colour, width
//! and dash; an annotation with chosen story steps only on those. And the annotation being
//! drawn: its points so far, a click adding the next.

use super::measure::screen_path;
use super::to_position;
use crate::model::LonLat;
use crate::state::{AppState, Command};
use crate::style;
use egui::{Color32, FontId, Painter, Pos2, Shape, Stroke, Vec2, pos2, vec2};
use strikemap_core::case::Annotation;
use strikemap_core::case::annotation::{self, Colour, Dash, Fill};
use walkers::Projector;

/// The app's colour for a palette colour.
pub fn colour(colour: Colour) -> Color32 {
    use style::okabe_ito as c;
    match colour {
        Colour::Black => c::BLACK,
        Colour::Orange => c::ORANGE,
        Colour::SkyBlue => c::SKY_BLUE,
        Colour::BluishGreen => c::BLUISH_GREEN,
        Colour::Yellow => c::YELLOW,
        Colour::Blue => c::BLUE,
        Colour::Vermillion => c::VERMILLION,
        Colour::ReddishPurple => c::REDDISH_PURPLE,
    }
}

/// Draws the annotations shown on the current step (at the desk with no step chosen: all).
/// `scale` is the furniture's (larger on a projector).
pub fn paint_annotations(
    painter: &Painter,
    projector: &Projector,
    state: &AppState,
    at_desk: bool,
    scale: f32,
) {
    let step = state.current_step_id();
    for annotation in &state.case().case.annotations {
        if annotation.shown_on(step.as_deref()) || (at_desk && step.is_none()) {
            paint_annotation(painter, projector, annotation, scale);
        }
    }
}

fn project(projector: &Projector, at: LonLat) -> Pos2 {
    projector.project(to_position(at)).to_pos2()
}

fn paint_annotation(painter: &Painter, projector: &Projector, annotation: &Annotation, scale: f32) {
    let color = colour(annotation.style.colour);
    let width = annotation.style.width as f32 * scale;
    let stroke = Stroke::new(width, color);
    let dash = annotation.style.dash;
    let points = annotation.shape.points();
    let label = annotation.label.trim();
    match &annotation.shape {
        annotation::Shape::Line { .. } => {
            let path = geodesic_polyline(projector, &points);
            paint_path(painter, &path, stroke, dash);
            if let Some(middle) = path.get(path.len() / 2) {
                paint_label(
                    painter,
                    *middle + vec2(0.0, -8.0 * scale),
                    label,
                    color,
                    scale,
                );
            }
        }
        annotation::Shape::Arrow { curved, .. } => {
            let [from, to] = [points.first(), points.last()].map(|at| at.copied());
            let (Some(from), Some(to)) = (from, to) else {
                return;
            };
            let path = if *curved {
                curved_path(project(projector, from), project(projector, to))
            } else {
                screen_path(projector, from, to)
            };
            let head = 4.0 * width.max(2.0);
            let shortened = shorten_end(&path, head * 0.8);
            paint_path(painter, &shortened, stroke, dash);
            paint_arrow_head(painter, &path, head, color);
            if let Some(middle) = path.get(path.len() / 2) {
                paint_label(
                    painter,
                    *middle + vec2(0.0, -8.0 * scale),
                    label,
                    color,
                    scale,
                );
            }
        }
        annotation::Shape::Callout { .. } => {
            let Some(at) = points.first() else { return };
            let anchor = project(projector, *at);
            let corner = anchor + vec2(24.0, -24.0) * scale;
            painter.line_segment([anchor, corner], Stroke::new(1.5 * scale, color));
            painter.circle(anchor, 3.5 * scale, color, Stroke::new(1.0, Color32::WHITE));
            let galley = painter.layout(
                label.to_owned(),
                FontId::proportional(14.0 * scale),
                style::LABEL_TEXT,
                260.0 * scale,
            );
            let rect = egui::Rect::from_min_size(
                corner - vec2(0.0, galley.size().y + 8.0 * scale),
                galley.size() + Vec2::splat(8.0 * scale),
            );
            painter.rect(
                rect,
                3.0 * scale,
                style::LABEL_HALO,
                Stroke::new(1.5 * scale, color),
                egui::StrokeKind::Outside,
            );
            painter.galley(
                rect.min + Vec2::splat(4.0 * scale),
                galley,
                style::LABEL_TEXT,
            );
        }
        annotation::Shape::RangeRings { radii_km, .. } => {
            let Some(center) = points.first() else { return };
            let middle = project(projector, *center);
            painter.circle_filled(middle, 3.0 * scale, color);
            for radius in radii_km {
                let ring: Vec<Pos2> = annotation::ring_points(*center, *radius)
                    .into_iter()
                    .map(|at| project(projector, at))
                    .collect();
                paint_path(painter, &ring, stroke, dash);
                if let Some(north) = ring.first() {
                    let text = if label.is_empty() {
                        format!("{} km", thousands(*radius))
                    } else {
                        format!("{label}: {} km", thousands(*radius))
                    };
                    paint_label(painter, *north, &text, color, scale);
                }
            }
        }
        annotation::Shape::Area { fill, .. } => {
            let polygon: Vec<Pos2> = points.iter().map(|at| project(projector, *at)).collect();
            match fill {
                Fill::Tint => {
                    for segment in scan_segments(&polygon, false, 2.0) {
                        painter.line_segment(segment, Stroke::new(2.0, color.gamma_multiply(0.18)));
                    }
                }
                Fill::Hatch => {
                    for segment in scan_segments(&polygon, true, 9.0 * scale) {
                        painter.line_segment(segment, Stroke::new(1.2 * scale, color));
                    }
                }
                Fill::None => {}
            }
            let mut outline = polygon.clone();
            if let Some(first) = polygon.first() {
                outline.push(*first);
            }
            paint_path(painter, &outline, stroke, dash);
            if !polygon.is_empty() {
                let sum = polygon
                    .iter()
                    .fold(Vec2::ZERO, |sum, at| sum + at.to_vec2());
                let centre = (sum / polygon.len() as f32).to_pos2();
                paint_label(painter, centre, label, color, scale);
            }
        }
    }
}

fn thousands(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        strikemap_core::text::thousands(value as usize)
    } else {
        format!("{value}")
    }
}

/// Consecutive points joined along their geodesics, on the screen.
fn geodesic_polyline(projector: &Projector, points: &[LonLat]) -> Vec<Pos2> {
    let mut path: Vec<Pos2> = Vec::new();
    for pair in points.windows(2) {
        let piece = screen_path(projector, pair[0], pair[1]);
        let skip = usize::from(!path.is_empty());
        path.extend(piece.into_iter().skip(skip));
    }
    path
}

/// A curve bending to the left of the way from `from` to `to` (a quadratic Bézier).
fn curved_path(from: Pos2, to: Pos2) -> Vec<Pos2> {
    let along = to - from;
    let left = vec2(along.y, -along.x) * 0.25;
    let control = from + along * 0.5 + left;
    (0..=32)
        .map(|index| {
            let t = index as f32 / 32.0;
            let a = from.lerp(control, t);
            let b = control.lerp(to, t);
            a.lerp(b, t)
        })
        .collect()
}

/// The path cut short by `by` points at its end (where the arrow head goes).
fn shorten_end(path: &[Pos2], by: f32) -> Vec<Pos2> {
    let mut kept = path.to_vec();
    let mut left = by;
    while kept.len() >= 2 && left > 0.0 {
        let last = kept[kept.len() - 1];
        let before = kept[kept.len() - 2];
        let length = last.distance(before);
        if length > left {
            let len = kept.len();
            kept[len - 1] = last + (before - last) * (left / length);
            break;
        }
        left -= length;
        kept.pop();
    }
    kept
}

fn paint_arrow_head(painter: &Painter, path: &[Pos2], size: f32, color: Color32) {
    let Some(tip) = path.last().copied() else {
        return;
    };
    // The direction of the last piece that is long enough to have one.
    let Some(back) = path.iter().rev().find(|at| at.distance(tip) > 1.0).copied() else {
        return;
    };
    let direction = (tip - back).normalized();
    let side = vec2(-direction.y, direction.x) * size * 0.5;
    let base = tip - direction * size;
    painter.add(Shape::convex_polygon(
        vec![tip, base + side, base - side],
        color,
        Stroke::new(1.0, Color32::WHITE),
    ));
}

/// A line in its dash, with a faint light halo so it reads on any basemap.
fn paint_path(painter: &Painter, path: &[Pos2], stroke: Stroke, dash: Dash) {
    if path.len() < 2 {
        return;
    }
    let halo = Stroke::new(stroke.width + 2.0, Color32::from_white_alpha(110));
    painter.add(Shape::line(path.to_vec(), halo));
    let width = stroke.width.max(1.0);
    match dash {
        Dash::Solid => {
            painter.add(Shape::line(path.to_vec(), stroke));
        }
        Dash::Dashed => {
            painter.extend(Shape::dashed_line(path, stroke, 4.0 * width, 2.5 * width));
        }
        Dash::Dotted => {
            painter.extend(Shape::dotted_line(
                path,
                stroke.color,
                2.5 * width,
                width * 0.6,
            ));
        }
    }
}

/// A label with a light halo, centred above `at`.
fn paint_label(painter: &Painter, at: Pos2, text: &str, color: Color32, scale: f32) {
    if text.is_empty() {
        return;
    }
    let galley = painter.layout_no_wrap(
        text.to_owned(),
        FontId::proportional(13.0 * scale),
        style::LABEL_TEXT,
    );
    let rect = egui::Align2::CENTER_BOTTOM
        .anchor_size(at, galley.size())
        .expand(3.0 * scale);
    painter.rect(
        rect,
        3.0 * scale,
        style::LABEL_HALO,
        Stroke::new(1.0 * scale, color),
        egui::StrokeKind::Inside,
    );
    painter.galley(
        rect.min + Vec2::splat(3.0 * scale),
        galley,
        style::LABEL_TEXT,
    );
}

/// The pieces of parallel lines `spacing` apart that lie inside the polygon (even-odd rule):
/// horizontal lines for a tint, lines at 45° for a hatch.
fn scan_segments(polygon: &[Pos2], diagonal: bool, spacing: f32) -> Vec<[Pos2; 2]> {
    if polygon.len() < 3 || spacing <= 0.0 {
        return Vec::new();
    }
    // Rotate by 45° for a hatch, scan horizontal lines, rotate back.
    let (cos, sin) = if diagonal {
        (
            std::f32::consts::FRAC_1_SQRT_2,
            std::f32::consts::FRAC_1_SQRT_2,
        )
    } else {
        (1.0, 0.0)
    };
    let turn = |p: Pos2| pos2(p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
    let back = |p: Pos2| pos2(p.x * cos - p.y * sin, p.x * sin + p.y * cos);
    let turned: Vec<Pos2> = polygon.iter().map(|p| turn(*p)).collect();
    let (top, bottom) = turned
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.y), hi.max(p.y))
        });
    let mut segments = Vec::new();
    let lines = ((bottom - top) / spacing).ceil();
    if !lines.is_finite() || lines > 4000.0 {
        return segments;
    }
    let mut y = top + spacing / 2.0;
    while y < bottom {
        let mut crossings: Vec<f32> = Vec::new();
        for (index, a) in turned.iter().enumerate() {
            let b = turned[(index + 1) % turned.len()];
            if (a.y <= y) != (b.y <= y) {
                crossings.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
            }
        }
        crossings.sort_by(f32::total_cmp);
        for pair in crossings.chunks_exact(2) {
            segments.push([back(pos2(pair[0], y)), back(pos2(pair[1], y))]);
        }
        y += spacing;
    }
    segments
}

/// While an annotation is being drawn: its points so far, and a click on the map adds one.
pub fn draft_ui(
    ui: &egui::Ui,
    response: &egui::Response,
    projector: &Projector,
    state: &AppState,
) -> Vec<Command> {
    let Some(draft) = state.annotation_draft() else {
        return Vec::new();
    };
    let screen: Vec<Pos2> = draft
        .points
        .iter()
        .map(|at| project(projector, *at))
        .collect();
    let painter = ui.painter();
    let stroke = Stroke::new(2.0, style::okabe_ito::BLACK);
    painter.add(Shape::dashed_line(&screen, stroke, 6.0, 4.0));
    for at in &screen {
        painter.circle(*at, 4.5, Color32::WHITE, stroke);
    }
    if response.hovered() {
        response.ctx.set_cursor_icon(egui::CursorIcon::Crosshair);
    }
    match response
        .interact_pointer_pos()
        .filter(|_| response.clicked())
    {
        Some(pointer) => {
            let at = projector.unproject(pointer.to_vec2());
            vec![Command::AddAnnotationPoint(LonLat {
                lon: at.x(),
                lat: at.y(),
            })]
        }
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hatch_stays_inside_its_polygon() {
        let square = [
            pos2(0.0, 0.0),
            pos2(100.0, 0.0),
            pos2(100.0, 100.0),
            pos2(0.0, 100.0),
        ];
        let lines = scan_segments(&square, true, 10.0);
        assert!(lines.len() > 10);
        for [a, b] in lines {
            for p in [a, b] {
                assert!(
                    (-0.01..=100.01).contains(&p.x) && (-0.01..=100.01).contains(&p.y),
                    "{p:?}"
                );
            }
        }
        // A tint covers the square: its lines' lengths add up to its area over the spacing.
        let tint: f32 = scan_segments(&square, false, 2.0)
            .iter()
            .map(|[a, b]| a.distance(*b))
            .sum();
        assert!((tint - 100.0 * 100.0 / 2.0).abs() < 1.0, "{tint}");
    }

    #[test]
    fn an_arrow_is_cut_short_for_its_head() {
        let path = [pos2(0.0, 0.0), pos2(50.0, 0.0), pos2(100.0, 0.0)];
        let cut = shorten_end(&path, 10.0);
        assert_eq!(cut.last(), Some(&pos2(90.0, 0.0)));
    }
}
