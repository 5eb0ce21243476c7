//! PMTiles v3 archives: the header and root directory are read and checked at open; leaf
//! directories are read on demand and kept in a small cache; tiles are read with positional
//! reads of the one open file.

pub mod directory;
pub mod header;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{ErrorKind, TileFileError, grouped};
use crate::info::TileFormat;
use crate::source::{FileSource, gunzip, unbrotli};
use directory::Entry;
use header::{Compression, HEADER_LEN, Header, Section};

/// Leaf directories kept decoded (a planet file has thousands; a view needs a few).
const LEAF_CACHE_ENTRIES: usize = 64;
/// Leaf directories deeper than this are refused (the spec's writers use one level).
const MAX_LEAF_DEPTH: usize = 4;
/// A directory or metadata section larger than this is refused before it is read.
const MAX_SECTION_BYTES: u64 = 64 << 20;

#[derive(Debug)]
pub(crate) struct PmTiles {
    path: PathBuf,
    source: FileSource,
    pub header: Header,
    pub tile_format: TileFormat,
    /// The JSON metadata (an empty object when the section is empty).
    pub metadata: serde_json::Value,
    root: Vec<Entry>,
    leaves: Mutex<HashMap<u64, Arc<Vec<Entry>>>>,
}

impl PmTiles {
    /// Checks everything that can be checked without reading every directory: version,
    /// compression, tile type, that each section lies inside the file, that the root directory
    /// and the metadata decode, and that the root's entries point inside their sections.
    pub fn open(path: &Path, source: FileSource, file_len: u64) -> Result<PmTiles, TileFileError> {
        let error = |kind, message: String| TileFileError::new(path, kind, message);
        let first = source
            .read_at(0, file_len.min(HEADER_LEN as u64))
            .map_err(|e| {
                error(
                    ErrorKind::Unreadable,
                    format!("cannot read the header: {e}"),
                )
            })?;
        if first.get(7).is_some_and(|&version| version != 3) {
            return Err(error(
                ErrorKind::UnsupportedVersion,
                format!(
                    "PMTiles version {} is not supported (version 3 is)",
                    first[7]
                ),
            ));
        }
        let Ok(bytes) = <[u8; HEADER_LEN]>::try_from(first.as_slice()) else {
            return Err(error(
                ErrorKind::Truncated,
                format!(
                    "truncated: the header needs {HEADER_LEN} bytes but the file has {}",
                    grouped(file_len)
                ),
            ));
        };
        let header = Header::parse(&bytes);
        for (name, compression) in [
            ("internal", header.internal_compression),
            ("tile", header.tile_compression),
        ] {
            if !matches!(
                compression,
                Compression::None | Compression::Gzip | Compression::Brotli
            ) {
                return Err(error(
                    ErrorKind::UnsupportedCompression,
                    format!(
                        "{name} compression {} is not supported (none, gzip and brotli are)",
                        compression.name()
                    ),
                ));
            }
        }
        let tile_format = header::tile_format_from_byte(header.tile_type)
            .map_err(|message| error(ErrorKind::UnsupportedTileType, message))?;
        if header.min_zoom > header.max_zoom || header.max_zoom > directory::MAX_ZOOM {
            return Err(error(
                ErrorKind::Corrupt,
                format!(
                    "bad zoom range {}..{} in the header",
                    header.min_zoom, header.max_zoom
                ),
            ));
        }
        for (name, section) in [
            ("root directory", header.root),
            ("metadata", header.metadata),
            ("leaf directories", header.leaves),
            ("tile data", header.tile_data),
        ] {
            check_section(path, name, section, file_len)?;
        }
        if header.root.length == 0 {
            return Err(error(
                ErrorKind::Corrupt,
                "the root directory is empty".into(),
            ));
        }
        let mut archive = PmTiles {
            path: path.to_path_buf(),
            source,
            tile_format,
            metadata: serde_json::Value::Object(Default::default()),
            root: Vec::new(),
            leaves: Mutex::new(HashMap::new()),
            header,
        };
        archive.root = archive
            .read_directory(archive.header.root)
            .map_err(|message| {
                error(ErrorKind::Corrupt, format!("the root directory: {message}"))
            })?;
        archive.check_entries(&archive.root).map_err(|message| {
            error(ErrorKind::Corrupt, format!("the root directory: {message}"))
        })?;
        archive.metadata = archive.read_metadata()?;
        Ok(archive)
    }

    fn read_metadata(&self) -> Result<serde_json::Value, TileFileError> {
        let error = |message: String| TileFileError::new(&self.path, ErrorKind::Corrupt, message);
        if self.header.metadata.length == 0 {
            return Ok(serde_json::Value::Object(Default::default()));
        }
        let bytes = self
            .read_section(self.header.metadata)
            .map_err(|message| error(format!("the metadata: {message}")))?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| error(format!("the metadata is not JSON: {e}")))?;
        if !value.is_object() {
            return Err(error("the metadata is not a JSON object".into()));
        }
        Ok(value)
    }

    /// Reads and inflates (internal compression) a section.
    fn read_section(&self, section: Section) -> Result<Vec<u8>, String> {
        if section.length > MAX_SECTION_BYTES {
            return Err(format!("{} bytes is too large", grouped(section.length)));
        }
        let raw = self
            .source
            .read_at(section.offset, section.length)
            .map_err(|e| read_error_message(section, &e))?;
        decompress(self.header.internal_compression, raw)
    }

    fn read_directory(&self, section: Section) -> Result<Vec<Entry>, String> {
        directory::decode(&self.read_section(section)?)
    }

    /// Each entry must point inside its section: tiles inside the tile data, leaves inside the
    /// leaf directories.
    fn check_entries(&self, entries: &[Entry]) -> Result<(), String> {
        for entry in entries {
            let (name, section) = if entry.run_length == 0 {
                ("leaf directory", self.header.leaves)
            } else {
                ("tile", self.header.tile_data)
            };
            let end = entry.offset.checked_add(u64::from(entry.length));
            if end.is_none_or(|end| end > section.length) {
                return Err(format!(
                    "the {name} of tile id {} ends at byte {} of a {}-byte section",
                    entry.tile_id,
                    grouped(end.unwrap_or(u64::MAX)),
                    grouped(section.length)
                ));
            }
        }
        Ok(())
    }

    fn leaf(&self, entry: Entry) -> Result<Arc<Vec<Entry>>, String> {
        let offset = self.header.leaves.offset + entry.offset;
        if let Ok(cache) = self.leaves.lock()
            && let Some(leaf) = cache.get(&offset)
        {
            return Ok(Arc::clone(leaf));
        }
        let section = Section {
            offset,
            length: u64::from(entry.length),
        };
        let leaf = self.read_directory(section).map_err(|message| {
            format!("the leaf directory at byte {}: {message}", grouped(offset))
        })?;
        self.check_entries(&leaf)?;
        let leaf = Arc::new(leaf);
        if let Ok(mut cache) = self.leaves.lock() {
            if cache.len() >= LEAF_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(offset, Arc::clone(&leaf));
        }
        Ok(leaf)
    }

    /// The tile's bytes, inflated (tile compression). `Ok(None)` where the archive has none.
    pub fn read_tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, TileFileError> {
        let error = |message: String| {
            TileFileError::new(&self.path, ErrorKind::Corrupt, message).at_tile(zoom, x, y)
        };
        let Some(tile_id) = directory::tile_id(zoom, x, y) else {
            return Ok(None);
        };
        let mut found = directory::find(&self.root, tile_id);
        let mut depth = 0;
        while let Some(entry) = found.filter(|entry| entry.run_length == 0) {
            depth += 1;
            if depth > MAX_LEAF_DEPTH {
                return Err(error(format!(
                    "leaf directories nest deeper than {MAX_LEAF_DEPTH} levels"
                )));
            }
            let leaf = self.leaf(entry).map_err(&error)?;
            found = directory::find(&leaf, tile_id);
        }
        let Some(entry) = found else {
            return Ok(None);
        };
        let section = Section {
            offset: self.header.tile_data.offset + entry.offset,
            length: u64::from(entry.length),
        };
        let raw = self
            .source
            .read_at(section.offset, section.length)
            .map_err(|e| {
                let kind = if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    ErrorKind::Truncated
                } else {
                    ErrorKind::Unreadable
                };
                TileFileError::new(&self.path, kind, read_error_message(section, &e))
                    .at_tile(zoom, x, y)
            })?;
        decompress(self.header.tile_compression, raw)
            .map(Some)
            .map_err(error)
    }
}

/// Undoes a section's or tile's compression (checked at open to be none, gzip or brotli).
fn decompress(compression: Compression, raw: Vec<u8>) -> Result<Vec<u8>, String> {
    match compression {
        Compression::Gzip => gunzip(&raw),
        Compression::Brotli => unbrotli(&raw),
        _ => Ok(raw),
    }
}

fn check_section(
    path: &Path,
    name: &str,
    section: Section,
    file_len: u64,
) -> Result<(), TileFileError> {
    let end = section.end();
    if section.length > 0 && (section.offset < HEADER_LEN as u64 || end.is_none()) {
        return Err(TileFileError::new(
            path,
            ErrorKind::Corrupt,
            format!(
                "the {name} section (offset {}, length {}) is impossible",
                grouped(section.offset),
                grouped(section.length)
            ),
        ));
    }
    match end {
        Some(end) if end > file_len => Err(TileFileError::new(
            path,
            ErrorKind::Truncated,
            format!(
                "truncated: the {name} ends at byte {} but the file has {} bytes",
                grouped(end),
                grouped(file_len)
            ),
        )),
        _ => Ok(()),
    }
}

fn read_error_message(section: Section, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::UnexpectedEof {
        format!(
            "truncated: bytes {}..{} lie beyond the end of the file",
            grouped(section.offset),
            grouped(section.end().unwrap_or(u64::MAX))
        )
    } else {
        format!("cannot read bytes at {}: {error}", grouped(section.offset))
    }
}
