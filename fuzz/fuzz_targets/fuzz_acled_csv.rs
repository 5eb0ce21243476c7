//! parse_acled_csv on arbitrary rows under a real header (odd first byte) or on arbitrary text
//! (even first byte): never panics; loaded events export and read back equal (raw row aside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::acled::parse_acled_csv;
use strikemap_core::import::Import;

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,notes,fatalities\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let text = if mode % 2 == 1 {
        format!("{HEADER}{text}")
    } else {
        text.to_owned()
    };
    if let Ok(read) = parse_acled_csv("fuzz.csv", &text) {
        let import = Import::of_dataset_events("fuzz.csv", read);
        strikemap_fuzz_checks::check_events(&import);
    }
});

#[path = "checks.rs"]
mod strikemap_fuzz_checks;
