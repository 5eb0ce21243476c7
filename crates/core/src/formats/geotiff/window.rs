//! Reading a window of one level (the full image or an overview) chunk by chunk: only the
//! tiles or strips the window touches are read and decoded, so a file larger than memory is
//! never read whole. Decoded chunks are kept as RGBA (up to [`CHUNK_CACHE_BYTES`]) so that a
//! pan reads only the chunks it brings into view.

use super::pixels::Samples;
use super::{GeoTiff, Level};
use crate::error::LoadError;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::BufReader;
use tiff::decoder::{Decoder, DecodingResult};

/// Decoded chunks kept per reader.
pub const CHUNK_CACHE_BYTES: usize = 96 << 20;

/// A rectangle of one level's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PixelWindow {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// A window read: RGBA bytes, row by row, `window.width` × `window.height`.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowImage {
    pub level: usize,
    pub window: PixelWindow,
    pub rgba: Vec<u8>,
}

/// A chunk decoded: its size in pixels and its RGBA bytes.
struct DecodedChunk {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

/// An open file, read window by window (one per thread that reads).
pub struct WindowReader<'t> {
    tiff: &'t GeoTiff,
    decoder: Decoder<BufReader<File>>,
    /// The level whose directory the decoder has loaded.
    current_level: Option<usize>,
    cache: HashMap<(usize, u32), DecodedChunk>,
    cache_order: VecDeque<(usize, u32)>,
    cache_bytes: usize,
}

impl<'t> WindowReader<'t> {
    pub fn open(tiff: &'t GeoTiff) -> Result<Self, LoadError> {
        let decoder = super::open_decoder(&tiff.file, &tiff.path)?;
        Ok(Self {
            tiff,
            decoder,
            current_level: None,
            cache: HashMap::new(),
            cache_order: VecDeque::new(),
            cache_bytes: 0,
        })
    }

    /// The window's pixels as RGBA; the window is clipped to the level.
    pub fn read(&mut self, level: usize, window: PixelWindow) -> Result<WindowImage, LoadError> {
        let tiff = self.tiff;
        let Some(info) = tiff.levels.get(level) else {
            return Err(tiff.error(format!("has no level {level}")));
        };
        let window = clip(window, info);
        let mut rgba = vec![0u8; window.width as usize * window.height as usize * 4];
        if window.width == 0 || window.height == 0 {
            return Ok(WindowImage {
                level,
                window,
                rgba,
            });
        }
        let (first_col, last_col) = (
            window.x / info.chunk_width,
            (window.x + window.width - 1) / info.chunk_width,
        );
        let (first_row, last_row) = (
            window.y / info.chunk_height,
            (window.y + window.height - 1) / info.chunk_height,
        );
        let across = info.width.div_ceil(info.chunk_width);
        for chunk_row in first_row..=last_row {
            for chunk_col in first_col..=last_col {
                let index = chunk_row * across + chunk_col;
                self.ensure_chunk(level, index, chunk_col, chunk_row)?;
                let Some(chunk) = self.cache.get(&(level, index)) else {
                    continue;
                };
                copy_chunk(
                    chunk,
                    (chunk_col * info.chunk_width, chunk_row * info.chunk_height),
                    window,
                    &mut rgba,
                );
            }
        }
        Ok(WindowImage {
            level,
            window,
            rgba,
        })
    }

    /// The raw samples of chunk `index` of `level` (for the contrast stretch).
    pub(super) fn raw_chunk(&mut self, level: usize, index: u32) -> Result<Samples, LoadError> {
        self.seek(level)?;
        let tiff = self.tiff;
        match self.decoder.read_chunk(index) {
            Ok(DecodingResult::U8(values)) => Ok(Samples::U8(values)),
            Ok(DecodingResult::U16(values)) => Ok(Samples::U16(values)),
            Ok(_) => Err(tiff.error("holds samples that are not 8- or 16-bit unsigned integers")),
            Err(error) => Err(tiff.error(format!(
                "level {level} chunk {index} cannot be read: {error}"
            ))),
        }
    }

    fn seek(&mut self, level: usize) -> Result<(), LoadError> {
        if self.current_level == Some(level) {
            return Ok(());
        }
        let tiff = self.tiff;
        let ifd = tiff
            .levels
            .get(level)
            .map(|info| info.ifd)
            .ok_or_else(|| tiff.error(format!("has no level {level}")))?;
        self.decoder
            .seek_to_image(ifd)
            .map_err(|error| tiff.error(format!("image {ifd} cannot be read: {error}")))?;
        self.current_level = Some(level);
        Ok(())
    }

    fn ensure_chunk(
        &mut self,
        level: usize,
        index: u32,
        chunk_col: u32,
        chunk_row: u32,
    ) -> Result<(), LoadError> {
        if self.cache.contains_key(&(level, index)) {
            return Ok(());
        }
        let tiff = self.tiff;
        let Some(info) = tiff.levels.get(level) else {
            return Ok(());
        };
        let width = info
            .chunk_width
            .min(info.width - chunk_col * info.chunk_width);
        let height = info
            .chunk_height
            .min(info.height - chunk_row * info.chunk_height);
        let samples = self.raw_chunk(level, index)?;
        let pixels = width as usize * height as usize;
        let rgba = tiff.palette.to_rgba(&samples, pixels).ok_or_else(|| {
            tiff.error(format!(
                "level {level} chunk {index} holds fewer samples than its {width} × {height} pixels"
            ))
        })?;
        self.cache_bytes += rgba.len();
        self.cache.insert(
            (level, index),
            DecodedChunk {
                width,
                height,
                rgba,
            },
        );
        self.cache_order.push_back((level, index));
        while self.cache_bytes > CHUNK_CACHE_BYTES && self.cache_order.len() > 1 {
            if let Some(oldest) = self.cache_order.pop_front()
                && let Some(dropped) = self.cache.remove(&oldest)
            {
                self.cache_bytes -= dropped.rgba.len();
            }
        }
        Ok(())
    }
}

fn clip(window: PixelWindow, level: &Level) -> PixelWindow {
    let x = window.x.min(level.width);
    let y = window.y.min(level.height);
    PixelWindow {
        x,
        y,
        width: window.width.min(level.width - x),
        height: window.height.min(level.height - y),
    }
}

/// Copies the part of a chunk (its top-left pixel at `origin`) inside `window` into `out`.
fn copy_chunk(chunk: &DecodedChunk, origin: (u32, u32), window: PixelWindow, out: &mut [u8]) {
    let left = origin.0.max(window.x);
    let right = (origin.0 + chunk.width).min(window.x + window.width);
    let top = origin.1.max(window.y);
    let bottom = (origin.1 + chunk.height).min(window.y + window.height);
    if left >= right || top >= bottom {
        return;
    }
    let row_bytes = (right - left) as usize * 4;
    for y in top..bottom {
        let from =
            ((y - origin.1) as usize * chunk.width as usize + (left - origin.0) as usize) * 4;
        let to = ((y - window.y) as usize * window.width as usize + (left - window.x) as usize) * 4;
        if let (Some(source), Some(target)) = (
            chunk.rgba.get(from..from + row_bytes),
            out.get_mut(to..to + row_bytes),
        ) {
            target.copy_from_slice(source);
        }
    }
}
