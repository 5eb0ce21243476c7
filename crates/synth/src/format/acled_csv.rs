//! The ACLED CSV export: the current 31-column header and one row per event, with ACLED-style
//! notes.

use std::fmt::Write as _;

use super::actors::{ActorType, actors};
use super::text::{csv_field, push_date};
use crate::event::{BATTLES, EXPLOSIONS, Event, PROTESTS, RIOTS, VIOLENCE_AGAINST_CIVILIANS};
use crate::world::{COUNTRIES, MONTHS, World};

/// The ACLED export header, current column set, in order.
pub const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,\
event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,\
civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,\
geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// Seconds since the Unix epoch of 1970-01-01 per day.
const DAY_SECONDS: i64 = 86_400;

pub(super) const OUTLETS: [(&str, &str); 12] = [
    ("Reuters", "reuters"),
    ("Associated Press", "apnews"),
    ("AFP", "afp"),
    ("Al Jazeera", "aljazeera"),
    ("BBC News", "bbc"),
    ("Dawn", "dawn"),
    ("Kyiv Independent", "kyivindependent"),
    ("Anadolu Agency", "aa"),
    ("The New Humanitarian", "thenewhumanitarian"),
    ("Xinhua", "xinhua"),
    ("Radio Dabanga", "dabangasudan"),
    ("Local Source", "local"),
];

const SOURCE_SCALES: [&str; 7] = [
    "National",
    "International",
    "Subnational",
    "Local partner-National",
    "New media",
    "National-International",
    "Other-New media",
];

const GRIEVANCES: [&str; 8] = [
    "power cuts",
    "rising fuel prices",
    "the arrest of a local activist",
    "unpaid salaries",
    "insecurity in the area",
    "the water shortage",
    "land seizures, evictions and demolitions",
    "election results",
];

const TARGETS: [&str; 6] = [
    "militant hideout",
    "weapons depot",
    "command post",
    "training camp",
    "checkpoint",
    "fuel depot",
];

const QUOTES: [&str; 5] = [
    " A spokesperson said the operation targeted \"terrorist hideouts\", which residents denied.",
    " Local sources said \"the whole village fled\" after the attack.",
    " The group called it \"retaliation\" for earlier arrests, according to a statement.",
    " Officials described the situation as \"under control\", but shops stayed shut.",
    " Witnesses said the attackers shouted \"leave or die\" before withdrawing.",
];

fn push_when(out: &mut String, event: &Event) {
    let date = event.date;
    let month = MONTHS[(date.month - 1) as usize];
    let _ = match event.time_precision {
        1 => write!(out, "On {} {month} {},", date.day, date.year),
        2 => write!(out, "Around {} {month} {} (week of),", date.day, date.year),
        _ => write!(out, "In {month} {},", date.year),
    };
}

/// ACLED-style notes: a sentence on who did what where, a fatalities clause, sometimes a quote.
fn acled_notes(event: &mut Event, actor1: &str, actor2: Option<&str>) -> String {
    let mut notes = String::with_capacity(240);
    push_when(&mut notes, event);
    let other = actor2.unwrap_or("unidentified persons");
    let place = format!("{} ({}, {})", event.location, event.admin2, event.admin1);
    let target = *event.rng.pick(&TARGETS);
    let grievance = *event.rng.pick(&GRIEVANCES);
    let number = event.rng.between(2, 40);
    let _ = match event.kind.sub_event_type {
        "Armed clash" => write!(notes, " {actor1} clashed with {other} in {place}."),
        "Government regains territory" => {
            write!(notes, " {actor1} regained control of {place} from {other}.")
        }
        "Non-state actor overtakes territory" => write!(
            notes,
            " {actor1} took control of {place} after {other} withdrew."
        ),
        "Air/drone strike" => write!(
            notes,
            " {actor1} carried out a drone strike on a suspected {target} in {place}."
        ),
        "Shelling/artillery/missile attack" => write!(
            notes,
            " {actor1} shelled positions of {other} in and around {place}."
        ),
        "Remote explosive/landmine/IED" => write!(
            notes,
            " an IED planted by {actor1} exploded near a vehicle of {other} in {place}."
        ),
        "Grenade" => write!(
            notes,
            " {actor1} threw a grenade at a {target} of {other} in {place}."
        ),
        "Suicide bomb" => write!(
            notes,
            " a suicide bomber of {actor1} detonated explosives at a gathering in {place}."
        ),
        "Attack" => write!(
            notes,
            " {actor1} attacked civilians in {place}, burning several houses."
        ),
        "Abduction/forced disappearance" => write!(
            notes,
            " {actor1} abducted {number} civilians, including a trader, in {place}."
        ),
        "Sexual violence" => write!(notes, " {actor1} sexually assaulted a woman in {place}."),
        "Peaceful protest" => write!(
            notes,
            " residents protested in {place} against {grievance}. [size=no report]"
        ),
        "Protest with intervention" => write!(
            notes,
            " police dispersed students protesting in {place} against {grievance}; several were \
             detained. [size=around {number}0]"
        ),
        "Excessive force against protesters" => write!(
            notes,
            " {actor1} opened fire on protesters in {place} who denounced {grievance}."
        ),
        "Mob violence" => write!(notes, " a mob beat a suspected thief to death in {place}."),
        "Violent demonstration" => write!(
            notes,
            " demonstrators burned tyres and blocked a road in {place} over {grievance}."
        ),
        "Arrests" => write!(
            notes,
            " {actor1} arrested {number} suspected members of {other} in {place}."
        ),
        "Looting/property destruction" => {
            write!(
                notes,
                " {actor1} looted shops and burned a market in {place}."
            )
        }
        "Disrupted weapons use" => write!(
            notes,
            " {actor1} defused an IED planted on a road in {place}."
        ),
        "Agreement" => write!(
            notes,
            " {actor1} and {other} agreed to a local ceasefire in {place}."
        ),
        "Headquarters or base established" => {
            write!(notes, " {actor1} set up a new base in {place}.")
        }
        "Non-violent transfer of territory" => write!(
            notes,
            " {other} handed over positions in {place} to {actor1}."
        ),
        _ => write!(
            notes,
            " {actor1} held a rally of armed members in {place}, warning of attacks."
        ),
    };
    let violent = matches!(
        event.kind.event_type,
        BATTLES | EXPLOSIONS | VIOLENCE_AGAINST_CIVILIANS
    );
    let _ = match event.fatalities {
        0 if violent => write!(notes, " No fatalities reported."),
        0 => Ok(()),
        1 => write!(notes, " 1 fatality."),
        count => write!(notes, " {count} fatalities."),
    };
    if violent && event.rng.chance(0.15) {
        notes.push_str(event.rng.pick_str(&QUOTES));
    }
    notes
}

/// Writes the ACLED header line.
pub fn acled_header(out: &mut String) {
    out.push_str(ACLED_HEADER);
    out.push('\n');
}

/// Per-file state of the ACLED-like writers: the next event number of each country, so that
/// `event_id_cnty` is `PAK1000`, `PAK1001`, … (the same in the CSV and the points file).
pub struct AcledIds(Vec<u32>);

impl Default for AcledIds {
    fn default() -> Self {
        Self(vec![1000; COUNTRIES.len()])
    }
}

impl AcledIds {
    pub(super) fn next(&mut self, event: &Event) -> u32 {
        let number = &mut self.0[event.country_index];
        let id = *number;
        *number += 1;
        id
    }
}

/// Appends one ACLED CSV row (with its line end).
pub fn acled_row(out: &mut String, world: &World, event: &mut Event, ids: &mut AcledIds) {
    let country = event.country;
    let id = ids.next(event);
    let (actor1, actor2) = actors(world, event);
    let notes = acled_notes(
        event,
        &actor1.name,
        actor2.as_ref().map(|a| a.name.as_str()),
    );
    let kind = event.kind;

    let _ = write!(out, "{}{id},", country.iso3);
    push_date(out, event.day);
    let _ = write!(out, ",{},{},", event.date.year, event.time_precision);
    csv_field(out, kind.disorder_type);
    out.push(',');
    csv_field(out, kind.event_type);
    out.push(',');
    csv_field(out, kind.sub_event_type);
    out.push(',');
    csv_field(out, &actor1.name);
    out.push(',');
    if kind.event_type == PROTESTS && event.rng.chance(0.4) {
        let group = *event
            .rng
            .pick(&["Labor Group", "Students", "Teachers", "Women"]);
        let _ = write!(out, "{group} ({})", country.name);
        if event.rng.chance(0.3) {
            let _ = write!(out, "; Farmers ({})", country.name);
        }
    }
    let inter1 = actor1.kind as u8;
    let inter2 = actor2.as_ref().map_or(0, |actor| actor.kind as u8);
    let _ = write!(out, ",{inter1},");
    if let Some(actor) = &actor2 {
        csv_field(out, &actor.name);
    }
    out.push(',');
    if actor2
        .as_ref()
        .is_some_and(|actor| actor.kind == ActorType::Civilians)
        && event.rng.chance(0.2)
    {
        let _ = write!(out, "Farmers ({})", country.name);
    }
    let interaction = if inter2 == 0 {
        u16::from(inter1) * 10
    } else {
        u16::from(inter1.min(inter2)) * 10 + u16::from(inter1.max(inter2))
    };
    let civilian_targeting = if inter2 == ActorType::Civilians as u8 {
        "Civilian targeting"
    } else {
        ""
    };
    let _ = write!(
        out,
        ",{inter2},{interaction},{civilian_targeting},{},",
        country.iso
    );
    csv_field(out, country.region);
    out.push(',');
    csv_field(out, country.name);
    out.push(',');
    csv_field(out, &event.admin1);
    out.push(',');
    csv_field(out, &event.admin2);
    out.push(',');
    csv_field(out, &event.admin3);
    out.push(',');
    csv_field(out, &event.location);
    let _ = write!(
        out,
        ",{:.4},{:.4},{},",
        event.lat, event.lon, event.geo_precision
    );
    let outlets = 1 + event.rng.below(3) as usize;
    let first = event.rng.below(OUTLETS.len() as u64) as usize;
    let mut source = String::with_capacity(64);
    for k in 0..outlets {
        if k > 0 {
            source.push_str("; ");
        }
        source.push_str(OUTLETS[(first + k * 5) % OUTLETS.len()].0);
    }
    csv_field(out, &source);
    out.push(',');
    csv_field(out, event.rng.pick_str(&SOURCE_SCALES));
    out.push(',');
    csv_field(out, &notes);
    let _ = write!(out, ",{},", event.fatalities);
    if kind.event_type == PROTESTS || kind.event_type == RIOTS {
        out.push_str("crowd size=no report");
    }
    // ACLED's timestamp: when the row was last changed, days to weeks after the event.
    let timestamp = (event.day + 2 + event.rng.below(40) as i64) * DAY_SECONDS
        + event.rng.below(DAY_SECONDS as u64) as i64;
    let _ = writeln!(out, ",{timestamp}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_has_the_31_current_columns() {
        assert_eq!(ACLED_HEADER.split(',').count(), 31);
        assert!(ACLED_HEADER.starts_with("event_id_cnty,event_date,"));
        assert!(ACLED_HEADER.ends_with(",tags,timestamp"));
    }
}
