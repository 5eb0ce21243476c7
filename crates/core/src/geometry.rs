//! Web-Mercator arithmetic and map framing. Pure functions, no egui, unit-tested.

use crate::model::LonLat;

/// Web-Mercator tiles are 256 px at zoom 0.
pub const TILE_SIZE_PX: f64 = 256.0;
/// Web Mercator is defined up to this latitude (`atan(sinh(π))`, from [`strikemap_mercator`]).
pub const MAX_MERCATOR_LAT: f64 = strikemap_mercator::MAX_LATITUDE_DEG;

/// A lon/lat box in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoBounds {
    pub min: LonLat,
    pub max: LonLat,
}

impl GeoBounds {
    pub fn from_point(point: LonLat) -> Self {
        Self {
            min: point,
            max: point,
        }
    }

    pub fn extend(&mut self, point: LonLat) {
        self.min.lon = self.min.lon.min(point.lon);
        self.min.lat = self.min.lat.min(point.lat);
        self.max.lon = self.max.lon.max(point.lon);
        self.max.lat = self.max.lat.max(point.lat);
    }

    pub fn union(mut self, other: GeoBounds) -> Self {
        self.extend(other.min);
        self.extend(other.max);
        self
    }

    /// The box around some points, or `None` for none.
    pub fn around(points: impl IntoIterator<Item = LonLat>) -> Option<Self> {
        let mut points = points.into_iter();
        let mut bounds = Self::from_point(points.next()?);
        for point in points {
            bounds.extend(point);
        }
        Some(bounds)
    }
}

/// Projects to Web-Mercator "world pixels" at zoom 0 (0..256 on both axes, y down).
/// Normalised Web Mercator ([`strikemap_mercator`]) scaled by 256 (exact: a power of two).
pub fn project_zoom0(point: LonLat) -> (f64, f64) {
    let [x, y] = strikemap_mercator::project(point.lon, point.lat);
    (x * TILE_SIZE_PX, y * TILE_SIZE_PX)
}

/// The inverse of [`project_zoom0`].
pub fn unproject_zoom0(x: f64, y: f64) -> LonLat {
    let (lon, lat) = strikemap_mercator::unproject([x / TILE_SIZE_PX, y / TILE_SIZE_PX]);
    LonLat { lon, lat }
}

/// Where to centre and how far to zoom so that `bounds` fills a viewport of
/// `viewport_px` (width, height) with `padding_px` on every side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapFraming {
    pub center: LonLat,
    pub zoom: f64,
}

pub fn frame_bounds(
    bounds: GeoBounds,
    viewport_px: (f64, f64),
    padding_px: f64,
    zoom_range: (f64, f64),
) -> MapFraming {
    let (x0, y1) = project_zoom0(bounds.min);
    let (x1, y0) = project_zoom0(bounds.max);
    let span_x = (x1 - x0).abs().max(1e-9);
    let span_y = (y1 - y0).abs().max(1e-9);
    let usable_w = (viewport_px.0 - 2.0 * padding_px).max(1.0);
    let usable_h = (viewport_px.1 - 2.0 * padding_px).max(1.0);
    let scale = (usable_w / span_x).min(usable_h / span_y);
    let zoom = scale.log2().clamp(zoom_range.0, zoom_range.1);
    MapFraming {
        center: unproject_zoom0((x0 + x1) / 2.0, (y0 + y1) / 2.0),
        zoom,
    }
}

/// Metres per pixel at a latitude and zoom (Web Mercator, WGS 84 equatorial radius).
pub fn metres_per_pixel(lat: f64, zoom: f64) -> f64 {
    const EARTH_CIRCUMFERENCE_M: f64 = 2.0 * std::f64::consts::PI * 6_378_137.0;
    EARTH_CIRCUMFERENCE_M * lat.to_radians().cos() / (TILE_SIZE_PX * 2f64.powf(zoom))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_round_trips() {
        for (lon, lat) in [(64.101, 26.968), (-120.0, -45.0), (0.0, 0.0), (179.9, 80.0)] {
            let (x, y) = project_zoom0(LonLat { lon, lat });
            let back = unproject_zoom0(x, y);
            assert!((back.lon - lon).abs() < 1e-9, "{lon} -> {}", back.lon);
            assert!((back.lat - lat).abs() < 1e-9, "{lat} -> {}", back.lat);
        }
        assert_eq!(project_zoom0(LonLat { lon: 0.0, lat: 0.0 }), (128.0, 128.0));
    }

    #[test]
    fn framing_fits_the_box_in_the_viewport() {
        let bounds = GeoBounds {
            min: LonLat {
                lon: 58.0,
                lat: 24.0,
            },
            max: LonLat {
                lon: 71.0,
                lat: 32.0,
            },
        };
        let framing = frame_bounds(bounds, (1000.0, 800.0), 20.0, (0.0, 19.0));
        let scale = 2f64.powf(framing.zoom);
        let (x0, y1) = project_zoom0(bounds.min);
        let (x1, y0) = project_zoom0(bounds.max);
        let width_px = (x1 - x0) * scale;
        let height_px = (y1 - y0) * scale;
        assert!(width_px <= 960.0 + 1e-6 && height_px <= 760.0 + 1e-6);
        // One of the two axes is used fully.
        assert!((width_px - 960.0).abs() < 1e-6 || (height_px - 760.0).abs() < 1e-6);
        let (cx, cy) = project_zoom0(framing.center);
        assert!((cx - (x0 + x1) / 2.0).abs() < 1e-9 && (cy - (y0 + y1) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn framing_a_single_point_clamps_the_zoom() {
        let point = LonLat {
            lon: 62.3,
            lat: 27.4,
        };
        let framing = frame_bounds(
            GeoBounds::from_point(point),
            (800.0, 600.0),
            10.0,
            (3.0, 9.0),
        );
        assert_eq!(framing.zoom, 9.0);
    }

    #[test]
    fn metres_per_pixel_matches_the_known_equator_value() {
        // 156 543.03 m/px at zoom 0 on the equator is the standard figure.
        assert!((metres_per_pixel(0.0, 0.0) - 156_543.03).abs() < 0.01);
        assert!((metres_per_pixel(60.0, 1.0) - 156_543.03 / 4.0).abs() < 0.01);
    }
}
