//! StyleDocument::parse on arbitrary text: never panics; every parsed layer evaluates its
//! filter and properties against a feature without panicking, and drawing a small tile by the
//! style never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_tilefile::MvtValue;
use strikemap_tilefile::style::{StyleDocument, label_candidates, render_mvt};
use strikemap_tilefile::write::{MvtFeature, MvtGeometry, MvtLayer, mvt_tile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(style) = StyleDocument::parse(text, "fuzz.json") else {
        return;
    };
    let properties = [("class", MvtValue::String("water".into())), ("rank", MvtValue::Int(3))];
    let layers: Vec<MvtLayer> = style
        .layers
        .iter()
        .filter_map(|layer| layer.source_layer.clone())
        .take(4)
        .map(|name| {
            MvtLayer::new(
                &name,
                vec![
                    MvtFeature::new(MvtGeometry::Points(vec![(100, 100)]), &properties),
                    MvtFeature::new(MvtGeometry::Lines(vec![vec![(0, 0), (4096, 4096)]]), &properties),
                    MvtFeature::new(
                        MvtGeometry::Polygons(vec![vec![(0, 0), (4096, 0), (4096, 4096)]]),
                        &properties,
                    ),
                ],
            )
        })
        .collect();
    let tile = mvt_tile(&layers);
    for zoom in [0.0, 7.5, 14.0] {
        let _ = render_mvt(&style, None, &tile, zoom, 16);
        let _ = label_candidates(&style, None, &tile, zoom);
    }
});
