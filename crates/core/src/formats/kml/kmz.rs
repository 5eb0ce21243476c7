//! KMZ: a zip archive holding `doc.kml` (or, in older files, another `.kml` at its root) and
//! the images it uses. Only the KML is read.

use super::{KmlRead, parse_kml_from};
use crate::error::LoadError;
use crate::formats::inflate::{BoundedInflate, InflateFailure, bomb_message, inflation_limit};
use crate::formats::text_files::check_whole_file_memory;

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
    // Zip-slip: a name that climbs out of the archive (`..`) or starts at a root is never the
    // document (nothing is unpacked to disk, but such a name is refused wherever it is used).
    let is_kml = |name: &&String| {
        name.to_ascii_lowercase().ends_with(".kml") && is_enclosed_entry_name(name)
    };
    let at_root = |name: &&String| !name.contains('/');
    let chosen = names
        .iter()
        .find(|name| name.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| names.iter().filter(at_root).find(is_kml))
        .or_else(|| names.iter().find(is_kml))
        .cloned()
        .filter(|name| is_enclosed_entry_name(name));
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
    // Unpacked, the entry must fit in memory like any file read whole, and inflate no more
    // than the ratio allowed ([`crate::formats::inflate::MAX_INFLATION_RATIO`]): a zip bomb is refused on what it
    // declares, before it is inflated, and (should its header lie) as soon as it passes either.
    if entry.is_symlink() {
        return Err(document_error(format!(
            "{entry_name} in the archive is a symbolic link, not a document; links in \
             archives are not followed"
        )));
    }
    let declared = entry.size();
    let compressed = entry.compressed_size();
    let what = format!("{entry_name} in the archive");
    if declared > inflation_limit(compressed) {
        return Err(document_error(bomb_message(
            &what, compressed, declared, true,
        )));
    }
    check_whole_file_memory(&format!("{file}: {what}"), declared)?;
    // Parsed as it inflates: the document's text is never held whole. Inflating past what the
    // entry declares (when that is below the ratio) or past the ratio stops the parse.
    let limit = inflation_limit(compressed).min(declared);
    let refusal = if declared < inflation_limit(compressed) {
        format!(
            "{entry_name} in the archive holds more than the {declared} bytes it declares; the \
             archive is damaged"
        )
    } else {
        bomb_message(&what, compressed, limit, false)
    };
    let mut source = BoundedInflate::new(&mut entry, limit, refusal);
    parse_kml_from(file, &mut source).map_err(|error| {
        let message = match (source.failure(), error) {
            (Some(InflateFailure::Refused(refusal)), _) => refusal.clone(),
            (Some(InflateFailure::Unreadable(error)), _) => {
                format!("cannot unpack {entry_name} from the archive: {error}")
            }
            (None, LoadError::Document { message, .. } | LoadError::Read { message, .. }) => {
                format!("{entry_name}: {message}")
            }
            (None, other) => return other,
        };
        document_error(message)
    })
}

/// Whether a zip entry's name stays inside the archive: no `..` part, no root or drive, no
/// backslashes (read as folders by some unpackers).
pub fn is_enclosed_entry_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains(':')
        && name.split('/').all(|part| part != "..")
}

#[cfg(test)]
mod tests {
    use super::is_enclosed_entry_name;

    #[test]
    fn names_that_climb_out_of_the_archive_are_not_enclosed() {
        assert!(is_enclosed_entry_name("doc.kml"));
        assert!(is_enclosed_entry_name("files/a..b.kml"));
        for name in [
            "../doc.kml",
            "a/../../doc.kml",
            "/etc/doc.kml",
            "C:/doc.kml",
            "a\\..\\b.kml",
            "",
        ] {
            assert!(!is_enclosed_entry_name(name), "{name}");
        }
    }
}
