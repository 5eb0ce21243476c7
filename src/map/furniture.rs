//! Map furniture: the legend, a graphic scale bar and the date stamp. Drawn with the same
//! painters as the map, so the legend's symbols are exactly the map's.

use crate::geometry::GeoBounds;
use crate::markers::{paint_marker, paint_uncertainty_circle};
use crate::model::{Date, LonLat};
use crate::state::AppState;
use crate::style;
use egui::{Color32, FontId, Painter, Pos2, Rect, Stroke, Vec2, pos2, vec2};
use geo::BoundingRect as _;

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
    /// A loaded overlay (an area, a line): its colour at its opacity, as the map fills it.
    Overlay {
        color: egui::Color32,
        opacity: f32,
    },
}

/// What the legend lists for the current map: one row per attacker among shown strikes (and
/// per layer for events whose data names no attacker), the uncertainty circle, one fill per
/// country among the provinces, and the measured border. With `in_view`, only the strikes and
/// provinces inside that box are listed (the legend explains what the map shows, nothing
/// more); without it, everything that may be shown.
pub fn legend_rows(
    state: &AppState,
    provinces_shown: bool,
    uncertainty_shown: bool,
    in_view: Option<GeoBounds>,
) -> Vec<(LegendSymbol, String)> {
    let inside = |point: LonLat| {
        in_view.is_none_or(|view| {
            (view.min.lon..=view.max.lon).contains(&point.lon)
                && (view.min.lat..=view.max.lat).contains(&point.lat)
        })
    };
    let mut kinds: Vec<(String, style::CountryStyle)> = Vec::new();
    for (event_ref, event) in state.shown_events() {
        if !inside(event.position) {
            continue;
        }
        let text = match event.attacker() {
            Some(attacker) => format!("Strike by {attacker}"),
            None if event_ref.layer == state.case_layer() => {
                "Strike of the case, attacker not named yet".to_owned()
            }
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
    for (layer, _) in state.overlays().filter(|(layer, _)| layer.look.visible) {
        let [r, g, b] = layer.look.color;
        rows.push((
            LegendSymbol::Overlay {
                color: egui::Color32::from_rgb(r, g, b),
                opacity: layer.look.opacity,
            },
            layer.name.clone(),
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
            .filter(|province| {
                in_view.is_none_or(|view| {
                    province.geometry.bounding_rect().is_some_and(|bounds| {
                        bounds.min().x <= view.max.lon
                            && view.min.lon <= bounds.max().x
                            && bounds.min().y <= view.max.lat
                            && view.min.lat <= bounds.max().y
                    })
                })
            })
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
    if let Some((border, _)) = state
        .selected()
        .and_then(|event| state.measured_border(event))
    {
        rows.push((
            LegendSymbol::Border,
            format!("Distance to the {}", crate::state::border_title(&border)),
        ));
    }
    rows
}

const ROW_HEIGHT: f32 = 22.0;
const SYMBOL_WIDTH: f32 = 26.0;
/// Type sizes of the furniture, in points at a furniture scale of 1. Slides draw at
/// `output height / 720` pixels per point, so 12 points is 18 px at 1080 lines.
const LEGEND_TEXT_SIZE: f32 = 13.0;
const LEGEND_TITLE_SIZE: f32 = 14.0;
const SCALE_TEXT_SIZE: f32 = 12.0;

fn paint_symbol(painter: &Painter, center: Pos2, symbol: &LegendSymbol, scale: f32) {
    match symbol {
        LegendSymbol::Strike { style } => {
            paint_marker(
                painter,
                center,
                7.0 * scale,
                style.marker,
                style.color,
                false,
            );
        }
        LegendSymbol::Uncertainty { color } => {
            paint_uncertainty_circle(painter, center, 9.0 * scale, *color);
        }
        LegendSymbol::ProvinceFill { country } => {
            let color = style::country_style(country).color;
            let rect = Rect::from_center_size(center, vec2(20.0, 13.0) * scale);
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
        LegendSymbol::Overlay { color, opacity } => {
            // As `overlays` draws it: the fill at a quarter of the layer's opacity.
            let rect = Rect::from_center_size(center, vec2(20.0, 13.0) * scale);
            painter.rect_filled(rect, 0.0, Color32::WHITE);
            painter.rect(
                rect,
                0.0,
                color.gamma_multiply(opacity * 0.25),
                Stroke::new(1.5 * scale, color.gamma_multiply(*opacity)),
                egui::StrokeKind::Inside,
            );
        }
        LegendSymbol::Cluster { color } => {
            painter.circle(
                center,
                9.0 * scale,
                color.gamma_multiply(0.78),
                Stroke::new(1.5, egui::Color32::WHITE),
            );
        }
        LegendSymbol::Border => {
            painter.extend(egui::Shape::dashed_line(
                &[
                    center - vec2(10.0 * scale, 0.0),
                    center + vec2(10.0 * scale, 0.0),
                ],
                Stroke::new(style::BORDER_DISTANCE_WIDTH, style::BORDER_DISTANCE_COLOR),
                4.0,
                3.0,
            ));
        }
    }
}

/// The legend's size for `rows` (nothing when there are none).
pub fn legend_size(painter: &Painter, rows: &[(LegendSymbol, String)], scale: f32) -> Option<Vec2> {
    if rows.is_empty() {
        return None;
    }
    let font = FontId::proportional(LEGEND_TEXT_SIZE * scale);
    let text_width = rows
        .iter()
        .map(|(_, text)| {
            painter
                .layout_no_wrap(text.clone(), font.clone(), style::LABEL_TEXT)
                .size()
                .x
        })
        .fold(0.0, f32::max);
    let title = painter.layout_no_wrap(
        "Legend".into(),
        FontId::proportional(LEGEND_TITLE_SIZE * scale),
        style::LABEL_TEXT,
    );
    let padding = 8.0 * scale;
    Some(vec2(
        (SYMBOL_WIDTH * scale + text_width).max(title.size().x) + 2.0 * padding,
        title.size().y + 4.0 * scale + ROW_HEIGHT * scale * rows.len() as f32 + 2.0 * padding,
    ))
}

/// A white card listing the rows, its top-left corner at `top_left`; returns its rectangle.
pub fn paint_legend(
    painter: &Painter,
    top_left: Pos2,
    rows: &[(LegendSymbol, String)],
    scale: f32,
) -> Rect {
    let Some(size) = legend_size(painter, rows, scale) else {
        return Rect::from_min_size(top_left, Vec2::ZERO);
    };
    let font = FontId::proportional(LEGEND_TEXT_SIZE * scale);
    let title = painter.layout_no_wrap(
        "Legend".into(),
        FontId::proportional(LEGEND_TITLE_SIZE * scale),
        style::LABEL_TEXT,
    );
    let row_height = ROW_HEIGHT * scale;
    let padding = 8.0 * scale;
    let rect = Rect::from_min_size(top_left, size);
    painter.rect(
        rect,
        4.0,
        style::FURNITURE_BACKGROUND,
        Stroke::new(1.0, style::FURNITURE_OUTLINE),
        egui::StrokeKind::Inside,
    );
    let mut y = rect.top() + padding;
    let title_height = title.size().y;
    painter.galley(pos2(rect.left() + padding, y), title, style::LABEL_TEXT);
    y += title_height + 4.0 * scale;
    for (symbol, text) in rows {
        let galley = painter.layout_no_wrap(text.clone(), font.clone(), style::LABEL_TEXT);
        let center_y = y + row_height / 2.0;
        paint_symbol(
            painter,
            pos2(
                rect.left() + padding + SYMBOL_WIDTH * scale / 2.0 - 2.0,
                center_y,
            ),
            symbol,
            scale,
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

const SCALE_BAR_MAX_PX: f32 = 140.0;

/// The room the scale bar may take (its bar is at most 140 points long, times `scale`).
pub fn scale_bar_size(painter: &Painter, scale: f32) -> Vec2 {
    let label = painter.layout_no_wrap(
        "500 km".into(),
        FontId::proportional(SCALE_TEXT_SIZE * scale),
        style::LABEL_TEXT,
    );
    let padding = 6.0 * scale;
    vec2(
        (SCALE_BAR_MAX_PX * scale).max(label.size().x) + 2.0 * padding,
        label.size().y + 14.0 * scale + padding,
    )
}

/// A graphic scale bar (a ratio like 1:N is wrong once a slide is resized) whose left end is at
/// `bottom_left`; `pixels_per_metre` at the map's centre.
pub fn paint_scale_bar(
    painter: &Painter,
    bottom_left: Pos2,
    pixels_per_metre: f64,
    scale: f32,
) -> Rect {
    let max_px = f64::from(SCALE_BAR_MAX_PX * scale);
    let length_m = nice_scale_length_m(max_px / pixels_per_metre);
    let length_px = (length_m * pixels_per_metre) as f32;
    let label = painter.layout_no_wrap(
        format_distance(length_m),
        FontId::proportional(SCALE_TEXT_SIZE * scale),
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

/// The date stamp's size.
pub fn date_stamp_size(painter: &Painter, text: &str, scale: f32) -> Vec2 {
    painter
        .layout_no_wrap(
            text.to_owned(),
            FontId::proportional(SCALE_TEXT_SIZE * scale),
            style::LABEL_TEXT,
        )
        .size()
        + vec2(8.0, 4.0)
}

/// The date stamp with its top-left corner at `top_left`.
pub fn paint_date_stamp(painter: &Painter, top_left: Pos2, text: &str, scale: f32) -> Rect {
    let galley = painter.layout_no_wrap(
        text.to_owned(),
        FontId::proportional(SCALE_TEXT_SIZE * scale),
        style::LABEL_TEXT,
    );
    let rect = Rect::from_min_size(top_left, galley.size() + vec2(8.0, 4.0));
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
        let rows = legend_rows(&state, true, true, None);
        let texts: Vec<&str> = rows.iter().map(|(_, text)| text.as_str()).collect();
        assert!(texts.contains(&"Strike by Iran"), "{texts:?}");
        assert!(texts.contains(&"Strike by Pakistan"), "{texts:?}");
        assert!(
            texts.contains(&"Balochistan province (Pakistan)"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|text| text.contains("uncertainty")));
        let without = legend_rows(&state, false, false, None);
        assert_eq!(without.len(), 2);
    }

    #[test]
    fn a_loaded_area_layer_has_a_legend_entry_while_shown() {
        let dir = std::env::temp_dir().join(format!("strikemap-legend-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("targeted.geojson");
        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
            "geometry":{"type":"Polygon","coordinates":[[[62,27],[63,27],[63,28],[62,27]]]}}]}"#,
        )
        .unwrap();
        let mut state = AppState::bundled();
        let id = state
            .add_import(path.clone(), crate::import::import_file(&path))
            .unwrap();
        let name = state.layer(id).unwrap().name.clone();
        let rows = legend_rows(&state, true, true, None);
        let row = rows.iter().find(|(_, text)| *text == name);
        assert!(
            matches!(row, Some((LegendSymbol::Overlay { .. }, _))),
            "{rows:?}"
        );
        state.apply(crate::state::Command::SetLayerVisible(id, false));
        let rows = legend_rows(&state, true, true, None);
        assert!(!rows.iter().any(|(_, text)| *text == name));
        let _ = std::fs::remove_dir_all(dir);
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
