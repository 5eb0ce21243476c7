//! The in-crate companion of the `fuzz_style` target: truncated and byte-flipped style files
//! never panic the reader, the evaluator or the renderer.

use serde_json::json;
use strikemap_tilefile::MvtValue;
use strikemap_tilefile::style::{StyleDocument, label_candidates, render_mvt};
use strikemap_tilefile::write::{MvtFeature, MvtGeometry, MvtLayer, mvt_tile};

fn fixture_style() -> String {
    json!({
        "version": 8,
        "sources": {"base": {"type": "vector", "url": "mbtiles://base.mbtiles"}},
        "layers": [
            {"id": "bg", "type": "background", "paint": {"background-color": "hsl(30, 20%, 95%)"}},
            {"id": "water", "type": "fill", "source": "base", "source-layer": "water",
             "filter": ["all", ["==", "$type", "Polygon"], ["in", "class", "lake", "sea"]],
             "paint": {"fill-color": {"stops": [[4, "#a0c8f0"], [10, "#80b0e0"]]}, "fill-opacity": 0.8}},
            {"id": "roads", "type": "line", "source": "base", "source-layer": "roads",
             "filter": ["match", ["get", "class"], ["primary", "secondary"], true, false],
             "layout": {"line-cap": "round", "line-join": "round"},
             "paint": {"line-width": ["interpolate", ["exponential", 1.5], ["zoom"], 5, 0.5, 18, ["*", 2, ["coalesce", ["get", "lanes"], 2]]],
                       "line-dasharray": [2, 1], "line-color": ["case", ["has", "tunnel"], "#999", "#fff"]}},
            {"id": "poi", "type": "circle", "source": "base", "source-layer": "poi",
             "paint": {"circle-radius": ["step", ["zoom"], 2, 12, 4], "circle-color": ["to-color", ["get", "colour"], "red"]}},
            {"id": "labels", "type": "symbol", "source": "base", "source-layer": "poi",
             "layout": {"text-field": ["concat", ["upcase", ["get", "name"]], " ", ["to-string", ["get", "rank"]]]}}
        ]
    })
    .to_string()
}

fn fixture_tile() -> Vec<u8> {
    let props = [
        ("class", MvtValue::String("primary".into())),
        ("name", MvtValue::String("Quetta".into())),
        ("rank", MvtValue::Int(2)),
        ("colour", MvtValue::String("#ff0".into())),
    ];
    let features = || {
        vec![
            MvtFeature::new(MvtGeometry::Points(vec![(100, 100)]), &props),
            MvtFeature::new(MvtGeometry::Lines(vec![vec![(0, 0), (4096, 4096)]]), &props),
            MvtFeature::new(
                MvtGeometry::Polygons(vec![vec![(0, 0), (4096, 0), (4096, 4096)]]),
                &props,
            ),
        ]
    };
    mvt_tile(&["water", "roads", "poi"].map(|name| MvtLayer::new(name, features())))
}

fn exercise(text: &str, tile: &[u8]) {
    if let Ok(style) = StyleDocument::parse(text, "mangled.json") {
        for zoom in [3.0, 12.0] {
            let _ = render_mvt(&style, Some("base"), tile, zoom, 32);
            let _ = label_candidates(&style, Some("base"), tile, zoom);
        }
    }
}

#[test]
fn the_fixture_style_draws_every_layer() {
    let style = StyleDocument::parse(&fixture_style(), "fixture.json").expect("parses");
    assert_eq!(style.layers.len(), 5);
    assert!(style.unsupported.is_empty(), "{:?}", style.unsupported);
}

#[test]
fn mangled_styles_never_panic() {
    let text = fixture_style();
    let tile = fixture_tile();
    let bytes = text.as_bytes();
    for cut in (0..bytes.len()).step_by(7) {
        exercise(&String::from_utf8_lossy(&bytes[..cut]), &tile);
    }
    let replacements = [b'[', b']', b'{', b'"', b'0', b'-', b'e', b',', b'x'];
    let mut state = 0x2545_f491_u32;
    for round in 0..1_500 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let mut mangled = bytes.to_vec();
        let at = state as usize % mangled.len();
        mangled[at] = replacements[round % replacements.len()];
        exercise(&String::from_utf8_lossy(&mangled), &tile);
    }
}
