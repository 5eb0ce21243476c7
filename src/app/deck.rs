//! The briefing deck: the overview and every story step taken as a slide, one after the other,
//! in this process (the window is the page's size), then written as a PDF with searchable text,
//! as numbered PNGs, or as a PowerPoint file (the map alone taken as the picture, the slide's
//! words from `pptx_slides`).

use super::StrikemapApp;
use crate::present::{DeckFormat, DeckJob, ExportJob, ExportTarget};
use crate::slide_text::TextRecorder;
use crate::state::Command;
use std::path::PathBuf;
use strikemap_deck::pptx::PptxLayout;
use strikemap_deck::{DeckInfo, DeckPage, PageText};

impl StrikemapApp {
    /// Starts a deck of the current story into `path`, at the window's size (`size_px`): the
    /// overview first, then each step. Returns where the outcome will be.
    pub fn start_deck(
        &mut self,
        path: PathBuf,
        format: DeckFormat,
        size_px: [u32; 2],
        close_when_done: bool,
    ) -> crate::present::ExportOutcome {
        TextRecorder::install(&self.ctx);
        let pptx = match format {
            DeckFormat::Pptx => {
                let template = self.settings.deck_template.as_deref();
                match PptxLayout::new(size_px, template) {
                    Ok(layout) => Some(Box::new((layout, Vec::new()))),
                    Err(error) => {
                        let job = ExportJob::new(ExportTarget::Clipboard, size_px, close_when_done);
                        let outcome = std::sync::Arc::clone(&job.outcome);
                        if !close_when_done {
                            self.state.messages.push(error.to_string());
                        }
                        job.finish(&self.ctx, Err(error.to_string()));
                        return outcome;
                    }
                }
            }
            DeckFormat::Pdf | DeckFormat::Png => None,
        };
        self.map.animate_flights = false;
        self.apply(Command::ClearSelection);
        self.apply(Command::FitToOverview);
        let job = DeckJob {
            path,
            format,
            page_count: 1 + self.state.story().len(),
            pages: Vec::new(),
            pptx,
        };
        let job = ExportJob::new(ExportTarget::Deck(job), size_px, close_when_done);
        let outcome = std::sync::Arc::clone(&job.outcome);
        self.export = Some(job);
        outcome
    }

    /// While a PowerPoint deck is taken: where its map picture goes on the slide.
    pub(super) fn pptx_map_frame(&self) -> Option<strikemap_deck::pptx::MapFrame> {
        match &self.export.as_ref()?.target {
            ExportTarget::Deck(DeckJob {
                pptx: Some(pptx), ..
            }) => {
                let with_card =
                    self.state.selected().is_some() || self.state.selected_statement().is_some();
                Some(pptx.0.map_frame(with_card))
            }
            _ => None,
        }
    }

    /// Takes `image` as the deck's next page; steps the story for the page after, or writes
    /// the deck when every page is in. Returns the job while pages remain.
    pub(super) fn take_deck_page(
        &mut self,
        mut job: ExportJob,
        image: &egui::ColorImage,
    ) -> Option<ExportJob> {
        let ExportTarget::Deck(deck) = &mut job.target else {
            return None;
        };
        if let Some(pptx) = &mut deck.pptx {
            let (_, slides) = pptx.as_mut();
            let picture = map_picture(image, self.map.last_rect, self.ctx.pixels_per_point());
            let slide = crate::pptx_slides::slide_for_step(
                &self.state,
                &self.settings.caveat,
                crate::model::Date::today_utc(),
                picture,
            );
            slides.push(slide);
        } else {
            deck.pages
                .push(deck_page(image, &TextRecorder::last_frame(&self.ctx)));
        }
        let taken = deck.pages.len() + deck.pptx.as_ref().map_or(0, |pptx| pptx.1.len());
        if taken < deck.page_count {
            self.apply(Command::StepForward);
            job.again();
            return Some(job);
        }
        let info = DeckInfo {
            title: self
                .state
                .title
                .clone()
                .unwrap_or_else(|| "Strikemap briefing".into()),
            subject: Some(self.settings.caveat.trim().to_owned()).filter(|c| !c.is_empty()),
            creator: format!("Strikemap {}", env!("CARGO_PKG_VERSION")),
        };
        let result = match deck.format {
            DeckFormat::Pdf => strikemap_deck::write_pdf(&deck.path, &info, &deck.pages)
                .map(|()| format!("wrote {} ({} pages)", deck.path.display(), deck.pages.len())),
            DeckFormat::Png => strikemap_deck::write_png_folder(&deck.path, &deck.pages)
                .map(|files| format!("wrote {} PNGs into {}", files.len(), deck.path.display())),
            DeckFormat::Pptx => match deck.pptx.as_deref() {
                Some((layout, slides)) => {
                    strikemap_deck::pptx::write_pptx(&deck.path, &info, layout, slides).map(|()| {
                        format!("wrote {} ({} slides)", deck.path.display(), slides.len())
                    })
                }
                None => Ok(String::new()),
            },
        }
        .map_err(|error| error.to_string());
        self.map.animate_flights = true;
        if !job.close_when_done {
            match &result {
                Ok(message) => self.state.notices.push(message.clone()),
                Err(message) => self.state.messages.push(message.clone()),
            }
        }
        job.finish(&self.ctx, result);
        None
    }
}

/// A page: the screenshot and the words on it, in the screenshot's pixels.
fn deck_page(image: &egui::ColorImage, text: &crate::slide_text::FrameText) -> DeckPage {
    let [width, height] = image.size;
    let mut rgba = Vec::with_capacity(width * height * 4);
    for pixel in &image.pixels {
        rgba.extend_from_slice(&pixel.to_srgba_unmultiplied());
    }
    let scale = text.pixels_per_point;
    DeckPage {
        width_px: width as u32,
        height_px: height as u32,
        rgba,
        texts: text
            .texts
            .iter()
            .map(|drawn| PageText {
                text: drawn.text.clone(),
                rect_px: [
                    drawn.rect.min.x * scale,
                    drawn.rect.min.y * scale,
                    drawn.rect.max.x * scale,
                    drawn.rect.max.y * scale,
                ],
                size_px: drawn.size * scale,
            })
            .collect(),
    }
}

/// The map's part of the screenshot (`map_rect` in points) as PNG bytes; the whole screenshot
/// if the map is not in it.
fn map_picture(image: &egui::ColorImage, map_rect: egui::Rect, pixels_per_point: f32) -> Vec<u8> {
    let [width, height] = image.size;
    let pixels = map_rect * pixels_per_point;
    let clamp = |value: f32, limit: usize| (value.round().max(0.0) as usize).min(limit);
    let (left, top) = (clamp(pixels.min.x, width), clamp(pixels.min.y, height));
    let (right, bottom) = (clamp(pixels.max.x, width), clamp(pixels.max.y, height));
    let (left, top, right, bottom) = if right > left && bottom > top {
        (left, top, right, bottom)
    } else {
        (0, 0, width, height)
    };
    let mut rgba = Vec::with_capacity((right - left) * (bottom - top) * 4);
    for row in top..bottom {
        for pixel in &image.pixels[row * width + left..row * width + right] {
            rgba.extend_from_slice(&pixel.to_srgba_unmultiplied());
        }
    }
    strikemap_deck::png_bytes((right - left) as u32, (bottom - top) as u32, &rgba)
        .unwrap_or_default()
}
