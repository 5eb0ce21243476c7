//! Small writers of PMTiles, MBTiles and vector tiles, **for tests and tools**: they keep
//! everything in memory and favour clarity over speed. The app's tests use them to make
//! basemap files on the fly.

mod mvt;

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

pub use crate::mvt::decode::Value as MvtValue;
pub use mvt::{MvtFeature, MvtGeometry, MvtLayer, mvt_tile};

use crate::info::{LonLatBounds, TileFormat};
use crate::pmtiles::directory::{self, Entry};
use crate::pmtiles::header::{self, Compression, HEADER_LEN, Header, Section};

/// One tile to write: XYZ zoom, x, y and the bytes (uncompressed).
pub type TileData = (u8, u32, u32, Vec<u8>);

/// How [`pmtiles_with`] lays out the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PmTilesOptions {
    /// Put at most this many entries in each leaf directory (and only leaf pointers in the
    /// root); `None` puts every entry in the root.
    pub leaf_entries: Option<usize>,
    /// Gzip the directories and metadata (internal compression).
    pub gzip_internal: bool,
    /// Gzip each tile (tile compression), as vector archives usually do.
    pub gzip_tiles: bool,
}

impl PmTilesOptions {
    /// Gzip directories; gzip tiles for vector formats only; no leaves.
    pub fn for_format(format: TileFormat) -> Self {
        PmTilesOptions {
            leaf_entries: None,
            gzip_internal: true,
            gzip_tiles: format.is_vector(),
        }
    }
}

/// Brotli without compression: the bytes in stored meta-blocks of at most 64 KiB (enough to
/// test brotli reading; there is no brotli compressor among the dependencies).
pub fn brotli_stored(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Bit 0 of the first header is WBITS = 16 (a single 0 bit); bits go in LSB first.
    let mut first = true;
    for chunk in bytes.chunks(1 << 16) {
        // ISLAST 0, MNIBBLES 0 (four nibbles), MLEN - 1 (16 bits), ISUNCOMPRESSED 1.
        let header: u32 = ((chunk.len() as u32 - 1) << 3) | (1 << 19);
        let header = if first { header << 1 } else { header };
        let bits: u32 = if first { 21 } else { 20 };
        first = false;
        for byte in 0..bits.div_ceil(8) {
            out.push((header >> (8 * byte)) as u8);
        }
        out.extend_from_slice(chunk);
    }
    // The last meta-block: ISLAST 1, ISLASTEMPTY 1 (after WBITS when nothing came before).
    out.push(if first { 0b110 } else { 0b11 });
    out
}

/// Gzips bytes (fast level).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Writes a PMTiles v3 archive with the default layout ([`PmTilesOptions::for_format`]).
/// `metadata_json` is the JSON metadata object (`"{}"` for none); `bounds` go into the header
/// (the whole world when `None`).
pub fn pmtiles(
    path: &Path,
    tiles: &[TileData],
    tile_format: TileFormat,
    metadata_json: &str,
    bounds: Option<LonLatBounds>,
) -> io::Result<()> {
    let options = PmTilesOptions::for_format(tile_format);
    pmtiles_with(path, tiles, tile_format, metadata_json, bounds, options)
}

/// Writes a PMTiles v3 archive. Consecutive tile ids with identical bytes become one entry
/// with a run length; identical bytes elsewhere share one copy in the data section.
pub fn pmtiles_with(
    path: &Path,
    tiles: &[TileData],
    tile_format: TileFormat,
    metadata_json: &str,
    bounds: Option<LonLatBounds>,
    options: PmTilesOptions,
) -> io::Result<()> {
    let mut by_id = Vec::with_capacity(tiles.len());
    for (zoom, x, y, bytes) in tiles {
        let id = directory::tile_id(*zoom, *x, *y)
            .ok_or_else(|| invalid(format!("no tile {zoom}/{x}/{y}")))?;
        by_id.push((id, *zoom, bytes));
    }
    by_id.sort_by_key(|(id, _, _)| *id);
    if by_id.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return Err(invalid("the same tile is given twice".into()));
    }
    let compress = |bytes: &[u8], on: bool| if on { gzip(bytes) } else { bytes.to_vec() };
    let mut data = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut stored: HashMap<&[u8], (u64, u32)> = HashMap::new();
    let mut previous: Option<&[u8]> = None;
    for &(id, _, bytes) in &by_id {
        if let Some(last) = entries.last_mut()
            && previous == Some(bytes.as_slice())
            && last.tile_id + u64::from(last.run_length) == id
        {
            last.run_length += 1;
            continue;
        }
        let (offset, length) = match stored.get(bytes.as_slice()) {
            Some(&place) => place,
            None => {
                let blob = compress(bytes, options.gzip_tiles);
                let place = (data.len() as u64, blob.len() as u32);
                data.extend_from_slice(&blob);
                stored.insert(bytes, place);
                place
            }
        };
        entries.push(Entry {
            tile_id: id,
            offset,
            length,
            run_length: 1,
        });
        previous = Some(bytes);
    }
    let internal = |bytes: Vec<u8>| compress(&bytes, options.gzip_internal);
    let mut leaves = Vec::new();
    let root_entries = match options.leaf_entries {
        Some(per_leaf) if !entries.is_empty() => {
            let mut root = Vec::new();
            for chunk in entries.chunks(per_leaf.max(1)) {
                let encoded = internal(directory::encode(chunk));
                root.push(Entry {
                    tile_id: chunk[0].tile_id,
                    offset: leaves.len() as u64,
                    length: encoded.len() as u32,
                    run_length: 0,
                });
                leaves.extend_from_slice(&encoded);
            }
            root
        }
        _ => entries.clone(),
    };
    let root = internal(directory::encode(&root_entries));
    let metadata = internal(metadata_json.as_bytes().to_vec());
    let section = |offset: usize, bytes: &[u8]| Section {
        offset: offset as u64,
        length: bytes.len() as u64,
    };
    let root_section = section(HEADER_LEN, &root);
    let metadata_section = section(HEADER_LEN + root.len(), &metadata);
    let leaves_section = section(HEADER_LEN + root.len() + metadata.len(), &leaves);
    let data_section = section(
        HEADER_LEN + root.len() + metadata.len() + leaves.len(),
        &data,
    );
    let zooms = by_id.iter().map(|&(_, zoom, _)| zoom);
    let (min_zoom, max_zoom) = (zooms.clone().min().unwrap_or(0), zooms.max().unwrap_or(0));
    let bounds = bounds.unwrap_or(LonLatBounds {
        west: -180.0,
        south: -85.051_128_8,
        east: 180.0,
        north: 85.051_128_8,
    });
    let gzip_or_none = |on: bool| {
        if on {
            Compression::Gzip
        } else {
            Compression::None
        }
    };
    let header = Header {
        version: 3,
        root: root_section,
        metadata: metadata_section,
        leaves: leaves_section,
        tile_data: data_section,
        addressed_tiles: by_id.len() as u64,
        tile_entries: entries.len() as u64,
        tile_contents: stored.len() as u64,
        clustered: true,
        internal_compression: gzip_or_none(options.gzip_internal),
        tile_compression: gzip_or_none(options.gzip_tiles),
        tile_type: header::tile_format_to_byte(tile_format),
        min_zoom,
        max_zoom,
        bounds,
        center_zoom: min_zoom,
        center_lon: (bounds.west + bounds.east) / 2.0,
        center_lat: (bounds.south + bounds.north) / 2.0,
    };
    let mut file = Vec::with_capacity(data_section.offset as usize + data.len());
    file.extend_from_slice(&header.to_bytes());
    for part in [&root, &metadata, &leaves, &data] {
        file.extend_from_slice(part);
    }
    std::fs::write(path, file)
}

/// Writes an MBTiles 1.3 file (replacing any file at `path`): tiles given in XYZ are stored in
/// TMS rows; vector tiles are gzipped. `metadata` pairs go into the `metadata` table as given,
/// plus `format` when they do not name one.
pub fn mbtiles(
    path: &Path,
    tiles: &[TileData],
    format: TileFormat,
    metadata: &[(&str, &str)],
) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    write_mbtiles(path, tiles, format, metadata).map_err(io::Error::other)
}

fn write_mbtiles(
    path: &Path,
    tiles: &[TileData],
    format: TileFormat,
    metadata: &[(&str, &str)],
) -> rusqlite::Result<()> {
    let mut connection = rusqlite::Connection::open(path)?;
    connection.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
    )?;
    let transaction = connection.transaction()?;
    for (name, value) in metadata {
        transaction.execute(
            "INSERT INTO metadata (name, value) VALUES (?1, ?2)",
            (name, value),
        )?;
    }
    if !metadata.iter().any(|(name, _)| *name == "format") {
        transaction.execute(
            "INSERT INTO metadata (name, value) VALUES ('format', ?1)",
            [format.mbtiles_name()],
        )?;
    }
    for (zoom, x, y, bytes) in tiles {
        let tms_row = (1i64 << zoom) - 1 - i64::from(*y);
        let blob = if format.is_vector() {
            gzip(bytes)
        } else {
            bytes.clone()
        };
        transaction.execute(
            "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?1, ?2, ?3, ?4)",
            (zoom, x, tms_row, blob),
        )?;
    }
    transaction.commit()
}
