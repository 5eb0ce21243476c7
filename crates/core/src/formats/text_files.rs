//! Reading files from disk and decoding their text: size limits checked before reading,
//! UTF-8 only (a byte-order mark is dropped, UTF-16 is named).

use crate::error::LoadError;
use std::path::Path;

/// Files larger than this are refused before reading, rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads a file's bytes from disk, refusing folders and files over [`MAX_FILE_BYTES`] before
/// reading (and stopping at the limit should the file grow meanwhile).
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read as _;
    let file = path.display().to_string();
    let read_error = |message: String| LoadError::Read {
        file: file.clone(),
        message,
    };
    let metadata = std::fs::metadata(path).map_err(|error| read_error(error.to_string()))?;
    if metadata.is_dir() {
        return Err(read_error("is a folder, not a file".into()));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(read_error(too_large_message(metadata.len())));
    }
    let opened = std::fs::File::open(path).map_err(|error| read_error(error.to_string()))?;
    // Sized once: growing by doubling would hold the old and the new buffer at the same time.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0) + 1);
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| read_error(error.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(read_error(too_large_message(bytes.len() as u64)));
    }
    Ok(bytes)
}

pub(crate) fn too_large_message(len: u64) -> String {
    format!(
        "the file has {len} bytes, more than the limit of {MAX_FILE_BYTES} bytes ({} MiB)",
        MAX_FILE_BYTES >> 20
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

/// Reads a UTF-8 text file from disk, refusing files over [`MAX_FILE_BYTES`].
pub fn read_text_file(path: &Path) -> Result<String, LoadError> {
    let bytes = read_file_bytes(path)?;
    decode_text(&path.display().to_string(), &bytes)
}
