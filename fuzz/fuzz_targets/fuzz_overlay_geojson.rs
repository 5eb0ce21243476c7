//! parse_overlay on arbitrary text: never panics; a loaded layer has features and bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::overlay::parse_overlay;
use strikemap_core::formats::skips::MAX_LISTED_SKIPS;
use strikemap_core::import::Import;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(read) = parse_overlay("fuzz.geojson", text) {
        let import = Import::of_overlay("fuzz.geojson", read);
        assert!(import.skipped.len() <= MAX_LISTED_SKIPS);
        assert!(import.skipped.len() <= import.skipped_total);
        let layer = import
            .overlay()
            .expect("an overlay import holds an overlay");
        assert!(!layer.features.is_empty());
        for feature in &layer.features {
            let _ = feature.label();
            let _ = feature.property_lines();
        }
        let _ = layer.bounds();
    }
});
