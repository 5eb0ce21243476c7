//! The basemap: offline Natural Earth tiles by default, online tile servers as an explicit choice.
//!
//! The offline layer is always drawn; an online layer is drawn over it, so wherever an online
//! tile is missing (failed, slow, no network) the offline tile shows through: no holes.
//!
//! Online sources follow the OpenStreetMap tile usage policy: a User-Agent naming this app, its
//! version and its project URL; a disk cache in the user's cache directory that honours the
//! servers' expiry headers (walkers' HTTP cache); tiles fetched only when in view, never
//! prefetched or bulk-downloaded.

use crate::map::offline_tiles::{OfflineTiles, Rendered};
use crate::settings::{TileSourceChoice, validate_xyz_template};
use std::path::PathBuf;
use std::sync::Arc;
use strikemap_tilefile::{ArchiveInfo, TileArchive};
use walkers::sources::{Attribution, OpenStreetMap, OpenTopoMap, OpenTopoServer, TileSource};
use walkers::{HttpOptions, HttpTiles, TileId};

pub const NATURAL_EARTH_ATTRIBUTION: (&str, &str) = (
    "Made with Natural Earth",
    "https://www.naturalearthdata.com/",
);
pub const OSM_ATTRIBUTION: (&str, &str) = (
    "© OpenStreetMap contributors",
    "https://www.openstreetmap.org/copyright",
);
pub const OPENTOPOMAP_ATTRIBUTION: (&str, &str) = (
    "Map data: © OpenStreetMap contributors, SRTM | Map style: © OpenTopoMap (CC-BY-SA)",
    "https://opentopomap.org/about",
);

/// The User-Agent sent to tile servers: app name, version and project URL.
pub fn user_agent() -> String {
    format!(
        "{}/{} (+{})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Where downloaded tiles are cached by default: the user's cache directory.
pub fn default_tile_cache_root() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("strikemap").join("tiles"))
}

/// The host of a URL template, for the attribution line.
fn host_of(template: &str) -> &str {
    template
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(template)
}

/// A user's XYZ tile server.
pub struct CustomXyz {
    url_template: String,
}

impl TileSource for CustomXyz {
    fn tile_url(&self, tile_id: TileId) -> String {
        self.url_template
            .replace("{z}", &tile_id.zoom.to_string())
            .replace("{x}", &tile_id.x.to_string())
            .replace("{y}", &tile_id.y.to_string())
    }

    fn attribution(&self) -> Attribution {
        // The map draws its own attribution lines (see `Basemap::attribution_lines`).
        Attribution {
            text: "Custom tile server",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }
}

/// A user's basemap file, open, with its tiles rendered on worker threads.
pub struct FileBasemap {
    pub info: ArchiveInfo,
    tiles: OfflineTiles,
}

impl FileBasemap {
    /// Opens `path` (PMTiles or MBTiles); the error names the file and what is wrong with it.
    pub fn open(path: &std::path::Path, ctx: &egui::Context) -> Result<Self, String> {
        let archive = Arc::new(TileArchive::open_basemap(path).map_err(|error| error.to_string())?);
        for problem in archive.style_problems() {
            tracing::warn!(
                "{}: layer {}: {} not drawn ({})",
                path.display(),
                problem.layer,
                problem.property,
                problem.reason
            );
        }
        let info = archive.info().clone();
        let renderer = move |zoom: u8, x: u32, y: u32, size_px: u32| {
            if !archive.info().contains(zoom, x, y) {
                return Rendered::Nothing;
            }
            match archive.render_tile(zoom, x, y, size_px) {
                Ok(Some(tile)) => {
                    let side = tile.size_px as usize;
                    Rendered::Image(egui::ColorImage::from_rgba_unmultiplied(
                        [side, side],
                        &tile.rgba,
                    ))
                }
                Ok(None) => Rendered::Nothing,
                Err(error) => Rendered::Failed(error.to_string()),
            }
        };
        Ok(Self {
            info,
            tiles: OfflineTiles::with_renderer(ctx, "file", Arc::new(renderer)),
        })
    }

    /// Tiles of the file drawn (or stood in for) in the last frame.
    pub fn drawn_last_pass(&self) -> usize {
        self.tiles.drawn_last_pass()
    }

    /// The credit line: the file's own attribution, else its name and that it gives none.
    pub fn attribution(&self) -> String {
        match &self.info.attribution {
            Some(text) if !text.trim().is_empty() => text.trim().to_owned(),
            _ => format!(
                "Basemap: {} (the file names no attribution)",
                self.info
                    .name
                    .clone()
                    .unwrap_or_else(|| crate::state::file_name(&self.info.path))
            ),
        }
    }

    /// "PMTiles, vector (Protomaps), zooms 0–14, 60.1–78.9° E, 23.5–37.1° N".
    pub fn summary(&self) -> String {
        let container = match self.info.container {
            strikemap_tilefile::Container::PmTiles => "PMTiles",
            strikemap_tilefile::Container::MbTiles => "MBTiles",
        };
        let kind = match (&self.info.tile_format, &self.info.vector_schema) {
            (format, Some(schema)) if format.is_vector() => format!("vector ({schema:?})"),
            (format, _) => format!("{format:?} raster"),
        };
        let bounds = self.info.bounds.map_or_else(
            || "no bounds given".to_owned(),
            |b| {
                format!(
                    "{:.2}…{:.2}° lon, {:.2}…{:.2}° lat",
                    b.west, b.east, b.south, b.north
                )
            },
        );
        format!(
            "{container}, {kind}, zooms {}–{}, {bounds}",
            self.info.min_zoom, self.info.max_zoom
        )
    }
}

/// The tile layers of the map: offline always, an online source or a basemap file on top when
/// chosen.
pub struct Basemap {
    choice: TileSourceChoice,
    offline: OfflineTiles,
    online: Option<HttpTiles>,
    file: Option<FileBasemap>,
    cache_root: Option<PathBuf>,
}

impl Basemap {
    /// A basemap with the given choice; online tiles are cached under `cache_root` (no disk
    /// cache when `None`).
    pub fn new(choice: TileSourceChoice, ctx: &egui::Context, cache_root: Option<PathBuf>) -> Self {
        let mut basemap = Self {
            choice: TileSourceChoice::Offline,
            offline: OfflineTiles::new(ctx),
            online: None,
            file: None,
            cache_root,
        };
        if let Err(reason) = basemap.choose(choice, ctx) {
            tracing::warn!("{reason}");
        }
        basemap
    }

    /// Switches the source. An invalid custom template falls back to offline and says why; a
    /// basemap file that cannot be opened changes nothing and says why.
    pub fn choose(&mut self, choice: TileSourceChoice, ctx: &egui::Context) -> Result<(), String> {
        if let TileSourceChoice::File { path } = &choice {
            let file = FileBasemap::open(path, ctx)?;
            self.choice = choice;
            self.online = None;
            self.file = Some(file);
            return Ok(());
        }
        let options = |name: &str| HttpOptions {
            cache: self.cache_root.as_ref().map(|root| root.join(name)),
            user_agent: walkers::HeaderValue::from_str(&user_agent()).ok(),
            ..HttpOptions::default()
        };
        let (choice, online, result) = match choice {
            TileSourceChoice::Offline => (TileSourceChoice::Offline, None, Ok(())),
            TileSourceChoice::OpenStreetMap => (
                TileSourceChoice::OpenStreetMap,
                Some(HttpTiles::with_options(
                    OpenStreetMap,
                    options("openstreetmap"),
                    ctx.clone(),
                )),
                Ok(()),
            ),
            TileSourceChoice::OpenTopoMap => (
                TileSourceChoice::OpenTopoMap,
                Some(HttpTiles::with_options(
                    OpenTopoMap(OpenTopoServer::A),
                    options("opentopomap"),
                    ctx.clone(),
                )),
                Ok(()),
            ),
            // Opened above; nothing is left to choose here.
            TileSourceChoice::File { .. } => (self.choice.clone(), None, Ok(())),
            TileSourceChoice::CustomXyz { url_template } => {
                match validate_xyz_template(&url_template) {
                    Ok(url_template) => (
                        TileSourceChoice::CustomXyz {
                            url_template: url_template.clone(),
                        },
                        Some(HttpTiles::with_options(
                            CustomXyz { url_template },
                            options("custom"),
                            ctx.clone(),
                        )),
                        Ok(()),
                    ),
                    Err(reason) => (
                        TileSourceChoice::Offline,
                        None,
                        Err(format!(
                            "Custom tile URL {url_template:?} not used: {reason}"
                        )),
                    ),
                }
            }
        };
        self.choice = choice;
        self.online = online;
        self.file = None;
        result
    }

    /// The open basemap file, if that is the choice.
    pub fn file(&self) -> Option<&FileBasemap> {
        self.file.as_ref()
    }

    /// The first tile of the basemap file that could not be drawn since the last call.
    pub fn take_failure(&mut self) -> Option<String> {
        self.file
            .as_mut()
            .and_then(|file| file.tiles.take_failure())
    }

    pub fn choice(&self) -> &TileSourceChoice {
        &self.choice
    }

    pub fn offline(&self) -> &OfflineTiles {
        &self.offline
    }

    /// Tiles still being rendered: the offline map's and the basemap file's.
    pub fn pending_tiles(&self) -> usize {
        self.offline.pending_tiles()
            + self
                .file
                .as_ref()
                .map_or(0, |file| file.tiles.pending_tiles())
    }

    /// Online tiles being downloaded now (0 when offline).
    pub fn online_downloads_in_progress(&self) -> usize {
        use walkers::Tiles as _;
        self.online
            .as_ref()
            .map_or(0, |online| online.stats().in_progress)
    }

    /// The layers for `walkers::Map`: the offline base, and the online layer or basemap file
    /// to draw over it.
    pub fn layers(&mut self) -> (&mut OfflineTiles, Option<&mut dyn walkers::Tiles>) {
        let over: Option<&mut dyn walkers::Tiles> = match (&mut self.online, &mut self.file) {
            (Some(online), _) => Some(online),
            (None, Some(file)) => Some(&mut file.tiles),
            (None, None) => None,
        };
        (&mut self.offline, over)
    }

    /// Credit lines (text, link) for what is on the map: the online source (if any) and
    /// Natural Earth (the offline basemap and the provinces).
    pub fn attribution_lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        match &self.choice {
            TileSourceChoice::Offline => {}
            TileSourceChoice::OpenStreetMap => lines.push(owned(OSM_ATTRIBUTION)),
            TileSourceChoice::OpenTopoMap => lines.push(owned(OPENTOPOMAP_ATTRIBUTION)),
            TileSourceChoice::CustomXyz { url_template } => {
                lines.push((format!("Tiles: {}", host_of(url_template)), String::new()))
            }
            TileSourceChoice::File { .. } => {
                if let Some(file) = &self.file {
                    lines.push((file.attribution(), String::new()));
                }
            }
        }
        lines.push(owned(NATURAL_EARTH_ATTRIBUTION));
        lines
    }
}

fn owned((text, url): (&str, &str)) -> (String, String) {
    (text.to_owned(), url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_app_version_and_url() {
        let agent = user_agent();
        assert!(agent.starts_with("strikemap/"), "{agent}");
        assert!(agent.contains(env!("CARGO_PKG_VERSION")), "{agent}");
        assert!(agent.contains("https://"), "{agent}");
        assert!(walkers::HeaderValue::from_str(&agent).is_ok());
    }

    #[test]
    fn custom_urls_are_filled_in() {
        let source = CustomXyz {
            url_template: "https://t.example.org/{z}/{x}/{y}.png".into(),
        };
        let url = source.tile_url(TileId {
            x: 3,
            y: 5,
            zoom: 7,
        });
        assert_eq!(url, "https://t.example.org/7/3/5.png");
    }

    #[test]
    fn every_source_has_its_attribution_and_natural_earth() {
        let ctx = egui::Context::default();
        let mut basemap = Basemap::new(TileSourceChoice::Offline, &ctx, None);
        assert_eq!(
            basemap.attribution_lines(),
            vec![owned(NATURAL_EARTH_ATTRIBUTION)]
        );
        basemap
            .choose(TileSourceChoice::OpenStreetMap, &ctx)
            .unwrap();
        assert_eq!(basemap.attribution_lines()[0], owned(OSM_ATTRIBUTION));
        basemap.choose(TileSourceChoice::OpenTopoMap, &ctx).unwrap();
        assert_eq!(
            basemap.attribution_lines()[0],
            owned(OPENTOPOMAP_ATTRIBUTION)
        );
        basemap
            .choose(
                TileSourceChoice::CustomXyz {
                    url_template: "https://tiles.example.org/{z}/{x}/{y}.png".into(),
                },
                &ctx,
            )
            .unwrap();
        assert_eq!(basemap.attribution_lines()[0].0, "Tiles: tiles.example.org");
    }

    #[test]
    fn a_bad_custom_url_falls_back_to_offline() {
        let ctx = egui::Context::default();
        let mut basemap = Basemap::new(TileSourceChoice::OpenStreetMap, &ctx, None);
        let error = basemap
            .choose(
                TileSourceChoice::CustomXyz {
                    url_template: "tiles.example.org/{z}/{x}".into(),
                },
                &ctx,
            )
            .unwrap_err();
        assert!(error.contains("http"), "{error}");
        assert_eq!(basemap.choice(), &TileSourceChoice::Offline);
    }
}
