//! Splitting a chunk's features between threads at likely feature starts, and proving each
//! split by the part before it ending exactly there.

use super::Tuning;
use super::chunks::ChunkReader;
use super::lean::{Step, read_event_row, read_point_row};
use crate::error::LoadError;
use crate::table::{RowColumns, Span, TableKind};
use serde::Deserialize;
use std::borrow::Cow;

/// Where in the features array a part starts or stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ArrayState {
    /// Right after `[`: a feature or `]`.
    Start,
    /// After a `,`: a feature.
    AfterComma,
    /// After a feature: `,` or `]`.
    AfterFeature,
    Done,
}

pub(super) enum Stop {
    /// Reached the next part's start.
    Limit,
    /// The chunk ends inside a feature or separator.
    NeedMore,
    EndOfArray,
    Syntax(LoadError),
}

pub(super) struct Part {
    pub(super) rows: RowColumns,
    pub(super) feature_indices: Vec<u32>,
    pub(super) skipped: Vec<(usize, String)>,
    /// What was tolerated: (local feature index, field, message).
    pub(super) warnings: Vec<(usize, String, String)>,
    pub(super) features: usize,
    /// Where it stopped (in the reader's buffer), and in what state.
    pub(super) end: usize,
    pub(super) state: ArrayState,
    pub(super) stop: Stop,
}

/// Parses the features in the reader's buffer from its position, split between `threads`.
/// Returns the parts that are proven to follow on from each other, in order.
pub(super) fn parse_batch(
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
pub(super) fn next_feature_start(buf: &[u8], from: usize) -> Option<usize> {
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
pub(super) fn parse_part(
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
        warnings: Vec::new(),
        features: 0,
        end: start,
        state,
        stop: Stop::NeedMore,
    };
    let mut warnings = Vec::new();
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
            _ => {
                let step = read_point_row(bytes, &mut part.rows, &span, &mut warnings);
                for (field, message) in warnings.drain(..) {
                    part.warnings.push((local, field, message));
                }
                step
            }
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
pub(super) fn cut_short(bytes: &[u8], error: &serde_json::Error) -> bool {
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
