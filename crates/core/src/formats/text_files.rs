//! Reading files from disk and decoding their text: the memory a whole-file read needs checked
//! against what is available before reading ([`super::memory`]), UTF-8 only (a byte-order mark
//! is dropped, UTF-16 is named).

use super::file_kind::{check_regular_file, grew_warning, open_regular_file, read_to_opened_size};
use super::memory::{available_memory, check_memory, whole_file_estimate};
use crate::error::LoadError;
use std::path::Path;

/// Reads a file's bytes from disk, refusing what is not a regular file (a folder, a device, a
/// named pipe: [`super::file_kind`]) and files whose whole-file load would need more memory
/// than is available, before reading. A file that grows while it is read is cut at the size it
/// had when it was opened.
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_file_bytes_noting_growth(path).map(|(bytes, _)| bytes)
}

/// [`read_file_bytes`], and the warning when the file grew while it was read.
pub fn read_file_bytes_noting_growth(path: &Path) -> Result<(Vec<u8>, Option<String>), LoadError> {
    let file = path.display().to_string();
    let read_error = |message: String| LoadError::Read {
        file: file.clone(),
        message,
    };
    let metadata = check_regular_file(path).map_err(|problem| read_error(problem.to_string()))?;
    check_whole_file_memory(&file, metadata.len())?;
    let (mut opened, opened_len) =
        open_regular_file(path).map_err(|problem| read_error(problem.to_string()))?;
    check_whole_file_memory(&file, opened_len)?;
    let read = read_to_opened_size(&mut opened, opened_len)
        .map_err(|error| read_error(error.to_string()))?;
    let warning = read.grew.then(|| grew_warning(opened_len));
    Ok((read.bytes, warning))
}

/// A path that is not a regular file, as a load error naming it and what it is.
pub fn check_readable(path: &Path) -> Result<std::fs::Metadata, LoadError> {
    check_regular_file(path).map_err(|problem| LoadError::Read {
        file: path.display().to_string(),
        message: problem.to_string(),
    })
}

/// Refuses a whole-file load of `file_bytes` that would need more memory than is available.
pub(crate) fn check_whole_file_memory(file: &str, file_bytes: u64) -> Result<(), LoadError> {
    check_memory(
        file,
        file_bytes,
        whole_file_estimate(file_bytes),
        available_memory(),
    )
}

/// Decodes UTF-8 text, dropping a leading byte-order mark. Other encodings are refused with the
/// line and column of the first byte that is not UTF-8; UTF-16 is recognised by its mark.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, LoadError> {
    let read_error = |message: String| LoadError::Read {
        file: file.to_owned(),
        message,
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(read_error(
            "the text is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8".into(),
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => {
            let offset = error.valid_up_to();
            let (line, column) = line_column(bytes, offset);
            let byte = bytes.get(offset).copied().unwrap_or_default();
            Err(read_error(format!(
                "line {line}, column {column}: not UTF-8 text (byte 0x{byte:02X} at offset {offset}); \
                 save the file as UTF-8"
            )))
        }
    }
}

/// [`decode_text`] of bytes that are given up: UTF-8 text keeps their buffer (no copy).
pub fn decode_text_owned(file: &str, mut bytes: Vec<u8>) -> Result<String, LoadError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => decode_text(file, error.as_bytes()),
    }
}

/// The 1-based line and column (in characters, bytes that are not UTF-8 counting one each) of
/// a byte offset.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset.min(bytes.len())).unwrap_or_default();
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Reads a UTF-8 text file from disk, refusing files that do not fit in memory.
pub fn read_text_file(path: &Path) -> Result<String, LoadError> {
    let bytes = read_file_bytes(path)?;
    decode_text(&path.display().to_string(), &bytes)
}
