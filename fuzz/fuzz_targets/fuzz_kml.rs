//! KML text and KMZ bytes on arbitrary input: never panics; a loaded layer has features, its
//! skips are counted, and the same bytes through `import_bytes` give the same outcome.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::kml::{parse_kml, parse_kmz};
use strikemap_core::formats::skips::MAX_LISTED_SKIPS;
use strikemap_core::import::import_bytes;

fuzz_target!(|data: &[u8]| {
    // As a KMZ: the zip reader and the KML inside.
    if let Ok((layer, skips)) = parse_kmz("fuzz.kmz", data) {
        assert!(!layer.features.is_empty());
        assert!(skips.listed.len() <= MAX_LISTED_SKIPS.min(skips.total));
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((layer, skips)) = parse_kml("fuzz.kml", text) {
        assert!(!layer.features.is_empty());
        assert!(skips.listed.len() <= MAX_LISTED_SKIPS.min(skips.total));
        for feature in &layer.features {
            let _ = feature.label();
            let _ = feature.property_lines();
        }
        let _ = layer.bounds();
        assert!(skips.warnings.len() <= MAX_LISTED_SKIPS.min(skips.warnings_total));
    }
    // Detection and import: the whole path a dropped file takes.
    if let Ok(import) = import_bytes("fuzz.kml", data) {
        assert!(import.loaded_count() > 0);
        assert!(import.skipped.len() <= import.skipped_total);
    }
});
