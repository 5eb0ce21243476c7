//! Smooth camera flights between two views, for presentations: the centre moves in projected
//! (Web-Mercator) space and the zoom eases, so the motion looks even on screen.

use crate::geometry::{metres_per_pixel, project_zoom0, unproject_zoom0};
use crate::model::LonLat;

/// How long a flight takes, in seconds.
pub const FLIGHT_SECS: f64 = 1.4;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flight {
    pub from: (LonLat, f64),
    pub to: (LonLat, f64),
    pub start_secs: f64,
}

/// Smoothstep easing.
fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

impl Flight {
    /// The view at `now_secs`, and whether the flight is over.
    pub fn view_at(&self, now_secs: f64) -> ((LonLat, f64), bool) {
        let t = (now_secs - self.start_secs) / FLIGHT_SECS;
        if t >= 1.0 {
            return (self.to, true);
        }
        let k = ease(t);
        let (x0, y0) = project_zoom0(self.from.0);
        let (x1, y1) = project_zoom0(self.to.0);
        let center = unproject_zoom0(x0 + (x1 - x0) * k, y0 + (y1 - y0) * k);
        // Zoom out a little mid-flight when travelling far, so the viewer keeps their bearings.
        let distance_px = ((x1 - x0).hypot(y1 - y0)) * 2f64.powf(self.from.1.min(self.to.1));
        let arc = (distance_px / 600.0).min(1.5) * (std::f64::consts::PI * k).sin();
        let zoom = self.from.1 + (self.to.1 - self.from.1) * k - arc;
        ((center, zoom), false)
    }
}

/// A zoom at which a circle of `radius_km` around `center` takes about a third of a viewport
/// `viewport_height_px` high, within `zoom_range`.
pub fn zoom_to_show_radius(
    center: LonLat,
    radius_km: f64,
    viewport_height_px: f64,
    zoom_range: (f64, f64),
) -> f64 {
    let wanted_metres_per_pixel = (2.0 * radius_km * 1000.0) / (viewport_height_px / 3.0).max(1.0);
    let zoom0 = metres_per_pixel(center.lat, 0.0);
    (zoom0 / wanted_metres_per_pixel)
        .log2()
        .clamp(zoom_range.0, zoom_range.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flight_starts_and_ends_where_asked() {
        let from = (
            LonLat {
                lon: 63.0,
                lat: 27.0,
            },
            5.0,
        );
        let to = (
            LonLat {
                lon: 64.1,
                lat: 26.97,
            },
            8.0,
        );
        let flight = Flight {
            from,
            to,
            start_secs: 10.0,
        };
        let ((start, zoom), done) = flight.view_at(10.0);
        assert!(!done);
        assert!((start.lon - 63.0).abs() < 1e-9 && (zoom - 5.0).abs() < 1e-9);
        let ((middle, _), done) = flight.view_at(10.0 + FLIGHT_SECS / 2.0);
        assert!(!done && middle.lon > 63.0 && middle.lon < 64.1);
        assert_eq!(flight.view_at(10.0 + FLIGHT_SECS), (to, true));
    }

    #[test]
    fn the_radius_fills_about_a_third_of_the_height() {
        let center = LonLat {
            lon: 64.1,
            lat: 27.0,
        };
        let zoom = zoom_to_show_radius(center, 60.0, 900.0, (2.0, 18.0));
        let diameter_px = 120_000.0 / metres_per_pixel(center.lat, zoom);
        assert!((diameter_px - 300.0).abs() < 1.0, "{diameter_px}");
        assert_eq!(zoom_to_show_radius(center, 0.001, 900.0, (2.0, 10.0)), 10.0);
    }
}
