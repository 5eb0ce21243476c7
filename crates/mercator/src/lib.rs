//! Web Mercator (EPSG:3857) for the whole workspace, in *normalised* coordinates.
//!
//! `x = (lon + 180) / 360` and `y = (1 - ln(tan(lat) + sec(lat)) / π) / 2`, both in `[0, 1]`:
//! `x` eastwards from longitude −180, `y` southwards from latitude +[`MAX_LATITUDE_DEG`] (the
//! slippy-map tile convention). Latitude is clamped to ±[`MAX_LATITUDE_DEG`], where the map is
//! square; longitude is not wrapped. Scaling by a power of two (`256 * 2^zoom` world pixels)
//! is exact, so pixel coordinates built on these functions round-trip bit for bit.
//!
//! Pure functions on `f64`, no dependencies.

use std::f64::consts::PI;

/// The latitude, in degrees, at which Web Mercator is cut off so that the map is square:
/// `atan(sinh(π))`, the latitude whose `y` is 0 (85.051 128 779 806 592 377 8…°), correctly
/// rounded. (`PI.sinh().atan().to_degrees()` computes one ulp more, 85.051 128 779 806 6.)
pub const MAX_LATITUDE_DEG: f64 = 85.051_128_779_806_59;

/// Longitude (degrees) to normalised x: 0 at −180°, 1 at +180°. Not wrapped.
pub fn lon_to_x(lon_deg: f64) -> f64 {
    (lon_deg + 180.0) / 360.0
}

/// Latitude (degrees) to normalised y: 0 at +[`MAX_LATITUDE_DEG`], 1 at −[`MAX_LATITUDE_DEG`].
/// Latitudes beyond are clamped.
pub fn lat_to_y(lat_deg: f64) -> f64 {
    let lat = lat_deg
        .clamp(-MAX_LATITUDE_DEG, MAX_LATITUDE_DEG)
        .to_radians();
    (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0
}

/// Normalised x to longitude (degrees): the inverse of [`lon_to_x`].
pub fn x_to_lon(x: f64) -> f64 {
    x * 360.0 - 180.0
}

/// Normalised y to latitude (degrees): the inverse of [`lat_to_y`].
pub fn y_to_lat(y: f64) -> f64 {
    (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees()
}

/// Lon/lat degrees to normalised `[x, y]`. Non-finite input gives non-finite output.
pub fn project(lon_deg: f64, lat_deg: f64) -> [f64; 2] {
    [lon_to_x(lon_deg), lat_to_y(lat_deg)]
}

/// Normalised `[x, y]` to `(lon, lat)` degrees: the inverse of [`project`].
pub fn unproject(point: [f64; 2]) -> (f64, f64) {
    (x_to_lon(point[0]), y_to_lat(point[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_latitude_is_atan_sinh_pi() {
        // Within an ulp of the computed value, and the f64 nearest to 85.051 128 779 806 592 38.
        let computed = PI.sinh().atan().to_degrees();
        assert!((computed - MAX_LATITUDE_DEG).abs() <= 1.5e-14, "{computed}");
        assert!((y_to_lat(0.0) - MAX_LATITUDE_DEG).abs() <= 1.5e-14);
        assert!((y_to_lat(1.0) + MAX_LATITUDE_DEG).abs() <= 1.5e-14);
        assert_eq!(
            MAX_LATITUDE_DEG,
            "85.0511287798065923777967".parse::<f64>().unwrap_or(0.0)
        );
        assert!(lat_to_y(MAX_LATITUDE_DEG).abs() < 1e-12);
        assert!((lat_to_y(-MAX_LATITUDE_DEG) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn corners_and_centre() {
        assert_eq!(project(0.0, 0.0), [0.5, 0.5]);
        assert_eq!(project(-180.0, 0.0), [0.0, 0.5]);
        assert_eq!(lon_to_x(180.0), 1.0);
        assert_eq!(x_to_lon(0.0), -180.0);
        assert_eq!(x_to_lon(1.0), 180.0);
        assert_eq!(unproject([0.5, 0.5]), (0.0, 0.0));
    }

    #[test]
    fn latitude_is_clamped_longitude_is_not() {
        assert_eq!(lat_to_y(90.0), lat_to_y(MAX_LATITUDE_DEG));
        assert_eq!(lat_to_y(-90.0), lat_to_y(-MAX_LATITUDE_DEG));
        assert!(lat_to_y(-90.0).is_finite());
        assert_eq!(lon_to_x(540.0), 2.0);
        let [x, y] = project(f64::NAN, f64::NAN);
        assert!(x.is_nan() && y.is_nan());
    }

    #[test]
    fn round_trips() {
        for lon in [-180.0, -120.0, -0.5, 0.0, 64.101, 179.999, 180.0] {
            for lat in [-85.0, -45.0, 0.0, 26.968, 60.0, 80.0, 85.0] {
                let (lon2, lat2) = unproject(project(lon, lat));
                assert!((lon2 - lon).abs() < 1e-9, "{lon} -> {lon2}");
                assert!((lat2 - lat).abs() < 1e-9, "{lat} -> {lat2}");
            }
        }
    }

    #[test]
    fn y_grows_southwards() {
        let ys: Vec<f64> = [80.0, 45.0, 0.0, -45.0, -80.0]
            .into_iter()
            .map(lat_to_y)
            .collect();
        assert!(ys.windows(2).all(|pair| pair[0] < pair[1]), "{ys:?}");
    }
}
