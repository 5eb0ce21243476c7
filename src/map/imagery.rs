//! Imagery layers (GeoTIFFs) drawn under the data, above the basemap. Each frame finds the
//! part of the image in view and the coarsest level still as sharp as the screen; a worker
//! thread per layer reads that window (whole chunks, so a small pan asks for nothing new) and
//! uploads it as a texture; the texture is drawn as a mesh of quads whose corners go pixel →
//! the file's system → WGS 84 → screen, so a UTM or other projected image bends as it should
//! on Web Mercator. Until a new window arrives the last one is drawn where it belongs.

use crate::formats::geotiff::{GeoTiff, PixelWindow, WindowReader};
use crate::state::{AppState, LayerId};
use egui::epaint::{Mesh, Vertex};
use egui::{Color32, ColorImage, Context, Painter, Pos2, Rect, TextureHandle, TextureOptions};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use walkers::{Projector, lat_lon};

/// Cells a side of the grid over the whole image that finds the part in view.
const FOOTPRINT_CELLS: u32 = 32;
/// Quads a side of the mesh a window is drawn with.
const MESH_CELLS: u32 = 16;
/// The largest texture side asked for, at most (the renderer's own limit may be lower).
const MAX_TEXTURE_SIDE: u32 = 4096;

/// A window read and uploaded, with the WGS 84 positions of its mesh's corners.
struct Shown {
    texture: TextureHandle,
    level: usize,
    window: PixelWindow,
    corners: Vec<Option<(f64, f64)>>,
}

/// The latest window asked of a worker and its answer; newer requests replace older ones.
#[derive(Default)]
struct Slot {
    request: Option<(usize, PixelWindow)>,
    done: Option<Result<Shown, String>>,
    busy: bool,
    closed: bool,
}

#[derive(Default)]
struct Worker {
    slot: Mutex<Slot>,
    wake: Condvar,
}

/// One imagery layer's drawing state.
struct LayerImagery {
    tiff: Arc<GeoTiff>,
    /// WGS 84 positions of the full image's grid corners, row by row.
    footprint: Vec<Option<(f64, f64)>>,
    worker: Arc<Worker>,
    shown: Option<Shown>,
    asked: Option<(usize, PixelWindow)>,
    failure_reported: bool,
}

impl Drop for LayerImagery {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.worker.slot.lock() {
            slot.closed = true;
        }
        self.worker.wake.notify_all();
    }
}

/// Every imagery layer's drawing state, kept between frames.
#[derive(Default)]
pub struct ImageryPainter {
    layers: HashMap<LayerId, LayerImagery>,
    /// Read failures to show once (taken by the app shell).
    pub failures: Vec<String>,
}

impl ImageryPainter {
    /// Windows asked for and not yet drawn (an export waits for none).
    pub fn pending(&self) -> usize {
        self.layers
            .values()
            .filter(|layer| {
                let drawn = layer
                    .shown
                    .as_ref()
                    .map(|shown| (shown.level, shown.window));
                layer.asked.is_some() && layer.asked != drawn && !layer.failure_reported
            })
            .count()
    }

    /// Draws the visible imagery layers in loading order; a compared pair each on its side of
    /// `split_x` (when given).
    pub fn paint(
        &mut self,
        ctx: &Context,
        painter: &Painter,
        projector: &Projector,
        state: &AppState,
        split_x: Option<f32>,
    ) {
        self.layers
            .retain(|id, _| state.layers.iter().any(|layer| layer.id == *id));
        let view = painter.clip_rect();
        let compare = state.imagery_compare();
        for (layer, tiff) in state.imagery_layers() {
            if !layer.look.visible {
                continue;
            }
            let imagery = self
                .layers
                .entry(layer.id)
                .or_insert_with(|| LayerImagery::new(ctx, tiff.clone(), &layer.name));
            imagery.collect(&mut self.failures);
            let max_side = ctx.input(|input| input.max_texture_side);
            let max_side = u32::try_from(max_side)
                .map_or(MAX_TEXTURE_SIDE, |side| side.clamp(256, MAX_TEXTURE_SIDE));
            let pixels_per_point = ctx.pixels_per_point();
            if let Some(wanted) = imagery.wanted(projector, view, pixels_per_point, max_side) {
                imagery.ask(wanted);
            }
            let clip = match (compare, split_x) {
                (Some(compare), Some(x)) if compare.left == layer.id => {
                    Rect::from_min_max(view.min, Pos2::new(x, view.max.y))
                }
                (Some(compare), Some(x)) if compare.right == layer.id => {
                    Rect::from_min_max(Pos2::new(x, view.min.y), view.max)
                }
                _ => view,
            };
            imagery.draw(&painter.with_clip_rect(clip), projector, layer.look.opacity);
        }
    }
}

impl LayerImagery {
    fn new(ctx: &Context, tiff: Arc<GeoTiff>, name: &str) -> Self {
        let full = tiff.levels[0];
        let footprint = grid_corners(FOOTPRINT_CELLS, |u, v| {
            tiff.lon_lat(u * f64::from(full.width), v * f64::from(full.height))
        });
        let worker = Arc::new(Worker::default());
        spawn_worker(ctx.clone(), tiff.clone(), worker.clone(), name.to_owned());
        Self {
            tiff,
            footprint,
            worker,
            shown: None,
            asked: None,
            failure_reported: false,
        }
    }

    /// Takes a window the worker finished.
    fn collect(&mut self, failures: &mut Vec<String>) {
        let done = self
            .worker
            .slot
            .lock()
            .ok()
            .and_then(|mut slot| slot.done.take());
        match done {
            Some(Ok(shown)) => self.shown = Some(shown),
            Some(Err(message)) if !self.failure_reported => {
                self.failure_reported = true;
                failures.push(message);
            }
            _ => {}
        }
    }

    fn ask(&mut self, wanted: (usize, PixelWindow)) {
        if self.asked == Some(wanted) {
            return;
        }
        self.asked = Some(wanted);
        if let Ok(mut slot) = self.worker.slot.lock() {
            slot.request = Some(wanted);
        }
        self.worker.wake.notify_all();
    }

    /// The level and window (whole chunks) that cover `view` as sharp as the screen, no side
    /// longer than `max_side`.
    fn wanted(
        &self,
        projector: &Projector,
        view: Rect,
        pixels_per_point: f32,
        max_side: u32,
    ) -> Option<(usize, PixelWindow)> {
        let full = self.tiff.levels[0];
        let n = FOOTPRINT_CELLS as usize;
        let screen: Vec<Option<Pos2>> = self
            .footprint
            .iter()
            .map(|corner| corner.map(|(lon, lat)| projector.project(lat_lon(lat, lon)).to_pos2()))
            .collect();
        let cell = (
            f64::from(full.width) / f64::from(FOOTPRINT_CELLS),
            f64::from(full.height) / f64::from(FOOTPRINT_CELLS),
        );
        let mut range: Option<[usize; 4]> = None;
        let mut sharpest = f64::INFINITY;
        for row in 0..n {
            for col in 0..n {
                let corners = [
                    screen[row * (n + 1) + col],
                    screen[row * (n + 1) + col + 1],
                    screen[(row + 1) * (n + 1) + col],
                    screen[(row + 1) * (n + 1) + col + 1],
                ];
                let Some(points) = corners.into_iter().collect::<Option<Vec<Pos2>>>() else {
                    continue;
                };
                let bounds = Rect::from_points(&points);
                if !bounds.intersects(view) {
                    continue;
                }
                let [left, top, right, bottom] = range.get_or_insert([col, row, col, row]);
                *left = (*left).min(col);
                *top = (*top).min(row);
                *right = (*right).max(col);
                *bottom = (*bottom).max(row);
                let across = f64::from(
                    points[0]
                        .distance(points[1])
                        .max(points[2].distance(points[3])),
                );
                if across > 0.0 {
                    sharpest = sharpest.min(cell.0 / across);
                }
            }
        }
        let [left, top, right, bottom] = range?;
        let full_window = [
            left as f64 * cell.0,
            top as f64 * cell.1,
            (right + 1) as f64 * cell.0,
            (bottom + 1) as f64 * cell.1,
        ];
        let mut level = self.tiff.level_for(sharpest / f64::from(pixels_per_point));
        loop {
            let window = level_window(&self.tiff, level, full_window);
            let fits = window.width <= max_side && window.height <= max_side;
            if fits || level + 1 >= self.tiff.levels.len() {
                return Some((level, shrink_to(window, max_side)));
            }
            level += 1;
        }
    }

    fn draw(&self, painter: &Painter, projector: &Projector, opacity: f32) {
        let Some(shown) = &self.shown else {
            return;
        };
        let tint = Color32::WHITE.gamma_multiply(opacity);
        let mut mesh = Mesh::with_texture(shown.texture.id());
        let n = MESH_CELLS;
        for (index, corner) in shown.corners.iter().enumerate() {
            let (col, row) = (index as u32 % (n + 1), index as u32 / (n + 1));
            let pos = corner.map_or(Pos2::new(f32::NAN, f32::NAN), |(lon, lat)| {
                projector.project(lat_lon(lat, lon)).to_pos2()
            });
            mesh.vertices.push(Vertex {
                pos,
                uv: Pos2::new(col as f32 / n as f32, row as f32 / n as f32),
                color: tint,
            });
        }
        for row in 0..n {
            for col in 0..n {
                let at = |c: u32, r: u32| r * (n + 1) + c;
                let quad = [
                    at(col, row),
                    at(col + 1, row),
                    at(col, row + 1),
                    at(col + 1, row + 1),
                ];
                let placed = quad.iter().all(|&vertex| {
                    shown
                        .corners
                        .get(vertex as usize)
                        .is_some_and(Option::is_some)
                });
                if placed {
                    mesh.add_triangle(quad[0], quad[1], quad[2]);
                    mesh.add_triangle(quad[1], quad[3], quad[2]);
                }
            }
        }
        painter.add(mesh);
    }
}

/// The corners of a grid of `cells` × `cells` over the unit square, row by row, through `at`.
fn grid_corners<T>(cells: u32, at: impl Fn(f64, f64) -> T) -> Vec<T> {
    let n = f64::from(cells);
    (0..=cells)
        .flat_map(|row| (0..=cells).map(move |col| (f64::from(col) / n, f64::from(row) / n)))
        .map(|(u, v)| at(u, v))
        .collect()
}

/// A full-resolution window ([left, top, right, bottom]) in `level`'s pixels, grown to whole
/// tiles (a pan within them asks for nothing new).
fn level_window(tiff: &GeoTiff, level: usize, full: [f64; 4]) -> PixelWindow {
    let info = tiff.levels[level];
    let base = tiff.levels[0];
    let scale_x = f64::from(base.width) / f64::from(info.width);
    let scale_y = f64::from(base.height) / f64::from(info.height);
    let (step_x, step_y) = if info.tiled {
        (info.chunk_width, info.chunk_height)
    } else {
        (1, info.chunk_height)
    };
    let snap_down =
        |value: f64, step: u32, limit: u32| ((value.max(0.0) as u32) / step * step).min(limit);
    let snap_up = |value: f64, step: u32, limit: u32| {
        ((value.ceil().max(0.0) as u32).div_ceil(step) * step).min(limit)
    };
    let x = snap_down(full[0] / scale_x, step_x, info.width);
    let y = snap_down(full[1] / scale_y, step_y, info.height);
    let right = snap_up(full[2] / scale_x, step_x, info.width);
    let bottom = snap_up(full[3] / scale_y, step_y, info.height);
    PixelWindow {
        x,
        y,
        width: right.saturating_sub(x),
        height: bottom.saturating_sub(y),
    }
}

/// The window cut to `side` a side around its centre (a file without overviews seen whole).
fn shrink_to(window: PixelWindow, side: u32) -> PixelWindow {
    let cut = |start: u32, length: u32| {
        if length <= side {
            (start, length)
        } else {
            (start + (length - side) / 2, side)
        }
    };
    let (x, width) = cut(window.x, window.width);
    let (y, height) = cut(window.y, window.height);
    PixelWindow {
        x,
        y,
        width,
        height,
    }
}

fn spawn_worker(ctx: Context, tiff: Arc<GeoTiff>, worker: Arc<Worker>, name: String) {
    let spawned = std::thread::Builder::new()
        .name("imagery".into())
        .spawn(move || {
            let mut reader = match WindowReader::open(&tiff) {
                Ok(reader) => reader,
                Err(error) => {
                    if let Ok(mut slot) = worker.slot.lock() {
                        slot.done = Some(Err(error.to_string()));
                    }
                    ctx.request_repaint();
                    return;
                }
            };
            while let Some((level, window)) = next_request(&worker) {
                let result = reader
                    .read(level, window)
                    .map(|image| upload(&ctx, &tiff, &name, image))
                    .map_err(|error| error.to_string());
                if let Ok(mut slot) = worker.slot.lock() {
                    slot.done = Some(result);
                    slot.busy = false;
                }
                ctx.request_repaint();
            }
        });
    if let Err(error) = spawned {
        tracing::warn!("no imagery thread: {error}");
    }
}

/// Waits for the next window; `None` once the layer is gone.
fn next_request(worker: &Worker) -> Option<(usize, PixelWindow)> {
    let mut slot = worker.slot.lock().ok()?;
    loop {
        if slot.closed {
            return None;
        }
        if let Some(request) = slot.request.take() {
            slot.busy = true;
            return Some(request);
        }
        slot = worker.wake.wait(slot).ok()?;
    }
}

fn upload(
    ctx: &Context,
    tiff: &GeoTiff,
    name: &str,
    image: crate::formats::geotiff::WindowImage,
) -> Shown {
    let window = image.window;
    let size = [window.width as usize, window.height as usize];
    let texture = ctx.load_texture(
        format!("imagery {name}"),
        ColorImage::from_rgba_unmultiplied(size, &image.rgba),
        TextureOptions::LINEAR,
    );
    let info = tiff.levels[image.level];
    let base = tiff.levels[0];
    let scale_x = f64::from(base.width) / f64::from(info.width);
    let scale_y = f64::from(base.height) / f64::from(info.height);
    let corners = grid_corners(MESH_CELLS, |u, v| {
        tiff.lon_lat(
            (f64::from(window.x) + u * f64::from(window.width)) * scale_x,
            (f64::from(window.y) + v * f64::from(window.height)) * scale_y,
        )
    });
    Shown {
        texture,
        level: image.level,
        window,
        corners,
    }
}
