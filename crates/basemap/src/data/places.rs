//! Point features for the app's labels: populated places and country label points.

/// Kind of a populated place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// Natural Earth "Admin-0 capital".
    NationalCapital,
    /// Natural Earth "Admin-1 capital".
    ProvinceCapital,
    /// Natural Earth "Populated place".
    PopulatedPlace,
}

/// A populated place for the app's label overlay (Natural Earth `populated_places`).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Name in UTF-8 (Natural Earth `name`).
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub kind: PlaceKind,
    /// Natural Earth scalerank (0 = most important).
    pub scalerank: u8,
    /// Natural Earth labelrank.
    pub labelrank: u8,
    /// Natural Earth min_zoom (lowest zoom at which to label the place), if set.
    pub min_zoom: Option<f32>,
    /// Population estimate (Natural Earth `pop_max`).
    pub pop_max: u64,
    /// ISO-like three-letter country code (Natural Earth `adm0_a3`).
    pub adm0_a3: String,
}

/// A country label point: a pole of inaccessibility of the country's largest polygon part
/// inside the region, so it is well inside the country.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryLabel {
    pub name: String,
    /// Natural Earth `adm0_a3` code.
    pub adm0_a3: String,
    pub lon: f64,
    pub lat: f64,
    /// 0 for the country with the largest area inside the region, then 1, 2, …
    pub label_rank: u8,
    /// Lowest zoom at which the label's inscribed circle is about 48 px wide (256-px tiles).
    pub min_zoom: f32,
    /// True when the country extends beyond the region box (only part of it is drawn).
    pub clipped_to_region: bool,
}
