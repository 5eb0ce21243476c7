//! The command line.

use clap::Parser;
use std::path::PathBuf;

/// Strikemap: a briefing map of cross-border strikes. Opens a window on the bundled events;
/// files named on the command line are loaded as extra layers.
#[derive(Debug, Parser, PartialEq)]
#[command(
    name = "strikemap",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Subcommand>,

    /// Files to open: Strikemap events, any GeoJSON (as an overlay), ACLED or UCDP GED CSV.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the map (title, legend, scale bar, attribution, date stamp) as a PNG and exit.
    /// A window opens briefly to draw it.
    #[arg(long, value_name = "OUT.png")]
    pub export_png: Option<PathBuf>,

    /// Size of the exported image in pixels.
    #[arg(long, value_name = "WIDTHxHEIGHT", default_value = "1920x1080", value_parser = parse_size_arg, requires = "export_png")]
    pub size: [u32; 2],

    /// Select this event (e.g. E1) and frame it in the exported image.
    #[arg(long, value_name = "ID", requires = "export_png")]
    pub event: Option<String>,

    /// A caveat or classification line for the top and bottom of the image (default: the one
    /// set in the app).
    #[arg(long, value_name = "TEXT", requires = "export_png")]
    pub caveat: Option<String>,

    /// Centre and zoom of the exported map as LON,LAT,ZOOM (used by "Export image…").
    #[arg(long, value_name = "LON,LAT,ZOOM", value_parser = parse_view_arg, requires = "export_png", hide = true)]
    pub view: Option<(f64, f64, f64)>,
}

/// Commands that run without a window.
#[derive(Debug, clap::Subcommand, PartialEq)]
pub enum Subcommand {
    /// Check data files: print the detected format, what loaded and every skipped row with its
    /// reason. Exit status 0 when every file loaded whole, 1 when any file was rejected, 2 when
    /// rows were skipped.
    Validate {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
}

fn parse_size_arg(text: &str) -> Result<[u32; 2], String> {
    crate::present::parse_size(text)
}

fn parse_view_arg(text: &str) -> Result<(f64, f64, f64), String> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|part| part.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("view {text:?} is not LON,LAT,ZOOM"))?;
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
    fn unknown_options_are_errors() {
        let error = Cli::parse_from_args(["strikemap", "--frobnicate"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
