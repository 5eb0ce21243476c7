//! The bundled data is evidence: these tests check it against itself, the geometry and the
//! fact sheet it was built from. The events and statements have one copy, the bundled case
//! (`assets/cases/iran-pakistan-2024.geojson`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use geo::{Contains, Relate};
use strikemap_core::case::BUNDLED_CASE_GEOJSON;
use strikemap_core::formats::bundled::{self as data, BUNDLED_PROVINCES_GEOJSON};

#[test]
fn both_files_parse_with_the_project_loader() {
    let events = data::bundled_events().expect("bundled strikes load");
    assert_eq!(events.events.len(), 2);
    let ids: Vec<&str> = events.events.iter().map(|event| event.id()).collect();
    assert_eq!(ids, ["E1", "E2"], "events are in chronological order");
    let provinces = data::bundled_provinces().expect("bundled provinces load");
    let names: Vec<&str> = provinces.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Balochistan", "Sistan and Baluchestan"]);
}

#[test]
fn both_files_parse_with_the_geojson_crate() {
    for (name, text) in [
        ("case", BUNDLED_CASE_GEOJSON),
        ("provinces", BUNDLED_PROVINCES_GEOJSON),
    ] {
        let parsed: geojson::GeoJson = text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        let geojson::GeoJson::FeatureCollection(collection) = parsed else {
            panic!("{name} is not a FeatureCollection");
        };
        assert_eq!(collection.features.len(), 2, "{name}");
        for feature in &collection.features {
            let geometry = feature
                .geometry
                .as_ref()
                .expect("every feature has a geometry");
            geo::Geometry::<f64>::try_from(geometry).expect("converts to geo types");
        }
    }
}

#[test]
fn every_claim_cites_a_source_of_its_event() {
    let events = data::bundled_events().unwrap().events;
    let mut claims = 0;
    for event in &events {
        assert!(
            !event.properties.casualty_claims.is_empty(),
            "{}",
            event.id()
        );
        for claim in &event.properties.casualty_claims {
            claims += 1;
            assert!(
                event.source(&claim.source).is_some(),
                "{}: claim by {} cites {}, which is not a source of the event",
                event.id(),
                claim.claimant,
                claim.source
            );
        }
        for (field, key) in event.cited_source_keys() {
            assert!(
                event.source(key).is_some(),
                "{}: {field} cites {key}",
                event.id()
            );
        }
    }
    assert_eq!(claims, 13);
}

#[test]
fn conflicting_claims_stay_separate() {
    let events = data::bundled_events().unwrap().events;
    let e2 = events.iter().find(|e| e.id() == "E2").unwrap();
    let killed: Vec<Option<u32>> = e2
        .properties
        .casualty_claims
        .iter()
        .map(|claim| claim.killed.as_ref().map(|count| count.count))
        .collect();
    // 7, 9 and 10 are all there as given, and Pakistan's "a number of terrorists" has no figure.
    assert_eq!(
        killed,
        [Some(9), Some(7), Some(9), Some(9), Some(10), Some(10), None]
    );
}

#[test]
fn every_strike_lies_inside_its_stated_province() {
    let provinces = data::bundled_provinces().unwrap();
    for event in data::bundled_events().unwrap().events {
        let province = provinces
            .iter()
            .find(|p| p.name == event.properties.province)
            .unwrap_or_else(|| panic!("{}: no province {}", event.id(), event.properties.province));
        assert_eq!(
            province.country,
            event.properties.target_country,
            "{}",
            event.id()
        );
        let point = geo::Point::new(event.position.lon, event.position.lat);
        assert!(
            province.geometry.contains(&point),
            "{} at {:?} is outside {}",
            event.id(),
            event.position,
            province.name
        );
        // The attacker's own provinces must not contain it.
        for other in provinces.iter().filter(|p| p.name != province.name) {
            assert!(
                !other.geometry.contains(&point),
                "{} is inside {}",
                event.id(),
                other.name
            );
        }
    }
}

#[test]
fn the_two_provinces_touch_without_overlapping() {
    let provinces = data::bundled_provinces().unwrap();
    let matrix = provinces[0].geometry.relate(&provinces[1].geometry);
    assert!(
        matrix.is_touches(),
        "Balochistan and Sistan and Baluchestan share a border"
    );
    assert!(!matrix.is_overlaps());
}

/// Every source key of the bundled data is one of the fact sheet's keys (shared/sources). The
/// fact sheet sits beside the checkout (`shared/` in the checkout's parent folder). In CI
/// (`CI=true`) a missing fact sheet fails the test; elsewhere the test says it skipped, so a
/// checkout without `shared/` beside it still tests.
#[test]
fn every_source_is_in_the_fact_sheet() {
    // This crate is crates/core of the checkout.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/sources/fact-sheet.md");
    let fact_sheet = match std::fs::read_to_string(&path) {
        Ok(fact_sheet) => fact_sheet,
        Err(error) if in_ci() => panic!(
            "{}: cannot read the fact sheet in CI ({error}); it must be beside the checkout",
            path.display()
        ),
        Err(_) => {
            eprintln!("skipped: {} is not beside the checkout", path.display());
            return;
        }
    };
    for event in data::bundled_events().unwrap().events {
        for source in &event.properties.sources {
            assert!(
                fact_sheet.contains(&format!("| {} |", source.key)),
                "{}: source {} is not in the fact sheet's table",
                event.id(),
                source.key
            );
        }
    }
    let case = strikemap_core::case::bundled_case().unwrap();
    for source in &case.statement_sources {
        assert!(
            fact_sheet.contains(&format!("| {} |", source.key)),
            "statement source {} is not in the fact sheet's table",
            source.key
        );
    }
    for statement in &case.statements {
        for key in &statement.source_keys {
            assert!(
                case.statement_sources
                    .iter()
                    .any(|source| &source.key == key),
                "statement {}: source {key} is not among the case's statement sources",
                statement.id
            );
        }
    }
}

/// True when running in CI, which sets `CI=true` (any value but empty, "0" or "false" counts).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"))
}
