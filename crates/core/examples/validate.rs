//! `cargo run -p strikemap_core --example validate -- FILE...`: what `strikemap validate`
//! prints, without building the app.

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let report = strikemap_core::validate::validate_paths(&paths);
    for line in &report.lines {
        println!("{line}");
    }
    std::process::exit(report.exit_code);
}
