//! The file read a chunk at a time, with what is needed to name any byte's line and column.

use super::split::cut_short;
use crate::error::LoadError;
use serde::de;
use std::io::Read as _;
use std::path::Path;

/// The file, read a chunk at a time, with what is needed to name any byte's line and column.
pub(super) struct ChunkReader<'f> {
    pub(super) file_name: &'f str,
    pub(super) chunk_bytes: usize,
    pub(super) max_value_bytes: usize,
    /// The file, read no further than its size when it was opened.
    pub(super) source: std::io::Take<std::fs::File>,
    pub(super) buf: Vec<u8>,
    /// The next byte to look at, in `buf`.
    pub(super) pos: usize,
    /// File offset of `buf[0]`.
    pub(super) base: u64,
    /// The file, to count lines up to an error (only then: counting them all the time would
    /// cost a pass over every byte).
    pub(super) path: &'f Path,
    pub(super) eof: bool,
}

impl<'f> ChunkReader<'f> {
    pub(super) fn read_error(&self, message: String) -> LoadError {
        LoadError::Read {
            file: self.file_name.to_owned(),
            message,
        }
    }

    /// Drops the bytes before `pos` and reads until at least `want` bytes follow it (or the
    /// file ends).
    pub(super) fn fill(&mut self, want: usize) -> Result<(), LoadError> {
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
    pub(super) fn grow(&mut self) -> Result<(), LoadError> {
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
    pub(super) fn place(&self, at: usize) -> (usize, usize) {
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
    pub(super) fn syntax_error(&self, at: usize, message: String) -> LoadError {
        let (line, column) = self.place(at);
        LoadError::Syntax {
            file: self.file_name.to_owned(),
            line,
            column,
            message,
        }
    }

    /// serde_json's error for a value parsed from `buf[start..]`, placed in the whole file.
    pub(super) fn json_error_at(&self, start: usize, error: &serde_json::Error) -> LoadError {
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
    pub(super) fn peek(&mut self) -> Result<Option<u8>, LoadError> {
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

    pub(super) fn expect(&mut self, wanted: u8, what: &str) -> Result<(), LoadError> {
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
    pub(super) fn parse<T: de::DeserializeOwned>(&mut self) -> Result<T, LoadError> {
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
