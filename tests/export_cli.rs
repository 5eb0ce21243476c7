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

    // --scale 2: the same slide at twice the pixels.
    let doubled = export(&["--size", "640x360", "--scale", "2"], &dir.join("x2.png"));
    assert_eq!(doubled.dimensions(), (1280, 720));

    // The deck: a page per story step (the overview first), the caveat on every page as text.
    let pages = 1 + strikemap::state::AppState::bundled().story().len();
    let caveat = "UNCLASSIFIED // CLI DECK TEST";
    let folder = dir.join("slides");
    run_ok(&[
        "--export-deck",
        folder.to_str().unwrap(),
        "--format",
        "png",
        "--size",
        "800x450",
        "--caveat",
        caveat,
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), pages, "{names:?}");
    for name in &names {
        let page = image::open(folder.join(name)).unwrap();
        assert_eq!((page.width(), page.height()), (800, 450), "{name}");
    }
    let pdf = dir.join("deck.pdf");
    run_ok(&[
        "--export-deck",
        pdf.to_str().unwrap(),
        "--size",
        "1024x768",
        "--caveat",
        caveat,
    ]);
    let document = lopdf::Document::load(&pdf).unwrap();
    assert_eq!(document.get_pages().len(), pages);
    let first = document.extract_text(&[1]).unwrap();
    assert!(first.contains(caveat), "{first}");

    // A basemap file that is not one is refused by name, and nothing is written.
    let bad = dir.join("bad.pmtiles");
    std::fs::write(&bad, "not tiles").unwrap();
    let out = dir.join("with-bad-basemap.png");
    let output = display_command()
        .expect("no display and no xvfb-run")
        .arg("--export-png")
        .arg(&out)
        .arg("--basemap")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.pmtiles"), "{stderr}");
    assert!(!out.exists());

    files_named_with_an_export_are_drawn(&dir);

    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file named on the command line is a layer in the exports as in the window (issue #24):
/// a polygon over the view changes the slide and the deck's pages (the view held by
/// --center, so that only the drawing can differ), and a file that cannot be read fails the
/// export by name.
fn files_named_with_an_export_are_drawn(dir: &Path) {
    let layer = dir.join("layer.geojson");
    std::fs::write(
        &layer,
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":
            {"name": "Over the view"}, "geometry": {"type": "Polygon", "coordinates":
            [[[50, 15], [80, 15], [80, 40], [50, 40], [50, 15]]]}}]}"#,
    )
    .unwrap();
    let view = ["--size", "640x360", "--center", "27.2,63.2", "--zoom", "6"];
    let without = export(&view, &dir.join("without-layer.png"));
    let mut with_args = view.to_vec();
    with_args.push(layer.to_str().unwrap());
    let with = export(&with_args, &dir.join("with-layer.png"));
    let changed = changed_share(&without, &with);
    assert!(
        changed > 0.2,
        "the layer named with --export-png is not drawn: {:.1} % of the pixels differ",
        changed * 100.0
    );

    let deck = |name: &str, files: &[&str]| {
        let folder = dir.join(name);
        let mut args = vec!["--export-deck", folder.to_str().unwrap(), "--format", "png"];
        args.extend(["--size", "640x360"]);
        args.extend(files);
        run_ok(&args);
        // The overview is the first page.
        let mut pages: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        pages.sort();
        image::open(&pages[0]).unwrap().to_rgba8()
    };
    let plain = deck("deck-plain", &[]);
    let layered = deck("deck-layer", &[layer.to_str().unwrap()]);
    // The overview's map is a smaller part of its page (the title takes the top).
    let changed = changed_share(&plain, &layered);
    assert!(
        changed > 0.05,
        "the layer named with --export-deck is not drawn on the overview: {:.1} % of the \
         pixels differ",
        changed * 100.0
    );

    let missing = dir.join("missing.geojson");
    let out = dir.join("with-missing-layer.png");
    let output = display_command()
        .expect("no display and no xvfb-run")
        .arg("--export-png")
        .arg(&out)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing.geojson"), "{stderr}");
    assert!(!out.exists());
}

/// The share of pixels that differ clearly between two images of one size.
fn changed_share(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let changed = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| (0..3).any(|channel| p[channel].abs_diff(q[channel]) > 12))
        .count();
    changed as f64 / f64::from(a.width() * a.height())
}

/// Runs the binary with `args`; it must succeed.
fn run_ok(args: &[&str]) {
    let output = display_command()
        .expect("no display and no xvfb-run")
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
