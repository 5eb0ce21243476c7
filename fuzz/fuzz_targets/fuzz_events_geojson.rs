//! parse_events on arbitrary text: never panics; whatever loads exports and reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::{export::events_to_geojson, formats::event_schema::parse_events};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(collection) = parse_events("fuzz.geojson", text) {
        let exported = events_to_geojson(collection.title.as_deref(), &collection.events);
        let again = parse_events("export.geojson", &exported);
        assert_eq!(again.ok().map(|c| c.events), Some(collection.events));
    }
});
