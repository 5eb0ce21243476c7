//! Filtering the event list by place, actor or source, as typed in the search box.

use crate::model::StrikeEvent;

/// True when every whitespace-separated term of `query` occurs, ignoring case, in one of the
/// event's place fields (country, province, district, third-level unit, place as reported), actor
/// fields (attacker and its detail, actor1/actor2, claimants) or source fields (key, outlet,
/// title). An empty query matches every event.
pub fn event_matches(event: &StrikeEvent, query: &str) -> bool {
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if terms.is_empty() {
        return true;
    }
    // One text, fields separated by newlines; a term has no whitespace, so it never matches
    // across two fields.
    let text = searchable_fields(event).join("\n").to_lowercase();
    terms.iter().all(|term| text.contains(term.as_str()))
}

/// The fields the search looks in.
fn searchable_fields(event: &StrikeEvent) -> Vec<&str> {
    let p = &event.properties;
    let mut fields: Vec<&str> = vec![
        &p.target_country,
        &p.province,
        &p.district,
        &p.place_as_reported,
    ];
    let optional = [
        &p.admin3,
        &p.attacker,
        &p.attacker_detail,
        &p.actor1,
        &p.actor2,
    ];
    fields.extend(optional.into_iter().flatten().map(String::as_str));
    fields.extend(
        p.casualty_claims
            .iter()
            .map(|claim| claim.claimant.as_str()),
    );
    for source in &p.sources {
        fields.push(&source.key);
        fields.push(&source.outlet);
        fields.extend(source.title.as_deref());
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::bundled::bundled_events;

    fn matching_ids(query: &str) -> Vec<String> {
        bundled_events()
            .unwrap()
            .events
            .iter()
            .filter(|event| event_matches(event, query))
            .map(|event| event.id().to_owned())
            .collect()
    }

    #[test]
    fn matches_places_actors_and_sources_ignoring_case() {
        assert_eq!(matching_ids(""), ["E1", "E2"]);
        assert_eq!(matching_ids("   "), ["E1", "E2"]);
        assert_eq!(matching_ids("panjgur"), ["E1"]);
        assert_eq!(matching_ids("SARAVAN"), ["E2"]);
        assert_eq!(matching_ids("jaish"), ["E1"]);
        assert_eq!(matching_ids("dawn"), ["E1"]);
        assert_eq!(matching_ids("koh-i-sabz"), ["E1"]);
        assert_eq!(matching_ids("nowhere"), Vec::<String>::new());
    }

    #[test]
    fn every_term_must_match() {
        assert_eq!(matching_ids("iran panjgur"), ["E1"]);
        assert_eq!(matching_ids("panjgur saravan"), Vec::<String>::new());
    }

    #[test]
    fn title_text_alone_does_not_match() {
        // "Iran strikes" is in E1's title; E1's fields say "strikes" nowhere (E2's attacker
        // detail says "airstrikes").
        assert_eq!(matching_ids("strikes"), ["E2"]);
    }
}
