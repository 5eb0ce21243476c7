//! Files in the Shortbread schema, and in a schema the app does not know, are drawn by the
//! built-in styles through `TileArchive::render_tile`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{scratch, text};
use strikemap_basemap::style as base;
use strikemap_tilefile::write::{self, MvtFeature, MvtGeometry, MvtLayer, mvt_tile};
use strikemap_tilefile::{TileArchive, TileFormat, VectorSchema};

fn rgba(colour: base::Rgb8) -> [u8; 4] {
    [colour.r, colour.g, colour.b, 255]
}

fn square(x0: i32, y0: i32, x1: i32, y1: i32) -> MvtGeometry {
    MvtGeometry::Polygons(vec![vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]])
}

fn archive(name: &str, zoom: u8, layers: Vec<MvtLayer>) -> TileArchive {
    let path = scratch(name);
    write::pmtiles(
        &path,
        &[(zoom, 0, 0, mvt_tile(&layers))],
        TileFormat::Mvt,
        "{}",
        None,
    )
    .unwrap();
    TileArchive::open(&path).unwrap()
}

#[test]
fn archives_stay_shareable_between_render_workers() {
    fn shareable<T: Send + Sync>() {}
    shareable::<TileArchive>();
}

#[test]
fn shortbread_ocean_land_and_streets() {
    let street = MvtFeature::new(
        MvtGeometry::Lines(vec![vec![(0, 3072), (4096, 3072)]]),
        &[("kind", text("primary"))],
    );
    let archive = archive(
        "shortbread.pmtiles",
        14,
        vec![
            MvtLayer::new(
                "ocean",
                vec![MvtFeature::new(square(2048, 0, 4096, 2048), &[])],
            ),
            MvtLayer::new(
                "land",
                vec![MvtFeature::new(
                    square(0, 0, 2048, 2048),
                    &[("kind", text("forest"))],
                )],
            ),
            MvtLayer::new("streets", vec![street]),
            MvtLayer::new(
                "place_labels",
                vec![MvtFeature::new(
                    MvtGeometry::Points(vec![(1000, 1000)]),
                    &[("kind", text("city")), ("name", text("Gwadar"))],
                )],
            ),
        ],
    );
    assert_eq!(archive.info().vector_schema, Some(VectorSchema::Shortbread));
    let tile = archive.render_tile(14, 0, 0, 256).unwrap().unwrap();
    assert_eq!(tile.pixel(200, 60), Some(rgba(base::SEA)), "ocean");
    assert_eq!(tile.pixel(60, 60), Some([0xE2, 0xE8, 0xD8, 255]), "forest");
    assert_eq!(tile.pixel(60, 200), Some(rgba(base::LAND)), "bare land");
    assert_eq!(
        tile.pixel(128, 192),
        Some([255, 255, 255, 255]),
        "a primary street at z14"
    );
    assert_eq!(archive.labels(14, 0, 0).unwrap()[0].name, "Gwadar");
}

#[test]
fn an_unknown_schema_draws_every_polygon_line_and_point() {
    let archive = archive(
        "unknown.pmtiles",
        12,
        vec![
            MvtLayer::new(
                "parcels",
                vec![MvtFeature::new(square(0, 0, 2048, 2048), &[])],
            ),
            MvtLayer::new(
                "lakes",
                vec![MvtFeature::new(square(2048, 0, 4096, 2048), &[])],
            ),
            MvtLayer::new(
                "pipes",
                vec![MvtFeature::new(
                    MvtGeometry::Lines(vec![vec![(0, 3072), (4096, 3072)]]),
                    &[],
                )],
            ),
            MvtLayer::new(
                "wells",
                vec![MvtFeature::new(
                    MvtGeometry::Points(vec![(1024, 3584)]),
                    &[],
                )],
            ),
        ],
    );
    assert!(matches!(
        archive.info().vector_schema,
        Some(VectorSchema::Unknown(_))
    ));
    let tile = archive.render_tile(12, 0, 0, 256).unwrap().unwrap();
    let land = Some(rgba(base::LAND));
    assert_ne!(tile.pixel(60, 60), land, "parcels filled");
    assert_eq!(
        tile.pixel(200, 60),
        Some(rgba(base::SEA)),
        "a layer named lakes is water"
    );
    assert_ne!(tile.pixel(128, 192), land, "pipes drawn");
    assert_ne!(tile.pixel(64, 224), land, "wells drawn");
    assert_eq!(tile.pixel(200, 240), land, "nothing else");
}

#[test]
fn brotli_compressed_tiles_read_and_draw() {
    use strikemap_tilefile::write::{PmTilesOptions, brotli_stored, pmtiles_with};
    let layers = vec![MvtLayer::new(
        "lakes",
        vec![MvtFeature::new(square(0, 0, 4096, 4096), &[])],
    )];
    let path = scratch("brotli.pmtiles");
    let options = PmTilesOptions {
        leaf_entries: None,
        gzip_internal: true,
        gzip_tiles: false,
    };
    pmtiles_with(
        &path,
        &[(3, 0, 0, brotli_stored(&mvt_tile(&layers)))],
        TileFormat::Mvt,
        "{}",
        None,
        options,
    )
    .unwrap();
    // Mark the tiles as brotli (header byte 98: tile compression 3).
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[98] = 3;
    std::fs::write(&path, &bytes).unwrap();
    let archive = TileArchive::open(&path).unwrap();
    assert_eq!(
        archive.read_tile(3, 0, 0).unwrap().unwrap(),
        mvt_tile(&layers)
    );
    let tile = archive.render_tile(3, 0, 0, 64).unwrap().unwrap();
    assert_eq!(tile.pixel(30, 30), Some(rgba(base::SEA)));
}

#[test]
fn overlay_tilesets_leave_the_world_map_showing() {
    let incidents = MvtLayer::new(
        "incidents",
        vec![MvtFeature::new(
            MvtGeometry::Points(vec![(2048, 2048)]),
            &[],
        )],
    );
    let thematic = archive("overlay.pmtiles", 6, vec![incidents.clone()]);
    assert!(thematic.info().overlay, "no land, water or boundary layers");
    let tile = thematic.render_tile(6, 0, 0, 256).unwrap().unwrap();
    assert_eq!(
        tile.pixel(20, 20).unwrap()[3],
        0,
        "transparent where nothing is"
    );
    assert_eq!(tile.pixel(128, 128).unwrap()[3], 255, "the point is drawn");

    let path = scratch("declared-overlay.pmtiles");
    let roads = MvtLayer::new(
        "water",
        vec![MvtFeature::new(
            MvtGeometry::Lines(vec![vec![(0, 100), (4096, 100)]]),
            &[],
        )],
    );
    write::pmtiles(
        &path,
        &[(6, 0, 0, mvt_tile(std::slice::from_ref(&roads)))],
        TileFormat::Mvt,
        r#"{"type": "overlay"}"#,
        None,
    )
    .unwrap();
    let declared = TileArchive::open(&path).unwrap();
    assert!(declared.info().overlay, "metadata type overlay");
    assert_eq!(
        declared
            .render_tile(6, 0, 0, 256)
            .unwrap()
            .unwrap()
            .pixel(20, 200)
            .unwrap()[3],
        0
    );

    let basemap = archive("basemap.pmtiles", 6, vec![roads, incidents]);
    assert!(!basemap.info().overlay, "a water layer makes it a basemap");
    assert_eq!(
        basemap
            .render_tile(6, 0, 0, 256)
            .unwrap()
            .unwrap()
            .pixel(20, 200)
            .unwrap()[3],
        255
    );
}

#[test]
fn a_style_file_opens_its_local_vector_source_and_draws_by_the_style() {
    let archive_path = scratch("styled-region.pmtiles");
    let layers = vec![MvtLayer::new(
        "water",
        vec![MvtFeature::new(square(0, 0, 2048, 4096), &[])],
    )];
    write::pmtiles(
        &archive_path,
        &[(5, 0, 0, mvt_tile(&layers))],
        TileFormat::Mvt,
        "{}",
        None,
    )
    .unwrap();
    let file_name = archive_path.file_name().unwrap().to_str().unwrap();
    let style = serde_json::json!({
        "version": 8,
        "sources": {"region": {"type": "vector", "url": format!("pmtiles://{file_name}")}},
        "layers": [
            {"id": "bg", "type": "background", "paint": {"background-color": "#102030"}},
            {"id": "water", "type": "fill", "source": "region", "source-layer": "water",
             "paint": {"fill-color": ["step", ["zoom"], "#ff0000", 4, "#00ff00"], "fill-translate": [1, 1]}}
        ]
    });
    let style_path = archive_path.with_file_name("styled-region.json");
    std::fs::write(&style_path, style.to_string()).unwrap();
    let archive = TileArchive::open_basemap(&style_path).unwrap();
    let problems: Vec<_> = archive
        .style_problems()
        .iter()
        .map(|p| (p.layer.as_str(), p.property.as_str()))
        .collect();
    assert_eq!(problems, [("water", "fill-translate")]);
    // App zoom 5 is style zoom 4 (MapLibre's 512-pixel tiles).
    let tile = archive.render_tile(5, 0, 0, 256).unwrap().unwrap();
    assert_eq!(tile.pixel(60, 100), Some([0, 255, 0, 255]));
    assert_eq!(tile.pixel(200, 100), Some([0x10, 0x20, 0x30, 255]));
    assert!(
        TileArchive::open_basemap(&archive_path)
            .unwrap()
            .style_problems()
            .is_empty()
    );

    let online = style_path.with_file_name("online-style.json");
    let text = style.to_string().replace(
        &format!("pmtiles://{file_name}"),
        "https://tiles.example/{z}/{x}/{y}.pbf",
    );
    std::fs::write(&online, text).unwrap();
    let error = TileArchive::open_basemap(&online).err().unwrap();
    assert!(error.to_string().contains("online"), "{error}");
}
