//! Tiles rendered in-process on worker threads (never on the UI thread), uploaded as textures
//! by the workers and kept in an LRU cache, as a walkers tile source: the offline Natural Earth
//! basemap (`strikemap_basemap`), and a user's basemap file (`strikemap_tilefile`). HiDPI
//! screens get tiles rendered at `pixels_per_point`.

use egui::{ColorImage, Context, Rect, TextureHandle, TextureOptions, pos2};
use lru::LruCache;
use std::collections::{HashSet, VecDeque};
use std::num::NonZeroUsize;
use std::sync::{Arc, Condvar, Mutex, mpsc};
use strikemap_basemap::{Basemap as NaturalEarth, DecodeError};
use walkers::sources::Attribution;
use walkers::{Tile, TileId, TilePiece, Tiles};

/// Textures kept; at 256 px that is 64 MiB at most.
const TEXTURE_CACHE_TILES: usize = 256;
/// Requests beyond this are dropped oldest first: the user has moved on.
const MAX_QUEUED_REQUESTS: usize = 96;
/// How many zoom levels up to look for a stand-in while a tile renders.
const MAX_FALLBACK_LEVELS: u8 = 8;

/// The decoded Natural Earth data, shared by the workers, the label overlay and the border
/// distances; the first caller decodes it (about 20 ms), others wait for it.
pub fn natural_earth() -> Result<&'static NaturalEarth, &'static DecodeError> {
    strikemap_basemap::shared()
}

/// Whether the Natural Earth data is decoded (the UI thread draws labels only then, rather
/// than wait for it).
pub fn natural_earth_is_ready() -> bool {
    strikemap_basemap::shared_is_ready()
}

/// A tile at a pixel size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct TileKey {
    tile: TileId,
    size_px: u32,
}

/// What a renderer made of a tile.
pub enum Rendered {
    Image(ColorImage),
    /// The source has no tile here (what is beneath shows through).
    Nothing,
    /// The tile could not be made; the reason is reported once.
    Failed(String),
}

/// Makes the image of tile (`zoom`, `x`, `y`) at `size_px` square; called on worker threads.
pub type Renderer = dyn Fn(u8, u32, u32, u32) -> Rendered + Send + Sync;

struct RenderedTile {
    key: TileKey,
    texture: Option<TextureHandle>,
    failure: Option<String>,
}

/// Newest-first work queue shared with the workers.
#[derive(Default)]
struct RenderQueue {
    state: Mutex<QueueState>,
    wake: Condvar,
}

#[derive(Default)]
struct QueueState {
    requests: VecDeque<TileKey>,
    closed: bool,
}

impl RenderQueue {
    /// Queues a request; returns the requests dropped to make room.
    fn push(&self, key: TileKey) -> Vec<TileKey> {
        let Ok(mut state) = self.state.lock() else {
            return Vec::new();
        };
        state.requests.push_back(key);
        let mut dropped = Vec::new();
        while state.requests.len() > MAX_QUEUED_REQUESTS {
            if let Some(old) = state.requests.pop_front() {
                dropped.push(old);
            }
        }
        self.wake.notify_one();
        dropped
    }

    /// Blocks until there is work (newest first) or the queue is closed.
    fn pop(&self) -> Option<TileKey> {
        let mut state = self.state.lock().ok()?;
        loop {
            if state.closed {
                return None;
            }
            if let Some(key) = state.requests.pop_back() {
                return Some(key);
            }
            state = self.wake.wait(state).ok()?;
        }
    }

    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
        }
        self.wake.notify_all();
    }
}

/// Tiles rendered on worker threads; [`OfflineTiles::new`] is the Natural Earth basemap.
pub struct OfflineTiles {
    ctx: Context,
    queue: Arc<RenderQueue>,
    results: mpsc::Receiver<RenderedTile>,
    textures: LruCache<TileKey, TextureHandle>,
    pending: HashSet<TileKey>,
    /// Keys with no tile, or whose rendering failed; not asked for again.
    failed: HashSet<TileKey>,
    /// The first failure not yet reported.
    failure: Option<String>,
    /// The egui pass in which the map last asked for tiles, and how many it got (tiles or
    /// stand-ins) in that pass.
    drawn_pass: u64,
    drawn_in_pass: usize,
}

impl OfflineTiles {
    /// The offline Natural Earth basemap. Its data decodes on a thread of its own, so the
    /// window opens without waiting for it.
    pub fn new(ctx: &Context) -> Self {
        let wake = ctx.clone();
        let _ = std::thread::Builder::new()
            .name("offline-decode".into())
            .spawn(move || {
                let _ = natural_earth();
                wake.request_repaint();
            });
        Self::with_renderer(ctx, "offline", Arc::new(render_natural_earth))
    }

    /// Tiles made by `renderer` on two worker threads; `name` names the threads and textures.
    pub fn with_renderer(ctx: &Context, name: &'static str, renderer: Arc<Renderer>) -> Self {
        let queue = Arc::new(RenderQueue::default());
        let (sender, results) = mpsc::channel();
        let workers = std::thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .clamp(1, 2);
        for index in 0..workers {
            let queue = Arc::clone(&queue);
            let sender = sender.clone();
            let ctx = ctx.clone();
            let renderer = Arc::clone(&renderer);
            let spawned = std::thread::Builder::new()
                .name(format!("{name}-tiles-{index}"))
                .spawn(move || render_worker(&queue, &sender, &ctx, name, renderer.as_ref()));
            if let Err(error) = spawned {
                tracing::error!("Cannot start a tile worker: {error}");
            }
        }
        Self {
            ctx: ctx.clone(),
            queue,
            results,
            textures: LruCache::new(
                NonZeroUsize::new(TEXTURE_CACHE_TILES).unwrap_or(NonZeroUsize::MIN),
            ),
            pending: HashSet::new(),
            failed: HashSet::new(),
            failure: None,
            drawn_pass: 0,
            drawn_in_pass: 0,
        }
    }

    /// Offline tiles (or stand-ins for them) handed to the map in the last finished egui pass:
    /// 0 when that pass drew none.
    pub fn drawn_last_pass(&self) -> usize {
        if self.drawn_pass + 1 == self.ctx.cumulative_pass_nr() {
            self.drawn_in_pass
        } else {
            0
        }
    }

    /// Tiles rendered and held as textures.
    pub fn cached_tiles(&self) -> usize {
        self.textures.len()
    }

    /// Tiles asked for and not yet rendered.
    pub fn pending_tiles(&self) -> usize {
        self.pending.len()
    }

    fn tile_size_px(&self) -> u32 {
        let pixels_per_point = self.ctx.pixels_per_point().clamp(1.0, 4.0);
        (256.0 * pixels_per_point).round() as u32
    }

    /// The first tile failure since the last call (a file that changed on disk, say).
    pub fn take_failure(&mut self) -> Option<String> {
        self.collect_results();
        self.failure.take()
    }

    fn collect_results(&mut self) {
        while let Ok(rendered) = self.results.try_recv() {
            self.pending.remove(&rendered.key);
            if let Some(failure) = rendered.failure
                && self.failure.is_none()
            {
                self.failure = Some(failure);
            }
            match rendered.texture {
                Some(texture) => {
                    self.textures.put(rendered.key, texture);
                }
                None => {
                    self.failed.insert(rendered.key);
                }
            }
        }
    }

    fn request(&mut self, key: TileKey) {
        if self.pending.contains(&key) || self.failed.contains(&key) {
            return;
        }
        self.pending.insert(key);
        for dropped in self.queue.push(key) {
            self.pending.remove(&dropped);
        }
    }

    /// The tile from the cache, else a stand-in; asks for it when it is not cached.
    fn piece(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.collect_results();
        let key = TileKey {
            tile: tile_id,
            size_px: self.tile_size_px(),
        };
        if let Some(texture) = self.textures.get(&key) {
            return Some(TilePiece::new(
                Tile::Raster(texture.clone()),
                Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            ));
        }
        if self.failed.contains(&key) {
            // No tile here: what is beneath shows through.
            return None;
        }
        self.request(key);
        self.stand_in(key)
    }

    /// A cached ancestor of `tile`, with the part of it that covers `tile`.
    fn stand_in(&mut self, key: TileKey) -> Option<TilePiece> {
        for levels_up in 1..=MAX_FALLBACK_LEVELS.min(key.tile.zoom) {
            let scale = 1u32 << levels_up;
            let ancestor = TileKey {
                tile: TileId {
                    x: key.tile.x / scale,
                    y: key.tile.y / scale,
                    zoom: key.tile.zoom - levels_up,
                },
                size_px: key.size_px,
            };
            if let Some(texture) = self.textures.get(&ancestor) {
                let step = 1.0 / scale as f32;
                let u = (key.tile.x % scale) as f32 * step;
                let v = (key.tile.y % scale) as f32 * step;
                return Some(TilePiece::new(
                    Tile::Raster(texture.clone()),
                    Rect::from_min_max(pos2(u, v), pos2(u + step, v + step)),
                ));
            }
        }
        None
    }
}

impl Drop for OfflineTiles {
    fn drop(&mut self) {
        self.queue.close();
    }
}

/// The Natural Earth tile.
fn render_natural_earth(zoom: u8, x: u32, y: u32, size_px: u32) -> Rendered {
    match natural_earth() {
        Ok(data) => {
            let image = data.render_tile(zoom, x, y, size_px);
            let side = image.size_px as usize;
            Rendered::Image(ColorImage::from_rgba_unmultiplied(
                [side, side],
                &image.rgba,
            ))
        }
        Err(error) => Rendered::Failed(format!(
            "The offline basemap data cannot be decoded: {error}"
        )),
    }
}

fn render_worker(
    queue: &RenderQueue,
    results: &mpsc::Sender<RenderedTile>,
    ctx: &Context,
    name: &str,
    renderer: &Renderer,
) {
    while let Some(key) = queue.pop() {
        let TileId { zoom, x, y } = key.tile;
        let (texture, failure) = match renderer(zoom, x, y, key.size_px) {
            Rendered::Image(image) => (
                Some(ctx.load_texture(
                    format!("{name}-{zoom}-{x}-{y}"),
                    image,
                    TextureOptions::LINEAR,
                )),
                None,
            ),
            Rendered::Nothing => (None, None),
            Rendered::Failed(reason) => {
                tracing::warn!("{reason}");
                (None, Some(reason))
            }
        };
        let rendered = RenderedTile {
            key,
            texture,
            failure,
        };
        if results.send(rendered).is_err() {
            return;
        }
        ctx.request_repaint();
    }
}

impl Tiles for OfflineTiles {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        let pass = self.ctx.cumulative_pass_nr();
        if pass != self.drawn_pass {
            self.drawn_pass = pass;
            self.drawn_in_pass = 0;
        }
        let piece = self.piece(tile_id);
        self.drawn_in_pass += usize::from(piece.is_some());
        piece
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "Made with Natural Earth",
            url: "https://www.naturalearthdata.com/",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_serves_newest_first_and_drops_the_oldest() {
        let queue = RenderQueue::default();
        let key = |x| TileKey {
            tile: TileId { x, y: 0, zoom: 7 },
            size_px: 256,
        };
        let mut dropped = Vec::new();
        for x in 0..(MAX_QUEUED_REQUESTS as u32 + 3) {
            dropped.extend(queue.push(key(x)));
        }
        assert_eq!(dropped, vec![key(0), key(1), key(2)]);
        assert_eq!(queue.pop(), Some(key(MAX_QUEUED_REQUESTS as u32 + 2)));
        queue.close();
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn tiles_render_off_the_ui_thread_and_arrive_as_textures() {
        let ctx = Context::default();
        let mut tiles = OfflineTiles::new(&ctx);
        let quetta = TileId {
            x: 87,
            y: 52,
            zoom: 7,
        };
        assert!(
            tiles.at(quetta).is_none(),
            "nothing cached yet, no stand-in"
        );
        assert_eq!(tiles.pending_tiles(), 1);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while tiles.cached_tiles() == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
            tiles.collect_results();
        }
        assert_eq!(tiles.cached_tiles(), 1);
        assert!(tiles.at(quetta).is_some());
        // A child tile that is not rendered yet borrows the parent's quarter.
        let child = TileId {
            x: 175,
            y: 105,
            zoom: 8,
        };
        let piece = tiles.at(child).expect("stand-in from zoom 7");
        assert_eq!(piece.uv, Rect::from_min_max(pos2(0.5, 0.5), pos2(1.0, 1.0)));
    }
}
