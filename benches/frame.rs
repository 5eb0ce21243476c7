//! Frame and hit-test benchmark for table layers (plain `std::time::Instant`, no harness).
//!
//!     cargo bench --bench frame
//!
//! Builds in-memory tables of 100,000 and 1,000,000 synthetic events (the generator of
//! `crates/synth`, seed 7), their spatial index, and then for a 1600×900 view at several zooms
//! measures the CPU time to pick what is drawn (points or clusters, through the index) and
//! build the frame's shapes, count labels included; and, separately, egui's tessellation of
//! those shapes into triangles (the rest of the CPU side of a frame). Then the latency of a
//! click's hit test.

use std::time::{Duration, Instant};

use egui::{Rect, pos2, vec2};
use strikemap::map::table_layer::{
    TableDrawing, TableLook, ViewTransform, row_at, table_drawing, table_shapes,
};
use strikemap::model::{Date, LonLat};
use strikemap::state::{LayerLook, TableView};
use strikemap::table::PointTable;

const FRAMES: usize = 60;
const CLICKS: usize = 20_000;

fn main() {
    let ctx = egui::Context::default();
    let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(1600.0, 900.0));
    for count in [100_000u64, 1_000_000] {
        let generator = strikemap_synth::Generator::new(7);
        let started = Instant::now();
        let table = PointTable::in_memory(
            "synthetic",
            (0..count).map(|index| {
                let event = generator.event(index);
                (
                    LonLat {
                        lon: event.lon,
                        lat: event.lat,
                    },
                    Some(Date::from_days_since_unix_epoch(event.day)),
                    String::new(),
                )
            }),
        );
        let generated = started.elapsed();
        let started = Instant::now();
        let index = table.build_index();
        let indexed = started.elapsed();
        println!(
            "\n{count} events: generated in {:.0} ms, index built in {:.0} ms",
            generated.as_secs_f64() * 1e3,
            indexed.as_secs_f64() * 1e3
        );
        let layer = TableView {
            id: 0,
            name: "synthetic",
            look: LayerLook {
                visible: true,
                color: [0x56, 0xB4, 0xE9],
                opacity: 1.0,
            },
            table: &table,
            index: &index,
        };
        let all_rows = 0..layer.table.len() as u32;
        let dense = densest_place(&layer);
        println!(
            "{:<22} {:>9} {:>9} {:>9} {:>14} {:>15}",
            "view (1600×900)", "median", "p95", "max", "drawn", "tessellation"
        );
        let views = [
            ("world, zoom 2", (40.0, 15.0), 2.0),
            ("region, zoom 4", (60.0, 28.0), 4.0),
            ("country, zoom 6", dense, 6.0),
            ("city, zoom 9", dense, 9.0),
            ("district, zoom 12", dense, 12.0),
            ("street, zoom 15", dense, 15.0),
        ];
        for (name, center, zoom) in views {
            let view = ViewTransform::new(center, zoom, rect);
            let mut times = Vec::with_capacity(FRAMES);
            let mut tessellation = Vec::with_capacity(FRAMES);
            let mut drawn = String::new();
            let _ = ctx.run_ui(egui::RawInput::default(), |ui| {
                for _ in 0..FRAMES {
                    let started = Instant::now();
                    let drawing = table_drawing(layer.index, &view, rect, all_rows.clone());
                    let shapes = ui.ctx().fonts_mut(|fonts| {
                        table_shapes(
                            &drawing,
                            &|row| {
                                layer.table.position(row).map(|position| {
                                    strikemap::spatial::mercator(position.lon, position.lat)
                                })
                            },
                            &view,
                            TableLook::of(&layer),
                            None,
                            fonts,
                        )
                    });
                    times.push(started.elapsed());
                    drawn = match &drawing {
                        TableDrawing::Points(rows) => format!("{} points", rows.len()),
                        TableDrawing::Clusters(clusters) => {
                            format!("{} bubbles", clusters.len())
                        }
                    };
                    let clipped = shapes
                        .into_iter()
                        .map(|shape| egui::epaint::ClippedShape {
                            clip_rect: rect,
                            shape,
                            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
                        })
                        .collect();
                    let started = Instant::now();
                    std::hint::black_box(ui.ctx().tessellate(clipped, 1.0));
                    tessellation.push(started.elapsed());
                }
            });
            let (median, p95, max) = stats(&mut times);
            let (tessellation_median, _, _) = stats(&mut tessellation);
            println!(
                "{name:<22} {:>7.3}ms {:>7.3}ms {:>7.3}ms {drawn:>14} {:>13.3}ms",
                median, p95, max, tessellation_median
            );
        }
        for zoom in [3.0, 6.0, 10.0, 14.0] {
            let view = ViewTransform::new(dense, zoom, rect);
            let mut times = Vec::with_capacity(CLICKS);
            let mut hits = 0;
            let mut state = 0x9E37_79B9_7F4A_7C15u64;
            for _ in 0..CLICKS {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let x = (state >> 33) as f32 / (1u64 << 31) as f32 * rect.width();
                let y = (state & 0xFFFF_FFFF) as f32 / (1u64 << 32) as f32 * rect.height();
                let started = Instant::now();
                let hit = row_at(layer.index, &view, pos2(x, y), all_rows.clone());
                times.push(started.elapsed());
                hits += usize::from(hit.is_some());
            }
            let (median, p99, max) = percentiles(&mut times, 0.99);
            println!(
                "hit test, zoom {zoom:>4}: median {:.2} µs, p99 {:.2} µs, max {:.1} µs ({hits} of {CLICKS} clicks hit)",
                median * 1e3,
                p99 * 1e3,
                max * 1e3
            );
        }
    }
}

/// The centre of the 1° cell holding the most events.
fn densest_place(layer: &TableView<'_>) -> (f64, f64) {
    let mut cells = std::collections::HashMap::<(i32, i32), u32>::new();
    for row in 0..layer.table.len() as u32 {
        if let Some(position) = layer.table.position(row) {
            *cells
                .entry((position.lon.floor() as i32, position.lat.floor() as i32))
                .or_default() += 1;
        }
    }
    let ((lon, lat), _) = cells
        .into_iter()
        .max_by_key(|(cell, count)| (*count, *cell))
        .unwrap_or(((60, 28), 0));
    (f64::from(lon) + 0.5, f64::from(lat) + 0.5)
}

fn stats(times: &mut [Duration]) -> (f64, f64, f64) {
    percentiles(times, 0.95)
}

/// Median, the given percentile and the maximum, in milliseconds.
fn percentiles(times: &mut [Duration], high: f64) -> (f64, f64, f64) {
    times.sort();
    let at = |fraction: f64| {
        let index = ((times.len() as f64 - 1.0) * fraction).round() as usize;
        times
            .get(index)
            .map_or(0.0, |time| time.as_secs_f64() * 1e3)
    };
    (at(0.5), at(high), at(1.0))
}
