//! What a statement's story step frames: its parties. The countries its words name (as the
//! offline world map names them), their capitals, and the strikes it answers (the shown strikes
//! of the latest strike day up to the statement's date that involve a named country, or all of
//! that day's strikes when it names none). Pure code, no egui.

use super::{AppState, ViewRequest};
use crate::geometry::GeoBounds;
use crate::model::LonLat;
use crate::timeline::Statement;
use strikemap_basemap::{Basemap, PlaceKind};

/// A framed box is never narrower or lower than this, in degrees, so a statement naming one
/// capital is not shown at street level.
const MIN_SPAN_DEG: f64 = 3.0;

/// The parties a statement's step shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatementParties {
    /// The countries named, as the world map names them, in the order first named.
    pub countries: Vec<String>,
    /// Their capitals: (name, position).
    pub capitals: Vec<(String, LonLat)>,
    /// The strikes it answers: (id, position).
    pub strikes: Vec<(String, LonLat)>,
}

impl StatementParties {
    /// Every point the step must show.
    pub fn points(&self) -> impl Iterator<Item = LonLat> + '_ {
        self.capitals
            .iter()
            .chain(&self.strikes)
            .map(|(_, point)| *point)
    }
}

impl AppState {
    /// The parties of `statement`: named countries and their capitals from the world map
    /// (`None`: no world map, then only the strikes of its day), the strikes it answers.
    pub fn statement_parties(
        &self,
        statement: &Statement,
        world: Option<&Basemap>,
    ) -> StatementParties {
        let text = format!("{} {} {}", statement.by, statement.title, statement.detail);
        let mut parties = StatementParties::default();
        if let Some(world) = world {
            let mut named: Vec<(usize, &strikemap_basemap::CountryLabel)> = world
                .country_labels()
                .iter()
                .filter_map(|label| first_mention(&text, &label.name).map(|at| (at, label)))
                .collect();
            named.sort_by_key(|(at, _)| *at);
            for (_, label) in named {
                parties.countries.push(label.name.clone());
                parties.capitals.extend(
                    world
                        .places()
                        .iter()
                        .filter(|place| {
                            place.kind == PlaceKind::NationalCapital
                                && place.adm0_a3 == label.adm0_a3
                        })
                        .map(|place| {
                            let at = LonLat {
                                lon: place.lon,
                                lat: place.lat,
                            };
                            (place.name.clone(), at)
                        }),
                );
            }
        }
        let shown = self.shown_events();
        let strike_day = shown
            .iter()
            .map(|(_, event)| event.date)
            .filter(|date| *date <= statement.date)
            .max();
        let involves = |name: &str| {
            parties.countries.is_empty()
                || parties
                    .countries
                    .iter()
                    .any(|country| country.eq_ignore_ascii_case(name.trim()))
        };
        let answered: Vec<(String, LonLat)> = shown
            .iter()
            .filter(|(_, event)| Some(event.date) == strike_day)
            .filter(|(_, event)| {
                let p = &event.properties;
                p.attacker.as_deref().is_some_and(involves) || involves(&p.target_country)
            })
            .map(|(_, event)| (event.id().to_owned(), event.position))
            .collect();
        parties.strikes = answered;
        parties
    }

    /// The view change for a statement's step: fly to its parties; `None` when it has none.
    pub fn frame_statement(&self, statement: &Statement) -> Option<ViewRequest> {
        let world = strikemap_basemap::shared().ok();
        let parties = self.statement_parties(statement, world);
        GeoBounds::around(parties.points()).map(|bounds| ViewRequest::FlyToBounds(widened(bounds)))
    }
}

/// Where `name` is first named in `text` as a whole word (followed by no letter, so
/// "Iran's" names Iran but "Iranian" and "Nigeria" do not name Iran or Niger).
fn first_mention(text: &str, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(found) = text[from..].find(name) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// `bounds` grown about its centre to at least [`MIN_SPAN_DEG`] each way.
fn widened(bounds: GeoBounds) -> GeoBounds {
    let grow = |low: f64, high: f64| {
        let missing = (MIN_SPAN_DEG - (high - low)).max(0.0) / 2.0;
        (low - missing, high + missing)
    };
    let (west, east) = grow(bounds.min.lon, bounds.max.lon);
    let (south, north) = grow(bounds.min.lat, bounds.max.lat);
    GeoBounds {
        min: LonLat {
            lon: west,
            lat: south,
        },
        max: LonLat {
            lon: east,
            lat: north,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_named_only_as_a_whole_word() {
        assert_eq!(first_mention("Pakistan recalls", "Pakistan"), Some(0));
        assert_eq!(first_mention("summons Iran's envoy", "Iran"), Some(8));
        assert_eq!(first_mention("an Iranian envoy", "Iran"), None);
        assert_eq!(first_mention("Nigeria and Niger", "Niger"), Some(12));
        assert_eq!(first_mention("anything", ""), None);
    }

    #[test]
    fn the_bundled_statements_name_their_parties_and_answer_the_days_strikes() {
        let state = AppState::bundled();
        let world = strikemap_basemap::shared().ok();
        assert!(world.is_some(), "the world map decodes");
        let parties = |id: &str| {
            let statement = state.statements.iter().find(|s| s.id == id).unwrap();
            state.statement_parties(statement, world)
        };
        // D1 (16 Jan): Pakistan condemns Iran's strike of that day.
        let d1 = parties("D1");
        assert_eq!(d1.countries, ["Pakistan", "Iran"]);
        let capitals: Vec<&str> = d1.capitals.iter().map(|(name, _)| name.as_str()).collect();
        assert!(
            capitals.contains(&"Islamabad") && capitals.contains(&"Tehran"),
            "{capitals:?}"
        );
        let ids: Vec<&str> = d1.strikes.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["E1"]);
        // D4 (18 Jan): Iran answers Pakistan's strike of the 18th, not Iran's of the 16th.
        let ids: Vec<String> = parties("D4")
            .strikes
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["E2"]);
        // Without the world map only the strikes are framed.
        let statement = &state.statements[0];
        let bare = state.statement_parties(statement, None);
        assert!(bare.countries.is_empty() && bare.capitals.is_empty());
        assert_eq!(bare.strikes.len(), 1);
        assert!(matches!(
            state.frame_statement(statement),
            Some(ViewRequest::FlyToBounds(_))
        ));
    }

    #[test]
    fn a_lone_point_is_widened_and_a_wide_box_kept() {
        let point = LonLat {
            lon: 73.0,
            lat: 33.7,
        };
        let lone = widened(GeoBounds::from_point(point));
        assert!((lone.max.lon - lone.min.lon - MIN_SPAN_DEG).abs() < 1e-9);
        assert!((lone.max.lat - lone.min.lat - MIN_SPAN_DEG).abs() < 1e-9);
        let wide = GeoBounds {
            min: LonLat {
                lon: 50.0,
                lat: 25.0,
            },
            max: LonLat {
                lon: 75.0,
                lat: 36.0,
            },
        };
        assert_eq!(widened(wide), wide);
    }
}
