//! The story as a Google Earth tour: the opening view, then each step framed as the slides frame
//! it (a strike's circle and border point, a statement's parties), each on its day. Pure code,
//! no egui.

use super::{AppState, StoryItem, ViewRequest};
use crate::export::kml_tour::{Tour, TourStep};
use crate::geometry::{GeoBounds, metres_per_pixel};
use crate::model::LonLat;

/// How long the camera takes between two steps, in seconds (as the presentation's flights).
pub const TOUR_FLY_SECS: f64 = 3.0;
/// How long each step is held, in seconds, unless asked otherwise.
pub const TOUR_HOLD_SECS: f64 = 4.0;

/// Google Earth's view from `range` metres straight down is about this much wider than `range`
/// on a landscape screen: a box is shown whole from its larger side over this.
const GROUND_PER_RANGE: f64 = 0.9;
/// The height of a slide's map in pixels, for turning a saved zoom into a camera range.
const VIEW_HEIGHT_PX: f64 = 720.0;
/// No step is looked at from nearer than this (a point has no size).
const MIN_RANGE_M: f64 = 20_000.0;

impl AppState {
    /// The tour of the story, each step held `hold_secs`.
    pub fn story_tour(&self, hold_secs: f64) -> Tour {
        let mut steps = Vec::new();
        if let Some(view) = self.opening_view() {
            steps.push(step(
                self.title.clone().unwrap_or_else(|| "Overview".into()),
                view,
                self.as_of.map(|date| date.to_iso()),
                hold_secs,
            ));
        }
        for item in self.story() {
            match item {
                StoryItem::Event(event_ref) => {
                    if let Some(event) = self.event(&event_ref) {
                        steps.push(step(
                            event.title().to_owned(),
                            self.fly_to(event),
                            Some(event.date.to_iso()),
                            hold_secs,
                        ));
                    }
                }
                StoryItem::Statement(id) => {
                    let statements = self.shown_statements();
                    let Some(statement) = statements.iter().find(|s| s.id == id) else {
                        continue;
                    };
                    if let Some(view) = self.frame_statement(statement) {
                        steps.push(step(
                            statement.title.clone(),
                            view,
                            Some(statement.date.to_iso()),
                            hold_secs,
                        ));
                    }
                }
            }
        }
        Tour {
            name: match &self.title {
                Some(title) => format!("{title}: the story"),
                None => "The story".into(),
            },
            steps,
        }
    }
}

fn step(name: String, view: ViewRequest, when: Option<String>, hold_secs: f64) -> TourStep {
    let (look_at, range_m) = look_at(view);
    TourStep {
        name,
        look_at,
        range_m: range_m.max(MIN_RANGE_M),
        when,
        fly_secs: TOUR_FLY_SECS,
        wait_secs: hold_secs,
    }
}

/// Where a camera looking straight down shows what `view` frames, and from how far.
fn look_at(view: ViewRequest) -> (LonLat, f64) {
    match view {
        ViewRequest::Show { center, zoom } => {
            (center, metres_per_pixel(center.lat, zoom) * VIEW_HEIGHT_PX)
        }
        ViewRequest::CenterOn(center) => (center, MIN_RANGE_M * 10.0),
        ViewRequest::Fit(bounds) | ViewRequest::FlyToBounds(bounds) => box_view(bounds),
        ViewRequest::FlyTo {
            center,
            radius_km,
            also,
        } => {
            let degrees = radius_km / 111.32;
            let reach = |lon_sign: f64, lat_sign: f64| LonLat {
                lon: center.lon
                    + lon_sign * degrees / center.lat.to_radians().cos().abs().max(0.01),
                lat: center.lat + lat_sign * degrees,
            };
            let corners = [reach(-1.0, -1.0), reach(1.0, 1.0)];
            let bounds = GeoBounds::around(corners.into_iter().chain(also))
                .unwrap_or_else(|| GeoBounds::from_point(center));
            // A strike's slide shows its circle about a third of the height across.
            let (_, range) = box_view(bounds);
            (center, range * 1.5)
        }
    }
}

/// The middle of `bounds` and the range that shows all of it.
fn box_view(bounds: GeoBounds) -> (LonLat, f64) {
    let center = LonLat {
        lon: (bounds.min.lon + bounds.max.lon) / 2.0,
        lat: (bounds.min.lat + bounds.max.lat) / 2.0,
    };
    let east_west = (bounds.max.lon - bounds.min.lon) * 111_320.0 * center.lat.to_radians().cos();
    let north_south = (bounds.max.lat - bounds.min.lat) * 110_540.0;
    (center, east_west.max(north_south) / GROUND_PER_RANGE * 1.2)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_tour_has_the_overview_and_every_step_on_its_day() {
        let state = AppState::bundled();
        let tour = state.story_tour(5.0);
        assert_eq!(tour.steps.len(), 1 + state.story().len());
        assert!(tour.steps.iter().all(|step| step.wait_secs == 5.0));
        let e1 = state.find_event("E1").unwrap().1;
        let first_strike = &tour.steps[1];
        assert_eq!(first_strike.look_at, e1.position);
        assert_eq!(first_strike.when.as_deref(), Some("2024-01-16"));
        // A 60 km circle is seen from a few hundred kilometres, a statement's two capitals
        // from farther.
        assert!((200_000.0..800_000.0).contains(&first_strike.range_m));
        let statement = &tour.steps[2];
        assert!(statement.range_m > first_strike.range_m, "{tour:?}");
        // The overview is the case's saved view.
        let saved = state.case().case.view.unwrap();
        assert_eq!(tour.steps[0].look_at, saved.center);
    }
}
