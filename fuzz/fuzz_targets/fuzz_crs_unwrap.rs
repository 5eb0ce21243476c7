//! The old-spec crs and unwrapped-longitude paths of the overlay reader, on shapes built from the
//! input: an EPSG code (one of the supported families, or any number) and a polygon, a line and
//! points whose coordinates come from the bytes. Never panics; whatever loads is in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::formats::overlay::parse_overlay;
use strikemap_core::import::Import;

const CODES: [u32; 8] = [4326, 3857, 32641, 32756, 24312, 2057, 3200, 4145];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let numbers: Vec<f64> = rest
        .chunks_exact(8)
        .map(|chunk| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            f64::from_le_bytes(bytes)
        })
        .filter(|value| value.is_finite())
        .collect();
    if numbers.len() < 6 {
        return;
    }
    let code = match CODES.get(usize::from(pick % 10)) {
        Some(code) => *code,
        None => numbers[0].abs() as u32,
    };
    let crs = if pick & 0x80 == 0 {
        String::new()
    } else {
        format!(r#""crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::{code}"}}}},"#)
    };
    let positions: Vec<String> = numbers
        .chunks_exact(2)
        .map(|pair| format!("[{:?},{:?}]", pair[0], pair[1]))
        .collect();
    let ring = format!("{},{}", positions.join(","), positions[0]);
    let text = format!(
        r#"{{"type":"FeatureCollection",{crs}"features":[
        {{"type":"Feature","geometry":{{"type":"Polygon","coordinates":[[{ring}]]}},"properties":{{}}}},
        {{"type":"Feature","geometry":{{"type":"LineString","coordinates":[{line}]}},"properties":{{}}}},
        {{"type":"Feature","geometry":{{"type":"MultiPoint","coordinates":[{line}]}},"properties":{{}}}}]}}"#,
        line = positions.join(",")
    );
    if let Ok(read) = parse_overlay("fuzz.geojson", &text) {
        let import = Import::of_overlay("fuzz.geojson", read);
        let layer = import.overlay().expect("an overlay import holds an overlay");
        strikemap_fuzz_checks::check_in_range(layer);
        let _ = layer.bounds();
    }
});

#[path = "checks.rs"]
mod strikemap_fuzz_checks;
