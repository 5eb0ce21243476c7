//! Geodesic measuring on the WGS 84 ellipsoid (GeographicLib's algorithms through geo's
//! `Geodesic`): the length and initial bearing of each leg of a path, its total, the same
//! lengths in kilometres, nautical and statute miles, and the points of a geodesic line or
//! circle for drawing (the measure tool's legs, a range ring's radius).

use crate::model::LonLat;
use geo::{Bearing as _, Destination as _, Distance as _, Geodesic, InterpolatePoint as _, Point};

/// Metres in an international nautical mile.
pub const METRES_PER_NAUTICAL_MILE: f64 = 1852.0;
/// Metres in an international statute mile.
pub const METRES_PER_STATUTE_MILE: f64 = 1609.344;

/// One leg of a measured path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leg {
    pub from: LonLat,
    pub to: LonLat,
    /// Along the geodesic, in metres.
    pub distance_m: f64,
    /// The initial bearing at `from`, in degrees clockwise from true north, 0 ≤ b < 360.
    pub bearing_deg: f64,
}

fn point(at: LonLat) -> Point<f64> {
    Point::new(at.lon, at.lat)
}

fn lon_lat(point: Point<f64>) -> LonLat {
    LonLat {
        lon: point.x(),
        lat: point.y(),
    }
}

/// The geodesic from `from` to `to`.
pub fn leg(from: LonLat, to: LonLat) -> Leg {
    Leg {
        from,
        to,
        distance_m: Geodesic.distance(point(from), point(to)),
        bearing_deg: Geodesic.bearing(point(from), point(to)).rem_euclid(360.0),
    }
}

/// The legs between consecutive points.
pub fn legs(points: &[LonLat]) -> Vec<Leg> {
    points
        .windows(2)
        .map(|pair| leg(pair[0], pair[1]))
        .collect()
}

/// The sum of the legs' lengths, in metres.
pub fn total_m(legs: &[Leg]) -> f64 {
    legs.iter().map(|leg| leg.distance_m).sum()
}

/// A length as `"123.4 km · 66.6 nmi · 76.7 mi"` (one decimal below 1,000, none above).
pub fn describe_length(metres: f64) -> String {
    let figure = |value: f64| {
        if value < 1000.0 {
            format!("{value:.1}")
        } else {
            format!("{value:.0}")
        }
    };
    format!(
        "{} km · {} nmi · {} mi",
        figure(metres / 1000.0),
        figure(metres / METRES_PER_NAUTICAL_MILE),
        figure(metres / METRES_PER_STATUTE_MILE)
    )
}

/// A bearing as `"045.2°"`, three digits before the point as navigators write it.
pub fn describe_bearing(degrees: f64) -> String {
    let rounded = (degrees * 10.0).round() / 10.0;
    format!("{:05.1}°", rounded.rem_euclid(360.0))
}

/// A position as `"26.9680° N, 64.1010° E"`.
pub fn describe_position(at: LonLat) -> String {
    let ns = if at.lat < 0.0 { 'S' } else { 'N' };
    let ew = if at.lon < 0.0 { 'W' } else { 'E' };
    format!("{:.4}° {ns}, {:.4}° {ew}", at.lat.abs(), at.lon.abs())
}

/// One line per leg ("Leg 1: 123.4 km · … , bearing 045.2°") and the total, for the screen.
pub fn leg_lines(legs: &[Leg]) -> Vec<String> {
    legs.iter()
        .enumerate()
        .map(|(index, leg)| {
            format!(
                "Leg {}: {}, bearing {}",
                index + 1,
                describe_length(leg.distance_m),
                describe_bearing(leg.bearing_deg)
            )
        })
        .collect()
}

/// The total line shown under the legs.
pub fn total_line(legs: &[Leg]) -> String {
    format!("Total: {}", describe_length(total_m(legs)))
}

/// The measurement as plain text for the clipboard: the points, each leg and the total.
pub fn measurement_text(points: &[LonLat]) -> String {
    let legs = legs(points);
    let mut text = String::from("Geodesic measurement (WGS 84)\n");
    for (index, at) in points.iter().enumerate() {
        text.push_str(&format!(
            "Point {}: {}\n",
            index + 1,
            describe_position(*at)
        ));
    }
    for line in leg_lines(&legs) {
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&total_line(&legs));
    text.push('\n');
    text
}

/// Points along the geodesic from `from` to `to`, both ends included, at most `step_m` metres
/// apart (so that straight screen segments between them follow the curve).
pub fn geodesic_path(from: LonLat, to: LonLat, step_m: f64) -> Vec<LonLat> {
    let length = Geodesic.distance(point(from), point(to));
    let pieces = if step_m > 0.0 && length.is_finite() {
        (length / step_m).ceil().clamp(1.0, 10_000.0) as usize
    } else {
        1
    };
    let mut path = Vec::with_capacity(pieces + 1);
    path.push(from);
    for piece in 1..pieces {
        let ratio = piece as f64 / pieces as f64;
        path.push(lon_lat(Geodesic.point_at_ratio_between(
            point(from),
            point(to),
            ratio,
        )));
    }
    path.push(to);
    path
}

/// The point `distance_m` metres from `from` along the initial bearing `bearing_deg` (the
/// direct geodesic problem).
pub fn destination(from: LonLat, bearing_deg: f64, distance_m: f64) -> LonLat {
    lon_lat(Geodesic.destination(point(from), bearing_deg, distance_m))
}

/// A geodesic circle: the `vertices` points `radius_m` metres from `center` at equal bearings,
/// starting due north and going clockwise (closed by the caller if it needs the first again).
pub fn geodesic_circle(center: LonLat, radius_m: f64, vertices: usize) -> Vec<LonLat> {
    let vertices = vertices.max(3);
    (0..vertices)
        .map(|index| destination(center, 360.0 * index as f64 / vertices as f64, radius_m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> LonLat {
        LonLat { lon, lat }
    }

    /// GeographicLib's documented inverse example: Wellington, NZ (41.32° S, 174.81° E) to
    /// Salamanca, Spain (40.96° N, 5.50° W) is 19,959,679.267 m at an initial azimuth of
    /// 161.06766999°.
    #[test]
    fn wellington_to_salamanca_matches_geographiclib() {
        let leg = leg(at(-41.32, 174.81), at(40.96, -5.50));
        assert!((leg.distance_m - 19_959_679.267).abs() < 0.01, "{leg:?}");
        assert!((leg.bearing_deg - 161.067_669_986).abs() < 1e-8, "{leg:?}");
    }

    /// GeographicLib's documented direct example: 20,000 km from Perth (32.06° S, 115.74° E)
    /// on azimuth 225° lands at 32.11195529° N, 63.95925278° W.
    #[test]
    fn twenty_thousand_km_southwest_of_perth_matches_geographiclib() {
        let end = destination(at(-32.06, 115.74), 225.0, 20_000_000.0);
        assert!((end.lat - 32.111_955_29).abs() < 1e-7, "{end:?}");
        assert!((end.lon - -63.959_252_78).abs() < 1e-7, "{end:?}");
    }

    #[test]
    fn a_bearing_west_is_given_from_0_to_360() {
        let leg = leg(at(30.0, 60.0), at(30.0, 59.0));
        assert!((leg.bearing_deg - 270.25).abs() < 0.1, "{leg:?}");
    }

    #[test]
    fn the_total_is_the_sum_of_the_legs_in_each_unit() {
        let points = [at(27.0, 62.0), at(28.0, 63.0), at(28.0, 65.0)];
        let legs = legs(&points);
        assert_eq!(legs.len(), 2);
        let total = total_m(&legs);
        assert!((total - legs[0].distance_m - legs[1].distance_m).abs() < 1e-9);
        // One degree of longitude at 28° N is about 98.3 km.
        assert!(
            (legs[1].distance_m / 2.0 - 98_300.0).abs() < 300.0,
            "{legs:?}"
        );
        let text = measurement_text(&points);
        assert!(text.contains("Point 3: 28.0000° N, 65.0000° E"), "{text}");
        assert!(
            text.contains(&format!("{:.1} km", total / 1000.0)),
            "{text}"
        );
        assert!(
            text.contains(&format!("{:.1} nmi", total / METRES_PER_NAUTICAL_MILE)),
            "{text}"
        );
        assert!(
            text.contains(&format!("{:.1} mi", total / METRES_PER_STATUTE_MILE)),
            "{text}"
        );
    }

    #[test]
    fn lengths_and_bearings_are_written_as_navigators_do() {
        assert_eq!(
            describe_length(1852.0),
            "1.9 km · 1.0 nmi · 1.2 mi".to_owned()
        );
        assert_eq!(describe_bearing(45.04), "045.0°");
        assert_eq!(describe_bearing(359.97), "000.0°");
    }

    #[test]
    fn a_geodesic_path_follows_the_curve_from_end_to_end() {
        let (from, to) = (at(60.0, -10.0), at(60.0, 30.0));
        let path = geodesic_path(from, to, 50_000.0);
        assert_eq!(path.first(), Some(&from));
        assert_eq!(path.last(), Some(&to));
        let whole = leg(from, to).distance_m;
        let along: f64 = legs(&path).iter().map(|leg| leg.distance_m).sum();
        assert!((along - whole).abs() < 1.0, "{along} vs {whole}");
        // The great-circle route between two points on a parallel bulges poleward.
        let middle = path[path.len() / 2];
        assert!(middle.lat > 61.0, "{middle:?}");
    }

    /// The latitude reached going due north from `lat0` by `metres`, by integrating the WGS 84
    /// meridian's radius of curvature (independent of GeographicLib's series).
    fn meridian_latitude_after(lat0: f64, metres: f64) -> f64 {
        let a = 6_378_137.0_f64;
        let f = 1.0 / 298.257_223_563;
        let e2 = f * (2.0 - f);
        let radius = |phi: f64| a * (1.0 - e2) / (1.0 - e2 * phi.sin().powi(2)).powf(1.5);
        let mut phi = lat0.to_radians();
        let steps = 100_000;
        let ds = metres / f64::from(steps);
        for _ in 0..steps {
            // Midpoint rule on dφ/ds = 1 / M(φ).
            let half = phi + 0.5 * ds / radius(phi);
            phi += ds / radius(half);
        }
        phi.to_degrees()
    }

    /// A 1,000 km range ring around a point at 60° N: every vertex, and the middle of every
    /// side as drawn, is 1,000 km from the centre within 0.1%; its northern point lies where
    /// the meridian arc says.
    #[test]
    fn a_1000_km_ring_at_60_north_has_its_geodesic_radius() {
        let center = at(60.0, 25.0);
        let ring = geodesic_circle(center, 1_000_000.0, 180);
        for (index, vertex) in ring.iter().enumerate() {
            let radius = leg(center, *vertex).distance_m;
            assert!(
                (radius - 1_000_000.0).abs() < 1.0,
                "vertex {index}: {radius}"
            );
            let next = ring[(index + 1) % ring.len()];
            let middle = at((vertex.lat + next.lat) / 2.0, (vertex.lon + next.lon) / 2.0);
            let radius = leg(center, middle).distance_m;
            assert!(
                (radius - 1_000_000.0).abs() < 1_000.0,
                "side {index}: {radius}"
            );
        }
        let north = meridian_latitude_after(60.0, 1_000_000.0);
        assert!(
            (ring[0].lat - north).abs() < 1e-6,
            "{:?} vs {north}",
            ring[0]
        );
        assert!((ring[0].lon - 25.0).abs() < 1e-9);
        // A circle drawn on the screen with the centre's scale would be wrong: on Web Mercator
        // the ring reaches much further north of its centre than south.
        let mercator_y = |lat: f64| {
            (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
                .tan()
                .ln()
        };
        let up = mercator_y(ring[0].lat) - mercator_y(60.0);
        let down = mercator_y(60.0) - mercator_y(ring[90].lat);
        assert!(up / down > 1.1, "{up} {down}");
    }
}
