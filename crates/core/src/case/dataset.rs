//! "Add to case" on an imported ACLED or UCDP event.

use crate::model::{CasualtyClaim, Source, StrikeEvent};

/// The key of the source that cites the dataset row itself.
pub const ROW_SOURCE_KEY: &str = "R1";

/// A strike for the case from an event imported from a dataset (as the importer or a table's
/// `EventReader` gives it): its position, dates, precision (codes, radius, basis), actors,
/// places and the dataset's notes are kept; `id` is the case's fresh id
/// ([`crate::case::Case::next_event_id`]). Its sources are a source citing the dataset row
/// (outlet `dataset`, title `row_description`, e.g. "ACLED event PAK1234") and the outlets the
/// row lists, as imported; its one casualty claim is the dataset's, with the row's fatalities as
/// killed (absent when the row gives none: nothing is invented) and the row as its source. The
/// dataset does not say who attacked: `attacker` stays empty, to be filled from a report. The
/// raw row is not kept (a case file has no place for it; the row is cited instead).
pub fn strike_from_dataset_event(
    event: &StrikeEvent,
    dataset: &str,
    row_description: &str,
    id: &str,
) -> StrikeEvent {
    let mut strike = event.clone();
    let p = &mut strike.properties;
    p.id = id.to_owned();
    p.raw.clear();
    let mut key = ROW_SOURCE_KEY.to_owned();
    let mut next = 1u32;
    while p.sources.iter().any(|source| source.key == key) {
        next += 1;
        key = format!("R{next}");
    }
    let killed = p
        .casualty_claims
        .iter()
        .find(|claim| claim.claimant == dataset || Some(claim.claimant.as_str()) == origin(event))
        .and_then(|claim| claim.killed.clone());
    p.casualty_claims = vec![CasualtyClaim {
        claimant: dataset.to_owned(),
        killed,
        injured: None,
        source: key.clone(),
        note: Some(format!("The fatalities figure of {row_description}")),
    }];
    p.sources.insert(
        0,
        Source {
            key,
            outlet: dataset.to_owned(),
            date: None,
            title: Some(row_description.to_owned()),
            note: Some(format!("The {dataset} row this strike was added from")),
            url: None,
            read_via: None,
            ..Default::default()
        },
    );
    strike
}

fn origin(event: &StrikeEvent) -> Option<&'static str> {
    event.properties.origin.map(|origin| origin.dataset_name())
}
