//! The 127-byte PMTiles v3 header.

use crate::info::{LonLatBounds, TileFormat};

pub const HEADER_LEN: usize = 127;
pub const MAGIC: &[u8; 7] = b"PMTiles";

/// The spec's compression enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Unknown,
    None,
    Gzip,
    Brotli,
    Zstd,
    Other(u8),
}

impl Compression {
    pub fn from_byte(byte: u8) -> Compression {
        match byte {
            0 => Compression::Unknown,
            1 => Compression::None,
            2 => Compression::Gzip,
            3 => Compression::Brotli,
            4 => Compression::Zstd,
            other => Compression::Other(other),
        }
    }

    pub fn to_byte(self) -> u8 {
        match self {
            Compression::Unknown => 0,
            Compression::None => 1,
            Compression::Gzip => 2,
            Compression::Brotli => 3,
            Compression::Zstd => 4,
            Compression::Other(byte) => byte,
        }
    }

    pub fn name(self) -> String {
        match self {
            Compression::Unknown => "unknown".into(),
            Compression::None => "none".into(),
            Compression::Gzip => "gzip".into(),
            Compression::Brotli => "brotli".into(),
            Compression::Zstd => "zstd".into(),
            Compression::Other(byte) => format!("{byte} (not in the spec)"),
        }
    }
}

/// A tile type byte as this crate reads it.
pub fn tile_format_from_byte(byte: u8) -> Result<TileFormat, String> {
    match byte {
        1 => Ok(TileFormat::Mvt),
        2 => Ok(TileFormat::Png),
        3 => Ok(TileFormat::Jpeg),
        4 => Ok(TileFormat::Webp),
        0 => Err("tile type is unknown (0): cannot tell raster from vector".into()),
        5 => Err("tile type AVIF is not supported (PNG, JPEG, WebP and MVT are)".into()),
        6 => Err("tile type MapLibre Tile (MLT) is not supported (MVT is)".into()),
        other => Err(format!("tile type {other} is not in the PMTiles spec")),
    }
}

pub fn tile_format_to_byte(format: TileFormat) -> u8 {
    match format {
        TileFormat::Mvt => 1,
        TileFormat::Png => 2,
        TileFormat::Jpeg => 3,
        TileFormat::Webp => 4,
    }
}

/// A byte range of the file: `offset .. offset + length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub offset: u64,
    pub length: u64,
}

impl Section {
    /// The end, or `None` when it overflows.
    pub fn end(self) -> Option<u64> {
        self.offset.checked_add(self.length)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub version: u8,
    pub root: Section,
    pub metadata: Section,
    pub leaves: Section,
    pub tile_data: Section,
    pub addressed_tiles: u64,
    pub tile_entries: u64,
    pub tile_contents: u64,
    pub clustered: bool,
    pub internal_compression: Compression,
    pub tile_compression: Compression,
    pub tile_type: u8,
    pub min_zoom: u8,
    pub max_zoom: u8,
    pub bounds: LonLatBounds,
    pub center_zoom: u8,
    pub center_lon: f64,
    pub center_lat: f64,
}

fn u64_at(bytes: &[u8; HEADER_LEN], at: usize) -> u64 {
    let mut raw = [0u8; 8];
    raw.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(raw)
}

fn degrees_at(bytes: &[u8; HEADER_LEN], at: usize) -> f64 {
    let mut raw = [0u8; 4];
    raw.copy_from_slice(&bytes[at..at + 4]);
    f64::from(i32::from_le_bytes(raw)) / 10_000_000.0
}

fn section_at(bytes: &[u8; HEADER_LEN], at: usize) -> Section {
    Section {
        offset: u64_at(bytes, at),
        length: u64_at(bytes, at + 8),
    }
}

impl Header {
    /// Reads the fields; the caller has checked the magic and version.
    pub fn parse(bytes: &[u8; HEADER_LEN]) -> Header {
        Header {
            version: bytes[7],
            root: section_at(bytes, 8),
            metadata: section_at(bytes, 24),
            leaves: section_at(bytes, 40),
            tile_data: section_at(bytes, 56),
            addressed_tiles: u64_at(bytes, 72),
            tile_entries: u64_at(bytes, 80),
            tile_contents: u64_at(bytes, 88),
            clustered: bytes[96] == 1,
            internal_compression: Compression::from_byte(bytes[97]),
            tile_compression: Compression::from_byte(bytes[98]),
            tile_type: bytes[99],
            min_zoom: bytes[100],
            max_zoom: bytes[101],
            bounds: LonLatBounds {
                west: degrees_at(bytes, 102),
                south: degrees_at(bytes, 106),
                east: degrees_at(bytes, 110),
                north: degrees_at(bytes, 114),
            },
            center_zoom: bytes[118],
            center_lon: degrees_at(bytes, 119),
            center_lat: degrees_at(bytes, 123),
        }
    }

    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..7].copy_from_slice(MAGIC);
        out[7] = self.version;
        let mut put_u64 =
            |at: usize, value: u64| out[at..at + 8].copy_from_slice(&value.to_le_bytes());
        for (at, section) in [
            (8, self.root),
            (24, self.metadata),
            (40, self.leaves),
            (56, self.tile_data),
        ] {
            put_u64(at, section.offset);
            put_u64(at + 8, section.length);
        }
        put_u64(72, self.addressed_tiles);
        put_u64(80, self.tile_entries);
        put_u64(88, self.tile_contents);
        out[96] = u8::from(self.clustered);
        out[97] = self.internal_compression.to_byte();
        out[98] = self.tile_compression.to_byte();
        out[99] = self.tile_type;
        out[100] = self.min_zoom;
        out[101] = self.max_zoom;
        let e7 = |degrees: f64| ((degrees * 10_000_000.0).round() as i32).to_le_bytes();
        for (at, degrees) in [
            (102, self.bounds.west),
            (106, self.bounds.south),
            (110, self.bounds.east),
            (114, self.bounds.north),
            (119, self.center_lon),
            (123, self.center_lat),
        ] {
            out[at..at + 4].copy_from_slice(&e7(degrees));
        }
        out[118] = self.center_zoom;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips() {
        let header = Header {
            version: 3,
            root: Section {
                offset: 127,
                length: 20,
            },
            metadata: Section {
                offset: 147,
                length: 30,
            },
            leaves: Section {
                offset: 177,
                length: 0,
            },
            tile_data: Section {
                offset: 177,
                length: 1000,
            },
            addressed_tiles: 5,
            tile_entries: 4,
            tile_contents: 3,
            clustered: true,
            internal_compression: Compression::Gzip,
            tile_compression: Compression::None,
            tile_type: 2,
            min_zoom: 0,
            max_zoom: 14,
            bounds: LonLatBounds {
                west: -10.5,
                south: 20.25,
                east: 30.0,
                north: 60.125,
            },
            center_zoom: 5,
            center_lon: 10.0,
            center_lat: 40.0,
        };
        assert_eq!(Header::parse(&header.to_bytes()), header);
        assert_eq!(&header.to_bytes()[..7], b"PMTiles");
    }
}
