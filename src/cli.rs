//! The command line.

use clap::Parser;
use std::path::PathBuf;

/// Strikemap: a briefing map of cross-border strikes. Opens a window on the bundled events;
/// files named on the command line are loaded as extra layers.
#[derive(Debug, Parser, PartialEq)]
#[command(name = "strikemap", version, about)]
pub struct Cli {
    /// Event files to open (GeoJSON in the Strikemap events schema).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
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
    fn unknown_options_are_errors() {
        let error = Cli::parse_from_args(["strikemap", "--frobnicate"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
