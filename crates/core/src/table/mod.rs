//! Large files as compact point tables: a million events in a few tens of bytes each.
//!
//! Files of [`LARGE_FILE_BYTES`] or more, and files of more than [`RICH_LAYER_MAX_EVENTS`]
//! events, are not turned into full [`StrikeEvent`]s. Every row is
//! still read and checked exactly as the small-file importers check it (a bad feature or row is
//! skipped and reported with its place), but only what the map needs is kept, column by column:
//! position, date, the attacker (which picks the marker), a label, and where the row lies in the
//! file. Clicking a point reads that one record from the file again ([`PointTable::record`]).
//!
//! GeoJSON is read in chunks and its features are parsed on every core ([`geojson`]); CSV
//! exports go row by row through the ACLED and UCDP importers ([`csv_rows`]).

mod csv_rows;
mod geojson;
mod reread;
#[cfg(test)]
mod tests;

use crate::data::LoadError;
use crate::geometry::GeoBounds;
use crate::import::DetectedFormat;
use crate::model::{Date, LonLat, StrikeEvent};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use reread::EventReader;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Files at least this large load as a [`PointTable`] without being read whole first.
pub const LARGE_FILE_BYTES: u64 = 16 << 20;

/// A smaller file of more events than this (or of more Point features, and nothing else) also
/// loads as a [`PointTable`]: each event of a full layer is a widget, a list entry and a
/// timeline item, and past about 500 a frame takes longer than 4 ms to build (9 ms at 1,000,
/// 25 ms at 2,000, 380 ms at 10,000; see `docs/performance.md`).
pub const RICH_LAYER_MAX_EVENTS: usize = 500;

/// No date: such rows sort last and are outside every time window.
const NO_DAY: i32 = i32::MAX;

/// How far a load has got, shared between the loading thread and the UI; also how the UI asks
/// it to stop.
#[derive(Debug, Default)]
pub struct LoadProgress {
    done_bytes: AtomicU64,
    total_bytes: AtomicU64,
    cancel: AtomicBool,
}

impl LoadProgress {
    /// Share of the file read so far, 0 to 1 (0 until the size is known).
    pub fn fraction(&self) -> f32 {
        let total = self.total_bytes.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done_bytes.load(Ordering::Relaxed) as f64 / total as f64).clamp(0.0, 1.0) as f32
    }

    pub fn done_bytes(&self) -> u64 {
        self.done_bytes.load(Ordering::Relaxed)
    }

    pub fn total_bytes(&self) -> u64 {
        self.total_bytes.load(Ordering::Relaxed)
    }

    /// Asks the load to stop; it returns [`LoadError::Cancelled`] at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub(crate) fn set_total(&self, bytes: u64) {
        self.total_bytes.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn set_done(&self, bytes: u64) {
        self.done_bytes.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn check(&self, file: &str) -> Result<(), LoadError> {
        if self.is_cancelled() {
            Err(LoadError::Cancelled {
                file: file.to_owned(),
            })
        } else {
            Ok(())
        }
    }
}

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

/// Where a row is in its file, to read it again when it is clicked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub offset: u64,
    pub len: u32,
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

/// What is kept of one row.
pub(crate) struct NewRow<'a> {
    pub position: LonLat,
    pub date: Option<Date>,
    pub radius_km: Option<f64>,
    pub class: Option<&'a str>,
    pub label: &'a str,
    pub span: Span,
}

impl<'a> NewRow<'a> {
    /// The row of a checked event.
    pub fn of_event(event: &'a StrikeEvent, span: Span) -> Self {
        Self {
            position: event.position,
            date: Some(event.date),
            radius_km: Some(event.properties.location.radius_km),
            class: event.attacker(),
            label: event.id(),
            span,
        }
    }
}

/// One row while loading, before the rows are sorted by date.
#[derive(Clone, Debug, Default)]
pub(crate) struct RowColumns {
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub day: Vec<i32>,
    /// Radius of the area the event is known to, in km; NaN when the row does not say.
    pub radius_km: Vec<f32>,
    /// Index into `classes`, 0 for none.
    pub class: Vec<u16>,
    /// Class names; index 0 is "" (no class).
    pub classes: Vec<String>,
    /// Each class name's index in `classes`, to intern a row's class in constant time.
    class_ids: crate::fast_hash::FastHashMap<String, u16>,
    pub labels: String,
    pub label_ends: Vec<u32>,
    pub spans: Vec<Span>,
}

impl RowColumns {
    pub fn new() -> Self {
        Self {
            classes: vec![String::new()],
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.lon.len()
    }

    pub fn push(&mut self, row: NewRow<'_>) {
        let NewRow {
            position,
            date,
            radius_km,
            class,
            label,
            span,
        } = row;
        self.lon.push(position.lon);
        self.lat.push(position.lat);
        self.radius_km
            .push(radius_km.map_or(f32::NAN, |km| km as f32));
        self.day
            .push(date.map_or(NO_DAY, |date| date.days_since_unix_epoch() as i32));
        let class = class.map_or(0, |name| self.intern_class(name));
        self.class.push(class);
        self.labels.push_str(label);
        self.label_ends.push(self.labels.len() as u32);
        self.spans.push(span);
    }

    pub fn label(&self, row: usize) -> &str {
        let end = self.label_ends.get(row).copied().unwrap_or(0) as usize;
        let start = row
            .checked_sub(1)
            .and_then(|previous| self.label_ends.get(previous))
            .copied()
            .unwrap_or(0) as usize;
        self.labels.get(start..end).unwrap_or("")
    }

    /// The index of a class name, added if new; 0 (none) for "" and once `u16` is full.
    fn intern_class(&mut self, name: &str) -> u16 {
        if name.is_empty() {
            return 0;
        }
        if let Some(&index) = self.class_ids.get(name) {
            return index;
        }
        let Ok(index) = u16::try_from(self.classes.len()) else {
            return 0;
        };
        if index == u16::MAX {
            return 0;
        }
        self.classes.push(name.to_owned());
        self.class_ids.insert(name.to_owned(), index);
        index
    }

    /// Appends another part's rows (its classes renumbered into ours).
    pub fn append(&mut self, other: RowColumns) {
        let renumber: Vec<u16> = other
            .classes
            .iter()
            .map(|name| self.intern_class(name))
            .collect();
        let label_base = self.labels.len() as u32;
        self.lon.extend(other.lon);
        self.lat.extend(other.lat);
        self.day.extend(other.day);
        self.radius_km.extend(other.radius_km);
        self.class.extend(
            other
                .class
                .into_iter()
                .map(|class| renumber.get(usize::from(class)).copied().unwrap_or(0)),
        );
        self.labels.push_str(&other.labels);
        self.label_ends
            .extend(other.label_ends.into_iter().map(|end| end + label_base));
        self.spans.extend(other.spans);
    }

    /// Keeps only the rows for which `keep` is true, in order.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        let mut kept = RowColumns {
            classes: std::mem::take(&mut self.classes),
            class_ids: std::mem::take(&mut self.class_ids),
            ..RowColumns::default()
        };
        for (row, _) in keep.iter().enumerate().filter(|(_, keep)| **keep) {
            kept.lon.push(self.lon[row]);
            kept.lat.push(self.lat[row]);
            kept.day.push(self.day[row]);
            kept.radius_km.push(self.radius_km[row]);
            kept.class.push(self.class[row]);
            kept.labels.push_str(self.label(row));
            kept.label_ends.push(kept.labels.len() as u32);
            kept.spans.push(self.spans[row]);
        }
        *self = kept;
    }

    /// Puts the rows in date order (undated last); rows of the same day keep file order.
    fn sort_by_date(self) -> Self {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_by_key(|&row| self.day[row as usize]);
        // The lookup of class names is only needed while rows are added.
        let mut sorted = RowColumns {
            classes: self.classes.clone(),
            ..RowColumns::default()
        };
        sorted.lon = order.iter().map(|&row| self.lon[row as usize]).collect();
        sorted.lat = order.iter().map(|&row| self.lat[row as usize]).collect();
        sorted.day = order.iter().map(|&row| self.day[row as usize]).collect();
        sorted.radius_km = order
            .iter()
            .map(|&row| self.radius_km[row as usize])
            .collect();
        sorted.class = order.iter().map(|&row| self.class[row as usize]).collect();
        sorted.spans = order.iter().map(|&row| self.spans[row as usize]).collect();
        sorted.labels.reserve(self.labels.len());
        sorted.label_ends.reserve(self.len());
        for &row in &order {
            sorted.labels.push_str(self.label(row as usize));
            sorted.label_ends.push(sorted.labels.len() as u32);
        }
        sorted
    }

    fn shrink_to_fit(&mut self) {
        self.lon.shrink_to_fit();
        self.lat.shrink_to_fit();
        self.day.shrink_to_fit();
        self.radius_km.shrink_to_fit();
        self.class.shrink_to_fit();
        self.labels.shrink_to_fit();
        self.label_ends.shrink_to_fit();
        self.spans.shrink_to_fit();
    }
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
    let mut file = std::fs::File::open(path).map_err(|error| error.to_string())?;
    file.seek(SeekFrom::Start(span.offset))
        .map_err(|error| error.to_string())?;
    let mut bytes = vec![0; span.len as usize];
    file.read_exact(&mut bytes)
        .map_err(|error| error.to_string())?;
    Ok(bytes)
}

/// True when `path` should load as a [`PointTable`] (by its size).
pub fn is_large_file(path: &Path) -> bool {
    std::fs::metadata(path)
        .is_ok_and(|metadata| metadata.is_file() && metadata.len() >= LARGE_FILE_BYTES)
}

/// Loads a large file as a table; `Ok(None)` when its content is not points or rows (a large
/// GeoJSON of polygons, say), which the caller then reads the ordinary way.
pub fn load_table(
    path: &Path,
    progress: &LoadProgress,
) -> Result<Option<crate::import::Import>, LoadError> {
    let file = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|error| LoadError::Read {
        file: file.clone(),
        message: error.to_string(),
    })?;
    if metadata.is_dir() {
        return Err(LoadError::Read {
            file,
            message: "is a folder, not a file".into(),
        });
    }
    progress.set_total(metadata.len());
    let mut opened = std::fs::File::open(path).map_err(|error| LoadError::Read {
        file: file.clone(),
        message: error.to_string(),
    })?;
    let first = first_significant_byte(&mut opened).map_err(|message| LoadError::Read {
        file: file.clone(),
        message,
    })?;
    match first {
        None => Err(LoadError::Document {
            file,
            message: "the file is empty".into(),
        }),
        Some(b'{') => geojson::load(&file, path, progress, geojson::Tuning::default()),
        Some(b'[') => Err(LoadError::Document {
            file,
            message: "JSON whose top level is an array; GeoJSON is an object (a \
                      FeatureCollection, a Feature or a geometry)"
                .into(),
        }),
        Some(_) => csv_rows::load(&file, path, progress).map(Some),
    }
}

/// The first byte that is not whitespace or a byte-order mark, from the first 64 KiB.
fn first_significant_byte(file: &mut std::fs::File) -> Result<Option<u8>, String> {
    use std::io::Read as _;
    let mut head = vec![0; 64 << 10];
    let read = file.read(&mut head).map_err(|error| error.to_string())?;
    let head = head.get(..read).unwrap_or_default();
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    Ok(head
        .iter()
        .copied()
        .find(|byte| !byte.is_ascii_whitespace()))
}
