//! KMZ: a zip archive holding `doc.kml` (or, in older files, another `.kml` at its root) and
//! the images it uses. Only the KML is read.

use super::{KmlRead, parse_kml};
use crate::error::LoadError;
use crate::formats::text_files::{check_whole_file_memory, decode_text};
use std::io::Read as _;

/// The first bytes of a zip archive (a local file header).
pub const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads the KML inside a KMZ archive. Errors name the archive and, for the KML's own
/// problems, the entry.
pub fn parse_kmz(file: &str, bytes: &[u8]) -> Result<KmlRead, LoadError> {
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|error| {
        document_error(format!(
            "not a readable zip archive (a KMZ is one): {error}"
        ))
    })?;
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.map(std::borrow::Cow::into_owned))
        .collect::<Result<_, _>>()
        .map_err(|error| document_error(format!("not a readable zip archive: {error}")))?;
    let is_kml = |name: &&String| name.to_ascii_lowercase().ends_with(".kml");
    let at_root = |name: &&String| !name.contains('/');
    let chosen = names
        .iter()
        .find(|name| name.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| names.iter().filter(at_root).find(is_kml))
        .or_else(|| names.iter().find(is_kml))
        .cloned();
    let Some(entry_name) = chosen else {
        let mut listed: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        if names.len() > listed.len() {
            listed.push("…");
        }
        let found = if listed.is_empty() {
            "it is empty".to_owned()
        } else {
            format!("it holds {}", listed.join(", "))
        };
        return Err(document_error(format!(
            "a zip archive with no .kml file inside (a KMZ holds doc.kml); {found}"
        )));
    };
    let mut entry = archive.by_name(&entry_name).map_err(|error| {
        document_error(format!("cannot read {entry_name} in the archive: {error}"))
    })?;
    // Unpacked, the entry must fit in memory like any file read whole; an archive that holds
    // more than its entry declares (a zip bomb, or damage) is refused, not unpacked on.
    let declared = entry.size();
    check_whole_file_memory(&format!("{file}: {entry_name} in the archive"), declared)?;
    let mut kml = Vec::with_capacity(usize::try_from(declared).unwrap_or(0).min(1 << 26));
    (&mut entry)
        .take(declared.saturating_add(1))
        .read_to_end(&mut kml)
        .map_err(|error| {
            document_error(format!(
                "cannot unpack {entry_name} from the archive: {error}"
            ))
        })?;
    if kml.len() as u64 > declared {
        return Err(document_error(format!(
            "{entry_name} in the archive holds more than the {declared} bytes it declares; \
             the archive is damaged"
        )));
    }
    let in_entry = |error: LoadError| match error {
        LoadError::Document { file, message } | LoadError::Read { file, message } => {
            LoadError::Document {
                file,
                message: format!("{entry_name}: {message}"),
            }
        }
        other => other,
    };
    let text = decode_text(file, &kml).map_err(in_entry)?;
    parse_kml(file, &text).map_err(in_entry)
}
