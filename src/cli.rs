//! The command line.

use clap::Parser;
use std::path::PathBuf;

pub use crate::present::DeckFormat;

/// Strikemap: a briefing map of cross-border strikes. Opens a window on the bundled events;
/// files named on the command line are loaded as extra layers.
#[derive(Debug, Parser, PartialEq)]
#[command(
    name = "strikemap",
    version,
    about,
    args_conflicts_with_subcommands = true,
    group = clap::ArgGroup::new("output").args(["export_png", "export_deck"]).multiple(false)
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Subcommand>,

    /// Files to open: a case file (opened as the case), Strikemap events, any GeoJSON (as an
    /// overlay), ACLED or UCDP GED CSV (as layers); drawn in the window and in the exports.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Open this case file (or an events file, as a case) instead of the bundled case: in the
    /// window, and for --export-png and --export-deck.
    #[arg(long, value_name = "FILE")]
    pub case: Option<PathBuf>,

    /// Open the case from this team store (with --case-id): in the window, edited live with
    /// the team, or for --export-png and --export-deck.
    #[arg(
        long,
        value_name = "URL",
        requires = "case_id",
        conflicts_with = "case"
    )]
    pub store: Option<String>,

    /// The store case to export (see `strikemap store list`).
    #[arg(long, value_name = "ID", requires = "store")]
    pub case_id: Option<i64>,

    /// With --store: the case as it stood at this time (ISO 8601), stamped so on every slide.
    #[arg(long, value_name = "TIME", requires = "store")]
    pub as_of: Option<String>,

    /// Read a case's layers that lie outside the case file's folder (an absolute path
    /// elsewhere, or `..`): without it they are named and skipped, as a received case may point
    /// at any file on the machine. For exports and `validate`.
    #[arg(long, global = true)]
    pub trust_layers: bool,

    /// Draw this basemap file over the offline map: PMTiles (raster, or vector in the Protomaps
    /// schema) or MBTiles (raster). Remembered like the basemaps chosen in the app.
    #[arg(long, value_name = "FILE")]
    pub basemap: Option<PathBuf>,

    /// Draw a MapLibre style file's local vector source (`pmtiles://FILE` or `mbtiles://FILE`,
    /// relative to the style) by the style, as the basemap. Properties it cannot draw are
    /// listed once; the rest still draws. Takes the place of --basemap.
    #[arg(long, value_name = "STYLE.json")]
    pub style: Option<PathBuf>,

    /// Write the map (title, legend, scale bar, attribution, date stamp) as a PNG and exit.
    /// A window opens briefly to draw it.
    #[arg(long, value_name = "OUT.png")]
    pub export_png: Option<PathBuf>,

    /// Write the briefing deck and exit: one page per story step (the overview, each strike,
    /// each statement, in story order), each a slide with title, caveat, legend, locator
    /// inset, scale bar, attribution and date stamp. A PDF with searchable text, or with
    /// --format png numbered PNGs in the folder OUT.
    #[arg(long, value_name = "OUT")]
    pub export_deck: Option<PathBuf>,

    /// The deck's format: pdf (one file) or png (a folder of 01.png, 02.png, …).
    #[arg(long, value_enum, default_value = "pdf", requires = "export_deck")]
    pub format: DeckFormat,

    /// Size of the exported image in pixels.
    #[arg(long, value_name = "WIDTHxHEIGHT", default_value = "1920x1080", value_parser = parse_size_arg, requires = "output")]
    pub size: [u32; 2],

    /// Pixel density of the exported image: 2 draws the same slide at twice the pixels in each
    /// direction (for 4K screens and print), from 1 to 4.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = parse_scale_arg, requires = "output")]
    pub scale: f32,

    /// Select this event (e.g. E1) and frame it in the exported image.
    #[arg(long, value_name = "ID", requires = "output")]
    pub event: Option<String>,

    /// A caveat or classification line for the top and bottom of the image (default: the one
    /// set in the app).
    #[arg(long, value_name = "TEXT", requires = "output")]
    pub caveat: Option<String>,

    /// Centre and zoom of the exported map as LON,LAT,ZOOM (used by "Export image…").
    #[arg(long, value_name = "LON,LAT,ZOOM", value_parser = parse_view_arg, requires = "output", hide = true)]
    pub view: Option<(f64, f64, f64)>,

    /// Open the map (window or exported image) centred here, in decimal degrees, e.g.
    /// --center 34.5,74.5; this wins over the framing of --event.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_center_arg, allow_hyphen_values = true)]
    pub center: Option<(f64, f64)>,

    /// The zoom for --center, 2 (the world) to 16 (a street); default 6.
    #[arg(long, value_name = "Z", value_parser = parse_zoom_arg, requires = "center")]
    pub zoom: Option<f64>,
}

impl Cli {
    /// The view the map opens on, from --center and --zoom, if given.
    pub fn start_view(&self) -> Option<crate::state::ViewRequest> {
        let (lat, lon) = self.center?;
        Some(crate::state::ViewRequest::Show {
            center: crate::model::LonLat { lon, lat },
            zoom: self.zoom.unwrap_or(DEFAULT_CENTER_ZOOM),
        })
    }
}

/// The zoom of --center without --zoom: a country or a province.
pub const DEFAULT_CENTER_ZOOM: f64 = 6.0;

/// Comma-separated decimal numbers, or `None` when one is not a number.
fn decimals(text: &str) -> Option<Vec<f64>> {
    text.split(',')
        .map(|part| part.trim().parse::<f64>().ok())
        .collect()
}

fn parse_center_arg(text: &str) -> Result<(f64, f64), String> {
    let parts = decimals(text)
        .ok_or_else(|| format!("{text:?} is not LAT,LON in decimal degrees (e.g. 34.5,74.5)"))?;
    match parts.as_slice() {
        [lat, lon] if (-85.0..=85.0).contains(lat) && (-180.0..=180.0).contains(lon) => {
            Ok((*lat, *lon))
        }
        [lat, lon] => Err(format!(
            "{text:?}: latitude {lat} must be within -85..85 and longitude {lon} within -180..180"
        )),
        _ => Err(format!(
            "{text:?} is not LAT,LON in decimal degrees (e.g. 34.5,74.5)"
        )),
    }
}

fn parse_scale_arg(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(scale) if (1.0..=4.0).contains(&scale) => Ok(scale),
        _ => Err(format!(
            "{text:?} is not a pixel density from 1 to 4, e.g. 2"
        )),
    }
}

impl Cli {
    /// The exported image's size in pixels: --size times --scale.
    pub fn pixel_size(&self) -> [u32; 2] {
        self.size
            .map(|side| (side as f32 * self.scale).round().clamp(1.0, 16384.0) as u32)
    }

    /// Pixels per point of the exported slide: a 720-point-high page at --size, times --scale.
    pub fn pixels_per_point(&self) -> f32 {
        crate::present::slide_scale(self.size[1] as f32) * self.scale
    }
}

fn parse_zoom_arg(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(zoom) if (2.0..=16.0).contains(&zoom) => Ok(zoom),
        _ => Err(format!(
            "{text:?} is not a zoom from 2 (the world) to 16 (a street)"
        )),
    }
}

/// Commands that run without a window.
#[derive(Debug, clap::Subcommand, PartialEq)]
pub enum Subcommand {
    /// Check data files: print the detected format, what loaded, every skipped row with its
    /// reason and every tolerated rule break. Exit status 0 when every file loaded clean, 1 when
    /// any file was rejected, 2 when rows were skipped or rule breaks tolerated.
    Validate {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
    /// The team store (PostgreSQL with PostGIS): create or migrate it, publish a case, list the
    /// cases, export one, read its history, give an analyst a role. The password comes from the
    /// URL, PGPASSWORD or ~/.pgpass.
    Store {
        /// The store, as postgresql://USER@HOST[:PORT]/DATABASE (or libpq's key=value form).
        #[arg(long, value_name = "URL", env = "STRIKEMAP_STORE", global = true)]
        store: Option<String>,
        #[command(subcommand)]
        action: StoreAction,
    },
}

/// What `strikemap store` does.
#[derive(Debug, clap::Subcommand, PartialEq)]
pub enum StoreAction {
    /// Create the store's schema, or migrate an older one (as the database's owner).
    Init,
    /// Publish a case file (or a GeoPackage Strikemap wrote) as a new store case (as a lead);
    /// prints the case's id.
    Publish {
        #[arg(value_name = "CASE.geojson|CASE.gpkg")]
        case: PathBuf,
    },
    /// List the cases you may read: id, as-of date, strikes, last change and by whom.
    List,
    /// Write a store case as a case file (the same canonical file the app saves), or as a
    /// GeoPackage (OUT.gpkg: strikes as a point layer, claims, sources and statements as tables).
    Export {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(value_name = "OUT.geojson|OUT.gpkg")]
        out: PathBuf,
        /// The case as it stood at this time (ISO 8601, e.g. 2024-01-17T09:00:00Z).
        #[arg(long, value_name = "TIME")]
        as_of: Option<String>,
    },
    /// Every change of a case: time (UTC), author, object, field, from → to, client.
    History {
        #[arg(value_name = "ID")]
        id: i64,
        /// Only changes from this time on (ISO 8601).
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
        /// Only this strike's changes (e.g. E1).
        #[arg(long, value_name = "STRIKE")]
        strike: Option<String>,
    },
    /// Delete a case (its lead only). Its history stays in the store.
    Delete {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Who shares a case, and at which level; with ROLE and LEVEL, share it (LEVEL `none` stops
    /// sharing it with that role). Its lead only.
    Share {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(value_name = "ROLE", requires = "level")]
        role: Option<String>,
        #[arg(value_name = "LEVEL", value_parser = ["viewer", "editor", "lead", "none"])]
        level: Option<String>,
    },
    /// Make a database role a viewer, editor or lead of the team (as a lead or the owner).
    Grant {
        #[arg(value_name = "ROLE")]
        role: String,
        #[arg(value_name = "LEVEL", value_parser = ["viewer", "editor", "lead"])]
        level: String,
    },
}

fn parse_size_arg(text: &str) -> Result<[u32; 2], String> {
    crate::present::parse_size(text)
}

fn parse_view_arg(text: &str) -> Result<(f64, f64, f64), String> {
    let parts = decimals(text).ok_or_else(|| format!("view {text:?} is not LON,LAT,ZOOM"))?;
    match parts.as_slice() {
        [lon, lat, zoom]
            if (-180.0..=180.0).contains(lon)
                && (-85.0..=85.0).contains(lat)
                && (0.0..=20.0).contains(zoom) =>
        {
            Ok((*lon, *lat, *zoom))
        }
        _ => Err(format!("view {text:?} is not LON,LAT,ZOOM within range")),
    }
}

impl Cli {
    /// Parses arguments, or returns clap's message (help, version, or a usage error).
    pub fn parse_from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Self::try_parse_from(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_positional() {
        let cli = Cli::parse_from_args(["strikemap", "a.geojson", "b.geojson"]).unwrap();
        assert_eq!(
            cli.files,
            [PathBuf::from("a.geojson"), PathBuf::from("b.geojson")]
        );
    }

    #[test]
    fn help_and_version_are_answered_by_clap() {
        let help = Cli::parse_from_args(["strikemap", "--help"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        assert!(help.to_string().contains("FILE"));
        let version = Cli::parse_from_args(["strikemap", "--version"]).unwrap_err();
        assert_eq!(version.kind(), clap::error::ErrorKind::DisplayVersion);
        assert!(version.to_string().contains(env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn export_options_parse() {
        let cli = Cli::parse_from_args([
            "strikemap",
            "--export-png",
            "out.png",
            "--size",
            "800x600",
            "--event",
            "E2",
        ])
        .unwrap();
        assert_eq!(cli.export_png, Some(PathBuf::from("out.png")));
        assert_eq!(cli.size, [800, 600]);
        assert_eq!(cli.event.as_deref(), Some("E2"));
        let default = Cli::parse_from_args(["strikemap", "--export-png", "out.png"]).unwrap();
        assert_eq!(default.size, [1920, 1080]);
        assert!(
            Cli::parse_from_args(["strikemap", "--size", "800x600"]).is_err(),
            "--size needs --export-png"
        );
        assert!(
            Cli::parse_from_args(["strikemap", "--export-png", "o.png", "--size", "big"]).is_err()
        );
        let view = Cli::parse_from_args([
            "strikemap",
            "--export-png",
            "o.png",
            "--view",
            "63.5,27.2,7",
        ])
        .unwrap();
        assert_eq!(view.view, Some((63.5, 27.2, 7.0)));
    }

    #[test]
    fn center_and_zoom_aim_the_window_and_the_export() {
        use crate::state::ViewRequest;
        let show = |lon, lat, zoom| ViewRequest::Show {
            center: crate::model::LonLat { lon, lat },
            zoom,
        };
        let kashmir =
            Cli::parse_from_args(["strikemap", "--center", "34.5,74.5", "--zoom", "9"]).unwrap();
        assert_eq!(kashmir.start_view(), Some(show(74.5, 34.5, 9.0)));
        // Southern and western hemispheres, in an export, the zoom defaulted.
        let export = Cli::parse_from_args([
            "strikemap",
            "--export-png",
            "o.png",
            "--center",
            "-34.6,-58.4",
        ])
        .unwrap();
        assert_eq!(
            export.start_view(),
            Some(show(-58.4, -34.6, DEFAULT_CENTER_ZOOM))
        );
        assert_eq!(
            Cli::parse_from_args(["strikemap"]).unwrap().start_view(),
            None
        );
        for bad in [
            vec!["strikemap", "--zoom", "9"],
            vec!["strikemap", "--center", "74.5"],
            vec!["strikemap", "--center", "95,10"],
            vec!["strikemap", "--center", "34.5,74.5", "--zoom", "30"],
        ] {
            assert!(Cli::parse_from_args(&bad).is_err(), "{bad:?}");
        }
        let error = Cli::parse_from_args(["strikemap", "--center", "95,10"])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("latitude 95 must be within -85..85"),
            "{error}"
        );
    }

    #[test]
    fn validate_is_a_subcommand() {
        let cli = Cli::parse_from_args(["strikemap", "validate", "a.csv", "b.geojson"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Subcommand::Validate {
                files: vec![PathBuf::from("a.csv"), PathBuf::from("b.geojson")]
            })
        );
        assert!(
            Cli::parse_from_args(["strikemap", "validate"]).is_err(),
            "needs a file"
        );
    }

    #[test]
    fn a_case_opens_in_the_window_and_the_exports() {
        let cli = Cli::parse_from_args(["strikemap", "--case", "my.geojson"]).unwrap();
        assert_eq!(cli.case, Some(PathBuf::from("my.geojson")));
        let export =
            Cli::parse_from_args(["strikemap", "--case", "c.geojson", "--export-png", "o.png"])
                .unwrap();
        assert_eq!(export.case, Some(PathBuf::from("c.geojson")));
        assert_eq!(export.export_png, Some(PathBuf::from("o.png")));
    }

    #[test]
    fn unknown_options_are_errors() {
        let error = Cli::parse_from_args(["strikemap", "--frobnicate"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
