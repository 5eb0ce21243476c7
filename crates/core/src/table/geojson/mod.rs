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

mod chunks;
mod lean;
mod records;
mod split;

use super::{LoadProgress, LoadedTable, PointTable, RowColumns, TableKind};
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::formats::event_schema::check_event_document;
use crate::formats::skips::SkipLog;
use chunks::ChunkReader;
pub(crate) use records::{event_record, point_record};
use serde::de::IgnoredAny;
use serde_json::Value;
use split::{ArrayState, Part, Stop, parse_batch};
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
const KEPT_MEMBERS: [&str; 7] = ["type", "schema", "title", "name", "as_of", "crs", "bbox"];

/// The collection's kept members, from before and after the features array.
#[derive(Default)]
struct Members {
    kind: Option<String>,
    schema: Option<String>,
    title: Option<String>,
    as_of: Option<String>,
    /// The 2008 spec's `crs` member, as written.
    crs: Option<Value>,
    /// What is wrong with the collection's `bbox`, if anything (RFC 7946 §5).
    bbox_problem: Option<String>,
}

impl Members {
    fn keep(&mut self, key: &str, value: Value) {
        if key == "crs" {
            self.crs = Some(value);
            return;
        }
        if key == "bbox" {
            self.bbox_problem = crate::formats::rules::bbox_value_problem(&value);
            return;
        }
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

/// [`load_opened`] of the file at `path` (the tests' way in; the app's is
/// [`crate::table::load_table`]).
#[cfg(test)]
pub(crate) fn load(
    file: &str,
    path: &Path,
    progress: &LoadProgress,
    tuning: Tuning,
) -> Result<Option<LoadedTable>, LoadError> {
    let opened =
        crate::formats::file_kind::open_regular_file(path).map_err(|problem| LoadError::Read {
            file: file.to_owned(),
            message: problem.to_string(),
        })?;
    load_opened(file, path, opened, progress, tuning)
}

/// Loads a large GeoJSON file, already opened, as a table, reading no further than its size
/// when it was opened; `Ok(None)` when it is not a FeatureCollection of points (a single
/// Feature, polygons, lines), which is then read as an overlay.
pub(crate) fn load_opened(
    file: &str,
    path: &Path,
    (source, opened_len): (std::fs::File, u64),
    progress: &LoadProgress,
    tuning: Tuning,
) -> Result<Option<LoadedTable>, LoadError> {
    // Read no further than the file's size when it was opened (a growing file is cut there).
    let source = std::io::Read::take(source, opened_len);
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
    if needs_reprojection(file, &members)? {
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
    if let Some(message) = members.bbox_problem.take() {
        skips.warn("bbox".into(), message);
    }
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
            for (local, field, message) in std::mem::take(&mut part.warnings) {
                let feature = features_before + local;
                skips.warn(format!("feature {feature}, field {field}"), message);
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
    // A crs written after the features (rare: GDAL and QGIS write it first) is seen only now,
    // when the rows were read unprojected: the whole-file reader starts again.
    if needs_reprojection(file, &members)? {
        return Ok(None);
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

/// True when the collection's old-spec `crs` names a system other than WGS 84; an error when it
/// cannot be read. A table reads positions lean, without a per-position reprojection step (that
/// would cost every large file a branch and the setup per chunk), so a file in a projected
/// system goes to the whole-file readers instead ([`crate::import`]), which reproject each
/// position and say so. Such files are rare, and old: the 2008 spec's `crs` was removed in 2016.
fn needs_reprojection(file: &str, members: &Members) -> Result<bool, LoadError> {
    let Some(crs) = &members.crs else {
        return Ok(false);
    };
    crate::formats::crs::read_crs(crs)
        .map(|reprojection| reprojection.is_some())
        .map_err(|message| LoadError::Document {
            file: file.to_owned(),
            message: format!("crs: {message}"),
        })
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
