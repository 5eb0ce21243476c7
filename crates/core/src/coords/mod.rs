//! Positions typed by hand: decimal degrees, degrees-minutes-seconds and MGRS grid references,
//! read into a [`LonLat`]; and a position written back as an MGRS grid reference.
//!
//! | form | examples |
//! |---|---|
//! | decimal degrees, latitude first | `27.371, 62.333` · `27.371 62.333` · `-33.87, 151.21` |
//! | decimal degrees with hemispheres, either order | `27.371N 62.333E` · `N27.371 E62.333` · `62.333E 27.371N` |
//! | degrees, minutes, seconds | `27°22'16"N 62°19'59"E` · `27d22m16s N 62d19m59s E` · `27 22 16 N 62 19 59 E` · `27°22.27′N, 62°19.98′E` |
//! | MGRS (1 to 5 digit pairs; spaces optional) | `41R PQ 12345 67890` · `41RPQ1234567890` · `41R PQ 123 678` |
//!
//! Without hemisphere letters the first number is the latitude (as in `--center LAT,LON`). A
//! minus sign and `S`/`W` are the same thing; both at once is an error. MGRS is read by the
//! `geoconvert` crate (a Rust port of GeographicLib's MGRS, UTM and UPS code); a reference names a
//! square, and the position read is the square's centre.

mod degrees;
mod mgrs;

pub use mgrs::format_mgrs;

use crate::model::LonLat;

/// Why a typed position could not be read: the message names what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PositionError {
    pub message: String,
}

impl PositionError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Reads a position typed as decimal degrees, degrees-minutes-seconds or an MGRS grid reference
/// (see the module's table). The result is finite and within -180..180 / -90..90.
pub fn parse_position(text: &str) -> Result<LonLat, PositionError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(PositionError::new("no position given"));
    }
    if mgrs::looks_like_mgrs(trimmed) {
        return mgrs::parse_mgrs(trimmed);
    }
    degrees::parse_degrees(trimmed)
}

/// The position as `27.37100° N, 62.33300° E` (five decimals: about 1 m).
pub fn format_decimal(position: LonLat) -> String {
    let (lat_letter, lon_letter) = (
        if position.lat < 0.0 { 'S' } else { 'N' },
        if position.lon < 0.0 { 'W' } else { 'E' },
    );
    format!(
        "{:.5}° {lat_letter}, {:.5}° {lon_letter}",
        position.lat.abs(),
        position.lon.abs()
    )
}

/// The position as degrees, minutes and seconds to a tenth of a second:
/// `27°22'15.6"N 62°19'58.8"E`.
pub fn format_dms(position: LonLat) -> String {
    fn part(value: f64, positive: char, negative: char) -> String {
        let letter = if value < 0.0 { negative } else { positive };
        let tenths = (value.abs() * 36_000.0).round() as u64;
        let (degrees, rest) = (tenths / 36_000, tenths % 36_000);
        let (minutes, tenths_of_seconds) = (rest / 600, rest % 600);
        format!(
            "{degrees}°{minutes:02}'{:02}.{}\"{letter}",
            tenths_of_seconds / 10,
            tenths_of_seconds % 10
        )
    }
    format!(
        "{} {}",
        part(position.lat, 'N', 'S'),
        part(position.lon, 'E', 'W')
    )
}

#[cfg(test)]
mod tests;
