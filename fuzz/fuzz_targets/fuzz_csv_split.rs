//! The CSV rows parsed in chunks on their own and joined with verified splits
//! (`formats::csv_split`) against one front-to-back parse: the same rows, lines, byte ranges
//! and error, at a chunk size taken from the first byte (1..=256 bytes, so that many chunks
//! start inside quoted fields).
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::csv_split::check_split_parse;

fuzz_target!(|data: &[u8]| {
    let Some((&size, text)) = data.split_first() else {
        return;
    };
    let chunk_bytes = usize::from(size) + 1;
    if let Err(difference) = check_split_parse(text, chunk_bytes) {
        panic!("{difference}");
    }
});
