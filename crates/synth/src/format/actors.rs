//! The actors of an event, named after ACLED's conventions.

use crate::event::{BATTLES, EXPLOSIONS, Event, PROTESTS, RIOTS, VIOLENCE_AGAINST_CIVILIANS};
use crate::rng::hash;
use crate::world::{Country, World};

/// ACLED's actor types (the `inter` codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ActorType {
    StateForces = 1,
    RebelGroup = 2,
    PoliticalMilitia = 3,
    IdentityMilitia = 4,
    Rioters = 5,
    Protesters = 6,
    Civilians = 7,
}

pub(super) struct Actor {
    pub(super) name: String,
    pub(super) kind: ActorType,
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
pub(super) fn actors(world: &World, event: &mut Event) -> (Actor, Option<Actor>) {
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
