//! Shared helpers: scratch files, solid-colour PNG tiles, a small Protomaps-style vector tile.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use strikemap_tilefile::write::{MvtFeature, MvtGeometry, MvtLayer, MvtValue, mvt_tile};

/// A fresh path in a per-process scratch folder under the temp dir (left there: small files).
pub fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!("strikemap-tilefile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{n}-{name}"))
}

/// A `size` × `size` PNG of one colour.
pub fn png(rgba: [u8; 4], size: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(size, size, image::Rgba(rgba));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A 256-px PNG: left half `left`, right half `right`.
pub fn png_halves(left: [u8; 4], right: [u8; 4]) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(256, 256, |x, _| {
        image::Rgba(if x < 128 { left } else { right })
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn text(value: &str) -> MvtValue {
    MvtValue::String(value.to_string())
}

/// A Protomaps-schema tile: the left half of the tile is earth, the right half water; a
/// highway runs across the top quarter; a country border runs down x = 1024; one place
/// ("Turbat") sits at (1000, 3000) and one ("Buffered") outside the extent.
pub fn protomaps_tile() -> Vec<u8> {
    let square = |x0, y0, x1, y1| vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    mvt_tile(&[
        MvtLayer::new(
            "earth",
            vec![MvtFeature::new(
                MvtGeometry::Polygons(vec![square(-64, -64, 2048, 4160)]),
                &[("kind", text("earth"))],
            )],
        ),
        MvtLayer::new(
            "water",
            vec![MvtFeature::new(
                MvtGeometry::Polygons(vec![square(2048, -64, 4160, 4160)]),
                &[("kind", text("ocean"))],
            )],
        ),
        MvtLayer::new(
            "roads",
            vec![MvtFeature::new(
                MvtGeometry::Lines(vec![vec![(0, 1024), (4096, 1024)]]),
                &[("kind", text("highway"))],
            )],
        ),
        MvtLayer::new(
            "boundaries",
            vec![MvtFeature::new(
                MvtGeometry::Lines(vec![vec![(1024, 0), (1024, 4096)]]),
                &[("kind", text("country"))],
            )],
        ),
        MvtLayer::new(
            "places",
            vec![
                MvtFeature::new(
                    MvtGeometry::Points(vec![(1000, 3000)]),
                    &[
                        ("kind", text("locality")),
                        ("name", text("تربت")),
                        ("name:en", text("Turbat")),
                        ("sort_rank", MvtValue::Int(5)),
                    ],
                ),
                MvtFeature::new(
                    MvtGeometry::Points(vec![(4200, 100)]),
                    &[("kind", text("locality")), ("name", text("Buffered"))],
                ),
            ],
        ),
    ])
}

pub const PROTOMAPS_METADATA: &str = r#"{"name":"Test basemap","attribution":"<a href=\"https://protomaps.com\">Protomaps</a> &copy; <a href=\"https://openstreetmap.org\">OpenStreetMap</a>","vector_layers":[{"id":"earth"},{"id":"water"},{"id":"roads"},{"id":"boundaries"},{"id":"places"}]}"#;

/// True when two colours differ by at most `tolerance` in each channel.
pub fn near(a: [u8; 4], b: [u8; 4], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}
