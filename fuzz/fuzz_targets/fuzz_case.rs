//! parse_case on arbitrary text: never panics; a case that loads lists its problems, writes in
//! the canonical layout and, when it has no problems, reads back equal and writes the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::case::{parse_case, parse_case_checked, problems, write_case};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) = parse_case("fuzz.geojson", text) {
        assert_eq!(loaded.problems, problems(&loaded.case));
        let written = write_case(&loaded.case);
        if loaded.problems.is_empty() {
            let again = match parse_case_checked("again.geojson", &written) {
                Ok(case) => case,
                Err(error) => panic!("a written case does not read back: {error}"),
            };
            assert_eq!(again, loaded.case);
            assert_eq!(write_case(&again), written);
        }
    }
});
