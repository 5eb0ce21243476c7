//! parse_gpx on arbitrary text: never panics; a loaded layer has features with a kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::gpx::parse_gpx;
use strikemap_core::formats::skips::MAX_LISTED_SKIPS;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((layer, skips)) = parse_gpx("fuzz.gpx", text) {
        assert!(!layer.features.is_empty());
        assert!(skips.listed.len() <= MAX_LISTED_SKIPS.min(skips.total));
        for feature in &layer.features {
            assert!(feature.properties.contains_key("kind"));
            let _ = feature.label();
        }
        let _ = layer.bounds();
    }
});
