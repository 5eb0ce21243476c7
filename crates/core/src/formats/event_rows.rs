//! Turning the rows of a CSV export into events, on both cores.
//!
//! Reading CSV records is about a quarter of the work; checking a row, building its event and
//! keeping what the caller needs of it is most of the rest. The calling thread reads records in
//! batches and hands them in turn to two workers, which convert them; it takes the results back
//! in the order it handed them out. Everything that depends on order (repeated ids, the skip
//! log, what `accept` sees) happens on the calling thread, so the outcome is the same as reading
//! the rows one by one. Batches come back with their rows, whose memory the next read reuses.

use super::csv_table::{CsvHeader, CsvRow, CsvTable, RowProblem, RowToEvent};
use super::skips::SkipLog;
use crate::error::LoadError;
use crate::model::StrikeEvent;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Rows read before a batch is handed over; cancellation is asked once per batch.
const BATCH_ROWS: usize = 2048;
/// Workers converting batches while the calling thread reads the next ones.
const WORKERS: usize = 2;

/// What became of one row: the event's id and what the caller keeps of it, or where and why
/// the row is skipped.
pub(crate) type Outcome<T> = Result<(String, T), (String, String)>;

/// A batch of rows and, once converted, the outcome of each.
struct Batch<T> {
    rows: Vec<CsvRow>,
    filled: usize,
    outcomes: Vec<Outcome<T>>,
}

/// The way to a worker and back.
type Worker<T> = (SyncSender<Batch<T>>, Receiver<Batch<T>>);

/// Reads every row of `table` with `row_to_event`; `keep` turns each event that passes into
/// what the caller keeps (on a worker thread, so the event is dropped there), and `accept` gets
/// those, with the event's id, in file order. Returns what was skipped (a wrong field count, a refused row, a repeated
/// id). `keep_going` is asked once per batch of rows and ends the reading with its error, as
/// does a CSV syntax error.
pub(crate) fn for_each_event_row<R: std::io::Read, T: Send>(
    table: &mut CsvTable<R>,
    row_to_event: RowToEvent,
    keep_going: &dyn Fn() -> Result<(), LoadError>,
    keep: impl Fn(&CsvRow, StrikeEvent) -> T + Sync,
    accept: impl FnMut(&str, T),
) -> Result<SkipLog, LoadError> {
    read_in_batches(table, row_to_event, keep_going, keep, accept, BATCH_ROWS)
}

fn read_in_batches<R: std::io::Read, T: Send>(
    table: &mut CsvTable<R>,
    row_to_event: RowToEvent,
    keep_going: &dyn Fn() -> Result<(), LoadError>,
    keep: impl Fn(&CsvRow, StrikeEvent) -> T + Sync,
    mut accept: impl FnMut(&str, T),
    batch_rows: usize,
) -> Result<SkipLog, LoadError> {
    let header = table.header.clone();
    let batch_rows = batch_rows.max(1);
    let (header, keep) = (&header, &keep);
    std::thread::scope(|scope| {
        let mut workers: Vec<Worker<T>> = Vec::new();
        for _ in 0..WORKERS {
            let (to_worker, work) = sync_channel::<Batch<T>>(1);
            let (done, from_worker) = sync_channel::<Batch<T>>(1);
            scope.spawn(move || {
                for mut batch in work {
                    let rows = batch.rows.get(..batch.filled).unwrap_or_default();
                    batch.outcomes.clear();
                    batch.outcomes.extend(
                        rows.iter()
                            .map(|row| convert_row(row, header, row_to_event, keep)),
                    );
                    if done.send(batch).is_err() {
                        return;
                    }
                }
            });
            workers.push((to_worker, from_worker));
        }

        let mut settler = RowSettler::new(header);
        let mut take_back = |batch: &mut Batch<T>| {
            let rows = batch.rows.get(..batch.filled).unwrap_or_default();
            for (row, outcome) in rows.iter().zip(batch.outcomes.drain(..)) {
                settler.settle(row, outcome, &mut accept);
            }
        };
        // Batches out with a worker, oldest first, and emptied ones to read into.
        let mut relay = Relay::new(workers);
        let mut spare: Vec<Batch<T>> = Vec::new();
        let mut ended = false;
        while !ended || relay.any_out() {
            if !ended && relay.can_hand_out() {
                keep_going()?;
                let mut batch = spare.pop().unwrap_or_else(|| Batch {
                    rows: Vec::with_capacity(batch_rows),
                    filled: 0,
                    outcomes: Vec::with_capacity(batch_rows),
                });
                batch.filled = 0;
                while batch.filled < batch_rows {
                    if batch.rows.len() == batch.filled {
                        batch.rows.push(CsvRow::default());
                    }
                    let Some(row) = batch.rows.get_mut(batch.filled) else {
                        break;
                    };
                    if !table.next_row_into(row)? {
                        ended = true;
                        break;
                    }
                    batch.filled += 1;
                }
                if batch.filled > 0 && !relay.hand_out(batch) {
                    break; // the worker is gone: its panic is raised when the scope ends
                }
                continue;
            }
            let Some(mut batch) = relay.take_back() else {
                break; // as above, or none out
            };
            take_back(&mut batch);
            spare.push(batch);
        }
        Ok(settler.skips)
    })
}

/// Work handed in turn to workers and taken back in the order it was handed out.
pub(crate) struct Relay<C> {
    workers: Vec<(SyncSender<C>, Receiver<C>)>,
    /// The workers that have work, oldest first.
    out: std::collections::VecDeque<usize>,
    next: usize,
}

impl<C> Relay<C> {
    pub fn new(workers: Vec<(SyncSender<C>, Receiver<C>)>) -> Self {
        Self {
            out: std::collections::VecDeque::with_capacity(workers.len()),
            workers,
            next: 0,
        }
    }

    pub fn any_out(&self) -> bool {
        !self.out.is_empty()
    }

    /// Whether a worker is free for more.
    pub fn can_hand_out(&self) -> bool {
        self.out.len() < self.workers.len()
    }

    /// Hands `work` to the next worker; false when that worker is gone (its panic is raised
    /// when the thread scope ends).
    pub fn hand_out(&mut self, work: C) -> bool {
        let Some((to_worker, _)) = self.workers.get(self.next) else {
            return false;
        };
        if to_worker.send(work).is_err() {
            return false;
        }
        self.out.push_back(self.next);
        self.next = (self.next + 1) % self.workers.len();
        true
    }

    /// The oldest work handed out, done; `None` when none is out or its worker is gone.
    pub fn take_back(&mut self) -> Option<C> {
        let worker = self.out.pop_front()?;
        self.workers.get(worker)?.1.recv().ok()
    }
}

/// What depends on the order of rows, taken in file order: repeated ids, the skip log and the
/// one warning about day-first dates.
pub(crate) struct RowSettler<'h> {
    header: &'h CsvHeader,
    pub skips: SkipLog,
    seen_ids: crate::fast_hash::FastHashSet<String>,
    /// Said once, at the first row whose date the file's era decided.
    day_first_unsaid: Option<&'static str>,
}

impl<'h> RowSettler<'h> {
    pub fn new(header: &'h CsvHeader) -> Self {
        Self {
            header,
            skips: SkipLog::default(),
            seen_ids: crate::fast_hash::FastHashSet::default(),
            day_first_unsaid: header.day_first_era,
        }
    }

    /// Takes the next row's outcome: `accept` gets a row that passes and whose id is new.
    pub fn settle<T>(
        &mut self,
        row: &CsvRow,
        outcome: Outcome<T>,
        accept: &mut impl FnMut(&str, T),
    ) {
        let header = self.header;
        if outcome.is_ok()
            && let Some(why) = self.day_first_unsaid
            && read_day_first(row, header)
        {
            self.skips.warn(
                RowProblem::new("event_date", String::new()).place(row.line, header),
                format!(
                    "dates whose day and month could be either (such as {:?}) are read \
                     day first (dd/mm/yyyy): {why}",
                    row.value(header, "event_date").unwrap_or_default()
                ),
            );
            self.day_first_unsaid = None;
        }
        match outcome {
            Ok((id, _)) if self.seen_ids.contains(id.as_str()) => self.skips.push(
                format!("line {}", row.line),
                format!("event id {id:?} is used by an earlier row"),
            ),
            Ok((id, kept)) => {
                accept(&id, kept);
                self.seen_ids.insert(id);
            }
            Err((place, reason)) => self.skips.push(place, reason),
        }
    }
}

/// Whether the row's date reads one way only because the file's era wrote dates day first.
fn read_day_first(row: &CsvRow, header: &CsvHeader) -> bool {
    row.value(header, "event_date").is_some_and(|text| {
        super::dates::parse_dataset_date_reading(text, header.ambiguous_dates())
            .is_ok_and(|(_, by_convention)| by_convention)
    })
}

/// A row with the header's field count, through `row_to_event` and `keep`; or where and why it
/// is skipped.
fn convert_row<T>(
    row: &CsvRow,
    header: &CsvHeader,
    row_to_event: RowToEvent,
    keep: &impl Fn(&CsvRow, StrikeEvent) -> T,
) -> Outcome<T> {
    match row_event(row, header, row_to_event) {
        Ok(event) => Ok((event.id().to_owned(), keep(row, event))),
        Err(problem) => Err((problem.place(row.line, header), problem.reason)),
    }
}

/// The event of a row that has the header's field count and passes `row_to_event`: the check
/// every row gets, when loaded and when read again.
pub(crate) fn row_event(
    row: &CsvRow,
    header: &CsvHeader,
    row_to_event: RowToEvent,
) -> Result<StrikeEvent, RowProblem> {
    if row.field_count() != header.names.len() {
        return Err(RowProblem::new(
            "",
            format!(
                "has {} fields, the header has {} (a stray delimiter, or a quote left open?)",
                row.field_count(),
                header.names.len()
            ),
        ));
    }
    row_to_event(row, header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::acled::acled_event;

    /// The plain reading the batches must equal: one row at a time, on one thread.
    fn one_by_one(text: &str) -> (Vec<(u64, String)>, Vec<String>, usize) {
        let mut table = CsvTable::open("t.csv", text).unwrap();
        let mut accepted = Vec::new();
        let mut skips = SkipLog::default();
        let mut seen = std::collections::HashSet::new();
        while let Some(row) = table.next_row().unwrap() {
            if row.field_count() != table.header.names.len() {
                skips.push(
                    format!("line {}", row.line),
                    format!(
                        "has {} fields, the header has {} (a stray delimiter, or a quote left open?)",
                        row.field_count(),
                        table.header.names.len()
                    ),
                );
                continue;
            }
            match acled_event(&row, &table.header) {
                Ok(event) if !seen.insert(event.id().to_owned()) => skips.push(
                    format!("line {}", row.line),
                    format!("event id {:?} is used by an earlier row", event.id()),
                ),
                Ok(event) => accepted.push((row.line, event.id().to_owned())),
                Err(problem) => skips.push(problem.place(row.line, &table.header), problem.reason),
            }
        }
        let listed = skips.listed.iter().map(ToString::to_string).collect();
        (accepted, listed, skips.total)
    }

    fn in_batches(text: &str, batch_rows: usize) -> (Vec<(u64, String)>, Vec<String>, usize) {
        in_batches_checking(text, batch_rows, false)
    }

    fn in_batches_checking(
        text: &str,
        batch_rows: usize,
        checks_only: bool,
    ) -> (Vec<(u64, String)>, Vec<String>, usize) {
        let mut table = CsvTable::open("t.csv", text).unwrap();
        table.header.checks_only = checks_only;
        let mut accepted = Vec::new();
        let skips = read_in_batches(
            &mut table,
            acled_event,
            &|| Ok(()),
            |row, event| (row.line, event.id().to_owned()),
            |_, kept| accepted.push(kept),
            batch_rows,
        )
        .unwrap();
        let listed = skips.listed.iter().map(ToString::to_string).collect();
        (accepted, listed, skips.total)
    }

    const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,\
event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,\
interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,\
longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

    /// Rows of every kind: good ones, a repeated id, a bad latitude, a short row, and notes
    /// with quoted commas and newlines.
    fn mixed_rows(count: usize) -> String {
        let mut text = HEADER.to_owned();
        for index in 0..count {
            let id = match index % 7 {
                3 => "PAK1".to_owned(), // repeated
                _ => format!("PAK{index}"),
            };
            let latitude = if index % 11 == 5 { "north" } else { "26.96" };
            if index % 13 == 9 {
                text.push_str("PAK-short,2024-01-16\n");
                continue;
            }
            text.push_str(&format!(
                "{id},2024-01-16,2024,1,Political violence,Explosions/Remote violence,\
Air/drone strike,Military Forces of Iran (1989-),,8,,,0,80,,PAK,Southern Asia,Pakistan,\
Balochistan,Panjgur,,Panjgur,{latitude},64.1,2,Dawn,National,\"row {index}, with a comma\nand a line\",2,,1705400000\n"
            ));
        }
        text
    }

    #[test]
    fn batches_of_any_size_give_the_rows_in_file_order_with_the_same_skips() {
        let text = mixed_rows(1200);
        let expected = one_by_one(&text);
        assert!(expected.0.len() > 500, "most rows load");
        assert!(expected.2 > 200, "and many are skipped: {}", expected.2);
        for batch_rows in [1, 2, 3, 255, 256, 257, 511, 600, 4096] {
            assert_eq!(
                in_batches(&text, batch_rows),
                expected,
                "batch of {batch_rows}"
            );
        }
    }

    #[test]
    fn rows_only_checked_load_and_skip_exactly_as_full_events() {
        let text = mixed_rows(1200);
        let expected = one_by_one(&text);
        for batch_rows in [1, 257, 2048] {
            assert_eq!(
                in_batches_checking(&text, batch_rows, true),
                expected,
                "batch of {batch_rows}"
            );
        }
    }

    #[test]
    fn a_row_that_is_not_utf8_ends_the_reading_with_its_line() {
        let mut bytes = mixed_rows(1000).into_bytes();
        let row_700 = bytes
            .windows(8)
            .position(|window| window == b"row 700,")
            .unwrap();
        bytes[row_700 + 1] = 0xFF;
        let mut table = CsvTable::from_reader("t.csv", bytes.as_slice()).unwrap();
        let result = read_in_batches(
            &mut table,
            acled_event,
            &|| Ok(()),
            |_, _| (),
            |_, ()| {},
            100,
        );
        match result {
            Err(LoadError::Csv { line, message, .. }) => {
                // The header is line 1; a short row takes one line, a full one two.
                let row_700_line = 2
                    + (0..700)
                        .map(|index| if index % 13 == 9 { 1 } else { 2 })
                        .sum::<u64>();
                assert_eq!(line, row_700_line, "{message}");
            }
            other => panic!("expected a CSV error, got {other:?}"),
        }
    }

    #[test]
    fn a_cancel_ends_the_reading_within_a_batch_or_two() {
        let text = mixed_rows(3000);
        let mut table = CsvTable::open("t.csv", &text).unwrap();
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let mut accepted = 0;
        let result = read_in_batches(
            &mut table,
            acled_event,
            &|| {
                if asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 2 {
                    Err(LoadError::Cancelled {
                        file: "t.csv".into(),
                    })
                } else {
                    Ok(())
                }
            },
            |_, _| (),
            |_, ()| accepted += 1,
            500,
        );
        assert!(
            matches!(result, Err(LoadError::Cancelled { .. })),
            "{result:?}"
        );
        assert!(
            accepted <= 1000,
            "stopped after two batches, read {accepted}"
        );
    }
}
