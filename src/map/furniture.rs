//! Map furniture: the legend, a graphic scale bar and the date stamp. Drawn with the same
//! painters as the map, so the legend's symbols are exactly the map's.

use crate::markers::{paint_marker, paint_uncertainty_circle};
use crate::model::Date;
use crate::state::AppState;
use crate::style;
use egui::{Color32, FontId, Painter, Pos2, Rect, Stroke, Vec2, pos2, vec2};

/// The longest "nice" distance (1, 2 or 5 × 10ⁿ metres) that fits in `max_metres`.
pub fn nice_scale_length_m(max_metres: f64) -> f64 {
    if !(max_metres.is_finite() && max_metres > 0.0) {
        return 0.0;
    }
    let magnitude = 10f64.powf(max_metres.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|step| step * magnitude)
        .find(|length| *length <= max_metres)
        .unwrap_or(magnitude)
}

/// "50 km", "500 m".
pub fn format_distance(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", (metres / 1000.0).round())
    } else {
        format!("{} m", metres.round())
    }
}

/// One legend row: a symbol and its meaning.
#[derive(Clone, Debug, PartialEq)]
pub enum LegendSymbol {
    /// A marker exactly as the map draws it.
    Strike {
        style: style::CountryStyle,
    },
    Uncertainty {
        color: egui::Color32,
    },
    ProvinceFill {
        country: String,
    },
    Border,
    /// A point of a large file, and its count bubble.
    TablePoint {
        color: egui::Color32,
    },
    Cluster {
        color: egui::Color32,
    },
}

/// What the legend lists for the current map: one row per attacker among shown strikes (and
/// per layer for events whose data names no attacker), the uncertainty circle, one fill per
/// country among the provinces, and the measured border.
pub fn legend_rows(
    state: &AppState,
    provinces_shown: bool,
    uncertainty_shown: bool,
) -> Vec<(LegendSymbol, String)> {
    let mut kinds: Vec<(String, style::CountryStyle)> = Vec::new();
    for (event_ref, event) in state.shown_events() {
        let text = match event.attacker() {
            Some(attacker) => format!("Strike by {attacker}"),
            None => {
                let layer = state
                    .layer(event_ref.layer)
                    .map_or("a loaded file", |layer| layer.name.as_str());
                format!("Event in {layer} (the data names no attacker)")
            }
        };
        if !kinds.iter().any(|(known, _)| *known == text) {
            let mut look = crate::markers::event_style(state, &event_ref, event);
            look.color = look.color.to_opaque();
            kinds.push((text, look));
        }
    }
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rows: Vec<(LegendSymbol, String)> = kinds
        .iter()
        .map(|(text, look)| (LegendSymbol::Strike { style: *look }, text.clone()))
        .collect();
    for (layer, content) in state.visible_tables() {
        let [r, g, b] = layer.look.color;
        let color = egui::Color32::from_rgb(r, g, b);
        rows.push((
            LegendSymbol::TablePoint { color },
            format!(
                "{} ({} shown)",
                layer.name,
                crate::text::thousands(content.table.rows_in_window(state.time_window()).len())
            ),
        ));
    }
    if let Some((layer, _)) = state.visible_tables().next() {
        let [r, g, b] = layer.look.color;
        rows.push((
            LegendSymbol::Cluster {
                color: egui::Color32::from_rgb(r, g, b),
            },
            "Number of events nearby (zoom in to split)".into(),
        ));
    }
    if uncertainty_shown && let Some((_, look)) = kinds.first() {
        rows.push((
            LegendSymbol::Uncertainty { color: look.color },
            "Area the strike is known to (location uncertainty)".into(),
        ));
    }
    if provinces_shown {
        let mut provinces: Vec<(String, String)> = state
            .provinces
            .iter()
            .map(|province| (province.country.clone(), province.name.clone()))
            .collect();
        provinces.sort();
        for (country, name) in provinces {
            rows.push((
                LegendSymbol::ProvinceFill {
                    country: country.clone(),
                },
                format!("{name} province ({country})"),
            ));
        }
    }
    if state.border.is_some() && state.selected().is_some() {
        rows.push((
            LegendSymbol::Border,
            "Distance to the Iran–Pakistan border".into(),
        ));
    }
    rows
}

const ROW_HEIGHT: f32 = 22.0;
const SYMBOL_WIDTH: f32 = 26.0;

fn paint_symbol(painter: &Painter, center: Pos2, symbol: &LegendSymbol) {
    match symbol {
        LegendSymbol::Strike { style } => {
            paint_marker(painter, center, 7.0, style.marker, style.color, false);
        }
        LegendSymbol::Uncertainty { color } => {
            paint_uncertainty_circle(painter, center, 9.0, *color);
        }
        LegendSymbol::ProvinceFill { country } => {
            let color = style::country_style(country).color;
            let rect = Rect::from_center_size(center, vec2(20.0, 13.0));
            painter.rect_filled(rect, 0.0, Color32::WHITE);
            painter.rect(
                rect,
                0.0,
                style::with_alpha(color, style::PROVINCE_FILL_ALPHA),
                Stroke::new(style::PROVINCE_OUTLINE_WIDTH, color),
                egui::StrokeKind::Inside,
            );
        }
        LegendSymbol::TablePoint { color } => {
            painter.circle_filled(center, crate::map::table_layer::POINT_RADIUS, *color);
        }
        LegendSymbol::Cluster { color } => {
            painter.circle(
                center,
                9.0,
                color.gamma_multiply(0.78),
                Stroke::new(1.5, egui::Color32::WHITE),
            );
        }
        LegendSymbol::Border => {
            painter.extend(egui::Shape::dashed_line(
                &[center - vec2(10.0, 0.0), center + vec2(10.0, 0.0)],
                Stroke::new(style::BORDER_DISTANCE_WIDTH, style::BORDER_DISTANCE_COLOR),
                4.0,
                3.0,
            ));
        }
    }
}

/// A white card at `anchor` (bottom-left corner) listing the rows; returns its rectangle.
pub fn paint_legend(
    painter: &Painter,
    bottom_left: Pos2,
    rows: &[(LegendSymbol, String)],
    scale: f32,
) -> Rect {
    if rows.is_empty() {
        return Rect::from_min_size(bottom_left, Vec2::ZERO);
    }
    let font = FontId::proportional(13.0 * scale);
    let galleys: Vec<_> = rows
        .iter()
        .map(|(_, text)| painter.layout_no_wrap(text.clone(), font.clone(), style::LABEL_TEXT))
        .collect();
    let text_width = galleys
        .iter()
        .map(|galley| galley.size().x)
        .fold(0.0, f32::max);
    let title = painter.layout_no_wrap(
        "Legend".into(),
        FontId::proportional(14.0 * scale),
        style::LABEL_TEXT,
    );
    let row_height = ROW_HEIGHT * scale;
    let padding = 8.0 * scale;
    let size = vec2(
        (SYMBOL_WIDTH * scale + text_width).max(title.size().x) + 2.0 * padding,
        title.size().y + row_height * rows.len() as f32 + 2.0 * padding,
    );
    let rect = Rect::from_min_size(pos2(bottom_left.x, bottom_left.y - size.y), size);
    painter.rect(
        rect,
        4.0,
        style::FURNITURE_BACKGROUND,
        Stroke::new(1.0, style::FURNITURE_OUTLINE),
        egui::StrokeKind::Inside,
    );
    let mut y = rect.top() + padding;
    painter.galley(pos2(rect.left() + padding, y), title, style::LABEL_TEXT);
    y += galleys.first().map_or(0.0, |galley| galley.size().y) + 4.0 * scale;
    for ((symbol, _), galley) in rows.iter().zip(galleys) {
        let center_y = y + row_height / 2.0;
        paint_symbol(
            painter,
            pos2(
                rect.left() + padding + SYMBOL_WIDTH * scale / 2.0 - 2.0,
                center_y,
            ),
            symbol,
        );
        painter.galley(
            pos2(
                rect.left() + padding + SYMBOL_WIDTH * scale,
                center_y - galley.size().y / 2.0,
            ),
            galley,
            style::LABEL_TEXT,
        );
        y += row_height;
    }
    rect
}

/// A graphic scale bar (a ratio like 1:N is wrong once a slide is resized) whose left end is at
/// `bottom_left`; `pixels_per_metre` at the map's centre.
pub fn paint_scale_bar(
    painter: &Painter,
    bottom_left: Pos2,
    pixels_per_metre: f64,
    scale: f32,
) -> Rect {
    let max_px = 140.0 * f64::from(scale);
    let length_m = nice_scale_length_m(max_px / pixels_per_metre);
    let length_px = (length_m * pixels_per_metre) as f32;
    let label = painter.layout_no_wrap(
        format_distance(length_m),
        FontId::proportional(12.0 * scale),
        style::LABEL_TEXT,
    );
    let padding = 6.0 * scale;
    let size = vec2(
        length_px.max(label.size().x) + 2.0 * padding,
        label.size().y + 14.0 * scale + padding,
    );
    let rect = Rect::from_min_size(pos2(bottom_left.x, bottom_left.y - size.y), size);
    painter.rect_filled(rect, 3.0, style::FURNITURE_BACKGROUND);
    let bar_y = rect.bottom() - padding;
    let x0 = rect.left() + padding;
    let stroke = Stroke::new(2.0 * scale, style::LABEL_TEXT);
    painter.line_segment([pos2(x0, bar_y), pos2(x0 + length_px, bar_y)], stroke);
    for x in [x0, x0 + length_px / 2.0, x0 + length_px] {
        painter.line_segment([pos2(x, bar_y), pos2(x, bar_y - 6.0 * scale)], stroke);
    }
    painter.galley(pos2(x0, rect.top() + 2.0), label, style::LABEL_TEXT);
    rect
}

/// "Map made 25 Nov 2026 · information as of 1 Feb 2024".
pub fn date_stamp(made: Date, as_of: Option<Date>) -> String {
    match as_of {
        Some(as_of) => format!("Map made {made} · information as of {as_of}"),
        None => format!("Map made {made}"),
    }
}

pub fn paint_date_stamp(painter: &Painter, bottom_left: Pos2, text: &str, scale: f32) -> Rect {
    let galley = painter.layout_no_wrap(
        text.to_owned(),
        FontId::proportional(12.0 * scale),
        style::LABEL_TEXT,
    );
    let rect = Rect::from_min_size(
        pos2(bottom_left.x, bottom_left.y - galley.size().y - 4.0),
        galley.size() + vec2(8.0, 4.0),
    );
    painter.rect_filled(rect, 3.0, style::FURNITURE_BACKGROUND);
    painter.galley(rect.min + vec2(4.0, 2.0), galley, style::LABEL_TEXT);
    rect
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(nice_scale_length_m(140_000.0), 100_000.0);
        assert_eq!(nice_scale_length_m(99_000.0), 50_000.0);
        assert_eq!(nice_scale_length_m(30_000.0), 20_000.0);
        assert_eq!(nice_scale_length_m(1_500.0), 1_000.0);
        assert_eq!(nice_scale_length_m(0.0), 0.0);
        assert_eq!(format_distance(50_000.0), "50 km");
        assert_eq!(format_distance(500.0), "500 m");
    }

    #[test]
    fn the_legend_lists_both_attackers_and_the_fills() {
        let state = AppState::bundled();
        let rows = legend_rows(&state, true, true);
        let texts: Vec<&str> = rows.iter().map(|(_, text)| text.as_str()).collect();
        assert!(texts.contains(&"Strike by Iran"), "{texts:?}");
        assert!(texts.contains(&"Strike by Pakistan"), "{texts:?}");
        assert!(
            texts.contains(&"Balochistan province (Pakistan)"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|text| text.contains("uncertainty")));
        let without = legend_rows(&state, false, false);
        assert_eq!(without.len(), 2);
    }

    #[test]
    fn the_date_stamp_names_both_dates() {
        let made = Date::parse_iso("2026-11-25").unwrap();
        let as_of = Date::parse_iso("2024-02-01").ok();
        assert_eq!(
            date_stamp(made, as_of),
            "Map made 25 Nov 2026 · information as of 1 Feb 2024"
        );
    }
}
