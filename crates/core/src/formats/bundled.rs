//! The data bundled with the app: the strikes and the two target provinces, embedded so the
//! binary runs from any folder. The strikes are those of the bundled case
//! (`assets/cases/iran-pakistan-2024.geojson`), the one copy of the bundled evidence.

use super::event_schema::{EventCollection, parse_events, parse_provinces};
use crate::error::LoadError;
use crate::model::Province;

/// The case bundled with the app: the Iran–Pakistan strikes of January 2024, the one copy of
/// the bundled events and statements. Read-only (`crate::case::bundled_case` reads it whole).
pub const BUNDLED_CASE_GEOJSON: &str =
    include_str!("../../../../assets/cases/iran-pakistan-2024.geojson");
pub const BUNDLED_CASE_NAME: &str = "assets/cases/iran-pakistan-2024.geojson";
/// The two target provinces, derived from Natural Earth (see `scripts/derive_provinces.py`).
pub const BUNDLED_PROVINCES_GEOJSON: &str = include_str!("../../../../assets/provinces.geojson");

pub const BUNDLED_PROVINCES_NAME: &str = "assets/provinces.geojson";

/// The bundled case's events, read by the events loader (a case file is an events file with
/// one more member). An error here is a bug in the shipped data, caught by the tests.
pub fn bundled_events() -> Result<EventCollection, LoadError> {
    parse_events(BUNDLED_CASE_NAME, BUNDLED_CASE_GEOJSON)
}

/// The bundled provinces.
pub fn bundled_provinces() -> Result<Vec<Province>, LoadError> {
    parse_provinces(BUNDLED_PROVINCES_NAME, BUNDLED_PROVINCES_GEOJSON)
}
