//! Parsing a CSV's rows on several threads with verified splits, the way the GeoJSON table
//! reader splits its features ([`crate::table`]'s `geojson::split`).
//!
//! The rows are cut into chunks at line breaks, and each chunk is parsed on its own as if it
//! began a record (outside any quotes) by [`parse_chunk`]. A line break may lie inside a quoted
//! field, so that guess is checked when the chunks are joined in file order ([`Joiner`]): a
//! chunk's parse is kept only when the parse before it, which is proven, stopped at a record's
//! end with nothing but blank-line bytes (`\r`, `\n`) up to the chunk's start; that is the only
//! case in which a front-to-back parse would be at a record's start there too. Otherwise the
//! chunk is parsed again from the true end of the last record. Rows, lines, byte offsets and
//! errors come out exactly as one front-to-back parse gives them.

use super::csv_table::{CsvRow, csv_error, reader_over};
use crate::error::LoadError;

/// One chunk's rows, parsed as if the chunk began a record.
pub(crate) struct ChunkRows {
    /// Byte offset of the chunk in the text the rows are numbered in.
    start: u64,
    /// The rows that ended in the chunk: byte offsets absolute, lines counted from 1 at `start`.
    rows: Vec<CsvRow>,
    /// Byte offset just past the last row (`start` when none), and its line as above.
    end: u64,
    end_line: u64,
    /// A syntax error (a field that is not UTF-8), with the byte where its record starts.
    error: Option<(u64, LoadError)>,
}

impl ChunkRows {
    /// The rows, lines counted from 1 at the chunk's start until joined.
    pub fn rows(&self) -> &[CsvRow] {
        &self.rows
    }
}

/// Reads a chunk's bytes, then says `WouldBlock` (unless it is the last chunk): a record cut
/// at the chunk's end is then not taken as a record ended by the end of the file.
struct ChunkInput<'b> {
    bytes: &'b [u8],
    last: bool,
}

impl std::io::Read for ChunkInput<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.bytes.is_empty() && !self.last {
            return Err(std::io::ErrorKind::WouldBlock.into());
        }
        let count = out.len().min(self.bytes.len());
        let (now, later) = self.bytes.split_at(count);
        out.get_mut(..count)
            .unwrap_or_default()
            .copy_from_slice(now);
        self.bytes = later;
        Ok(count)
    }
}

/// Parses `bytes`, which begin at byte `start` of `file`'s text, as if they began a record.
/// Unless `last`, a record still open at their end is left out (the next chunk has the rest).
pub(crate) fn parse_chunk(file: &str, bytes: &[u8], start: u64, last: bool) -> ChunkRows {
    parse_chunk_into(file, bytes, start, last, Vec::new())
}

/// [`parse_chunk`], reading into the memory of `spare` rows (those of a chunk already used).
pub(crate) fn parse_chunk_into(
    file: &str,
    bytes: &[u8],
    start: u64,
    last: bool,
    spare: Vec<CsvRow>,
) -> ChunkRows {
    let mut reader = reader_over(ChunkInput { bytes, last }, b',');
    let mut spare = spare.into_iter();
    let mut parsed = ChunkRows {
        start,
        rows: Vec::with_capacity(spare.len()),
        end: start,
        end_line: 1,
        error: None,
    };
    loop {
        let mut row = spare.next().unwrap_or_default();
        match reader.read_record(&mut row.record) {
            Ok(true) => {
                let at = row.record.position();
                row.line = at.map_or(1, csv::Position::line);
                row.byte = start + at.map_or(0, csv::Position::byte);
                let after = reader.position();
                row.end = start + after.byte();
                parsed.end = row.end;
                parsed.end_line = after.line();
                parsed.rows.push(row);
            }
            Ok(false) => break,
            Err(error) => {
                if let csv::ErrorKind::Io(io) = error.kind()
                    && io.kind() == std::io::ErrorKind::WouldBlock
                {
                    break;
                }
                let byte = error.position().map_or(0, csv::Position::byte);
                parsed.error = Some((start + byte, csv_error(file, &error)));
                break;
            }
        }
    }
    parsed
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|&byte| byte == b'\r' || byte == b'\n')
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&byte| byte == b'\n').count() as u64
}

/// A chunk's rows in file order, and the CSV error that ends the reading, if one does.
pub(crate) struct JoinedRows {
    pub rows: Vec<CsvRow>,
    pub error: Option<LoadError>,
    /// Whether the rows are a new parse (the chunk did not start at a record), not the
    /// chunk's own parse with lines and offsets set.
    pub reparsed: bool,
}

/// Joins chunk parses in file order, keeping each one proven to start at a record and parsing
/// the others again from the true end of the last record.
pub(crate) struct Joiner {
    file: String,
    /// Where the next chunk starts, and the line there.
    next_start: u64,
    next_line: u64,
    /// Just past the last proven record (its line), and the bytes from there to `next_start`.
    end: u64,
    end_line: u64,
    since_end: Vec<u8>,
    /// Whether a chunk whose start is not proven is still taken (only to show, in tests, that
    /// the check is needed).
    #[cfg(test)]
    trust_splits: bool,
}

impl Joiner {
    /// Chunks begin at byte `start` of the text, a record's start, on line `line`.
    pub fn new(file: &str, start: u64, line: u64) -> Self {
        Self {
            file: file.to_owned(),
            next_start: start,
            next_line: line,
            end: start,
            end_line: line,
            since_end: Vec::new(),
            #[cfg(test)]
            trust_splits: false,
        }
    }

    /// The rows of the next chunk, `bytes`, parsed by [`parse_chunk`] as `parsed`, with their
    /// lines and offsets those of a front-to-back parse, and the first CSV error, at its line
    /// (the rows before it in the chunk come with it; nothing after it is read).
    pub fn join(&mut self, parsed: ChunkRows, bytes: &[u8], last: bool) -> JoinedRows {
        let start = self.next_start;
        let start_line = self.next_line;
        self.next_start = start + bytes.len() as u64;
        self.next_line = start_line + count_newlines(bytes);
        #[cfg(test)]
        let proven = self.trust_splits || is_blank(&self.since_end);
        #[cfg(not(test))]
        let proven = is_blank(&self.since_end);
        let (mut parsed, base_line, reparsed) = if proven && parsed.start == start {
            (parsed, start_line, None)
        } else {
            // The chunk may begin inside a quoted field: parse it again from the last record.
            let mut from_end = std::mem::take(&mut self.since_end);
            from_end.extend_from_slice(bytes);
            let parsed = parse_chunk(&self.file, &from_end, self.end, last);
            (parsed, self.end_line, Some(from_end))
        };
        let parse_start = parsed.start;
        let was_reparsed = reparsed.is_some();
        let absolute = |line: u64| line + base_line - 1;
        for row in &mut parsed.rows {
            row.line = absolute(row.line);
        }
        // A record after blank lines starts, front to back, where the last record ended.
        if let Some(first) = parsed.rows.first_mut()
            && first.byte == parse_start
        {
            first.byte = self.end;
            first.line = self.end_line;
        }
        if let Some((byte, mut error)) = parsed.error {
            if let LoadError::Csv { line, .. } = &mut error {
                *line = if byte == parse_start {
                    self.end_line
                } else {
                    absolute(*line)
                };
            }
            return JoinedRows {
                rows: parsed.rows,
                error: Some(error),
                reparsed: was_reparsed,
            };
        }
        if parsed.rows.is_empty() {
            match reparsed {
                Some(from_end) => self.since_end = from_end,
                None => self.since_end.extend_from_slice(bytes),
            }
        } else {
            let source = reparsed.as_deref().unwrap_or(bytes);
            let tail_from = usize::try_from(parsed.end - parse_start).unwrap_or(usize::MAX);
            self.since_end = source.get(tail_from..).unwrap_or_default().to_vec();
            self.end = parsed.end;
            self.end_line = absolute(parsed.end_line);
        }
        JoinedRows {
            rows: parsed.rows,
            error: None,
            reparsed: was_reparsed,
        }
    }
}

/// Where to cut `bytes` into chunks of about `chunk_bytes`: just after a line break, or at the
/// end.
pub(crate) fn cut_points(bytes: &[u8], chunk_bytes: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut from = 0;
    while from < bytes.len() {
        let aim = from.saturating_add(chunk_bytes.max(1)).min(bytes.len());
        let cut = bytes
            .get(aim..)
            .unwrap_or_default()
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(bytes.len(), |at| aim + at + 1);
        cuts.push(cut);
        from = cut;
    }
    cuts
}

/// A row as compared: line, byte range and fields.
type SeenRow = (u64, u64, u64, Vec<String>);

/// Every row of `bytes` by one front-to-back csv reader, as
/// [`super::csv_table::CsvTable`] reads them, and the line of the error that ends them.
fn front_to_back(bytes: &[u8]) -> Result<(Vec<SeenRow>, Option<String>), csv::Error> {
    let mut reader = reader_over(bytes, b',');
    let mut seen = Vec::new();
    loop {
        let mut record = csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => {
                let at = record.position();
                let fields = record.iter().map(str::to_owned).collect();
                seen.push((
                    at.map_or(0, csv::Position::line),
                    at.map_or(0, csv::Position::byte),
                    reader.position().byte(),
                    fields,
                ));
            }
            Ok(false) => return Ok((seen, None)),
            Err(error) => {
                return Ok((seen, Some(csv_error("t.csv", &error).to_string())));
            }
        }
    }
}

/// The same rows from `bytes` cut into chunks of about `chunk_bytes`, each parsed on its own,
/// then joined; `trust_splits` skips the check (only tests ask, to show it is needed).
fn split(
    bytes: &[u8],
    chunk_bytes: usize,
    trust_splits: bool,
) -> Result<(Vec<SeenRow>, Option<String>), csv::Error> {
    let mut joiner = Joiner::new("t.csv", 0, 1);
    #[cfg(test)]
    {
        joiner.trust_splits = trust_splits;
    }
    #[cfg(not(test))]
    let _ = trust_splits;
    let cuts = cut_points(bytes, chunk_bytes);
    let mut seen = Vec::new();
    let mut from = 0;
    for (index, &cut) in cuts.iter().enumerate() {
        let chunk = bytes.get(from..cut).unwrap_or_default();
        let last = index + 1 == cuts.len();
        let parsed = parse_chunk("t.csv", chunk, from as u64, last);
        let joined = joiner.join(parsed, chunk, last);
        seen.extend(joined.rows.into_iter().map(|row| {
            let fields = row.record.iter().map(str::to_owned).collect();
            (row.line, row.byte, row.end, fields)
        }));
        if let Some(error) = joined.error {
            return Ok((seen, Some(error.to_string())));
        }
        from = cut;
    }
    Ok((seen, None))
}

/// Whether the split parse of `bytes` in chunks of about `chunk_bytes` gives what one
/// front-to-back parse gives (rows, lines, byte ranges, the error and its line); what differs if not.
/// For the fuzz target `fuzz_csv_split`.
pub fn check_split_parse(bytes: &[u8], chunk_bytes: usize) -> Result<(), String> {
    let expected = front_to_back(bytes).map_err(|error| error.to_string())?;
    let got = split(bytes, chunk_bytes, false).map_err(|error| error.to_string())?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "chunks of {chunk_bytes}: split {got:?}, front to back {expected:?}"
        ))
    }
}

#[cfg(test)]
#[path = "csv_split_tests.rs"]
mod tests;
