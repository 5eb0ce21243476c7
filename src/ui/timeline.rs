//! The timeline strip: every event and statement on a date axis, in two tracks. Drag across the
//! axis to choose a date range (the map and the list show only that range); step or play
//! through the story.

use crate::model::{Date, format_date_range};
use crate::state::{AppState, Command, StoryItem};
use crate::style;
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, pos2, vec2};

/// Maps dates to x positions: one slot per day from the first day to the last.
#[derive(Clone, Copy, Debug)]
pub struct DateAxis {
    pub first: Date,
    pub days: i64,
    pub rect: Rect,
}

impl DateAxis {
    pub fn new(span: (Date, Date), rect: Rect) -> Self {
        let days = (span.1.days_since_unix_epoch() - span.0.days_since_unix_epoch() + 1).max(1);
        Self {
            first: span.0,
            days,
            rect,
        }
    }

    pub fn day_width(&self) -> f32 {
        self.rect.width() / self.days as f32
    }

    /// The centre of a day's slot.
    pub fn x_of(&self, date: Date) -> f32 {
        let day = date.days_since_unix_epoch() - self.first.days_since_unix_epoch();
        self.rect.left() + (day as f32 + 0.5) * self.day_width()
    }

    /// The day under an x position, clamped to the axis.
    pub fn date_at(&self, x: f32) -> Date {
        let day = ((x - self.rect.left()) / self.day_width()).floor() as i64;
        Date::from_days_since_unix_epoch(
            self.first.days_since_unix_epoch() + day.clamp(0, self.days - 1),
        )
    }

    fn slot(&self, date: Date) -> Rect {
        let center_x = self.x_of(date);
        Rect::from_x_y_ranges(
            center_x - self.day_width() / 2.0..=center_x + self.day_width() / 2.0,
            self.rect.y_range(),
        )
    }
}

/// "16–18 Jan 2024", or "All dates (16–22 Jan 2024)".
pub fn range_text(state: &AppState) -> String {
    match (state.time_window(), state.date_span()) {
        (Some((start, end)), _) => format_date_range(start, end),
        (None, Some((start, end))) => format!("All dates ({})", format_date_range(start, end)),
        (None, None) => "No dates".into(),
    }
}

const TRACK_LABEL_WIDTH: f32 = 84.0;

/// Room a tick label needs, in points.
const TICK_LABEL_WIDTH: f32 = 46.0;

/// The labelled ticks of the axis: every day ("16 Jan") when each day has room for a label,
/// else every week, else the first of every month or every few months ("Jan 2024" in January,
/// "Mar" otherwise).
pub fn tick_dates(span: (Date, Date), day_width: f32) -> Vec<(Date, String)> {
    let (first, last) = span;
    let day_label = |date: Date| format!("{} {}", date.day, date.month_abbreviation());
    let days_per_label = (TICK_LABEL_WIDTH / day_width.max(0.01)).ceil() as i64;
    let mut ticks = Vec::new();
    if days_per_label <= 7 {
        let step = if days_per_label <= 1 { 1 } else { 7 };
        let mut day = first.days_since_unix_epoch();
        while day <= last.days_since_unix_epoch() {
            let date = Date::from_days_since_unix_epoch(day);
            ticks.push((date, day_label(date)));
            day += step;
        }
        return ticks;
    }
    let months_per_label = ((days_per_label as f32 / 30.0).ceil() as u32).clamp(1, 12);
    let months_per_label = [1, 2, 3, 6, 12]
        .into_iter()
        .find(|&step| step >= months_per_label)
        .unwrap_or(12);
    let (mut year, mut month) = (first.year, u32::from(first.month));
    while let Ok(date) = Date::from_ymd(year, month, 1) {
        if date > last {
            break;
        }
        if date >= first && (month - 1) % months_per_label == 0 {
            let label = if month == 1 {
                format!("{} {year}", date.month_abbreviation())
            } else {
                date.month_abbreviation().to_owned()
            };
            ticks.push((date, label));
        }
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    ticks
}

/// How many rows of the visible large layers fall on each day of `span` (index 0 is its first
/// day). Rows are in date order, so each day is two binary searches.
pub fn table_rows_per_day(state: &AppState, span: (Date, Date)) -> Vec<usize> {
    let first = span.0.days_since_unix_epoch();
    let days = (span.1.days_since_unix_epoch() - first + 1).clamp(0, 100_000) as usize;
    let mut counts = vec![0; days];
    for (_, layer) in state.visible_tables() {
        for (day, count) in counts.iter_mut().enumerate() {
            let date = Date::from_days_since_unix_epoch(first + day as i64);
            *count += layer.table.rows_in_window(Some((date, date))).len();
        }
    }
    counts
}

pub fn timeline_ui(ui: &mut Ui, state: &AppState, playing: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if ui
            .button("Previous")
            .on_hover_text("Previous event or statement (Left, PageUp)")
            .clicked()
        {
            commands.push(Command::StepBack);
        }
        let play_label = if playing { "Pause" } else { "Play" };
        if ui
            .button(play_label)
            .on_hover_text("Step through the story in time order")
            .clicked()
        {
            commands.push(Command::TogglePlay);
        }
        if ui
            .button("Next")
            .on_hover_text("Next event or statement (Right, PageDown, Space)")
            .clicked()
        {
            commands.push(Command::StepForward);
        }
        ui.separator();
        ui.label(egui::RichText::new(range_text(state)).strong());
        if state.time_window().is_some() && ui.button("All dates").clicked() {
            commands.push(Command::SetTimeWindow(None));
        }
        ui.label(
            egui::RichText::new("Drag across the days to show a range")
                .small()
                .weak(),
        );
    });

    let Some(span) = state.date_span() else {
        return commands;
    };
    let (full_rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 64.0), Sense::hover());
    let axis_rect = Rect::from_min_max(full_rect.min + vec2(TRACK_LABEL_WIDTH, 0.0), full_rect.max);
    let axis = DateAxis::new(span, axis_rect.shrink2(vec2(6.0, 0.0)));
    let painter = ui.painter_at(full_rect);
    let strikes_y = full_rect.top() + 16.0;
    let statements_y = full_rect.top() + 38.0;
    let ticks_y = full_rect.bottom() - 8.0;
    painter.text(
        pos2(full_rect.left(), strikes_y),
        Align2::LEFT_CENTER,
        "Strikes",
        FontId::proportional(12.0),
        ui.visuals().text_color(),
    );
    painter.text(
        pos2(full_rect.left(), statements_y),
        Align2::LEFT_CENTER,
        "Statements",
        FontId::proportional(12.0),
        ui.visuals().text_color(),
    );

    // The chosen range, shaded.
    if let Some((start, end)) = state.time_window() {
        let shaded = axis.slot(start).union(axis.slot(end));
        painter.rect_filled(
            shaded,
            2.0,
            style::with_alpha(style::okabe_ito::SKY_BLUE, 60),
        );
    }
    // Events per day of the large layers, as bars behind the strikes.
    let per_day = table_rows_per_day(state, span);
    if let Some(&most) = per_day.iter().max()
        && most > 0
    {
        let bar_width = (axis.day_width() - 1.0).max(1.0);
        for (day, &count) in per_day.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let date =
                Date::from_days_since_unix_epoch(span.0.days_since_unix_epoch() + day as i64);
            let height = 2.0 + 20.0 * count as f32 / most as f32;
            let x = axis.x_of(date);
            painter.rect_filled(
                Rect::from_min_max(
                    pos2(x - bar_width / 2.0, strikes_y + 8.0 - height),
                    pos2(x + bar_width / 2.0, strikes_y + 8.0),
                ),
                0.0,
                style::with_alpha(style::okabe_ito::BLUISH_GREEN, 90),
            );
        }
    }
    // Ticks and labels: every day when there is room, else every week or month.
    for (date, label) in tick_dates(span, axis.day_width()) {
        let x = axis.x_of(date);
        painter.line_segment(
            [pos2(x, ticks_y - 12.0), pos2(x, ticks_y - 8.0)],
            Stroke::new(1.0, Color32::GRAY),
        );
        painter.text(
            pos2(x, ticks_y),
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(11.0),
            ui.visuals().weak_text_color(),
        );
    }

    // Dragging across the axis chooses a range of whole days.
    let drag = ui.interact(
        axis_rect,
        ui.scope_id().with("timeline-range"),
        Sense::click_and_drag(),
    );
    if drag.dragged()
        && let Some(origin) = ui.input(|input| input.pointer.press_origin())
        && let Some(pointer) = drag.interact_pointer_pos()
    {
        let (a, b) = (axis.date_at(origin.x), axis.date_at(pointer.x));
        commands.push(Command::SetTimeWindow(Some((a.min(b), a.max(b)))));
    }

    // The items, each a clickable, accessible widget.
    let current = state.current_story_item();
    let mut per_day_offsets: std::collections::HashMap<(Date, u8), f32> = Default::default();
    for item in state.story() {
        let (date, y, label, kind) = match &item {
            StoryItem::Event(event_ref) => {
                let Some(event) = state.event(event_ref) else {
                    continue;
                };
                (
                    event.date,
                    strikes_y,
                    format!("Timeline: {} {}", event.date, event.title()),
                    0,
                )
            }
            StoryItem::Statement(id) => {
                let Some(statement) = state.statements.iter().find(|s| &s.id == id) else {
                    continue;
                };
                (
                    statement.date,
                    statements_y,
                    format!("Timeline: {} {}", statement.date, statement.title),
                    1,
                )
            }
        };
        let offset = per_day_offsets.entry((date, kind)).or_insert(0.0);
        let center = Pos2::new(axis.x_of(date) + *offset, y);
        *offset += 14.0;
        let selected = current.as_ref() == Some(&item);
        match &item {
            StoryItem::Event(event_ref) => {
                if let Some(event) = state.event(event_ref) {
                    let style = crate::markers::event_style(state, event_ref, event);
                    crate::markers::paint_marker(
                        &painter,
                        center,
                        6.0,
                        style.marker,
                        style.color,
                        selected,
                    );
                }
            }
            StoryItem::Statement(_) => {
                if selected {
                    painter.circle_stroke(center, 9.0, Stroke::new(2.0, style::SELECTION_RING));
                }
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        center + vec2(0.0, -6.0),
                        center + vec2(6.0, 0.0),
                        center + vec2(0.0, 6.0),
                        center + vec2(-6.0, 0.0),
                    ],
                    Color32::from_gray(110),
                    Stroke::new(1.0, Color32::WHITE),
                ));
            }
        }
        let response = ui.interact(
            Rect::from_center_size(center, vec2(14.0, 14.0)),
            ui.scope_id().with(("timeline-item", &item)),
            Sense::click(),
        );
        response
            .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
        if response.clicked() {
            commands.push(match item.clone() {
                StoryItem::Event(event_ref) => Command::SelectAndCenter(event_ref),
                StoryItem::Statement(id) => Command::SelectStatement(id),
            });
        }
        response.on_hover_text(label.trim_start_matches("Timeline: ").to_owned());
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_maps_days_to_slots_and_back() {
        let first = Date::parse_iso("2024-01-16").unwrap();
        let last = Date::parse_iso("2024-01-22").unwrap();
        let axis = DateAxis::new(
            (first, last),
            Rect::from_min_size(pos2(100.0, 0.0), vec2(700.0, 50.0)),
        );
        assert_eq!(axis.days, 7);
        assert_eq!(axis.x_of(first), 150.0);
        assert_eq!(axis.date_at(150.0), first);
        assert_eq!(axis.date_at(799.0), last);
        assert_eq!(axis.date_at(-50.0), first, "clamped");
        assert_eq!(axis.date_at(5000.0), last, "clamped");
    }

    #[test]
    fn ticks_thin_out_to_weeks_and_months_as_days_shrink() {
        let d = |text| Date::parse_iso(text).unwrap();
        let week = (d("2024-01-14"), d("2024-01-20"));
        let daily = tick_dates(week, 100.0);
        assert_eq!(daily.len(), 7);
        assert_eq!(daily[2].1, "16 Jan");
        let weekly = tick_dates((d("2024-01-01"), d("2024-03-31")), 10.0);
        assert_eq!(weekly[1], (d("2024-01-08"), "8 Jan".to_owned()));
        let two_years = (d("2023-01-01"), d("2024-12-31"));
        let monthly = tick_dates(two_years, 1.5);
        assert_eq!(monthly[0], (d("2023-01-01"), "Jan 2023".to_owned()));
        assert!(monthly.iter().any(|(_, label)| label == "Jan 2024"));
        // No two labels closer than a label's width.
        for (ticks, day_width) in [(&daily, 100.0), (&weekly, 10.0), (&monthly, 1.5)] {
            for pair in ticks.windows(2) {
                let days = pair[1].0.days_since_unix_epoch() - pair[0].0.days_since_unix_epoch();
                assert!(days as f32 * day_width >= TICK_LABEL_WIDTH, "{pair:?}");
            }
        }
    }

    #[test]
    fn the_range_is_written_out() {
        let mut state = AppState::bundled();
        assert_eq!(range_text(&state), "All dates (16–22 Jan 2024)");
        let day = |d| Date {
            year: 2024,
            month: 1,
            day: d,
        };
        state.apply(Command::SetTimeWindow(Some((day(16), day(18)))));
        assert_eq!(range_text(&state), "16–18 Jan 2024");
    }
}
