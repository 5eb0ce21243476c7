//! read_flatgeobuf, read_flatgeobuf_in_box (the spatial index) and stream_features (the table
//! reader) on arbitrary bytes after the magic: never panic; a loaded layer's drawn coordinates
//! are in range.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::flatgeobuf::{
    FGB_MAGIC, read_flatgeobuf, read_flatgeobuf_in_box, stream_features,
};

fuzz_target!(|data: &[u8]| {
    let bytes = [FGB_MAGIC, &b"\0"[..], data].concat();
    if let Ok((layer, _)) = read_flatgeobuf("fuzz.fgb", &bytes) {
        checks::check_in_range(&layer);
    }
    let view = [60.0, 20.0, 80.0, 40.0];
    if let Ok((layer, _)) =
        read_flatgeobuf_in_box("fuzz.fgb", &mut std::io::Cursor::new(&bytes), view)
    {
        checks::check_in_range(&layer);
    }
    let _ = stream_features("fuzz.fgb", &mut std::io::Cursor::new(&bytes), |_| Ok(()));
});
