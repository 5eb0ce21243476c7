//! The data bundled with the app: the strikes and the two target provinces, embedded so the
//! binary runs from any folder.

use super::event_schema::{EventCollection, parse_events, parse_provinces};
use crate::error::LoadError;
use crate::model::Province;

/// The strikes bundled with the app.
pub const BUNDLED_STRIKES_GEOJSON: &str = include_str!("../../../../assets/strikes.geojson");
/// The two target provinces, derived from Natural Earth (see `scripts/derive_provinces.py`).
pub const BUNDLED_PROVINCES_GEOJSON: &str = include_str!("../../../../assets/provinces.geojson");

pub const BUNDLED_STRIKES_NAME: &str = "assets/strikes.geojson";
pub const BUNDLED_PROVINCES_NAME: &str = "assets/provinces.geojson";

/// The bundled events. An error here is a bug in the shipped data, caught by the tests.
pub fn bundled_events() -> Result<EventCollection, LoadError> {
    parse_events(BUNDLED_STRIKES_NAME, BUNDLED_STRIKES_GEOJSON)
}

/// The bundled provinces.
pub fn bundled_provinces() -> Result<Vec<Province>, LoadError> {
    parse_provinces(BUNDLED_PROVINCES_NAME, BUNDLED_PROVINCES_GEOJSON)
}
