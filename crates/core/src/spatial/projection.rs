//! The index's coordinate space: normalised Web Mercator from [`strikemap_mercator`], and its
//! scale at a map zoom.

pub use crate::geometry::MAX_MERCATOR_LAT;
use crate::geometry::TILE_SIZE_PX;

/// Projects lon/lat degrees to normalised Web Mercator (`[0, 1]²`, `y` southwards). Latitude is
/// clamped to ±[`MAX_MERCATOR_LAT`]; longitude is not wrapped (the index clamps `x` to `[0, 1]`).
/// Non-finite input gives non-finite output.
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    strikemap_mercator::project(lon, lat)
}

/// The inverse of [`mercator`]: `(lon, lat)` in degrees.
pub fn lon_lat(point: [f64; 2]) -> (f64, f64) {
    strikemap_mercator::unproject(point)
}

/// Mercator units per screen pixel at map zoom `zoom` (256-px tiles).
pub fn units_per_pixel(zoom: f64) -> f64 {
    1.0 / (TILE_SIZE_PX * zoom.exp2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trip_and_clamp() {
        for lon in [-180.0, -179.9, -20.0, 0.0, 45.5, 179.999, 180.0] {
            for lat in [-85.0, -40.0, 0.0, 33.3, 60.0, 85.0] {
                let p = mercator(lon, lat);
                assert!((0.0..=1.0).contains(&p[0]) && (0.0..=1.0).contains(&p[1]));
                let (lon2, lat2) = lon_lat(p);
                assert!(
                    (lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9,
                    "{lon} {lat}"
                );
            }
        }
        assert_eq!(mercator(-180.0, 0.0), [0.0, 0.5]);
        assert_eq!(mercator(180.0, 0.0)[0], 1.0);
        assert_eq!(mercator(0.0, 90.0), mercator(0.0, MAX_MERCATOR_LAT));
        assert_eq!(mercator(0.0, -90.0), mercator(0.0, -MAX_MERCATOR_LAT));
        assert!(mercator(0.0, 90.0)[1].abs() < 1e-9);
        assert!((mercator(0.0, -90.0)[1] - 1.0).abs() < 1e-9);
        assert!(mercator(0.0, 85.0)[1] > 0.0);
        assert!(mercator(f64::NAN, f64::NAN)[0].is_nan());
        assert_eq!(units_per_pixel(0.0), 1.0 / 256.0);
        assert_eq!(units_per_pixel(3.0), 1.0 / 2048.0);
    }
}
