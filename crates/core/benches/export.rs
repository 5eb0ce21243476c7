//! Exporting large layers: every row's event read again from its file and written as GeoJSON
//! and as CSV (plain `std::time::Instant`, no harness; the system allocator, where the app uses
//! mimalloc).
//!
//!     cargo run --release -p strikemap_synth -- --all target/synth
//!     cargo bench -p strikemap_core --bench export -- target/synth/acled-1m.csv target/synth/app-1m.geojson
//!
//! For each file: the load (as a table, for reference), then each format written to a file in
//! the system's temporary folder, which is removed afterwards. Prints wall time, events per
//! second and the size written.

use std::time::Instant;
use strikemap_core::export::{EventsFormat, TableRows, write_events};
use strikemap_core::table::{LoadProgress, load_table};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    if files.is_empty() {
        println!("export bench: give the files to export (see the header of benches/export.rs)");
        return Ok(());
    }
    let out_path =
        std::env::temp_dir().join(format!("strikemap-export-bench-{}", std::process::id()));
    for file in files {
        let start = Instant::now();
        let loaded = load_table(std::path::Path::new(&file), &LoadProgress::default())?
            .ok_or("not a file to load as a table")?;
        let table = &loaded.table;
        println!(
            "{file}: {} rows loaded in {:.2} s",
            table.len(),
            start.elapsed().as_secs_f64()
        );
        for format in [EventsFormat::GeoJson, EventsFormat::Csv] {
            let out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&out_path)?);
            let start = Instant::now();
            let rows = TableRows {
                table,
                rows: 0..table.len() as u32,
            };
            let (_, written) = write_events(out, format, None, &[], &[rows], &|_| true)?;
            let seconds = start.elapsed().as_secs_f64();
            let size = std::fs::metadata(&out_path)?.len();
            println!(
                "  {format:?}: {written} events in {seconds:.2} s ({:.0} events/s), {} MB",
                written as f64 / seconds,
                size / 1_000_000
            );
        }
    }
    let _ = std::fs::remove_file(&out_path);
    Ok(())
}
