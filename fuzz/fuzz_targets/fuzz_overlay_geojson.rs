//! parse_overlay on arbitrary text: never panics; a loaded layer has features, every coordinate
//! in -180..180 / -90..90 (after a crs reprojection or an antimeridian cut), and bounds.
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
        assert!(import.warnings.len() <= MAX_LISTED_SKIPS + 1);
        // Something loaded: drawn features, or unlocated ones (null geometry), listed only.
        assert!(!(layer.features.is_empty() && layer.unlocated.is_empty()));
        for feature in layer.features.iter().chain(&layer.unlocated) {
            let _ = feature.label();
            let _ = feature.property_lines();
        }
        // Reprojected (old-spec crs) and unwrapped (past ±180) geometries end up in range.
        strikemap_fuzz_checks::check_in_range(layer);
        let _ = layer.bounds();
    }
});

#[path = "checks.rs"]
mod strikemap_fuzz_checks;
