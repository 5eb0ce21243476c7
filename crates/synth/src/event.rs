//! One synthetic event: where, when, what, how deadly. Each event is drawn from its own stream
//! of the seed, so event `i` is the same in every format and at every count; the writers draw
//! their format's extra fields from what is left of that stream.

use crate::rng::{Rng, cumulative};
use crate::world::{
    COUNTRIES, Country, DAY_SPAN, FIRST_DAY, LAT_RANGE, LON_RANGE, World, Ymd, civil_from_days,
    cos_small,
};

/// Share of the events clustered around hot spots; the rest are uniform over the box.
pub const CLUSTERED_SHARE: f64 = 0.8;

/// An ACLED event type and sub-event type, with how often it occurs and how deadly it is.
#[derive(Debug)]
pub struct EventKind {
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub disorder_type: &'static str,
    /// Relative frequency.
    pub weight: f64,
    /// Probability that the event has any fatalities.
    pub fatal_chance: f64,
}

const PV: &str = "Political violence";
const DEM: &str = "Demonstrations";
const SD: &str = "Strategic developments";
pub const BATTLES: &str = "Battles";
pub const EXPLOSIONS: &str = "Explosions/Remote violence";
pub const VIOLENCE_AGAINST_CIVILIANS: &str = "Violence against civilians";
pub const PROTESTS: &str = "Protests";
pub const RIOTS: &str = "Riots";
pub const STRATEGIC: &str = "Strategic developments";

const fn kind(
    event_type: &'static str,
    sub_event_type: &'static str,
    disorder_type: &'static str,
    weight: f64,
    fatal_chance: f64,
) -> EventKind {
    EventKind {
        event_type,
        sub_event_type,
        disorder_type,
        weight,
        fatal_chance,
    }
}

/// ACLED's vocabulary, weighted roughly as in its recent global data.
pub const KINDS: &[EventKind] = &[
    kind(BATTLES, "Armed clash", PV, 12.0, 0.55),
    kind(BATTLES, "Government regains territory", PV, 0.5, 0.5),
    kind(BATTLES, "Non-state actor overtakes territory", PV, 0.5, 0.5),
    kind(
        EXPLOSIONS,
        "Shelling/artillery/missile attack",
        PV,
        12.0,
        0.3,
    ),
    kind(EXPLOSIONS, "Air/drone strike", PV, 8.0, 0.45),
    kind(EXPLOSIONS, "Remote explosive/landmine/IED", PV, 3.0, 0.5),
    kind(EXPLOSIONS, "Grenade", PV, 0.7, 0.3),
    kind(EXPLOSIONS, "Suicide bomb", PV, 0.3, 0.8),
    kind(VIOLENCE_AGAINST_CIVILIANS, "Attack", PV, 8.0, 0.6),
    kind(
        VIOLENCE_AGAINST_CIVILIANS,
        "Abduction/forced disappearance",
        PV,
        2.5,
        0.0,
    ),
    kind(VIOLENCE_AGAINST_CIVILIANS, "Sexual violence", PV, 0.5, 0.05),
    kind(PROTESTS, "Peaceful protest", DEM, 30.0, 0.0),
    kind(PROTESTS, "Protest with intervention", DEM, 2.5, 0.01),
    kind(PROTESTS, "Excessive force against protesters", PV, 0.3, 0.4),
    kind(
        RIOTS,
        "Mob violence",
        "Political violence; Demonstrations",
        3.0,
        0.15,
    ),
    kind(RIOTS, "Violent demonstration", DEM, 4.0, 0.03),
    kind(STRATEGIC, "Arrests", SD, 2.0, 0.0),
    kind(STRATEGIC, "Looting/property destruction", SD, 1.5, 0.0),
    kind(STRATEGIC, "Change to group/activity", SD, 1.5, 0.0),
    kind(STRATEGIC, "Disrupted weapons use", SD, 1.0, 0.0),
    kind(STRATEGIC, "Other", SD, 0.8, 0.0),
    kind(STRATEGIC, "Agreement", SD, 0.4, 0.0),
    kind(STRATEGIC, "Headquarters or base established", SD, 0.3, 0.0),
    kind(STRATEGIC, "Non-violent transfer of territory", SD, 0.2, 0.0),
];

/// One event's common fields.
#[derive(Debug)]
pub struct Event {
    /// 0-based position in the file.
    pub index: u64,
    pub country_index: usize,
    pub country: &'static Country,
    pub lon: f64,
    pub lat: f64,
    /// Days since 1970-01-01.
    pub day: i64,
    pub date: Ymd,
    /// ACLED code: 1 the day, 2 the week, 3 the month.
    pub time_precision: u8,
    /// ACLED code: 1 the town, 2 near a town, 3 a region.
    pub geo_precision: u8,
    pub kind: &'static EventKind,
    pub fatalities: u32,
    pub admin1: String,
    pub admin2: String,
    /// Empty for countries whose rows have no third level.
    pub admin3: String,
    pub location: String,
    /// The rest of the event's stream, for the writers' extra fields.
    pub rng: Rng,
}

/// Draws events for one seed.
#[derive(Debug)]
pub struct Generator {
    pub world: World,
    kind_cumulative: Vec<f64>,
}

impl Generator {
    pub fn new(seed: u64) -> Self {
        Self {
            world: World::new(seed),
            kind_cumulative: cumulative(KINDS.iter().map(|kind| kind.weight)),
        }
    }

    pub fn seed(&self) -> u64 {
        self.world.seed
    }

    /// Event number `index` (0-based).
    pub fn event(&self, index: u64) -> Event {
        let world = &self.world;
        let mut rng = Rng::stream(world.seed, index);
        let (country_index, lon, lat, town) = if rng.chance(CLUSTERED_SHARE) {
            let spot = world.draw_hot_spot(&mut rng);
            let north_km = rng.gaussish() * spot.spread_km;
            let east_km = rng.gaussish() * spot.spread_km;
            let lat = (spot.lat + north_km / 111.32).clamp(-89.9, 89.9);
            let lon =
                (spot.lon + east_km / (111.32 * cos_small(lat.to_radians()))).clamp(-180.0, 180.0);
            // Most events near a hot spot are reported at its town, the others at villages.
            let town = rng.chance(0.65).then(|| spot.name.clone());
            (spot.country, lon, lat, town)
        } else {
            let lon = rng.uniform(LON_RANGE.0, LON_RANGE.1);
            let lat = rng.uniform(LAT_RANGE.0, LAT_RANGE.1);
            (world.country_at(lon, lat), lon, lat, None)
        };
        let country = &COUNTRIES[country_index];
        let location = town.unwrap_or_else(|| world.village_name(country_index, lon, lat));

        let day = FIRST_DAY + rng.below(DAY_SPAN) as i64;
        let time_precision = match rng.unit() {
            p if p < 0.78 => 1,
            p if p < 0.95 => 2,
            _ => 3,
        };
        let geo_precision = match rng.unit() {
            p if p < 0.70 => 1,
            p if p < 0.92 => 2,
            _ => 3,
        };
        let kind = &KINDS[rng.weighted(&self.kind_cumulative)];
        let fatalities = if rng.chance(kind.fatal_chance) {
            // 1 to 50, most of them small: 1 + 49·u⁴.
            let u = rng.unit();
            1 + (49.0 * u * u * u * u) as u32
        } else {
            0
        };
        let admin3 = if country.iso.is_multiple_of(2) {
            world.admin_name(country_index, 3, lon, lat)
        } else {
            String::new()
        };
        Event {
            index,
            country_index,
            country,
            lon,
            lat,
            day,
            date: civil_from_days(day),
            time_precision,
            geo_precision,
            kind,
            fatalities,
            admin1: world.admin_name(country_index, 1, lon, lat),
            admin2: world.admin_name(country_index, 2, lon, lat),
            admin3,
            location,
            rng,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_in_range_and_mostly_clustered() {
        let generator = Generator::new(3);
        let mut in_region = 0;
        let mut fatal = 0;
        let count = 20_000;
        for index in 0..count {
            let event = generator.event(index);
            assert!((-180.0..=180.0).contains(&event.lon));
            assert!((-90.0..=90.0).contains(&event.lat));
            assert!((2023..=2024).contains(&event.date.year));
            assert!(event.fatalities <= 50);
            if (40.0..80.0).contains(&event.lon) && (20.0..40.0).contains(&event.lat) {
                in_region += 1;
            }
            if event.fatalities > 0 {
                fatal += 1;
            }
        }
        // The Middle East / South Asia box is ~4% of the area but holds far more of the events.
        assert!(in_region > count / 6, "{in_region}");
        assert!(fatal < count / 2, "{fatal}");
    }

    #[test]
    fn an_event_does_not_depend_on_the_others() {
        let generator = Generator::new(9);
        let later = generator.event(1234);
        let again = Generator::new(9).event(1234);
        assert_eq!(later.lon, again.lon);
        assert_eq!(later.location, again.location);
    }
}
