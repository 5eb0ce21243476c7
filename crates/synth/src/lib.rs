//! Deterministic synthetic event files for Strikemap's load benchmarks and tests.
//!
//! Three formats, the same events in each (event `i` of a seed is the same whatever the format
//! or the count):
//!
//! - [`Format::App`]: the app's own schema, `strikemap-events/1` (`docs/data-format.md`);
//! - [`Format::Points`]: a generic GeoJSON FeatureCollection of Points with ACLED-like
//!   properties (no `casualty_claims`, so the app reads it as an overlay);
//! - [`Format::AcledCsv`]: a CSV with ACLED's current export header.
//!
//! About 80% of the events cluster around 300 hot spots (spread 5–80 km) over populated land in
//! lon −20..150, lat −40..60, weighted to the Middle East and South Asia; the rest are uniform
//! over that box. Dates run from 2023-01-01 to 2024-12-31 in no order. Output is byte-for-byte
//! the same for the same arguments, on every platform (no libm, no hash-map order, no clock).

mod event;
mod format;
pub mod rng;
mod world;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use event::{Event, Generator};
pub use format::ACLED_HEADER;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 42;

/// The sets `--all` writes: a name for the file and the number of events.
pub const ALL_SIZES: [(&str, u64); 3] = [("10k", 10_000), ("100k", 100_000), ("1m", 1_000_000)];

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Strikemap events, `strikemap-events/1`.
    App,
    /// Generic GeoJSON points with ACLED-like properties.
    Points,
    /// ACLED CSV export.
    AcledCsv,
}

impl Format {
    pub const ALL: [Self; 3] = [Self::App, Self::Points, Self::AcledCsv];

    /// The format of a `--format` value: `app`, `points` or `acled-csv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    /// The `--format` value.
    pub fn name(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Points => "points",
            Self::AcledCsv => "acled-csv",
        }
    }

    /// The file name `--all` gives a set of this format: `points-100k.geojson`.
    pub fn file_name(self, size_name: &str) -> String {
        match self {
            Self::App => format!("app-{size_name}.geojson"),
            Self::Points => format!("points-{size_name}.geojson"),
            Self::AcledCsv => format!("acled-{size_name}.csv"),
        }
    }
}

/// Counts the bytes passed through.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `count` events of `format` drawn from `seed` to `out` (buffered here), and returns the
/// number of bytes written.
pub fn write_events(format: Format, count: u64, seed: u64, out: impl Write) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(
        1 << 20,
        Counting {
            inner: out,
            bytes: 0,
        },
    );
    let generator = event::Generator::new(seed);
    let mut line = String::with_capacity(4096);
    match format {
        Format::App => format::app_header(&mut line, generator.seed(), count),
        Format::Points => format::points_header(&mut line, generator.seed(), count),
        Format::AcledCsv => format::acled_header(&mut line),
    }
    out.write_all(line.as_bytes())?;
    let mut ids = format::AcledIds::default();
    for index in 0..count {
        line.clear();
        let mut event = generator.event(index);
        match format {
            Format::App | Format::Points => {
                if index > 0 {
                    line.push_str(",\n");
                }
                if format == Format::App {
                    format::app_feature(&mut line, &mut event);
                } else {
                    format::points_feature(&mut line, &event, &mut ids);
                }
            }
            Format::AcledCsv => {
                format::acled_row(&mut line, &generator.world, &mut event, &mut ids)
            }
        }
        out.write_all(line.as_bytes())?;
    }
    if format != Format::AcledCsv {
        // The last feature's line is ended here; an empty collection closes on its own line.
        let end = if count == 0 { "]}\n" } else { "\n]}\n" };
        out.write_all(end.as_bytes())?;
    }
    out.flush()?;
    Ok(out.get_ref().bytes)
}

/// Writes events to a file: to `FILE.partial` first, renamed when complete, so an interrupted
/// run never leaves a truncated file under the final name. Returns the bytes written; errors
/// name the file.
pub fn write_file(path: &Path, format: Format, count: u64, seed: u64) -> Result<u64, String> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = File::create(&partial)
        .map_err(|error| format!("cannot create {}: {error}", partial.display()))?;
    let bytes = write_events(format, count, seed, file).map_err(|error| {
        let _ = std::fs::remove_file(&partial);
        format!("cannot write {}: {error}", partial.display())
    })?;
    std::fs::rename(&partial, path).map_err(|error| {
        format!(
            "cannot rename {} to {}: {error}",
            partial.display(),
            path.display()
        )
    })?;
    Ok(bytes)
}

/// One file written by [`write_all`].
#[derive(Clone, Debug)]
pub struct Written {
    pub path: PathBuf,
    pub format: Format,
    pub count: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Writes every format at every size of `sizes` into `dir` (created if missing), calling
/// `report` after each file.
pub fn write_all(
    dir: &Path,
    seed: u64,
    sizes: &[(&str, u64)],
    mut report: impl FnMut(&Written),
) -> Result<Vec<Written>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create the folder {}: {error}", dir.display()))?;
    let mut written = Vec::new();
    for &(size_name, count) in sizes {
        for format in Format::ALL {
            let path = dir.join(format.file_name(size_name));
            let started = Instant::now();
            let bytes = write_file(&path, format, count, seed)?;
            let file = Written {
                path,
                format,
                count,
                bytes,
                seconds: started.elapsed().as_secs_f64(),
            };
            report(&file);
            written.push(file);
        }
    }
    Ok(written)
}
