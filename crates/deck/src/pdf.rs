//! The PDF itself: one page per slide, the slide image full-page, its words as invisible
//! (render mode 3) real text over the pixels, as in an OCR'd scan.

use pdf_writer::types::{Predictor, TextRenderingMode};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::font::{DeckFont, deflate};
use crate::raster::{PdfImage, par_map, pdf_image};
use crate::{DeckError, DeckInfo, DeckPage, PageText, date};

/// Every page is this many points wide (13⅓ in, the 16:9 "widescreen" slide size; a
/// 1920×1080 px slide is 960×540 pt), unless that would make it taller than PDF's limit.
pub const PAGE_WIDTH_PT: f32 = 960.0;
/// The largest page side PDF readers accept (200 in).
const MAX_SIDE_PT: f32 = 14_400.0;

const FONT: Name<'static> = Name(b"F1");
const IMAGE: Name<'static> = Name(b"Im1");

/// Points per pixel of a `width`×`height` slide.
pub(crate) fn points_per_pixel(width: u32, height: u32) -> f32 {
    let scale = PAGE_WIDTH_PT / width.max(1) as f32;
    if height as f32 * scale > MAX_SIDE_PT {
        MAX_SIDE_PT / height.max(1) as f32
    } else {
        scale
    }
}

/// The PDF of validated pages, dated `unix_seconds`.
pub(crate) fn build(
    info: &DeckInfo,
    pages: &[DeckPage],
    unix_seconds: i64,
) -> Result<Vec<u8>, DeckError> {
    let images = encode_images(pages)?;
    let mut pdf = Pdf::new();
    let mut alloc = Ref::new(1);
    let mut next_id = move || alloc.bump();
    let (catalog, page_tree, info_id) = (next_id(), next_id(), next_id());

    let all_text = pages
        .iter()
        .flat_map(|p| p.texts.iter().map(|t| t.text.as_str()));
    let font = if pages.iter().any(|p| !p.texts.is_empty()) {
        let font = DeckFont::covering(all_text).map_err(DeckError::new)?;
        let font_id = next_id();
        font.write(&mut pdf, font_id, &mut next_id)
            .map_err(DeckError::new)?;
        Some((font, font_id))
    } else {
        None
    };

    let mut page_ids = Vec::with_capacity(pages.len());
    for (page, image) in pages.iter().zip(&images) {
        let (page_id, content_id, image_id) = (next_id(), next_id(), next_id());
        page_ids.push(page_id);
        let scale = points_per_pixel(page.width_px, page.height_px);
        let (w_pt, h_pt) = (page.width_px as f32 * scale, page.height_px as f32 * scale);

        let mask_id = image.alpha.as_ref().map(|alpha| {
            let id = next_id();
            write_image(&mut pdf, id, alpha, page, 1, None);
            id
        });
        write_image(&mut pdf, image_id, &image.rgb, page, 3, mask_id);

        let mut content = Content::new();
        content
            .save_state()
            .transform([w_pt, 0.0, 0.0, h_pt, 0.0, 0.0])
            .x_object(IMAGE)
            .restore_state();
        if let Some((font, _)) = &font {
            write_texts(&mut content, font, &page.texts, scale, h_pt);
        }
        pdf.stream(content_id, &deflate(&content.finish()))
            .filter(Filter::FlateDecode);

        let mut pdf_page = pdf.page(page_id);
        pdf_page
            .media_box(Rect::new(0.0, 0.0, w_pt, h_pt))
            .parent(page_tree)
            .contents(content_id);
        let mut resources = pdf_page.resources();
        resources.x_objects().pair(IMAGE, image_id);
        if let Some((_, font_id)) = &font {
            resources.fonts().pair(FONT, *font_id);
        }
        resources.finish();
        pdf_page.finish();
    }

    let count = i32::try_from(page_ids.len()).map_err(|_| DeckError::new("too many pages"))?;
    pdf.pages(page_tree).kids(page_ids).count(count);
    let mut cat = pdf.catalog(catalog);
    cat.pages(page_tree);
    cat.viewer_preferences().display_doc_title(true);
    cat.finish();

    let when = date::utc_from_unix(unix_seconds);
    let year = u16::try_from(when.year.clamp(0, 9999)).unwrap_or(1970);
    let mut doc = pdf.document_info(info_id);
    doc.title(TextStr(&info.title))
        .creator(TextStr(&info.creator))
        .producer(TextStr(concat!(
            "strikemap_deck ",
            env!("CARGO_PKG_VERSION")
        )))
        .creation_date(
            Date::new(year)
                .month(when.month)
                .day(when.day)
                .hour(when.hour)
                .minute(when.minute)
                .second(when.second)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    if let Some(subject) = &info.subject {
        doc.subject(TextStr(subject));
    }
    doc.finish();
    Ok(pdf.finish())
}

/// An image XObject of `colors` channels from a Flate+PNG-predictor stream.
fn write_image(
    pdf: &mut Pdf,
    id: Ref,
    data: &[u8],
    page: &DeckPage,
    colors: i32,
    mask: Option<Ref>,
) {
    // Validation keeps both sides at most MAX_SIDE_PX, well inside i32.
    let (w, h) = (
        i32::try_from(page.width_px).unwrap_or(i32::MAX),
        i32::try_from(page.height_px).unwrap_or(i32::MAX),
    );
    let mut image = pdf.image_xobject(id, data);
    image.filter(Filter::FlateDecode);
    image.width(w).height(h).bits_per_component(8);
    if colors == 1 {
        image.color_space().device_gray();
    } else {
        image.color_space().device_rgb();
    }
    if let Some(mask) = mask {
        image.s_mask(mask);
    }
    image
        .decode_parms()
        .predictor(Predictor::PngOptimum)
        .colors(colors)
        .bits_per_component(8)
        .columns(w);
}

/// Each text as invisible real text over its rectangle: its lines share the rectangle's height
/// equally, and are stretched (`Tz`) so the widest fills its width, so selecting a word in a
/// reader highlights the word on the slide.
fn write_texts(
    content: &mut Content,
    font: &DeckFont,
    texts: &[PageText],
    scale: f32,
    page_h_pt: f32,
) {
    content
        .begin_text()
        .set_text_rendering_mode(TextRenderingMode::Invisible);
    for text in texts {
        let lines: Vec<(Vec<u8>, f32)> = text.text.lines().map(|l| font.encode(l)).collect();
        if lines.iter().all(|(bytes, _)| bytes.is_empty()) {
            continue;
        }
        let [x0, y0, x1, y1] = text.rect_px;
        let (left, top) = (x0.min(x1), y0.min(y1));
        let (rect_w, rect_h) = ((x1 - x0).abs(), (y1 - y0).abs());
        let widest = lines.iter().map(|l| l.1).fold(0.0, f32::max) / 1000.0 * text.size_px;
        let stretch = if widest > 0.0 && rect_w > 0.0 {
            (rect_w / widest * 100.0).clamp(1.0, 10_000.0)
        } else {
            100.0
        };
        let line_h = rect_h / lines.len() as f32;
        // From a line's middle down to its baseline, so the glyph box is centred on the line.
        let centre_to_baseline = (font.ascent + font.descent) / 2000.0 * text.size_px;
        content
            .set_font(FONT, text.size_px * scale)
            .set_horizontal_scaling(stretch);
        for (i, (bytes, _)) in lines.iter().enumerate() {
            if bytes.is_empty() {
                continue;
            }
            let baseline_px = top + (i as f32 + 0.5) * line_h + centre_to_baseline;
            content
                .set_text_matrix([
                    1.0,
                    0.0,
                    0.0,
                    1.0,
                    left * scale,
                    page_h_pt - baseline_px * scale,
                ])
                .show(Str(bytes));
        }
    }
    content.end_text();
}

/// Every page's image, compressed on as many threads as there are cores.
fn encode_images(pages: &[DeckPage]) -> Result<Vec<PdfImage>, DeckError> {
    par_map(
        pages,
        |i, p| pdf_image(p.width_px, p.height_px, &p.rgba).map_err(|e| DeckError::on_page(i, e)),
        || DeckError::new("an image encoder thread failed"),
    )
}
