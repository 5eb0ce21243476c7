//! The briefing deck: the overview and every story step taken as a slide, one after the other,
//! in this process (the window is the page's size), then written as a PDF with searchable text
//! or as numbered PNGs.

use super::StrikemapApp;
use crate::present::{DeckFormat, DeckJob, ExportJob, ExportTarget};
use crate::slide_text::TextRecorder;
use crate::state::Command;
use std::path::PathBuf;
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
        self.map.animate_flights = false;
        self.apply(Command::ClearSelection);
        self.apply(Command::FitToOverview);
        let job = DeckJob {
            path,
            format,
            page_count: 1 + self.state.story().len(),
            pages: Vec::new(),
        };
        let job = ExportJob::new(ExportTarget::Deck(job), size_px, close_when_done);
        let outcome = std::sync::Arc::clone(&job.outcome);
        self.export = Some(job);
        outcome
    }

    /// Takes `image` as the deck's next page; steps the story for the page after, or writes
    /// the deck when every page is in. Returns the job while pages remain.
    pub(super) fn take_deck_page(
        &mut self,
        mut job: ExportJob,
        image: &egui::ColorImage,
    ) -> Option<ExportJob> {
        let page = deck_page(image, &TextRecorder::last_frame(&self.ctx));
        let ExportTarget::Deck(deck) = &mut job.target else {
            return None;
        };
        deck.pages.push(page);
        if deck.pages.len() < deck.page_count {
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
