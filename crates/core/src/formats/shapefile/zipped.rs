//! Shapefile sets inside a zip archive, as portals publish them: every `.shp` of the archive,
//! in any folder, with the files beside it of the same name, is a layer.

use super::{ShapefileParts, read_shapefile_set};
use crate::error::LoadError;
use crate::formats::layers::LayerRead;
use crate::formats::text_files::check_whole_file_memory;
use std::io::{Cursor, Read as _};

type Archive<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// The entry names of an archive, or `None` when it cannot be read as one.
fn entry_names(archive: &Archive<'_>) -> Vec<String> {
    archive
        .file_names()
        .filter_map(|name| name.ok().map(std::borrow::Cow::into_owned))
        .collect()
}

fn is_shp(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".shp") && !name.starts_with("__MACOSX/")
}

/// True when a zip archive holds at least one `.shp`.
pub fn zip_holds_shapefiles(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|archive| entry_names(&archive).iter().any(|name| is_shp(name)))
}

/// Reads every shapefile set in a zip archive. Errors name the archive and the entry.
pub fn read_shapefile_zip(file: &str, bytes: &[u8]) -> Result<Vec<LayerRead>, LoadError> {
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| document_error(format!("not a readable zip archive: {error}")))?;
    let names = entry_names(&archive);
    let shps: Vec<&String> = names.iter().filter(|name| is_shp(name)).collect();
    if shps.is_empty() {
        return Err(document_error(
            "a zip archive with no .shp file inside (a zipped shapefile holds at least a .shp)"
                .into(),
        ));
    }
    let mut layers = Vec::with_capacity(shps.len());
    for shp_name in shps {
        let stem = &shp_name[..shp_name.len() - 4];
        let mut part = |extension: &str| -> Result<Option<Vec<u8>>, LoadError> {
            let wanted = format!("{stem}.{extension}");
            match names.iter().find(|name| name.eq_ignore_ascii_case(&wanted)) {
                Some(name) => read_entry(file, &mut archive, name).map(Some),
                None => Ok(None),
            }
        };
        let parts = ShapefileParts {
            name: stem.rsplit('/').next().unwrap_or(stem).to_owned(),
            shp: part("shp")?.unwrap_or_default(),
            shx: part("shx")?,
            dbf: part("dbf")?,
            prj: part("prj")?,
            cpg: part("cpg")?,
            dbt: part("dbt")?,
        };
        layers.push(read_shapefile_set(&format!("{file}: {shp_name}"), &parts)?);
    }
    Ok(layers)
}

/// An entry's bytes; one that would not fit in memory, or holds more than it declares, is
/// refused.
fn read_entry(file: &str, archive: &mut Archive<'_>, name: &str) -> Result<Vec<u8>, LoadError> {
    let place = format!("{file}: {name} in the archive");
    let document_error = |message: String| LoadError::Document {
        file: place.clone(),
        message,
    };
    let mut entry = archive
        .by_name(name)
        .map_err(|error| document_error(format!("cannot be read: {error}")))?;
    let declared = entry.size();
    check_whole_file_memory(&place, declared)?;
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0).min(1 << 28));
    (&mut entry)
        .take(declared.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| document_error(format!("cannot be unpacked: {error}")))?;
    if bytes.len() as u64 > declared {
        return Err(document_error(format!(
            "holds more than the {declared} bytes it declares: a damaged archive"
        )));
    }
    Ok(bytes)
}
