//! Rough cost per tile: renders a synthetic dense Protomaps tile (2 000 roads, 1 000
//! buildings, water) and a 256-px PNG tile many times and prints the mean.
//! `cargo run --release -p strikemap_tilefile --example tilefile_timing`

use std::time::Instant;

use strikemap_tilefile::write::{self, MvtFeature, MvtGeometry, MvtLayer, MvtValue};
use strikemap_tilefile::{TileArchive, TileFormat};

fn kind(value: &str) -> [(&'static str, MvtValue); 1] {
    [("kind", MvtValue::String(value.to_string()))]
}

fn dense_tile() -> Vec<u8> {
    let mut seed = 1u32;
    let mut next = move || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 8) as i32 % 4096
    };
    let roads = (0..2000)
        .map(|i| {
            // Short, street-like: 8 points within about 300 units.
            let (x0, y0) = (next(), next());
            let line = (0..8)
                .map(|_| (x0 + next() % 300, y0 + next() % 300))
                .collect();
            let road = ["minor_road", "medium_road", "major_road", "highway"][i % 4];
            MvtFeature::new(MvtGeometry::Lines(vec![line]), &kind(road))
        })
        .collect();
    let buildings = (0..1000)
        .map(|_| {
            let (x, y) = (next(), next());
            let ring = vec![(x, y), (x + 30, y), (x + 30, y + 20), (x, y + 20)];
            MvtFeature::new(MvtGeometry::Polygons(vec![ring]), &kind("building"))
        })
        .collect();
    let square = vec![(0, 0), (4096, 0), (4096, 4096), (0, 4096)];
    write::mvt_tile(&[
        MvtLayer::new(
            "earth",
            vec![MvtFeature::new(
                MvtGeometry::Polygons(vec![square]),
                &kind("earth"),
            )],
        ),
        MvtLayer::new("roads", roads),
        MvtLayer::new("buildings", buildings),
    ])
}

fn mean_ms(archive: &TileArchive, zoom: u8, size_px: u32, rounds: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..rounds {
        let _ = archive.render_tile(zoom, 0, 0, size_px);
    }
    start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds)
}

fn main() -> std::io::Result<()> {
    let dir = std::env::temp_dir();
    let vector = dir.join("strikemap-tilefile-timing.pmtiles");
    let tile = dense_tile();
    println!("dense vector tile: {} bytes", tile.len());
    write::pmtiles(
        &vector,
        &[(14, 0, 0, tile)],
        TileFormat::Mvt,
        r#"{"vector_layers":[{"id":"earth"},{"id":"roads"}]}"#,
        None,
    )?;
    let raster = dir.join("strikemap-tilefile-timing-raster.pmtiles");
    let image =
        image::RgbaImage::from_fn(256, 256, |x, y| image::Rgba([x as u8, y as u8, 128, 255]));
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(std::io::Error::other)?;
    write::pmtiles(
        &raster,
        &[(14, 0, 0, png.into_inner())],
        TileFormat::Png,
        "{}",
        None,
    )?;
    let open = |path| TileArchive::open(path).map_err(std::io::Error::other);
    let (vector, raster) = (open(&vector)?, open(&raster)?);
    println!("vector z14 256 px: {:.2} ms", mean_ms(&vector, 14, 256, 20));
    println!("vector z14 512 px: {:.2} ms", mean_ms(&vector, 14, 512, 20));
    println!("raster 256 px:     {:.2} ms", mean_ms(&raster, 14, 256, 50));
    println!("raster 512 px:     {:.2} ms", mean_ms(&raster, 14, 512, 50));
    Ok(())
}
