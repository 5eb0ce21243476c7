//! Drawing vector tiles by MapLibre style files: tiny fixtures written with the crate's own
//! MVT writer, checked pixel by pixel.

use serde_json::{Value as Json, json};
use strikemap_tilefile::MvtValue;
use strikemap_tilefile::style::{StyleDocument, label_candidates, render_mvt};
use strikemap_tilefile::write::{MvtFeature, MvtGeometry, MvtLayer, mvt_tile};

const SIZE: u32 = 256;

fn style(layers: Json) -> StyleDocument {
    let text = json!({
        "version": 8,
        "sources": {"base": {"type": "vector", "url": "pmtiles://base.pmtiles"}},
        "layers": layers,
    })
    .to_string();
    StyleDocument::parse(&text, "test-style.json").expect("fixture style parses")
}

fn white_background() -> Json {
    json!({"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}})
}

fn tile(layers: Vec<MvtLayer>) -> Vec<u8> {
    mvt_tile(&layers)
}

fn render(style: &StyleDocument, tile: &[u8], zoom: f64) -> Vec<u8> {
    render_mvt(style, Some("base"), tile, zoom, SIZE)
        .expect("tile decodes")
        .expect("pixmap")
        .rgba
}

fn pixel(rgba: &[u8], x: u32, y: u32) -> [u8; 4] {
    let i = ((y * SIZE + x) * 4) as usize;
    [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
}

fn close(actual: [u8; 4], expected: [u8; 4]) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| (i32::from(*a) - i32::from(e)).abs() <= 2)
}

const WHITE: [u8; 4] = [255, 255, 255, 255];

fn square(x0: i32, y0: i32, x1: i32, y1: i32) -> MvtGeometry {
    MvtGeometry::Polygons(vec![vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]])
}

fn class(name: &str) -> Vec<(&'static str, MvtValue)> {
    vec![("class", MvtValue::String(name.to_string()))]
}

#[test]
fn background_colour_and_opacity_fill_the_tile() {
    let doc = style(
        json!([{"id": "bg", "type": "background", "paint": {"background-color": "#336699"}}]),
    );
    let rgba = render(&doc, &tile(Vec::new()), 10.0);
    assert_eq!(pixel(&rgba, 10, 10), [0x33, 0x66, 0x99, 255]);
    let faded = style(json!([white_background(),
        {"id": "tint", "type": "background", "paint": {"background-color": "#000000", "background-opacity": 0.5}}]));
    let rgba = render(&faded, &tile(Vec::new()), 10.0);
    assert!(
        close(pixel(&rgba, 10, 10), [128, 128, 128, 255]),
        "{:?}",
        pixel(&rgba, 10, 10)
    );
}

#[test]
fn fill_colour_opacity_and_filter_choose_the_polygons() {
    let water = MvtFeature::new(square(0, 0, 2048, 4096), &class("water"));
    let land = MvtFeature::new(square(2048, 0, 4096, 4096), &class("land"));
    let bytes = tile(vec![MvtLayer::new("areas", vec![water, land])]);
    let doc = style(json!([white_background(), {
        "id": "water", "type": "fill", "source": "base", "source-layer": "areas",
        "filter": ["==", "class", "water"],
        "paint": {"fill-color": "#ff0000", "fill-opacity": 0.5}
    }]));
    let rgba = render(&doc, &bytes, 10.0);
    assert!(
        close(pixel(&rgba, 64, 128), [255, 128, 128, 255]),
        "{:?}",
        pixel(&rgba, 64, 128)
    );
    assert_eq!(
        pixel(&rgba, 192, 128),
        WHITE,
        "the legacy filter keeps land out"
    );
    let by_expression = style(json!([white_background(), {
        "id": "land", "type": "fill", "source": "base", "source-layer": "areas",
        "filter": ["==", ["get", "class"], "land"],
        "paint": {"fill-color": ["match", ["get", "class"], "land", "#00ff00", "#0000ff"]}
    }]));
    let rgba = render(&by_expression, &bytes, 10.0);
    assert_eq!(pixel(&rgba, 64, 128), WHITE);
    assert_eq!(pixel(&rgba, 192, 128), [0, 255, 0, 255]);
}

fn road_tile() -> Vec<u8> {
    let road = MvtFeature::new(
        MvtGeometry::Lines(vec![vec![(0, 2048), (4096, 2048)]]),
        &class("primary"),
    );
    tile(vec![MvtLayer::new("roads", vec![road])])
}

fn road_style(paint: Json, layout: Json) -> StyleDocument {
    style(json!([white_background(), {
        "id": "roads", "type": "line", "source": "base", "source-layer": "roads",
        "paint": paint, "layout": layout
    }]))
}

#[test]
fn line_width_follows_a_zoom_function() {
    let doc = road_style(
        json!({"line-color": "#000000", "line-width": ["interpolate", ["linear"], ["zoom"], 10, 2, 14, 12]}),
        json!({}),
    );
    let bytes = road_tile();
    let narrow = render(&doc, &bytes, 10.0);
    let wide = render(&doc, &bytes, 14.0);
    assert!(close(pixel(&narrow, 100, 128), [0, 0, 0, 255]));
    assert_eq!(pixel(&narrow, 100, 133), WHITE, "2 px at z10");
    assert!(
        close(pixel(&wide, 100, 133), [0, 0, 0, 255]),
        "12 px at z14: {:?}",
        pixel(&wide, 100, 133)
    );
    assert_eq!(pixel(&wide, 100, 140), WHITE);
    let legacy = road_style(
        json!({"line-width": {"stops": [[10, 2], [14, 12]]}}),
        json!({}),
    );
    assert!(close(
        pixel(&render(&legacy, &bytes, 14.0), 100, 133),
        [0, 0, 0, 255]
    ));
}

#[test]
fn line_dash_leaves_gaps_and_round_caps_reach_past_the_end() {
    let bytes = road_tile();
    let solid = road_style(json!({"line-width": 4}), json!({}));
    let dashed = road_style(
        json!({"line-width": 4, "line-dasharray": [2, 2]}),
        json!({}),
    );
    let inked = |rgba: &[u8]| (0..SIZE).filter(|&x| pixel(rgba, x, 128) != WHITE).count();
    assert_eq!(inked(&render(&solid, &bytes, 10.0)), SIZE as usize);
    let dashed_ink = inked(&render(&dashed, &bytes, 10.0));
    assert!(
        (80..=176).contains(&dashed_ink),
        "about half inked, got {dashed_ink}"
    );

    let short = MvtFeature::new(
        MvtGeometry::Lines(vec![vec![(1024, 2048), (3072, 2048)]]),
        &[],
    );
    let short_tile = tile(vec![MvtLayer::new("roads", vec![short])]);
    let butt = road_style(json!({"line-width": 8}), json!({"line-cap": "butt"}));
    let round = road_style(json!({"line-width": 8}), json!({"line-cap": "round"}));
    assert_eq!(pixel(&render(&butt, &short_tile, 10.0), 62, 128), WHITE);
    assert_ne!(pixel(&render(&round, &short_tile, 10.0), 62, 128), WHITE);
}

#[test]
fn circles_have_their_radius_and_colour() {
    let point = MvtFeature::new(MvtGeometry::Points(vec![(2048, 2048)]), &[]);
    let bytes = tile(vec![MvtLayer::new("pois", vec![point])]);
    let doc = style(json!([white_background(), {
        "id": "pois", "type": "circle", "source": "base", "source-layer": "pois",
        "paint": {"circle-color": "#0000ff", "circle-radius": 10}
    }]));
    let rgba = render(&doc, &bytes, 10.0);
    assert_eq!(pixel(&rgba, 128, 128), [0, 0, 255, 255]);
    assert_eq!(pixel(&rgba, 128 + 7, 128), [0, 0, 255, 255]);
    assert_eq!(pixel(&rgba, 128 + 13, 128), WHITE);
}

#[test]
fn zoom_range_and_visibility_hide_layers() {
    let bytes = tile(vec![MvtLayer::new(
        "areas",
        vec![MvtFeature::new(square(0, 0, 4096, 4096), &[])],
    )]);
    let doc = style(json!([white_background(),
        {"id": "late", "type": "fill", "source": "base", "source-layer": "areas", "minzoom": 12,
         "paint": {"fill-color": "#000000"}},
        {"id": "hidden", "type": "fill", "source": "base", "source-layer": "areas",
         "layout": {"visibility": "none"}, "paint": {"fill-color": "#000000"}}]));
    assert_eq!(pixel(&render(&doc, &bytes, 11.0), 100, 100), WHITE);
    assert_eq!(pixel(&render(&doc, &bytes, 12.0), 100, 100), [0, 0, 0, 255]);
}

#[test]
fn unsupported_properties_are_listed_once_and_the_rest_still_draws() {
    let doc = style(json!([white_background(),
        {"id": "sat", "type": "raster", "source": "imagery"},
        {"id": "areas", "type": "fill", "source": "base", "source-layer": "areas",
         "paint": {"fill-color": "#000000", "fill-pattern": "stripes", "fill-opacity": ["get"]}}]));
    let listed: Vec<(String, String)> = doc
        .unsupported
        .iter()
        .map(|u| (u.layer.clone(), u.property.clone()))
        .collect();
    assert!(
        listed.contains(&("sat".to_string(), "type".to_string())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("areas".to_string(), "fill-pattern".to_string())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("areas".to_string(), "fill-opacity".to_string())),
        "{listed:?}"
    );
    assert_eq!(listed.len(), 3, "{listed:?}");
    let bytes = tile(vec![MvtLayer::new(
        "areas",
        vec![MvtFeature::new(square(0, 0, 4096, 4096), &[])],
    )]);
    assert_eq!(pixel(&render(&doc, &bytes, 10.0), 100, 100), [0, 0, 0, 255]);
}

#[test]
fn style_errors_name_the_file_and_place() {
    let error = StyleDocument::parse("{\"layers\": [", "broken.json").expect_err("truncated JSON");
    assert!(error.starts_with("broken.json:1:"), "{error}");
    let error = StyleDocument::parse("{}", "empty.json").expect_err("no layers");
    assert!(
        error.contains("empty.json") && error.contains("layers"),
        "{error}"
    );
}

#[test]
fn symbol_layers_give_label_candidates_from_text_field() {
    let city = MvtFeature::new(
        MvtGeometry::Points(vec![(1024, 3072)]),
        &[
            ("name", MvtValue::String("Kharkiv".to_string())),
            ("rank", MvtValue::Int(2)),
        ],
    );
    let bytes = tile(vec![MvtLayer::new("places", vec![city])]);
    let doc = style(json!([{
        "id": "cities", "type": "symbol", "source": "base", "source-layer": "places",
        "filter": ["<", ["get", "rank"], 5],
        "layout": {"text-field": "{name}", "text-size": 14}
    }]));
    let labels = label_candidates(&doc, Some("base"), &bytes, 10.0).expect("decodes");
    assert_eq!(labels.len(), 1);
    assert_eq!(labels[0].text, "Kharkiv");
    assert_eq!(
        (labels[0].x, labels[0].y, labels[0].size),
        (0.25, 0.75, 14.0)
    );
}
