//! Country names that read true: a country's label lies wholly inside that country (every one
//! of its box's test points is on that country's land in the world map's own country areas,
//! [`strikemap_basemap::Basemap::country_at`]), touches no strike's marker, uncertainty circle
//! or label, and when its own label point will not do, the deepest free places inside the
//! country's visible part are tried (a pole-of-inaccessibility search on a grid) before the
//! name is left out at that zoom.

use crate::map::offline_tiles::natural_earth;
use egui::{Pos2, Rect, pos2};
use walkers::Projector;

/// A strike as drawn: its marker's box, and its uncertainty circle (radius 0 when not drawn).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StrikeMark {
    pub marker: Rect,
    pub center: Pos2,
    pub circle_radius: f32,
}

impl StrikeMark {
    /// Whether `rect` touches the marker or the circle.
    pub fn touches(&self, rect: Rect) -> bool {
        rect.intersects(self.marker)
            || (self.circle_radius > 0.0 && rect.distance_to_pos(self.center) <= self.circle_radius)
    }
}

/// What the last frame drew of the strikes and the country names, for layout tests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrawnMarks {
    pub strikes: Vec<StrikeMark>,
    pub strike_labels: Vec<Rect>,
    /// Each country label's text (the name in capitals) and box.
    pub country_labels: Vec<(String, Rect)>,
}

/// The points of a label's box that must be on its country's land: 9 across and 5 down, the
/// corners and the middles of the edges among them (5 × 3 let a label's edge cross a winding
/// river border, such as Tajikistan's Panj, between two points).
pub fn box_points(rect: Rect) -> impl Iterator<Item = Pos2> {
    const ACROSS: usize = 9;
    const DOWN: usize = 5;
    (0..DOWN).flat_map(move |row| {
        (0..ACROSS).map(move |column| {
            pos2(
                rect.left() + rect.width() * column as f32 / (ACROSS - 1) as f32,
                rect.top() + rect.height() * row as f32 / (DOWN - 1) as f32,
            )
        })
    })
}

/// Whether every test point of `rect` is on `country`'s land (an index into
/// [`strikemap_basemap::Basemap::country_labels`]).
pub fn inside_country(projector: &Projector, rect: Rect, country: usize) -> bool {
    let Ok(data) = natural_earth() else {
        return false;
    };
    box_points(rect).all(|point| {
        let at = projector.unproject(point.to_vec2());
        data.country_at(at.x(), at.y()) == Some(country)
    })
}

/// Points spread over the map and the country each is on, to find other places for a name.
pub struct CountryGrid {
    points: Vec<(Pos2, Option<usize>)>,
    spacing: f32,
    middle: Pos2,
}

const ACROSS: usize = 32;
const DOWN: usize = 18;

impl CountryGrid {
    pub fn new(projector: &Projector, rect: Rect) -> Self {
        let data = natural_earth().ok();
        let mut points = Vec::with_capacity(ACROSS * DOWN);
        for row in 0..DOWN {
            for column in 0..ACROSS {
                let at = pos2(
                    rect.left() + rect.width() * (column as f32 + 0.5) / ACROSS as f32,
                    rect.top() + rect.height() * (row as f32 + 0.5) / DOWN as f32,
                );
                let position = projector.unproject(at.to_vec2());
                let country = data.and_then(|data| data.country_at(position.x(), position.y()));
                points.push((at, country));
            }
        }
        Self {
            points,
            spacing: (rect.width() / ACROSS as f32).min(rect.height() / DOWN as f32),
            middle: rect.center(),
        }
    }

    /// The grid points on `country`, the deepest inside its visible part first (the farthest
    /// from any point not on it, the map's edge counting as such).
    pub fn places_inside(&self, country: usize) -> Vec<Pos2> {
        if !self.points.iter().any(|(_, on)| *on == Some(country)) {
            return Vec::new();
        }
        let outside: Vec<Pos2> = self
            .points
            .iter()
            .filter(|(_, on)| *on != Some(country))
            .map(|(at, _)| *at)
            .collect();
        let mut inside: Vec<(f32, Pos2)> = self
            .points
            .iter()
            .filter(|(_, on)| *on == Some(country))
            .map(|(at, _)| {
                let nearest_outside = outside
                    .iter()
                    .map(|other| other.distance(*at))
                    .fold(f32::INFINITY, f32::min);
                (nearest_outside, *at)
            })
            .collect();
        // Ties (the middle of a country filling the view) go to the most central.
        let middle = self.middle;
        inside.sort_by(|(a_depth, a), (b_depth, b)| {
            let rounded = |depth: f32| (depth / self.spacing.max(1.0)).round();
            rounded(*b_depth)
                .total_cmp(&rounded(*a_depth))
                .then_with(|| a.distance(middle).total_cmp(&b.distance(middle)))
        });
        inside.into_iter().map(|(_, at)| at).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_is_tested_at_its_corners_and_edges() {
        let rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(40.0, 10.0));
        let points: Vec<Pos2> = box_points(rect).collect();
        assert_eq!(points.len(), 45);
        for corner in [rect.left_top(), rect.right_top(), rect.left_bottom()] {
            assert!(points.contains(&corner), "{corner:?}");
        }
        assert!(points.contains(&rect.right_bottom()));
        assert!(points.contains(&rect.center()));
    }

    #[test]
    fn a_label_touches_a_circle_only_when_it_reaches_it() {
        let mark = StrikeMark {
            marker: Rect::from_center_size(pos2(100.0, 100.0), egui::Vec2::splat(10.0)),
            center: pos2(100.0, 100.0),
            circle_radius: 50.0,
        };
        let near = Rect::from_min_max(pos2(140.0, 100.0), pos2(200.0, 110.0));
        let clear = Rect::from_min_max(pos2(151.0, 100.0), pos2(200.0, 110.0));
        assert!(mark.touches(near));
        assert!(!mark.touches(clear));
        let no_circle = StrikeMark {
            circle_radius: 0.0,
            ..mark
        };
        assert!(!no_circle.touches(near));
    }
}
