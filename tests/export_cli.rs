//! `strikemap --export-png` end to end: the binary opens a window (under Xvfb when there is no
//! display), draws the slide, writes a PNG of exactly the requested size and exits. Needs a
//! display or `xvfb-run` (Debian: xvfb, xauth); set STRIKEMAP_SKIP_DISPLAY_TESTS=1 to skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn display_command() -> Option<Command> {
    if std::env::var_os("DISPLAY").is_some_and(|display| !display.is_empty()) {
        return Some(Command::new(env!("CARGO_BIN_EXE_strikemap")));
    }
    let xvfb_run = Path::new("/usr/bin/xvfb-run");
    if xvfb_run.exists() {
        let mut command = Command::new(xvfb_run);
        command
            .args(["-a", "-s", "-screen 0 1280x800x24"])
            .arg(env!("CARGO_BIN_EXE_strikemap"));
        return Some(command);
    }
    None
}

fn luminance_variance(image: &image::RgbaImage) -> f64 {
    let values: Vec<f64> = image
        .pixels()
        .map(|p| 0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2]))
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64
}

fn export(args: &[&str], out: &Path) -> image::RgbaImage {
    let mut command = display_command().expect(
        "no display and no xvfb-run: install xvfb and xauth, or set STRIKEMAP_SKIP_DISPLAY_TESTS=1",
    );
    let output = command
        .arg("--export-png")
        .arg(out)
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "export failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    image::open(out).expect("a PNG was written").to_rgba8()
}

#[test]
fn the_export_command_writes_a_png_of_the_requested_size_and_refuses_unknown_events() {
    if std::env::var_os("STRIKEMAP_SKIP_DISPLAY_TESTS").is_some() {
        eprintln!("skipped: STRIKEMAP_SKIP_DISPLAY_TESTS is set");
        return;
    }
    let dir = std::env::temp_dir().join(format!("strikemap-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let default_size = export(&[], &dir.join("overview.png"));
    assert_eq!(default_size.dimensions(), (1920, 1080));
    let variance = luminance_variance(&default_size);
    assert!(
        variance > 100.0,
        "the overview looks blank (variance {variance:.1})"
    );

    let event = export(
        &["--size", "1000x700", "--event", "E2"],
        &dir.join("e2.png"),
    );
    assert_eq!(event.dimensions(), (1000, 700));
    assert!(luminance_variance(&event) > 100.0);

    // An unknown event is an error and writes nothing. (One test, so that two xvfb-run -a
    // never race for the same display number.)
    let out = dir.join("none.png");
    let output = display_command()
        .expect("no display and no xvfb-run")
        .args(["--export-png"])
        .arg(&out)
        .args(["--event", "E99"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no event with id \"E99\""));
    assert!(!out.exists());

    std::fs::remove_dir_all(&dir).unwrap();
}
