//! KML, KMZ and GPX files, which load as overlay layers ([`crate::formats::kml`],
//! [`crate::formats::gpx`]). A KMZ is a zip archive, so it is told apart by its first bytes
//! before the file is decoded as text.

use super::{DetectedFormat, Import, ImportedContent};
use crate::error::LoadError;
use crate::formats::gpx::parse_gpx;
use crate::formats::kml::{KmlRead, ZIP_MAGIC, parse_kml, parse_kmz};
use std::path::Path;

/// A KMZ (the zip signature), or a file named `.kmz` that is neither a zip nor XML: read or
/// refused here, before the bytes are decoded as text. `None` for every other file.
pub(super) fn binary_import(file: &str, bytes: &[u8]) -> Option<Result<Import, LoadError>> {
    if bytes.starts_with(ZIP_MAGIC) {
        return Some(parse_kmz(file, bytes).map(|read| of_kml(file, DetectedFormat::Kmz, read)));
    }
    let named_kmz = Path::new(file)
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("kmz"));
    if named_kmz && !starts_like_xml(bytes) {
        let first: Vec<String> = bytes
            .iter()
            .take(4)
            .map(|byte| format!("{byte:02X}"))
            .collect();
        return Some(Err(LoadError::Document {
            file: file.to_owned(),
            message: format!(
                "named .kmz, but not a zip archive: a KMZ starts with the bytes 50 4B 03 04 \
                 (\"PK\"), this file with {}",
                if first.is_empty() {
                    "nothing (it is empty)".to_owned()
                } else {
                    first.join(" ")
                }
            ),
        }));
    }
    None
}

/// True when the bytes start (after a byte-order mark and white space) with `<`.
fn starts_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    bytes.trim_ascii_start().starts_with(b"<")
}

/// True when a file on disk is a zip archive or XML: it is read whole as KML, KMZ or GPX,
/// never as a table, whatever its size.
pub(super) fn is_zip_or_xml_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0_u8; 1024];
    let read = std::fs::File::open(path).and_then(|mut file| file.read(&mut head));
    let head = head.get(..read.unwrap_or(0)).unwrap_or_default();
    head.starts_with(ZIP_MAGIC) || starts_like_xml(head)
}

/// Reads detected KML, KMZ or GPX text.
pub(super) fn text_import(
    file: &str,
    text: &str,
    format: DetectedFormat,
) -> Result<Import, LoadError> {
    match format {
        DetectedFormat::Gpx => {
            let (layer, skips) = parse_gpx(file, text)?;
            Ok(Import::new(
                file,
                format,
                ImportedContent::Overlay(layer),
                skips,
            ))
        }
        DetectedFormat::Kmz => {
            parse_kmz(file, text.as_bytes()).map(|read| of_kml(file, format, read))
        }
        _ => parse_kml(file, text).map(|read| of_kml(file, DetectedFormat::Kml, read)),
    }
}

fn of_kml(file: &str, format: DetectedFormat, (layer, skips): KmlRead) -> Import {
    Import::new(file, format, ImportedContent::Overlay(layer), skips)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::TempFile;

    /// KML, KMZ and GPX are never handed to the table reader, whatever their size.
    #[test]
    fn zip_and_xml_files_are_told_from_their_first_bytes() {
        let cases: [(&str, &[u8], bool); 5] = [
            ("a.kmz", b"PK\x03\x04rest", true),
            (
                "a.kml",
                b"\xEF\xBB\xBF\n  <?xml version=\"1.0\"?><kml/>",
                true,
            ),
            ("a.gpx", b"<gpx/>", true),
            ("a.csv", b"event_date,latitude\n", false),
            ("a.json", b"{\"type\":\"Point\"}", false),
        ];
        for (name, bytes, expected) in cases {
            let file = TempFile::new(name, bytes);
            assert_eq!(is_zip_or_xml_file(&file.0), expected, "{name}");
        }
        assert!(binary_import("a.csv", b"event_date\n").is_none());
        assert!(
            binary_import("a.kmz", b"<kml/>").is_none(),
            "KML text under a .kmz name"
        );
        let empty = binary_import("a.kmz", b"").and_then(Result::err).unwrap();
        assert!(
            empty
                .to_string()
                .ends_with("this file with nothing (it is empty)"),
            "{empty}"
        );
    }
}
