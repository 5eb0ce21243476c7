//! Vector tiles (Protomaps schema) drawn with the built-in style, and their labels.

#![allow(clippy::unwrap_used)]

mod common;

use common::{PROTOMAPS_METADATA, near, protomaps_tile, scratch, text};
use strikemap_basemap::style as base;
use strikemap_tilefile::write::{self, MvtFeature, MvtGeometry, MvtLayer, mvt_tile};
use strikemap_tilefile::{TileArchive, TileFormat, VectorSchema};

fn rgba(colour: base::Rgb8) -> [u8; 4] {
    [colour.r, colour.g, colour.b, 255]
}

fn vector_archive(zoom: u8) -> TileArchive {
    let path = scratch("vector.pmtiles");
    write::pmtiles(
        &path,
        &[(zoom, 0, 0, protomaps_tile())],
        TileFormat::Mvt,
        PROTOMAPS_METADATA,
        None,
    )
    .unwrap();
    TileArchive::open(&path).unwrap()
}

#[test]
fn water_is_sea_and_earth_is_land() {
    let archive = vector_archive(0);
    let info = archive.info();
    assert_eq!(info.tile_format, TileFormat::Mvt);
    assert_eq!(info.vector_schema, Some(VectorSchema::Protomaps));
    assert_eq!(
        info.attribution.as_deref(),
        Some("Protomaps © OpenStreetMap")
    );
    let tile = archive.render_tile(0, 0, 0, 256).unwrap().unwrap();
    assert_eq!(
        tile.pixel(200, 200),
        Some(rgba(base::SEA)),
        "right half: water"
    );
    assert_eq!(
        tile.pixel(100, 200),
        Some(rgba(base::LAND)),
        "left half: earth"
    );
    // The highway crosses y = 64 px; at zoom 0 it is not drawn (highways from zoom 4).
    assert_eq!(tile.pixel(30, 64), Some(rgba(base::LAND)));
    // The country border at x = 64 px is drawn dashed in the border colour somewhere.
    // (0.8 px wide at zoom 0, anti-aliased over columns 63 and 64: darker than land there.)
    let darker = |x, y| u16::from(tile.pixel(x, y).unwrap()[0]) + 15 < u16::from(base::LAND.r);
    let border = (0..256).filter(|&y| darker(63, y) || darker(64, y)).count();
    assert!(
        border > 20 && border < 240,
        "dashed: {border} of 256 pixels"
    );
}

#[test]
fn roads_appear_at_higher_zoom_and_scale_with_hidpi() {
    let archive = vector_archive(11);
    let tile = archive.render_tile(11, 0, 0, 512).unwrap().unwrap();
    // Highway at y = 1024/4096 * 512 = 128 px: white fill over a casing.
    assert_eq!(tile.pixel(300, 128), Some([255, 255, 255, 255]));
    let edge = (120..136)
        .map(|y| tile.pixel(300, y).unwrap())
        .collect::<Vec<_>>();
    assert!(
        edge.iter()
            .any(|&p| p != [255, 255, 255, 255] && p != rgba(base::SEA)),
        "casing: {edge:?}"
    );
    assert_eq!(tile.pixel(300, 400), Some(rgba(base::SEA)));
}

#[test]
fn over_zoom_redraws_the_sub_square_sharp() {
    let archive = vector_archive(3);
    // Zoom 4 tile (1, 0) is the top-right quarter of 3/0/0: its left half is earth up to
    // x = 2048 of the parent, i.e. exactly the left edge... so the whole quarter is water.
    let right = archive.render_tile(4, 1, 0, 256).unwrap().unwrap();
    assert_eq!(right.pixel(10, 200), Some(rgba(base::SEA)));
    // Zoom 5 tile (1, 3) lies in the parent's x 1024..2048: all earth; the border at parent
    // x = 1024 runs down its left edge, sharp (1-2 px wide, not 4× blurred).
    let left = archive.render_tile(5, 1, 3, 256).unwrap().unwrap();
    assert_eq!(left.pixel(128, 128), Some(rgba(base::LAND)));
    let dark = (0..256)
        .filter(|&x| left.pixel(x, 60).unwrap()[0] < 200)
        .count();
    assert!(dark <= 4, "{dark} dark pixels across");
    // Beyond the parent's grid: nothing.
    assert_eq!(archive.render_tile(5, 8, 0, 256).unwrap(), None);
}

#[test]
fn labels_come_from_places_with_english_names() {
    let archive = vector_archive(0);
    let labels = archive.labels(0, 0, 0).unwrap();
    assert_eq!(
        labels.len(),
        1,
        "the buffered place belongs to the neighbour: {labels:?}"
    );
    let turbat = &labels[0];
    assert_eq!(turbat.name, "Turbat");
    assert_eq!(turbat.kind, "locality");
    assert_eq!(turbat.rank, 5);
    assert!((turbat.lon - (1000.0 / 4096.0 * 360.0 - 180.0)).abs() < 1e-9);
    assert!(turbat.lat < 0.0 && turbat.lat > -85.06);
    // Over-zoomed: only the quarter that holds the point has it.
    assert_eq!(archive.labels(1, 0, 1).unwrap().len(), 1);
    assert!(archive.labels(1, 1, 1).unwrap().is_empty());
    assert!(archive.labels(3, 7, 7).unwrap().is_empty());
}

#[test]
fn vector_mbtiles_are_inflated_and_drawn() {
    let path = scratch("vector.mbtiles");
    write::mbtiles(
        &path,
        &[(0, 0, 0, protomaps_tile())],
        TileFormat::Mvt,
        &[
            ("json", PROTOMAPS_METADATA),
            ("maxzoom", "0"),
            ("minzoom", "0"),
        ],
    )
    .unwrap();
    let archive = TileArchive::open(&path).unwrap();
    assert_eq!(archive.info().tile_format, TileFormat::Mvt);
    assert_eq!(archive.info().vector_schema, Some(VectorSchema::Protomaps));
    assert_eq!(archive.read_tile(0, 0, 0).unwrap(), Some(protomaps_tile()));
    let tile = archive.render_tile(0, 0, 0, 128).unwrap().unwrap();
    assert!(near(tile.pixel(100, 64).unwrap(), rgba(base::SEA), 0));
}

#[test]
fn openmaptiles_water_is_drawn_over_land() {
    let path = scratch("omt.pmtiles");
    let tile = mvt_tile(&[
        MvtLayer::new(
            "water",
            vec![MvtFeature::new(
                MvtGeometry::Polygons(vec![vec![(0, 0), (2048, 0), (2048, 4096), (0, 4096)]]),
                &[("class", text("ocean"))],
            )],
        ),
        MvtLayer::new("transportation", vec![]),
        MvtLayer::new(
            "place",
            vec![MvtFeature::new(
                MvtGeometry::Points(vec![(3000, 3000)]),
                &[("class", text("city")), ("name", text("Quetta"))],
            )],
        ),
    ]);
    // No vector_layers metadata: the schema comes from the tile's layers.
    write::pmtiles(&path, &[(0, 0, 0, tile)], TileFormat::Mvt, "{}", None).unwrap();
    let archive = TileArchive::open(&path).unwrap();
    assert_eq!(
        archive.info().vector_schema,
        Some(VectorSchema::OpenMapTiles)
    );
    let image = archive.render_tile(0, 0, 0, 256).unwrap().unwrap();
    assert_eq!(image.pixel(50, 50), Some(rgba(base::SEA)));
    assert_eq!(image.pixel(200, 50), Some(rgba(base::LAND)));
    assert_eq!(archive.labels(0, 0, 0).unwrap()[0].name, "Quetta");
}
