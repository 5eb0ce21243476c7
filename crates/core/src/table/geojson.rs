//! Large GeoJSON FeatureCollections, read in chunks and parsed on every core.
//!
//! The file is read [`CHUNK_BYTES`] at a time. Each chunk's features are split between threads
//! at a likely feature boundary (`}`, `,`, `{`). The split is a guess that is then proven: the
//! thread before it must end exactly there, having parsed every byte up to it from a known
//! feature start. A guess that lands inside a string is discarded and those bytes are parsed
//! again, so the result is always that of a plain front-to-back parse.
//!
//! Only one chunk (plus the feature that straddles its end) is in memory at a time, so loading
//! a 600 MB file needs little more memory than the table it produces.

use super::{LoadProgress, LoadedTable, NewRow, PointTable, Record, RowColumns, Span, TableKind};
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::formats::event_schema::{RawEventFeature, check_event_document, validate_event};
use crate::formats::skips::SkipLog;
use crate::model::LonLat;
use serde::Deserialize;
use serde::de::{self, IgnoredAny};
use serde_json::Value;
use std::borrow::Cow;
use std::io::Read as _;
use std::path::Path;

/// Bytes read per chunk.
const CHUNK_BYTES: usize = 8 << 20;

/// Chunk sizes, changeable so the tests can cut small files into many chunks and splits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tuning {
    pub chunk_bytes: usize,
    /// A chunk is split between threads only if at least this much of it is left.
    pub min_split_bytes: usize,
    pub threads: usize,
    /// A feature or top-level member longer than this is refused.
    pub max_value_bytes: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            chunk_bytes: CHUNK_BYTES,
            min_split_bytes: 1 << 20,
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            max_value_bytes: MAX_VALUE_BYTES,
        }
    }
}

/// One feature (or top-level member) longer than this is refused rather than read into memory:
/// a point feature is a few hundred bytes, and a file that is one endless string must not
/// exhaust the machine.
const MAX_VALUE_BYTES: usize = 64 << 20;

/// Top-level members kept (the others are skipped unread).
const KEPT_MEMBERS: [&str; 5] = ["type", "schema", "title", "name", "as_of"];

/// The file, read a chunk at a time, with what is needed to name any byte's line and column.
struct ChunkReader<'f> {
    file_name: &'f str,
    chunk_bytes: usize,
    max_value_bytes: usize,
    source: std::fs::File,
    buf: Vec<u8>,
    /// The next byte to look at, in `buf`.
    pos: usize,
    /// File offset of `buf[0]`.
    base: u64,
    /// The file, to count lines up to an error (only then: counting them all the time would
    /// cost a pass over every byte).
    path: &'f Path,
    eof: bool,
}

impl<'f> ChunkReader<'f> {
    fn read_error(&self, message: String) -> LoadError {
        LoadError::Read {
            file: self.file_name.to_owned(),
            message,
        }
    }

    /// Drops the bytes before `pos` and reads until at least `want` bytes follow it (or the
    /// file ends).
    fn fill(&mut self, want: usize) -> Result<(), LoadError> {
        if self.pos > 0 {
            self.base += self.pos as u64;
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        if !self.eof && self.buf.len() < want {
            let missing = (want - self.buf.len()) as u64;
            // read_to_end fills the spare capacity without zeroing it first.
            let read = (&mut self.source)
                .take(missing)
                .read_to_end(&mut self.buf)
                .map_err(|error| self.read_error(error.to_string()))?;
            if (read as u64) < missing {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// Reads more when one value (a feature, a top-level member) does not fit in what is read:
    /// twice as much, up to [`Tuning::max_value_bytes`].
    fn grow(&mut self) -> Result<(), LoadError> {
        let unread = self.buf.len() - self.pos;
        if unread >= self.max_value_bytes {
            return Err(LoadError::Document {
                file: self.file_name.to_owned(),
                message: format!(
                    "the value at line {} is over {} MiB long; a feature or member this large \
                     is not read",
                    self.place(self.pos).0,
                    self.max_value_bytes >> 20
                ),
            });
        }
        self.fill((unread * 2 + self.chunk_bytes).min(self.max_value_bytes + self.chunk_bytes))
    }

    /// The 1-based line and column of `buf[at]`, counted in the file from its start.
    fn place(&self, at: usize) -> (usize, usize) {
        let offset = self.base + at as u64;
        let (mut line, mut column) = (1, 1);
        let Ok(file) = std::fs::File::open(self.path) else {
            return (line, column);
        };
        let mut reader = std::io::BufReader::new(file.take(offset));
        let mut chunk = vec![0; 1 << 20];
        while let Ok(read) = reader.read(&mut chunk) {
            if read == 0 {
                break;
            }
            let chunk = chunk.get(..read).unwrap_or_default();
            match chunk.iter().rposition(|&byte| byte == b'\n') {
                Some(last) => {
                    line += chunk.iter().filter(|&&byte| byte == b'\n').count();
                    column = read - last;
                }
                None => column += read,
            }
        }
        (line, column)
    }

    /// A syntax error at `buf[at]`.
    fn syntax_error(&self, at: usize, message: String) -> LoadError {
        let (line, column) = self.place(at);
        LoadError::Syntax {
            file: self.file_name.to_owned(),
            line,
            column,
            message,
        }
    }

    /// serde_json's error for a value parsed from `buf[start..]`, placed in the whole file.
    fn json_error_at(&self, start: usize, error: &serde_json::Error) -> LoadError {
        let (start_line, start_column) = self.place(start);
        let (line, column) = if error.line() <= 1 {
            (start_line, start_column + error.column().saturating_sub(1))
        } else {
            (start_line + error.line() - 1, error.column())
        };
        let full = error.to_string();
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(message, _)| message)
            .to_owned();
        LoadError::Syntax {
            file: self.file_name.to_owned(),
            line,
            column,
            message,
        }
    }

    /// Skips whitespace; the next byte, or `None` at the end of the file.
    fn peek(&mut self) -> Result<Option<u8>, LoadError> {
        loop {
            while let Some(byte) = self.buf.get(self.pos) {
                if byte.is_ascii_whitespace() {
                    self.pos += 1;
                } else {
                    return Ok(Some(*byte));
                }
            }
            if self.eof {
                return Ok(None);
            }
            self.fill(self.pos + self.chunk_bytes)?;
        }
    }

    fn expect(&mut self, wanted: u8, what: &str) -> Result<(), LoadError> {
        match self.peek()? {
            Some(byte) if byte == wanted => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.syntax_error(self.pos, format!("expected {what}"))),
            None => {
                Err(self.syntax_error(self.pos, format!("the file ends where {what} should be")))
            }
        }
    }

    /// Parses one JSON value at the current position, reading more of the file as needed.
    fn parse<T: de::DeserializeOwned>(&mut self) -> Result<T, LoadError> {
        self.peek()?;
        loop {
            let rest = self.buf.get(self.pos..).unwrap_or_default();
            let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<T>();
            match stream.next() {
                Some(Ok(value)) => {
                    self.pos += stream.byte_offset();
                    return Ok(value);
                }
                Some(Err(error)) if !self.eof && cut_short(rest, &error) => self.grow()?,
                Some(Err(error)) => return Err(self.json_error_at(self.pos, &error)),
                None => {
                    return Err(
                        self.syntax_error(self.pos, "the file ends where a value should be".into())
                    );
                }
            }
        }
    }
}

/// The collection's kept members, from before and after the features array.
#[derive(Default)]
struct Members {
    kind: Option<String>,
    schema: Option<String>,
    title: Option<String>,
    as_of: Option<String>,
}

impl Members {
    fn keep(&mut self, key: &str, value: Value) {
        let text = match value {
            Value::String(text) => text,
            other => other.to_string(),
        };
        match key {
            "type" => self.kind = Some(text),
            "schema" => self.schema = Some(text),
            "title" | "name" if self.title.is_none() => self.title = Some(text),
            "as_of" => self.as_of = Some(text),
            _ => {}
        }
    }

    fn is_event_schema(&self) -> bool {
        self.schema.as_deref().is_some_and(|tag| {
            tag.starts_with(
                crate::formats::event_schema::EVENT_SCHEMA
                    .trim_end_matches(|c: char| c.is_ascii_digit()),
            )
        })
    }
}

/// Reads object members until `"features": [` (returns true) or the object's end (false).
/// `first` is true before the first member.
fn read_members(
    reader: &mut ChunkReader<'_>,
    members: &mut Members,
    mut first: bool,
) -> Result<bool, LoadError> {
    loop {
        match reader.peek()? {
            Some(b'}') => {
                reader.pos += 1;
                return Ok(false);
            }
            Some(b',') if !first => reader.pos += 1,
            Some(_) if first => {}
            Some(_) => return Err(reader.syntax_error(reader.pos, "expected `,` or `}`".into())),
            None => {
                return Err(reader.syntax_error(
                    reader.pos,
                    "the file ends inside the top-level object".into(),
                ));
            }
        }
        first = false;
        let key: String = reader.parse()?;
        reader.expect(b':', "`:`")?;
        if key == "features" {
            reader.expect(b'[', "`[` (the features array)")?;
            return Ok(true);
        }
        if KEPT_MEMBERS.contains(&key.as_str()) {
            let value: Value = reader.parse()?;
            members.keep(&key, value);
        } else {
            let _: IgnoredAny = reader.parse()?;
        }
    }
}

/// Loads a large GeoJSON file as a table; `Ok(None)` when it is not a FeatureCollection of
/// points (a single Feature, polygons, lines), which is then read as an overlay.
pub(crate) fn load(
    file: &str,
    path: &Path,
    progress: &LoadProgress,
    tuning: Tuning,
) -> Result<Option<LoadedTable>, LoadError> {
    let source = std::fs::File::open(path).map_err(|error| LoadError::Read {
        file: file.to_owned(),
        message: error.to_string(),
    })?;
    let mut reader = ChunkReader {
        file_name: file,
        chunk_bytes: tuning.chunk_bytes.max(1),
        max_value_bytes: tuning.max_value_bytes,
        source,
        buf: Vec::new(),
        pos: 0,
        base: 0,
        path,
        eof: false,
    };
    reader.fill(reader.chunk_bytes)?;
    if reader.buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.pos = 3;
    }
    reader.expect(b'{', "`{` (GeoJSON is an object)")?;
    let mut members = Members::default();
    if !read_members(&mut reader, &mut members, true)? {
        return Ok(None);
    }

    // The first feature decides what the rows are.
    let kind = match reader.peek()? {
        Some(b']') => None,
        _ => {
            // Parsing may read more of the file and move the buffer: go back by file offset.
            let start = reader.base + reader.pos as u64;
            let first: Value = reader.parse()?;
            reader.pos = usize::try_from(start.saturating_sub(reader.base)).unwrap_or(0);
            let properties = first.get("properties");
            let geometry_type = first
                .get("geometry")
                .and_then(|geometry| geometry.get("type"))
                .and_then(Value::as_str);
            if members.is_event_schema()
                || properties.is_some_and(|properties| properties.get("casualty_claims").is_some())
            {
                Some(TableKind::Events)
            } else if geometry_type == Some("Point") {
                Some(TableKind::Points)
            } else {
                return Ok(None);
            }
        }
    };
    let Some(kind) = kind else {
        return Err(LoadError::Document {
            file: file.to_owned(),
            message: "the features array is empty".into(),
        });
    };

    let mut rows = RowColumns::new();
    let mut seen_ids: IdSet = IdSet::default();
    let mut skips = SkipLog::default();
    let mut state = ArrayState::Start;
    let mut features_before = 0usize;
    loop {
        progress.check(file)?;
        progress.set_done(reader.base + reader.pos as u64);
        reader.fill(reader.chunk_bytes)?;
        let batch = parse_batch(&reader, kind, state, tuning);
        let mut made_progress = false;
        tracing_parts(&batch);
        for mut part in batch {
            made_progress |= part.end > reader.pos || part.features > 0;
            let mut skipped = std::mem::take(&mut part.skipped);
            if kind == TableKind::Events {
                skipped.extend(drop_repeated_ids(&mut part, &mut seen_ids));
                skipped.sort_by_key(|(local, _)| *local);
            }
            for (local, reason) in skipped {
                skips.push(format!("feature {}", features_before + local), reason);
            }
            rows.append(part.rows);
            features_before += part.features;
            reader.pos = part.end;
            state = part.state;
            match part.stop {
                Stop::Limit | Stop::NeedMore => {}
                Stop::EndOfArray => {
                    state = ArrayState::Done;
                }
                Stop::Syntax(error) => return Err(error),
            }
        }
        if state == ArrayState::Done {
            break;
        }
        if !made_progress {
            if reader.eof {
                return Err(reader.syntax_error(
                    reader.buf.len(),
                    "the file ends inside the features array".into(),
                ));
            }
            reader.grow()?;
        }
    }
    if read_members(&mut reader, &mut members, false)? {
        return Err(reader.syntax_error(reader.pos, "a second features array".into()));
    }
    if reader.peek()?.is_some() {
        return Err(reader.syntax_error(
            reader.pos,
            "trailing characters after the top-level object".into(),
        ));
    }
    progress.set_done(reader.base + reader.pos as u64);

    let format = match kind {
        TableKind::Events => {
            check_event_document(
                file,
                members.kind.as_deref().unwrap_or(""),
                members.schema.as_deref(),
                members.as_of.as_deref(),
            )?;
            DetectedFormat::StrikemapEvents
        }
        _ => {
            if members.kind.as_deref() != Some("FeatureCollection") {
                return Err(LoadError::Document {
                    file: file.to_owned(),
                    message: format!(
                        "type is {:?}, expected \"FeatureCollection\"",
                        members.kind.as_deref().unwrap_or("missing")
                    ),
                });
            }
            DetectedFormat::GeoJsonOverlay
        }
    };
    if rows.len() == 0 {
        return Err(skips.nothing_loaded(file, "feature"));
    }
    let table = PointTable::new(
        file.to_owned(),
        path.to_owned(),
        kind,
        members.title.clone(),
        rows,
        None,
    );
    Ok(Some(LoadedTable::new(table, format, skips)))
}

/// The ids seen so far.
type IdSet = crate::fast_hash::FastHashSet<Box<str>>;

/// With STRIKEMAP_DEBUG_PARTS set, prints how each chunk was split (features per proven part).
fn tracing_parts(batch: &[Part]) {
    if std::env::var_os("STRIKEMAP_DEBUG_PARTS").is_some() {
        let features: Vec<usize> = batch.iter().map(|part| part.features).collect();
        eprintln!("chunk parts (features each): {features:?}");
    }
}

/// Drops the part's events whose id an earlier feature used (as the small-file loader does);
/// returns their skips.
fn drop_repeated_ids(part: &mut Part, seen: &mut IdSet) -> Vec<(usize, String)> {
    let keep: Vec<bool> = (0..part.rows.len())
        .map(|row| seen.insert(part.rows.label(row).into()))
        .collect();
    if keep.iter().all(|keep| *keep) {
        return Vec::new();
    }
    let skipped = keep
        .iter()
        .zip(&part.feature_indices)
        .filter(|(keep, _)| !**keep)
        .map(|(_, local)| {
            (
                *local as usize,
                "properties.id: the same id is used by an earlier feature".to_owned(),
            )
        })
        .collect();
    part.rows.retain_rows(&keep);
    skipped
}

/// Where in the features array a part starts or stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArrayState {
    /// Right after `[`: a feature or `]`.
    Start,
    /// After a `,`: a feature.
    AfterComma,
    /// After a feature: `,` or `]`.
    AfterFeature,
    Done,
}

enum Stop {
    /// Reached the next part's start.
    Limit,
    /// The chunk ends inside a feature or separator.
    NeedMore,
    EndOfArray,
    Syntax(LoadError),
}

struct Part {
    rows: RowColumns,
    feature_indices: Vec<u32>,
    skipped: Vec<(usize, String)>,
    features: usize,
    /// Where it stopped (in the reader's buffer), and in what state.
    end: usize,
    state: ArrayState,
    stop: Stop,
}

/// Parses the features in the reader's buffer from its position, split between `threads`.
/// Returns the parts that are proven to follow on from each other, in order.
fn parse_batch(
    reader: &ChunkReader<'_>,
    kind: TableKind,
    state: ArrayState,
    tuning: Tuning,
) -> Vec<Part> {
    let buf = reader.buf.as_slice();
    let start = reader.pos;
    let mut starts = vec![(start, state)];
    let len = buf.len().saturating_sub(start);
    if tuning.threads > 1 && len >= tuning.min_split_bytes {
        for k in 1..tuning.threads {
            let from = start + len * k / tuning.threads;
            if let Some(candidate) = next_feature_start(buf, from)
                && candidate > starts.last().map_or(0, |(at, _)| *at)
            {
                starts.push((candidate, ArrayState::AfterComma));
            }
        }
    }
    let limits: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|(at, _)| *at)
        .chain(std::iter::once(usize::MAX))
        .collect();
    let parts: Vec<Part> = if starts.len() == 1 {
        vec![parse_part(reader, kind, start, state, usize::MAX)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = starts
                .iter()
                .zip(&limits)
                .skip(1)
                .map(|(&(at, state), &limit)| {
                    scope.spawn(move || parse_part(reader, kind, at, state, limit))
                })
                .collect();
            let first = parse_part(reader, kind, start, state, limits[0]);
            let mut parts = vec![first];
            for handle in handles {
                match handle.join() {
                    Ok(part) => parts.push(part),
                    Err(_) => break,
                }
            }
            parts
        })
    };
    // Keep a part only if the one before it ended exactly where it began.
    let mut proven = Vec::with_capacity(parts.len());
    for (index, part) in parts.into_iter().enumerate() {
        if index > 0 {
            let previous: &Part = match proven.last() {
                Some(previous) => previous,
                None => break,
            };
            let follows = matches!(previous.stop, Stop::Limit)
                && previous.state == ArrayState::AfterComma
                && previous.end == starts[index].0;
            if !follows {
                break;
            }
        }
        proven.push(part);
    }
    proven
}

/// The position of the `{` in the next `}` `,` `{` (whitespace allowed) at or after `from`
/// that opens an object whose `type` is `"Feature"` (so not, say, the second casualty claim of
/// an event). Still a guess: such text could sit inside a string; the caller proves it.
fn next_feature_start(buf: &[u8], from: usize) -> Option<usize> {
    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(rename = "type", borrow, default)]
        kind: Option<Cow<'a, str>>,
    }
    let skip_space = |mut index: usize| {
        while buf.get(index).is_some_and(u8::is_ascii_whitespace) {
            index += 1;
        }
        index
    };
    let mut at = from;
    for _ in 0..256 {
        let offset = buf.get(at..)?.iter().position(|&byte| byte == b'}')?;
        let close = at + offset;
        at = close + 1;
        let mut next = skip_space(close + 1);
        if buf.get(next) != Some(&b',') {
            continue;
        }
        next = skip_space(next + 1);
        if buf.get(next) != Some(&b'{') {
            continue;
        }
        let rest = buf.get(next..).unwrap_or_default();
        let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<Probe<'_>>();
        if let Some(Ok(Probe { kind: Some(kind) })) = stream.next()
            && kind == "Feature"
        {
            return Some(next);
        }
    }
    None
}

/// Parses features from `buf[start..]` until the array ends, the chunk ends, or the next
/// feature would begin at or after `limit`.
fn parse_part(
    reader: &ChunkReader<'_>,
    kind: TableKind,
    start: usize,
    mut state: ArrayState,
    limit: usize,
) -> Part {
    let buf = reader.buf.as_slice();
    let mut part = Part {
        rows: RowColumns::new(),
        feature_indices: Vec::new(),
        skipped: Vec::new(),
        features: 0,
        end: start,
        state,
        stop: Stop::NeedMore,
    };
    let mut at = start;
    let skip_space = |mut index: usize| {
        while buf.get(index).is_some_and(u8::is_ascii_whitespace) {
            index += 1;
        }
        index
    };
    loop {
        part.end = at;
        part.state = state;
        let next = skip_space(at);
        let Some(&byte) = buf.get(next) else {
            part.stop = if reader.eof {
                Stop::Syntax(
                    reader.syntax_error(next, "the file ends inside the features array".into()),
                )
            } else {
                Stop::NeedMore
            };
            return part;
        };
        match state {
            ArrayState::AfterFeature => match byte {
                b',' => {
                    at = next + 1;
                    state = ArrayState::AfterComma;
                    continue;
                }
                b']' => {
                    part.end = next + 1;
                    part.state = ArrayState::Done;
                    part.stop = Stop::EndOfArray;
                    return part;
                }
                _ => {
                    part.stop = Stop::Syntax(
                        reader.syntax_error(next, "expected `,` or `]` after a feature".into()),
                    );
                    return part;
                }
            },
            ArrayState::Start if byte == b']' => {
                part.end = next + 1;
                part.state = ArrayState::Done;
                part.stop = Stop::EndOfArray;
                return part;
            }
            _ => {}
        }
        if next >= limit {
            part.end = next;
            part.stop = Stop::Limit;
            return part;
        }
        let bytes = buf.get(next..).unwrap_or_default();
        let local = part.features;
        let span = |len: usize| Span {
            offset: reader.base + next as u64,
            len: len as u32,
        };
        let step = match kind {
            TableKind::Events => {
                read_event_row(reader.file_name, local, bytes, &mut part.rows, &span)
            }
            _ => read_point_row(bytes, &mut part.rows, &span),
        };
        match step {
            Step::Row(len) => {
                part.feature_indices.push(local as u32);
                at = next + len;
            }
            Step::Bad(len, reason) => {
                part.skipped.push((local, reason));
                at = next + len;
            }
            Step::Incomplete => {
                part.stop = if reader.eof {
                    Stop::Syntax(
                        reader.syntax_error(buf.len(), "the file ends inside a feature".into()),
                    )
                } else {
                    Stop::NeedMore
                };
                return part;
            }
            Step::Syntax(error) if !reader.eof && cut_short(bytes, &error) => {
                part.stop = Stop::NeedMore;
                return part;
            }
            Step::Syntax(error) => {
                part.stop = Stop::Syntax(reader.json_error_at(next, &error));
                return part;
            }
        }
        part.features += 1;
        state = ArrayState::AfterFeature;
    }
}

/// True when parsing `bytes` failed only because they stop short: at the end of the input
/// (serde_json reports `12.` or `1e` cut at the end of a chunk as an invalid number, not as the
/// end of the input), so more of the file may make it whole.
fn cut_short(bytes: &[u8], error: &serde_json::Error) -> bool {
    if error.is_eof() {
        return true;
    }
    // The error's byte offset from its line and column (1-based, counted in bytes).
    let line_start = if error.line() <= 1 {
        Some(0)
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(error.line() - 2)
            .map(|(newline, _)| newline + 1)
    };
    line_start.is_some_and(|start| start + error.column() >= bytes.len())
}

enum Step {
    /// A row was added; the feature took this many bytes.
    Row(usize),
    /// The feature (this many bytes) was skipped, for this reason.
    Bad(usize, String),
    Incomplete,
    Syntax(serde_json::Error),
}

/// Parses one value of type `T` at the start of `bytes`, telling apart a value that does not
/// fit `T` (skipped, with its length) from broken JSON.
fn parse_feature<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<(T, usize), Step> {
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Ok((value, stream.byte_offset())),
        None => Err(Step::Incomplete),
        Some(Err(error)) if error.is_eof() => Err(Step::Incomplete),
        Some(Err(error)) if error.is_data() => {
            let mut skip = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
            match skip.next() {
                Some(Ok(_)) => Err(Step::Bad(skip.byte_offset(), String::new())),
                Some(Err(error)) if !error.is_eof() => Err(Step::Syntax(error)),
                _ => Err(Step::Incomplete),
            }
        }
        Some(Err(error)) => Err(Step::Syntax(error)),
    }
}

/// The JSON path and message of a feature that does not fit `T`.
fn explain_misfit<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => "does not fit the schema".to_owned(),
        Err(error) => {
            let field = error.path().to_string();
            let inner = error.into_inner().to_string();
            let message = inner
                .rsplit_once(" at line ")
                .map_or(inner.as_str(), |(message, _)| message)
                .to_owned();
            format!("{field}: {message}")
        }
    }
}

fn read_event_row(
    file: &str,
    local: usize,
    bytes: &[u8],
    rows: &mut RowColumns,
    span: &dyn Fn(usize) -> Span,
) -> Step {
    let (feature, len) = match parse_feature::<RawEventFeature>(bytes) {
        Ok(parsed) => parsed,
        Err(Step::Bad(len, _)) => {
            return Step::Bad(
                len,
                explain_misfit::<RawEventFeature>(bytes.get(..len).unwrap_or_default()),
            );
        }
        Err(step) => return step,
    };
    match validate_event(file, local, feature) {
        Ok(event) => {
            rows.push(NewRow::of_event(&event, span(len)));
            Step::Row(len)
        }
        Err(LoadError::Invalid { field, message, .. }) => {
            Step::Bad(len, format!("{field}: {message}"))
        }
        Err(other) => Step::Bad(len, other.to_string()),
    }
}

/// A feature of a generic point layer: only what the table keeps is read.
#[derive(Deserialize)]
struct LeanFeature<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    geometry: Option<LeanGeometry<'a>>,
    #[serde(default, borrow)]
    properties: Option<LeanProperties<'a>>,
    #[serde(default, borrow)]
    id: Option<Lenient<'a>>,
}

#[derive(Deserialize)]
struct LeanGeometry<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default)]
    coordinates: Option<Coordinates>,
}

#[derive(Deserialize)]
struct LeanProperties<'a> {
    #[serde(default, borrow)]
    event_id_cnty: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    id: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    name: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    title: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    event_date: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    date: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    event_type: Option<Lenient<'a>>,
}

/// A property value as text: strings as they are, numbers and booleans printed; objects,
/// arrays and null are no text.
struct Lenient<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Lenient<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(text))))
            }
            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(text.to_owned()))))
            }
            fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(text))))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_some<D: de::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                Lenient::deserialize(deserializer)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Lenient<'_> {
    fn text(this: &Option<Self>) -> Option<&str> {
        this.as_ref()
            .and_then(|value| value.0.as_deref())
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }
}

/// A geometry's coordinates: one position, or something else (lines, rings, …).
enum Coordinates {
    Position(Vec<f64>),
    NotAPosition,
}

impl<'de> Deserialize<'de> for Coordinates {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Coordinates;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("coordinates")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut numbers = Vec::with_capacity(3);
                let mut position = true;
                while let Some(item) = seq.next_element::<Number>()? {
                    match item {
                        Number(Some(value)) if position => numbers.push(value),
                        _ => position = false,
                    }
                }
                Ok(if position {
                    Coordinates::Position(numbers)
                } else {
                    Coordinates::NotAPosition
                })
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Coordinates::NotAPosition)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A number, or `None` for any other value (skipped).
struct Number(Option<f64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Number(Some(value)))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Number(Some(value as f64)))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Number(Some(value as f64)))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Number(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Number(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn read_point_row(bytes: &[u8], rows: &mut RowColumns, span: &dyn Fn(usize) -> Span) -> Step {
    let (feature, len) = match parse_feature::<LeanFeature<'_>>(bytes) {
        Ok(parsed) => parsed,
        Err(Step::Bad(len, _)) => {
            return Step::Bad(
                len,
                explain_misfit::<LeanFeature<'_>>(bytes.get(..len).unwrap_or_default()),
            );
        }
        Err(step) => return step,
    };
    match point_row(&feature) {
        Ok((position, label, date, class)) => {
            rows.push(NewRow {
                position,
                date,
                radius_km: None,
                class,
                label,
                span: span(len),
            });
            Step::Row(len)
        }
        Err(reason) => Step::Bad(len, reason),
    }
}

type PointRow<'f> = (LonLat, &'f str, Option<crate::model::Date>, Option<&'f str>);

fn point_row<'f>(feature: &'f LeanFeature<'_>) -> Result<PointRow<'f>, String> {
    if feature.kind != "Feature" {
        return Err(format!("type: is {:?}, expected \"Feature\"", feature.kind));
    }
    let geometry = feature
        .geometry
        .as_ref()
        .ok_or("geometry: is missing or null")?;
    if geometry.kind != "Point" {
        return Err(format!(
            "geometry: is a {}; a large file loads as a point layer, which keeps only Point \
             features",
            geometry.kind
        ));
    }
    let position = match &geometry.coordinates {
        Some(Coordinates::Position(numbers)) if (2..=3).contains(&numbers.len()) => {
            crate::formats::event_schema::checked_lon_lat(numbers[0], numbers[1])
                .map_err(|message| format!("geometry.coordinates: {message}"))?
        }
        _ => return Err("geometry.coordinates: not a [longitude, latitude] position".into()),
    };
    let properties = feature.properties.as_ref();
    let label = properties
        .and_then(|p| Lenient::text(&p.event_id_cnty))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.id)))
        .or_else(|| Lenient::text(&feature.id))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.name)))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.title)))
        .unwrap_or("");
    let date = properties
        .and_then(|p| Lenient::text(&p.event_date))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.date)))
        .and_then(|text| crate::formats::dates::parse_dataset_date(text).ok());
    let class = properties.and_then(|p| Lenient::text(&p.event_type));
    Ok((position, label, date, class))
}

/// An event record read again from the file.
pub(super) fn event_record(file: &str, bytes: &[u8]) -> Result<Record, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let feature: RawEventFeature =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            LoadError::Document {
                file: file.to_owned(),
                message: format!(
                    "the record no longer reads: {}: {}",
                    error.path(),
                    error.inner()
                ),
            }
        })?;
    validate_event(file, 0, feature).map(|event| Record::Event(Box::new(event)))
}

/// A point feature's properties read again from the file.
pub(super) fn point_record(file: &str, bytes: &[u8]) -> Result<Record, LoadError> {
    let feature: Value = serde_json::from_slice(bytes).map_err(|error| LoadError::Document {
        file: file.to_owned(),
        message: format!("the record no longer reads: {error}"),
    })?;
    let mut lines = Vec::new();
    if let Some(id) = feature.get("id") {
        lines.push(("id".to_owned(), value_text(id)));
    }
    if let Some(Value::Object(properties)) = feature.get("properties") {
        lines.extend(
            properties
                .iter()
                .map(|(key, value)| (key.clone(), value_text(value))),
        );
    }
    Ok(Record::Properties(lines))
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
