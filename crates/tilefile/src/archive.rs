//! [`TileArchive`]: one opened PMTiles or MBTiles file.

use std::io;
use std::path::Path;

use crate::error::{ErrorKind, TileFileError, hex_bytes};
use crate::info::{
    ArchiveInfo, Container, LonLatBounds, RgbaTile, TileFormat, TileLabel, VectorSchema, strip_html,
};
use crate::mbtiles::MbTiles;
use crate::mvt::{self, render::SubSquare};
use crate::pmtiles::{PmTiles, header::MAGIC};
use crate::raster;
use crate::style;
use strikemap_core::formats::file_kind::{NotAFile, open_regular_file};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Largest tile edge `render_tile` draws.
pub const MAX_TILE_SIZE_PX: u32 = 4096;
/// Deepest over-zoom below `max_zoom` (a 256-px tile is then cut into 1/65 536 pixels).
pub const MAX_OVERZOOM: u8 = 16;

#[derive(Debug)]
enum Backend {
    PmTiles(PmTiles),
    MbTiles(MbTiles),
}

/// An opened tile file. `Send + Sync`: share it (e.g. in an `Arc`) between worker threads and
/// call [`TileArchive::read_tile`] / [`TileArchive::render_tile`] from all of them at once.
#[derive(Debug)]
pub struct TileArchive {
    info: ArchiveInfo,
    backend: Backend,
    /// The built-in style for Shortbread or an unknown schema, compiled on first use.
    built_in_style: std::sync::OnceLock<style::StyleDocument>,
    /// A user's style (`--style`) and the id of the source this file is, drawn instead of the
    /// built-in styles.
    user_style: Option<(style::StyleDocument, String)>,
}

fn open_error(path: &Path, error: &io::Error) -> TileFileError {
    match error.kind() {
        io::ErrorKind::NotFound => TileFileError::new(path, ErrorKind::NotFound, "no such file"),
        io::ErrorKind::PermissionDenied => {
            TileFileError::new(path, ErrorKind::Unreadable, "permission denied")
        }
        _ => TileFileError::new(path, ErrorKind::Unreadable, format!("cannot read: {error}")),
    }
}

impl TileArchive {
    /// Opens and checks the file (see the crate docs for what is checked). The container is
    /// recognised from the first bytes, not the extension.
    pub fn open(path: &Path) -> Result<TileArchive, TileFileError> {
        // A folder, a device or a named pipe is refused before anything opens it.
        let (file, file_len) = open_regular_file(path).map_err(|problem| {
            let kind = match problem {
                NotAFile::Missing { .. } => ErrorKind::NotFound,
                _ => ErrorKind::Unreadable,
            };
            TileFileError::new(path, kind, problem.to_string())
        })?;
        if file_len == 0 {
            return Err(TileFileError::new(
                path,
                ErrorKind::Empty,
                "the file is empty",
            ));
        }
        let source = crate::source::FileSource::new(file);
        let start = source
            .read_at(0, file_len.min(16))
            .map_err(|e| open_error(path, &e))?;
        if start.starts_with(MAGIC) || (start.len() < MAGIC.len() && MAGIC.starts_with(&start)) {
            let pmtiles = PmTiles::open(path, source, file_len)?;
            let info = pmtiles_info(path, &pmtiles);
            Ok(TileArchive {
                info,
                backend: Backend::PmTiles(pmtiles),
                built_in_style: std::sync::OnceLock::new(),
                user_style: None,
            })
        } else if let [b'P', b'M', version @ (1 | 2), 0, ..] = start[..] {
            // PMTiles v1 and v2 start with "PM" and a little-endian u16 version.
            Err(TileFileError::new(
                path,
                ErrorKind::UnsupportedVersion,
                format!("PMTiles version {version} is not supported (version 3 is)"),
            ))
        } else if start.as_slice() == SQLITE_MAGIC {
            drop(source);
            let mbtiles = MbTiles::open(path)?;
            let info = mbtiles_info(path, &mbtiles)?;
            Ok(TileArchive {
                info,
                backend: Backend::MbTiles(mbtiles),
                built_in_style: std::sync::OnceLock::new(),
                user_style: None,
            })
        } else {
            let shown = &start[..start.len().min(8)];
            Err(TileFileError::new(
                path,
                ErrorKind::NotATileFile,
                format!(
                    "not a PMTiles or MBTiles file (starts with bytes {})",
                    hex_bytes(shown)
                ),
            ))
        }
    }

    pub fn info(&self) -> &ArchiveInfo {
        &self.info
    }

    /// Raw tile bytes for XYZ tile `zoom`/`x`/`y` (MBTiles' TMS row is flipped here),
    /// decompressed. `Ok(None)` where the file has no tile, including outside the zoom's grid.
    pub fn read_tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, TileFileError> {
        match &self.backend {
            Backend::PmTiles(pmtiles) => pmtiles.read_tile(zoom, x, y),
            Backend::MbTiles(mbtiles) => mbtiles.read_tile(zoom, x, y),
        }
    }

    /// Where the pixels of XYZ tile `zoom`/`x`/`y` come from: the stored tile and the
    /// sub-square of it (over-zoom above `max_zoom`). `None` for invalid or too-deep tiles.
    fn source_tile(&self, zoom: u8, x: u32, y: u32) -> Option<(u8, u32, u32, SubSquare)> {
        if zoom > 31 || u64::from(x) >= 1u64 << zoom || u64::from(y) >= 1u64 << zoom {
            return None;
        }
        let depth = zoom.saturating_sub(self.info.max_zoom);
        if depth > MAX_OVERZOOM {
            return None;
        }
        let mask = (1u32 << depth) - 1;
        Some((
            zoom - depth,
            x >> depth,
            y >> depth,
            SubSquare {
                depth,
                x: x & mask,
                y: y & mask,
            },
        ))
    }

    fn corrupt(&self, zoom: u8, x: u32, y: u32, message: String) -> TileFileError {
        TileFileError::new(&self.info.path, ErrorKind::Corrupt, message).at_tile(zoom, x, y)
    }

    fn read_vector(
        &self,
        zoom: u8,
        x: u32,
        y: u32,
    ) -> Result<Option<mvt::decode::Tile>, TileFileError> {
        let Some(bytes) = self.read_tile(zoom, x, y)? else {
            return Ok(None);
        };
        mvt::decode::decode(&bytes).map(Some).map_err(|message| {
            self.corrupt(
                zoom,
                x,
                y,
                format!("the vector tile does not decode: {message}"),
            )
        })
    }

    /// The tile as a `size_px` × `size_px` straight-alpha RGBA image: raster tiles decoded and
    /// resampled, vector tiles drawn with the built-in style. Above `max_zoom` the ancestor
    /// at `max_zoom` is over-zoomed (raster: its sub-square scaled up; vector: the sub-square
    /// redrawn sharp, with the widths of `zoom`). `Ok(None)` where the file has no tile.
    pub fn render_tile(
        &self,
        zoom: u8,
        x: u32,
        y: u32,
        size_px: u32,
    ) -> Result<Option<RgbaTile>, TileFileError> {
        let size_px = size_px.clamp(1, MAX_TILE_SIZE_PX);
        let Some((tile_zoom, tile_x, tile_y, sub)) = self.source_tile(zoom, x, y) else {
            return Ok(None);
        };
        if self.info.tile_format.is_vector() {
            let Some(tile) = self.read_vector(tile_zoom, tile_x, tile_y)? else {
                return Ok(None);
            };
            if let Some((style, source)) = &self.user_style {
                // MapLibre styles are written for 512-pixel tiles: one zoom level less.
                let style_zoom = f64::from(zoom) - 1.0;
                let drawn =
                    style::draw::render_tile(style, Some(source), &tile, style_zoom, sub, size_px);
                return Ok(drawn);
            }
            let schema = self.schema();
            let layer_names = |names: &Vec<String>| -> Vec<String> {
                if names.is_empty() {
                    tile.layers.iter().map(|layer| layer.name.clone()).collect()
                } else {
                    names.clone()
                }
            };
            let style = match &schema {
                // An overlay draws every feature with no background, over the world map.
                _ if self.info.overlay => Some(self.built_in_style.get_or_init(|| {
                    let names = match &schema {
                        VectorSchema::Unknown(names) => layer_names(names),
                        _ => layer_names(&Vec::new()),
                    };
                    style::builtin::generic(&names, false)
                })),
                VectorSchema::Protomaps | VectorSchema::OpenMapTiles => None,
                VectorSchema::Shortbread => {
                    Some(self.built_in_style.get_or_init(style::builtin::shortbread))
                }
                VectorSchema::Unknown(names) => Some(
                    self.built_in_style
                        .get_or_init(|| style::builtin::generic(&layer_names(names), true)),
                ),
            };
            return Ok(match style {
                Some(style) => {
                    style::draw::render_tile(style, None, &tile, f64::from(zoom), sub, size_px)
                }
                None => mvt::render::render(&tile, &schema, zoom, sub, size_px),
            });
        }
        let Some(bytes) = self.read_tile(tile_zoom, tile_x, tile_y)? else {
            return Ok(None);
        };
        let image = raster::decode(&bytes, self.info.tile_format)
            .map_err(|message| self.corrupt(tile_zoom, tile_x, tile_y, message))?;
        Ok(Some(raster::resample(&image, sub, size_px)))
    }

    /// Place labels inside tile `zoom`/`x`/`y` (vector files; empty for raster files), most
    /// important first. Above `max_zoom` they come from the ancestor tile, inside this tile.
    pub fn labels(&self, zoom: u8, x: u32, y: u32) -> Result<Vec<TileLabel>, TileFileError> {
        if !self.info.tile_format.is_vector() {
            return Ok(Vec::new());
        }
        let Some((tile_zoom, tile_x, tile_y, sub)) = self.source_tile(zoom, x, y) else {
            return Ok(Vec::new());
        };
        let Some(tile) = self.read_vector(tile_zoom, tile_x, tile_y)? else {
            return Ok(Vec::new());
        };
        Ok(mvt::labels(
            &tile,
            &self.schema(),
            tile_zoom,
            tile_x,
            tile_y,
            sub,
        ))
    }

    /// Draws this file's vector tiles by `style`, whose source `source` this file is.
    pub(crate) fn set_user_style(&mut self, style: style::StyleDocument, source: String) {
        self.user_style = Some((style, source));
    }

    /// What the user's style asks for that is not drawn (layer id + property), if a style is set.
    pub fn style_problems(&self) -> &[style::UnsupportedProperty] {
        self.user_style
            .as_ref()
            .map_or(&[], |(style, _)| &style.unsupported)
    }

    fn schema(&self) -> VectorSchema {
        self.info
            .vector_schema
            .clone()
            .unwrap_or_else(|| VectorSchema::Unknown(Vec::new()))
    }
}

/// Layer ids of TileJSON `vector_layers`.
fn vector_layer_names(metadata: &serde_json::Value) -> Vec<String> {
    metadata
        .get("vector_layers")
        .and_then(serde_json::Value::as_array)
        .map(|layers| {
            layers
                .iter()
                .filter_map(|layer| layer.get("id")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The schema from the metadata's layer names, else from the layers of one tile.
fn schema_of(names: Vec<String>, sample_tile: impl FnOnce() -> Option<Vec<u8>>) -> VectorSchema {
    if !names.is_empty() {
        return VectorSchema::from_layer_names(&names);
    }
    let names = sample_tile()
        .and_then(|bytes| mvt::decode::decode(&bytes).ok())
        .map(|tile| {
            tile.layers
                .into_iter()
                .map(|layer| layer.name)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    VectorSchema::from_layer_names(&names)
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

fn valid_bounds(bounds: LonLatBounds) -> Option<LonLatBounds> {
    let LonLatBounds {
        west,
        south,
        east,
        north,
    } = bounds;
    let finite = [west, south, east, north].iter().all(|v| v.is_finite());
    let in_range = (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east)
        && (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north);
    (finite && in_range && south < north && west != east).then_some(bounds)
}

fn pmtiles_info(path: &Path, pmtiles: &PmTiles) -> ArchiveInfo {
    let header = &pmtiles.header;
    let text = |key: &str| {
        non_empty(
            pmtiles
                .metadata
                .get(key)
                .and_then(serde_json::Value::as_str),
        )
    };
    let vector_schema = pmtiles.tile_format.is_vector().then(|| {
        schema_of(vector_layer_names(&pmtiles.metadata), || {
            let (zoom, x, y) = (header.min_zoom, 0, 0);
            (0..=header.max_zoom.min(zoom + 3))
                .find_map(|z| pmtiles.read_tile(z, x, y).ok().flatten())
        })
    });
    let bounds = valid_bounds(header.bounds);
    let center =
        (header.center_lon.is_finite() && header.center_lat.is_finite() && bounds.is_some())
            .then_some((header.center_lon, header.center_lat, header.center_zoom));
    ArchiveInfo {
        path: path.to_path_buf(),
        container: Container::PmTiles,
        tile_format: pmtiles.tile_format,
        name: text("name"),
        attribution: text("attribution").map(|a| strip_html(&a)),
        bounds,
        min_zoom: header.min_zoom,
        max_zoom: header.max_zoom,
        center,
        overlay: text("type").as_deref() == Some("overlay")
            || vector_schema
                .as_ref()
                .is_some_and(VectorSchema::is_thematic),
        vector_schema,
    }
}

fn numbers(text: &str) -> Vec<f64> {
    text.split(',')
        .filter_map(|part| part.trim().parse().ok())
        .collect()
}

fn mbtiles_info(path: &Path, mbtiles: &MbTiles) -> Result<ArchiveInfo, TileFileError> {
    let meta = |key: &str| non_empty(mbtiles.metadata.get(key).map(String::as_str));
    let tile_format = match meta("format").as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("png") => TileFormat::Png,
        Some("jpg" | "jpeg") => TileFormat::Jpeg,
        Some("webp") => TileFormat::Webp,
        Some("pbf" | "mvt") => TileFormat::Mvt,
        Some(other) => {
            return Err(TileFileError::new(
                path,
                ErrorKind::UnsupportedTileType,
                format!("tile format `{other}` is not supported (png, jpg, webp and pbf are)"),
            ));
        }
        None => match mbtiles.first_tile.as_deref() {
            None => TileFormat::Png,
            Some(bytes) => TileFormat::sniff(bytes).ok_or_else(|| {
                TileFileError::new(
                    path,
                    ErrorKind::UnsupportedTileType,
                    format!(
                        "the metadata names no format and the first tile is not PNG, JPEG, WebP or a vector tile (starts with bytes {})",
                        hex_bytes(&bytes[..bytes.len().min(8)])
                    ),
                )
            })?,
        },
    };
    let zoom = |key: &str| {
        meta(key)
            .and_then(|z| z.parse::<f64>().ok())
            .map(|z| z.clamp(0.0, 31.0) as u8)
    };
    let (table_min, table_max) = mbtiles.zoom_range.unwrap_or((0, 0));
    let min_zoom = zoom("minzoom").unwrap_or(table_min);
    let max_zoom = zoom("maxzoom").unwrap_or(table_max).max(min_zoom);
    let bounds = meta("bounds").and_then(|text| match numbers(&text)[..] {
        [west, south, east, north] => valid_bounds(LonLatBounds {
            west,
            south,
            east,
            north,
        }),
        _ => None,
    });
    let center = meta("center").and_then(|text| match numbers(&text)[..] {
        [lon, lat, zoom] => Some((lon, lat, zoom.clamp(0.0, 31.0) as u8)),
        [lon, lat] => Some((lon, lat, min_zoom)),
        _ => None,
    });
    let json = meta("json").and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
    let vector_schema = tile_format.is_vector().then(|| {
        let names = json.as_ref().map(vector_layer_names).unwrap_or_default();
        schema_of(names, || {
            let bytes = mbtiles.first_tile.clone()?;
            if crate::source::is_gzip(&bytes) {
                crate::source::gunzip(&bytes).ok()
            } else {
                Some(bytes)
            }
        })
    });
    Ok(ArchiveInfo {
        path: path.to_path_buf(),
        container: Container::MbTiles,
        tile_format,
        name: meta("name"),
        attribution: meta("attribution").map(|a| strip_html(&a)),
        bounds,
        min_zoom,
        max_zoom,
        center,
        overlay: meta("type").as_deref() == Some("overlay")
            || vector_schema
                .as_ref()
                .is_some_and(VectorSchema::is_thematic),
        vector_schema,
    })
}
