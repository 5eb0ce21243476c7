//! The deck as a reader sees it: parsed back with lopdf (page count, sizes, metadata, text per
//! page) and the PNG folder decoded with `image`.

// Test helpers may unwrap: a panic here is a failed test, not a crash on input.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use strikemap_deck::{DeckInfo, DeckPage, PageText, pdf_bytes, write_pdf, write_png_folder};

fn text(text: &str, rect_px: [f32; 4], size_px: f32) -> PageText {
    PageText {
        text: text.to_string(),
        rect_px,
        size_px,
    }
}

/// A `w`×`h` slide of a colour gradient (opaque) with the given words.
fn page(w: u32, h: u32, texts: Vec<PageText>) -> DeckPage {
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            rgba.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, 180, 255]);
        }
    }
    DeckPage {
        width_px: w,
        height_px: h,
        rgba,
        texts,
    }
}

fn info() -> DeckInfo {
    DeckInfo {
        title: "Iran–Pakistan cross-border strikes, January 2024".to_string(),
        subject: Some("Caveat: tolls are as claimed · not verified".to_string()),
        creator: "Strikemap 0.1.0".to_string(),
    }
}

/// Three story steps, each with its caveat and its strike's place name.
fn story() -> Vec<DeckPage> {
    let caveat = "Caveat: tolls are as claimed · not verified";
    vec![
        page(
            480,
            270,
            vec![
                text("Iran–Pakistan strikes", [10.0, 8.0, 200.0, 28.0], 18.0),
                text(caveat, [10.0, 240.0, 300.0, 256.0], 12.0),
                text("Panjgur · 16 Jan", [300.0, 120.0, 400.0, 134.0], 12.0),
            ],
        ),
        page(
            480,
            270,
            vec![
                text(caveat, [10.0, 240.0, 300.0, 256.0], 12.0),
                text(
                    "Saravan, Sistan and Baluchestan · 18 Jan",
                    [200.0, 100.0, 470.0, 114.0],
                    12.0,
                ),
                text(
                    "Map made 25 Nov 2026\nCafé é – 200 km",
                    [10.0, 180.0, 160.0, 210.0],
                    12.0,
                ),
            ],
        ),
        page(
            480,
            270,
            vec![
                text(caveat, [10.0, 240.0, 300.0, 256.0], 12.0),
                text("پنجگور", [300.0, 120.0, 360.0, 134.0], 12.0),
                text("Koh-i-Sabz\t(Sabz Koh)", [300.0, 150.0, 420.0, 164.0], 12.0),
                // Outside the Basic Multilingual Plane: a UTF-16 surrogate pair in the ToUnicode map.
                text("Satellite 🛰 image", [300.0, 170.0, 420.0, 184.0], 12.0),
            ],
        ),
    ]
}

fn page_text(doc: &lopdf::Document, page: u32) -> String {
    doc.extract_text(&[page]).unwrap()
}

/// Text without the whitespace extraction adds or drops between pieces.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn one_page_per_step_with_each_steps_words_as_text() {
    let bytes = pdf_bytes(&info(), &story()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 3);
    let texts: Vec<String> = (1..=3).map(|n| squash(&page_text(&doc, n))).collect();
    for (n, t) in texts.iter().enumerate() {
        assert!(
            t.contains(&squash("Caveat: tolls are as claimed · not verified")),
            "page {}: {t}",
            n + 1
        );
    }
    assert!(texts[0].contains("Panjgur·16Jan"), "{}", texts[0]);
    assert!(texts[0].contains("Iran–Pakistan"), "{}", texts[0]);
    assert!(!texts[0].contains("Saravan"));
    assert!(
        texts[1].contains(&squash("Saravan, Sistan and Baluchestan · 18 Jan")),
        "{}",
        texts[1]
    );
    assert!(texts[1].contains("Caféé–200km"), "{}", texts[1]);
    assert!(texts[2].contains("پنجگور"), "{}", texts[2]);
    assert!(texts[2].contains("Koh-i-Sabz(SabzKoh)"), "{}", texts[2]);
    assert!(texts[2].contains("Satellite🛰image"), "{}", texts[2]);
    assert!(!texts[2].contains("Panjgur"));
}

#[test]
fn pages_are_960_pt_wide_and_keep_the_slide_aspect() {
    let pages = vec![
        page(1920, 1080, vec![]),
        page(300, 300, vec![]),
        page(10, 2000, vec![]),
    ];
    let doc = lopdf::Document::load_mem(&pdf_bytes(&info(), &pages).unwrap()).unwrap();
    let sizes: Vec<[f32; 2]> = doc
        .get_pages()
        .values()
        .map(|&id| {
            let media = doc
                .get_dictionary(id)
                .unwrap()
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap();
            let n: Vec<f32> = media.iter().map(|o| o.as_float().unwrap()).collect();
            [n[2] - n[0], n[3] - n[1]]
        })
        .collect();
    assert_eq!(sizes[0], [960.0, 540.0]);
    assert_eq!(sizes[1], [960.0, 960.0]);
    // 960 pt wide would be 192,000 pt tall: PDF's 14,400 pt limit sets the scale instead.
    assert_eq!(sizes[2], [72.0, 14_400.0]);
}

#[test]
fn document_information_is_filled_in() {
    let doc = lopdf::Document::load_mem(&pdf_bytes(&info(), &story()).unwrap()).unwrap();
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let dict = doc.get_dictionary(info_ref).unwrap();
    let get = |key: &[u8]| lopdf::decode_text_string(dict.get(key).unwrap()).unwrap();
    assert_eq!(
        get(b"Title"),
        "Iran–Pakistan cross-border strikes, January 2024"
    );
    assert_eq!(
        get(b"Subject"),
        "Caveat: tolls are as claimed · not verified"
    );
    assert_eq!(get(b"Creator"), "Strikemap 0.1.0");
    assert!(
        get(b"CreationDate").starts_with("D:20"),
        "{}",
        get(b"CreationDate")
    );
}

#[test]
fn a_deck_without_words_is_still_a_deck() {
    let doc =
        lopdf::Document::load_mem(&pdf_bytes(&info(), &[page(20, 10, vec![])]).unwrap()).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
}

#[test]
fn translucent_slides_keep_their_alpha_as_a_soft_mask() {
    let mut p = page(16, 8, vec![]);
    p.rgba[3] = 0;
    let bytes = pdf_bytes(&info(), &[p]).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let masked = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .any(|s| s.dict.has(b"SMask"));
    assert!(masked);
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let err = pdf_bytes(&info(), &[]).unwrap_err();
    assert!(err.to_string().contains("no pages"), "{err}");

    let mut short = page(10, 10, vec![]);
    short.rgba.pop();
    let err = pdf_bytes(&info(), &[page(10, 10, vec![]), short]).unwrap_err();
    assert_eq!(err.page(), Some(2));
    assert!(
        err.to_string().contains("page 2") && err.to_string().contains("399 bytes"),
        "{err}"
    );

    let err = pdf_bytes(&info(), &[page(0, 10, vec![])]).unwrap_err();
    assert!(err.to_string().contains("page 1"), "{err}");

    let nan = page(
        10,
        10,
        vec![text("Turbat", [0.0, f32::NAN, 5.0, 5.0], 12.0)],
    );
    let err = pdf_bytes(&info(), &[nan]).unwrap_err();
    assert!(err.to_string().contains("Turbat"), "{err}");
    let zero = page(10, 10, vec![text("Turbat", [0.0, 0.0, 5.0, 5.0], 0.0)]);
    assert!(pdf_bytes(&info(), &[zero]).is_err());

    // Degenerate but finite rectangles, empty and control-only texts are fine.
    let odd = page(
        10,
        10,
        vec![
            text("Gwadar", [8.0, 8.0, 2.0, 2.0], 3.0),
            text("", [0.0, 0.0, 0.0, 0.0], 1.0),
            text("\u{7}\n\n", [0.0, 0.0, 1.0, 1.0], 1.0),
            text("Bhuj", [5.0, 5.0, 5.0, 5.0], 1e-3),
        ],
    );
    let doc = lopdf::Document::load_mem(&pdf_bytes(&info(), &[odd]).unwrap()).unwrap();
    let t = squash(&page_text(&doc, 1));
    assert!(t.contains("Gwadar") && t.contains("Bhuj"), "{t}");
}

fn no_part_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".part"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("strikemap_deck_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn write_pdf_is_atomic_and_names_the_path_it_cannot_write() {
    let dir = temp_dir("pdf");
    let out = dir.join("deck.pdf");
    write_pdf(&out, &info(), &story()).unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    assert!(no_part_files(&dir));

    // Overwrites an existing deck.
    write_pdf(&out, &info(), &story()[..1]).unwrap();
    assert_eq!(lopdf::Document::load(&out).unwrap().get_pages().len(), 1);

    let missing = dir.join("no such folder").join("deck.pdf");
    let err = write_pdf(&missing, &info(), &story()).unwrap_err();
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
    assert_eq!(err.path(), Some(missing.as_path()));

    // A folder where the file should go: the rename fails and the .part file is removed.
    let folder = dir.join("taken.pdf");
    std::fs::create_dir(&folder).unwrap();
    let err = write_pdf(&folder, &info(), &story()).unwrap_err();
    assert!(err.to_string().contains("taken.pdf"), "{err}");
    assert!(no_part_files(&dir));

    // Bad pages: nothing is written at all.
    let err = write_pdf(&dir.join("bad.pdf"), &info(), &[]).unwrap_err();
    assert!(
        err.to_string().contains("bad.pdf") && err.to_string().contains("no pages"),
        "{err}"
    );
    assert!(!dir.join("bad.pdf").exists());
    assert!(no_part_files(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn png_folder_has_one_numbered_file_per_page() {
    let dir = temp_dir("png");
    let out = dir.join("slides");
    let pages = story();
    let files = write_png_folder(&out, &pages).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["01.png", "02.png", "03.png"]);
    for (file, page) in files.iter().zip(&pages) {
        let img = image::open(file).unwrap().to_rgba8();
        assert_eq!(img.dimensions(), (page.width_px, page.height_px));
        assert_eq!(img.into_raw(), page.rgba);
    }
    assert!(no_part_files(&out));

    let many: Vec<DeckPage> = (0..100).map(|_| page(2, 1, vec![])).collect();
    let files = write_png_folder(&out, &many).unwrap();
    assert_eq!(files[0].file_name().unwrap(), "001.png");
    assert_eq!(files[99].file_name().unwrap(), "100.png");

    let file = dir.join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let err = write_png_folder(&file, &pages).unwrap_err();
    assert!(
        err.to_string().contains("a-file") && err.to_string().contains("not a folder"),
        "{err}"
    );

    let mut short = page(4, 4, vec![]);
    short.rgba.truncate(3);
    let err = write_png_folder(&dir.join("never"), &[short]).unwrap_err();
    assert_eq!(err.page(), Some(1));
    assert!(!dir.join("never").exists());
    assert!(write_png_folder(&dir.join("never"), &[]).is_err());

    // Translucent pixels keep their alpha in the PNG.
    let mut clear = page(3, 2, vec![]);
    clear.rgba[7] = 40;
    let files = write_png_folder(&dir.join("clear"), std::slice::from_ref(&clear)).unwrap();
    assert_eq!(
        image::open(&files[0]).unwrap().to_rgba8().into_raw(),
        clear.rgba
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
