//! Wording shared by the panels, the map's accessible names and the slides: who struck whom,
//! casualty cells, distances to the border, and the labels of table rows.

use crate::model::{CasualtyClaim, Count, StrikeEvent};
use crate::spatial::Cluster;
use crate::state::AppState;
use crate::table::PointTable;

/// The accessible label of an event's entry in the list.
pub fn event_list_label(event: &StrikeEvent) -> String {
    format!("{} · {} · {}", event.date, event.id(), event.title())
}

/// The map label of a strike: its place and day, "Panjgur · 16 Jan". The place is the most
/// local unit the data names (the district or county, without that word), else the first part
/// of the place as reported.
pub fn strike_place_label(event: &StrikeEvent) -> String {
    let p = &event.properties;
    let unit = [
        p.admin3.as_deref(),
        Some(p.district.as_str()),
        Some(p.province.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|name| !name.is_empty());
    let place = match unit {
        Some(name) => [" district", " county", " province", " governorate"]
            .into_iter()
            .find_map(|suffix| {
                let cut = name.len().checked_sub(suffix.len())?;
                let tail = name.get(cut..)?;
                tail.eq_ignore_ascii_case(suffix)
                    .then(|| name.get(..cut).unwrap_or(name).trim_end())
            })
            .unwrap_or(name),
        None => p
            .place_as_reported
            .split([',', ';', '('])
            .next()
            .unwrap_or("")
            .trim(),
    };
    let day = format!("{} {}", event.date.day, event.date.month_abbreviation());
    if place.is_empty() {
        day
    } else {
        format!("{place} · {day}")
    }
}

/// "Iran struck Pakistan"; for imported events, which name actors but not who struck whom,
/// "In Pakistan: actor 1 and actor 2 (as the dataset's actors)".
pub fn who_struck_whom(event: &StrikeEvent) -> String {
    let p = &event.properties;
    let target = p.target_country.trim();
    if target.is_empty() {
        // A strike being written up: say what is missing rather than half a sentence.
        return match p.attacker.as_deref().map(str::trim) {
            Some(attacker) if !attacker.is_empty() => {
                format!("{attacker} struck (target country not named yet)")
            }
            _ => "Attacker and target country not named yet".to_owned(),
        };
    }
    match (&p.attacker, &p.actor1, &p.actor2) {
        (Some(attacker), _, _) => format!("{attacker} struck {}", p.target_country),
        (None, Some(actor1), Some(actor2)) => format!(
            "In {}: {actor1} and {actor2} (the dataset's actors 1 and 2; not attacker and target)",
            p.target_country
        ),
        (None, Some(actor), None) | (None, None, Some(actor)) => {
            format!("In {}: {actor} (the dataset's actor)", p.target_country)
        }
        (None, None, None) => format!("In {} (no attacker named)", p.target_country),
    }
}

/// "~79 km inside Pakistan (to the nearest point of the Iran–Pakistan border), location
/// uncertain by ±60 km".
pub fn border_distance_text(state: &AppState, event: &StrikeEvent) -> Option<String> {
    let (border, distance) = state.measured_border(event)?;
    let border = crate::state::border_title(&border);
    let radius = event.properties.location.radius_km;
    // "Inside the target" only when the map agrees the position is in it.
    Some(match crate::state::country_other_than_target(event) {
        None => format!(
            "~{:.0} km inside {} (to the nearest point of the {border}), location uncertain by \
             ±{radius:.0} km",
            distance.distance_km, event.properties.target_country
        ),
        Some(country) => format!(
            "~{:.0} km from the {border}, but the position is in {country}, not in {}: check \
             the position or the target country",
            distance.distance_km, event.properties.target_country
        ),
    })
}

/// A cell of the casualty table, e.g. `≥2`, or `–` when the claimant gave no figure.
pub fn count_cell(count: Option<&Count>) -> String {
    count.map_or_else(|| "–".to_owned(), Count::headline)
}

/// The children / women / men cell: killed and injured parts, e.g. `2 k / 3 i`.
pub fn breakdown_cell(claim: &CasualtyClaim, part: &str) -> String {
    let pick = |count: Option<&Count>| {
        count.and_then(|count| {
            count
                .breakdown()
                .find(|(label, _)| *label == part)
                .map(|(_, value)| value)
        })
    };
    match (pick(claim.killed.as_ref()), pick(claim.injured.as_ref())) {
        (None, None) => "–".to_owned(),
        (Some(killed), None) => format!("{killed} k"),
        (None, Some(injured)) => format!("{injured} i"),
        (Some(killed), Some(injured)) => format!("{killed} k / {injured} i"),
    }
}

/// One claim as the cells of [`CASUALTY_COLUMNS`].
pub fn casualty_row(claim: &CasualtyClaim) -> [String; 7] {
    [
        claim.claimant.clone(),
        format!("[{}]", claim.source),
        count_cell(claim.killed.as_ref()),
        count_cell(claim.injured.as_ref()),
        breakdown_cell(claim, "children"),
        breakdown_cell(claim, "women"),
        breakdown_cell(claim, "men"),
    ]
}

/// The accessible name of a table point.
pub fn row_label(layer_name: &str, table: &PointTable, row: u32) -> String {
    let label = table.label(row);
    let date = table
        .date(row)
        .map_or_else(|| "undated".to_owned(), |date| date.to_string());
    if label.is_empty() {
        format!("{layer_name}: row {row}, {date}")
    } else {
        format!("{layer_name}: {label}, {date}")
    }
}

/// A row's entry in a side-panel list (the list's heading names the layer): "22 Feb 2023 ·
/// E801955".
pub fn row_list_label(table: &PointTable, row: u32) -> String {
    let date = table
        .date(row)
        .map_or_else(|| "undated".to_owned(), |date| date.to_string());
    match table.label(row) {
        "" => format!("{date} · row {row}"),
        label => format!("{date} · {label}"),
    }
}

/// The accessible name of a cluster bubble: its count, layer and place (so that bubbles can be
/// told apart without seeing them).
pub fn cluster_label(layer_name: &str, cluster: &Cluster) -> String {
    let (lon, lat) = crate::spatial::lon_lat(cluster.center);
    let count = cluster.count;
    format!(
        "Cluster of {count} {} in {layer_name} near {:.2}° {}, {:.2}° {}",
        if count == 1 { "event" } else { "events" },
        lat.abs(),
        if lat >= 0.0 { "N" } else { "S" },
        lon.abs(),
        if lon >= 0.0 { "E" } else { "W" },
    )
}

/// The accessible name of a strike marker.
pub fn marker_label(event: &StrikeEvent) -> String {
    format!("Strike {}: {}, {}", event.id(), event.title(), event.date)
}

/// The columns of the casualty table, in order; [`casualty_row`] fills them.
pub const CASUALTY_COLUMNS: [&str; 7] = [
    "Claimant", "Source", "Killed", "Injured", "Children", "Women", "Men",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strikes_are_labelled_with_their_place_and_day() {
        let events = crate::formats::bundled::bundled_events().unwrap().events;
        let label = |id: &str| strike_place_label(events.iter().find(|e| e.id() == id).unwrap());
        assert_eq!(label("E1"), "Panjgur · 16 Jan");
        assert_eq!(label("E2"), "Saravan · 18 Jan");
        let mut unnamed = events[0].clone();
        unnamed.properties.district = String::new();
        unnamed.properties.province = String::new();
        unnamed.properties.place_as_reported = "Near Sabz Koh, Panjgur".into();
        assert_eq!(strike_place_label(&unnamed), "Near Sabz Koh · 16 Jan");
    }

    #[test]
    fn a_strike_being_written_up_says_what_is_not_named_yet() {
        let mut event = crate::formats::bundled::bundled_events().unwrap().events[0].clone();
        assert_eq!(who_struck_whom(&event), "Iran struck Pakistan");
        event.properties.target_country = String::new();
        assert_eq!(
            who_struck_whom(&event),
            "Iran struck (target country not named yet)"
        );
        event.properties.attacker = None;
        assert_eq!(
            who_struck_whom(&event),
            "Attacker and target country not named yet"
        );
    }

    #[test]
    fn cells_show_at_least_and_breakdowns() {
        let events = crate::formats::bundled::bundled_events().unwrap().events;
        let e1 = events.iter().find(|e| e.id() == "E1").unwrap();
        let al_jazeera = &e1.properties.casualty_claims[0];
        assert_eq!(count_cell(al_jazeera.killed.as_ref()), "≥2");
        assert_eq!(count_cell(al_jazeera.injured.as_ref()), "3");
        assert_eq!(breakdown_cell(al_jazeera, "children"), "2 k");
        let commissioner = &e1.properties.casualty_claims[2];
        assert_eq!(breakdown_cell(commissioner, "children"), "2 k / 3 i");
        assert_eq!(breakdown_cell(commissioner, "women"), "1 i");
        assert_eq!(breakdown_cell(commissioner, "men"), "–");
        assert_eq!(count_cell(None), "–");
    }

    #[test]
    fn rows_line_up_with_the_columns() {
        let events = crate::formats::bundled::bundled_events().unwrap().events;
        let e1 = events.iter().find(|e| e.id() == "E1").unwrap();
        let row = casualty_row(&e1.properties.casualty_claims[0]);
        let cell = |name: &str| {
            let index = CASUALTY_COLUMNS.iter().position(|c| *c == name).unwrap();
            row[index].as_str()
        };
        assert_eq!(cell("Claimant"), "Al Jazeera");
        assert_eq!(cell("Source"), "[A1]");
        assert_eq!(cell("Killed"), "≥2");
        assert_eq!(cell("Injured"), "3");
        assert_eq!(cell("Children"), "2 k");
        assert_eq!(cell("Women"), "–");
        assert_eq!(cell("Men"), "–");
    }
}
