//! `strikemap-synth`: writes deterministic synthetic event files for load benchmarks.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use strikemap_synth::{ALL_SIZES, DEFAULT_SEED, Format, write_all, write_events, write_file};

const USAGE: &str = "\
Usage:
  strikemap-synth --format app|points|acled-csv --count N [--seed S] --out FILE
  strikemap-synth --all DIR [--seed S]

Writes synthetic conflict events, the same bytes for the same arguments.

Options:
  --format F   app        Strikemap events (strikemap-events/1 GeoJSON)
               points     generic GeoJSON Points with ACLED-like properties
               acled-csv  CSV with ACLED's current export header
  --count N    number of events (underscores and a k or m suffix allowed: 10k, 1m)
  --seed S     seed, a whole number (default 42)
  --out FILE   file to write, or - for standard output
  --all DIR    write DIR/{app,points,acled}-{10k,100k,1m}.{geojson,csv}
  -h, --help   show this help
";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    One {
        format: Format,
        count: u64,
        seed: u64,
        out: Output,
    },
    All {
        dir: PathBuf,
        seed: u64,
    },
}

#[derive(Debug, PartialEq)]
enum Output {
    Stdout,
    File(PathBuf),
}

fn parse_count(text: &str) -> Result<u64, String> {
    let cleaned = text.replace('_', "").to_ascii_lowercase();
    let (digits, factor) = if let Some(digits) = cleaned.strip_suffix('k') {
        (digits, 1_000)
    } else if let Some(digits) = cleaned.strip_suffix('m') {
        (digits, 1_000_000)
    } else {
        (cleaned.as_str(), 1)
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|number| number.checked_mul(factor))
        .ok_or_else(|| {
            format!("--count {text:?} is not a whole number of events (e.g. 500, 10k, 1m)")
        })
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut format = None;
    let mut count = None;
    let mut seed = None;
    let mut out = None;
    let mut all = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(Command::Help);
        }
        if !matches!(
            name.as_str(),
            "--format" | "--count" | "--seed" | "--out" | "--all"
        ) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline {
            Some(value) => value,
            None => args.next().ok_or_else(|| format!("{name} needs a value"))?,
        };
        match name.as_str() {
            "--format" => {
                format = Some(Format::from_name(&value).ok_or_else(|| {
                    format!("--format {value:?} is not one of app, points, acled-csv")
                })?);
            }
            "--count" => count = Some(parse_count(&value)?),
            "--seed" => {
                seed = Some(value.replace('_', "").parse::<u64>().map_err(|_| {
                    format!(
                        "--seed {value:?} is not a whole number from 0 to {}",
                        u64::MAX
                    )
                })?);
            }
            "--out" => {
                out = Some(if value == "-" {
                    Output::Stdout
                } else {
                    Output::File(PathBuf::from(value))
                });
            }
            _ => all = Some(PathBuf::from(value)),
        }
    }
    let seed = seed.unwrap_or(DEFAULT_SEED);
    match (all, format, count, out) {
        (Some(dir), None, None, None) => Ok(Command::All { dir, seed }),
        (Some(_), ..) => {
            Err("--all writes every format and size; it takes no --format, --count or --out".into())
        }
        (None, Some(format), Some(count), Some(out)) => Ok(Command::One {
            format,
            count,
            seed,
            out,
        }),
        (None, format, count, out) => {
            let missing: Vec<&str> = [
                ("--format", format.is_none()),
                ("--count", count.is_none()),
                ("--out", out.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            Err(format!("missing {} (or use --all DIR)", missing.join(", ")))
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Help => {
            print!("{USAGE}");
            Ok(())
        }
        Command::One {
            format,
            count,
            seed,
            out: Output::Stdout,
        } => match write_events(format, count, seed, io::stdout().lock()) {
            Ok(_) => Ok(()),
            // The reader went away (`| head`): not an error of ours.
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Err(error) => Err(format!("cannot write to standard output: {error}")),
        },
        Command::One {
            format,
            count,
            seed,
            out: Output::File(path),
        } => {
            let started = Instant::now();
            let bytes = write_file(&path, format, count, seed)?;
            report(&path, count, bytes, started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::All { dir, seed } => {
            let started = Instant::now();
            let written = write_all(&dir, seed, &ALL_SIZES, |file| {
                report(&file.path, file.count, file.bytes, file.seconds);
            })?;
            eprintln!(
                "strikemap-synth: {} files in {:.1} s",
                written.len(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

fn report(path: &std::path::Path, count: u64, bytes: u64, seconds: f64) {
    let per_event = bytes.checked_div(count).unwrap_or(0);
    eprintln!(
        "strikemap-synth: wrote {}: {count} events, {bytes} bytes ({per_event} per event), {seconds:.2} s",
        path.display()
    );
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("strikemap-synth: error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = io::stdout().flush();
            eprintln!("strikemap-synth: error: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn arguments_parse() {
        assert_eq!(
            parse(&["--format", "acled-csv", "--count", "10k", "--out", "-"]).unwrap(),
            Command::One {
                format: Format::AcledCsv,
                count: 10_000,
                seed: DEFAULT_SEED,
                out: Output::Stdout
            }
        );
        assert_eq!(
            parse(&["--all=d", "--seed", "7"]).unwrap(),
            Command::All {
                dir: PathBuf::from("d"),
                seed: 7
            }
        );
        assert_eq!(parse_count("1_000_000").unwrap(), 1_000_000);
        assert_eq!(parse_count("1m").unwrap(), 1_000_000);
        assert!(parse(&["--format", "xml", "--count", "1", "--out", "-"]).is_err());
        assert!(
            parse(&["--format", "app"])
                .unwrap_err()
                .contains("--count, --out")
        );
        assert!(parse(&["--all", "d", "--count", "5"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert_eq!(parse(&["-h"]).unwrap(), Command::Help);
    }
}
