//! Invariants every successful event import must keep.

use strikemap_core::export::{events_to_csv, events_to_geojson};
use strikemap_core::formats::event_schema::parse_events;
use strikemap_core::import::{Import, MAX_LISTED_SKIPS};
use strikemap_core::search::event_matches;
use strikemap_core::validate::summarize;

#[allow(dead_code)] // Not every target that includes this file reads events.
pub fn check_events(import: &Import) {
    assert!(import.skipped.len() <= MAX_LISTED_SKIPS);
    assert!(import.skipped.len() <= import.skipped_total);
    let _ = summarize(import);
    let Some(events) = import.events() else {
        return;
    };
    assert!(!events.is_empty());
    let exported = events_to_geojson(None, events);
    let again = match parse_events("export.geojson", &exported) {
        Ok(collection) => collection.events,
        Err(error) => panic!("exported events do not read back: {error}"),
    };
    let mut expected = events.to_vec();
    for event in &mut expected {
        event.properties.raw.clear();
    }
    assert_eq!(again, expected);
    let _ = events_to_csv(events);
    for event in events {
        let _ = event_matches(event, "pak É ß");
    }
}

/// Every coordinate of an overlay's drawn features lies in -180..180 / -90..90: reprojection
/// from an old-spec crs and the antimeridian cut of unwrapped longitudes never leave one out.
/// (The layer's bounds are the box around every coordinate.)
#[allow(dead_code)] // Not every target that includes this file reads overlays.
pub fn check_in_range(layer: &strikemap_core::import::OverlayLayer) {
    if let Some(bounds) = layer.bounds() {
        for corner in [bounds.min, bounds.max] {
            assert!(
                (-180.0..=180.0).contains(&corner.lon) && (-90.0..=90.0).contains(&corner.lat),
                "{bounds:?}"
            );
        }
    }
}
