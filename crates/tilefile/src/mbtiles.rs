//! MBTiles 1.3: an SQLite database with a `tiles` table (or view) in TMS row order and a
//! `metadata` table of name/value pairs. Read-only connections are pooled so several threads
//! can read tiles at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, OptionalExtension, types::ValueRef};

use crate::error::{ErrorKind, TileFileError};
use crate::source::{gunzip, is_gzip};

/// Connections kept open for reuse; more are opened while more threads read at once.
const POOL_SIZE: usize = 4;

/// A stored tile larger than this is refused before it is read (SQLite gives its length
/// without reading it): a row of a gigabyte must not take the app's memory.
pub(crate) const MAX_TILE_BYTES: i64 = 64 << 20;
// [`TILE_COLUMNS`] spells it out for SQLite.
const _: () = assert!(MAX_TILE_BYTES == 67_108_864);

/// The columns that give a tile no larger than [`MAX_TILE_BYTES`] and its length: SQLite reads
/// a blob's length without its content, and the `CASE` leaves a larger one unread.
const TILE_COLUMNS: &str =
    "CASE WHEN length(tile_data) <= 67108864 THEN tile_data END, length(tile_data)";

/// The tile of a row ([`TILE_COLUMNS`]), refused past [`MAX_TILE_BYTES`].
fn tile_of_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Option<Vec<u8>>, i64>> {
    let length: Option<i64> = row.get(1)?;
    match length {
        Some(length) if length > MAX_TILE_BYTES => Ok(Err(length)),
        _ => Ok(Ok(row.get::<_, Option<Vec<u8>>>(0)?)),
    }
}

/// Why a stored tile of `length` bytes is not read.
fn too_large(length: i64) -> String {
    format!(
        "the tile has {} bytes, more than the {} MiB a tile may have; not read",
        crate::error::grouped(u64::try_from(length).unwrap_or_default()),
        MAX_TILE_BYTES >> 20
    )
}

#[derive(Debug)]
pub(crate) struct MbTiles {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
    /// The `metadata` table (later rows win).
    pub metadata: HashMap<String, String>,
    /// The first tile's bytes, for sniffing the format when the metadata does not say.
    pub first_tile: Option<Vec<u8>>,
    /// Lowest and highest `zoom_level` of the `tiles` table.
    pub zoom_range: Option<(u8, u8)>,
}

fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
}

impl MbTiles {
    pub fn open(path: &Path) -> Result<MbTiles, TileFileError> {
        let sqlite_error = |e: rusqlite::Error| {
            TileFileError::new(
                path,
                ErrorKind::NotMbTiles,
                format!("not a readable SQLite database: {e}"),
            )
        };
        let connection = open_connection(path).map_err(sqlite_error)?;
        let has = |name: &str| -> Result<bool, TileFileError> {
            connection
                .query_row(
                    "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1",
                    [name],
                    |_| Ok(()),
                )
                .optional()
                .map(|row| row.is_some())
                .map_err(sqlite_error)
        };
        for table in ["tiles", "metadata"] {
            if !has(table)? {
                return Err(TileFileError::new(
                    path,
                    ErrorKind::NotMbTiles,
                    format!("MBTiles has no `{table}` table"),
                ));
            }
        }
        let metadata = read_metadata(&connection).map_err(|e| {
            TileFileError::new(
                path,
                ErrorKind::NotMbTiles,
                format!("the `metadata` table: {e}"),
            )
        })?;
        let tiles_error = |e: rusqlite::Error| {
            TileFileError::new(
                path,
                ErrorKind::NotMbTiles,
                format!("the `tiles` table: {e}"),
            )
        };
        // Only for sniffing the format: a first tile too large to read is not sniffed.
        let first_tile = connection
            .query_row(
                &format!("SELECT {TILE_COLUMNS} FROM tiles LIMIT 1"),
                [],
                tile_of_row,
            )
            .optional()
            .map_err(tiles_error)?
            .and_then(Result::ok)
            .flatten();
        let zoom_range = connection
            .query_row(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                [],
                |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?)),
            )
            .map_err(tiles_error)?;
        let zoom_range = match zoom_range {
            (Some(min), Some(max)) => Some((clamp_zoom(min), clamp_zoom(max))),
            _ => None,
        };
        Ok(MbTiles {
            path: path.to_path_buf(),
            pool: Mutex::new(vec![connection]),
            metadata,
            first_tile,
            zoom_range,
        })
    }

    /// The tile's bytes (gzip inflated, as vector MBTiles store them). XYZ `y` is flipped to
    /// the TMS row here.
    pub fn read_tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, TileFileError> {
        if zoom > 31 || u64::from(x) >= 1u64 << zoom || u64::from(y) >= 1u64 << zoom {
            return Ok(None);
        }
        let tms_row = (1u64 << zoom) - 1 - u64::from(y);
        let error = |kind, message: String| {
            TileFileError::new(&self.path, kind, message).at_tile(zoom, x, y)
        };
        let connection = match self.pool.lock().ok().and_then(|mut pool| pool.pop()) {
            Some(connection) => connection,
            None => open_connection(&self.path).map_err(|e| {
                error(
                    ErrorKind::Unreadable,
                    format!("cannot open the database: {e}"),
                )
            })?,
        };
        let result = connection
            .prepare_cached(&format!(
                "SELECT {TILE_COLUMNS} FROM tiles \
                     WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3"
            ))
            .and_then(|mut statement| {
                statement
                    .query_row((zoom, x, tms_row as i64), tile_of_row)
                    .optional()
            });
        if let Ok(mut pool) = self.pool.lock()
            && pool.len() < POOL_SIZE
        {
            pool.push(connection);
        }
        let bytes = result
            .map_err(|e| error(ErrorKind::Corrupt, format!("the database: {e}")))?
            .transpose()
            .map_err(|length| error(ErrorKind::Corrupt, too_large(length)))?
            .flatten()
            .filter(|bytes| !bytes.is_empty());
        match bytes {
            Some(bytes) if is_gzip(&bytes) => gunzip(&bytes)
                .map(Some)
                .map_err(|message| error(ErrorKind::Corrupt, message)),
            other => Ok(other),
        }
    }
}

fn clamp_zoom(zoom: i64) -> u8 {
    zoom.clamp(0, 31) as u8
}

fn read_metadata(connection: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut statement = connection.prepare("SELECT name, value FROM metadata")?;
    let mut rows = statement.query([])?;
    let mut metadata = HashMap::new();
    while let Some(row) = rows.next()? {
        let (Some(name), Some(value)) = (text(row.get_ref(0)?), text(row.get_ref(1)?)) else {
            continue;
        };
        metadata.insert(name, value);
    }
    Ok(metadata)
}

/// A metadata cell as text, whatever type SQLite stored it as.
fn text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}
