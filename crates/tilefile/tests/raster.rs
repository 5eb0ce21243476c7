//! Raster PMTiles and MBTiles written by `write`, read back.

#![allow(clippy::unwrap_used)]

mod common;

use common::{near, png, png_halves, scratch};
use strikemap_tilefile::write::{self, PmTilesOptions};
use strikemap_tilefile::{Container, LonLatBounds, TileArchive, TileFormat};

const RED: [u8; 4] = [220, 30, 30, 255];
const GREEN: [u8; 4] = [30, 200, 30, 255];
const BLUE: [u8; 4] = [30, 30, 220, 255];

/// The colour at (`x`, `y`) of tile (`zoom`, `column`, `row`) rendered `size` px square; the
/// tile must exist.
fn pixel(
    archive: &TileArchive,
    (zoom, column, row): (u8, u32, u32),
    size: u32,
    (x, y): (u32, u32),
) -> Option<[u8; 4]> {
    archive
        .render_tile(zoom, column, row, size)
        .unwrap()
        .unwrap()
        .pixel(x, y)
}

fn three_tiles() -> Vec<(u8, u32, u32, Vec<u8>)> {
    vec![
        (0, 0, 0, png(RED, 256)),
        (1, 0, 0, png(GREEN, 256)),
        (1, 1, 1, png_halves(BLUE, RED)),
    ]
}

#[test]
fn pmtiles_raster_round_trip() {
    let path = scratch("raster.pmtiles");
    let tiles = three_tiles();
    let bounds = LonLatBounds {
        west: 60.0,
        south: 24.0,
        east: 64.0,
        north: 28.0,
    };
    write::pmtiles(
        &path,
        &tiles,
        TileFormat::Png,
        r#"{"name":"Red world","attribution":"<b>Test</b> &copy; me"}"#,
        Some(bounds),
    )
    .unwrap();
    let archive = TileArchive::open(&path).unwrap();
    let info = archive.info();
    assert_eq!(info.container, Container::PmTiles);
    assert_eq!(info.tile_format, TileFormat::Png);
    assert_eq!(info.name.as_deref(), Some("Red world"));
    assert_eq!(info.attribution.as_deref(), Some("Test © me"));
    assert_eq!((info.min_zoom, info.max_zoom), (0, 1));
    let read = info.bounds.unwrap();
    assert!((read.west - 60.0).abs() < 1e-6 && (read.north - 28.0).abs() < 1e-6);
    assert_eq!(info.vector_schema, None);
    for (zoom, x, y, bytes) in &tiles {
        assert_eq!(
            archive.read_tile(*zoom, *x, *y).unwrap().as_ref(),
            Some(bytes)
        );
    }
    assert_eq!(archive.read_tile(1, 1, 0).unwrap(), None);
    assert_eq!(archive.read_tile(5, 0, 0).unwrap(), None);
    assert_eq!(archive.read_tile(1, 2, 0).unwrap(), None);
    let tile = archive.render_tile(1, 0, 0, 256).unwrap().unwrap();
    assert_eq!(tile.rgba.len(), 256 * 256 * 4);
    assert_eq!(tile.pixel(10, 10), Some(GREEN));
    let hidpi = archive.render_tile(1, 1, 1, 512).unwrap().unwrap();
    assert_eq!(hidpi.pixel(20, 500), Some(BLUE));
    assert_eq!(hidpi.pixel(500, 20), Some(RED));
    assert_eq!(archive.render_tile(1, 1, 0, 256).unwrap(), None);
}

#[test]
fn over_zoom_scales_the_ancestor_quarter() {
    let path = scratch("overzoom.pmtiles");
    write::pmtiles(&path, &three_tiles(), TileFormat::Png, "{}", None).unwrap();
    let archive = TileArchive::open(&path).unwrap();
    // Zoom 2 tiles inside 1/1/1: x 2..3, y 2..3. The left column is blue, the right red.
    let left = archive.render_tile(2, 2, 3, 256).unwrap().unwrap();
    let right = archive.render_tile(2, 3, 2, 256).unwrap().unwrap();
    assert_eq!(left.pixel(128, 128), Some(BLUE));
    assert_eq!(right.pixel(128, 128), Some(RED));
    // Deeper: zoom 4, the far right column of 1/1/1 is red; its left column blue.
    assert_eq!(pixel(&archive, (4, 15, 8), 256, (0, 0)), Some(RED));
    assert_eq!(pixel(&archive, (4, 8, 15), 256, (255, 255)), Some(BLUE));
    // No ancestor: nothing.
    assert_eq!(archive.render_tile(3, 7, 0, 256).unwrap(), None);
}

#[test]
fn mbtiles_round_trip_flips_rows() {
    let path = scratch("raster.mbtiles");
    let tiles = vec![
        (1, 0, 0, png(RED, 256)),
        (1, 0, 1, png(BLUE, 256)),
        (2, 3, 0, png(GREEN, 256)),
    ];
    write::mbtiles(
        &path,
        &tiles,
        TileFormat::Png,
        &[
            ("name", "Flip"),
            ("attribution", "<a href=\"x\">OSM</a>"),
            ("bounds", "60,24,64.5,28"),
            ("center", "62,26,2"),
            ("minzoom", "1"),
            ("maxzoom", "2"),
        ],
    )
    .unwrap();
    let archive = TileArchive::open(&path).unwrap();
    let info = archive.info();
    assert_eq!(info.container, Container::MbTiles);
    assert_eq!(info.tile_format, TileFormat::Png);
    assert_eq!(info.attribution.as_deref(), Some("OSM"));
    assert_eq!((info.min_zoom, info.max_zoom), (1, 2));
    assert_eq!(
        info.bounds,
        Some(LonLatBounds {
            west: 60.0,
            south: 24.0,
            east: 64.5,
            north: 28.0
        })
    );
    assert_eq!(info.center, Some((62.0, 26.0, 2)));
    // XYZ 1/0/0 is stored at TMS row 1: reading it back in XYZ gives RED, not BLUE.
    assert_eq!(pixel(&archive, (1, 0, 0), 64, (5, 5)), Some(RED));
    assert_eq!(pixel(&archive, (1, 0, 1), 64, (5, 5)), Some(BLUE));
    assert_eq!(
        archive.read_tile(2, 3, 0).unwrap(),
        Some(tiles[2].3.clone())
    );
    assert_eq!(archive.read_tile(2, 3, 3).unwrap(), None);
    let stored_row: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT tile_row FROM tiles WHERE zoom_level = 2",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(stored_row, 3);
}

#[test]
fn mbtiles_without_format_or_zooms_is_sniffed() {
    let path = scratch("bare.mbtiles");
    write::mbtiles(
        &path,
        &[(3, 1, 2, png(RED, 8))],
        TileFormat::Png,
        &[("format", "")],
    )
    .unwrap();
    let archive = TileArchive::open(&path).unwrap();
    assert_eq!(archive.info().tile_format, TileFormat::Png);
    assert_eq!((archive.info().min_zoom, archive.info().max_zoom), (3, 3));
    assert_eq!(archive.info().bounds, None);
    assert!(archive.info().contains(3, 7, 7));
}

#[test]
fn leaf_directories_and_run_lengths() {
    let path = scratch("leaves.pmtiles");
    // All zoom-3 tiles: the same sea tile repeated (runs), a few land tiles between.
    let sea = png(BLUE, 16);
    let mut tiles = Vec::new();
    for x in 0..8u32 {
        for y in 0..8u32 {
            let land = (x + y) % 5 == 0;
            tiles.push((
                3,
                x,
                y,
                if land {
                    png([x as u8 * 30, y as u8 * 30, 0, 255], 16)
                } else {
                    sea.clone()
                },
            ));
        }
    }
    let options = PmTilesOptions {
        leaf_entries: Some(3),
        gzip_internal: true,
        gzip_tiles: false,
    };
    write::pmtiles_with(&path, &tiles, TileFormat::Png, "{}", None, options).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let leaves_len = u64::from_le_bytes(bytes[48..56].try_into().unwrap());
    assert!(leaves_len > 0, "the archive has leaf directories");
    let entries = u64::from_le_bytes(bytes[80..88].try_into().unwrap());
    assert!(
        entries < 64,
        "runs merge repeated tiles: {entries} entries for 64 tiles"
    );
    let archive = TileArchive::open(&path).unwrap();
    for (zoom, x, y, expected) in &tiles {
        assert_eq!(
            archive.read_tile(*zoom, *x, *y).unwrap().as_ref(),
            Some(expected),
            "tile {zoom}/{x}/{y}"
        );
    }
    assert_eq!(archive.read_tile(2, 0, 0).unwrap(), None);
    assert_eq!(archive.read_tile(4, 0, 0).unwrap(), None);
}

#[test]
fn contains_follows_the_bounds() {
    let path = scratch("bounds.pmtiles");
    let bounds = LonLatBounds {
        west: 60.0,
        south: 24.0,
        east: 64.0,
        north: 28.0,
    };
    write::pmtiles(
        &path,
        &[(5, 21, 13, png(RED, 8))],
        TileFormat::Png,
        "{}",
        Some(bounds),
    )
    .unwrap();
    let archive = TileArchive::open(&path).unwrap();
    let info = archive.info();
    assert!(info.contains(0, 0, 0));
    assert!(info.contains(5, 21, 13));
    assert!(!info.contains(5, 0, 0));
    assert!(!info.contains(5, 21, 20));
    assert!(!info.contains(5, 40, 13));
    assert!(!info.contains(1, 2, 0), "outside the zoom's grid");
    assert!(info.contains(12, 2750, 1730), "Gwadar-ish at zoom 12");
}

#[test]
fn renders_from_many_threads_at_once() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<TileArchive>();
    let path = scratch("threads.pmtiles");
    write::pmtiles(&path, &three_tiles(), TileFormat::Png, "{}", None).unwrap();
    let mb_path = scratch("threads.mbtiles");
    write::mbtiles(&mb_path, &three_tiles(), TileFormat::Png, &[]).unwrap();
    for archive in [
        TileArchive::open(&path).unwrap(),
        TileArchive::open(&mb_path).unwrap(),
    ] {
        let archive = std::sync::Arc::new(archive);
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let archive = archive.clone();
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let tile = archive.render_tile(1, i % 2, i % 2, 64).unwrap().unwrap();
                        let expected = if i % 2 == 0 { GREEN } else { BLUE };
                        assert!(near(tile.pixel(2, 32).unwrap(), expected, 0));
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    }
}
