//! GeoTIFFs written by GDAL (`scripts/make-geotiff-fixtures.sh`) open, land where GDAL says
//! and read by window; files that cannot be placed are refused saying why.

// Test helpers may unwrap: a panic here is a failed test, not a crash on input.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use strikemap_core::formats::geotiff::{Bands, GeoTiff, PixelWindow, WindowReader};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geotiff")
        .join(name)
}

/// World pixels at zoom 12 in the app's Web Mercator.
fn at_zoom_12(lon: f64, lat: f64) -> [f64; 2] {
    let [x, y] = strikemap_mercator::project(lon, lat);
    let size = 256.0 * 4096.0;
    [x * size, y * size]
}

/// Longitude, latitude in degrees.
type LonLat = (f64, f64);

/// The upper-left and lower-right corners of each file in WGS 84 as GDAL 3.6.2 / PROJ 9.1
/// gives them (`gdalinfo -json FILE`, `wgs84Extent`): (file, upper left, lower right).
const GDAL_CORNERS: [(&str, LonLat, LonLat); 4] = [
    ("rgb8-4326-tiled.tif", (60.5, 29.5), (61.14, 29.02)),
    (
        "gray16-3857-striped.tif",
        (61.999_924_3, 28.031_929_8),
        (62.071_789_5, 27.984_343_4),
    ),
    (
        "gray16-utm42n-tiled.tif",
        (68.499_693_4, 30.499_998_8),
        (68.580_191_6, 30.439_823_1),
    ),
    (
        "rgb8-3857-cog.tif",
        (60.5, 29.5),
        (61.143_543_9, 29.021_405_6),
    ),
];

#[test]
fn corner_pixels_land_within_a_screen_pixel_of_gdals_corners_at_zoom_12() {
    for (name, upper_left, lower_right) in GDAL_CORNERS {
        let tiff = GeoTiff::open(&fixture(name)).unwrap();
        let full = tiff.levels[0];
        let corners = [
            ((0.0, 0.0), upper_left),
            ((f64::from(full.width), f64::from(full.height)), lower_right),
        ];
        for ((col, row), (lon, lat)) in corners {
            let (ours_lon, ours_lat) = tiff.lon_lat(col, row).unwrap();
            let [x, y] = at_zoom_12(ours_lon, ours_lat);
            let [true_x, true_y] = at_zoom_12(lon, lat);
            let off = (x - true_x).hypot(y - true_y);
            assert!(
                off < 1.0,
                "{name} pixel corner {col}, {row}: {off} px off at zoom 12"
            );
        }
    }
}

#[test]
fn tiled_striped_and_cog_files_have_their_overviews_as_levels() {
    let expect = [
        ("rgb8-4326-tiled.tif", true, Bands::Rgb, 8, vec![64, 32, 16]),
        (
            "gray16-3857-striped.tif",
            false,
            Bands::Gray,
            16,
            vec![80, 40, 20],
        ),
        (
            "gray16-utm42n-tiled.tif",
            true,
            Bands::Gray,
            16,
            vec![77, 39, 20],
        ),
        ("rgb8-3857-cog.tif", true, Bands::Rgb, 8, vec![61, 30]),
    ];
    for (name, tiled, bands, bits, widths) in expect {
        let tiff = GeoTiff::open(&fixture(name)).unwrap();
        let found: Vec<u32> = tiff.levels.iter().map(|level| level.width).collect();
        assert_eq!(found, widths, "{name}");
        assert_eq!(tiff.levels[0].tiled, tiled, "{name}");
        assert_eq!((tiff.bands, tiff.bits), (bands, bits), "{name}");
        assert_eq!(tiff.stretch.is_some(), bits == 16, "{name}");
        assert_eq!(tiff.level_for(1.0), 0, "{name}");
        assert_eq!(tiff.level_for(100.0), widths.len() - 1, "{name}");
    }
}

fn pixel(image: &strikemap_core::formats::geotiff::WindowImage, x: u32, y: u32) -> [u8; 4] {
    let at = ((y * image.window.width + x) * 4) as usize;
    image.rgba[at..at + 4].try_into().unwrap()
}

#[test]
fn windows_read_the_pixels_the_pattern_drew() {
    let tiff = GeoTiff::open(&fixture("rgb8-4326-tiled.tif")).unwrap();
    let mut reader = WindowReader::open(&tiff).unwrap();
    let whole = PixelWindow {
        x: 0,
        y: 0,
        width: 64,
        height: 48,
    };
    let image = reader.read(0, whole).unwrap();
    // The script's pattern: red across, green down, blue 20 or 220 in 8-pixel checks.
    assert_eq!(pixel(&image, 0, 0), [0, 0, 20, 255]);
    assert_eq!(pixel(&image, 63, 47), [255, 255, 20, 255]);
    assert_eq!(pixel(&image, 8, 0), [32, 0, 220, 255]);
    // A window across tile edges is the same pixels as the whole read.
    let part = reader
        .read(
            0,
            PixelWindow {
                x: 20,
                y: 10,
                width: 30,
                height: 30,
            },
        )
        .unwrap();
    for (x, y) in [(0, 0), (11, 21), (29, 29), (12, 22)] {
        assert_eq!(
            pixel(&part, x, y),
            pixel(&image, x + 20, y + 10),
            "{x}, {y}"
        );
    }
    // A window past the edge is clipped.
    let clipped = reader
        .read(
            2,
            PixelWindow {
                x: 10,
                y: 0,
                width: 100,
                height: 100,
            },
        )
        .unwrap();
    assert_eq!((clipped.window.width, clipped.window.height), (6, 12));
}

#[test]
fn sixteen_bit_grey_is_stretched_and_nodata_is_clear() {
    let tiff = GeoTiff::open(&fixture("gray16-3857-striped.tif")).unwrap();
    let stretch = tiff.stretch.unwrap();
    // The pattern's values run from 1000 to 1000 + 79·40 + 59·20 + 700.
    assert!(stretch.low > 1000 && stretch.high < 6040, "{stretch:?}");
    let mut reader = WindowReader::open(&tiff).unwrap();
    let image = reader
        .read(
            0,
            PixelWindow {
                x: 0,
                y: 0,
                width: 80,
                height: 60,
            },
        )
        .unwrap();
    assert_eq!(pixel(&image, 0, 0), [0, 0, 0, 255]);
    // The brightest corner is past the stretch's top but for the checks' 700.
    assert!(
        pixel(&image, 79, 59)[0] > 200,
        "{:?}",
        pixel(&image, 79, 59)
    );
    assert_eq!(pixel(&image, 71, 59), [255, 255, 255, 255]);

    let warped = GeoTiff::open(&fixture("gray16-utm42n-tiled.tif")).unwrap();
    assert_eq!(warped.nodata, Some(0));
    let mut reader = WindowReader::open(&warped).unwrap();
    let image = reader
        .read(
            0,
            PixelWindow {
                x: 0,
                y: 0,
                width: 77,
                height: 67,
            },
        )
        .unwrap();
    assert_eq!(pixel(&image, 0, 66)[3], 0, "outside the warped footprint");
    assert_eq!(pixel(&image, 38, 33)[3], 255, "inside it");
}

#[test]
fn files_that_cannot_be_placed_are_refused_naming_the_file_and_why() {
    for (name, why) in [
        ("not-georeferenced.tif", "not georeferenced"),
        ("user-defined-crs.tif", "user-defined"),
    ] {
        let error = GeoTiff::open(&fixture(name)).unwrap_err().to_string();
        assert!(error.contains(name) && error.contains(why), "{error}");
    }
}

#[test]
fn a_geotiff_opened_like_any_file_is_imagery() {
    use strikemap_core::import::{DetectedFormat, ImportedContent, import_file};
    let import = import_file(&fixture("gray16-utm42n-tiled.tif")).unwrap();
    assert_eq!(import.format, DetectedFormat::GeoTiff);
    let ImportedContent::Imagery(tiff) = &import.content else {
        panic!("not imagery: {:?}", import.format);
    };
    assert_eq!(tiff.georeference.crs_label, "EPSG:32642");
    let summary = strikemap_core::validate::summarize(&import).join("\n");
    assert!(
        summary.contains("GeoTIFF: imagery of 77 × 67 pixels in EPSG:32642, 2 overviews"),
        "{summary}"
    );
    let refused = import_file(&fixture("not-georeferenced.tif")).unwrap_err();
    assert!(
        refused.to_string().contains("not georeferenced"),
        "{refused}"
    );
}
