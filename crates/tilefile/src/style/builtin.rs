//! Built-in styles, written in the style language and drawn by the style engine: Shortbread
//! (`ocean`, `water_polygons`, `land`, `streets`, `boundaries`, …) and a generic style for an
//! unknown schema that draws every polygon, line and point. They are authored for 256-pixel
//! tiles, so they take the app's zoom as the style zoom.

use serde_json::{Value as Json, json};
use strikemap_basemap::style::Rgb8;

use super::document::StyleDocument;
use crate::mvt::style as palette;

fn hex(colour: Rgb8) -> String {
    format!("#{:02x}{:02x}{:02x}", colour.r, colour.g, colour.b)
}

fn document(layers: Vec<Json>, origin: &str) -> StyleDocument {
    let text = json!({"version": 8, "sources": {}, "layers": layers}).to_string();
    // The built-in styles are fixed text: a failure would be a bug caught by the tests; the
    // fallback keeps the map drawing (an empty style shows the world map beneath).
    StyleDocument::parse(&text, origin).unwrap_or_default()
}

fn background() -> Json {
    json!({"id": "background", "type": "background", "paint": {"background-color": hex(palette::LAND)}})
}

fn fill(id: &str, source_layer: &str, filter: Json, colour: Json, min_zoom: f64) -> Json {
    json!({"id": id, "type": "fill", "source-layer": source_layer, "filter": filter, "minzoom": min_zoom,
           "paint": {"fill-color": colour}})
}

/// The Shortbread schema (as in VersaTiles) in the colours of the app's own map.
pub fn shortbread() -> StyleDocument {
    let land_colour = json!([
        "match",
        ["get", "kind"],
        ["forest", "wood"],
        hex(palette::FOREST),
        [
            "grass",
            "meadow",
            "heath",
            "scrub",
            "park",
            "village_green",
            "recreation_ground",
            "garden"
        ],
        hex(palette::GRASS),
        ["farmland", "orchard", "vineyard", "allotments"],
        hex(palette::FARMLAND),
        ["sand", "beach", "bare_rock", "scree", "shingle"],
        hex(palette::BARREN),
        ["glacier"],
        hex(palette::GLACIER),
        ["industrial", "railway", "quarry", "landfill", "brownfield"],
        hex(palette::INDUSTRIAL),
        ["residential", "commercial", "retail"],
        hex(palette::URBAN),
        hex(palette::LAND)
    ]);
    // `extra` widens the casing; zoom may only be the input of the one top-level curve.
    let street_width = |extra: f64| {
        json!([
            "interpolate",
            ["exponential", 1.6],
            ["zoom"],
            5,
            [
                "+",
                extra,
                [
                    "*",
                    0.5,
                    [
                        "match",
                        ["get", "kind"],
                        ["motorway", "trunk"],
                        1.6,
                        ["primary"],
                        1.2,
                        0.6
                    ]
                ]
            ],
            18,
            [
                "+",
                extra,
                [
                    "*",
                    14.0,
                    [
                        "match",
                        ["get", "kind"],
                        ["motorway", "trunk"],
                        1.4,
                        ["primary", "secondary"],
                        1.1,
                        ["tertiary", "residential", "unclassified", "living_street"],
                        0.8,
                        0.35
                    ]
                ]
            ]
        ])
    };
    let major = json!([
        "in",
        ["get", "kind"],
        ["literal", ["motorway", "trunk", "primary", "secondary"]]
    ]);
    let shown_streets = json!(["step", ["zoom"], major.clone(), 11, true]);
    document(
        vec![
            background(),
            fill("ocean", "ocean", json!(true), json!(hex(palette::SEA)), 0.0),
            fill("land", "land", json!(true), land_colour, 0.0),
            fill(
                "water",
                "water_polygons",
                json!(true),
                json!(hex(palette::SEA)),
                0.0,
            ),
            json!({"id": "rivers", "type": "line", "source-layer": "water_lines",
                   "paint": {"line-color": hex(palette::RIVER),
                             "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.5, 16, ["match", ["get", "kind"], "river", 6, 2]]}}),
            fill(
                "buildings",
                "buildings",
                json!(true),
                json!(hex(palette::BUILDING)),
                13.0,
            ),
            json!({"id": "street-casing", "type": "line", "source-layer": "streets", "minzoom": 10,
                   "filter": shown_streets.clone(),
                   "layout": {"line-cap": "round", "line-join": "round"},
                   "paint": {"line-color": ["case", major.clone(), hex(palette::HIGHWAY_CASING), hex(palette::ROAD_CASING)],
                             "line-width": street_width(1.5)}}),
            json!({"id": "streets", "type": "line", "source-layer": "streets",
                   "filter": shown_streets,
                   "layout": {"line-cap": "round", "line-join": "round"},
                   "paint": {"line-color": ["step", ["zoom"], hex(palette::ROAD_LOW_ZOOM), 10, hex(palette::ROAD_FILL)],
                             "line-width": street_width(0.0)}}),
            json!({"id": "boundaries", "type": "line", "source-layer": "boundaries",
                   "filter": ["<=", ["get", "admin_level"], 4],
                   "paint": {"line-color": ["case", ["<=", ["get", "admin_level"], 2], hex(palette::COUNTRY_BORDER), hex(palette::REGION_BORDER)],
                             "line-width": ["case", ["<=", ["get", "admin_level"], 2], 1.2, 0.8],
                             "line-dasharray": ["literal", [4, 2]]}}),
        ],
        "built-in Shortbread style",
    )
}

/// A style for a schema the app does not know: every polygon filled pale with an outline,
/// every line thin, every point a dot; layers whose names say water are drawn as water.
/// Without `background` (an overlay) what has no feature stays transparent.
pub fn generic(layer_names: &[String], background_too: bool) -> StyleDocument {
    let mut layers = if background_too {
        vec![background()]
    } else {
        Vec::new()
    };
    let is_polygon = json!(["==", ["geometry-type"], "Polygon"]);
    for name in layer_names {
        let lower = name.to_ascii_lowercase();
        let watery = ["water", "ocean", "lake", "sea", "river"]
            .iter()
            .any(|w| lower.contains(w));
        let (fill_colour, line_colour) = if watery {
            (hex(palette::SEA), hex(palette::RIVER))
        } else {
            (hex(palette::URBAN), hex(palette::PATH))
        };
        layers.push(json!({"id": format!("{name}-fill"), "type": "fill", "source-layer": name, "filter": is_polygon,
            "paint": {"fill-color": fill_colour, "fill-opacity": if watery { 1.0 } else { 0.6 },
                      "fill-outline-color": line_colour}}));
        layers.push(json!({"id": format!("{name}-line"), "type": "line", "source-layer": name,
            "filter": ["==", ["geometry-type"], "LineString"],
            "paint": {"line-color": line_colour, "line-width": ["interpolate", ["linear"], ["zoom"], 4, 0.5, 16, 2]}}));
        layers.push(json!({"id": format!("{name}-point"), "type": "circle", "source-layer": name,
            "filter": ["==", ["geometry-type"], "Point"],
            "paint": {"circle-color": line_colour, "circle-radius": ["interpolate", ["linear"], ["zoom"], 4, 1, 16, 3]}}));
    }
    document(layers, "built-in generic style")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_styles_compile_without_unsupported_properties() {
        let shortbread = shortbread();
        assert!(shortbread.layers.len() > 8);
        assert!(
            shortbread.unsupported.is_empty(),
            "{:?}",
            shortbread.unsupported
        );
        let generic = generic(&["roads".to_string(), "lakes".to_string()], true);
        assert_eq!(generic.layers.len(), 7);
        assert!(generic.unsupported.is_empty(), "{:?}", generic.unsupported);
    }
}
