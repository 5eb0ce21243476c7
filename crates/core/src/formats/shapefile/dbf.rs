//! The `.dbf` (dBASE) attribute table of a shapefile: a header, 32-byte field descriptors and
//! fixed-width records. Text is decoded in the encoding the `.cpg` names, else the one the
//! header's language-driver byte names, else UTF-8 when every text is valid UTF-8, else
//! Windows-1252 with a warning. Field types: C (text), N and F (numbers; an integer when it has
//! no decimals), D (dates, as YYYY-MM-DD), L (true, false), M (memo, read from the `.dbt` when
//! given), I (a 4-byte integer); any other is read as text. Blank values are NULL.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde_json::{Map, Number, Value};

pub(super) struct Field {
    pub name: String,
    kind: u8,
    offset: usize,
    length: usize,
    decimals: u8,
}

pub(super) struct Dbf<'a> {
    bytes: &'a [u8],
    memo: Option<&'a [u8]>,
    pub fields: Vec<Field>,
    pub record_count: usize,
    header_length: usize,
    record_length: usize,
    encoding: &'static Encoding,
    /// How the encoding was chosen, when it was a guess.
    pub encoding_warning: Option<String>,
}

/// The encoding a `.cpg` names: "UTF-8", "65001", "1252", "CP1251", "ISO-8859-1", "88591"…
fn encoding_of_cpg(cpg: &str) -> Option<&'static Encoding> {
    let label = cpg
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase();
    let label = label.strip_prefix("ansi ").unwrap_or(&label);
    let label = match label {
        "65001" | "utf8" => "utf-8",
        "88591" => "iso-8859-1",
        digits if digits.chars().all(|c| c.is_ascii_digit()) && digits.len() == 4 => {
            return Encoding::for_label(format!("windows-{digits}").as_bytes());
        }
        other => other,
    };
    Encoding::for_label(label.as_bytes())
}

/// The encoding of a dBASE language-driver id (byte 29 of the header), as GDAL reads it.
fn encoding_of_driver(id: u8) -> Option<&'static Encoding> {
    let label: &[u8] = match id {
        0x03 | 0x57 | 0x58 | 0x59 => b"windows-1252",
        0x26 | 0x65 => b"ibm866",
        0x4D | 0x7A => b"gbk",
        0x4E | 0x79 => b"euc-kr",
        0x4F | 0x78 => b"big5",
        0x13 | 0x7B => b"shift_jis",
        0x50 | 0x7C => b"windows-874",
        0x7D => b"windows-1255",
        0x7E => b"windows-1256",
        0xC8 => b"windows-1250",
        0xC9 => b"windows-1251",
        0xCA => b"windows-1254",
        0xCB => b"windows-1253",
        0xCC => b"windows-1257",
        _ => return None,
    };
    Encoding::for_label(label)
}

fn u16_le(bytes: &[u8], at: usize) -> usize {
    bytes.get(at..at + 2).map_or(0, |pair| {
        usize::from(u16::from_le_bytes([pair[0], pair[1]]))
    })
}

impl<'a> Dbf<'a> {
    /// Reads the header; the error says what is wrong with it.
    pub fn open(
        bytes: &'a [u8],
        cpg: Option<&str>,
        memo: Option<&'a [u8]>,
    ) -> Result<Self, String> {
        if bytes.len() < 32 {
            return Err(format!(
                "the .dbf has {} bytes, less than its 32-byte header",
                bytes.len()
            ));
        }
        let record_count = bytes.get(4..8).map_or(0, |four| {
            u32::from_le_bytes([four[0], four[1], four[2], four[3]]) as usize
        });
        let header_length = u16_le(bytes, 8);
        let record_length = u16_le(bytes, 10);
        let mut fields = Vec::new();
        let mut offset = 1;
        let mut at = 32;
        while at + 32 <= bytes.len() && at + 32 <= header_length && bytes[at] != 0x0D {
            let descriptor = &bytes[at..at + 32];
            let name_end = descriptor[..11].iter().position(|&b| b == 0).unwrap_or(11);
            let name = String::from_utf8_lossy(&descriptor[..name_end])
                .trim()
                .to_owned();
            let length = usize::from(descriptor[16]);
            fields.push(Field {
                name,
                kind: descriptor[11].to_ascii_uppercase(),
                offset,
                length,
                decimals: descriptor[17],
            });
            offset += length;
            at += 32;
        }
        if offset > record_length.max(1) {
            return Err(format!(
                "the .dbf's fields take {offset} bytes, more than its records' {record_length}"
            ));
        }
        let mut dbf = Self {
            bytes,
            memo,
            fields,
            record_count,
            header_length,
            record_length: record_length.max(1),
            encoding: UTF_8,
            encoding_warning: None,
        };
        dbf.encoding = match cpg.and_then(encoding_of_cpg) {
            Some(encoding) => encoding,
            None => match encoding_of_driver(bytes[29]) {
                Some(encoding) => encoding,
                None => dbf.detect_encoding(cpg),
            },
        };
        Ok(dbf)
    }

    /// UTF-8 when every text field is valid UTF-8, else Windows-1252 with a warning.
    fn detect_encoding(&mut self, cpg: Option<&str>) -> &'static Encoding {
        let start = self.header_length.min(self.bytes.len());
        let texts = self.bytes.get(start..).unwrap_or_default();
        if std::str::from_utf8(texts).is_ok() {
            return UTF_8;
        }
        let why = match cpg {
            Some(cpg) => format!(
                "the .cpg names {:?}, not an encoding known here",
                cpg.trim()
            ),
            None => "there is no .cpg and the header names no code page".to_owned(),
        };
        self.encoding_warning = Some(format!(
            "{why}, and the text is not UTF-8: read as Windows-1252; if names look wrong, add a \
             .cpg naming the encoding"
        ));
        WINDOWS_1252
    }

    /// How many records the file holds in its bytes (fewer than the header says when the file
    /// is truncated).
    pub fn records_present(&self) -> usize {
        let room = self.bytes.len().saturating_sub(self.header_length) / self.record_length;
        room.min(self.record_count)
    }

    /// One record's attributes; `None` when it is marked deleted. The error names the field.
    pub fn record(&self, index: usize) -> Result<Option<Map<String, Value>>, (String, String)> {
        let start = self.header_length + index * self.record_length;
        let Some(record) = self.bytes.get(start..start + self.record_length) else {
            return Err((String::new(), "the .dbf ends before this record".into()));
        };
        if record.first() == Some(&b'*') {
            return Ok(None);
        }
        let mut properties = Map::with_capacity(self.fields.len());
        for field in &self.fields {
            let raw = record
                .get(field.offset..field.offset + field.length)
                .unwrap_or_default();
            let value = self
                .value(field, raw)
                .map_err(|message| (field.name.clone(), message))?;
            properties.insert(field.name.clone(), value);
        }
        Ok(Some(properties))
    }

    fn text(&self, raw: &[u8]) -> String {
        let (text, _) = self.encoding.decode_without_bom_handling(raw);
        text.trim_end_matches([' ', '\0']).trim_start().to_owned()
    }

    fn value(&self, field: &Field, raw: &[u8]) -> Result<Value, String> {
        let ascii = || {
            String::from_utf8_lossy(raw)
                .trim_matches([' ', '\0'])
                .to_owned()
        };
        Ok(match field.kind {
            b'N' | b'F' => {
                let text = ascii();
                if text.is_empty() || text.chars().all(|c| c == '*') {
                    Value::Null
                } else if field.decimals == 0
                    && let Ok(integer) = text.parse::<i64>()
                {
                    Value::Number(integer.into())
                } else {
                    let number: f64 = text
                        .parse()
                        .map_err(|_| format!("{text:?} is not a number"))?;
                    Number::from_f64(number).map_or(Value::Null, Value::Number)
                }
            }
            b'D' => {
                let text = ascii();
                if text.is_empty() || text.chars().all(|c| c == '0') {
                    Value::Null
                } else if text.len() == 8 && text.chars().all(|c| c.is_ascii_digit()) {
                    Value::String(format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]))
                } else {
                    return Err(format!("{text:?} is not a date (YYYYMMDD)"));
                }
            }
            b'L' => match raw.first() {
                Some(b'T' | b't' | b'Y' | b'y') => Value::Bool(true),
                Some(b'F' | b'f' | b'N' | b'n') => Value::Bool(false),
                _ => Value::Null,
            },
            b'I' if raw.len() == 4 => {
                Value::Number(i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]).into())
            }
            b'M' => self.memo_value(raw)?,
            _ => {
                let text = self.text(raw);
                if text.is_empty() {
                    Value::Null
                } else {
                    Value::String(text)
                }
            }
        })
    }

    /// A memo: a block number (as text, or 4 bytes in FoxPro's form) into the `.dbt`.
    fn memo_value(&self, raw: &[u8]) -> Result<Value, String> {
        let block = if raw.len() == 4 {
            u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize
        } else {
            let text = String::from_utf8_lossy(raw).trim().to_owned();
            if text.is_empty() {
                return Ok(Value::Null);
            }
            text.parse()
                .map_err(|_| format!("the memo block {text:?} is not a number"))?
        };
        if block == 0 {
            return Ok(Value::Null);
        }
        let Some(memo) = self.memo else {
            return Err("a memo field, but the set has no .dbt file holding the memos".into());
        };
        let block_size = match u16_le(memo, 20) {
            0 => 512,
            size => size,
        };
        let start = block * block_size;
        let rest = memo
            .get(start..)
            .ok_or_else(|| format!("memo block {block} lies past the end of the .dbt"))?;
        let body = if rest.starts_with(&[0xFF, 0xFF, 0x08, 0x00]) {
            let length = rest.get(4..8).map_or(0, |four| {
                u32::from_le_bytes([four[0], four[1], four[2], four[3]])
            }) as usize;
            rest.get(8..length.max(8))
                .or_else(|| rest.get(8..))
                .unwrap_or_default()
        } else {
            let end = rest.iter().position(|&b| b == 0x1A).unwrap_or(rest.len());
            &rest[..end]
        };
        Ok(Value::String(self.text(body)))
    }
}
