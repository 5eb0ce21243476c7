//! Large files as compact point tables: a million events in a few tens of bytes each.
//!
//! What the importer decides is too large for a full layer is not turned into full
//! [`StrikeEvent`]s. Every row is
//! still read and checked exactly as the small-file readers check it (a bad feature or row is
//! skipped and reported with its place), but only what the map needs is kept, column by column:
//! position, date, the attacker (which picks the marker), a label, and where the row lies in the
//! file. Clicking a point reads that one record from the file again ([`PointTable::record`]).
//!
//! GeoJSON is read in chunks and its features are parsed on every core ([`geojson`]); CSV
//! exports go row by row through the ACLED and UCDP readers ([`csv_rows`]). A table depends on
//! the format readers ([`crate::formats`]) only; [`load_table`] returns a [`LoadedTable`].

mod columns;
mod csv_rows;
pub(crate) mod geojson;
mod index;
mod layer_points;
mod load;
mod progress;
mod reread;
#[cfg(test)]
pub(crate) mod tests;

use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::geometry::GeoBounds;
use crate::model::{Date, LonLat, StrikeEvent};
pub(crate) use columns::{NewRow, RowColumns, Span};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use layer_points::{load_flatgeobuf_points, load_geopackage_points};
pub use load::{LoadedTable, load_table};
pub use progress::LoadProgress;
pub use reread::EventReader;

/// No date: such rows sort last and are outside every time window.
pub(crate) const NO_DAY: i32 = i32::MAX;

/// What the rows of a table are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// Events in the app's schema; each record is a full [`StrikeEvent`].
    Events,
    /// A CSV export (ACLED or UCDP GED); each record is a full [`StrikeEvent`].
    DatasetRows(DetectedFormat),
    /// Point features of any other GeoJSON; each record is its properties.
    Points,
}

/// The size and modification time of the file when it was loaded: a record is read again only
/// from the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Fingerprint {
    fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// The full record of one row, read again from the file.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Event(Box<StrikeEvent>),
    /// A point feature's properties as (name, value) lines, strings without quotes.
    Properties(Vec<(String, String)>),
}

/// A large layer of points, column by column, in date order.
#[derive(Clone, Debug)]
pub struct PointTable {
    /// The file name as given, for messages.
    pub file: String,
    pub path: PathBuf,
    pub kind: TableKind,
    /// The collection's `title` or `name` member, if it has one.
    pub title: Option<String>,
    rows: RowColumns,
    fingerprint: Option<Fingerprint>,
    /// For CSV: the text before the first data row (the header), to read a row again.
    csv_header: Option<String>,
    /// How a point row's record is read again.
    point_records: PointRecords,
}

/// The format a table of points reads its records again in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum PointRecords {
    /// A GeoJSON feature's text.
    #[default]
    GeoJson,
    /// A FlatGeobuf feature's bytes, read with the file's header.
    FlatGeobuf,
    /// A GeoPackage row of this feature table, by its primary key (the span's offset).
    GeoPackage(String),
}

impl PartialEq for PointTable {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && self.kind == other.kind
            && self.rows.lon == other.rows.lon
            && self.rows.lat == other.rows.lat
            && self.rows.day == other.rows.day
            && self.rows.labels == other.rows.labels
    }
}

impl PointTable {
    pub(crate) fn new(
        file: String,
        path: PathBuf,
        kind: TableKind,
        title: Option<String>,
        rows: RowColumns,
        csv_header: Option<String>,
    ) -> Self {
        let mut rows = rows.sort_by_date();
        rows.shrink_to_fit();
        let fingerprint = Fingerprint::of(&path);
        Self {
            file,
            path,
            kind,
            title,
            rows,
            fingerprint,
            csv_header,
            point_records: PointRecords::GeoJson,
        }
    }

    /// A table built in memory (benchmarks, tests): points with dates and labels and no file
    /// behind them, so reading a record fails.
    pub fn in_memory(
        name: &str,
        rows: impl IntoIterator<Item = (LonLat, Option<Date>, String)>,
    ) -> Self {
        let mut columns = RowColumns::new();
        for (position, date, label) in rows {
            columns.push(NewRow {
                position,
                date,
                radius_km: None,
                class: None,
                label: &label,
                span: Span { offset: 0, len: 0 },
            });
        }
        Self::new(
            name.to_owned(),
            PathBuf::new(),
            TableKind::Points,
            Some(name.to_owned()),
            columns,
            None,
        )
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.len() == 0
    }

    pub fn position(&self, row: u32) -> Option<LonLat> {
        let row = row as usize;
        Some(LonLat {
            lon: *self.rows.lon.get(row)?,
            lat: *self.rows.lat.get(row)?,
        })
    }

    pub fn date(&self, row: u32) -> Option<Date> {
        let day = *self.rows.day.get(row as usize)?;
        (day != NO_DAY).then(|| Date::from_days_since_unix_epoch(i64::from(day)))
    }

    /// The radius of the area the event is known to, in km, when the row gives one.
    pub fn radius_km(&self, row: u32) -> Option<f64> {
        self.rows
            .radius_km
            .get(row as usize)
            .filter(|km| km.is_finite())
            .map(|km| f64::from(*km))
    }

    /// The event id (or a point feature's id or name); may be empty for generic points.
    pub fn label(&self, row: u32) -> &str {
        self.rows.label(row as usize)
    }

    /// The attacker of an event (or "" when the row names none).
    pub fn class(&self, row: u32) -> &str {
        self.rows
            .class
            .get(row as usize)
            .and_then(|class| self.rows.classes.get(usize::from(*class)))
            .map_or("", String::as_str)
    }

    /// Longitudes of every row, in row order.
    pub fn longitudes(&self) -> &[f64] {
        &self.rows.lon
    }

    /// Latitudes of every row, in row order.
    pub fn latitudes(&self) -> &[f64] {
        &self.rows.lat
    }

    /// The rows dated from `start` to `end` inclusive (all rows for `None`). Rows are in date
    /// order, so this is one range.
    pub fn rows_in_window(&self, window: Option<(Date, Date)>) -> Range<u32> {
        let Some((start, end)) = window else {
            return 0..self.len() as u32;
        };
        let start = start.days_since_unix_epoch() as i32;
        let end = end.days_since_unix_epoch() as i32;
        let first = self.rows.day.partition_point(|&day| day < start);
        let last = self
            .rows
            .day
            .partition_point(|&day| day <= end && day != NO_DAY);
        first as u32..last.max(first) as u32
    }

    /// The first and last dates of the rows that have one.
    pub fn date_span(&self) -> Option<(Date, Date)> {
        let first = *self.rows.day.first()?;
        let dated = self.rows.day.partition_point(|&day| day != NO_DAY);
        let last = *self.rows.day.get(dated.checked_sub(1)?)?;
        (first != NO_DAY).then(|| {
            (
                Date::from_days_since_unix_epoch(i64::from(first)),
                Date::from_days_since_unix_epoch(i64::from(last)),
            )
        })
    }

    pub fn bounds(&self) -> Option<GeoBounds> {
        GeoBounds::around((0..self.len() as u32).filter_map(|row| self.position(row)))
    }

    /// The first row with this label, if any (a linear scan).
    pub fn find_label(&self, label: &str) -> Option<u32> {
        (0..self.len() as u32).find(|&row| self.label(row) == label)
    }

    /// Reads one row's full record from the file again and checks it as the loader did. Fails
    /// with a clear message if the file changed since it was loaded.
    pub fn record(&self, row: u32) -> Result<Record, LoadError> {
        if self.holds_events() {
            let mut reader = self.event_reader()?;
            let event = reader.event(row)?;
            reader.finish()?;
            return Ok(Record::Event(Box::new(event)));
        }
        let span = self.span(row)?;
        self.check_unchanged()?;
        match &self.point_records {
            PointRecords::GeoJson => {}
            PointRecords::FlatGeobuf => return layer_points::flatgeobuf_record(self, span),
            PointRecords::GeoPackage(table) => {
                return layer_points::geopackage_record(self, table, span);
            }
        }
        let bytes = read_span(&self.path, span).map_err(|message| LoadError::Read {
            file: self.file.clone(),
            message,
        })?;
        geojson::point_record(&self.file, &bytes)
    }

    /// A reader of rows' events (for a click, or many for an export: the file is opened once). Fails for a table
    /// of generic points (its records are not events) and when the file changed.
    pub fn event_reader(&self) -> Result<reread::EventReader<'_>, LoadError> {
        reread::EventReader::open(self)
    }

    /// Whether the table's records are events (not generic points).
    pub fn holds_events(&self) -> bool {
        !matches!(self.kind, TableKind::Points)
    }

    fn span(&self, row: u32) -> Result<Span, LoadError> {
        self.rows
            .spans
            .get(row as usize)
            .copied()
            .ok_or_else(|| self.document_error(format!("row {row} is not in the table")))
    }

    fn check_unchanged(&self) -> Result<(), LoadError> {
        if Fingerprint::of(&self.path) == self.fingerprint {
            return Ok(());
        }
        Err(LoadError::Read {
            file: self.file.clone(),
            message: "the file changed on disk since it was loaded; open it again to read \
                      this record"
                .into(),
        })
    }

    fn document_error(&self, message: String) -> LoadError {
        LoadError::Document {
            file: self.file.clone(),
            message,
        }
    }

    fn read_error(&self, error: &std::io::Error) -> LoadError {
        LoadError::Read {
            file: self.file.clone(),
            message: error.to_string(),
        }
    }
}

fn read_span(path: &Path, span: Span) -> Result<Vec<u8>, String> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let (mut file, _) = crate::formats::file_kind::open_regular_file(path)
        .map_err(|problem| problem.to_string())?;
    file.seek(SeekFrom::Start(span.offset))
        .map_err(|error| error.to_string())?;
    let mut bytes = vec![0; span.len as usize];
    file.read_exact(&mut bytes)
        .map_err(|error| error.to_string())?;
    Ok(bytes)
}
