//! `strikemap_core::spatial` benchmark (plain `std::time::Instant`, no harness).
//!
//!     cargo bench -p strikemap_core --bench spatial
//!
//! Deterministic data sets of 100k and 1M points: 80% around 300 hot spots (Zipf-like weights,
//! Gaussian spreads of 5–150 km) and 20% uniform background over lon −20..150, lat −40..60; rows
//! are in generation order (so a row range is spatially random, like a date window). Prints the
//! build time, the heap bytes per point (a counting global allocator) and the RSS delta,
//! `nearest_row` median/p99 at zooms 3, 6, 10 and 14, `clusters` for a 1600×900 viewport centred
//! on the densest area, `rows_in_rect` with a limit of 5,000, and partial-range `clusters`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use strikemap_core::spatial::{MercatorRect, PointIndex, mercator, units_per_pixel};

struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const VIEWPORT: (f64, f64) = (1600.0, 900.0);

/// SplitMix64 steps, as the data has always been drawn.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        strikemap_synth::rng::splitmix64(&mut self.0)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn gaussian(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

fn generate(n: usize, seed: u64) -> Vec<[f32; 2]> {
    let mut rng = Rng(seed);
    let spots: Vec<(f64, f64, f64)> = (0..300)
        .map(|_| {
            let km = 5.0 * 30f64.powf(rng.unit());
            (rng.range(-20.0, 150.0), rng.range(-40.0, 60.0), km / 111.0)
        })
        .collect();
    // Zipf-like weights, cumulative.
    let weights: Vec<f64> = (0..spots.len())
        .map(|i| 1.0 / ((i + 1) as f64).powf(0.8))
        .scan(0.0, |total, w| {
            *total += w;
            Some(*total)
        })
        .collect();
    let total = weights.last().copied().unwrap_or(1.0);
    (0..n)
        .map(|_| {
            let (lon, lat) = if rng.unit() < 0.2 {
                (rng.range(-20.0, 150.0), rng.range(-40.0, 60.0))
            } else {
                let pick = rng.unit() * total;
                let i = weights.partition_point(|&w| w < pick).min(spots.len() - 1);
                let (lon, lat, sigma) = spots[i];
                let lat = lat + sigma * rng.gaussian();
                let lon = lon + sigma * rng.gaussian() / lat.to_radians().cos().max(0.2);
                (lon, lat)
            };
            let p = mercator(lon, lat);
            [p[0] as f32, p[1] as f32]
        })
        .collect()
}

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<usize>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

/// Runs `f` `runs` times; median and max in µs.
fn time_us<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 1.0))
}

fn main() {
    for n in [100_000, 1_000_000] {
        run(n);
    }
}

fn run(n: usize) {
    println!("== {n} points ==");
    let points = generate(n, 42);
    let len = points.len() as u32;

    // Memory of the first build (the RSS delta also holds whatever the allocator keeps of the
    // build's temporaries), then the time of three more.
    let (live_before, rss_before) = (LIVE.load(Ordering::Relaxed), rss_bytes());
    PEAK.store(live_before, Ordering::Relaxed);
    let index = PointIndex::build(&points);
    let heap = LIVE.load(Ordering::Relaxed) - live_before;
    let peak = PEAK.load(Ordering::Relaxed) - live_before;
    let rss = rss_bytes().saturating_sub(rss_before);
    let mut build_times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let index = PointIndex::build(&points);
            let elapsed = start.elapsed();
            drop(black_box(index));
            elapsed
        })
        .collect();
    build_times.sort();
    let stats = index.stats();
    println!(
        "build (3 runs): best {:.1} ms, median {:.1} ms",
        build_times[0].as_secs_f64() * 1e3,
        build_times[1].as_secs_f64() * 1e3
    );
    println!(
        "memory: {:.1} heap bytes/point ({:.1} MB); RSS delta {:.1} bytes/point; heap peak during build {:.1} bytes/point",
        heap as f64 / n as f64,
        heap as f64 / 1e6,
        rss as f64 / n as f64,
        peak as f64 / n as f64
    );
    println!(
        "shape: {} distinct positions, {} stored levels, cells per level {:?}, checkpoint blocks {:?}",
        stats.distinct_positions,
        stats.level_cells.len(),
        stats.level_cells,
        stats.level_blocks
    );

    // The densest area: the fullest level-6 cell.
    let world = MercatorRect::new([0.0, 0.0], [1.0, 1.0]);
    let densest = index
        .clusters(6, world, 0..len)
        .into_iter()
        .max_by_key(|c| c.count)
        .map_or([0.5, 0.5], |c| c.center);
    println!("densest area: {densest:.5?}");

    println!("nearest_row (6 px radius, 20k clicks: half near points, half in the viewport):");
    let mut rng = Rng(7);
    for zoom in [3.0, 6.0, 10.0, 14.0] {
        let unit = units_per_pixel(zoom);
        let radius = 6.0 * unit;
        let view = MercatorRect::viewport(densest, VIEWPORT.0, VIEWPORT.1, zoom);
        let queries: Vec<[f64; 2]> = (0..20_000)
            .map(|i| {
                if i % 2 == 0 {
                    let p = points[(rng.next() % n as u64) as usize];
                    [
                        f64::from(p[0]) + rng.range(-8.0, 8.0) * unit,
                        f64::from(p[1]) + rng.range(-8.0, 8.0) * unit,
                    ]
                } else {
                    [
                        rng.range(view.min[0], view.max[0]),
                        rng.range(view.min[1], view.max[1]),
                    ]
                }
            })
            .collect();
        for (label, rows) in [("all rows", 0..len), ("half", len / 4..len * 3 / 4)] {
            let mut hits = 0;
            let mut times: Vec<Duration> = queries
                .iter()
                .map(|&q| {
                    let start = Instant::now();
                    let hit = black_box(index.nearest_row(q, radius, rows.clone()));
                    let elapsed = start.elapsed();
                    hits += usize::from(hit.is_some());
                    elapsed
                })
                .collect();
            times.sort();
            println!(
                "  zoom {zoom:>4} {label:<8}: median {:6.2} µs, p99 {:6.2} µs, max {:7.1} µs, hits {:.0}%",
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                percentile(&times, 1.0),
                hits as f64 / queries.len() as f64 * 100.0
            );
        }
    }

    println!("clusters, 1600x900 viewport on the densest area, level = zoom:");
    for zoom in [0u8, 2, 4, 6, 8, 10, 12] {
        let view = MercatorRect::viewport(densest, VIEWPORT.0, VIEWPORT.1, f64::from(zoom));
        let clusters = index.clusters(zoom, view, 0..len);
        let members: u64 = clusters.iter().map(|c| u64::from(c.count)).sum();
        let (median, max) = time_us(200, || index.clusters(zoom, view, 0..len));
        let (median_half, max_half) = time_us(20, || index.clusters(zoom, view, 0..len / 2));
        let (median_mid, max_mid) =
            time_us(20, || index.clusters(zoom, view, len / 4..len * 3 / 4));
        let (median_1, max_1) = time_us(50, || {
            index.clusters(zoom, view, len / 2..len / 2 + len / 100)
        });
        let (median_99, max_99) = time_us(20, || index.clusters(zoom, view, len / 100..len));
        println!(
            "  zoom {zoom:>2}: {:>4} clusters of {members:>7} points | all rows {median:7.1} µs (max {max:7.1}) | \
             first half {median_half:7.1} µs (max {max_half:7.1}) | middle half {median_mid:7.1} µs (max {max_mid:7.1}) | \
             1% {median_1:6.1} µs (max {max_1:6.1}) | last 99% {median_99:7.1} µs (max {max_99:7.1})",
            clusters.len()
        );
    }

    println!("rows_in_rect, 1600x900 viewport on the densest area, limit 5000:");
    for zoom in [6u8, 8, 10, 12, 14] {
        let view = MercatorRect::viewport(densest, VIEWPORT.0, VIEWPORT.1, f64::from(zoom));
        for (label, rows) in [
            ("all rows", 0..len),
            ("half", len / 4..len * 3 / 4),
            ("1%", len / 2..len / 2 + len / 100),
        ] {
            let result = index.rows_in_rect(view, rows.clone(), 5000);
            let (median, max) = time_us(100, || index.rows_in_rect(view, rows.clone(), 5000));
            let found = result.map_or("more than 5000".to_string(), |rows| {
                format!("{} rows", rows.len())
            });
            println!(
                "  zoom {zoom:>2} {label:<8}: {found:<15} median {median:7.1} µs, max {max:7.1} µs"
            );
        }
    }
    println!();
}
