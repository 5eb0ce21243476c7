//! Tile sources for the basemap.
//!
//! OpenStreetMap tiles follow the tile usage policy: a User-Agent naming this app, its version and
//! its project URL; a disk cache that honours the server's expiry headers (walkers' HTTP cache);
//! no prefetching. With no network the tiles simply never arrive and the layers draw over the
//! plain background.

use walkers::{HttpOptions, HttpTiles, Tiles, sources::OpenStreetMap};

/// Which basemap the user chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TileSourceChoice {
    /// No tiles: the layers over a plain background (also what tests use: no network).
    Plain,
    OpenStreetMap,
}

impl TileSourceChoice {
    pub fn label(self) -> &'static str {
        match self {
            Self::Plain => "Plain background",
            Self::OpenStreetMap => "OpenStreetMap",
        }
    }
}

pub const OSM_ATTRIBUTION: (&str, &str) = (
    "© OpenStreetMap contributors",
    "https://www.openstreetmap.org/copyright",
);
pub const NATURAL_EARTH_ATTRIBUTION: (&str, &str) = (
    "Made with Natural Earth",
    "https://www.naturalearthdata.com/",
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

/// Where downloaded tiles are cached: the user's cache directory.
pub fn tile_cache_dir(source: &str) -> Option<std::path::PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("strikemap").join("tiles").join(source))
}

/// The basemap: the user's choice and, for online sources, the tile fetcher.
pub struct Basemap {
    choice: TileSourceChoice,
    tiles: Option<HttpTiles>,
}

impl Basemap {
    /// A basemap that never touches the network.
    pub fn plain() -> Self {
        Self {
            choice: TileSourceChoice::Plain,
            tiles: None,
        }
    }

    pub fn new(choice: TileSourceChoice, ctx: &egui::Context) -> Self {
        let tiles = match choice {
            TileSourceChoice::Plain => None,
            TileSourceChoice::OpenStreetMap => Some(HttpTiles::with_options(
                OpenStreetMap,
                http_options("openstreetmap"),
                ctx.clone(),
            )),
        };
        Self { choice, tiles }
    }

    pub fn choice(&self) -> TileSourceChoice {
        self.choice
    }

    pub fn tiles_mut(&mut self) -> Option<&mut dyn Tiles> {
        self.tiles.as_mut().map(|tiles| tiles as &mut dyn Tiles)
    }

    /// Credit lines (text, link) to show on the map for this basemap and the bundled data.
    pub fn attribution_lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        if self.choice == TileSourceChoice::OpenStreetMap {
            lines.push(OSM_ATTRIBUTION);
        }
        lines.push(NATURAL_EARTH_ATTRIBUTION);
        lines
            .into_iter()
            .map(|(text, url)| (text.to_owned(), url.to_owned()))
            .collect()
    }
}

fn http_options(source: &str) -> HttpOptions {
    HttpOptions {
        cache: tile_cache_dir(source),
        user_agent: walkers::HeaderValue::from_str(&user_agent()).ok(),
        ..HttpOptions::default()
    }
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
    fn osm_attribution_is_listed_for_osm_tiles() {
        let lines = Basemap {
            choice: TileSourceChoice::OpenStreetMap,
            tiles: None,
        }
        .attribution_lines();
        assert_eq!(lines[0].0, "© OpenStreetMap contributors");
        assert_eq!(lines[0].1, "https://www.openstreetmap.org/copyright");
    }
}
