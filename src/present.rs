//! Presentation mode and image export: the map full-screen with a title banner, the user's
//! caveat lines, a large details card and the map furniture; and the same layout saved as a PNG.

use crate::map::{MapChrome, MapView};
use crate::model::Date;
use crate::settings::MapLayerVisibility;
use crate::state::{AppState, Command, ViewRequest};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Slides are laid out on a 720-point-high page whatever the output: the points are scaled to
/// the output's height, so 1920×1080 reads like 1280×720 and every text of at least 12 points
/// is at least 18 px high at 1080 lines, at 16:9 and 4:3 alike.
pub const SLIDE_HEIGHT_POINTS: f32 = 720.0;

/// The scale of a slide `height_px` high (a window below 720 px high is not shrunk).
pub fn slide_scale(height_px: f32) -> f32 {
    (height_px / SLIDE_HEIGHT_POINTS).max(1.0)
}

/// Type sizes on slides, in points: the body and the title (about three times the body).
pub const SLIDE_BODY_SIZE: f32 = 12.0;
pub const SLIDE_TITLE_SIZE: f32 = 36.0;

/// The layout options shared by presentations and exports.
pub struct Slide<'a> {
    pub caveat: &'a str,
    pub made: Date,
    /// Hint line under the title (the keys); `None` in exports.
    pub hint: Option<&'a str>,
    /// Which of the fixed map layers are drawn.
    pub layers: MapLayerVisibility,
    /// A PowerPoint deck's picture: the map alone in this part of the window (fractions), the
    /// title, caveat and card left to the slide's own text.
    pub map_frame: Option<strikemap_deck::pptx::MapFrame>,
}

/// The slide: caveat lines, title banner, details card and the map (which first carries out
/// `view_request`).
pub fn slide_ui(
    ui: &mut Ui,
    state: &AppState,
    map: &mut MapView,
    view_request: Option<ViewRequest>,
    slide: &Slide<'_>,
) -> Vec<Command> {
    if let Some(frame) = slide.map_frame {
        return map_picture_ui(ui, state, map, view_request, slide, frame);
    }
    let mut commands = Vec::new();
    let caveat = slide.caveat.trim();
    let caveat_strip = |ui: &mut Ui| {
        ui.vertical_centered(|ui| {
            ui.label(
                RichText::new(caveat)
                    .strong()
                    .size(16.0)
                    .color(crate::style::CAVEAT_TEXT),
            );
        });
    };
    let caveat_frame = egui::Frame::new()
        .fill(crate::style::CAVEAT_BACKGROUND)
        .inner_margin(egui::Margin::symmetric(8, 3));
    if !caveat.is_empty() {
        egui::Panel::top("caveat-top")
            .frame(caveat_frame)
            .show(ui, caveat_strip);
        egui::Panel::bottom("caveat-bottom")
            .frame(caveat_frame)
            .show(ui, caveat_strip);
    }
    egui::Panel::top("title-banner").show(ui, |ui| {
        ui.add_space(4.0);
        let title = state.title.clone().unwrap_or_else(|| "Strikemap".into());
        ui.label(RichText::new(title).strong().size(SLIDE_TITLE_SIZE));
        ui.label(
            RichText::new(crate::map::furniture::date_stamp(slide.made, state.as_of)).size(14.0),
        );
        if let Some(caveat) = state.case_caveat() {
            ui.label(RichText::new(caveat).italics().size(14.0));
        }
        if let Some(hint) = slide.hint {
            ui.label(RichText::new(hint).size(SLIDE_BODY_SIZE).weak());
        }
        ui.add_space(2.0);
    });
    if state.selected().is_some() || state.selected_statement().is_some() {
        egui::Panel::right("details-card")
            .exact_size(430.0)
            .resizable(false)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| details_card_ui(ui, state));
            });
    }
    let chrome = MapChrome {
        zoom_controls: false,
        ..MapChrome::default()
    };
    egui::CentralPanel::no_frame().show(ui, |ui| {
        commands.extend(map.map_ui(ui, state, slide.layers, view_request, &chrome));
    });
    commands
}

/// The map alone, in `frame` of the window (the rest left blank), for a PowerPoint slide's
/// picture: the slide's text is the slide's own.
fn map_picture_ui(
    ui: &mut Ui,
    state: &AppState,
    map: &mut MapView,
    view_request: Option<ViewRequest>,
    slide: &Slide<'_>,
    frame: strikemap_deck::pptx::MapFrame,
) -> Vec<Command> {
    let whole = ui.available_rect_before_wrap();
    let blank = egui::Frame::new().fill(egui::Color32::WHITE);
    let margins = [
        ("picture-top", frame.top * whole.height()),
        ("picture-bottom", (1.0 - frame.bottom) * whole.height()),
        ("picture-left", frame.left * whole.width()),
        ("picture-right", (1.0 - frame.right) * whole.width()),
    ];
    for (id, size) in margins {
        if size < 0.5 {
            continue;
        }
        let panel = match id {
            "picture-top" => egui::Panel::top(id),
            "picture-bottom" => egui::Panel::bottom(id),
            "picture-left" => egui::Panel::left(id),
            _ => egui::Panel::right(id),
        };
        panel
            .exact_size(size)
            .resizable(false)
            .show_separator_line(false)
            .frame(blank)
            .show(ui, |_| {});
    }
    let chrome = MapChrome {
        zoom_controls: false,
        ..MapChrome::default()
    };
    let mut commands = Vec::new();
    egui::CentralPanel::no_frame().show(ui, |ui| {
        commands.extend(map.map_ui(ui, state, slide.layers, view_request, &chrome));
    });
    commands
}

/// The large card: headline figure per claimant and the sources, or the statement.
fn details_card_ui(ui: &mut Ui, state: &AppState) {
    if let Some(event) = state.selected() {
        let p = &event.properties;
        ui.label(RichText::new(event.title()).strong().size(22.0));
        ui.label(
            RichText::new(format!(
                "{} · {}",
                event.date,
                crate::describe::who_struck_whom(event)
            ))
            .size(16.0),
        );
        ui.label(RichText::new(format!("{} ({})", p.district, p.location.in_words())).size(15.0));
        if let Some(text) = crate::describe::border_distance_text(state, event) {
            ui.label(RichText::new(text).size(14.0));
        }
        ui.add_space(8.0);
        ui.label(
            RichText::new("Toll, as each claimant gives it")
                .strong()
                .size(17.0),
        );
        for claim in &p.casualty_claims {
            ui.label(RichText::new(format!("{}  [{}]", claim.headline(), claim.source)).size(16.0));
        }
        if !p.conflict_notes.is_empty() {
            ui.add_space(6.0);
            for note in &p.conflict_notes {
                ui.label(RichText::new(format!("• {note}")).size(13.0));
            }
        }
        card_sources_ui(ui, &p.sources);
    } else if let Some(statement) = state.selected_statement() {
        ui.label(RichText::new(&statement.title).strong().size(22.0));
        ui.label(RichText::new(format!("{} · {}", statement.date, statement.by)).size(16.0));
        ui.add_space(6.0);
        ui.label(RichText::new(&statement.detail).size(16.0));
        if let Some(caveat) = &statement.caveat {
            ui.label(RichText::new(caveat).italics().size(13.0));
        }
        card_sources_ui(ui, &statement.sources);
    }
}

fn card_sources_ui(ui: &mut Ui, sources: &[crate::model::Source]) {
    if sources.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Sources").strong().size(15.0));
    for source in sources {
        let text = format!("[{}] {}, {}", source.key, source.outlet, source.date_text());
        ui.label(RichText::new(text).size(13.0));
    }
}

/// What became of an export: a line saying what was written, or why not.
pub type ExportOutcome = Arc<Mutex<Option<Result<String, String>>>>;

/// Where an exported slide goes.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportTarget {
    /// A PNG file of exactly the job's size.
    Png(PathBuf),
    /// The clipboard, at the window's size.
    Clipboard,
    /// A deck: a page per story step, the overview first.
    Deck(DeckJob),
}

/// The format of an exported deck.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DeckFormat {
    /// One PDF file, a page per slide, with searchable text.
    Pdf,
    /// A folder of numbered PNGs.
    Png,
    /// A PowerPoint file: the map a picture, the rest editable text and tables.
    Pptx,
}

impl DeckFormat {
    /// The format `path` asks for: `.pptx` is PowerPoint, `.pdf` a PDF; else `chosen`.
    pub fn for_path(path: &std::path::Path, chosen: DeckFormat) -> DeckFormat {
        let extension = path
            .extension()
            .map(|extension| extension.to_string_lossy().to_lowercase());
        match extension.as_deref() {
            Some("pptx") => DeckFormat::Pptx,
            Some("pdf") => DeckFormat::Pdf,
            _ => chosen,
        }
    }
}

/// A PowerPoint deck's layout (template or Strikemap's own) and its slides so far.
pub type PptxDeck = (
    strikemap_deck::pptx::PptxLayout,
    Vec<strikemap_deck::pptx::PptxSlide>,
);

/// A deck being made: where it goes, in what form, and the pages taken so far.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckJob {
    pub path: PathBuf,
    pub format: DeckFormat,
    /// The pages to take: the overview and every story step.
    pub page_count: usize,
    pub pages: Vec<strikemap_deck::DeckPage>,
    /// A PowerPoint deck's layout (template or Strikemap's own) and its slides so far.
    pub pptx: Option<Box<PptxDeck>>,
}

/// An image export under way: lay out the slide at the window's size, wait until the offline
/// tiles are in and the camera has landed, take a screenshot and hand it to the app.
pub struct ExportJob {
    pub target: ExportTarget,
    pub size_px: [u32; 2],
    pub close_when_done: bool,
    pub outcome: ExportOutcome,
    frames: u32,
    shot: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    requested: bool,
}

/// Frames to wait at least before the screenshot, and at most for tiles.
const MIN_FRAMES: u32 = 4;
const MAX_FRAMES: u32 = 900;

impl ExportJob {
    pub fn new(target: ExportTarget, size_px: [u32; 2], close_when_done: bool) -> Self {
        Self {
            target,
            size_px,
            close_when_done,
            outcome: Arc::new(Mutex::new(None)),
            frames: 0,
            shot: Arc::new(Mutex::new(None)),
            requested: false,
        }
    }

    /// Advances the export by a frame; returns the screenshot once it has arrived.
    pub fn step(&mut self, ctx: &egui::Context, ready: bool) -> Option<Arc<egui::ColorImage>> {
        self.frames += 1;
        ctx.request_repaint();
        if !self.requested {
            if (ready && self.frames >= MIN_FRAMES) || self.frames >= MAX_FRAMES {
                let slot = Arc::clone(&self.shot);
                let wake = ctx.clone();
                ctx.request_screenshot(move |image| {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(image);
                    }
                    wake.request_repaint();
                });
                self.requested = true;
            }
            return None;
        }
        self.shot.lock().ok().and_then(|mut slot| slot.take())
    }

    /// Gets ready to take another screenshot (the next page of a deck).
    pub fn again(&mut self) {
        self.frames = 0;
        self.requested = false;
    }

    /// Records the outcome and, from the command line, closes the window.
    pub fn finish(&self, ctx: &egui::Context, result: Result<String, String>) {
        if let Ok(mut outcome) = self.outcome.lock() {
            *outcome = Some(result);
        }
        if self.close_when_done {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// Writes the screenshot as a PNG of exactly `size_px` (resampled if the screen's pixel density
/// made it differ).
pub fn save_png(
    image: &egui::ColorImage,
    size_px: [u32; 2],
    path: &std::path::Path,
) -> Result<(), String> {
    let [width, height] = image.size;
    let mut bytes = Vec::with_capacity(width * height * 4);
    for pixel in &image.pixels {
        bytes.extend_from_slice(&pixel.to_srgba_unmultiplied());
    }
    let buffer = image::RgbaImage::from_raw(width as u32, height as u32, bytes)
        .ok_or_else(|| "the screenshot has an unexpected size".to_owned())?;
    let buffer = if buffer.dimensions() == (size_px[0], size_px[1]) {
        buffer
    } else {
        image::imageops::resize(
            &buffer,
            size_px[0],
            size_px[1],
            image::imageops::FilterType::Lanczos3,
        )
    };
    buffer
        .save_with_format(path, image::ImageFormat::Png)
        .map_err(|error| format!("{}: cannot write the PNG: {error}", path.display()))
}

/// Parses "1920x1080".
pub fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let (width, height) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size {text:?} is not WIDTHxHEIGHT, e.g. 1920x1080"))?;
    let parse = |part: &str| -> Result<u32, String> {
        part.trim()
            .parse::<u32>()
            .ok()
            .filter(|value| (64..=8192).contains(value))
            .ok_or_else(|| format!("size {text:?}: {part:?} is not a whole number from 64 to 8192"))
    };
    Ok([parse(width)?, parse(height)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1920x1080"), Ok([1920, 1080]));
        assert_eq!(parse_size("800X600"), Ok([800, 600]));
        assert!(parse_size("1920").is_err());
        assert!(parse_size("0x100").is_err());
        assert!(parse_size("99999x100").is_err());
        assert!(parse_size("axb").is_err());
    }

    #[test]
    fn a_png_is_written_at_the_requested_size() {
        let image = egui::ColorImage::filled([40, 20], egui::Color32::from_rgb(10, 20, 30));
        let path = std::env::temp_dir().join(format!("strikemap-save-{}.png", std::process::id()));
        save_png(&image, [80, 40], &path).unwrap();
        let written = image::open(&path).unwrap();
        assert_eq!((written.width(), written.height()), (80, 40));
        std::fs::remove_file(&path).unwrap();
    }
}
