//! The one error type of the crate: which file, which tile (if any), what is wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, for tests and for the app to choose a message style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file does not exist.
    NotFound,
    /// The file exists but cannot be opened or read (permissions, a directory, an I/O error).
    Unreadable,
    /// The file has no bytes.
    Empty,
    /// Neither PMTiles nor an SQLite database.
    NotATileFile,
    /// A section, directory or tile lies (partly) beyond the end of the file.
    Truncated,
    /// A PMTiles version other than 3.
    UnsupportedVersion,
    /// Brotli, zstd or an unknown compression.
    UnsupportedCompression,
    /// A tile type this crate cannot show (AVIF, unknown).
    UnsupportedTileType,
    /// Bytes that do not decode: directories, metadata, gzip, images, vector tiles.
    Corrupt,
    /// An SQLite database that is not MBTiles (no `tiles` or `metadata` table), or a broken one.
    NotMbTiles,
}

/// An error that names the file, the tile where there is one, and what is wrong.
///
/// Display: `"/maps/region.pmtiles: truncated: the root directory ends at byte 16 384 but
/// the file has 9 000 bytes"`, or with a tile: `"/maps/region.pmtiles: tile 7/87/52: bad
/// gzip data: …"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileFileError {
    path: PathBuf,
    kind: ErrorKind,
    tile: Option<(u8, u32, u32)>,
    message: String,
}

impl TileFileError {
    pub(crate) fn new(path: &Path, kind: ErrorKind, message: impl Into<String>) -> Self {
        TileFileError {
            path: path.to_path_buf(),
            kind,
            tile: None,
            message: message.into(),
        }
    }

    /// The same error, about tile `zoom`/`x`/`y` (XYZ).
    pub(crate) fn at_tile(mut self, zoom: u8, x: u32, y: u32) -> Self {
        self.tile = Some((zoom, x, y));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The XYZ tile the error is about, if it is about one.
    pub fn tile(&self) -> Option<(u8, u32, u32)> {
        self.tile
    }

    /// What is wrong, without the file name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path.display())?;
        if let Some((zoom, x, y)) = self.tile {
            write!(f, "tile {zoom}/{x}/{y}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for TileFileError {}

/// `16384` → `"16 384"`: byte counts in messages, grouped for reading.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

/// `[0x50, 0x4B]` → `"50 4B"`.
pub(crate) fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(9000), "9 000");
        assert_eq!(grouped(16384), "16 384");
        assert_eq!(grouped(1_234_567), "1 234 567");
    }

    #[test]
    fn display_names_file_and_tile() {
        let error = TileFileError::new(Path::new("/x/y.pmtiles"), ErrorKind::Corrupt, "bad gzip")
            .at_tile(3, 1, 2);
        assert_eq!(error.to_string(), "/x/y.pmtiles: tile 3/1/2: bad gzip");
        assert_eq!(hex_bytes(&[0x50, 0x4B, 3, 4]), "50 4B 03 04");
    }
}
