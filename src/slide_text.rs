//! What text a frame shows, where and how large, read from the shapes egui hands to the
//! renderer: the words of a deck page (so the PDF carries real, searchable text) and the
//! measure of the smallest type on a slide.

use egui::{Context, FullOutput, Rect, Shape};
use std::sync::{Arc, Mutex};

/// One piece of text as drawn: its words, its box in points and its smallest font size in
/// points.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnText {
    pub text: String,
    pub rect: Rect,
    pub size: f32,
}

/// The text of the last frame, and the pixels per point it was drawn at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameText {
    pub texts: Vec<DrawnText>,
    pub pixels_per_point: f32,
}

impl FrameText {
    /// The smallest text height in pixels (font size times pixels per point), if any text.
    pub fn smallest_px(&self) -> Option<f32> {
        self.texts
            .iter()
            .map(|text| text.size * self.pixels_per_point)
            .reduce(f32::min)
    }
}

/// An egui plugin that keeps the text of the last frame. Add it with [`TextRecorder::install`];
/// read it with [`TextRecorder::last_frame`].
#[derive(Default)]
pub struct TextRecorder {
    last: Arc<Mutex<FrameText>>,
}

impl TextRecorder {
    /// Adds the recorder to `ctx` (once) and returns the handle to its last frame.
    pub fn install(ctx: &Context) -> Arc<Mutex<FrameText>> {
        if ctx.plugin_opt::<TextRecorder>().is_none() {
            ctx.add_plugin(TextRecorder::default());
        }
        let handle = ctx.plugin::<TextRecorder>();
        let plugin = handle.lock();
        Arc::clone(&plugin.last)
    }

    /// The text of the last frame drawn in `ctx` (empty when the recorder is not installed).
    pub fn last_frame(ctx: &Context) -> FrameText {
        ctx.plugin_opt::<TextRecorder>()
            .and_then(|handle| handle.lock().last.lock().ok().map(|last| last.clone()))
            .unwrap_or_default()
    }
}

impl egui::Plugin for TextRecorder {
    fn debug_name(&self) -> &'static str {
        "strikemap text recorder"
    }

    fn output_hook(&mut self, _ctx: &Context, output: &mut FullOutput) {
        let mut texts = Vec::new();
        for clipped in &output.shapes {
            collect(&clipped.shape, clipped.clip_rect, &mut texts);
        }
        if let Ok(mut last) = self.last.lock() {
            *last = FrameText {
                texts,
                pixels_per_point: output.pixels_per_point,
            };
        }
    }
}

fn collect(shape: &Shape, clip: Rect, out: &mut Vec<DrawnText>) {
    match shape {
        Shape::Vec(shapes) => {
            for shape in shapes {
                collect(shape, clip, out);
            }
        }
        Shape::Text(text_shape) => {
            let galley = &text_shape.galley;
            let words = galley.text().trim();
            if words.is_empty() || text_shape.opacity_factor <= 0.0 {
                return;
            }
            let rect = galley.rect.translate(text_shape.pos.to_vec2());
            // Text wholly outside its clip rectangle is not seen.
            if !rect.intersects(clip) {
                return;
            }
            let size = galley
                .job
                .sections
                .iter()
                .filter(|section| {
                    galley
                        .job
                        .text
                        .get(section.byte_range.start.0..section.byte_range.end.0)
                        .is_some_and(|part| !part.trim().is_empty())
                })
                .map(|section| section.format.font_id.size)
                .reduce(f32::min);
            // A label's halo draws the same words eight more times, up to a point off each
            // way (so two copies may be 2√2 points apart): keep one.
            let repeat = out.iter().any(|seen| {
                seen.text == words && (seen.rect.center() - rect.center()).length() <= 3.0
            });
            if let Some(size) = size
                && !repeat
            {
                out.push(DrawnText {
                    text: words.to_owned(),
                    rect,
                    size,
                });
            }
        }
        _ => {}
    }
}
