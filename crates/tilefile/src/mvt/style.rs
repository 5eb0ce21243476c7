//! The built-in vector style: which features are drawn, in which colour, width and order.
//! Colours are those of the app's offline basemap ([`strikemap_basemap::style`]) where the
//! two meet (land, sea, rivers, borders), so a file's tiles and the world map beneath match.
//! Widths are in pixels of a 256-px tile (the renderer scales them for larger tiles).

use strikemap_basemap::style::{self as base, Rgb8};

use super::decode::{Feature, GeomType, Layer, Value};
use crate::info::VectorSchema;

pub const SEA: Rgb8 = base::SEA;
pub const LAND: Rgb8 = base::LAND;
pub const RIVER: Rgb8 = base::RIVER;
pub const COUNTRY_BORDER: Rgb8 = base::BORDER;
pub const REGION_BORDER: Rgb8 = base::ADMIN1_LINE;
pub const FOREST: Rgb8 = Rgb8::new(0xE2, 0xE8, 0xD8);
pub const GRASS: Rgb8 = Rgb8::new(0xE9, 0xED, 0xDD);
pub const FARMLAND: Rgb8 = Rgb8::new(0xEF, 0xEE, 0xE1);
pub const BARREN: Rgb8 = base::PLAYA_FILL;
pub const GLACIER: Rgb8 = Rgb8::new(0xF8, 0xF9, 0xF9);
pub const URBAN: Rgb8 = Rgb8::new(0xEA, 0xE7, 0xE1);
pub const PARK: Rgb8 = Rgb8::new(0xE1, 0xE9, 0xD6);
pub const INDUSTRIAL: Rgb8 = Rgb8::new(0xE8, 0xE5, 0xE3);
pub const AIRPORT: Rgb8 = Rgb8::new(0xE7, 0xE6, 0xEA);
pub const BUILDING: Rgb8 = Rgb8::new(0xE2, 0xDD, 0xD5);
pub const ROAD_FILL: Rgb8 = Rgb8::new(0xFF, 0xFF, 0xFF);
pub const HIGHWAY_CASING: Rgb8 = Rgb8::new(0xC4, 0xB9, 0xA8);
pub const ROAD_CASING: Rgb8 = Rgb8::new(0xD3, 0xCC, 0xC1);
/// Roads at low zoom, drawn as one thin line with no casing.
pub const ROAD_LOW_ZOOM: Rgb8 = Rgb8::new(0xD5, 0xCB, 0xBB);
pub const PATH: Rgb8 = Rgb8::new(0xC9, 0xC1, 0xB5);
pub const RAIL: Rgb8 = Rgb8::new(0xB5, 0xB0, 0xA9);

/// Below this zoom roads are one thin line; from it on, a white fill over a casing.
pub const ROAD_CASING_FIRST_ZOOM: f32 = 10.0;
/// Buildings are drawn from this zoom on.
pub const BUILDINGS_FIRST_ZOOM: f32 = 13.0;

pub const COUNTRY_DASH_PX: &[f32] = &[6.0, 3.0];
pub const REGION_DASH_PX: &[f32] = &[4.0, 2.5];
pub const DISPUTED_DASH_PX: &[f32] = &[2.0, 2.5];
pub const PATH_DASH_PX: &[f32] = &[2.0, 1.5];

/// Drawing order, lowest first.
pub mod order {
    pub const EARTH: u8 = 0;
    pub const LANDCOVER: u8 = 1;
    pub const LANDUSE: u8 = 2;
    pub const WATER: u8 = 3;
    pub const WATERWAY: u8 = 4;
    pub const BUILDING: u8 = 5;
    /// Road casings; fills are drawn above all casings, minor roads first.
    pub const ROAD_CASING: u8 = 6;
    pub const ROAD: u8 = 7;
    pub const RAIL: u8 = 12;
    pub const REGION_BORDER: u8 = 13;
    pub const COUNTRY_BORDER: u8 = 14;
}

/// How one feature is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paint {
    Fill {
        colour: Rgb8,
        order: u8,
    },
    Line {
        colour: Rgb8,
        width_px: f32,
        dash_px: Option<&'static [f32]>,
        /// A wider line beneath (colour, total width), drawn in its own pass.
        casing: Option<(Rgb8, f32)>,
        order: u8,
    },
}

/// Piecewise-linear in zoom, clamped at both ends.
pub fn stops(zoom: f32, stops: &[(f32, f32)]) -> f32 {
    let mut previous: Option<(f32, f32)> = None;
    for &(stop_zoom, value) in stops {
        if zoom <= stop_zoom {
            return match previous {
                Some((z0, v0)) if stop_zoom > z0 => {
                    v0 + (zoom - z0) / (stop_zoom - z0) * (value - v0)
                }
                _ => value,
            };
        }
        previous = Some((stop_zoom, value));
    }
    previous.map_or(0.0, |(_, value)| value)
}

/// Road classes shared by the schemas, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Road {
    Highway,
    Major,
    Medium,
    Minor,
    Path,
}

fn road(class: Road, zoom: f32) -> Option<Paint> {
    let (first_zoom, widths, casing, rank): (f32, &[(f32, f32)], Rgb8, u8) = match class {
        Road::Highway => (
            4.0,
            &[(5.0, 0.6), (10.0, 2.0), (14.0, 6.0), (18.0, 18.0)],
            HIGHWAY_CASING,
            4,
        ),
        Road::Major => (
            6.0,
            &[(7.0, 0.4), (10.0, 1.3), (14.0, 4.5), (18.0, 14.0)],
            ROAD_CASING,
            3,
        ),
        Road::Medium => (
            9.0,
            &[(9.0, 0.3), (12.0, 1.0), (15.0, 3.5), (18.0, 10.0)],
            ROAD_CASING,
            2,
        ),
        Road::Minor => (
            12.0,
            &[(12.0, 0.4), (14.0, 1.5), (16.0, 3.5), (18.0, 8.0)],
            ROAD_CASING,
            1,
        ),
        Road::Path => {
            return (zoom >= 14.0).then(|| Paint::Line {
                colour: PATH,
                width_px: stops(zoom, &[(14.0, 0.6), (18.0, 1.5)]),
                dash_px: Some(PATH_DASH_PX),
                casing: None,
                order: order::ROAD,
            });
        }
    };
    if zoom < first_zoom {
        return None;
    }
    let width_px = stops(zoom, widths);
    Some(if zoom < ROAD_CASING_FIRST_ZOOM {
        Paint::Line {
            colour: ROAD_LOW_ZOOM,
            width_px,
            dash_px: None,
            casing: None,
            order: order::ROAD + rank,
        }
    } else {
        Paint::Line {
            colour: ROAD_FILL,
            width_px,
            dash_px: None,
            casing: Some((casing, width_px + stops(zoom, &[(10.0, 1.0), (16.0, 2.0)]))),
            order: order::ROAD + rank,
        }
    })
}

fn fill(colour: Rgb8, order: u8) -> Option<Paint> {
    Some(Paint::Fill { colour, order })
}

fn border(country: bool, disputed: bool, zoom: f32) -> Option<Paint> {
    let width_px = stops(zoom, &[(3.0, 0.8), (6.0, 1.2), (9.0, 1.8), (12.0, 2.4)]);
    let (colour, width_px, dash, order) = if country {
        let dash = if disputed {
            DISPUTED_DASH_PX
        } else {
            COUNTRY_DASH_PX
        };
        (COUNTRY_BORDER, width_px, dash, order::COUNTRY_BORDER)
    } else {
        (
            REGION_BORDER,
            width_px * 0.6,
            REGION_DASH_PX,
            order::REGION_BORDER,
        )
    };
    Some(Paint::Line {
        colour,
        width_px,
        dash_px: Some(dash),
        casing: None,
        order,
    })
}

fn waterway(major: bool, zoom: f32) -> Option<Paint> {
    let base_width = stops(zoom, &[(8.0, 0.5), (12.0, 1.2), (16.0, 3.0)]);
    let (first_zoom, width_px) = if major {
        (8.0, base_width)
    } else {
        (12.0, base_width * 0.6)
    };
    (zoom >= first_zoom).then_some(Paint::Line {
        colour: RIVER,
        width_px,
        dash_px: None,
        casing: None,
        order: order::WATERWAY,
    })
}

fn landcover(kind: &str) -> Option<Rgb8> {
    Some(match kind {
        "forest" | "wood" | "wetland" => FOREST,
        "grassland" | "grass" | "scrub" | "meadow" | "heath" => GRASS,
        "farmland" | "farm" | "orchard" | "farmyard" | "vineyard" => FARMLAND,
        "barren" | "sand" | "beach" | "rock" | "bare_rock" => BARREN,
        "glacier" | "ice" => GLACIER,
        "urban_area" | "residential" | "suburb" => URBAN,
        _ => return None,
    })
}

fn landuse(kind: &str) -> Option<Rgb8> {
    Some(match kind {
        "park" | "national_park" | "nature_reserve" | "protected_area" | "cemetery"
        | "golf_course" | "garden" | "playground" | "recreation_ground" | "pitch" | "zoo" => PARK,
        "industrial" | "military" | "naval_base" | "commercial" | "railway" | "quarry" => {
            INDUSTRIAL
        }
        "aerodrome" | "airfield" | "runway" | "taxiway" | "airport" => AIRPORT,
        other => return landcover(other),
    })
}

/// The paint for a feature, or `None` when the style does not draw it (labels, POIs and
/// unknown kinds).
pub fn paint(schema: &VectorSchema, layer: &Layer, feature: &Feature, zoom: f32) -> Option<Paint> {
    let text = |key: &str| layer.str_property(feature, key).unwrap_or("");
    let flag = |key: &str| {
        layer
            .property(feature, key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    let polygon = feature.geom_type == GeomType::Polygon;
    let line = feature.geom_type == GeomType::LineString;
    match schema {
        VectorSchema::Protomaps => match layer.name.as_str() {
            "earth" if polygon => fill(LAND, order::EARTH),
            "water" if polygon => fill(SEA, order::WATER),
            "water" if line => waterway(matches!(text("kind"), "river" | "canal"), zoom),
            "landcover" if polygon => fill(landcover(text("kind"))?, order::LANDCOVER),
            "landuse" | "natural" if polygon => fill(landuse(text("kind"))?, order::LANDUSE),
            "buildings" if polygon && zoom >= BUILDINGS_FIRST_ZOOM => {
                fill(BUILDING, order::BUILDING)
            }
            "roads" if line => match text("kind") {
                "highway" => road(Road::Highway, zoom),
                "major_road" => road(Road::Major, zoom),
                "medium_road" => road(Road::Medium, zoom),
                "minor_road" | "other" => road(Road::Minor, zoom),
                "path" => road(Road::Path, zoom),
                "rail" => rail(zoom),
                _ => None,
            },
            "transit" if line && text("kind") == "rail" => rail(zoom),
            "boundaries" if line => match text("kind") {
                "country" => border(true, flag("disputed"), zoom),
                "region" => border(false, false, zoom),
                _ => None,
            },
            _ => None,
        },
        VectorSchema::OpenMapTiles => match layer.name.as_str() {
            "water" if polygon => fill(SEA, order::WATER),
            "waterway" if line => waterway(matches!(text("class"), "river" | "canal"), zoom),
            "landcover" | "landuse" if polygon => fill(landuse(text("class"))?, order::LANDCOVER),
            "park" if polygon => fill(PARK, order::LANDUSE),
            "building" if polygon && zoom >= BUILDINGS_FIRST_ZOOM => {
                fill(BUILDING, order::BUILDING)
            }
            "transportation" if line => match text("class") {
                "motorway" | "trunk" => road(Road::Highway, zoom),
                "primary" | "secondary" => road(Road::Major, zoom),
                "tertiary" => road(Road::Medium, zoom),
                "minor" | "service" | "street" => road(Road::Minor, zoom),
                "path" | "track" => road(Road::Path, zoom),
                "rail" | "transit" => rail(zoom),
                _ => None,
            },
            "boundary" if line => {
                let level = layer
                    .property(feature, "admin_level")
                    .and_then(Value::as_f64);
                match level {
                    Some(level) if level <= 2.0 => border(true, flag("disputed"), zoom),
                    Some(level) if level <= 4.0 => border(false, false, zoom),
                    _ => None,
                }
            }
            _ => None,
        },
        VectorSchema::Shortbread | VectorSchema::Unknown(_) => {
            let name = layer.name.to_ascii_lowercase();
            let watery = ["water", "ocean", "lake", "sea"]
                .iter()
                .any(|w| name.contains(w));
            if polygon && watery {
                fill(SEA, order::WATER)
            } else if line && (name.contains("road") || name.contains("transport")) {
                road(Road::Medium, zoom.max(12.0))
            } else if line && name.contains("bound") {
                border(false, false, zoom)
            } else {
                None
            }
        }
    }
}

fn rail(zoom: f32) -> Option<Paint> {
    (zoom >= 10.0).then(|| Paint::Line {
        colour: RAIL,
        width_px: stops(zoom, &[(10.0, 0.6), (16.0, 1.6)]),
        dash_px: None,
        casing: None,
        order: order::RAIL,
    })
}

/// The colour under everything: Protomaps draws land (`earth`) over the sea; other schemas
/// draw water over land.
pub fn background(schema: &VectorSchema) -> Rgb8 {
    match schema {
        VectorSchema::Protomaps => SEA,
        _ => LAND,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_interpolate_and_clamp() {
        let s = [(4.0, 1.0), (8.0, 3.0)];
        assert_eq!(stops(0.0, &s), 1.0);
        assert_eq!(stops(6.0, &s), 2.0);
        assert_eq!(stops(20.0, &s), 3.0);
        assert_eq!(stops(5.0, &[]), 0.0);
    }

    #[test]
    fn roads_widen_with_zoom_and_get_casings() {
        let width = |zoom| match road(Road::Highway, zoom) {
            Some(Paint::Line { width_px, .. }) => width_px,
            _ => 0.0,
        };
        assert!(width(6.0) < width(10.0) && width(10.0) < width(16.0));
        assert!(matches!(
            road(Road::Major, 12.0),
            Some(Paint::Line {
                casing: Some(_),
                ..
            })
        ));
        assert!(matches!(
            road(Road::Major, 8.0),
            Some(Paint::Line { casing: None, .. })
        ));
        assert_eq!(road(Road::Minor, 9.0), None);
    }
}
