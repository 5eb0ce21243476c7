//! Strikemap's briefing deck writer: the app renders each story step as a slide image and says
//! where its words are; this crate turns those slides into a PDF (one page per slide, the
//! words searchable and selectable) or a folder of numbered PNG files.
//!
//! Pure Rust, no GUI. PDF pages are [`PAGE_WIDTH_PT`] points wide (960 pt, the 16:9 slide size,
//! for any pixel size), keep the slide's aspect, and show the slide image losslessly (Flate with
//! PNG predictors). Each [`PageText`] is laid over its rectangle as invisible text (render mode
//! 3, as in an OCR'd scan) in an embedded subset of egui's Ubuntu Light with a ToUnicode map, so
//! the page looks exactly like the slide and extraction gives the exact characters given.

mod date;
mod error;
mod font;
mod pdf;
pub mod pptx;
mod raster;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use error::DeckError;
pub use pdf::PAGE_WIDTH_PT;

/// Largest slide side accepted, in pixels.
pub const MAX_SIDE_PX: u32 = 30_000;

/// One slide: its pixels and the words on it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeckPage {
    pub width_px: u32,
    pub height_px: u32,
    /// Straight-alpha RGBA, row-major, `width_px * height_px * 4` bytes.
    pub rgba: Vec<u8>,
    /// The words on the slide, for search, copy and screen readers.
    pub texts: Vec<PageText>,
}

/// A piece of text on a slide and where it is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageText {
    /// The text; `\n` separates lines, which share the rectangle's height equally.
    pub text: String,
    /// `[min_x, min_y, max_x, max_y]` in page pixels, y down.
    pub rect_px: [f32; 4],
    /// The font size it is drawn at, in page pixels.
    pub size_px: f32,
}

/// The PDF's document information.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeckInfo {
    pub title: String,
    /// E.g. the caveat.
    pub subject: Option<String>,
    /// The program that made the deck, e.g. "Strikemap 0.1.0".
    pub creator: String,
}

/// Writes the deck's PDF to `path` atomically: to `NAME.part` beside it, then renamed over it.
/// Nothing is left behind on failure.
pub fn write_pdf(path: &Path, info: &DeckInfo, pages: &[DeckPage]) -> Result<(), DeckError> {
    let bytes = pdf_bytes(info, pages).map_err(|e| e.at(path))?;
    write_atomically(path, &bytes)
}

/// The deck as the bytes of a PDF file, dated now (or `SOURCE_DATE_EPOCH` when set).
pub fn pdf_bytes(info: &DeckInfo, pages: &[DeckPage]) -> Result<Vec<u8>, DeckError> {
    validate(pages)?;
    pdf::build(info, pages, date::now_unix_seconds())
}

/// A picture as PNG bytes (straight-alpha RGBA, row-major), e.g. a PowerPoint slide's map.
pub fn png_bytes(width_px: u32, height_px: u32, rgba: &[u8]) -> Result<Vec<u8>, DeckError> {
    raster::png_file(width_px, height_px, rgba).map_err(DeckError::new)
}

/// Writes each page as a PNG file in `dir` (created if missing): `01.png`, `02.png`, … numbered
/// in order, zero-padded to the page count's width (at least 2 digits). Returns the files in
/// page order. Each file is written atomically; other files in `dir` are left alone.
pub fn write_png_folder(dir: &Path, pages: &[DeckPage]) -> Result<Vec<PathBuf>, DeckError> {
    validate(pages).map_err(|e| e.at(dir))?;
    if dir.exists() && !dir.is_dir() {
        return Err(DeckError::new("is not a folder").at(dir));
    }
    fs::create_dir_all(dir).map_err(|e| DeckError::io(dir, "cannot create the folder", e))?;
    let digits = pages.len().to_string().len().max(2);
    let pngs = raster::par_map(
        pages,
        |i, p| {
            raster::png_file(p.width_px, p.height_px, &p.rgba)
                .map_err(|e| DeckError::on_page(i, e).at(dir))
        },
        || DeckError::new("a PNG encoder thread failed").at(dir),
    )?;
    let mut files = Vec::with_capacity(pages.len());
    for (i, png) in pngs.iter().enumerate() {
        let file = dir.join(format!("{:0digits$}.png", i + 1));
        write_atomically(&file, png)?;
        files.push(file);
    }
    Ok(files)
}

/// Checks every page before anything is written: at least one page, sizes in range, the pixel
/// buffer's length, and finite text rectangles and sizes.
fn validate(pages: &[DeckPage]) -> Result<(), DeckError> {
    if pages.is_empty() {
        return Err(DeckError::new("the deck has no pages"));
    }
    for (i, page) in pages.iter().enumerate() {
        let (w, h) = (page.width_px, page.height_px);
        if w == 0 || h == 0 || w > MAX_SIDE_PX || h > MAX_SIDE_PX {
            return Err(DeckError::on_page(
                i,
                format!("the slide is {w}×{h} px; each side must be 1 to {MAX_SIDE_PX} px"),
            ));
        }
        let expected = usize::try_from(u64::from(w) * u64::from(h) * 4).ok();
        if expected != Some(page.rgba.len()) {
            return Err(DeckError::on_page(
                i,
                format!(
                    "the RGBA buffer has {} bytes; a {w}×{h} px slide needs {w}×{h}×4 = {} bytes",
                    page.rgba.len(),
                    u64::from(w) * u64::from(h) * 4
                ),
            ));
        }
        for (t, text) in page.texts.iter().enumerate() {
            let finite = text.rect_px.iter().all(|v| v.is_finite()) && text.size_px.is_finite();
            if !finite || text.size_px <= 0.0 {
                return Err(DeckError::on_page(
                    i,
                    format!(
                        "text {} ({:?}) needs a finite rectangle and a size above 0, not {:?} at {} px",
                        t + 1,
                        text.text,
                        text.rect_px,
                        text.size_px
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `NAME.part` beside `path`, syncs it, and renames it over `path`; removes
/// the `.part` file if any step fails.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DeckError> {
    let Some(name) = path.file_name() else {
        return Err(DeckError::new("is not a file name").at(path));
    };
    let mut part_name = name.to_os_string();
    part_name.push(".part");
    let part = path.with_file_name(part_name);
    let result = fs::File::create(&part)
        .map_err(|e| DeckError::io(path, format!("cannot create {}", part.display()), e))
        .and_then(|mut file| {
            file.write_all(bytes)
                .and_then(|()| file.sync_all())
                .map_err(|e| DeckError::io(path, format!("cannot write {}", part.display()), e))
        })
        .and_then(|()| {
            fs::rename(&part, path).map_err(|e| DeckError::io(path, "cannot replace the file", e))
        });
    if result.is_err() {
        // Best effort: the part file may not exist, and the first error is the one to report.
        let _ = fs::remove_file(&part);
    }
    result
}
