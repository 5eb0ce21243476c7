//! The border a strike is measured to: how far inside the target country it hit. The bundled
//! Iran–Pakistan line (Natural Earth 10m, unsimplified) for the bundled case's two countries;
//! for any other attacker and target that share a land border, that border as the offline
//! world map has it (Natural Earth 10m simplified to about 2 km, so distances are good to a
//! few km), worked out the first time it is needed and kept. Pure code, no egui.

use super::AppState;
use crate::border::{BorderDistance, BorderLine};
use crate::model::{LonLat, StrikeEvent};
use geo::{LineString, MultiLineString};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Farther than this from the border, a strike's distance to it is not drawn or told.
pub const BORDER_DISTANCE_MAX_KM: f64 = 500.0;

/// Borders between pairs of countries, from the offline world map, kept once worked out
/// (`None`: the two do not meet, or one is not a country the map knows).
#[derive(Debug, Default)]
pub struct DerivedBorders {
    known: Mutex<HashMap<CountryPair, Option<Arc<BorderLine>>>>,
}

/// Two country names, lower case, in order.
type CountryPair = (String, String);

impl DerivedBorders {
    /// The land border between countries `a` and `b` (either order, any case); `None` while
    /// the world map is still being decoded (asked again later), when they do not meet, or
    /// when either is not a country the map knows (a fictional "Redland").
    pub fn between(&self, a: &str, b: &str) -> Option<Arc<BorderLine>> {
        let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
        if a.is_empty() || b.is_empty() || a == b {
            return None;
        }
        let key = if a <= b { (a, b) } else { (b, a) };
        if let Ok(known) = self.known.lock()
            && let Some(border) = known.get(&key)
        {
            return border.clone();
        }
        if !strikemap_basemap::shared_is_ready() {
            return None;
        }
        let border = strikemap_basemap::shared()
            .ok()
            .and_then(|world| derive_border(world, &key.0, &key.1))
            .map(Arc::new);
        if let Ok(mut known) = self.known.lock() {
            known.insert(key, border.clone());
        }
        border
    }
}

/// The border between two named countries as the world map's country areas have it.
fn derive_border(world: &strikemap_basemap::Basemap, a: &str, b: &str) -> Option<BorderLine> {
    let (a, b) = (world.country_index(a)?, world.country_index(b)?);
    let lines = world.border_between(a, b);
    if lines.is_empty() {
        return None;
    }
    let name = |index: usize| {
        world
            .country_labels()
            .get(index)
            .map(|label| label.name.clone())
    };
    let mut countries = vec![name(a)?, name(b)?];
    countries.sort();
    Some(BorderLine {
        name: format!("{} border", countries.join("–")),
        countries,
        line: MultiLineString::new(
            lines
                .into_iter()
                .map(|line| {
                    LineString::from(
                        line.into_iter()
                            .map(|[lon, lat]| (lon, lat))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect(),
        ),
    })
}

impl AppState {
    /// The border a strike is measured to: the bundled Iran–Pakistan line when the strike is
    /// between those two (or in one of them with no attacker named, as imported datasets
    /// are), else the land border between its attacker and its target country, if they meet.
    pub fn border_for(&self, event: &StrikeEvent) -> Option<Arc<BorderLine>> {
        let target = event.properties.target_country.trim();
        if target.is_empty() {
            return None;
        }
        let attacker = event
            .attacker()
            .map(str::trim)
            .filter(|attacker| !attacker.is_empty());
        if let Some(bundled) = &self.border
            && bundled.separates(target)
            && attacker.is_none_or(|attacker| bundled.separates(attacker))
        {
            return Some(Arc::clone(bundled));
        }
        self.derived_borders.between(attacker?, target)
    }

    /// The border the strike is measured to ([`AppState::border_for`]) and how far it is,
    /// when within [`BORDER_DISTANCE_MAX_KM`] of it.
    pub fn measured_border(
        &self,
        event: &StrikeEvent,
    ) -> Option<(Arc<BorderLine>, BorderDistance)> {
        let border = self.border_for(event)?;
        let distance = border
            .distance_from(event.position)
            .filter(|distance| distance.distance_km <= BORDER_DISTANCE_MAX_KM)?;
        Some((border, distance))
    }

    /// How far the strike is from the border it is measured to (see
    /// [`AppState::measured_border`]).
    pub fn border_distance(&self, event: &StrikeEvent) -> Option<BorderDistance> {
        self.measured_border(event).map(|(_, distance)| distance)
    }
}

/// The country the world map puts a strike's position in, when that is not its target
/// country: a sign that the position or the target country was mistyped. `None` when they
/// agree, when the point is at sea or within a few km of a border (the map's countries are
/// simplified to about 2 km), or while the map is being decoded.
pub fn country_other_than_target(event: &StrikeEvent) -> Option<String> {
    if !strikemap_basemap::shared_is_ready() {
        return None;
    }
    let world = strikemap_basemap::shared().ok()?;
    let LonLat { lon, lat } = event.position;
    let here = world.country_at(lon, lat)?;
    let target = world.country_index(&event.properties.target_country);
    // Near a border the simplified outlines may disagree: only a clear case counts.
    let around = [(0.03, 0.0), (-0.03, 0.0), (0.0, 0.03), (0.0, -0.03)];
    let clear = around
        .iter()
        .all(|(east, north)| world.country_at(lon + east, lat + north) == Some(here));
    (target != Some(here) && clear)
        .then(|| {
            world
                .country_labels()
                .get(here)
                .map(|label| label.name.clone())
        })
        .flatten()
}

/// "Iran–Pakistan border": the two countries a border separates, or its name.
pub fn border_title(border: &BorderLine) -> String {
    match border.countries.as_slice() {
        [a, b] => format!("{a}–{b} border"),
        _ => border.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    fn strike(attacker: &str, target: &str, lon: f64, lat: f64) -> StrikeEvent {
        let mut event = super::super::new_strike(
            "E1",
            LonLat { lon, lat },
            Date::parse_iso("2026-11-27").unwrap(),
        );
        event.properties.attacker = Some(attacker.into());
        event.properties.target_country = target.into();
        event
    }

    fn world_is_decoded() {
        assert!(strikemap_basemap::shared().is_ok());
    }

    #[test]
    fn a_strike_between_other_neighbours_is_measured_to_their_border() {
        world_is_decoded();
        let state = AppState::bundled();
        let kharkiv = strike("Russia", "Ukraine", 36.23, 49.99);
        let border = state.border_for(&kharkiv).unwrap();
        assert_eq!(border_title(&border), "Russia–Ukraine border");
        let distance = state.border_distance(&kharkiv).unwrap().distance_km;
        assert!((25.0..45.0).contains(&distance), "{distance:.1} km");
        assert_eq!(
            crate::describe::border_distance_text(&state, &kharkiv).unwrap(),
            format!(
                "~{distance:.0} km inside Ukraine (to the nearest point of the Russia–Ukraine \
                 border), location uncertain by ±5 km"
            )
        );
        // Countries the map does not know, and countries that do not meet: no border.
        assert!(
            state
                .border_for(&strike("Redland", "Blueland", 36.2, 50.0))
                .is_none()
        );
        assert!(
            state
                .border_for(&strike("France", "Japan", 139.7, 35.7))
                .is_none()
        );
        // A position on the other side of the border than its target country is flagged.
        let misplaced = strike("Russia", "Ukraine", 36.59, 50.60);
        let text = crate::describe::border_distance_text(&state, &misplaced).unwrap();
        assert!(
            text.contains("but the position is in Russia, not in Ukraine"),
            "{text}"
        );
        // The bundled pair keeps the bundled line.
        let saravan = strike("Pakistan", "Iran", 62.33, 27.37);
        assert!(Arc::ptr_eq(
            &state.border_for(&saravan).unwrap(),
            state.border.as_ref().unwrap()
        ));
    }

    #[test]
    fn the_border_from_the_world_map_follows_the_bundled_iran_pakistan_line() {
        world_is_decoded();
        let borders = DerivedBorders::default();
        let derived = borders.between("Pakistan", "iran").unwrap();
        let bundled = crate::border::bundled_border().unwrap();
        let mut worst: f64 = 0.0;
        for point in bundled.line.0.iter().flat_map(|line| line.coords()) {
            let at = LonLat {
                lon: point.x,
                lat: point.y,
            };
            worst = worst.max(derived.distance_from(at).unwrap().distance_km);
        }
        assert!(
            worst < 3.0,
            "a bundled vertex is {worst:.1} km off the derived line"
        );
        // Asked again (either order), the same border, worked out once.
        assert!(Arc::ptr_eq(
            &derived,
            &borders.between("Iran", "Pakistan").unwrap()
        ));
    }
}
