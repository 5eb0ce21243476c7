//! Decoding, robustness and pixel tests against the embedded Natural Earth asset.

use strikemap_basemap::style::{self, Rgb8};
use strikemap_basemap::tile_math::{lon_lat_to_pixel, tile_containing, tiles_covering};
use strikemap_basemap::{Basemap, DecodeError, Layer, PlaceKind, TileImage};

fn basemap() -> Basemap {
    match Basemap::embedded() {
        Ok(basemap) => basemap,
        Err(error) => panic!("embedded asset does not decode: {error}"),
    }
}

/// The tile containing (lon, lat) and the pixel of that point inside it.
fn locate(lon: f64, lat: f64, zoom: u8, size_px: u32) -> ((u32, u32), (u32, u32)) {
    let (tile_x, tile_y) = tile_containing(lon, lat, zoom);
    let (global_x, global_y) = lon_lat_to_pixel(lon, lat, zoom, size_px);
    let pixel_x = (global_x - f64::from(tile_x) * f64::from(size_px)).floor() as u32;
    let pixel_y = (global_y - f64::from(tile_y) * f64::from(size_px)).floor() as u32;
    ((tile_x, tile_y), (pixel_x, pixel_y))
}

fn pixel(tile: &TileImage, x: u32, y: u32) -> [u8; 4] {
    tile.pixel(x, y)
        .unwrap_or_else(|| panic!("pixel ({x}, {y}) outside a {} px tile", tile.size_px))
}

fn colour_distance(rgba: [u8; 4], colour: Rgb8) -> u8 {
    [
        rgba[0].abs_diff(colour.r),
        rgba[1].abs_diff(colour.g),
        rgba[2].abs_diff(colour.b),
    ]
    .into_iter()
    .max()
    .unwrap_or(0)
}

fn luma(rgba: [u8; 4]) -> f32 {
    Rgb8::new(rgba[0], rgba[1], rgba[2]).luma()
}

fn pixel_at_lon_lat(basemap: &Basemap, lon: f64, lat: f64, zoom: u8, size_px: u32) -> [u8; 4] {
    let ((tile_x, tile_y), (x, y)) = locate(lon, lat, zoom, size_px);
    let tile = basemap.render_tile(zoom, tile_x, tile_y, size_px);
    assert!(tile.has_data);
    pixel(&tile, x, y)
}

// ---------------------------------------------------------------------------------------
// Decoding

#[test]
fn embedded_asset_has_expected_counts() {
    let basemap = basemap();
    assert_eq!(basemap.country_labels().len(), 20);
    assert_eq!(basemap.places().len(), 275);
    assert_eq!(basemap.feature_count(Layer::Land), 34);
    assert_eq!(basemap.feature_count(Layer::FocusCountries), 14);
    assert_eq!(basemap.feature_count(Layer::Lakes), 10);
    assert_eq!(basemap.feature_count(Layer::Playas), 18);
    assert_eq!(basemap.feature_count(Layer::Coastline), 44);
    assert_eq!(basemap.feature_count(Layer::Borders), 51);
    assert_eq!(basemap.feature_count(Layer::Rivers), 41);
    assert_eq!(basemap.feature_count(Layer::Admin1Lines), 86);
    assert_eq!(basemap.vertex_count(Layer::Borders), 5113);
    assert_eq!(basemap.vertex_count(Layer::Rivers), 7888);

    let region = basemap.region();
    assert_eq!(
        (region.west, region.south, region.east, region.north),
        (44.0, 22.0, 78.0, 40.0)
    );
    let size = Basemap::embedded_bytes().len();
    assert!(size < 500_000, "asset is {size} bytes");
}

#[test]
fn places_decode_with_names_and_kinds() {
    let basemap = basemap();
    let places = basemap.places();
    let count = |kind| places.iter().filter(|place| place.kind == kind).count();
    assert_eq!(count(PlaceKind::NationalCapital), 13);
    assert_eq!(count(PlaceKind::ProvinceCapital), 103);
    assert_eq!(count(PlaceKind::PopulatedPlace), 159);

    let Some(quetta) = places.iter().find(|place| place.name == "Quetta") else {
        panic!("Quetta missing");
    };
    assert_eq!(quetta.kind, PlaceKind::ProvinceCapital);
    assert_eq!(quetta.adm0_a3, "PAK");
    assert!((quetta.lat - 30.2).abs() < 0.1 && (quetta.lon - 67.0).abs() < 0.1);
    assert!(quetta.pop_max > 500_000);
    assert!(quetta.min_zoom.is_some());

    let Some(tehran) = places.iter().find(|place| place.name == "Tehran") else {
        panic!("Tehran missing");
    };
    assert_eq!(tehran.kind, PlaceKind::NationalCapital);
    assert!(places.iter().any(|place| place.name == "Türkmenabat"));
    // All inside the region.
    let region = basemap.region();
    assert!(
        places
            .iter()
            .all(|place| region.contains(place.lon, place.lat))
    );
}

#[test]
fn country_labels_sit_inside_their_countries() {
    let basemap = basemap();
    let labels = basemap.country_labels();
    let find = |code: &str| {
        labels
            .iter()
            .find(|label| label.adm0_a3 == code)
            .unwrap_or_else(|| panic!("no label for {code}"))
    };
    let pakistan = find("PAK");
    assert_eq!(pakistan.name, "Pakistan");
    // Inside Balochistan/Sindh, well away from the borders.
    assert!((24.0..33.0).contains(&pakistan.lat) && (64.0..71.0).contains(&pakistan.lon));
    assert!(!pakistan.clipped_to_region);
    let iran = find("IRN");
    assert_eq!(iran.label_rank, 0);
    assert!((28.0..36.0).contains(&iran.lat) && (50.0..60.0).contains(&iran.lon));
    assert!(find("SAU").clipped_to_region);
    // Ranks are a permutation of 0..20.
    let mut ranks: Vec<u8> = labels.iter().map(|label| label.label_rank).collect();
    ranks.sort_unstable();
    assert_eq!(ranks, (0..20).collect::<Vec<u8>>());
    // Small countries need more zoom.
    assert!(find("BHR").min_zoom > find("IRN").min_zoom);
}

// ---------------------------------------------------------------------------------------
// Malformed input

fn with_body_len(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.len() >= 9 {
        let body_len = (bytes.len() - 9) as u32;
        bytes[5..9].copy_from_slice(&body_len.to_le_bytes());
    }
    bytes
}

#[test]
fn every_truncation_is_an_error() {
    let asset = Basemap::embedded_bytes();
    for length in 0..asset.len() {
        assert!(
            Basemap::from_bytes(&asset[..length]).is_err(),
            "truncated to {length} bytes decoded"
        );
    }
}

#[test]
fn truncations_with_a_consistent_length_field_are_errors() {
    // Patch the body length so that the decoder has to walk into the data to notice.
    let asset = Basemap::embedded_bytes();
    let mut length = 9;
    while length < asset.len() {
        let truncated = with_body_len(asset[..length].to_vec());
        let result = Basemap::from_bytes(&truncated);
        assert!(result.is_err(), "truncated to {length} bytes decoded");
        length += if length < 600 { 1 } else { 211 };
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let asset = Basemap::embedded_bytes();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut decoded_anyway = 0;
    for _ in 0..300 {
        let mut corrupted = asset.to_vec();
        for _ in 0..1 + next() % 4 {
            let index = 9 + (next() as usize) % (corrupted.len() - 9);
            corrupted[index] ^= 1 << (next() % 8);
        }
        if let Ok(basemap) = Basemap::from_bytes(&corrupted) {
            // Still renders without panicking.
            decoded_anyway += 1;
            if decoded_anyway <= 5 {
                let tile = basemap.render_tile(5, 21, 13, 64);
                assert_eq!(tile.rgba.len(), 64 * 64 * 4);
            }
        }
    }
}

#[test]
fn bad_magic_and_version_are_reported() {
    let asset = Basemap::embedded_bytes();
    let mut bad_magic = asset.to_vec();
    bad_magic[0] = b'X';
    assert_eq!(
        Basemap::from_bytes(&bad_magic).err(),
        Some(DecodeError::BadMagic)
    );
    let mut bad_version = asset.to_vec();
    bad_version[4] = 99;
    assert_eq!(
        Basemap::from_bytes(&bad_version).err(),
        Some(DecodeError::UnsupportedVersion { found: 99 })
    );
    assert_eq!(Basemap::from_bytes(&[]).err(), Some(DecodeError::BadMagic));
    let mut trailing = asset.to_vec();
    trailing.push(0);
    assert!(matches!(
        Basemap::from_bytes(&trailing),
        Err(DecodeError::LengthMismatch { offset: 5, .. })
    ));
}

/// A hand-made asset: header, region, and the given sections.
fn hand_made(section_count: &[u8], sections: &[u8]) -> Vec<u8> {
    let mut bytes = b"SMBM\x01\0\0\0\0".to_vec();
    // Region 44, 22, 78, 40 as zigzag varints of 1e-5 degree.
    for value in [4_400_000u64, 2_200_000, 7_800_000, 4_000_000] {
        let mut zigzag = value << 1;
        loop {
            let byte = (zigzag & 0x7f) as u8;
            zigzag >>= 7;
            if zigzag == 0 {
                bytes.push(byte);
                break;
            }
            bytes.push(byte | 0x80);
        }
    }
    bytes.extend_from_slice(section_count);
    bytes.extend_from_slice(sections);
    with_body_len(bytes)
}

#[test]
fn huge_counts_are_rejected_without_allocating() {
    // Section count of 2^63.
    let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    assert!(matches!(
        Basemap::from_bytes(&hand_made(&huge, &[])),
        Err(DecodeError::CountTooLarge { .. })
    ));
    // A land layer claiming 2^63 features.
    let mut section = vec![1u8, 12, 1, 1];
    section.extend_from_slice(&huge);
    assert!(matches!(
        Basemap::from_bytes(&hand_made(&[1], &section)),
        Err(DecodeError::CountTooLarge { .. })
    ));
    // A varint longer than 64 bits.
    let overlong = [0xff; 11];
    assert!(matches!(
        Basemap::from_bytes(&hand_made(&overlong, &[])),
        Err(DecodeError::VarintOverflow { .. })
    ));
    // A section longer than the file.
    assert!(matches!(
        Basemap::from_bytes(&hand_made(&[1], &[1, 0x7f, 1, 1])),
        Err(DecodeError::LengthMismatch { .. })
    ));
    // No sections at all: the layers are missing.
    assert!(matches!(
        Basemap::from_bytes(&hand_made(&[0], &[])),
        Err(DecodeError::Missing { .. })
    ));
}

#[test]
fn out_of_range_coordinates_are_rejected() {
    // Land layer, one feature, one ring of 3 points, first point at lon 200.
    let mut section_payload = vec![1u8, 1, 1, 0, 0, 255, 1, 3];
    let lon_200 = 20_000_000u64 << 1;
    let mut value = lon_200;
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            section_payload.push(byte);
            break;
        }
        section_payload.push(byte | 0x80);
    }
    section_payload.extend_from_slice(&[0, 2, 2, 2, 2]);
    let mut section = vec![1u8, section_payload.len() as u8];
    section.extend_from_slice(&section_payload);
    let result = Basemap::from_bytes(&hand_made(&[1], &section));
    assert!(
        matches!(result, Err(DecodeError::CoordinateOutOfRange { .. })),
        "{result:?}"
    );
}

#[test]
fn errors_display_their_offset() {
    let asset = Basemap::embedded_bytes();
    let truncated = with_body_len(asset[..5000].to_vec());
    let Err(error) = Basemap::from_bytes(&truncated) else {
        panic!("truncated asset decoded");
    };
    let message = error.to_string();
    assert!(message.contains("byte"), "{message}");
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(!boxed.to_string().is_empty());
}

// ---------------------------------------------------------------------------------------
// Pixels

#[test]
fn quetta_is_land() {
    let basemap = basemap();
    let rgba = pixel_at_lon_lat(&basemap, 67.000, 30.183, 7, 256);
    let distance =
        colour_distance(rgba, style::LAND).min(colour_distance(rgba, style::FOCUS_COUNTRY_LAND));
    assert!(distance <= 6, "Quetta pixel {rgba:?}");
    assert_eq!(rgba[3], 255);
}

#[test]
fn gulf_of_oman_is_sea() {
    let basemap = basemap();
    for size_px in [256, 512] {
        let rgba = pixel_at_lon_lat(&basemap, 59.0, 24.5, 7, size_px);
        assert!(
            colour_distance(rgba, style::SEA) <= 2,
            "Gulf of Oman pixel {rgba:?}"
        );
    }
}

#[test]
fn iran_pakistan_border_is_drawn_where_expected() {
    let basemap = basemap();
    // Vertices of the IRN–PAK line in shared/data/borders.geojson.
    for (lon, lat) in [
        (63.25152, 27.21896),
        (63.22992, 27.05406),
        (61.58823, 25.20209),
    ] {
        let ((tile_x, tile_y), (x, y)) = locate(lon, lat, 7, 256);
        let tile = basemap.render_tile(7, tile_x, tile_y, 256);
        let mut darkest = f32::MAX;
        for dy in -2i64..=2 {
            for dx in -2i64..=2 {
                let (px, py) = (i64::from(x) + dx, i64::from(y) + dy);
                if let (Ok(px), Ok(py)) = (u32::try_from(px), u32::try_from(py))
                    && let Some(rgba) = tile.pixel(px, py)
                {
                    darkest = darkest.min(luma(rgba));
                }
            }
        }
        // Near the border colour, and darker than rivers, coast or admin-1 lines could be.
        let threshold = style::BORDER.luma() + 30.0;
        assert!(
            darkest < threshold,
            "no border pixel near ({lon}, {lat}): darkest luma {darkest}, needed < {threshold}"
        );
        assert!(threshold < style::RIVER.luma() && threshold < style::COASTLINE.luma());
        assert!(threshold < style::ADMIN1_LINE.luma());
    }
}

#[test]
fn tile_far_outside_has_no_data() {
    let basemap = basemap();
    let (x, y) = tile_containing(-30.0, 30.0, 5);
    let tile = basemap.render_tile(5, x, y, 256);
    assert!(!tile.has_data);
    assert_eq!(tile.rgba.len(), 256 * 256 * 4);
    assert!(tile.rgba.chunks_exact(4).all(|p| colour_distance(
        [p[0], p[1], p[2], p[3]],
        style::NO_DATA_BACKGROUND
    ) == 0
        && p[3] == 255));
}

#[test]
fn tile_on_region_edge_is_partly_neutral() {
    let basemap = basemap();
    // Zoom-7 tile containing lon 44, lat 30: the region's west edge runs through it.
    let ((tile_x, tile_y), (edge_x, _)) = locate(44.0, 30.0, 7, 256);
    let tile = basemap.render_tile(7, tile_x, tile_y, 256);
    assert!(tile.has_data);
    assert!(edge_x > 4 && edge_x < 252);
    let west = pixel(&tile, edge_x - 3, 128);
    let east = pixel(&tile, edge_x + 3, 128);
    assert_eq!(
        colour_distance(west, style::NO_DATA_BACKGROUND),
        0,
        "{west:?}"
    );
    assert!(
        colour_distance(east, style::NO_DATA_BACKGROUND) > 3,
        "{east:?}"
    );
}

#[test]
fn hidpi_tiles_have_the_requested_size() {
    let basemap = basemap();
    let tile = basemap.render_tile(7, 87, 52, 512);
    assert_eq!(tile.size_px, 512);
    assert_eq!(tile.rgba.len(), 512 * 512 * 4);
    assert!(tile.has_data);
}

#[test]
fn degenerate_requests_do_not_panic() {
    let basemap = basemap();
    let empty = basemap.render_tile(7, 87, 52, 0);
    assert_eq!(
        (empty.size_px, empty.rgba.len(), empty.has_data),
        (0, 0, false)
    );
    // Outside the tile grid, absurd zooms.
    assert!(!basemap.render_tile(3, 8, 0, 16).has_data);
    assert!(!basemap.render_tile(0, 0, 1, 16).has_data);
    assert!(!basemap.render_tile(31, 0, 0, 16).has_data);
    assert!(!basemap.render_tile(255, u32::MAX, u32::MAX, 16).has_data);
    // Clamped size.
    assert_eq!(
        basemap.render_tile(0, 0, 0, u32::MAX).size_px,
        strikemap_basemap::MAX_TILE_SIZE_PX
    );
}

#[test]
fn every_zoom_renders_around_quetta() {
    let basemap = basemap();
    for zoom in 0..=18u8 {
        let (x, y) = tile_containing(67.0, 30.183, zoom);
        let tile = basemap.render_tile(zoom, x, y, 64);
        assert!(tile.has_data, "zoom {zoom}");
        assert_eq!(tile.rgba.len(), 64 * 64 * 4);
    }
    // Deep zoom on the border still shows a border.
    let rgba_found = {
        let ((x, y), (px, py)) = locate(63.25152, 27.21896, 14, 256);
        let tile = basemap.render_tile(14, x, y, 256);
        (py.saturating_sub(3)..=py + 3)
            .flat_map(|row| (px.saturating_sub(3)..=px + 3).map(move |column| (column, row)))
            .filter_map(|(column, row)| tile.pixel(column, row))
            .any(|rgba| luma(rgba) < style::BORDER.luma() + 30.0)
    };
    assert!(rgba_found, "no border at zoom 14");
}

#[test]
fn low_zoom_overview_has_data() {
    let basemap = basemap();
    let tile = basemap.render_tile(0, 0, 0, 256);
    assert!(tile.has_data);
    let range = tiles_covering(&basemap.region(), 4);
    for (x, y) in range.tiles() {
        assert!(basemap.render_tile(4, x, y, 128).has_data);
    }
}

#[test]
fn rendering_is_deterministic_across_threads() {
    let basemap = std::sync::Arc::new(basemap());
    let reference = basemap.render_tile(8, 175, 106, 256);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let basemap = std::sync::Arc::clone(&basemap);
            std::thread::spawn(move || basemap.render_tile(8, 175, 106, 256))
        })
        .collect();
    for handle in handles {
        match handle.join() {
            Ok(tile) => assert!(tile == reference),
            Err(_) => panic!("render thread panicked"),
        }
    }
}
