//! The three output formats, written by hand: JSON strings escaped per RFC 8259, CSV fields
//! quoted per RFC 4180. Each feature or row is built in a reused line buffer and written whole.

use crate::event::{BATTLES, EXPLOSIONS, Event, PROTESTS, RIOTS, VIOLENCE_AGAINST_CIVILIANS};
use crate::rng::hash;
use crate::world::{COUNTRIES, Country, MONTHS, World, civil_from_days, weekday};
use std::fmt::Write as _;

/// The ACLED export header, current column set, in order.
pub const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,\
event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,\
civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,\
geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// Seconds since the Unix epoch of 1970-01-01 per day.
const DAY_SECONDS: i64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Escaping

/// Appends `text` as a JSON string literal.
pub fn json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Appends `text` as a CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for part in text.split_inclusive('"') {
            out.push_str(part);
            if part.ends_with('"') {
                out.push('"');
            }
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn push_date(out: &mut String, day: i64) {
    let date = civil_from_days(day);
    let _ = write!(out, "{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

// ---------------------------------------------------------------------------------------------
// Actors (ACLED's naming conventions)

/// ACLED's actor types (the `inter` codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ActorType {
    StateForces = 1,
    RebelGroup = 2,
    PoliticalMilitia = 3,
    IdentityMilitia = 4,
    Rioters = 5,
    Protesters = 6,
    Civilians = 7,
}

struct Actor {
    name: String,
    kind: ActorType,
}

/// The year the current government of a country "began", as ACLED writes it: `(2021-)`.
fn regime_year(country: &Country) -> u64 {
    1990 + hash(&[u64::from(country.iso), 0x7EA2]) % 33
}

fn state_forces(country: &Country, police: bool) -> Actor {
    let which = if police { "Police" } else { "Military" };
    Actor {
        name: format!(
            "{which} Forces of {} ({}-)",
            country.name,
            regime_year(country)
        ),
        kind: ActorType::StateForces,
    }
}

fn armed_group(world: &World, event: &mut Event) -> Actor {
    let country = event.country;
    let which = event.rng.below(5);
    let group = world.group_name(event.country_index, which);
    let (name, kind) = match which {
        0 => (
            format!("Unidentified Armed Group ({})", country.name),
            ActorType::PoliticalMilitia,
        ),
        1 => (format!("{group} Liberation Front"), ActorType::RebelGroup),
        2 => (format!("{group} Militia"), ActorType::PoliticalMilitia),
        3 => (
            format!("{group} Communal Militia ({})", country.name),
            ActorType::IdentityMilitia,
        ),
        _ => (
            format!("Islamic State ({})", country.name),
            ActorType::RebelGroup,
        ),
    };
    Actor { name, kind }
}

fn people(country: &Country, what: &str, kind: ActorType) -> Actor {
    Actor {
        name: format!("{what} ({})", country.name),
        kind,
    }
}

/// actor1 and actor2 (`None` when the event has none) for the event's type.
fn actors(world: &World, event: &mut Event) -> (Actor, Option<Actor>) {
    let country = event.country;
    let sub = event.kind.sub_event_type;
    match event.kind.event_type {
        BATTLES => {
            let first = if event.rng.chance(0.6) {
                state_forces(country, false)
            } else {
                armed_group(world, event)
            };
            (first, Some(armed_group(world, event)))
        }
        EXPLOSIONS => {
            let first = if event.rng.chance(0.7) {
                state_forces(country, false)
            } else {
                armed_group(world, event)
            };
            let second = if event.rng.chance(0.4) {
                people(country, "Civilians", ActorType::Civilians)
            } else {
                armed_group(world, event)
            };
            (first, Some(second))
        }
        VIOLENCE_AGAINST_CIVILIANS => {
            let first = if event.rng.chance(0.2) {
                state_forces(country, event.rng.chance(0.5))
            } else {
                armed_group(world, event)
            };
            (
                first,
                Some(people(country, "Civilians", ActorType::Civilians)),
            )
        }
        PROTESTS => match sub {
            "Peaceful protest" => (people(country, "Protesters", ActorType::Protesters), None),
            "Protest with intervention" => (
                people(country, "Protesters", ActorType::Protesters),
                Some(state_forces(country, true)),
            ),
            _ => (
                state_forces(country, true),
                Some(people(country, "Protesters", ActorType::Protesters)),
            ),
        },
        RIOTS => {
            let second = if sub == "Mob violence" {
                Some(people(country, "Civilians", ActorType::Civilians))
            } else if event.rng.chance(0.3) {
                Some(state_forces(country, true))
            } else {
                None
            };
            (people(country, "Rioters", ActorType::Rioters), second)
        }
        _ => {
            let first = if event.rng.chance(0.5) {
                state_forces(country, event.rng.chance(0.5))
            } else {
                armed_group(world, event)
            };
            let second = event.rng.chance(0.6).then(|| armed_group(world, event));
            (first, second)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ACLED CSV

const OUTLETS: [(&str, &str); 12] = [
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
    fn next(&mut self, event: &Event) -> u32 {
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

// ---------------------------------------------------------------------------------------------
// Generic GeoJSON points

/// The opening of the points FeatureCollection, through `"features":[` and a line break.
pub fn points_header(out: &mut String, seed: u64, count: u64) {
    let _ = writeln!(
        out,
        "{{\"type\":\"FeatureCollection\",\"name\":\"strikemap-synth points (seed {seed}, \
         {count} features)\",\"features\":["
    );
}

/// Appends one Point feature whose properties are ACLED-like columns (no line end).
pub fn points_feature(out: &mut String, event: &Event, ids: &mut AcledIds) {
    let kind = event.kind;
    let id = ids.next(event);
    let _ = write!(
        out,
        "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.5},{:.5}]}},\
         \"properties\":{{\"event_id_cnty\":\"{}{id}\",\"event_date\":\"",
        event.lon, event.lat, event.country.iso3,
    );
    push_date(out, event.day);
    let _ = write!(
        out,
        "\",\"time_precision\":{},\"event_type\":",
        event.time_precision
    );
    json_string(out, kind.event_type);
    out.push_str(",\"country\":");
    json_string(out, event.country.name);
    out.push_str(",\"location\":");
    json_string(out, &event.location);
    let _ = write!(
        out,
        ",\"geo_precision\":{},\"fatalities\":{}}}}}",
        event.geo_precision, event.fatalities
    );
}

// ---------------------------------------------------------------------------------------------
// Strikemap events (strikemap-events/1)

const ATTACKERS: [&str; 6] = ["Russia", "Ukraine", "Israel", "Iran", "Pakistan", "Houthis"];

const CLAIMANTS: [&str; 7] = [
    "Local officials",
    "Health ministry",
    "Hospital sources",
    "Military spokesperson",
    "Residents",
    "Provincial governor",
    "Police",
];

const CLAIMED_TARGETS: [&str; 8] = [
    "militant hideout",
    "command post",
    "ammunition depot",
    "air defence site",
    "training camp",
    "\"terrorist hideouts\"",
    "drone launch site",
    "a weapons convoy",
];

const OPERATION_WORDS: [[&str; 8]; 2] = [
    [
        "Iron", "Northern", "Desert", "Swift", "Steel", "Silent", "Red", "Black",
    ],
    [
        "Dawn",
        "Shield",
        "Storm",
        "Arrow",
        "Lightning",
        "Resolve",
        "Sword",
        "Falcon",
    ],
];

/// The opening of the events file, through `"features":[` and a line break.
pub fn app_header(out: &mut String, seed: u64, count: u64) {
    let _ = writeln!(
        out,
        "{{\"type\":\"FeatureCollection\",\"schema\":\"strikemap-events/1\",\"title\":\
         \"Synthetic events (strikemap-synth, seed {seed}, {count} events)\",\
         \"as_of\":\"2025-01-01\",\"features\":["
    );
}

fn weapons_for(event: &mut Event) -> Option<&'static str> {
    let choices: &[&str] = match event.kind.sub_event_type {
        "Air/drone strike" => &[
            "drones",
            "missiles and drones",
            "air strike",
            "loitering munitions",
        ],
        "Shelling/artillery/missile attack" => {
            &["artillery", "rockets", "ballistic missiles", "mortars"]
        }
        "Remote explosive/landmine/IED" => &["improvised explosive device"],
        "Grenade" => &["grenade"],
        "Suicide bomb" => &["suicide vest"],
        _ if event.kind.event_type == BATTLES => &["small arms", "small arms and RPGs"],
        "Attack" => &["small arms", "knives"],
        _ => return None,
    };
    Some(*event.rng.pick(choices))
}

/// Appends a count object: `{"count":n}` with `at_least` only when true.
fn push_count(out: &mut String, count: u32, at_least: bool, children: Option<u32>) {
    let _ = write!(out, "{{\"count\":{count}");
    if at_least {
        out.push_str(",\"at_least\":true");
    }
    if let Some(children) = children {
        let _ = write!(out, ",\"children\":{children}");
    }
    out.push('}');
}

/// Appends one event feature of the app's schema (no line end).
pub fn app_feature(out: &mut String, event: &mut Event) {
    let kind = event.kind;
    let violent = matches!(kind.event_type, BATTLES | EXPLOSIONS);
    let attacker = (violent || event.rng.chance(0.2))
        .then(|| *event.rng.pick(&ATTACKERS))
        .filter(|_| event.rng.chance(0.75));
    let _ = write!(
        out,
        "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.4},{:.4}]}},\
         \"properties\":{{\"id\":\"E{}\",\"title\":",
        event.lon,
        event.lat,
        event.index + 1
    );
    let title = match attacker {
        Some(attacker) if violent => {
            format!("{attacker} strike on {}, {}", event.location, event.admin1)
        }
        _ => format!("{} in {}", kind.sub_event_type, event.location),
    };
    json_string(out, &title);
    out.push_str(",\"date\":\"");
    push_date(out, event.day);
    let _ = write!(out, "\",\"time_precision\":{}", event.time_precision);
    out.push_str(",\"time_as_reported\":");
    let reported_time = event.rng.chance(0.15);
    if reported_time {
        let phrase = match event.rng.below(5) {
            0 => "early morning".to_owned(),
            1 => format!("late on {}", weekday(event.day)),
            2 => "around midnight".to_owned(),
            3 => format!("{} afternoon", weekday(event.day)),
            _ => format!("at about {}:00 local time", event.rng.between(1, 23)),
        };
        json_string(out, &phrase);
        out.push_str(",\"time_sources\":[\"S1\"]");
    } else {
        out.push_str("null");
    }
    if let Some(attacker) = attacker {
        out.push_str(",\"attacker\":");
        json_string(out, attacker);
    }
    out.push_str(",\"target_country\":");
    json_string(out, event.country.name);
    out.push_str(",\"province\":");
    json_string(out, &event.admin1);
    out.push_str(",\"district\":");
    json_string(out, &event.admin2);
    out.push_str(",\"place_as_reported\":");
    let place = match event.geo_precision {
        1 => event.location.clone(),
        2 => format!("near {}", event.location),
        _ => format!("{} province", event.admin1),
    };
    json_string(out, &place);
    if event.rng.chance(0.15) {
        out.push_str(",\"place_sources\":[\"S1\"]");
    }
    let (level, radius) = match event.geo_precision {
        1 => ("town", 5),
        2 => ("district", 25),
        _ => ("province", 100),
    };
    let _ = write!(
        out,
        ",\"location\":{{\"level\":\"{level}\",\"geo_precision\":{},\"radius_km\":{radius},\
         \"basis\":\"Synthetic\"}}",
        event.geo_precision
    );
    out.push_str(",\"weapons\":");
    match weapons_for(event) {
        Some(weapons) => json_string(out, weapons),
        None => out.push_str("null"),
    }
    out.push_str(",\"claimed_target\":");
    if attacker.is_some() && event.rng.chance(0.55) {
        json_string(out, event.rng.pick_str(&CLAIMED_TARGETS));
    } else {
        out.push_str("null");
    }
    out.push_str(",\"operation\":");
    if attacker.is_some() && event.rng.chance(0.12) {
        let _ = write!(
            out,
            "\"Operation {} {}\"",
            event.rng.pick(&OPERATION_WORDS[0]),
            event.rng.pick(&OPERATION_WORDS[1])
        );
    } else {
        out.push_str("null");
    }

    // Claims: the headline one, and a second claimant's account for a fifth, read in
    // the same piece or in a second one.
    let claims = if event.rng.chance(0.2) { 2 } else { 1 };
    let sources = if claims == 2 && event.rng.chance(0.4) {
        2
    } else {
        1
    };
    out.push_str(",\"casualty_claims\":[");
    let first_claimant = event.rng.below(CLAIMANTS.len() as u64) as usize;
    for claim in 0..claims {
        if claim > 0 {
            out.push(',');
        }
        out.push_str("{\"claimant\":");
        let claimant = match (claim, attacker) {
            (0, _) => CLAIMANTS[first_claimant].to_owned(),
            (_, Some(attacker)) => format!("{attacker} armed forces"),
            (_, None) => CLAIMANTS[(first_claimant + 3) % CLAIMANTS.len()].to_owned(),
        };
        json_string(out, &claimant);
        let killed = if claim == 0 {
            Some(event.fatalities)
        } else if event.rng.chance(0.2) {
            None
        } else {
            Some(event.fatalities + event.rng.below(8) as u32)
        };
        if let Some(killed) = killed {
            out.push_str(",\"killed\":");
            let children = (killed > 1 && event.rng.chance(0.1)).then_some(killed / 2);
            let at_least = killed > 0 && event.rng.chance(0.25);
            push_count(out, killed, at_least, children);
        }
        if event.rng.chance(0.25) {
            out.push_str(",\"injured\":");
            let injured = event.rng.below(2 * u64::from(event.fatalities) + 4) as u32;
            push_count(out, injured, false, None);
        }
        let _ = write!(out, ",\"source\":\"S{}\"", (claim + 1).min(sources));
        if event.rng.chance(0.1) {
            out.push_str(",\"note\":");
            let note = match killed {
                Some(0) => "\"no one was hurt\"".to_owned(),
                Some(killed) => format!("\"{killed} killed, several wounded\""),
                None => "\"a number of casualties\"".to_owned(),
            };
            json_string(out, &note);
        }
        out.push('}');
    }
    out.push_str("],\"sources\":[");
    for key in 1..=sources {
        if key > 1 {
            out.push(',');
        }
        let (outlet, slug) = *event.rng.pick(&OUTLETS);
        let published = event.day + event.rng.below(3) as i64;
        let _ = write!(
            out,
            "{{\"key\":\"S{key}\",\"outlet\":\"{outlet}\",\"date\":\""
        );
        push_date(out, published);
        out.push_str("\",\"title\":");
        // Some pieces are known without a title (a statement, a post).
        if event.rng.chance(0.25) {
            out.push_str("null");
        } else if event.fatalities > 0 {
            let _ = write!(
                out,
                "\"{} killed near {}\"",
                event.fatalities, event.location
            );
        } else {
            let _ = write!(out, "\"Clashes reported in {}\"", event.location);
        }
        let _ = write!(
            out,
            ",\"url\":\"https://{slug}.example/e{}",
            event.index + 1
        );
        if key > 1 {
            let _ = write!(out, "-{key}");
        }
        out.push_str("\"}");
    }
    out.push_str("]}}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        json_string(&mut out, "a \"b\" \\ c\nd\u{1}é");
        assert_eq!(out, r#""a \"b\" \\ c\nd\u0001é""#);
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        csv_field(&mut out, "plain");
        out.push('|');
        csv_field(&mut out, "a, \"b\"");
        out.push('|');
        csv_field(&mut out, "\"");
        assert_eq!(out, "plain|\"a, \"\"b\"\"\"|\"\"\"\"");
    }

    #[test]
    fn the_header_has_the_31_current_columns() {
        assert_eq!(ACLED_HEADER.split(',').count(), 31);
        assert!(ACLED_HEADER.starts_with("event_id_cnty,event_date,"));
        assert!(ACLED_HEADER.ends_with(",tags,timestamp"));
    }
}
