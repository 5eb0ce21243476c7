//! Map labels in screen space: province names, and over the offline basemap country names and
//! places ranked for the zoom. Labels are placed greedily in priority order and a label that
//! would overlap one already placed (or a marker) is left out, so labels never collide and are
//! never cut at tile edges.

use crate::geometry::GeoBounds;
use crate::map::country_labels::{CountryGrid, StrikeMark, inside_country};
use crate::map::offline_tiles::natural_earth;
use crate::map::to_position;
use crate::model::LonLat;
use crate::style;
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Vec2, vec2};
use strikemap_basemap::PlaceKind;
use walkers::Projector;

/// What a label looks like.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LabelKind {
    Province,
    Country,
    Capital,
    Place,
}

impl LabelKind {
    fn font(self) -> FontId {
        match self {
            Self::Province => FontId::proportional(style::PROVINCE_LABEL_SIZE),
            Self::Country => FontId::proportional(style::COUNTRY_LABEL_SIZE),
            Self::Capital => FontId::proportional(style::PLACE_LABEL_SIZE + 1.0),
            Self::Place => FontId::proportional(style::PLACE_LABEL_SIZE),
        }
    }

    fn color(self) -> Color32 {
        match self {
            Self::Province => style::LABEL_TEXT,
            Self::Country => style::COUNTRY_LABEL_TEXT,
            Self::Capital | Self::Place => style::PLACE_LABEL_TEXT,
        }
    }

    fn has_dot(self) -> bool {
        matches!(self, Self::Capital | Self::Place)
    }
}

/// A label that may be drawn, in priority order.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelCandidate {
    pub text: String,
    pub at: LonLat,
    pub kind: LabelKind,
    /// The country a country label names (an index into the world map's countries): its box
    /// must lie inside that country, clear of the strikes' circles.
    pub country: Option<usize>,
}

/// The box a label takes when `rect`, grown by `gap` on each side, overlaps none of `taken`
/// (reserved boxes and the labels placed before it); `None` when it would overlap one.
pub fn clear_of(rect: Rect, taken: &[Rect], gap: f32) -> Option<Rect> {
    let grown = rect.expand(gap);
    taken
        .iter()
        .all(|other| !other.intersects(grown))
        .then_some(grown)
}

/// Country and place labels of the offline basemap for a zoom, best first.
pub fn basemap_candidates(zoom: f64) -> Vec<LabelCandidate> {
    basemap_candidates_in_view(zoom, None, &[], None)
}

/// As [`basemap_candidates`], and every country seen at one of `samples` (points spread over
/// the map) whose own label point is not in `view` (or not shown at this zoom) is labelled at
/// its sample nearest the middle of its samples: every country in view is named. The country
/// `named_first` (a selected strike's target) comes first, whatever the zoom.
pub fn basemap_candidates_in_view(
    zoom: f64,
    view: Option<GeoBounds>,
    samples: &[LonLat],
    named_first: Option<&str>,
) -> Vec<LabelCandidate> {
    let Ok(data) = natural_earth() else {
        return Vec::new();
    };
    let zoom = zoom as f32;
    let mut candidates = Vec::new();
    let labels = data.country_labels();
    let shown_at_zoom = |country: &strikemap_basemap::CountryLabel| {
        country.min_zoom <= zoom + 0.5 && country.max_zoom.is_none_or(|max| zoom <= max)
    };
    let first = named_first.and_then(|name| data.country_index(name));
    let mut countries: Vec<_> = labels
        .iter()
        .enumerate()
        .filter(|(index, country)| shown_at_zoom(country) || Some(*index) == first)
        .collect();
    countries.sort_by_key(|(index, country)| (Some(*index) != first, country.label_rank));
    candidates.extend(
        countries
            .into_iter()
            .map(|(index, country)| LabelCandidate {
                text: country.name.to_uppercase(),
                at: LonLat {
                    lon: country.lon,
                    lat: country.lat,
                },
                kind: LabelKind::Country,
                country: Some(index),
            }),
    );
    // Countries seen in the view without their own label there.
    let mut seen: Vec<(usize, Vec<LonLat>)> = Vec::new();
    for sample in samples {
        let Some(index) = data.country_at(sample.lon, sample.lat) else {
            continue;
        };
        match seen.iter_mut().find(|(known, _)| *known == index) {
            Some((_, points)) => points.push(*sample),
            None => seen.push((index, vec![*sample])),
        }
    }
    // Most seen first: the country that fills the view is named before a sliver.
    seen.sort_by_key(|(_, points)| std::cmp::Reverse(points.len()));
    for (index, points) in seen {
        let Some(country) = labels.get(index) else {
            continue;
        };
        let own_label_in_view = (shown_at_zoom(country) || Some(index) == first)
            && view.is_some_and(|view| {
                (view.min.lon..=view.max.lon).contains(&country.lon)
                    && (view.min.lat..=view.max.lat).contains(&country.lat)
            });
        if own_label_in_view {
            continue;
        }
        let count = points.len() as f64;
        let middle = LonLat {
            lon: points.iter().map(|point| point.lon).sum::<f64>() / count,
            lat: points.iter().map(|point| point.lat).sum::<f64>() / count,
        };
        let distance = |point: &LonLat| (point.lon - middle.lon).hypot(point.lat - middle.lat);
        if let Some(at) = points
            .iter()
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
        {
            candidates.push(LabelCandidate {
                text: country.name.to_uppercase(),
                at: *at,
                kind: LabelKind::Country,
                country: Some(index),
            });
        }
    }
    // Places come sorted by rank and population; capitals first within that.
    // Only places in (or near) the view are copied out of the 7,000: this runs every frame.
    let near_view = |lon: f64, lat: f64| {
        view.is_none_or(|view| {
            let margin_lon = (view.max.lon - view.min.lon) * 0.1;
            let margin_lat = (view.max.lat - view.min.lat) * 0.1;
            (view.min.lon - margin_lon..=view.max.lon + margin_lon).contains(&lon)
                && (view.min.lat - margin_lat..=view.max.lat + margin_lat).contains(&lat)
        })
    };
    let mut places: Vec<_> = data
        .places()
        .iter()
        .filter(|place| {
            place
                .min_zoom
                .is_some_and(|min_zoom| min_zoom <= zoom + 1.0)
                && near_view(place.lon, place.lat)
        })
        .collect();
    places.sort_by_key(|place| !matches!(place.kind, PlaceKind::NationalCapital));
    candidates.extend(places.into_iter().map(|place| LabelCandidate {
        text: place.name.clone(),
        at: LonLat {
            lon: place.lon,
            lat: place.lat,
        },
        // National capitals are marked (a ringed dot); province capitals are places.
        kind: if matches!(place.kind, PlaceKind::NationalCapital) {
            LabelKind::Capital
        } else {
            LabelKind::Place
        },
        country: None,
    }));
    candidates
}

const DOT_RADIUS: f32 = 2.5;

/// Strike labels drawn at most; past this the map is too busy for them to read.
const MAX_STRIKE_LABELS: usize = 40;
pub const STRIKE_LABEL_SIZE: f32 = 14.0;

/// A strike's label to place beside its marker.
pub struct StrikeLabel {
    pub text: String,
    pub marker: Rect,
}

/// The boxes a label of `size` may take beside `marker`, best first: right, left, above, below,
/// then the four diagonals.
fn beside(marker: Rect, size: Vec2, gap: f32) -> [Rect; 8] {
    let (c, h) = (marker.center(), size / 2.0);
    let dx = marker.width() / 2.0 + gap + h.x;
    let dy = marker.height() / 2.0 + gap + h.y;
    [
        vec2(dx, 0.0),
        vec2(-dx, 0.0),
        vec2(0.0, -dy),
        vec2(0.0, dy),
        vec2(dx, -dy),
        vec2(-dx, -dy),
        vec2(dx, dy),
        vec2(-dx, dy),
    ]
    .map(|offset| Rect::from_center_size(c + offset, size))
}

/// Places each strike's label ("Panjgur · 16 Jan") beside its marker, in order (the selected
/// strike first), where it overlaps no reserved box, no other label and no marker, and lies
/// inside the map; a label with no such place is left out. Returns the painted boxes.
pub fn paint_strike_labels(
    painter: &Painter,
    labels: &[StrikeLabel],
    reserved: &[Rect],
) -> Vec<Rect> {
    let clip = painter.clip_rect();
    let mut taken: Vec<Rect> = reserved.to_vec();
    taken.extend(labels.iter().map(|label| label.marker));
    let mut placed = Vec::new();
    for label in labels.iter().take(MAX_STRIKE_LABELS) {
        let galley = painter.layout_no_wrap(
            label.text.clone(),
            FontId::proportional(STRIKE_LABEL_SIZE),
            Color32::PLACEHOLDER,
        );
        let size = galley.size() + vec2(8.0, 2.0);
        let spot = beside(label.marker, size, 3.0).into_iter().find(|spot| {
            clip.contains_rect(*spot) && taken.iter().all(|other| !other.intersects(*spot))
        });
        if let Some(spot) = spot {
            painter.rect_filled(spot, 3.0, style::LABEL_HALO);
            painter.galley_with_override_text_color(
                spot.min + vec2(4.0, 1.0),
                galley,
                style::LABEL_TEXT,
            );
            taken.push(spot.expand(2.0));
            placed.push(spot);
        }
    }
    placed
}

/// The labels painted: every box, and each country label's text and box.
#[derive(Default)]
pub struct PaintedLabels {
    pub boxes: Vec<Rect>,
    pub countries: Vec<(String, Rect)>,
}

/// Lays out and paints the candidates that fit, in order, greedily: a label goes where it lies
/// inside the map and overlaps no reserved box and no label placed before it. A country's
/// label must also lie inside its country and clear of every strike's marker and circle
/// (`strikes`); when its own point will not do, the deepest places inside the country's visible
/// part are tried in turn, and a country is named once at most.
pub fn paint_labels(
    painter: &Painter,
    projector: &Projector,
    candidates: &[LabelCandidate],
    reserved: &[Rect],
    strikes: &[StrikeMark],
) -> PaintedLabels {
    const GAP: f32 = 3.0;
    let clip = painter.clip_rect();
    let mut taken: Vec<Rect> = reserved.to_vec();
    let mut grid: Option<CountryGrid> = None;
    let mut painted = PaintedLabels::default();
    let mut named: Vec<usize> = Vec::new();
    for candidate in candidates {
        if candidate
            .country
            .is_some_and(|country| named.contains(&country))
        {
            continue;
        }
        let anchor = projector.project(to_position(candidate.at)).to_pos2();
        let near = clip.expand(100.0).contains(anchor);
        // Other places for a country's name: the deepest inside its visible part first.
        let mut places_inside = |country: usize| {
            grid.get_or_insert_with(|| CountryGrid::new(projector, clip))
                .places_inside(country)
        };
        let mut elsewhere = None;
        if !near {
            let Some(country) = candidate.country else {
                continue;
            };
            let places = places_inside(country);
            if places.is_empty() {
                continue;
            }
            elsewhere = Some(places);
        }
        let galley = painter.layout_no_wrap(
            candidate.text.clone(),
            candidate.kind.font(),
            Color32::PLACEHOLDER,
        );
        let size = galley.size();
        let boxes_at = |anchor: Pos2| {
            let text_rect = if candidate.kind.has_dot() {
                Align2::LEFT_CENTER.anchor_size(anchor + vec2(DOT_RADIUS + 3.0, 0.0), size)
            } else {
                Align2::CENTER_CENTER.anchor_size(anchor, size)
            };
            let hit_box = if candidate.kind.has_dot() {
                text_rect.union(Rect::from_center_size(
                    anchor,
                    Vec2::splat(2.0 * (DOT_RADIUS + 2.0)),
                ))
            } else {
                text_rect
            };
            (text_rect, hit_box)
        };
        let fits = |anchor: Pos2, taken: &[Rect]| {
            let (text_rect, hit_box) = boxes_at(anchor);
            let grown = hit_box.expand(GAP);
            // A label cut by the map's edge reads as a mistake: leave it out.
            clip.contains_rect(hit_box)
                && clear_of(hit_box, taken, GAP).is_some()
                && candidate.country.is_none_or(|country| {
                    strikes.iter().all(|strike| !strike.touches(grown))
                        && inside_country(projector, text_rect, country)
                })
        };
        let spot = if near && fits(anchor, &taken) {
            Some(anchor)
        } else if let Some(country) = candidate.country {
            elsewhere
                .unwrap_or_else(|| places_inside(country))
                .into_iter()
                .find(|place| fits(*place, &taken))
        } else {
            None
        };
        let Some(anchor) = spot else {
            continue;
        };
        let (text_rect, hit_box) = boxes_at(anchor);
        taken.push(hit_box.expand(GAP));
        paint_label(painter, candidate.kind, anchor, text_rect.min, &galley);
        painted.boxes.push(hit_box);
        if let Some(country) = candidate.country {
            named.push(country);
            painted.countries.push((candidate.text.clone(), text_rect));
        }
    }
    painted
}

/// Paints one placed label: its dot (a ring for a capital) and its text.
fn paint_label(
    painter: &Painter,
    kind: LabelKind,
    anchor: Pos2,
    text_min: Pos2,
    galley: &std::sync::Arc<egui::Galley>,
) {
    if kind == LabelKind::Capital {
        // A capital: a dot in a ring, as atlases mark them.
        painter.circle(
            anchor,
            DOT_RADIUS + 2.0,
            style::LABEL_HALO,
            egui::Stroke::new(1.2, kind.color()),
        );
        painter.circle_filled(anchor, DOT_RADIUS - 0.5, kind.color());
    } else if kind.has_dot() {
        painter.circle(
            anchor,
            DOT_RADIUS,
            kind.color(),
            egui::Stroke::new(1.0, style::LABEL_HALO),
        );
    }
    paint_with_halo(painter, text_min, galley, kind.color());
}

fn paint_with_halo(
    painter: &Painter,
    min: Pos2,
    galley: &std::sync::Arc<egui::Galley>,
    color: Color32,
) {
    for offset in [
        vec2(-1.0, 0.0),
        vec2(1.0, 0.0),
        vec2(0.0, -1.0),
        vec2(0.0, 1.0),
        vec2(-1.0, -1.0),
        vec2(1.0, 1.0),
        vec2(-1.0, 1.0),
        vec2(1.0, -1.0),
    ] {
        painter.galley_with_override_text_color(min + offset, galley.clone(), style::LABEL_HALO);
    }
    painter.galley_with_override_text_color(min, galley.clone(), color);
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn rect(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect::from_min_size(pos2(x, y), vec2(w, h))
    }

    /// The boxes that fit, in priority order, as `paint_labels` places them.
    fn placed(boxes: &[Rect], reserved: &[Rect], gap: f32) -> Vec<usize> {
        let mut taken = reserved.to_vec();
        let mut placed = Vec::new();
        for (index, rect) in boxes.iter().enumerate() {
            if let Some(grown) = clear_of(*rect, &taken, gap) {
                taken.push(grown);
                placed.push(index);
            }
        }
        placed
    }

    #[test]
    fn overlapping_labels_are_left_out_in_priority_order() {
        let boxes = [
            rect(0.0, 0.0, 50.0, 10.0),
            rect(40.0, 5.0, 50.0, 10.0), // overlaps the first
            rect(100.0, 0.0, 50.0, 10.0),
            rect(0.0, 12.0, 50.0, 10.0), // within the 3-px gap of the first
        ];
        assert_eq!(placed(&boxes, &[], 3.0), vec![0, 2]);
    }

    #[test]
    fn a_label_goes_to_the_first_free_side_of_its_marker() {
        let marker = rect(100.0, 100.0, 20.0, 20.0);
        let spots = beside(marker, vec2(60.0, 16.0), 3.0);
        assert!(spots[0].left() > marker.right() && spots[1].right() < marker.left());
        assert!(spots[2].bottom() < marker.top() && spots[3].top() > marker.bottom());
        for spot in spots {
            assert!(!spot.intersects(marker), "{spot:?}");
        }
    }

    #[test]
    fn every_country_seen_in_the_view_is_named_even_with_its_label_point_outside() {
        // Around Kashmir at zoom 6: the label points of India, China and Pakistan lie outside.
        let view = GeoBounds {
            min: LonLat {
                lon: 70.0,
                lat: 31.0,
            },
            max: LonLat {
                lon: 80.0,
                lat: 37.0,
            },
        };
        let samples: Vec<LonLat> = (0..8)
            .flat_map(|i| {
                (0..6).map(move |j| LonLat {
                    lon: 70.6 + 1.25 * f64::from(i),
                    lat: 31.5 + 1.0 * f64::from(j),
                })
            })
            .collect();
        let names: Vec<String> = basemap_candidates_in_view(6.0, Some(view), &samples, None)
            .into_iter()
            .filter(|c| c.kind == LabelKind::Country)
            .filter(|c| (70.0..=80.0).contains(&c.at.lon) && (31.0..=37.0).contains(&c.at.lat))
            .map(|c| c.text)
            .collect();
        for country in ["INDIA", "PAKISTAN", "CHINA"] {
            assert!(
                names.iter().any(|name| name == country),
                "{country} not in {names:?}"
            );
        }
        // Without samples, only label points in the view are offered there.
        let bare = basemap_candidates_in_view(6.0, Some(view), &[], None);
        assert!(!bare.iter().any(|c| c.text == "CHINA"
            && (70.0..=80.0).contains(&c.at.lon)
            && (31.0..=37.0).contains(&c.at.lat)));
    }

    #[test]
    fn reserved_boxes_win() {
        let boxes = [rect(0.0, 0.0, 50.0, 10.0), rect(100.0, 0.0, 50.0, 10.0)];
        let marker = rect(10.0, 0.0, 10.0, 10.0);
        assert_eq!(placed(&boxes, &[marker], 0.0), vec![1]);
    }

    #[test]
    fn more_places_are_labelled_when_zoomed_in() {
        let count = |zoom: f64| {
            basemap_candidates(zoom)
                .iter()
                .filter(|c| c.kind != LabelKind::Country)
                .count()
        };
        assert!(count(4.0) < count(7.0), "{} vs {}", count(4.0), count(7.0));
        assert!(count(7.0) <= count(10.0));
        let names: Vec<String> = basemap_candidates(6.0)
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert!(names.iter().any(|name| name == "Quetta"), "{names:?}");
        assert!(names.iter().any(|name| name == "PAKISTAN"), "{names:?}");
    }
}
