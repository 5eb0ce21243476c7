//! `cargo run --release -p strikemap_core --example evidence_bundle -- FILE OUT_DIR`: the times
//! `scripts/bench-evidence.sh` reports (docs/performance.md): FILE hashed as evidence, the
//! bundled case with FILE attached exported as a bundle into OUT_DIR, and that bundle opened
//! (unpacked and every hash checked). One line per step: `step seconds MB/s`.

use std::path::PathBuf;
use std::time::{Instant, SystemTime};
use strikemap_core::case::bundle::{export_bundle, open_bundle};
use strikemap_core::case::edit::{Edit, History, SourceField, SourceOwner};
use strikemap_core::case::evidence::evidence_file;

fn main() -> Result<(), String> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(file), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: evidence_bundle FILE OUT_DIR".into());
    };
    let megabytes = std::fs::metadata(&file).map_err(|e| e.to_string())?.len() as f64 / 1e6;
    let report = |step: &str, started: Instant| {
        let seconds = started.elapsed().as_secs_f64();
        println!("{step} {seconds:.3} {:.0}", megabytes / seconds);
    };

    let started = Instant::now();
    let evidence = evidence_file(&file, SystemTime::now())?;
    report("hash", started);

    let mut case = strikemap_core::case::bundled_case().map_err(|e| e.to_string())?;
    let edit = Edit::SetSource {
        owner: SourceOwner::Statements,
        index: 0,
        field: SourceField::Evidence(vec![evidence]),
    };
    History::new()
        .apply(&mut case, edit)
        .map_err(|e| e.to_string())?;
    let bundle = out.join("bench.zip");
    let started = Instant::now();
    export_bundle(&case, "case.geojson", &bundle, &[])?;
    report("export", started);

    let started = Instant::now();
    let unpacked = open_bundle(&bundle, &out.join("unpacked"))?;
    report("open", started);
    if !unpacked.mismatches.is_empty() {
        return Err(unpacked.mismatches.join("; "));
    }
    Ok(())
}
