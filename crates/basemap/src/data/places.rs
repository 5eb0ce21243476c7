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

/// A country label point: one per Natural Earth admin-0 unit, taken from NE's
/// `admin_0_label_points` (the point of the lowest scalerank nearest NE's label anchor), so it
/// lies on the country's main land mass.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryLabel {
    /// English name (Natural Earth `name`).
    pub name: String,
    /// Natural Earth `adm0_a3` code.
    pub adm0_a3: String,
    pub lon: f64,
    pub lat: f64,
    /// Priority for greedy placement, 0 first: ordered by Natural Earth `labelrank`, then by
    /// area (largest first). Unique per label.
    pub label_rank: u8,
    /// Lowest zoom at which to label the country (Natural Earth `min_label`).
    pub min_zoom: f32,
    /// Highest zoom at which Natural Earth labels the country (`max_label`), if set.
    pub max_zoom: Option<f32>,
    /// Natural Earth `labelrank` (1 = most prominent).
    pub ne_label_rank: u8,
    /// Always false for the world asset (kept for the regional asset's API).
    pub clipped_to_region: bool,
}
