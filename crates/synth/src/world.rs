//! The synthetic world: countries (as boxes around their populated, conflict-affected parts),
//! ~300 fixed hot spots drawn from a seed, and made-up place names.

use crate::rng::{Rng, cumulative, hash};

/// The box all events fall in: longitude −20..150, latitude −40..60.
pub const LON_RANGE: (f64, f64) = (-20.0, 150.0);
pub const LAT_RANGE: (f64, f64) = (-40.0, 60.0);

/// How many hot spots the world has.
pub const HOT_SPOTS: usize = 300;

/// A country: a box around the part of it where events cluster, and how much weight its hot
/// spots get.
#[derive(Debug)]
pub struct Country {
    pub name: &'static str,
    /// ISO 3166-1 alpha-3, the prefix of ACLED's `event_id_cnty`.
    pub iso3: &'static str,
    /// ISO 3166-1 numeric, ACLED's `iso` column.
    pub iso: u16,
    /// ACLED's region name.
    pub region: &'static str,
    pub lon: (f64, f64),
    pub lat: (f64, f64),
    /// Relative share of the hot spots.
    pub weight: f64,
}

const fn country(
    name: &'static str,
    iso3: &'static str,
    iso: u16,
    region: &'static str,
    lon: (f64, f64),
    lat: (f64, f64),
    weight: f64,
) -> Country {
    Country {
        name,
        iso3,
        iso,
        region,
        lon,
        lat,
        weight,
    }
}

const ME: &str = "Middle East";
const SA: &str = "South Asia";

/// The countries. Those of the Middle East and South Asia carry about half the weight, as in
/// recent ACLED data; the box lon 40..80, lat 20..40 (Iraq, Iran, Afghanistan, Pakistan, part of
/// India), about 5% of the area, gets a fifth to a quarter of the events.
#[rustfmt::skip]
pub const COUNTRIES: &[Country] = &[
    // Middle East
    country("Syria", "SYR", 760, ME, (35.8, 42.0), (32.5, 37.0), 10.0),
    country("Iraq", "IRQ", 368, ME, (39.0, 48.0), (29.5, 37.0), 11.0),
    country("Iran", "IRN", 364, ME, (46.0, 61.0), (26.0, 38.0), 9.0),
    country("Yemen", "YEM", 887, ME, (43.0, 52.0), (13.0, 18.0), 8.0),
    country("Saudi Arabia", "SAU", 682, ME, (39.0, 50.0), (18.0, 28.0), 2.0),
    country("Lebanon", "LBN", 422, ME, (35.2, 36.5), (33.1, 34.6), 3.0),
    country("Israel", "ISR", 376, ME, (34.3, 35.6), (29.6, 33.2), 2.0),
    country("Palestine", "PSE", 275, ME, (34.3, 35.5), (31.3, 32.5), 5.0),
    country("Turkey", "TUR", 792, ME, (27.0, 44.0), (36.5, 41.5), 3.0),
    country("Jordan", "JOR", 400, ME, (35.5, 37.5), (30.0, 32.5), 1.0),
    // South Asia
    country("Afghanistan", "AFG", 4, SA, (61.0, 71.0), (30.0, 37.0), 9.0),
    country("Pakistan", "PAK", 586, SA, (66.0, 75.0), (24.0, 35.0), 12.0),
    country("India", "IND", 356, SA, (72.0, 88.0), (10.0, 30.0), 10.0),
    country("Bangladesh", "BGD", 50, SA, (88.5, 92.0), (21.5, 26.0), 4.0),
    country("Nepal", "NPL", 524, SA, (81.0, 88.0), (26.5, 29.5), 1.0),
    country("Sri Lanka", "LKA", 144, SA, (79.8, 81.8), (6.0, 9.5), 1.0),
    // Southeast and East Asia
    country("Myanmar", "MMR", 104, "Southeast Asia", (93.0, 99.0), (16.0, 26.0), 7.0),
    country("Thailand", "THA", 764, "Southeast Asia", (99.0, 105.0), (7.0, 19.0), 1.0),
    country("Philippines", "PHL", 608, "Southeast Asia", (120.0, 126.0), (6.0, 18.0), 4.0),
    country("Indonesia", "IDN", 360, "Southeast Asia", (105.0, 115.0), (-8.0, -6.0), 2.0),
    country("Vietnam", "VNM", 704, "Southeast Asia", (104.0, 109.0), (10.0, 22.0), 1.0),
    country("China", "CHN", 156, "East Asia", (105.0, 121.0), (23.0, 40.0), 2.0),
    country("South Korea", "KOR", 410, "East Asia", (126.5, 129.0), (34.8, 37.8), 0.5),
    country("Japan", "JPN", 392, "East Asia", (132.0, 141.0), (33.0, 38.0), 0.3),
    // Europe and the Caucasus
    country("Ukraine", "UKR", 804, "Europe", (24.0, 40.0), (46.0, 51.0), 10.0),
    country("Russia", "RUS", 643, "Europe", (30.0, 50.0), (50.0, 58.0), 3.0),
    country("France", "FRA", 250, "Europe", (-1.0, 7.0), (43.0, 49.5), 1.0),
    country("Germany", "DEU", 276, "Europe", (7.0, 14.0), (48.0, 54.0), 1.0),
    country("Spain", "ESP", 724, "Europe", (-6.0, 0.0), (37.0, 43.0), 0.5),
    country("Poland", "POL", 616, "Europe", (15.0, 23.0), (50.0, 54.0), 0.5),
    country("United Kingdom", "GBR", 826, "Europe", (-3.0, 0.5), (51.0, 55.0), 0.5),
    country("Azerbaijan", "AZE", 31, "Caucasus and Central Asia", (45.0, 49.0), (39.0, 41.5), 1.0),
    country("Georgia", "GEO", 268, "Caucasus and Central Asia", (41.5, 46.0), (41.2, 42.8), 0.5),
    // Africa
    country("Nigeria", "NGA", 566, "Western Africa", (3.0, 13.0), (5.0, 13.0), 7.0),
    country("Mali", "MLI", 466, "Western Africa", (-11.0, 4.0), (12.0, 17.0), 4.0),
    country("Burkina Faso", "BFA", 854, "Western Africa", (-5.0, 2.0), (10.0, 15.0), 5.0),
    country("Niger", "NER", 562, "Western Africa", (2.0, 12.0), (13.0, 17.0), 2.0),
    country("Senegal", "SEN", 686, "Western Africa", (-17.0, -12.0), (12.5, 16.0), 0.3),
    country("Cameroon", "CMR", 120, "Middle Africa", (9.0, 15.0), (3.0, 12.0), 3.0),
    country("Democratic Republic of Congo", "COD", 180, "Middle Africa", (27.0, 30.0), (-5.0, 3.0), 6.0),
    country("Central African Republic", "CAF", 140, "Middle Africa", (16.0, 23.0), (4.0, 8.0), 1.0),
    country("Sudan", "SDN", 729, "Northern Africa", (23.0, 36.0), (11.0, 16.0), 5.0),
    country("Libya", "LBY", 434, "Northern Africa", (10.0, 20.0), (30.0, 33.0), 1.0),
    country("Egypt", "EGY", 818, "Northern Africa", (29.0, 33.0), (25.0, 31.5), 1.0),
    country("Morocco", "MAR", 504, "Northern Africa", (-9.0, -3.0), (30.0, 35.0), 0.5),
    country("Algeria", "DZA", 12, "Northern Africa", (0.0, 8.0), (34.0, 36.8), 0.5),
    country("South Sudan", "SSD", 728, "Eastern Africa", (28.0, 33.0), (5.0, 9.0), 2.0),
    country("Ethiopia", "ETH", 231, "Eastern Africa", (35.0, 42.0), (6.0, 14.0), 3.0),
    country("Somalia", "SOM", 706, "Eastern Africa", (42.0, 48.0), (-1.0, 8.0), 4.0),
    country("Kenya", "KEN", 404, "Eastern Africa", (35.0, 40.0), (-3.0, 2.0), 1.5),
    country("Mozambique", "MOZ", 508, "Southern Africa", (38.0, 40.5), (-14.0, -10.0), 1.0),
    country("South Africa", "ZAF", 710, "Southern Africa", (18.0, 31.0), (-34.0, -25.0), 2.0),
];

/// A centre events cluster around.
#[derive(Debug)]
pub struct HotSpot {
    pub country: usize,
    pub lon: f64,
    pub lat: f64,
    /// Standard deviation of the spread around the centre, 5 to 80 km.
    pub spread_km: f64,
    /// The town at the centre.
    pub name: String,
}

/// The hot spots of one seed, and how often each is drawn.
#[derive(Debug)]
pub struct World {
    pub seed: u64,
    pub hot_spots: Vec<HotSpot>,
    hot_spot_cumulative: Vec<f64>,
}

impl World {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::stream(seed, u64::MAX);
        let country_cumulative = cumulative(COUNTRIES.iter().map(|country| country.weight));
        let mut hot_spots = Vec::with_capacity(HOT_SPOTS);
        let mut weights = Vec::with_capacity(HOT_SPOTS);
        for index in 0..HOT_SPOTS {
            let country_index = rng.weighted(&country_cumulative);
            let country = &COUNTRIES[country_index];
            let lon = rng.uniform(country.lon.0, country.lon.1);
            let lat = rng.uniform(country.lat.0, country.lat.1);
            let spread = rng.unit();
            // Mostly compact clusters (a town and its outskirts), some spread over a region.
            let spread_km = 5.0 + 75.0 * spread * spread;
            // Some hot spots are much busier than others: weights from 0.2 to 2.2, skewed low.
            let activity = rng.unit();
            weights.push(0.2 + 2.0 * activity * activity * activity);
            hot_spots.push(HotSpot {
                country: country_index,
                lon,
                lat,
                spread_km,
                name: place_name(hash(&[seed, 0x7077, index as u64])),
            });
        }
        Self {
            seed,
            hot_spots,
            hot_spot_cumulative: cumulative(weights),
        }
    }

    /// A hot spot, drawn by activity.
    pub fn draw_hot_spot(&self, rng: &mut Rng) -> &HotSpot {
        &self.hot_spots[rng.weighted(&self.hot_spot_cumulative)]
    }

    /// The name of the administrative unit of `level` (1, 2, 3) at a point of a country: a grid
    /// cell of 3°, 1° or 0.25° gets one made-up name.
    pub fn admin_name(&self, country: usize, level: u8, lon: f64, lat: f64) -> String {
        let cell = match level {
            1 => 3.0,
            2 => 1.0,
            _ => 0.25,
        };
        place_name(self.cell_hash(country, u64::from(level), cell, lon, lat))
    }

    /// A village name for a small cell (about 5 km) around a point.
    pub fn village_name(&self, country: usize, lon: f64, lat: f64) -> String {
        place_name(self.cell_hash(country, 9, 0.05, lon, lat))
    }

    /// A made-up name of a group active in a country (`which` picks one of a few).
    pub fn group_name(&self, country: usize, which: u64) -> String {
        place_name(hash(&[self.seed, 0x6A0F, country as u64, which]))
    }

    fn cell_hash(&self, country: usize, kind: u64, cell: f64, lon: f64, lat: f64) -> u64 {
        let x = (lon / cell).floor() as i64;
        let y = (lat / cell).floor() as i64;
        hash(&[self.seed, kind, country as u64, x as u64, y as u64])
    }

    /// The country of a background point: the one whose box holds it (the smallest, where boxes
    /// overlap), else the one whose box is nearest.
    pub fn country_at(&self, lon: f64, lat: f64) -> usize {
        let mut best = (f64::INFINITY, 0);
        for (index, country) in COUNTRIES.iter().enumerate() {
            let dx = distance_outside(lon, country.lon);
            let dy = distance_outside(lat, country.lat);
            let area = (country.lon.1 - country.lon.0) * (country.lat.1 - country.lat.0);
            // Inside: rank by area (always below any outside distance); outside: by distance.
            let score = if dx == 0.0 && dy == 0.0 {
                area * 1e-6
            } else {
                1.0 + dx * dx + dy * dy
            };
            if score < best.0 {
                best = (score, index);
            }
        }
        best.1
    }
}

fn distance_outside(value: f64, (low, high): (f64, f64)) -> f64 {
    if value < low {
        low - value
    } else if value > high {
        value - high
    } else {
        0.0
    }
}

const SYLLABLES: [&str; 48] = [
    "ka", "ra", "bad", "man", "sar", "zar", "lo", "ni", "gor", "tan", "qal", "mir", "sha", "ban",
    "dar", "ko", "ha", "lu", "pur", "bi", "sa", "mal", "na", "ti", "ja", "ru", "ghaz", "kan", "mo",
    "ye", "del", "wa", "su", "fa", "ber", "ak", "el", "um", "ta", "di", "gen", "lam", "vo", "ze",
    "hor", "ib", "ne", "tu",
];

/// A made-up place name of two or three syllables, from a hash.
pub fn place_name(mut bits: u64) -> String {
    let syllables = 2 + usize::from(bits.is_multiple_of(3));
    bits /= 3;
    let mut name = String::with_capacity(12);
    for _ in 0..syllables {
        name.push_str(SYLLABLES[(bits % SYLLABLES.len() as u64) as usize]);
        bits /= SYLLABLES.len() as u64;
    }
    if let Some(first) = name.get(..1) {
        let upper = first.to_ascii_uppercase();
        name.replace_range(..1, &upper);
    }
    name
}

/// A civil date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ymd {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

/// Days since 1970-01-01 of 2023-01-01, the first day events fall on.
pub const FIRST_DAY: i64 = 19_358;
/// How many days events span: 2023-01-01 to 2024-12-31.
pub const DAY_SPAN: u64 = 731;

/// The civil date of a day number (days since 1970-01-01), proleptic Gregorian
/// (H. Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> Ymd {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Ymd { year, month, day }
}

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub const WEEKDAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];

/// The weekday of a day number (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> &'static str {
    WEEKDAYS[days.rem_euclid(7) as usize]
}

/// cos(x) for |x| ≤ π/2 by its Taylor series to x¹⁴ (error below 1e-10 there): plain
/// arithmetic, so it gives the same bits on every platform, unlike libm's `cos`.
pub fn cos_small(x: f64) -> f64 {
    let x2 = x * x;
    1.0 - x2 / 2.0
        * (1.0
            - x2 / 12.0
                * (1.0
                    - x2 / 30.0
                        * (1.0
                            - x2 / 56.0
                                * (1.0 - x2 / 90.0 * (1.0 - x2 / 132.0 * (1.0 - x2 / 182.0))))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(
            civil_from_days(FIRST_DAY),
            Ymd {
                year: 2023,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            civil_from_days(FIRST_DAY + DAY_SPAN as i64 - 1),
            Ymd {
                year: 2024,
                month: 12,
                day: 31
            }
        );
        assert_eq!(
            civil_from_days(FIRST_DAY + 365 + 31 + 28),
            Ymd {
                year: 2024,
                month: 2,
                day: 29
            }
        );
        assert_eq!(weekday(FIRST_DAY), "Sunday");
    }

    #[test]
    fn cos_small_is_close_to_cos() {
        for step in -90..=90 {
            let x = f64::from(step) * std::f64::consts::PI / 180.0;
            assert!((cos_small(x) - x.cos()).abs() < 1e-9, "{step}");
        }
    }

    #[test]
    fn every_country_box_is_inside_the_event_box() {
        for country in COUNTRIES {
            assert!(country.lon.0 >= LON_RANGE.0 && country.lon.1 <= LON_RANGE.1);
            assert!(country.lat.0 >= LAT_RANGE.0 && country.lat.1 <= LAT_RANGE.1);
            assert_eq!(country.iso3.len(), 3);
        }
        let world = World::new(1);
        assert_eq!(world.hot_spots.len(), HOT_SPOTS);
        assert_eq!(
            COUNTRIES[world.country_at(67.0, 26.0)].name,
            "Pakistan",
            "a point inside a box belongs to it"
        );
    }
}
