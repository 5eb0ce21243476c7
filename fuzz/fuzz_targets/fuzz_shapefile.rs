//! A shapefile set from arbitrary bytes (split into .shp, .shx, .dbf and .prj): never panics;
//! a loaded layer's drawn coordinates are all in range.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::shapefile::{ShapefileParts, read_shapefile_set};

fuzz_target!(|data: &[u8]| {
    // Four parts, each led by its length as one byte times 64, the .shp the rest.
    let mut rest = data;
    let mut take = || {
        let (&length, tail) = rest.split_first()?;
        let length = (usize::from(length) * 64).min(tail.len());
        let (part, tail) = tail.split_at(length);
        rest = tail;
        Some(part.to_vec())
    };
    let (shx, dbf, prj) = (take(), take(), take());
    let parts = ShapefileParts {
        name: "fuzz".into(),
        shx,
        dbf,
        prj,
        shp: [&strikemap_core::formats::shapefile::SHP_MAGIC[..], rest].concat(),
        ..ShapefileParts::default()
    };
    if let Ok((layer, _)) = read_shapefile_set("fuzz.shp", &parts) {
        checks::check_in_range(&layer);
    }
});
