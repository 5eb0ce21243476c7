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

/// The PowerPoint writer's share: the same ten slides' maps (the left 62 % of each, as the
/// PowerPoint slide places it beside the card) encoded as PNG, a card with a six-row claims
/// table and notes per slide, zipped. Printed beside the PDF's figures above.
#[test]
fn ten_pptx_slides_at_1920_by_1080() {
    use strikemap_deck::pptx::{PptxLayout, PptxSlide, SlideCard, pptx_bytes};
    let pages = slides();
    let info = DeckInfo {
        title: "Iran–Pakistan cross-border strikes, January 2024".to_string(),
        subject: None,
        creator: "Strikemap".to_string(),
    };
    let start = Instant::now();
    let layout = PptxLayout::new([1920, 1080], None).unwrap();
    let frame = layout.map_frame(true);
    let map_width = ((frame.right - frame.left) * 1920.0) as u32;
    let map_height = ((frame.bottom - frame.top) * 1080.0) as u32;
    let deck: Vec<PptxSlide> = pages
        .iter()
        .map(|page| {
            let mut rgba = Vec::with_capacity((map_width * map_height * 4) as usize);
            for row in 0..map_height as usize {
                let start = row * 1920 * 4;
                rgba.extend_from_slice(&page.rgba[start..start + map_width as usize * 4]);
            }
            PptxSlide {
                picture_png: strikemap_deck::png_bytes(map_width, map_height, &rgba).unwrap(),
                picture_description: "Map".into(),
                title: info.title.clone(),
                date_stamp: "Map made 25 Nov 2026 · information as of 1 Feb 2024".into(),
                case_caveat: None,
                caveat: "UNCLASSIFIED // EXERCISE ONLY".into(),
                card: Some(SlideCard {
                    heading: "Iran strikes Panjgur district, Balochistan".into(),
                    lines: vec!["16 Jan 2024 · Iran struck Pakistan".into(); 3],
                    claim_header: ["Claimant", "Source", "Killed", "Injured"]
                        .map(String::from)
                        .to_vec(),
                    claims: vec![["Al Jazeera", "[A1]", "≥2", "3"].map(String::from).to_vec(); 6],
                    sources: vec!["[A1] Al Jazeera, 2024-01-19".into(); 8],
                }),
                notes: vec![
                    "• Al Jazeera: ≥2 killed. Source: [A1] Al Jazeera, https://example.org"
                        .into();
                    8
                ],
            }
        })
        .collect();
    let bytes = pptx_bytes(&info, &layout, &deck).unwrap();
    let pptx_time = start.elapsed();
    println!(
        "10 slides 1920×1080: PPTX {:.2} MB in {:.2} s (map pictures {map_width}×{map_height} PNG-encoded and zipped)",
        bytes.len() as f64 / 1e6,
        pptx_time.as_secs_f64(),
    );
    assert!(bytes.starts_with(b"PK\x03\x04"));
}
