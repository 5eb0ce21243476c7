//! Strikemap events, `strikemap-events/1`.

use std::fmt::Write as _;

use super::acled_csv::OUTLETS;
use super::text::{json_string, push_date};
use crate::event::{BATTLES, EXPLOSIONS, Event};
use crate::world::weekday;

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
