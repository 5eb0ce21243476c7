//! The user's own basemap files (PMTiles, MBTiles) through the app: written here, small, with
//! a few tiles; opened by dropping them on the window or with `--basemap`'s function; a corrupt
//! file is refused with a message naming it and leaves the basemap shown before.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::kittest::Queryable as _;
use std::path::PathBuf;
use strikemap::StrikemapApp;
use strikemap::settings::TileSourceChoice;
use strikemap_tilefile::TileFormat;
use strikemap_tilefile::write::{self, TileData};

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("strikemap-basemap-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A 256 px PNG of one colour.
fn png(rgb: [u8; 3]) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(256, 256, image::Rgba([rgb[0], rgb[1], rgb[2], 255]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// Every tile of zooms 0 to 3, in one colour.
fn tiles(rgb: [u8; 3]) -> Vec<TileData> {
    let tile = png(rgb);
    let mut tiles = Vec::new();
    for zoom in 0..=3u8 {
        for x in 0..(1u32 << zoom) {
            for y in 0..(1u32 << zoom) {
                tiles.push((zoom, x, y, tile.clone()));
            }
        }
    }
    tiles
}

fn raster_pmtiles(name: &str, attribution: &str) -> PathBuf {
    let path = dir().join(name);
    let metadata = format!(r#"{{"name": "Test raster", "attribution": "{attribution}"}}"#);
    write::pmtiles(
        &path,
        &tiles([200, 30, 160]),
        TileFormat::Png,
        &metadata,
        None,
    )
    .unwrap();
    path
}

fn attribution(app: &StrikemapApp) -> Vec<String> {
    app.map
        .basemap
        .attribution_lines()
        .into_iter()
        .map(|(text, _)| text)
        .collect()
}

/// Steps the app until no tile is pending and the file's tiles were drawn.
fn step_until_file_tiles_drawn(harness: &mut egui_kittest::Harness<'_, StrikemapApp>) {
    common::step_until(harness, |app| {
        app.map.basemap.pending_tiles() == 0
            && app
                .map
                .basemap
                .file()
                .is_some_and(|file| file.drawn_last_pass() > 0)
    });
}

#[test]
fn a_dropped_pmtiles_file_becomes_the_basemap_with_its_attribution_and_is_remembered() {
    let mut harness = common::app_harness(1280.0, 800.0);
    let path = raster_pmtiles("raster.pmtiles", "© Test Tiles Ltd");
    common::drop_file(&mut harness, &path);
    let chosen = TileSourceChoice::File { path: path.clone() };
    assert_eq!(harness.state().map.basemap.choice(), &chosen);
    assert_eq!(harness.state().settings.basemap, chosen);
    assert_eq!(
        attribution(harness.state()),
        ["© Test Tiles Ltd", "Made with Natural Earth"]
    );
    // The credit line is on the map, and the file's tiles are drawn over the offline map.
    step_until_file_tiles_drawn(&mut harness);
    harness.run_steps(2);
    harness.get_by_label("© Test Tiles Ltd");
    assert_eq!(
        harness.state().map.basemap.choice().describe(),
        "File: raster.pmtiles"
    );
}

#[test]
fn a_corrupt_or_foreign_file_is_refused_by_name_and_the_previous_basemap_stays() {
    let mut harness = common::app_harness(1280.0, 800.0);
    let good = raster_pmtiles("good.pmtiles", "© Good Tiles");
    harness.state_mut().open_basemap_file(&good).unwrap();
    let before = harness.state().map.basemap.choice().clone();

    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir().join("truncated.pmtiles");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let text = dir().join("notes.mbtiles");
    std::fs::write(&text, "these are not tiles").unwrap();
    let missing = dir().join("missing.pmtiles");
    for (path, what) in [
        (&truncated, "truncated"),
        (&text, "not a PMTiles or MBTiles file"),
        (&missing, "no such file"),
    ] {
        let error = harness.state_mut().open_basemap_file(path).unwrap_err();
        assert!(
            error.contains(&path.display().to_string()) && error.contains(what),
            "{error}"
        );
        assert_eq!(harness.state().map.basemap.choice(), &before);
        assert_eq!(
            attribution(harness.state()),
            ["© Good Tiles", "Made with Natural Earth"]
        );
    }
    // Dropped, the bad file's message is shown and nothing changes either.
    common::drop_file(&mut harness, &truncated);
    assert_eq!(harness.state().map.basemap.choice(), &before);
    assert!(
        harness
            .state()
            .state
            .messages
            .iter()
            .any(|message| message.contains("truncated.pmtiles")),
        "{:?}",
        harness.state().state.messages
    );
}

#[test]
fn an_mbtiles_file_opens_too() {
    let mut harness = common::app_harness(1280.0, 800.0);
    let path = dir().join("raster.mbtiles");
    write::mbtiles(
        &path,
        &tiles([20, 160, 200]),
        TileFormat::Png,
        &[
            ("name", "MB test"),
            ("attribution", "© MB Test"),
            ("format", "png"),
        ],
    )
    .unwrap();
    harness.state_mut().open_basemap_file(&path).unwrap();
    assert_eq!(
        attribution(harness.state()),
        ["© MB Test", "Made with Natural Earth"]
    );
    let summary = harness.state().map.basemap.file().unwrap().summary();
    assert!(
        summary.starts_with("MBTiles, Png raster, zooms 0–3"),
        "{summary}"
    );
}

#[test]
fn a_maplibre_style_file_opens_its_vector_source_drawn_by_the_style() {
    let mut harness = common::app_harness(1280.0, 800.0);
    let dir = dir();
    let layer = write::MvtLayer::new(
        "water",
        vec![write::MvtFeature::new(
            write::MvtGeometry::Polygons(vec![vec![(0, 0), (4096, 0), (4096, 4096), (0, 4096)]]),
            &[],
        )],
    );
    let tiles: Vec<TileData> = (0..=3u8)
        .flat_map(|zoom| {
            let side = 1u32 << zoom;
            let tile = write::mvt_tile(std::slice::from_ref(&layer));
            (0..side).flat_map(move |x| {
                let tile = tile.clone();
                (0..side).map(move |y| (zoom, x, y, tile.clone()))
            })
        })
        .collect();
    write::pmtiles(
        &dir.join("styled.pmtiles"),
        &tiles,
        TileFormat::Mvt,
        r#"{"attribution": "© Styled Test"}"#,
        None,
    )
    .unwrap();
    let style = dir.join("style.json");
    std::fs::write(
        &style,
        r##"{"version": 8,
            "sources": {"own": {"type": "vector", "url": "pmtiles://styled.pmtiles"}},
            "layers": [{"id": "water", "type": "fill", "source": "own", "source-layer": "water",
                        "paint": {"fill-color": "#2060a0"}}]}"##,
    )
    .unwrap();
    harness.state_mut().open_basemap_file(&style).unwrap();
    assert_eq!(
        harness.state().map.basemap.choice(),
        &TileSourceChoice::File {
            path: style.clone()
        }
    );
    assert_eq!(
        attribution(harness.state()),
        ["© Styled Test", "Made with Natural Earth"]
    );
    step_until_file_tiles_drawn(&mut harness);
}
