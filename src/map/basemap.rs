//! The basemap: offline Natural Earth tiles by default, online tile servers as an explicit choice.
//!
//! The offline layer is always drawn; an online layer is drawn over it, so wherever an online
//! tile is missing (failed, slow, no network) the offline tile shows through: no holes.
//!
//! Online sources follow the OpenStreetMap tile usage policy: a User-Agent naming this app, its
//! version and its project URL; a disk cache in the user's cache directory that honours the
//! servers' expiry headers (walkers' HTTP cache); tiles fetched only when in view, never
//! prefetched or bulk-downloaded.

use crate::map::offline_tiles::OfflineTiles;
use crate::settings::{TileSourceChoice, validate_xyz_template};
use std::path::PathBuf;
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

/// The tile layers of the map: offline always, an online source on top when chosen.
pub struct Basemap {
    choice: TileSourceChoice,
    offline: OfflineTiles,
    online: Option<HttpTiles>,
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
            cache_root,
        };
        if let Err(reason) = basemap.choose(choice, ctx) {
            tracing::warn!("{reason}");
        }
        basemap
    }

    /// Switches the source. An invalid custom template falls back to offline and says why.
    pub fn choose(&mut self, choice: TileSourceChoice, ctx: &egui::Context) -> Result<(), String> {
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
        result
    }

    pub fn choice(&self) -> &TileSourceChoice {
        &self.choice
    }

    pub fn offline(&self) -> &OfflineTiles {
        &self.offline
    }

    /// Online tiles being downloaded now (0 when offline).
    pub fn online_downloads_in_progress(&self) -> usize {
        use walkers::Tiles as _;
        self.online
            .as_ref()
            .map_or(0, |online| online.stats().in_progress)
    }

    /// The layers for `walkers::Map`: the offline base, and the online layer to draw over it.
    pub fn layers(&mut self) -> (&mut OfflineTiles, Option<&mut HttpTiles>) {
        (&mut self.offline, self.online.as_mut())
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
