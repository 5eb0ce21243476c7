//! Basemap files made to be hostile, made here: devices, a named pipe, a folder, gzip bombs in a
//! PMTiles and an MBTiles, a PMTiles whose header claims terabytes of directories, and an
//! MBTiles row larger than a tile may be. Each is refused at once with a message that says what
//! it is; nothing is read without end.

#![allow(clippy::unwrap_used)]

mod common;

use common::{png, scratch};
use strikemap_core::text::thousands;
use strikemap_tilefile::write::{self, PmTilesOptions};
use strikemap_tilefile::{ErrorKind, TileArchive, TileFormat};

fn open_message(path: &std::path::Path) -> (ErrorKind, String) {
    let error = TileArchive::open(path).unwrap_err();
    (error.kind(), error.to_string())
}

#[test]
fn devices_pipes_and_folders_are_not_opened_as_basemaps() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let (kind, message) = open_message(std::path::Path::new(device));
        assert_eq!(kind, ErrorKind::Unreadable);
        assert_eq!(message, format!("{device}: it is a device, not a file"));
    }
    let fifo = scratch("pipe.pmtiles");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    assert!(
        open_message(&fifo)
            .1
            .ends_with("it is a named pipe (FIFO), not a file")
    );
    let folder = scratch("folder.mbtiles");
    std::fs::create_dir_all(&folder).unwrap();
    assert!(
        open_message(&folder)
            .1
            .ends_with("it is a folder, not a file")
    );
    let (kind, _) = open_message(&scratch("not-there.pmtiles"));
    assert_eq!(kind, ErrorKind::NotFound);
}

/// 64 MiB of zeros gzipped to a few hundred KiB: refused while inflating, past 200:1.
fn zeros() -> Vec<u8> {
    vec![0; 64 << 20]
}

#[test]
fn a_gzip_bomb_tile_in_a_pmtiles_is_refused() {
    let path = scratch("bomb.pmtiles");
    let options = PmTilesOptions {
        leaf_entries: None,
        gzip_internal: true,
        gzip_tiles: true,
    };
    let tiles = [(0, 0, 0, zeros()), (1, 0, 0, png([1, 2, 3, 255], 8))];
    write::pmtiles_with(&path, &tiles, TileFormat::Png, "{}", None, options).unwrap();
    let archive = TileArchive::open(&path).unwrap();
    let error = archive.read_tile(0, 0, 0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt);
    assert!(
        error
            .message()
            .starts_with("gzip data inflates to more than")
            && error.message().contains("past the 200:1 allowed"),
        "{error}"
    );
    // The harmless tile beside it still reads.
    assert!(archive.read_tile(1, 0, 0).unwrap().is_some());
}

#[test]
fn a_gzip_bomb_tile_in_an_mbtiles_is_refused() {
    let path = scratch("bomb.mbtiles");
    let tiles = [(0, 0, 0, zeros())];
    write::mbtiles(&path, &tiles, TileFormat::Mvt, &[("name", "bomb")]).unwrap();
    let archive = TileArchive::open(&path).unwrap();
    let error = archive.read_tile(0, 0, 0).unwrap_err();
    assert!(
        error.message().contains("past the 200:1 allowed"),
        "{error}"
    );
}

/// A PMTiles of one small PNG tile, gzipped directories: its path and bytes.
fn one_tile_pmtiles(name: &str) -> (std::path::PathBuf, Vec<u8>) {
    let path = scratch(name);
    let tiles = [(0, 0, 0, png([1, 2, 3, 255], 8))];
    let options = PmTilesOptions {
        leaf_entries: None,
        gzip_internal: true,
        gzip_tiles: false,
    };
    write::pmtiles_with(&path, &tiles, TileFormat::Png, "{}", None, options).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

/// The root directory (internal gzip) replaced by 64 MiB of zeros gzipped, put at the end of
/// the file and named in the header (bytes 8..24): refused while inflating, at open.
#[test]
fn a_gzip_bomb_root_directory_is_refused_at_open() {
    let (path, mut bytes) = one_tile_pmtiles("directory-bomb.pmtiles");
    let bomb = write::gzip(&zeros());
    let end = bytes.len() as u64;
    bytes[8..16].copy_from_slice(&end.to_le_bytes());
    bytes[16..24].copy_from_slice(&(bomb.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&bomb);
    std::fs::write(&path, &bytes).unwrap();
    let (kind, message) = open_message(&path);
    assert_eq!(kind, ErrorKind::Corrupt, "{message}");
    assert!(
        message.contains("the root directory: gzip data inflates to more than")
            && message.contains(&format!("from {} bytes compressed", thousands(bomb.len()))),
        "{message}"
    );
}

/// The root directory's length (header bytes 16..24) claims a terabyte.
#[test]
fn a_pmtiles_header_claiming_terabytes_of_directory_is_refused() {
    let (path, mut bytes) = one_tile_pmtiles("small.pmtiles");
    bytes[16..24].copy_from_slice(&(1_u64 << 40).to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let (kind, message) = open_message(&path);
    assert_eq!(kind, ErrorKind::Truncated, "{message}");
    assert!(
        message.contains("the root directory ends at byte 1 099 511 627"),
        "{message}"
    );

    // The file made as large as the claim (sparse: nothing is written), so the claim fits:
    // the directory is still refused before it is read.
    let sparse = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    sparse.set_len((1_u64 << 40) + 4096).unwrap();
    let (kind, message) = open_message(&path);
    assert_eq!(kind, ErrorKind::Corrupt, "{message}");
    assert!(
        message.contains("1 099 511 627 776 bytes is too large"),
        "{message}"
    );
    std::fs::remove_file(&path).unwrap();
}

/// A stored tile of 64 MiB and a byte (SQLite's `zeroblob`, so the test writes it quickly) is
/// refused on its length, before it is read. (SQLite caps a value at 1 GB; a 2 GB row cannot
/// be stored, and a 1 GB one would cost the test a gigabyte of disk.)
#[test]
fn an_mbtiles_row_larger_than_a_tile_may_be_is_refused_unread() {
    let path = scratch("huge-row.mbtiles");
    let tiles = [(1, 0, 0, png([1, 2, 3, 255], 8))];
    write::mbtiles(&path, &tiles, TileFormat::Png, &[("name", "huge")]).unwrap();
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute(
            "INSERT INTO tiles VALUES (1, 1, 1, zeroblob(?1))",
            [(64_i64 << 20) + 1],
        )
        .unwrap();
    drop(connection);
    let archive = TileArchive::open(&path).unwrap();
    // XYZ 1/1/0 is TMS row 1.
    let error = archive.read_tile(1, 1, 0).unwrap_err();
    assert_eq!(
        error.message(),
        "the tile has 67 108 865 bytes, more than the 64 MiB a tile may have; not read"
    );
    assert!(archive.read_tile(1, 0, 0).unwrap().is_some());
    std::fs::remove_file(&path).unwrap();
}
