//! The byte source under the XML parser ([`super::xml_tree`]): it counts lines and columns as
//! the document streams in, so that every element and error is placed without the document
//! being held whole.

/// Where something is in a document: 1-based line and column (in characters).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: u32,
    pub column: u32,
}

impl Place {
    pub(super) const START: Self = Self { line: 1, column: 1 };

    /// The place after `bytes` that follow this one.
    pub(super) fn after(mut self, bytes: &[u8]) -> Self {
        for &byte in bytes {
            if byte == b'\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                // One per character: UTF-8 continuation bytes do not count.
                self.column = self.column.saturating_add(1);
            }
        }
        self
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// The source under the parser: reads `inner` through a buffer of its own and keeps the bytes
/// consumed since the current event began, so that the place (line, column) of the event and
/// of any byte in it is known without the document being held whole. A UTF-8 byte-order mark
/// at the start is dropped.
pub(super) struct Counted<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    /// Bytes consumed since [`Counted::mark`], and the place and byte offset where they begin.
    consumed: Vec<u8>,
    mark_place: Place,
    mark_byte: u64,
    at_start: bool,
}

impl<R: std::io::Read> Counted<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; 64 << 10].into_boxed_slice(),
            pos: 0,
            filled: 0,
            consumed: Vec::new(),
            mark_place: Place::START,
            mark_byte: 0,
            at_start: true,
        }
    }

    /// An event begins here: its place is known.
    pub(super) fn mark(&mut self) -> Place {
        self.mark_place = self.mark_place.after(&self.consumed);
        self.mark_byte += self.consumed.len() as u64;
        self.consumed.clear();
        self.mark_place
    }

    /// The place of byte `offset` (counted as the parser counts), at or after the mark.
    pub(super) fn place_of(&self, offset: u64) -> Place {
        let within = usize::try_from(offset.saturating_sub(self.mark_byte)).unwrap_or(usize::MAX);
        let bytes = self.consumed.get(..within).unwrap_or(&self.consumed);
        self.mark_place.after(bytes)
    }

    /// The place after everything consumed.
    pub(super) fn here(&self) -> Place {
        self.mark_place.after(&self.consumed)
    }

    /// A problem when the bytes consumed since the mark are not UTF-8. Events begin and end at
    /// ASCII delimiters, so a character is never split between two; only an event not
    /// `complete` (reading stopped inside it) may end in a character cut short.
    pub(super) fn utf8_problem(&self, complete: bool) -> Option<(Place, String)> {
        let error = std::str::from_utf8(&self.consumed).err()?;
        if error.error_len().is_none() && !complete {
            return None;
        }
        let offset = error.valid_up_to();
        let byte = self.consumed.get(offset).copied().unwrap_or_default();
        let absolute = self.mark_byte + offset as u64;
        Some((
            self.place_of(absolute),
            format!(
                "not UTF-8 text (byte 0x{byte:02X} at offset {absolute}); save the file as UTF-8"
            ),
        ))
    }
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead as _;
        let available = self.fill_buf()?;
        let count = available.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..count), available.get(..count)) {
            to.copy_from_slice(from);
        }
        self.consume(count);
        Ok(count)
    }
}

impl<R: std::io::Read> std::io::BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.filled {
            self.filled = self.inner.read(&mut self.buf)?;
            self.pos = 0;
            if self.at_start && self.filled > 0 {
                self.at_start = false;
                // Enough bytes to see a byte-order mark, however the source cuts its reads.
                while self.filled < 3 {
                    let Some(rest) = self.buf.get_mut(self.filled..) else {
                        break;
                    };
                    match self.inner.read(rest)? {
                        0 => break,
                        more => self.filled += more,
                    }
                }
                if self.buf.starts_with(&[0xFF, 0xFE]) || self.buf.starts_with(&[0xFE, 0xFF]) {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the text is UTF-16 (it starts with a UTF-16 byte-order mark); save it \
                         as UTF-8",
                    ));
                }
                if self.buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                    self.pos = 3;
                }
            }
        }
        Ok(self.buf.get(self.pos..self.filled).unwrap_or_default())
    }

    fn consume(&mut self, amount: usize) {
        let end = self.pos.saturating_add(amount).min(self.filled);
        if let Some(bytes) = self.buf.get(self.pos..end) {
            self.consumed.extend_from_slice(bytes);
        }
        self.pos = end;
    }
}
