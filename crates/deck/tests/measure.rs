//! Size and time of a 10-slide 1920×1080 deck made from the app's own screenshot (the README's
//! `docs/screenshot.png`, scaled up with smoothing as a stand-in for a rendered slide). Prints
//! the numbers (`cargo test -p strikemap_deck --test measure -- --nocapture`); set
//! `STRIKEMAP_DECK_OUT=DIR` to keep the PDF and PNG folder for a look.

// Test helpers may unwrap: a panic here is a failed test, not a crash on input.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use strikemap_deck::{DeckInfo, DeckPage, PageText, pdf_bytes, write_pdf, write_png_folder};

const SCREENSHOT: &[u8] = include_bytes!("../../../docs/screenshot.png");

fn slides() -> Vec<DeckPage> {
    let shot = image::load_from_memory(SCREENSHOT).unwrap().to_rgba8();
    let (sx, sy) = (1920.0 / shot.width() as f32, 1080.0 / shot.height() as f32);
    let base = image::imageops::resize(&shot, 1920, 1080, image::imageops::FilterType::Triangle);
    // Labels where the screenshot has them (its pixels × the scale).
    let labels = [
        (
            "Iran–Pakistan cross-border strikes, January 2024",
            [155.0, 5.0, 497.0, 22.0],
            16.0,
        ),
        ("Sistan and Baluchestan", [100.0, 275.0, 253.0, 290.0], 14.0),
        ("Balochistan", [418.0, 260.0, 496.0, 275.0], 14.0),
        ("Zahedan", [186.0, 193.0, 235.0, 206.0], 12.0),
        ("Turbat", [316.0, 423.0, 352.0, 436.0], 12.0),
        ("Karachi", [544.0, 495.0, 586.0, 508.0], 12.0),
        (
            "Legend\nStrike by Iran\nStrike by Pakistan",
            [16.0, 485.0, 190.0, 545.0],
            13.0,
        ),
        ("200 km", [14.0, 647.0, 54.0, 659.0], 12.0),
        (
            "Map made 25 Nov 2026 · information as of 1 Feb 2024",
            [12.0, 684.0, 301.0, 697.0],
            12.0,
        ),
        (
            "Made with Natural Earth",
            [611.0, 685.0, 730.0, 698.0],
            11.0,
        ),
    ];
    (0..10)
        .map(|step| {
            let mut texts: Vec<PageText> = labels
                .iter()
                .map(|&(text, [x0, y0, x1, y1], size)| PageText {
                    text: text.to_string(),
                    rect_px: [x0 * sx, y0 * sy, x1 * sx, y1 * sy],
                    size_px: size * sy,
                })
                .collect();
            texts.push(PageText {
                text: format!(
                    "Step {} of 10 · Panjgur · 16 Jan – tolls as claimed",
                    step + 1
                ),
                rect_px: [1130.0, 100.0, 1900.0, 130.0],
                size_px: 22.0,
            });
            // Each step's slide differs a little, as story steps do.
            let mut rgba = base.clone().into_raw();
            for px in rgba
                .chunks_exact_mut(4)
                .skip(step * 1920 * 90)
                .take(1920 * 40)
            {
                px[0] = px[0].saturating_sub(40);
            }
            DeckPage {
                width_px: 1920,
                height_px: 1080,
                rgba,
                texts,
            }
        })
        .collect()
}

#[test]
fn ten_slides_at_1920_by_1080() {
    let pages = slides();
    let info = DeckInfo {
        title: "Iran–Pakistan cross-border strikes, January 2024".to_string(),
        subject: Some("Tolls are as claimed by each side; not verified".to_string()),
        creator: "Strikemap".to_string(),
    };
    let start = Instant::now();
    let bytes = pdf_bytes(&info, &pages).unwrap();
    let pdf_time = start.elapsed();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 10);
    let last: String = doc
        .extract_text(&[10])
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        last.contains("Step10of10·Panjgur·16Jan–tollsasclaimed"),
        "{last}"
    );

    let dir = std::env::var_os("STRIKEMAP_DECK_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("strikemap_deck_measure_{}", std::process::id()))
        });
    let start = Instant::now();
    let files = write_png_folder(&dir.join("png"), &pages).unwrap();
    let png_time = start.elapsed();
    let png_size: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    write_pdf(&dir.join("deck.pdf"), &info, &pages).unwrap();
    println!(
        "10 slides 1920×1080: PDF {:.2} MB in {:.2} s; PNG folder {:.2} MB in {:.2} s ({} threads)",
        bytes.len() as f64 / 1e6,
        pdf_time.as_secs_f64(),
        png_size as f64 / 1e6,
        png_time.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    if std::env::var_os("STRIKEMAP_DECK_OUT").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    // The writer's share of the 30 s budget for the bundled deck; loose, for a busy CI machine.
    assert!(pdf_time.as_secs_f64() < 15.0, "{pdf_time:?}");
    assert!(bytes.len() < 30_000_000, "{}", bytes.len());
}
