//! Speed of style expressions per feature (plain `std::time::Instant`, no harness).
//!
//!     cargo bench -p strikemap_tilefile --bench style_eval
//!
//! A road layer's filter, colour (`match` on `class`), width (`interpolate` on zoom with a
//! `match` per stop) and dash are evaluated for 200,000 synthetic features, against the same
//! rules written as plain Rust (the peer: what a built-in style costs). Then a 256-pixel tile
//! of 5,000 lines is drawn by the style.

use std::hint::black_box;
use std::time::Instant;

use serde_json::json;
use strikemap_tilefile::MvtValue;
use strikemap_tilefile::style::legacy::PropertyKind;
use strikemap_tilefile::style::{
    Context, FeatureView, StyleDocument, Type, Value, compile_property, render_mvt,
};
use strikemap_tilefile::write::{MvtFeature, MvtGeometry, MvtLayer, mvt_tile};

const CLASSES: [&str; 5] = ["motorway", "primary", "secondary", "minor", "path"];
const FEATURES: usize = 200_000;

struct Road {
    class: &'static str,
    rank: f64,
}

impl FeatureView for Road {
    fn property(&self, key: &str) -> Option<Value> {
        match key {
            "class" => Some(Value::String(self.class.to_string())),
            "rank" => Some(Value::Number(self.rank)),
            _ => None,
        }
    }
    fn properties(&self) -> Vec<(String, Value)> {
        Vec::new()
    }
    fn geometry_type(&self) -> Option<&'static str> {
        Some("LineString")
    }
    fn id(&self) -> Option<Value> {
        None
    }
}

fn plain_rust(road: &Road, zoom: f64) -> (bool, [u8; 3], f64) {
    let passes = road.class != "path" && road.rank < 8.0;
    let colour = match road.class {
        "motorway" => [0xE8, 0x92, 0xA2],
        "primary" => [0xFC, 0xD6, 0xA4],
        _ => [0xFF, 0xFF, 0xFF],
    };
    let major = matches!(road.class, "motorway" | "primary");
    let (low, high) = if major { (1.0, 12.0) } else { (0.5, 6.0) };
    let t = ((zoom - 5.0) / 13.0).clamp(0.0, 1.0);
    (passes, colour, low + (high - low) * t)
}

fn main() {
    let kind = PropertyKind {
        interpolated: true,
        ..PropertyKind::default()
    };
    let compile = |json: serde_json::Value, ty: Type| {
        compile_property(&json, Some(&ty), &kind).expect("compiles")
    };
    let filter = compile(
        json!([
            "all",
            ["!=", ["get", "class"], "path"],
            ["<", ["get", "rank"], 8]
        ]),
        Type::Boolean,
    );
    let colour = compile(
        json!([
            "match",
            ["get", "class"],
            "motorway",
            "#e892a2",
            "primary",
            "#fcd6a4",
            "#ffffff"
        ]),
        Type::Color,
    );
    let width = compile(
        json!([
            "interpolate",
            ["linear"],
            ["zoom"],
            5,
            ["match", ["get", "class"], ["motorway", "primary"], 1, 0.5],
            18,
            ["match", ["get", "class"], ["motorway", "primary"], 12, 6]
        ]),
        Type::Number,
    );
    let roads: Vec<Road> = (0..FEATURES)
        .map(|i| Road {
            class: CLASSES[i % CLASSES.len()],
            rank: (i % 11) as f64,
        })
        .collect();

    let started = Instant::now();
    let mut drawn = 0usize;
    for road in &roads {
        let context = Context::new(12.5, road);
        if filter.evaluate_filter(&context) {
            drawn += 1;
            black_box(colour.evaluate(&context).ok());
            black_box(width.evaluate(&context).ok());
        }
    }
    let expressions = started.elapsed();
    let started = Instant::now();
    let mut peer_drawn = 0usize;
    for road in &roads {
        let (passes, rgb, w) = plain_rust(black_box(road), black_box(12.5));
        if passes {
            peer_drawn += 1;
            black_box((rgb, w));
        }
    }
    let peer = started.elapsed();
    assert_eq!(drawn, peer_drawn);
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e9 / FEATURES as f64;
    println!(
        "{FEATURES} features (filter + colour + width): expressions {:.0} ns/feature, plain Rust {:.1} ns/feature, ratio {:.0}x",
        per(expressions),
        per(peer),
        per(expressions) / per(peer).max(1e-9)
    );

    let lines: Vec<MvtFeature> = (0..5_000)
        .map(|i| {
            let y = (i * 37 % 4096) as i32;
            MvtFeature::new(
                MvtGeometry::Lines(vec![vec![(0, y), (2048, (y + 500) % 4096), (4096, y)]]),
                &[
                    (
                        "class",
                        MvtValue::String(CLASSES[i % CLASSES.len()].to_string()),
                    ),
                    ("rank", MvtValue::Int((i % 11) as i64)),
                ],
            )
        })
        .collect();
    let tile = mvt_tile(&[MvtLayer::new("roads", lines)]);
    let style_text = json!({"version": 8, "sources": {}, "layers": [
        {"id": "bg", "type": "background", "paint": {"background-color": "#f8f4f0"}},
        {"id": "roads", "type": "line", "source-layer": "roads",
         "filter": ["all", ["!=", ["get", "class"], "path"], ["<", ["get", "rank"], 8]],
         "paint": {
            "line-color": ["match", ["get", "class"], "motorway", "#e892a2", "primary", "#fcd6a4", "#ffffff"],
            "line-width": ["interpolate", ["linear"], ["zoom"], 5, 1, 18, 12]}}]})
    .to_string();
    let style = StyleDocument::parse(&style_text, "bench.json").expect("style parses");
    let runs = 20;
    let started = Instant::now();
    for _ in 0..runs {
        black_box(render_mvt(&style, None, &tile, 12.5, 256).expect("renders"));
    }
    println!(
        "5,000-line tile drawn by a style at 256 px: {:.1} ms per tile",
        started.elapsed().as_secs_f64() * 1e3 / f64::from(runs)
    );
}
