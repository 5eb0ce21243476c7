//! read_flatgeobuf on arbitrary bytes after the magic: never panics; a loaded layer's drawn
//! coordinates are in range.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::flatgeobuf::{FGB_MAGIC, read_flatgeobuf};

fuzz_target!(|data: &[u8]| {
    let bytes = [FGB_MAGIC, &b"\0"[..], data].concat();
    if let Ok((layer, _)) = read_flatgeobuf("fuzz.fgb", &bytes) {
        checks::check_in_range(&layer);
    }
});
