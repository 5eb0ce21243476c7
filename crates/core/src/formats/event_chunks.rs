//! Turning the rows of a CSV export streamed from a file into events, parsing and converting
//! on both cores.
//!
//! The calling thread reads the rows' bytes in chunks cut at line breaks and hands them in
//! turn to two workers; each parses its chunk as if it began a record
//! ([`super::csv_split::parse_chunk`]) and converts the rows. The calling thread takes them
//! back in order and joins them ([`super::csv_split::Joiner`]): a chunk that did not begin at
//! a record is parsed and converted again there, from the last record's true end. What depends
//! on order (repeated ids, the skip log, what `accept` sees) happens on the calling thread, in
//! file order, so the outcome is that of reading the rows one by one.

use super::csv_split::{ChunkRows, Joiner, parse_chunk_into};
use super::csv_table::{CsvHeader, CsvRow, RowToEvent};
use super::event_rows::{Outcome, Relay, RowSettler, row_event};
use super::skips::SkipLog;
use crate::error::LoadError;
use crate::model::StrikeEvent;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Workers parsing and converting chunks while the calling thread reads the next ones.
const WORKERS: usize = 2;

/// A chunk's bytes, where they start, and, once a worker has had them, their rows and the
/// outcome of each (the events' ids and what is kept, or the problem, lines aside).
struct Chunk<T> {
    start: u64,
    bytes: Vec<u8>,
    last: bool,
    parsed: Option<ChunkRows>,
    /// Rows of a chunk already settled, whose memory the parse reuses.
    spare_rows: Vec<CsvRow>,
    outcomes: Vec<Result<(String, T), super::csv_table::RowProblem>>,
}

type Worker<T> = (SyncSender<Chunk<T>>, Receiver<Chunk<T>>);

/// The rows of a CSV export from `source`, whose bytes begin at byte `start` (a record's
/// start, on line `line`) of `file`'s text, read in chunks of about `chunk_bytes`: each row
/// through `row_to_event` (and the header's field count), `keep` turning an event that passes
/// into what the caller keeps, `accept` getting it with its id and row in file order. Returns
/// what was skipped; `keep_going` is asked once per chunk and ends the reading with its error,
/// as do a read error and a CSV syntax error.
#[allow(clippy::too_many_arguments)]
pub(crate) fn for_each_event_row_in_chunks<T: Send>(
    file: &str,
    mut source: impl std::io::Read,
    (start, line): (u64, u64),
    header: &CsvHeader,
    row_to_event: RowToEvent,
    keep_going: &dyn Fn() -> Result<(), LoadError>,
    keep: impl Fn(StrikeEvent) -> T + Sync,
    mut accept: impl FnMut(&str, T, &CsvRow),
    chunk_bytes: usize,
) -> Result<SkipLog, LoadError> {
    let keep = &keep;
    let convert = move |row: &CsvRow| -> Result<(String, T), super::csv_table::RowProblem> {
        row_event(row, header, row_to_event).map(|event| (event.id().to_owned(), keep(event)))
    };
    let convert = &convert;
    std::thread::scope(|scope| {
        let mut workers: Vec<Worker<T>> = Vec::new();
        for _ in 0..WORKERS {
            let (to_worker, work) = sync_channel::<Chunk<T>>(1);
            let (done, from_worker) = sync_channel::<Chunk<T>>(1);
            scope.spawn(move || {
                for mut chunk in work {
                    let spare = std::mem::take(&mut chunk.spare_rows);
                    let parsed =
                        parse_chunk_into(file, &chunk.bytes, chunk.start, chunk.last, spare);
                    chunk.outcomes = parsed.rows().iter().map(convert).collect();
                    chunk.parsed = Some(parsed);
                    if done.send(chunk).is_err() {
                        return;
                    }
                }
            });
            workers.push((to_worker, from_worker));
        }

        let mut settler = RowSettler::new(header);
        let mut joiner = Joiner::new(file, start, line);
        let mut settle = |chunk: Chunk<T>| -> Result<Vec<CsvRow>, LoadError> {
            let Some(parsed) = chunk.parsed else {
                return Ok(Vec::new());
            };
            let joined = joiner.join(parsed, &chunk.bytes, chunk.last);
            let outcomes = if joined.reparsed {
                joined.rows.iter().map(convert).collect()
            } else {
                chunk.outcomes
            };
            for (row, outcome) in joined.rows.iter().zip(outcomes) {
                let outcome: Outcome<T> =
                    outcome.map_err(|problem| (problem.place(row.line, header), problem.reason));
                settler.settle(row, outcome, &mut |id: &str, kept: T| accept(id, kept, row));
            }
            joined.error.map_or(Ok(joined.rows), Err)
        };
        let read_error = |error: std::io::Error| LoadError::Read {
            file: file.to_owned(),
            message: error.to_string(),
        };
        let mut relay = Relay::new(workers);
        let mut spare_rows: Vec<Vec<CsvRow>> = Vec::new();
        let mut next_start = start;
        // Bytes read past the last line break, which begin the next chunk.
        let mut carried: Vec<u8> = Vec::new();
        let mut ended = false;
        while !ended || relay.any_out() {
            if !ended && relay.can_hand_out() {
                keep_going()?;
                let mut bytes = std::mem::take(&mut carried);
                let wanted = chunk_bytes.max(1);
                if bytes.len() < wanted {
                    let have = bytes.len();
                    bytes.resize(wanted, 0);
                    let mut filled = have;
                    while filled < wanted {
                        let read = source
                            .read(bytes.get_mut(filled..).unwrap_or_default())
                            .map_err(read_error)?;
                        if read == 0 {
                            ended = true;
                            break;
                        }
                        filled += read;
                    }
                    bytes.truncate(filled);
                }
                if !ended {
                    // Cut after the last line break; the rest starts the next chunk.
                    if let Some(last_break) = bytes.iter().rposition(|&byte| byte == b'\n') {
                        carried = bytes.split_off(last_break + 1);
                    }
                }
                let chunk = Chunk {
                    start: next_start,
                    last: ended,
                    bytes,
                    parsed: None,
                    spare_rows: spare_rows.pop().unwrap_or_default(),
                    outcomes: Vec::new(),
                };
                next_start += chunk.bytes.len() as u64;
                if !relay.hand_out(chunk) {
                    break; // the worker is gone: its panic is raised when the scope ends
                }
                continue;
            }
            let Some(chunk) = relay.take_back() else {
                break; // as above, or none out
            };
            spare_rows.push(settle(chunk)?);
        }
        Ok(settler.skips)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::acled::acled_event;
    use crate::formats::csv_table::CsvTable;
    use crate::formats::event_rows::for_each_event_row;

    /// (line, byte, end, id) of each accepted row, the listed skips and warnings, the total.
    type Reading = (
        Vec<(u64, u64, u64, String)>,
        Vec<String>,
        Vec<String>,
        usize,
    );

    fn summary(accepted: Vec<(u64, u64, u64, String)>, skips: &SkipLog) -> Reading {
        let listed = skips.listed.iter().map(ToString::to_string).collect();
        let warnings = skips
            .warnings_listed()
            .iter()
            .map(|warning| format!("{warning:?}"))
            .collect();
        (accepted, listed, warnings, skips.total)
    }

    /// The reading this module must equal: rows read one after another on this thread.
    fn front_to_back(text: &[u8]) -> Result<Reading, String> {
        let mut table = CsvTable::from_reader("t.csv", text).map_err(|error| error.to_string())?;
        let mut accepted = Vec::new();
        let skips = for_each_event_row(
            &mut table,
            acled_event,
            &|| Ok(()),
            |row, event| (row.line, row.byte, row.end, event.id().to_owned()),
            |_, kept| accepted.push(kept),
        )
        .map_err(|error| error.to_string())?;
        Ok(summary(accepted, &skips))
    }

    fn in_chunks(text: &[u8], chunk_bytes: usize) -> Result<Reading, String> {
        let table = CsvTable::from_reader("t.csv", text).map_err(|error| error.to_string())?;
        let start = table.data_start();
        let rows = text.get(start as usize..).unwrap_or_default();
        let mut accepted = Vec::new();
        let skips = for_each_event_row_in_chunks(
            "t.csv",
            rows,
            (start, table.data_start_line()),
            &table.header,
            acled_event,
            &|| Ok(()),
            |event| event.id().to_owned(),
            |_, id, row| accepted.push((row.line, row.byte, row.end, id)),
            chunk_bytes,
        )
        .map_err(|error| error.to_string())?;
        Ok(summary(accepted, &skips))
    }

    const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,\
sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,\
source,notes,fatalities\n";

    /// Rows of every kind: good ones, repeated ids, bad latitudes, short rows, notes with
    /// quoted commas, quotes and line breaks, CRLF and blank lines.
    fn mixed_rows(count: usize, line_end: &str) -> String {
        let mut text = HEADER.to_owned();
        for index in 0..count {
            let id = if index % 7 == 3 {
                "PAK1".to_owned()
            } else {
                format!("PAK{index}")
            };
            let latitude = if index % 11 == 5 { "north" } else { "26.96" };
            let notes = match index % 5 {
                0 => format!("\"row {index}, with a comma{line_end}and a line\""),
                1 => format!("\"said \"\"{index}\"\"{line_end}{line_end}\""),
                2 => String::new(),
                _ => format!("plain {index}"),
            };
            if index % 13 == 9 {
                text.push_str(&format!("PAK-short,2024-01-16{line_end}"));
                continue;
            }
            if index % 17 == 4 {
                text.push_str(line_end);
            }
            text.push_str(&format!(
                "{id},2024-01-16,2024,1,Explosions/Remote violence,Air/drone strike,\
Military Forces of Iran (1989-),,Pakistan,Balochistan,Panjgur,{latitude},64.1,2,Dawn,{notes},2{line_end}"
            ));
        }
        text
    }

    #[test]
    fn chunks_of_any_size_give_the_rows_skips_and_warnings_of_the_front_to_back_reading() {
        for line_end in ["\n", "\r\n"] {
            let text = mixed_rows(300, line_end);
            let expected = front_to_back(text.as_bytes());
            let loaded = expected.as_ref().map_or(0, |reading| reading.0.len());
            assert!(loaded > 100, "most rows load: {expected:?}");
            for chunk_bytes in [5, 64, 150, 151, 1000, 4096, 1 << 20] {
                assert_eq!(
                    in_chunks(text.as_bytes(), chunk_bytes),
                    expected,
                    "chunks of {chunk_bytes}, line end {line_end:?}"
                );
            }
        }
    }

    #[test]
    fn a_row_that_is_not_utf8_ends_the_reading_at_its_line_in_any_chunking() {
        let mut bytes = mixed_rows(300, "\n").into_bytes();
        let row = bytes
            .windows(8)
            .position(|window| window == b"row 200,")
            .unwrap_or_default();
        bytes[row + 1] = 0xFF;
        let expected = front_to_back(&bytes);
        assert!(expected.is_err(), "{expected:?}");
        for chunk_bytes in [5, 64, 1000, 1 << 20] {
            assert_eq!(
                in_chunks(&bytes, chunk_bytes),
                expected,
                "chunks of {chunk_bytes}"
            );
        }
    }
}
