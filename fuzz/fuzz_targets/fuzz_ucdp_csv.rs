//! parse_ucdp_csv on arbitrary rows under a real header (odd first byte) or on arbitrary text
//! (even first byte): never panics; loaded events export and read back equal (raw row aside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::ucdp::parse_ucdp_csv;
use strikemap_core::import::Import;

const HEADER: &str = "id,type_of_violence,conflict_name,side_a,side_b,country,adm_1,adm_2,where_description,where_prec,latitude,longitude,date_start,date_end,date_prec,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,source_article,number_of_sources\n";

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
    if let Ok(read) = parse_ucdp_csv("fuzz.csv", &text) {
        let import = Import::of_dataset_events("fuzz.csv", read);
        strikemap_fuzz_checks::check_events(&import);
    }
});

#[path = "checks.rs"]
mod strikemap_fuzz_checks;
