//! The decoder's errors.

use std::fmt;

/// Why the asset bytes could not be decoded. Every variant names the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The first four bytes are not `SMBM`.
    BadMagic,
    /// The format version is not one this decoder understands.
    UnsupportedVersion { found: u8 },
    /// The data ended while reading `what`.
    UnexpectedEnd { offset: usize, what: &'static str },
    /// A varint is longer than 64 bits.
    VarintOverflow { offset: usize },
    /// A declared length does not match the bytes that are there.
    LengthMismatch {
        offset: usize,
        what: &'static str,
        declared: u64,
        available: u64,
    },
    /// A count is larger than the remaining bytes could possibly hold.
    CountTooLarge {
        offset: usize,
        what: &'static str,
        count: u64,
    },
    /// A field holds a value outside its allowed set.
    InvalidValue {
        offset: usize,
        what: &'static str,
        value: u64,
    },
    /// A decoded coordinate lies outside -180..180 / -90..90 degrees.
    CoordinateOutOfRange { offset: usize },
    /// A name is not valid UTF-8.
    InvalidUtf8 { offset: usize },
    /// A layer or section appears twice.
    Duplicate { offset: usize, what: &'static str },
    /// A required layer or section is missing.
    Missing { what: &'static str },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadMagic => write!(f, "not a basemap asset (bad magic bytes at offset 0)"),
            Self::UnsupportedVersion { found } => {
                write!(f, "unsupported basemap format version {found} at offset 4")
            }
            Self::UnexpectedEnd { offset, what } => {
                write!(f, "data ends at byte {offset} while reading {what}")
            }
            Self::VarintOverflow { offset } => write!(f, "varint too long at byte {offset}"),
            Self::LengthMismatch {
                offset,
                what,
                declared,
                available,
            } => write!(
                f,
                "{what} at byte {offset} declares {declared} bytes but {available} are available"
            ),
            Self::CountTooLarge {
                offset,
                what,
                count,
            } => write!(
                f,
                "{what} at byte {offset} is {count}, more than the remaining data can hold"
            ),
            Self::InvalidValue {
                offset,
                what,
                value,
            } => write!(f, "invalid {what} {value} at byte {offset}"),
            Self::CoordinateOutOfRange { offset } => {
                write!(f, "coordinate out of range at byte {offset}")
            }
            Self::InvalidUtf8 { offset } => write!(f, "name is not UTF-8 at byte {offset}"),
            Self::Duplicate { offset, what } => write!(f, "duplicate {what} at byte {offset}"),
            Self::Missing { what } => write!(f, "the asset has no {what}"),
        }
    }
}

impl std::error::Error for DecodeError {}
