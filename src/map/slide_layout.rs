//! Where the map furniture goes, and where that leaves room for the focus: pure geometry on
//! screen rectangles, so layouts can be tested without drawing.
//!
//! The date stamp and the scale bar stack at the bottom left, the attribution sits at the bottom
//! right and the locator inset at the top right; the legend takes whichever corner is emptiest.
//! A story step's focus (marker, uncertainty circle, border line and labels) is framed in the
//! largest rectangle of the map the furniture leaves free.

use crate::geometry::{metres_per_pixel, project_zoom0, unproject_zoom0};
use crate::model::LonLat;
use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// A corner of the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

impl Corner {
    pub const ALL: [Corner; 4] = [
        Corner::BottomLeft,
        Corner::TopLeft,
        Corner::BottomRight,
        Corner::TopRight,
    ];
}

/// The sizes of the pieces of furniture that are shown (`None`: not shown).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FurnitureSizes {
    pub stamp: Option<Vec2>,
    pub scale_bar: Option<Vec2>,
    pub legend: Option<Vec2>,
    pub inset: Option<Vec2>,
    pub attribution: Option<Vec2>,
    /// Room kept at the top left (the zoom buttons at the desk).
    pub top_left_reserved: Option<Vec2>,
}

/// Where each piece of furniture is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct FurnitureLayout {
    pub stamp: Option<Rect>,
    pub scale_bar: Option<Rect>,
    pub legend: Option<Rect>,
    pub inset: Option<Rect>,
    pub attribution: Option<Rect>,
    pub top_left_reserved: Option<Rect>,
    pub legend_corner: Corner,
}

impl FurnitureLayout {
    /// Every occupied rectangle, with its name (for messages and tests).
    pub fn named_rects(&self) -> Vec<(&'static str, Rect)> {
        [
            ("date stamp", self.stamp),
            ("scale bar", self.scale_bar),
            ("legend", self.legend),
            ("locator inset", self.inset),
            ("attribution", self.attribution),
            ("zoom buttons", self.top_left_reserved),
        ]
        .into_iter()
        .filter_map(|(name, rect)| rect.map(|rect| (name, rect)))
        .collect()
    }

    pub fn rects(&self) -> Vec<Rect> {
        self.named_rects()
            .into_iter()
            .map(|(_, rect)| rect)
            .collect()
    }
}

fn at_corner(area: Rect, corner: Corner, size: Vec2) -> Rect {
    let min = match corner {
        Corner::TopLeft => area.min,
        Corner::TopRight => pos2(area.max.x - size.x, area.min.y),
        Corner::BottomLeft => pos2(area.min.x, area.max.y - size.y),
        Corner::BottomRight => area.max - size,
    };
    Rect::from_min_size(min, size)
}

/// Stacks `size` above (bottom corners) or below (top corners) the rectangles already in that
/// corner.
fn stack(area: Rect, corner: Corner, below: Option<Rect>, size: Vec2, gap: f32) -> Rect {
    let Some(below) = below else {
        return at_corner(area, corner, size);
    };
    let base = at_corner(area, corner, size);
    match corner {
        Corner::BottomLeft | Corner::BottomRight => {
            base.translate(vec2(0.0, below.top() - gap - base.bottom()))
        }
        Corner::TopLeft | Corner::TopRight => {
            base.translate(vec2(0.0, below.bottom() + gap - base.top()))
        }
    }
}

/// Lays the furniture out inside `area` (the map less its margins), the legend at
/// `legend_corner`.
pub fn layout(
    area: Rect,
    sizes: &FurnitureSizes,
    legend_corner: Corner,
    gap: f32,
) -> FurnitureLayout {
    let stamp = sizes
        .stamp
        .map(|size| at_corner(area, Corner::BottomLeft, size));
    let scale_bar = sizes
        .scale_bar
        .map(|size| stack(area, Corner::BottomLeft, stamp, size, gap));
    let attribution = sizes
        .attribution
        .map(|size| at_corner(area, Corner::BottomRight, size));
    let inset = sizes
        .inset
        .map(|size| at_corner(area, Corner::TopRight, size));
    let top_left_reserved = sizes
        .top_left_reserved
        .map(|size| at_corner(area, Corner::TopLeft, size));
    let legend = sizes.legend.map(|size| {
        let below = match legend_corner {
            Corner::BottomLeft => scale_bar.or(stamp),
            Corner::BottomRight => attribution,
            Corner::TopRight => inset,
            Corner::TopLeft => top_left_reserved,
        };
        stack(area, legend_corner, below, size, gap)
    });
    FurnitureLayout {
        stamp,
        scale_bar,
        legend,
        inset,
        attribution,
        top_left_reserved,
        legend_corner,
    }
}

/// The largest rectangle inside `area` that overlaps none of `obstacles` (by area; the first
/// found wins a tie). Its edges are the area's or the obstacles' edges.
pub fn largest_free_rect(area: Rect, obstacles: &[Rect]) -> Rect {
    let obstacles: Vec<Rect> = obstacles
        .iter()
        .map(|rect| rect.intersect(area))
        .filter(|rect| rect.is_positive())
        .collect();
    let mut xs_left = vec![area.left()];
    let mut xs_right = vec![area.right()];
    let mut ys_top = vec![area.top()];
    let mut ys_bottom = vec![area.bottom()];
    for rect in &obstacles {
        xs_left.push(rect.right());
        xs_right.push(rect.left());
        ys_top.push(rect.bottom());
        ys_bottom.push(rect.top());
    }
    let overlaps = |candidate: &Rect| {
        obstacles.iter().any(|rect| {
            candidate.min.x < rect.max.x
                && rect.min.x < candidate.max.x
                && candidate.min.y < rect.max.y
                && rect.min.y < candidate.max.y
        })
    };
    let mut best = Rect::NOTHING;
    let mut best_area = 0.0;
    for &left in &xs_left {
        for &right in xs_right.iter().filter(|right| **right > left) {
            for &top in &ys_top {
                for &bottom in ys_bottom.iter().filter(|bottom| **bottom > top) {
                    let candidate = Rect::from_min_max(pos2(left, top), pos2(right, bottom));
                    let size = candidate.area();
                    if size > best_area && !overlaps(&candidate) {
                        best = candidate;
                        best_area = size;
                    }
                }
            }
        }
    }
    if best_area > 0.0 { best } else { area }
}

/// The legend corner whose legend would cover the fewest of `points` (markers in view), and
/// among equals the one that leaves the largest free rectangle; `current` wins a tie.
pub fn emptiest_corner(
    area: Rect,
    sizes: &FurnitureSizes,
    gap: f32,
    points: &[Pos2],
    current: Corner,
) -> Corner {
    let score = |corner: Corner| {
        let placed = layout(area, sizes, corner, gap);
        let covered = placed.legend.map_or(0, |legend| {
            points
                .iter()
                .filter(|point| legend.expand(gap).contains(**point))
                .count()
        });
        let free = largest_free_rect(area, &placed.rects()).area();
        (covered, -free)
    };
    let mut best = current;
    let mut best_score = score(current);
    for corner in Corner::ALL {
        let candidate = score(corner);
        if candidate.0 < best_score.0 || (candidate.0 == best_score.0 && candidate.1 < best_score.1)
        {
            best = corner;
            best_score = candidate;
        }
    }
    best
}

/// The legend corner that leaves the focus the most room.
pub fn roomiest_corner(area: Rect, sizes: &FurnitureSizes, gap: f32) -> Corner {
    emptiest_corner(area, sizes, gap, &[], Corner::BottomLeft)
}

/// What a story step must show: a point, the circle its location is known to, other points
/// (the nearest border point) and room around it for labels, in screen points.
#[derive(Clone, Debug, PartialEq)]
pub struct Focus {
    pub center: LonLat,
    pub radius_km: f64,
    pub also: Vec<LonLat>,
    /// Room kept on every side of the focus for its marker and labels.
    pub margin: Vec2,
}

/// The map centre and zoom that put `focus` in the middle of `free` (a rectangle inside
/// `viewport`, both on screen), as close as `ideal_zoom` allows while it still fits.
pub fn frame_focus(
    focus: &Focus,
    viewport: Rect,
    free: Rect,
    ideal_zoom: f64,
    zoom_range: (f64, f64),
) -> (LonLat, f64) {
    let (cx, cy) = project_zoom0(focus.center);
    let radius0 = focus.radius_km.max(0.0) * 1000.0 / metres_per_pixel(focus.center.lat, 0.0);
    let (mut min_x, mut min_y, mut max_x, mut max_y) =
        (cx - radius0, cy - radius0, cx + radius0, cy + radius0);
    for point in &focus.also {
        let (x, y) = project_zoom0(*point);
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    }
    let span_x = (max_x - min_x).max(1e-9);
    let span_y = (max_y - min_y).max(1e-9);
    let usable_w = f64::from(free.width() - 2.0 * focus.margin.x).max(1.0);
    let usable_h = f64::from(free.height() - 2.0 * focus.margin.y).max(1.0);
    let fit_zoom = (usable_w / span_x).min(usable_h / span_y).log2();
    let zoom = ideal_zoom.min(fit_zoom).clamp(zoom_range.0, zoom_range.1);
    let scale = 2f64.powf(zoom);
    let focus_x = (min_x + max_x) / 2.0;
    let focus_y = (min_y + max_y) / 2.0;
    let shift = viewport.center() - free.center();
    let center = unproject_zoom0(
        focus_x + f64::from(shift.x) / scale,
        focus_y + f64::from(shift.y) / scale,
    );
    (center, zoom)
}

/// The centre and zoom that fit `(min, max)` (south-west, north-east) inside `free` with
/// `padding` on every side, shifted so it sits in the middle of `free`.
pub fn frame_bounds_in(
    min: LonLat,
    max: LonLat,
    viewport: Rect,
    free: Rect,
    padding: f32,
    zoom_range: (f64, f64),
) -> (LonLat, f64) {
    let center = LonLat {
        lon: (min.lon + max.lon) / 2.0,
        lat: (min.lat + max.lat) / 2.0,
    };
    let focus = Focus {
        center,
        radius_km: 0.0,
        also: vec![min, max],
        margin: Vec2::splat(padding),
    };
    frame_focus(&focus, viewport, free, zoom_range.1, zoom_range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes() -> FurnitureSizes {
        FurnitureSizes {
            stamp: Some(vec2(300.0, 20.0)),
            scale_bar: Some(vec2(150.0, 40.0)),
            legend: Some(vec2(260.0, 150.0)),
            inset: Some(vec2(240.0, 180.0)),
            attribution: Some(vec2(400.0, 20.0)),
            top_left_reserved: None,
        }
    }

    fn area() -> Rect {
        Rect::from_min_size(pos2(8.0, 8.0), vec2(1264.0, 704.0))
    }

    #[test]
    fn no_two_pieces_of_furniture_overlap_whatever_the_legend_corner() {
        for corner in Corner::ALL {
            let placed = layout(area(), &sizes(), corner, 4.0);
            let rects = placed.named_rects();
            assert_eq!(rects.len(), 5);
            for (i, (name, rect)) in rects.iter().enumerate() {
                assert!(area().contains_rect(*rect), "{corner:?}: {name} {rect:?}");
                for (other_name, other) in &rects[i + 1..] {
                    assert!(
                        !rect.intersects(*other),
                        "{corner:?}: {name} {rect:?} overlaps {other_name} {other:?}"
                    );
                }
            }
            assert_eq!(placed.legend_corner, corner);
        }
    }

    #[test]
    fn the_free_rectangle_avoids_every_obstacle_and_is_the_largest() {
        let placed = layout(area(), &sizes(), Corner::BottomLeft, 4.0);
        let free = largest_free_rect(area(), &placed.rects());
        for rect in placed.rects() {
            assert!(!free.intersects(rect.shrink(0.01)), "{free:?} vs {rect:?}");
        }
        // Everything but the left column of the legend and the top right inset: the best is
        // the band between the legend column and the inset's column or under the inset.
        assert!(free.area() > 0.5 * area().area(), "{free:?}");
        assert_eq!(largest_free_rect(area(), &[]), area());
    }

    #[test]
    fn the_legend_moves_away_from_markers() {
        let sizes = sizes();
        let bottom_left = layout(area(), &sizes, Corner::BottomLeft, 4.0)
            .legend
            .unwrap_or(Rect::NOTHING);
        let crowded = [bottom_left.center(), bottom_left.center() + vec2(5.0, 5.0)];
        let corner = emptiest_corner(area(), &sizes, 4.0, &crowded, Corner::BottomLeft);
        assert_ne!(corner, Corner::BottomLeft);
        // With nothing in the way it stays put or goes where the most room is.
        let calm = emptiest_corner(area(), &sizes, 4.0, &[], Corner::BottomLeft);
        let calm_free = largest_free_rect(area(), &layout(area(), &sizes, calm, 4.0).rects());
        for other in Corner::ALL {
            let free = largest_free_rect(area(), &layout(area(), &sizes, other, 4.0).rects());
            assert!(calm_free.area() >= free.area());
        }
    }

    #[test]
    fn a_framed_focus_lands_in_the_middle_of_the_free_rectangle() {
        let viewport = Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 720.0));
        let free = Rect::from_min_max(pos2(300.0, 0.0), pos2(1280.0, 500.0));
        let focus = Focus {
            center: LonLat {
                lon: 64.1,
                lat: 26.97,
            },
            radius_km: 30.0,
            also: vec![LonLat {
                lon: 63.4,
                lat: 27.0,
            }],
            margin: vec2(40.0, 30.0),
        };
        let (center, zoom) = frame_focus(&focus, viewport, free, 12.0, (3.0, 12.0));
        // Project the focus with the result and check where it lands.
        let scale = 2f64.powf(zoom);
        let (mx, my) = project_zoom0(center);
        let to_screen = |point: LonLat| {
            let (x, y) = project_zoom0(point);
            pos2(
                viewport.center().x + ((x - mx) * scale) as f32,
                viewport.center().y + ((y - my) * scale) as f32,
            )
        };
        let radius_px = (30_000.0 / metres_per_pixel(26.97, zoom)) as f32;
        let circle = Rect::from_center_size(to_screen(focus.center), Vec2::splat(2.0 * radius_px));
        let border_point = to_screen(focus.also[0]);
        let focus_rect = circle.union(Rect::from_center_size(border_point, Vec2::ZERO));
        assert!(
            free.shrink2(focus.margin - Vec2::splat(0.5))
                .contains_rect(focus_rect),
            "{focus_rect:?} not inside {free:?}"
        );
        assert!((focus_rect.center() - free.center()).length() < 1.0);
        // A zoom cap is honoured.
        let (_, capped) = frame_focus(&focus, viewport, free, 5.0, (3.0, 12.0));
        assert_eq!(capped, 5.0);
    }
}
