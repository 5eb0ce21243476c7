//! import_bytes on arbitrary bytes: detection and every loader behind it never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::import::import_bytes;

fuzz_target!(|data: &[u8]| {
    if let Ok(import) = import_bytes("fuzz", data) {
        strikemap_fuzz_checks::check_events(&import);
    }
});

#[path = "checks.rs"]
mod strikemap_fuzz_checks;
