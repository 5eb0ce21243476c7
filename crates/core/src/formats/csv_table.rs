//! Reading a CSV export as a header and rows with line numbers: quoted fields may span lines,
//! "NA" and empty fields are missing values, header names are matched case-insensitively (pre-2019
//! ACLED exports used UPPERCASE) and old names stand for current ones
//! ([`super::column_names`]), and a second header row of HXL hashtags is not data.

use crate::error::LoadError;
use csv::StringRecord;

/// A CSV header: the names as written, and the keys they are looked up by.
#[derive(Clone, Debug)]
pub(crate) struct CsvHeader {
    /// As written in the file, for messages and the raw row.
    pub names: Vec<String>,
    /// Each column's key (trimmed, lower-case, old names replaced by current ones, see
    /// [`super::column_names`]) and the first column that has it, for lookups on every row.
    positions: crate::fast_hash::FastHashMap<String, usize>,
    /// Whether rows read under this header are only checked, their events keeping just what a
    /// table keeps (id, date, position, precision): no title, notes, actors, sources or raw
    /// (column, value) pairs, which are most of a row's allocations. A table, which reads a
    /// row again when it is shown, turns this on; which rows load and which are skipped does
    /// not depend on it (every check comes before the text is copied).
    pub checks_only: bool,
    /// Why ambiguous numeric dates are read day first, when the column set tells
    /// ([`super::column_names::day_first_dates_era`]).
    pub day_first_era: Option<&'static str>,
}

impl CsvHeader {
    fn new(record: &StringRecord) -> Self {
        let names: Vec<String> = record.iter().map(|name| name.trim().to_owned()).collect();
        let keys = names
            .iter()
            .map(|name| super::column_names::column_key(name))
            .collect::<Vec<String>>();
        let mut positions = crate::fast_hash::FastHashMap::default();
        for (index, key) in keys.into_iter().enumerate() {
            positions.entry(key).or_insert(index);
        }
        Self {
            day_first_era: super::column_names::day_first_dates_era(&names),
            names,
            positions,
            checks_only: false,
        }
    }

    /// How this file's ambiguous numeric dates are read.
    pub fn ambiguous_dates(&self) -> super::dates::AmbiguousDates {
        match self.day_first_era {
            Some(_) => super::dates::AmbiguousDates::DayFirst,
            None => super::dates::AmbiguousDates::Refused,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.index(key).is_some()
    }

    pub fn index(&self, key: &str) -> Option<usize> {
        self.positions.get(key).copied()
    }

    /// True when every name with a letter is written in capitals (pre-2019 ACLED).
    pub fn is_upper_case(&self) -> bool {
        let mut with_letters = self
            .names
            .iter()
            .filter(|name| name.chars().any(char::is_alphabetic))
            .peekable();
        with_letters.peek().is_some()
            && with_letters.all(|name| !name.chars().any(char::is_lowercase))
    }

    /// The keys of `required` that the header lacks.
    pub fn missing<'k>(&self, required: &[&'k str]) -> Vec<&'k str> {
        required
            .iter()
            .copied()
            .filter(|key| !self.has(key))
            .collect()
    }
}

/// Reads just the first record of `text` as a header, with the given delimiter.
pub(crate) fn read_header(text: &str, delimiter: u8) -> Option<CsvHeader> {
    let mut reader = reader_for(text, delimiter);
    let mut record = StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => Some(CsvHeader::new(&record)),
        Ok(false) | Err(_) => None,
    }
}

fn reader_for(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    reader_over(text.as_bytes(), delimiter)
}

pub(super) fn reader_over<R: std::io::Read>(source: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // Large exports stream through this reader: fewer, larger reads of its own buffer.
        .buffer_capacity(1 << 18)
        .from_reader(source)
}

/// Turns a row into an event, or says what is wrong with it.
pub(crate) type RowToEvent =
    fn(&CsvRow, &CsvHeader) -> Result<crate::model::StrikeEvent, RowProblem>;

/// One data row: the line it starts on and its fields.
#[derive(Default)]
pub(crate) struct CsvRow {
    pub line: u64,
    /// Byte offset of the record's start in the text.
    pub byte: u64,
    /// Byte offset just past the record (and its line ending).
    pub end: u64,
    pub(super) record: StringRecord,
}

impl CsvRow {
    /// The trimmed value of a column, or `None` when the column is absent, the field is empty
    /// or it is the literal `NA`.
    pub fn value<'r>(&'r self, header: &CsvHeader, key: &str) -> Option<&'r str> {
        let value = self.record.get(header.index(key)?)?.trim();
        (!value.is_empty() && value != "NA").then_some(value)
    }

    /// The row as (column, value) pairs in file order, values as written; none when the header
    /// says rows are only checked ([`CsvHeader::checks_only`]).
    pub fn raw_pairs(&self, header: &CsvHeader) -> Vec<(String, String)> {
        if header.checks_only {
            return Vec::new();
        }
        header
            .names
            .iter()
            .zip(self.record.iter())
            .map(|(name, value)| (name.clone(), value.to_owned()))
            .collect()
    }

    pub fn field_count(&self) -> usize {
        self.record.len()
    }

    /// The value of a column that every row must fill.
    pub fn required<'r>(&'r self, header: &CsvHeader, key: &str) -> Result<&'r str, RowProblem> {
        self.value(header, key)
            .ok_or_else(|| RowProblem::new(key, "is empty or NA; this column is required".into()))
    }

    /// The value of a column parsed as a number, `None` when missing.
    pub fn number<T: std::str::FromStr>(
        &self,
        header: &CsvHeader,
        key: &str,
        expected: &str,
    ) -> Result<Option<T>, RowProblem> {
        self.value(header, key)
            .map(|text| {
                text.parse::<T>()
                    .map_err(|_| RowProblem::new(key, format!("{text:?} is not {expected}")))
            })
            .transpose()
    }

    /// A longitude/latitude pair from two columns: finite and within range.
    pub fn lon_lat(
        &self,
        header: &CsvHeader,
        lon_key: &str,
        lat_key: &str,
    ) -> Result<crate::model::LonLat, RowProblem> {
        let coordinate = |key: &str, limit: f64| -> Result<f64, RowProblem> {
            let text = self.required(header, key)?;
            let value: f64 = text
                .parse()
                .map_err(|_| RowProblem::new(key, format!("{text:?} is not a number")))?;
            if !value.is_finite() {
                return Err(RowProblem::new(
                    key,
                    format!("{text:?} is not a finite number"),
                ));
            }
            if value.abs() > limit {
                return Err(RowProblem::new(
                    key,
                    format!("{value} is outside -{limit}..{limit}"),
                ));
            }
            Ok(value)
        };
        let lat = coordinate(lat_key, 90.0)?;
        let lon = coordinate(lon_key, 180.0)?;
        Ok(crate::model::LonLat { lon, lat })
    }
}

/// Parses single records handed to it one after another (rows read again from their file),
/// with one parser throughout: building a CSV parser costs more than parsing a row with it.
pub(crate) struct RecordParser {
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    row: CsvRow,
}

impl RecordParser {
    pub fn new() -> Self {
        Self {
            reader: reader_over(std::io::Cursor::new(Vec::new()), b','),
            row: CsvRow::default(),
        }
    }

    /// Where to put the next record's bytes, before [`RecordParser::parse`].
    pub fn bytes_mut(&mut self) -> &mut Vec<u8> {
        self.reader.get_mut().get_mut()
    }

    /// The first record of the bytes put in, `None` when they hold none. Its line is 0: it is
    /// no longer read in its file.
    pub fn parse(&mut self, file: &str) -> Result<Option<&CsvRow>, LoadError> {
        // Back to the start of the new bytes, with the parser's state reset.
        self.reader
            .seek_raw(std::io::SeekFrom::Start(0), csv::Position::new())
            .map_err(|error| csv_error(file, &error))?;
        let found = self
            .reader
            .read_record(&mut self.row.record)
            .map_err(|error| csv_error(file, &error))?;
        self.row.end = self.reader.position().byte();
        Ok(found.then_some(&self.row))
    }
}

/// Why a row was skipped: the column at fault (empty for the whole row) and the reason.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RowProblem {
    pub column: String,
    pub reason: String,
}

impl RowProblem {
    pub fn new(column: &str, reason: String) -> Self {
        Self {
            column: column.to_owned(),
            reason,
        }
    }

    /// "line 14, column latitude" or "line 14".
    pub fn place(&self, line: u64, header: &CsvHeader) -> String {
        if self.column.is_empty() {
            format!("line {line}")
        } else {
            // Name the column as the file writes it.
            let name = header
                .index(&self.column)
                .and_then(|index| header.names.get(index))
                .map_or(self.column.as_str(), String::as_str);
            format!("line {line}, column {name}")
        }
    }
}

/// A CSV file opened past its header (and past an HXL hashtag row, if there is one), read
/// from text in memory or streamed from a file.
pub(crate) struct CsvTable<R> {
    file: String,
    pub header: CsvHeader,
    reader: csv::Reader<R>,
    pending: Option<CsvRow>,
}

impl<'t> CsvTable<&'t [u8]> {
    pub fn open(file: &str, text: &'t str) -> Result<Self, LoadError> {
        Self::from_reader(file, text.as_bytes())
    }
}

impl<R: std::io::Read> CsvTable<R> {
    /// Reads the header from `source`; byte offsets of rows count from its start.
    pub fn from_reader(file: &str, source: R) -> Result<Self, LoadError> {
        let mut reader = reader_over(source, b',');
        let mut record = StringRecord::new();
        let has_header = reader
            .read_record(&mut record)
            .map_err(|error| csv_error(file, &error))?;
        if !has_header {
            return Err(LoadError::Document {
                file: file.to_owned(),
                message: "the file has no header row".into(),
            });
        }
        let header = CsvHeader::new(&record);
        let mut table = Self {
            file: file.to_owned(),
            header,
            reader,
            pending: None,
        };
        if let Some(first) = table.read_row()?
            && !is_hxl_row(&first.record)
        {
            table.pending = Some(first);
        }
        Ok(table)
    }

    /// Byte offset in the text where the data rows begin (after the header and any HXL row).
    pub fn data_start(&self) -> u64 {
        self.pending
            .as_ref()
            .map_or_else(|| self.reader.position().byte(), |row| row.byte)
    }

    /// The line where the data rows begin, as the reader numbers the first one.
    pub fn data_start_line(&self) -> u64 {
        self.pending
            .as_ref()
            .map_or_else(|| self.reader.position().line(), |row| row.line)
    }

    /// The next data row, `None` at the end. A CSV syntax error ends the file with an error.
    #[cfg(test)]
    pub fn next_row(&mut self) -> Result<Option<CsvRow>, LoadError> {
        match self.pending.take() {
            Some(row) => Ok(Some(row)),
            None => self.read_row(),
        }
    }

    /// Reads the next data row into `row`, reusing its memory; false at the end. A CSV syntax
    /// error ends the file with an error.
    pub fn next_row_into(&mut self, row: &mut CsvRow) -> Result<bool, LoadError> {
        if let Some(pending) = self.pending.take() {
            *row = pending;
            return Ok(true);
        }
        let more = self
            .reader
            .read_record(&mut row.record)
            .map_err(|error| csv_error(&self.file, &error))?;
        if more {
            row.line = row.record.position().map_or(0, csv::Position::line);
            row.byte = row.record.position().map_or(0, csv::Position::byte);
            row.end = self.reader.position().byte();
        }
        Ok(more)
    }

    fn read_row(&mut self) -> Result<Option<CsvRow>, LoadError> {
        let mut record = StringRecord::new();
        let more = self
            .reader
            .read_record(&mut record)
            .map_err(|error| csv_error(&self.file, &error))?;
        if !more {
            return Ok(None);
        }
        let line = record.position().map_or(0, csv::Position::line);
        let byte = record.position().map_or(0, csv::Position::byte);
        let end = self.reader.position().byte();
        Ok(Some(CsvRow {
            line,
            byte,
            end,
            record,
        }))
    }
}

/// HXL (Humanitarian Exchange Language) puts hashtags such as `#date` or `#geo+lat` in a second
/// header row; every non-empty field of such a row starts with `#`.
fn is_hxl_row(record: &StringRecord) -> bool {
    let mut filled = record
        .iter()
        .map(str::trim)
        .filter(|field| !field.is_empty())
        .peekable();
    filled.peek().is_some() && filled.all(|field| field.starts_with('#'))
}

/// What is wrong, without the record's number and byte (the error's line says where), so
/// that a row parsed in a chunk ([`super::csv_split`]) is described as in a front-to-back read.
fn csv_problem(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not UTF-8 text (near byte {} of the field)",
            err.field() + 1,
            err.valid_up_to()
        ),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => error.to_string(),
    }
}

pub(super) fn csv_error(file: &str, error: &csv::Error) -> LoadError {
    let line = error.position().map_or(0, csv::Position::line);
    LoadError::Csv {
        file: file.to_owned(),
        line,
        column: String::new(),
        message: format!("not readable as CSV: {}", csv_problem(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_newlines_keep_the_starting_line_and_na_is_missing() {
        let text = "a,B,c\n1,\"two\nlines\",NA\n3, x ,\n";
        let mut table = CsvTable::open("t.csv", text).unwrap();
        let first = table.next_row().unwrap().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.value(&table.header, "b"), Some("two\nlines"));
        assert_eq!(first.value(&table.header, "c"), None);
        let second = table.next_row().unwrap().unwrap();
        assert_eq!(second.line, 4);
        assert_eq!(second.value(&table.header, "b"), Some("x"));
        assert_eq!(second.value(&table.header, "c"), None);
        assert!(table.next_row().unwrap().is_none());
    }

    #[test]
    fn an_hxl_row_is_not_data() {
        let text = "date_start,latitude\n#date+start,#geo+lat\n2024-01-16,26.9\n";
        let mut table = CsvTable::open("t.csv", text).unwrap();
        assert_eq!(table.next_row().unwrap().unwrap().line, 3);
    }

    #[test]
    fn upper_case_and_old_names_are_recognised() {
        let header = read_header("EVENT_DATE,ALLY_ACTOR_1,LATITUDE\n", b',').unwrap();
        assert!(header.is_upper_case());
        assert!(header.has("event_date"));
        assert!(header.has("assoc_actor_1"));
        assert_eq!(header.missing(&["latitude", "longitude"]), ["longitude"]);
    }
}
