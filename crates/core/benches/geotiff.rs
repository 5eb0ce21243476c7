//! GeoTIFF imagery: opening a large file, and the windows a pan and a swipe read (plain
//! `std::time::Instant`, no harness). Run through `scripts/bench-imagery.sh`, which makes a
//! Sentinel-2-sized file with GDAL and times GDAL on the same work:
//!
//!     STRIKEMAP_GEOTIFF=/tmp/s2.tif [STRIKEMAP_GEOTIFF_AFTER=/tmp/s2-after.tif] \
//!         cargo bench -p strikemap_core --bench geotiff
//!
//! - open: `GeoTiff::open` (directories, georeferencing, the stretch's sample of the smallest
//!   level), five times;
//! - pan: a 1600 × 900 view at full resolution and at the first overview moved 24 px a frame
//!   to the right for 120 frames (a brisk pan: 1,440 px a second at 60 frames a second), each
//!   frame reading its whole window (chunks come from the reader's cache unless new in view);
//! - swipe: the same view of the "before" and "after" files, both windows read each frame
//!   (the app reads nothing when only the bar moves: this is the worst case).

use std::time::{Duration, Instant};
use strikemap_core::formats::geotiff::{GeoTiff, PixelWindow, WindowReader};

const VIEW: (u32, u32) = (1600, 900);
const PAN_FRAMES: u32 = 120;
const PAN_STEP_PX: u32 = 24;

fn main() {
    let Some(path) = std::env::var_os("STRIKEMAP_GEOTIFF") else {
        println!("set STRIKEMAP_GEOTIFF to a GeoTIFF (scripts/bench-imagery.sh makes one)");
        return;
    };
    let path = std::path::PathBuf::from(path);
    let mut opens = Vec::new();
    let mut opened = None;
    for _ in 0..5 {
        let started = Instant::now();
        let tiff = match GeoTiff::open(&path) {
            Ok(tiff) => tiff,
            Err(error) => {
                println!("{error}");
                return;
            }
        };
        opens.push(started.elapsed());
        opened = Some(tiff);
    }
    let Some(tiff) = opened else { return };
    let full = tiff.levels[0];
    println!(
        "{}: {} × {} px, {} levels, tiles {} × {}, stretch {:?}",
        path.display(),
        full.width,
        full.height,
        tiff.levels.len(),
        full.chunk_width,
        full.chunk_height,
        tiff.stretch
    );
    report("open", &mut opens);

    for level in [0, 1] {
        let Ok(mut reader) = WindowReader::open(&tiff) else {
            return;
        };
        let mut frames = Vec::new();
        for frame in 0..PAN_FRAMES {
            let window = view_window(&tiff, level, frame * PAN_STEP_PX);
            let started = Instant::now();
            let image = reader.read(level, window);
            frames.push(started.elapsed());
            if let Err(error) = image {
                println!("{error}");
                return;
            }
        }
        report(&format!("pan frame, level {level}"), &mut frames);
    }

    let after_path = std::env::var_os("STRIKEMAP_GEOTIFF_AFTER").map(std::path::PathBuf::from);
    let after = match after_path.as_deref().map(GeoTiff::open) {
        Some(Ok(after)) => after,
        Some(Err(error)) => {
            println!("{error}");
            return;
        }
        None => match GeoTiff::open(&path) {
            Ok(same) => same,
            Err(_) => return,
        },
    };
    let (Ok(mut before_reader), Ok(mut after_reader)) =
        (WindowReader::open(&tiff), WindowReader::open(&after))
    else {
        return;
    };
    let window = view_window(&tiff, 1, 0);
    let mut frames = Vec::new();
    for _ in 0..PAN_FRAMES {
        let started = Instant::now();
        let both = before_reader
            .read(1, window)
            .and_then(|_| after_reader.read(1, window));
        frames.push(started.elapsed());
        if let Err(error) = both {
            println!("{error}");
            return;
        }
    }
    report("swipe frame (both windows), level 1", &mut frames);
}

/// The view's window at `level`, `offset` px right of the image's middle-left, grown to
/// whole tiles as the app asks.
fn view_window(tiff: &GeoTiff, level: usize, offset: u32) -> PixelWindow {
    let info = tiff.levels[level];
    let x = (info.width / 8 + offset) / info.chunk_width * info.chunk_width;
    let y = (info.height / 2).saturating_sub(VIEW.1 / 2) / info.chunk_height * info.chunk_height;
    let right = (info.width / 8 + offset + VIEW.0).div_ceil(info.chunk_width) * info.chunk_width;
    let bottom = (info.height / 2 + VIEW.1 / 2).div_ceil(info.chunk_height) * info.chunk_height;
    PixelWindow {
        x,
        y,
        width: right.min(info.width) - x,
        height: bottom.min(info.height) - y,
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let at = |fraction: f64| times[((times.len() - 1) as f64 * fraction).round() as usize];
    println!(
        "{what}: median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} runs)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1]),
        times.len()
    );
}
