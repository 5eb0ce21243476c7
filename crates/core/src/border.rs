//! Distance from a place to an international border: the geodesic distance (WGS 84) to the
//! nearest point of the border line.

use crate::error::LoadError;
use crate::model::LonLat;
use geo::{Closest, Distance as _, Geodesic, HaversineClosestPoint as _, MultiLineString, Point};
use serde::Deserialize;

/// The Iran–Pakistan boundary, derived from Natural Earth by `scripts/derive_border.py`.
pub const BUNDLED_BORDER_GEOJSON: &str =
    include_str!("../../../assets/border_iran_pakistan.geojson");
pub const BUNDLED_BORDER_NAME: &str = "assets/border_iran_pakistan.geojson";

/// A border line between two countries.
#[derive(Clone, Debug)]
pub struct BorderLine {
    pub name: String,
    /// The two countries either side (the file's `left` and `right`), as events name their
    /// target country; empty when the file does not say.
    pub countries: Vec<String>,
    pub line: MultiLineString<f64>,
}

impl BorderLine {
    /// Whether a distance to this border means anything for an event in `country`: one of
    /// the two countries it separates (all, when the file names none).
    pub fn separates(&self, country: &str) -> bool {
        self.countries.is_empty()
            || self
                .countries
                .iter()
                .any(|side| side.eq_ignore_ascii_case(country.trim()))
    }
}

/// How far a place is from a border, and the border point nearest to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BorderDistance {
    pub distance_km: f64,
    pub nearest: LonLat,
}

impl BorderLine {
    /// The geodesic distance from `place` to the nearest point of the line.
    pub fn distance_from(&self, place: LonLat) -> Option<BorderDistance> {
        let from = Point::new(place.lon, place.lat);
        let nearest = match self.line.haversine_closest_point(&from) {
            Closest::Intersection(point) | Closest::SinglePoint(point) => point,
            Closest::Indeterminate => return None,
        };
        Some(BorderDistance {
            distance_km: Geodesic.distance(from, nearest) / 1000.0,
            nearest: LonLat {
                lon: nearest.x(),
                lat: nearest.y(),
            },
        })
    }
}

#[derive(Deserialize)]
struct RawBorderCollection {
    features: Vec<RawBorderFeature>,
}

#[derive(Deserialize)]
struct RawBorderFeature {
    properties: RawBorderProperties,
    geometry: Option<geojson::Geometry>,
}

#[derive(Deserialize)]
struct RawBorderProperties {
    name: String,
    #[serde(default)]
    left: Option<String>,
    #[serde(default)]
    right: Option<String>,
}

/// Parses a border file: a FeatureCollection whose first feature is a (Multi)LineString.
pub fn parse_border(file: &str, text: &str) -> Result<BorderLine, LoadError> {
    let invalid = |field: &str, message: String| LoadError::Invalid {
        file: file.to_owned(),
        feature_index: 0,
        feature_id: None,
        field: field.to_owned(),
        message,
    };
    let raw: RawBorderCollection =
        serde_json::from_str(text).map_err(|error| LoadError::Syntax {
            file: file.to_owned(),
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })?;
    let feature = raw
        .features
        .into_iter()
        .next()
        .ok_or_else(|| LoadError::Document {
            file: file.to_owned(),
            message: "has no features".into(),
        })?;
    let geometry = feature
        .geometry
        .ok_or_else(|| invalid("geometry", "is missing".into()))?;
    let line = match geo::Geometry::<f64>::try_from(&geometry)
        .map_err(|error| invalid("geometry", error.to_string()))?
    {
        geo::Geometry::LineString(line) => MultiLineString::new(vec![line]),
        geo::Geometry::MultiLineString(lines) => lines,
        _ => return Err(invalid("geometry", "is not a LineString".into())),
    };
    let properties = feature.properties;
    Ok(BorderLine {
        name: properties.name,
        countries: [properties.left, properties.right]
            .into_iter()
            .flatten()
            .collect(),
        line,
    })
}

pub fn bundled_border() -> Result<BorderLine, LoadError> {
    parse_border(BUNDLED_BORDER_NAME, BUNDLED_BORDER_GEOJSON)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Destination as _, LineString};

    #[test]
    fn the_bundled_border_names_the_countries_it_separates() {
        let border = bundled_border().unwrap();
        assert!(border.separates("Iran") && border.separates("pakistan"));
        assert!(!border.separates("Ukraine"));
    }

    /// A straight north–south test border along a meridian.
    fn meridian_border(lon: f64) -> BorderLine {
        BorderLine {
            name: "test".into(),
            countries: Vec::new(),
            line: MultiLineString::new(vec![LineString::from(vec![(lon, 20.0), (lon, 32.0)])]),
        }
    }

    #[test]
    fn a_point_set_n_km_from_a_straight_border_is_n_km_away() {
        let border = meridian_border(63.0);
        for distance_km in [1.0, 5.0, 42.0, 80.0, 250.0] {
            for bearing in [90.0, 270.0] {
                let place =
                    Geodesic.destination(Point::new(63.0, 26.0), bearing, distance_km * 1000.0);
                let measured = border
                    .distance_from(LonLat {
                        lon: place.x(),
                        lat: place.y(),
                    })
                    .unwrap();
                let error = (measured.distance_km - distance_km).abs() / distance_km;
                assert!(
                    error < 0.01,
                    "{distance_km} km at {bearing}°: measured {measured:?}"
                );
                assert!((measured.nearest.lon - 63.0).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn the_bundled_border_is_the_iran_pakistan_line() {
        let border = bundled_border().unwrap();
        assert!(border.name.contains("Iran-Pakistan"));
        // Panjgur town is some 80 km from the border as Natural Earth draws it; Saravan ~40 km.
        let panjgur = border
            .distance_from(LonLat {
                lon: 64.101,
                lat: 26.968,
            })
            .unwrap();
        assert!((70.0..90.0).contains(&panjgur.distance_km), "{panjgur:?}");
        let saravan = border
            .distance_from(LonLat {
                lon: 62.333,
                lat: 27.371,
            })
            .unwrap();
        assert!((30.0..50.0).contains(&saravan.distance_km), "{saravan:?}");
    }

    #[test]
    fn a_border_file_without_a_line_is_an_error() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#;
        let error = parse_border("b.geojson", text).unwrap_err().to_string();
        assert!(error.contains("b.geojson: feature 0: geometry"), "{error}");
        assert!(parse_border("b.geojson", "{").is_err());
    }
}
