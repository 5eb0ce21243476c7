//! `cargo run -p strikemap_core --example validate -- FILE...`: what `strikemap validate`
//! prints, without building the app.

/// The allocator of the app's binary, so that load timings taken with this example are the
/// app's (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let report = strikemap_core::validate::validate_paths(&paths);
    for line in &report.lines {
        println!("{line}");
    }
    std::process::exit(report.exit_code);
}
