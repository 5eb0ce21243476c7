//! Tile rendering benchmark (plain `std::time::Instant`, no harness).
//!
//!     cargo bench -p strikemap_basemap
//!
//! Renders a fixed, deterministic set of 256-px tiles: every tile of the region at zoom 4
//! and zoom 7, and 200 tiles at zoom 10 picked by a fixed pseudo-random sequence from the
//! tiles that overlap the region. Each zoom-4 tile is rendered 20 times (there are only 3).
//! Prints median, p95 and max milliseconds per tile for each zoom, plus a 512-px run at
//! zoom 7 and the decode time of the embedded asset.

use std::time::Instant;

use strikemap_basemap::Basemap;
use strikemap_basemap::tile_math::tiles_covering;

const TILE_SIZE_PX: u32 = 256;
const ZOOM10_SAMPLE: usize = 200;

fn main() {
    let decode_start = Instant::now();
    let basemap = match Basemap::embedded() {
        Ok(basemap) => basemap,
        Err(error) => {
            eprintln!("cannot decode the embedded asset: {error}");
            std::process::exit(1);
        }
    };
    let decode_ms = decode_start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "decode embedded asset ({} bytes): {decode_ms:.2} ms",
        Basemap::embedded_bytes().len()
    );

    // Warm up caches and the allocator.
    for _ in 0..3 {
        std::hint::black_box(basemap.render_tile(7, 87, 52, TILE_SIZE_PX));
    }

    let region = basemap.region();
    let zoom4: Vec<(u32, u32)> = tiles_covering(&region, 4).tiles().collect();
    let zoom7: Vec<(u32, u32)> = tiles_covering(&region, 7).tiles().collect();
    let zoom10 = deterministic_sample(tiles_covering(&region, 10).tiles().collect(), ZOOM10_SAMPLE);

    println!(
        "{:<22} {:>6} {:>9} {:>9} {:>9}",
        "set", "tiles", "median", "p95", "max"
    );
    report(
        "zoom 4, 256 px (x20)",
        &basemap,
        4,
        &zoom4,
        20,
        TILE_SIZE_PX,
    );
    report("zoom 7, 256 px", &basemap, 7, &zoom7, 1, TILE_SIZE_PX);
    report("zoom 10, 256 px", &basemap, 10, &zoom10, 1, TILE_SIZE_PX);
    report("zoom 7, 512 px", &basemap, 7, &zoom7, 1, 512);
}

/// Picks `count` tiles with a fixed xorshift sequence (same tiles on every run).
fn deterministic_sample(mut tiles: Vec<(u32, u32)>, count: usize) -> Vec<(u32, u32)> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut picked = Vec::with_capacity(count);
    while picked.len() < count && !tiles.is_empty() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let index = (state % tiles.len() as u64) as usize;
        picked.push(tiles.swap_remove(index));
    }
    picked
}

fn report(
    label: &str,
    basemap: &Basemap,
    zoom: u8,
    tiles: &[(u32, u32)],
    repeats: usize,
    size_px: u32,
) {
    let mut times_ms = Vec::with_capacity(tiles.len() * repeats);
    for _ in 0..repeats {
        for &(x, y) in tiles {
            let start = Instant::now();
            let tile = basemap.render_tile(zoom, x, y, size_px);
            times_ms.push(start.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(tile);
        }
    }
    times_ms.sort_by(f64::total_cmp);
    let percentile = |p: f64| {
        let index = ((times_ms.len() as f64 - 1.0) * p).round() as usize;
        times_ms.get(index).copied().unwrap_or(f64::NAN)
    };
    println!(
        "{label:<22} {:>6} {:>6.2} ms {:>6.2} ms {:>6.2} ms",
        tiles.len(),
        percentile(0.5),
        percentile(0.95),
        percentile(1.0)
    );
}
