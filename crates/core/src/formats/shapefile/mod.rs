//! Shapefiles: a `.shp` with the files beside it that share its name (`.shx` index, `.dbf`
//! attributes, `.prj` coordinate system, `.cpg` encoding, `.dbt` memos), or a `.zip` holding one
//! or more such sets, in any folder of the archive; each set is a layer.
//!
//! The coordinate system comes from the `.prj` ([`crate::formats::wkt`]); without one the
//! coordinates are taken as WGS 84 longitude, latitude with a warning, and the set is refused
//! when its bounding box cannot be degrees. NULL shapes are kept as unlocated features. A set
//! with a part missing or at odds with the others loads with a warning naming the part (no
//! `.shx`: the `.shp` is walked record by record; a `.dbf` of another record count: the records
//! both have; a truncated `.shp`: the whole records before the cut), or is refused when what is
//! left cannot be read (no `.shp`, a `.shp` whose header is not one).

mod dbf;
#[cfg(test)]
pub(crate) mod gdal_check;
mod shp;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
pub(crate) mod writer;
mod zipped;

use super::layers::{LayerFeatures, LayerRead, Positions};
use super::overlay::file_stem;
use super::skips::SkipLog;
use super::wkt::read_wkt_system;
use crate::error::LoadError;
use crate::formats::text_files::read_file_bytes;
use serde_json::Map;
use std::path::{Path, PathBuf};

pub use shp::SHP_MAGIC;
pub use zipped::{read_shapefile_zip, zip_holds_shapefiles};

/// The files of one shapefile set, read into memory.
#[derive(Default)]
pub struct ShapefileParts {
    /// The layer's name: the set's file name without its extension.
    pub name: String,
    pub shp: Vec<u8>,
    pub shx: Option<Vec<u8>>,
    pub dbf: Option<Vec<u8>>,
    pub prj: Option<Vec<u8>>,
    pub cpg: Option<Vec<u8>>,
    pub dbt: Option<Vec<u8>>,
}

/// Reads a `.shp` from disk with the files beside it of the same name (in any case).
pub fn read_shapefile_path(path: &Path) -> Result<Vec<LayerRead>, LoadError> {
    let file = path.display().to_string();
    let sibling = |extension: &str| -> Result<Option<Vec<u8>>, LoadError> {
        match find_sibling(path, extension) {
            Some(found) => read_file_bytes(&found).map(Some),
            None => Ok(None),
        }
    };
    let parts = ShapefileParts {
        name: file_stem(&file),
        shp: read_file_bytes(path)?,
        shx: sibling("shx")?,
        dbf: sibling("dbf")?,
        prj: sibling("prj")?,
        cpg: sibling("cpg")?,
        dbt: sibling("dbt")?,
    };
    Ok(vec![read_shapefile_set(&file, &parts)?])
}

/// The file beside `path` with the same stem and `extension`, in lower or upper case.
fn find_sibling(path: &Path, extension: &str) -> Option<PathBuf> {
    [extension.to_owned(), extension.to_ascii_uppercase()]
        .into_iter()
        .map(|extension| path.with_extension(extension))
        .find(|candidate| candidate.is_file())
}

/// Reads one set. `file` names it in messages (the `.shp`, or the archive and the entry).
pub fn read_shapefile_set(file: &str, parts: &ShapefileParts) -> Result<LayerRead, LoadError> {
    let document_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let header = shp::read_header(&parts.shp).map_err(document_error)?;
    let mut skips = SkipLog::default();
    let system = match &parts.prj {
        Some(prj) => {
            let text = String::from_utf8_lossy(prj);
            let system = read_wkt_system(&text)
                .map_err(|message| document_error(format!("the .prj cannot be read: {message}")))?;
            if let Some(warning) = &system.warning {
                skips.warn(".prj".into(), warning.clone());
            }
            // A system the .prj declares is the file's own: reprojecting from it is no
            // warning (a guessed or approximate one is, above).
            system.reprojection
        }
        None => {
            let [x_min, y_min, x_max, y_max] = header.bounds;
            let degrees = (-180.0..=180.0).contains(&x_min)
                && (-180.0..=180.0).contains(&x_max)
                && (-90.0..=90.0).contains(&y_min)
                && (-90.0..=90.0).contains(&y_max);
            if !degrees {
                return Err(document_error(format!(
                    "the set has no .prj, so its coordinate system is unknown, and its \
                     coordinates ({x_min}, {y_min} to {x_max}, {y_max}) cannot be longitude, \
                     latitude in degrees; add the .prj that came with it"
                )));
            }
            skips.warn(
                ".prj".into(),
                "the set has no .prj: its coordinates were taken as WGS 84 longitude, latitude"
                    .into(),
            );
            None
        }
    };
    let positions = Positions {
        reprojection: system.as_ref(),
    };
    if parts.shx.is_none() {
        skips.warn(
            ".shx".into(),
            "the set has no .shx (its index): the .shp was read record by record".into(),
        );
    }
    let (ranges, cut) = shp::record_ranges(&parts.shp, parts.shx.as_deref());
    if let Some(cut) = cut {
        skips.warn(".shp".into(), cut);
    }
    let cpg = parts
        .cpg
        .as_ref()
        .map(|cpg| String::from_utf8_lossy(cpg).into_owned());
    let dbf = match &parts.dbf {
        Some(bytes) => {
            let dbf = dbf::Dbf::open(bytes, cpg.as_deref(), parts.dbt.as_deref())
                .map_err(|message| document_error(format!(".dbf: {message}")))?;
            if let Some(warning) = &dbf.encoding_warning {
                skips.warn(".dbf".into(), warning.clone());
            }
            if dbf.records_present() != ranges.len() {
                skips.warn(
                    ".dbf".into(),
                    format!(
                        "the .dbf holds {} records and the .shp {} shapes: the first {} of each \
                         were read",
                        dbf.records_present(),
                        ranges.len(),
                        dbf.records_present().min(ranges.len())
                    ),
                );
            }
            Some(dbf)
        }
        None => {
            skips.warn(
                ".dbf".into(),
                "the set has no .dbf: the shapes were read without attributes".into(),
            );
            None
        }
    };
    let count = dbf
        .as_ref()
        .map_or(ranges.len(), |dbf| dbf.records_present().min(ranges.len()));
    let mut read = LayerFeatures::with_capacity(count);
    let mut deleted = 0;
    for (index, range) in ranges.into_iter().take(count).enumerate() {
        let properties = match dbf.as_ref().map(|dbf| dbf.record(index)) {
            None => Map::new(),
            Some(Ok(Some(properties))) => properties,
            Some(Ok(None)) => {
                deleted += 1;
                continue;
            }
            Some(Err((field, message))) => {
                skips.push(format!("record {index}, field {field}"), message);
                continue;
            }
        };
        let content = parts.shp.get(range).unwrap_or_default();
        match shp::read_shape(content, &positions) {
            Ok(geometry) => read.push(index, None, geometry, properties),
            Err(message) => skips.push(format!("record {index}, field shape"), message),
        }
    }
    if deleted > 0 {
        skips.warn(
            ".dbf".into(),
            format!("{deleted} records marked deleted in the .dbf were left out"),
        );
    }
    if read.is_empty() && skips.total > 0 {
        return Err(skips.nothing_loaded(file, "record"));
    }
    Ok((read.into_layer(parts.name.clone()), skips))
}
