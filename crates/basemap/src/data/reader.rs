//! The bounds-checked cursor over the asset bytes and the coordinate encoding.

use super::error::DecodeError;
use super::world::WorldPoint;
use crate::tile_math::{lat_to_world_y, lon_to_world_x};

const COORDINATE_UNITS_PER_DEGREE: f64 = 100_000.0;

const MAX_LON_UNITS: i64 = 180 * 100_000;

const MAX_LAT_UNITS: i64 = 90 * 100_000;

pub(super) const NO_MIN_ZOOM: u8 = 255;

/// Largest quantisation step: one degree.
const MAX_UNIT: u64 = 100_000;

/// Bounds-checked cursor over the asset bytes.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pub(super) offset: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8], offset: usize) -> Self {
        Reader { bytes, offset }
    }

    pub(super) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.offset)
    }

    pub(super) fn is_at_end(&self) -> bool {
        self.remaining() == 0
    }

    pub(super) fn take(
        &mut self,
        count: usize,
        what: &'static str,
    ) -> Result<&'a [u8], DecodeError> {
        let end = self
            .offset
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(DecodeError::UnexpectedEnd {
                offset: self.offset,
                what,
            })?;
        let slice = self
            .bytes
            .get(self.offset..end)
            .ok_or(DecodeError::UnexpectedEnd {
                offset: self.offset,
                what,
            })?;
        self.offset = end;
        Ok(slice)
    }

    pub(super) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let byte = *self
            .bytes
            .get(self.offset)
            .ok_or(DecodeError::UnexpectedEnd {
                offset: self.offset,
                what,
            })?;
        self.offset += 1;
        Ok(byte)
    }

    pub(super) fn varint(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        let start = self.offset;
        let mut value: u64 = 0;
        let mut shift: u32 = 0;
        loop {
            let byte = self.u8(what)?;
            let bits = u64::from(byte & 0x7f);
            if shift >= 64 || (shift == 63 && bits > 1) {
                return Err(DecodeError::VarintOverflow { offset: start });
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    pub(super) fn svarint(&mut self, what: &'static str) -> Result<i64, DecodeError> {
        let raw = self.varint(what)?;
        let magnitude = (raw >> 1) as i64;
        Ok(if raw & 1 == 0 {
            magnitude
        } else {
            -magnitude - 1
        })
    }

    /// A count of items that each need at least `min_bytes_each` bytes.
    pub(super) fn count(
        &mut self,
        what: &'static str,
        min_bytes_each: usize,
    ) -> Result<usize, DecodeError> {
        let offset = self.offset;
        let count = self.varint(what)?;
        let limit = self.remaining() / min_bytes_each.max(1);
        match usize::try_from(count) {
            Ok(count) if count <= limit => Ok(count),
            _ => Err(DecodeError::CountTooLarge {
                offset,
                what,
                count,
            }),
        }
    }

    /// The point count of a ring or line: at least `min_points`, each point at least 2 bytes.
    pub(super) fn point_count(&mut self, min_points: usize) -> Result<usize, DecodeError> {
        let offset = self.offset;
        let count = self.count("point count", 2)?;
        if count < min_points {
            return Err(DecodeError::InvalidValue {
                offset,
                what: "point count",
                value: count as u64,
            });
        }
        Ok(count)
    }

    pub(super) fn min_zoom(&mut self, what: &'static str) -> Result<Option<f32>, DecodeError> {
        let offset = self.offset;
        let raw = self.u8(what)?;
        match raw {
            NO_MIN_ZOOM => Ok(None),
            0..=250 => Ok(Some(f32::from(raw) / 10.0)),
            _ => Err(DecodeError::InvalidValue {
                offset,
                what,
                value: u64::from(raw),
            }),
        }
    }

    pub(super) fn string(&mut self, what: &'static str) -> Result<String, DecodeError> {
        let length = self.count(what, 1)?;
        let offset = self.offset;
        let bytes = self.take(length, what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::InvalidUtf8 { offset })
    }

    pub(super) fn country_code(&mut self) -> Result<String, DecodeError> {
        let offset = self.offset;
        let bytes = self.take(3, "country code")?;
        if bytes.iter().all(|b| b.is_ascii_alphanumeric()) {
            String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::InvalidUtf8 { offset })
        } else {
            Err(DecodeError::InvalidUtf8 { offset })
        }
    }

    /// A quantisation step in 1e-5 degree (1..=100000).
    pub(super) fn unit(&mut self) -> Result<i64, DecodeError> {
        let offset = self.offset;
        let unit = self.varint("coordinate unit")?;
        if (1..=MAX_UNIT).contains(&unit) {
            Ok(unit as i64)
        } else {
            Err(DecodeError::InvalidValue {
                offset,
                what: "coordinate unit",
                value: unit,
            })
        }
    }

    /// The next point of a delta-encoded run: (`lon_units`, `lat_units`) in 1e-5 degree plus
    /// a delta of `unit`-sized steps, validated.
    pub(super) fn delta_point(
        &mut self,
        unit: i64,
        lon_units: i64,
        lat_units: i64,
    ) -> Result<(i64, i64), DecodeError> {
        let offset = self.offset;
        let delta_lon = self.svarint("longitude delta")?;
        let delta_lat = self.svarint("latitude delta")?;
        let step = |value: i64, delta: i64| {
            delta
                .checked_mul(unit)
                .and_then(|delta| value.checked_add(delta))
                .ok_or(DecodeError::CoordinateOutOfRange { offset })
        };
        let lon_units = step(lon_units, delta_lon)?;
        let lat_units = step(lat_units, delta_lat)?;
        check_coordinate(lon_units, lat_units, offset)?;
        Ok((lon_units, lat_units))
    }

    /// An absolute lon/lat pair in 1e-5 degree units, validated.
    pub(super) fn lon_lat(&mut self) -> Result<(f64, f64), DecodeError> {
        let offset = self.offset;
        let lon_units = self.svarint("longitude")?;
        let lat_units = self.svarint("latitude")?;
        check_coordinate(lon_units, lat_units, offset)?;
        Ok((
            lon_units as f64 / COORDINATE_UNITS_PER_DEGREE,
            lat_units as f64 / COORDINATE_UNITS_PER_DEGREE,
        ))
    }
}

pub(super) fn check_coordinate(
    lon_units: i64,
    lat_units: i64,
    offset: usize,
) -> Result<(), DecodeError> {
    if (-MAX_LON_UNITS..=MAX_LON_UNITS).contains(&lon_units)
        && (-MAX_LAT_UNITS..=MAX_LAT_UNITS).contains(&lat_units)
    {
        Ok(())
    } else {
        Err(DecodeError::CoordinateOutOfRange { offset })
    }
}

pub(super) fn world_point(lon_units: i64, lat_units: i64) -> WorldPoint {
    WorldPoint {
        x: lon_to_world_x(lon_units as f64 / COORDINATE_UNITS_PER_DEGREE),
        y: lat_to_world_y(lat_units as f64 / COORDINATE_UNITS_PER_DEGREE),
    }
}
