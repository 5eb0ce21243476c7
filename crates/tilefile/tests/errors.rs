//! Files that are missing, empty, cut short, of another kind, or corrupt: a clear error
//! naming the file (and the tile, where one tile is bad), never a panic.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{PROTOMAPS_METADATA, png, protomaps_tile, scratch};
use strikemap_tilefile::write::{self, PmTilesOptions};
use strikemap_tilefile::{ErrorKind, TileArchive, TileFileError, TileFormat};

fn open_error(path: &Path) -> TileFileError {
    let error = TileArchive::open(path).unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!("{}: ", path.display())),
        "names the file: {shown}"
    );
    error
}

fn file_with(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = scratch(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A raster PMTiles archive with a few tiles, as bytes.
fn raster_pmtiles(options: PmTilesOptions) -> Vec<u8> {
    let path = scratch("source.pmtiles");
    let tiles = [
        (0, 0, 0, png([1, 2, 3, 255], 32)),
        (1, 1, 0, png([4, 5, 6, 255], 32)),
    ];
    write::pmtiles_with(
        &path,
        &tiles,
        TileFormat::Png,
        r#"{"name":"x"}"#,
        None,
        options,
    )
    .unwrap();
    std::fs::read(&path).unwrap()
}

fn plain() -> PmTilesOptions {
    PmTilesOptions {
        leaf_entries: None,
        gzip_internal: true,
        gzip_tiles: false,
    }
}

fn section(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

#[test]
fn missing_and_empty_files() {
    let missing = scratch("nothing-here.pmtiles");
    let error = open_error(&missing);
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(
        error.to_string(),
        format!("{}: no such file", missing.display())
    );
    let error = open_error(&file_with("empty.mbtiles", b""));
    assert_eq!(error.kind(), ErrorKind::Empty);
    let folder = scratch("folder.pmtiles");
    std::fs::create_dir_all(&folder).unwrap();
    assert_eq!(open_error(&folder).kind(), ErrorKind::Unreadable);
}

#[test]
fn other_kinds_of_file_are_named_by_their_first_bytes() {
    let zip = open_error(&file_with(
        "map.pmtiles",
        &[0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 8, 0],
    ));
    assert_eq!(zip.kind(), ErrorKind::NotATileFile);
    assert!(
        zip.message()
            .contains("not a PMTiles or MBTiles file (starts with bytes 50 4B 03 04"),
        "{zip}"
    );
    let image = open_error(&file_with("tile.mbtiles", &png([0, 0, 0, 255], 4)));
    assert!(image.message().contains("89 50 4E 47"), "{image}");
    let text = open_error(&file_with("notes.pmtiles", b"hello, this is text\n"));
    assert_eq!(text.kind(), ErrorKind::NotATileFile);
}

#[test]
fn truncated_pmtiles_copies_are_refused_at_open() {
    let bytes = raster_pmtiles(plain());
    let root_end = section(&bytes, 8) + section(&bytes, 16);
    let data_offset = section(&bytes, 56) as usize;
    let cuts = [
        (3, "the header needs 127 bytes but the file has 3"),
        (60, "the header needs 127 bytes but the file has 60"),
        (
            130,
            &*format!("the root directory ends at byte {root_end} but the file has 130 bytes"),
        ),
        (data_offset + 10, "the tile data ends at byte"),
        (bytes.len() - 1, "the tile data ends at byte"),
    ];
    for (cut, expected) in cuts {
        let error = open_error(&file_with("cut.pmtiles", &bytes[..cut]));
        assert_eq!(error.kind(), ErrorKind::Truncated, "cut at {cut}: {error}");
        assert!(error.message().starts_with("truncated: "), "{error}");
        assert!(error.message().contains(expected), "cut at {cut}: {error}");
    }
}

#[test]
fn a_file_that_shrinks_after_open_gives_a_tile_error() {
    let path = file_with("shrinks.pmtiles", &raster_pmtiles(plain()));
    let archive = TileArchive::open(&path).unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 20)
        .unwrap();
    let error = archive.render_tile(1, 1, 0, 64).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Truncated);
    assert_eq!(error.tile(), Some((1, 1, 0)));
    assert!(
        error.to_string().contains("tile 1/1/0: truncated"),
        "{error}"
    );
    // The other tile is still there.
    assert!(archive.render_tile(0, 0, 0, 64).unwrap().is_some());
}

#[test]
fn unsupported_versions_compressions_and_types() {
    let good = raster_pmtiles(plain());
    let patched = |at: usize, value: u8| {
        let mut bytes = good.clone();
        bytes[at] = value;
        file_with("patched.pmtiles", &bytes)
    };
    let cases = [
        (
            7,
            2,
            ErrorKind::UnsupportedVersion,
            "PMTiles version 2 is not supported (version 3 is)",
        ),
        (
            97,
            4,
            ErrorKind::UnsupportedCompression,
            "internal compression zstd is not supported",
        ),
        (
            98,
            4,
            ErrorKind::UnsupportedCompression,
            "tile compression zstd is not supported",
        ),
        (99, 5, ErrorKind::UnsupportedTileType, "AVIF"),
        (99, 0, ErrorKind::UnsupportedTileType, "unknown"),
    ];
    for (at, value, kind, expected) in cases {
        let error = open_error(&patched(at, value));
        assert_eq!(error.kind(), kind, "{error}");
        assert!(error.message().contains(expected), "{error}");
    }
    // A real version 2 file starts with "PM" and a u16 version.
    let v2 = open_error(&file_with("v2.pmtiles", b"PM\x02\x00\x10\x00\x00\x00{}"));
    assert_eq!(
        v2.message(),
        "PMTiles version 2 is not supported (version 3 is)"
    );
}

#[test]
fn bad_gzip_in_a_tile_names_the_tile() {
    // PNG bytes stored, but the header claims gzip tiles.
    let mut bytes = raster_pmtiles(plain());
    bytes[98] = 2;
    let archive = TileArchive::open(&file_with("badgzip.pmtiles", &bytes)).unwrap();
    let error = archive.read_tile(1, 1, 0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
    assert_eq!(error.tile(), Some((1, 1, 0)));
    assert!(
        error.to_string().contains("tile 1/1/0: bad gzip data"),
        "{error}"
    );
    // The same in MBTiles: a blob that starts like gzip and is not.
    let path = scratch("badgzip.mbtiles");
    write::mbtiles(
        &path,
        &[(2, 1, 1, vec![0x1F, 0x8B, 0, 1, 2, 3])],
        TileFormat::Png,
        &[],
    )
    .unwrap();
    let archive = TileArchive::open(&path).unwrap();
    let error = archive.render_tile(2, 1, 1, 64).unwrap_err();
    assert_eq!(error.tile(), Some((2, 1, 1)));
    assert!(error.message().contains("bad gzip"), "{error}");
    // A tile that is not an image.
    write::mbtiles(
        &path,
        &[(2, 1, 1, b"not an image".to_vec())],
        TileFormat::Png,
        &[],
    )
    .unwrap();
    let error = TileArchive::open(&path)
        .unwrap()
        .render_tile(2, 1, 1, 64)
        .unwrap_err();
    assert!(
        error.message().contains("PNG image does not decode"),
        "{error}"
    );
}

#[test]
fn sqlite_files_that_are_not_mbtiles() {
    let path = scratch("other.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch("CREATE TABLE metadata (name TEXT, value TEXT);")
        .unwrap();
    drop(connection);
    let error = open_error(&path);
    assert_eq!(error.kind(), ErrorKind::NotMbTiles);
    assert_eq!(error.message(), "MBTiles has no `tiles` table");
    // The `map`/`images` layout behind a `tiles` view is MBTiles too.
    let path = scratch("view.mbtiles");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE metadata (name TEXT, value TEXT);
             INSERT INTO metadata VALUES ('format', 'png');
             CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
             CREATE TABLE images (tile_data BLOB, tile_id TEXT);
             CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
                 map.tile_row AS tile_row, images.tile_data AS tile_data
                 FROM map JOIN images ON images.tile_id = map.tile_id;
             INSERT INTO map VALUES (1, 0, 0, 'a');",
        )
        .unwrap();
    connection
        .execute(
            "INSERT INTO images VALUES (?1, 'a')",
            [png([9, 9, 9, 255], 8)],
        )
        .unwrap();
    drop(connection);
    let archive = TileArchive::open(&path).unwrap();
    // TMS row 0 at zoom 1 is XYZ y 1.
    assert_eq!(
        archive
            .render_tile(1, 0, 1, 8)
            .unwrap()
            .unwrap()
            .pixel(1, 1),
        Some([9, 9, 9, 255])
    );
}

#[test]
fn truncated_mbtiles_give_errors_not_panics() {
    let path = scratch("big.mbtiles");
    let tiles: Vec<_> = (0..16u32)
        .flat_map(|x| (0..16u32).map(move |y| (4, x, y, png([x as u8, y as u8, 7, 255], 16))))
        .collect();
    write::mbtiles(&path, &tiles, TileFormat::Png, &[("name", "big")]).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let header_cut = open_error(&file_with("cut.mbtiles", &bytes[..40]));
    assert_eq!(header_cut.kind(), ErrorKind::NotMbTiles, "{header_cut}");
    let mut tile_errors = 0;
    for cut in [bytes.len() / 4, bytes.len() / 2, bytes.len() - 1000] {
        let path = file_with("cut.mbtiles", &bytes[..cut]);
        let Ok(archive) = TileArchive::open(&path) else {
            continue;
        };
        for (zoom, x, y, _) in &tiles {
            if let Err(error) = archive.render_tile(*zoom, *x, *y, 16) {
                assert_eq!(error.tile(), Some((*zoom, *x, *y)));
                tile_errors += 1;
            }
        }
    }
    assert!(tile_errors > 0, "some cut copies open and fail per tile");
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn exercise(path: &Path) {
    let Ok(archive) = TileArchive::open(path) else {
        return;
    };
    for zoom in 0..3u8 {
        for x in 0..(1u32 << zoom) {
            for y in 0..(1u32 << zoom) {
                let _ = archive.read_tile(zoom, x, y);
                let _ = archive.render_tile(zoom, x, y, 32);
                let _ = archive.labels(zoom, x, y);
            }
        }
    }
}

#[test]
fn flipped_and_cut_bytes_never_panic() {
    let path = scratch("fuzz-source.pmtiles");
    let tiles = [
        (0, 0, 0, protomaps_tile()),
        (1, 0, 0, protomaps_tile()),
        (1, 1, 1, protomaps_tile()),
    ];
    let options = PmTilesOptions {
        leaf_entries: Some(1),
        gzip_internal: true,
        gzip_tiles: true,
    };
    write::pmtiles_with(
        &path,
        &tiles,
        TileFormat::Mvt,
        PROTOMAPS_METADATA,
        None,
        options,
    )
    .unwrap();
    let vector = std::fs::read(&path).unwrap();
    let mut uncompressed = plain();
    uncompressed.gzip_internal = false;
    let raster = raster_pmtiles(uncompressed);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let target = scratch("fuzz.pmtiles");
    for round in 0..400 {
        let mut bytes = if round % 2 == 0 {
            vector.clone()
        } else {
            raster.clone()
        };
        match round % 4 {
            0 | 1 => {
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(bytes.len());
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
            2 => bytes.truncate(rng.below(bytes.len())),
            _ => {
                // Flip inside the header and directories, where it hurts most.
                let at = rng.below(bytes.len().min(400));
                bytes[at] = rng.next() as u8;
            }
        }
        std::fs::write(&target, &bytes).unwrap();
        exercise(&target);
    }
}
