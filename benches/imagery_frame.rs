//! The UI thread's part of a frame with imagery (plain `std::time::Instant`, no harness):
//! finding the window in view, asking the worker for it, and building the reprojected mesh of
//! the window already read, for a 1600 × 900 view panned 24 px a frame, and for the same view
//! with two images compared by a swipe bar moving across it. Frames are 16 ms apart so the
//! worker reads as it would at 60 frames a second; egui's tessellation of the mesh is timed
//! apart. Run through `scripts/bench-imagery.sh` (it makes the Sentinel-2-sized files):
//!
//!     STRIKEMAP_GEOTIFF=before.tif STRIKEMAP_GEOTIFF_AFTER=after.tif \
//!         cargo bench --bench imagery_frame

use egui::{Rect, pos2, vec2};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use strikemap::import::import_file;
use strikemap::map::imagery::ImageryPainter;
use strikemap::state::{AppState, Command};
use walkers::{MapMemory, MercatorProjection, Projector, lat_lon};

const FRAMES: usize = 120;
const PAN_STEP_PX: f64 = 24.0;

fn main() {
    let Some(before) = std::env::var_os("STRIKEMAP_GEOTIFF").map(PathBuf::from) else {
        println!("set STRIKEMAP_GEOTIFF to a GeoTIFF (scripts/bench-imagery.sh makes one)");
        return;
    };
    let after = std::env::var_os("STRIKEMAP_GEOTIFF_AFTER").map_or(before.clone(), PathBuf::from);
    let mut state = AppState::default();
    let mut ids = Vec::new();
    for path in [before, after] {
        let import = import_file(&path);
        match state.add_import(path, import) {
            Some(id) => ids.push(id),
            None => {
                println!("{:?}", state.messages);
                return;
            }
        }
    }
    let Some(bounds) = state.layers.iter().find_map(|layer| layer.bounds()) else {
        return;
    };
    let center = (
        (bounds.min.lon + bounds.max.lon) / 2.0,
        (bounds.min.lat + bounds.max.lat) / 2.0,
    );
    let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(1600.0, 900.0));
    let ctx = egui::Context::default();
    for (name, zoom, swipe) in [
        ("pan, zoom 13 (first overview)", 13.0, false),
        ("pan, zoom 10 (whole image)", 10.0, false),
        ("swipe, zoom 13", 13.0, true),
    ] {
        state.apply(Command::CompareImagery(swipe.then_some((ids[0], ids[1]))));
        // Only the compared pair, or only the first image, is shown.
        state.apply(Command::SetLayerVisible(ids[1], swipe));
        let mut painter_state = ImageryPainter::default();
        let mut memory = MapMemory::default();
        let _ = memory.set_zoom(zoom);
        let degrees_per_px = 360.0 / (256.0 * 2f64.powf(zoom));
        let mut times = Vec::with_capacity(FRAMES);
        let mut tessellation = Vec::with_capacity(FRAMES);
        for frame in 0..FRAMES {
            let lon = if swipe {
                center.0
            } else {
                center.0 - 0.2 + frame as f64 * PAN_STEP_PX * degrees_per_px
            };
            memory.center_at(lat_lon(center.1, lon));
            let split = swipe.then(|| rect.width() * frame as f32 / FRAMES as f32);
            let mut output = ctx.run_ui(
                egui::RawInput {
                    screen_rect: Some(rect),
                    ..Default::default()
                },
                |ui| {
                    let projector =
                        Projector::new(rect, &MercatorProjection, &memory, lat_lon(0.0, 0.0));
                    let painter = ui.painter().with_clip_rect(rect);
                    let started = Instant::now();
                    painter_state.paint(ui.ctx(), &painter, &projector, &state, split);
                    times.push(started.elapsed());
                },
            );
            // No renderer takes the textures here.
            output.textures_delta.clear();
            let started = Instant::now();
            let _ = ctx.tessellate(output.shapes, 1.0);
            tessellation.push(started.elapsed());
            std::thread::sleep(Duration::from_millis(16));
        }
        report(&format!("{name}: find, ask, mesh"), &mut times);
        report(&format!("{name}: tessellation"), &mut tessellation);
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let at = |fraction: f64| times[((times.len() - 1) as f64 * fraction).round() as usize];
    println!(
        "{what}: median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} frames)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1]),
        times.len()
    );
}
