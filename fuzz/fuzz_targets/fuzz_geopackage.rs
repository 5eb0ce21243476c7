//! import_bytes on arbitrary bytes led by the SQLite header (read as a GeoPackage): never
//! panics; every loaded layer's drawn coordinates are in range.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;
use strikemap_core::import::import_bytes;

fuzz_target!(|data: &[u8]| {
    let bytes = [&b"SQLite format 3\0"[..], data].concat();
    if let Ok(import) = import_bytes("fuzz.gpkg", &bytes) {
        for layer in import.overlays() {
            checks::check_in_range(layer);
        }
    }
});
