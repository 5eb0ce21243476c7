//! The binary layer formats, told apart by their first bytes before any text decoding:
//! Shapefile (a `.shp`, or a zip holding `.shp` files), each set an overlay layer; GeoPackage
//! (SQLite), each feature table an overlay layer; FlatGeobuf, one overlay layer. A GeoPackage
//! of one point table and a FlatGeobuf of points become a table when they hold many.

use super::size::{LARGE_FILE_BYTES, RICH_LAYER_MAX_EVENTS};
use super::{DetectedFormat, Import, ImportedContent};
use crate::error::LoadError;
use crate::formats::file_kind::open_regular_file;
use crate::formats::flatgeobuf::{FGB_MAGIC, features_summary, read_flatgeobuf};
use crate::formats::geopackage::{SQLITE_MAGIC, read_geopackage, single_point_table};
use crate::formats::geotiff::{GeoTiff, is_tiff};
use crate::formats::kml::ZIP_MAGIC;
use crate::formats::layers::{LayerRead, merge_logs};
use crate::formats::memory::{available_memory, check_memory, table_estimate};
use crate::formats::shapefile::{
    SHP_MAGIC, ShapefileParts, read_shapefile_path, read_shapefile_set, read_shapefile_zip,
    zip_holds_shapefiles,
};
use crate::formats::text_files::read_file_bytes;
use crate::table::{LoadProgress, load_flatgeobuf_points, load_geopackage_points};
use std::path::Path;
use std::sync::Arc;

/// The first bytes of a file on disk (fewer when it is shorter; none when it is not a regular
/// file or cannot be opened, and the ordinary reading reports why: a pipe or device is never
/// read here).
fn head_of(path: &Path) -> Vec<u8> {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(128);
    let regular = std::fs::metadata(path).is_ok_and(|metadata| metadata.is_file());
    if regular && let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(128).read_to_end(&mut head);
    }
    head
}

/// A file on disk in one of the binary layer formats, read; `None` for every other file.
pub(super) fn path_import(
    path: &Path,
    progress: &LoadProgress,
) -> Option<Result<Import, LoadError>> {
    let head = head_of(path);
    let file = path.display().to_string();
    if head.starts_with(&SHP_MAGIC) {
        // The index has the same first bytes: opening it opens its set.
        let shp = if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("shx"))
        {
            path.with_extension("shp")
        } else {
            path.to_owned()
        };
        return Some(
            read_shapefile_path(&shp)
                .map(|reads| of_layers(&file, DetectedFormat::Shapefile, reads)),
        );
    }
    if head.starts_with(SQLITE_MAGIC) {
        return Some(match geopackage_point_table(&file, path, progress) {
            Ok(Some(import)) => Ok(import),
            Ok(None) => read_geopackage(path)
                .map(|reads| of_layers(&file, DetectedFormat::GeoPackage, reads)),
            Err(error) => Err(error),
        });
    }
    if head.starts_with(FGB_MAGIC) {
        return Some(match fgb_point_table(&file, path, progress) {
            Ok(Some(import)) => Ok(import),
            Ok(None) => read_file_bytes(path).and_then(|bytes| fgb_import(&file, &bytes)),
            Err(error) => Err(error),
        });
    }
    if is_tiff(&head) {
        return Some(GeoTiff::open(path).map(|tiff| Import {
            file: file.clone(),
            format: DetectedFormat::GeoTiff,
            content: ImportedContent::Imagery(Arc::new(tiff)),
            skipped: Vec::new(),
            skipped_total: 0,
            warnings: Vec::new(),
        }));
    }
    if head.starts_with(ZIP_MAGIC) {
        let bytes = match read_file_bytes(path) {
            Ok(bytes) => bytes,
            Err(error) => return Some(Err(error)),
        };
        if zip_holds_shapefiles(&bytes) {
            return Some(
                read_shapefile_zip(&file, &bytes)
                    .map(|reads| of_layers(&file, DetectedFormat::Shapefile, reads)),
            );
        }
    }
    None
}

/// Bytes in one of the binary layer formats, read; `None` for every other content. A `.shp`
/// alone has no attributes, index or coordinate system.
pub(super) fn bytes_import(file: &str, bytes: &[u8]) -> Option<Result<Import, LoadError>> {
    if bytes.starts_with(&SHP_MAGIC) {
        let parts = ShapefileParts {
            name: crate::formats::overlay::file_stem(file),
            shp: bytes.to_vec(),
            ..ShapefileParts::default()
        };
        return Some(
            read_shapefile_set(file, &parts)
                .map(|read| of_layers(file, DetectedFormat::Shapefile, vec![read])),
        );
    }
    if bytes.starts_with(SQLITE_MAGIC) {
        return Some(geopackage_bytes(file, bytes));
    }
    if bytes.starts_with(FGB_MAGIC) {
        return Some(fgb_import(file, bytes));
    }
    if is_tiff(bytes) {
        return Some(Err(LoadError::Document {
            file: file.to_owned(),
            message: "a GeoTIFF is read window by window from its file; open the file itself"
                .to_owned(),
        }));
    }
    if bytes.starts_with(ZIP_MAGIC) && zip_holds_shapefiles(bytes) {
        return Some(
            read_shapefile_zip(file, bytes)
                .map(|reads| of_layers(file, DetectedFormat::Shapefile, reads)),
        );
    }
    None
}

/// A FlatGeobuf file of points with more than [`RICH_LAYER_MAX_EVENTS`] features, or of
/// [`LARGE_FILE_BYTES`] or more, loaded as a table (its memory checked first); `None` for a
/// smaller file or one of other geometries, read whole as an overlay.
fn fgb_point_table(
    file: &str,
    path: &Path,
    progress: &LoadProgress,
) -> Result<Option<Import>, LoadError> {
    let (mut opened, size) = open_regular_file(path).map_err(|problem| LoadError::Read {
        file: file.to_owned(),
        message: problem.to_string(),
    })?;
    let summary = features_summary(file, &mut opened)?;
    let many = summary.count > RICH_LAYER_MAX_EVENTS as u64 || size >= LARGE_FILE_BYTES;
    if !summary.points || !many {
        return Ok(None);
    }
    let estimate = table_estimate(size, size, summary.count);
    check_memory(file, size, estimate, available_memory())?;
    let loaded = load_flatgeobuf_points(path, progress)?;
    Ok(Some(Import::of_table(file, loaded)))
}

/// A GeoPackage whose one feature table holds more than [`RICH_LAYER_MAX_EVENTS`] points (or
/// whose file is of [`LARGE_FILE_BYTES`] or more), loaded as a table (its memory checked
/// first); `None` for every other GeoPackage, read whole as overlays (a file that is not a
/// GeoPackage gets its error there).
fn geopackage_point_table(
    file: &str,
    path: &Path,
    progress: &LoadProgress,
) -> Result<Option<Import>, LoadError> {
    let Some((table, count)) = single_point_table(path).ok().flatten() else {
        return Ok(None);
    };
    let size = std::fs::metadata(path).map_or(0, |metadata| metadata.len());
    if count <= RICH_LAYER_MAX_EVENTS as u64 && size < LARGE_FILE_BYTES {
        return Ok(None);
    }
    check_memory(
        file,
        size,
        table_estimate(size, size, count),
        available_memory(),
    )?;
    let loaded = load_geopackage_points(path, &table, progress)?;
    Ok(Some(Import::of_table(file, loaded)))
}

fn fgb_import(file: &str, bytes: &[u8]) -> Result<Import, LoadError> {
    read_flatgeobuf(file, bytes).map(|read| of_layers(file, DetectedFormat::FlatGeobuf, vec![read]))
}

/// A GeoPackage given as bytes: SQLite reads files, so the bytes are written to a file of
/// their own in the temporary folder, read, and the file removed.
fn geopackage_bytes(file: &str, bytes: &[u8]) -> Result<Import, LoadError> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let copy = std::env::temp_dir().join(format!("strikemap-{}-{number}.gpkg", std::process::id()));
    std::fs::write(&copy, bytes).map_err(|error| LoadError::Read {
        file: file.to_owned(),
        message: format!("cannot copy it to the temporary folder to read it: {error}"),
    })?;
    let read = read_geopackage(&copy);
    let _ = std::fs::remove_file(&copy);
    read.map(|reads| of_layers(file, DetectedFormat::GeoPackage, reads))
        .map_err(|error| match error {
            LoadError::Document { message, .. } => LoadError::Document {
                file: file.to_owned(),
                message,
            },
            other => other,
        })
}

/// One import of a file's layers: an overlay when there is one, the list when there are more.
fn of_layers(file: &str, format: DetectedFormat, mut reads: Vec<LayerRead>) -> Import {
    let skips = merge_logs(&mut reads);
    let mut layers: Vec<_> = reads.into_iter().map(|(layer, _)| layer).collect();
    let content = if layers.len() == 1 {
        ImportedContent::Overlay(layers.remove(0))
    } else {
        ImportedContent::Layers(layers)
    };
    Import::new(file, format, content, skips)
}
