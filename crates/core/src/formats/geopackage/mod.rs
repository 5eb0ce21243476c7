//! GeoPackage (versions 1.0 to 1.4): an SQLite database whose `gpkg_contents` lists its
//! tables. Every feature table is read as an overlay layer of its own, with its columns as
//! properties and its primary key as the feature id; geometries are read by [`wkb`], empty and
//! NULL ones kept as unlocated features. The coordinate system is the table's `srs_id` in
//! `gpkg_spatial_ref_sys`: an EPSG code when PROJ's list has it, else the WKT definition
//! ([`crate::formats::wkt`]). Attribute tables are listed in a warning, not drawn; tile sets
//! are not drawn as layers, which a warning (or, when there is nothing else, the error) says.
//!
//! The database is opened read-only and immutable (`?mode=ro&immutable=1`), so a file in WAL
//! mode, or on a read-only disk, is read without anything written beside it.

mod points;
#[cfg(test)]
mod tests;
mod wkb;

pub use points::{reread_row, single_point_table, stream_point_rows};

use super::crs::Reprojection;
use super::layers::{LayerFeatures, LayerRead, Positions};
use super::skips::SkipLog;
use crate::error::LoadError;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Number, Value};
use std::path::Path;

pub(crate) use wkb::{linearise as linearise_arcs, read_gpkg_geometry};

/// The first 16 bytes of every SQLite database.
pub const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// The `application_id`s of GeoPackage 1.0 ('GP10'), 1.1 ('GP11') and 1.2 on ('GPKG').
const APPLICATION_IDS: [i32; 3] = [0x4750_4B47, 0x4750_3130, 0x4750_3131];

/// A path as an SQLite URI: bytes other than letters, digits and `/-_.~` percent-encoded.
fn uri_of(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut uri = String::from("file:");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// Opens a GeoPackage read-only and immutable (nothing is written beside it).
fn connect(path: &Path) -> Result<Connection, LoadError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri_of(path), flags).map_err(|error| LoadError::Document {
        file: path.display().to_string(),
        message: format!("cannot be opened as SQLite: {error}"),
    })
}

/// Reads every feature table of a GeoPackage on disk.
pub fn read_geopackage(path: &Path) -> Result<Vec<LayerRead>, LoadError> {
    let file = path.display().to_string();
    let document_error = |message: String| LoadError::Document {
        file: file.clone(),
        message,
    };
    let connection = connect(path)?;
    let sql_error = |what: &str, error: rusqlite::Error| {
        document_error(format!("{what} cannot be read: {error}"))
    };
    let application_id: i32 = connection
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(|error| sql_error("the database", error))?;
    let has_contents: bool = connection
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = \
             'gpkg_contents'",
            [],
            |row| row.get::<_, i64>(0),
        )
        .map_err(|error| sql_error("the database", error))?
        > 0;
    if !has_contents {
        let why = if APPLICATION_IDS.contains(&application_id) {
            "it is marked as one, but has no gpkg_contents table"
        } else {
            "it has no gpkg_contents table and is not marked as one (application_id)"
        };
        return Err(document_error(format!(
            "an SQLite database, but not a GeoPackage: {why}"
        )));
    }
    let mut statement = connection
        .prepare(
            "SELECT table_name, data_type, coalesce(identifier, table_name) FROM gpkg_contents",
        )
        .map_err(|error| sql_error("gpkg_contents", error))?;
    let contents: Vec<(String, String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .and_then(Iterator::collect)
        .map_err(|error| sql_error("gpkg_contents", error))?;
    let mut layers = Vec::new();
    let mut not_drawn = Vec::new();
    let mut tile_sets = Vec::new();
    for (table, data_type, identifier) in &contents {
        match data_type.as_str() {
            "features" => layers.push(read_feature_table(&file, &connection, table, identifier)?),
            "tiles" | "2d-gridded-coverage" => tile_sets.push(table.clone()),
            _ => not_drawn.push(format!("{table} ({data_type})")),
        }
    }
    if layers.is_empty() {
        let holds = if !tile_sets.is_empty() {
            format!(
                "it holds only tile sets ({}), and tile sets are not drawn as layers; open an \
                 MBTiles or PMTiles file as a basemap instead",
                tile_sets.join(", ")
            )
        } else if !not_drawn.is_empty() {
            format!(
                "it holds only tables without geometry ({})",
                not_drawn.join(", ")
            )
        } else {
            "its gpkg_contents lists no tables".to_owned()
        };
        return Err(document_error(format!(
            "a GeoPackage with no feature table: {holds}"
        )));
    }
    if let Some((_, log)) = layers.first_mut() {
        if !not_drawn.is_empty() {
            log.warn(
                "gpkg_contents".into(),
                format!(
                    "tables without geometry, not drawn: {}",
                    not_drawn.join(", ")
                ),
            );
        }
        if !tile_sets.is_empty() {
            log.warn(
                "gpkg_contents".into(),
                format!(
                    "tile sets are not drawn as layers: {}",
                    tile_sets.join(", ")
                ),
            );
        }
    }
    Ok(layers)
}

/// The reprojection a table's `srs_id` asks for (`None` for WGS 84 and the undefined
/// geographic system 0), with a warning when the datum shift is a guess.
fn system_of(
    connection: &Connection,
    srs_id: i64,
) -> Result<(Option<Reprojection>, Option<String>), String> {
    if srs_id == 0 || srs_id == 4326 {
        return Ok((None, None));
    }
    if srs_id == -1 {
        return Ok((
            None,
            Some(
                "srs_id -1 (undefined Cartesian): coordinates taken as WGS 84 longitude, latitude"
                    .into(),
            ),
        ));
    }
    let (organization, code, definition): (String, i64, String) = connection
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys \
             WHERE srs_id = ?1",
            [srs_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .map_err(|error| format!("srs_id {srs_id} is not in gpkg_spatial_ref_sys: {error}"))?;
    if organization.eq_ignore_ascii_case("EPSG")
        && let Ok(reprojection) = Reprojection::from_epsg(u32::try_from(code).unwrap_or(0))
    {
        return Ok((reprojection, None));
    }
    let system = super::wkt::read_wkt_system(&definition)
        .map_err(|message| format!("srs_id {srs_id} ({organization}:{code}): {message}"))?;
    Ok((system.reprojection, system.warning))
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn read_feature_table(
    file: &str,
    connection: &Connection,
    table: &str,
    identifier: &str,
) -> Result<LayerRead, LoadError> {
    let mut read = LayerFeatures::default();
    let skips = for_each_feature(file, connection, table, "", &mut |feature| {
        read.push(
            feature.index,
            feature.id,
            feature.geometry,
            feature.properties,
        );
        Ok(())
    })?;
    Ok((read.into_layer(identifier.to_owned()), skips))
}

/// One row of a feature table: its index, primary key, geometry and other columns.
pub struct TableFeature {
    pub index: usize,
    pub id: Option<String>,
    pub geometry: Option<geo::Geometry<f64>>,
    pub properties: Map<String, Value>,
}

/// Gives each row of a feature table (those `filter`, an SQL condition after `WHERE`, keeps;
/// all for "") to `each`; a row whose geometry does not read is skipped with its place.
fn for_each_feature(
    file: &str,
    connection: &Connection,
    table: &str,
    filter: &str,
    each: &mut dyn FnMut(TableFeature) -> Result<(), LoadError>,
) -> Result<SkipLog, LoadError> {
    let table_error = |message: String| LoadError::Document {
        file: file.to_owned(),
        message: format!("table {table}: {message}"),
    };
    let (geometry_column, srs_id): (String, i64) = connection
        .query_row(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
            [table],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(|error| table_error(format!("no row in gpkg_geometry_columns: {error}")))?;
    let (reprojection, crs_warning) = system_of(connection, srs_id).map_err(table_error)?;
    let mut skips = SkipLog::default();
    if let Some(warning) = crs_warning {
        skips.warn("gpkg_spatial_ref_sys".into(), warning);
    }
    // The table's declared system is reprojected from without a warning: the file says it.
    let positions = Positions {
        reprojection: reprojection.as_ref(),
    };
    let primary_key: Option<String> = connection
        .query_row(
            "SELECT name FROM pragma_table_info(?1) WHERE pk = 1",
            [table],
            |row| row.get(0),
        )
        .ok();
    let mut statement = connection
        .prepare(&format!(
            "SELECT * FROM {}{}",
            quoted(table),
            if filter.is_empty() {
                String::new()
            } else {
                format!(" WHERE {filter}")
            }
        ))
        .map_err(|error| table_error(format!("cannot be read: {error}")))?;
    let names: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let mut rows = statement
        .query([])
        .map_err(|error| table_error(format!("cannot be read: {error}")))?;
    let mut index = 0;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(error) => return Err(table_error(format!("row {index} cannot be read: {error}"))),
        };
        let mut properties = Map::with_capacity(names.len());
        let mut geometry = Ok(None);
        let mut id = None;
        for (column, name) in names.iter().enumerate() {
            let Ok(value) = row.get_ref(column) else {
                continue;
            };
            if *name == geometry_column {
                if let ValueRef::Blob(blob) = value {
                    geometry = read_gpkg_geometry(blob, &positions);
                }
                continue;
            }
            let value = json_of(value);
            if primary_key.as_deref() == Some(name.as_str()) {
                id = Some(match &value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                });
                continue;
            }
            properties.insert(name.clone(), value);
        }
        match geometry {
            Ok(geometry) => each(TableFeature {
                index,
                id,
                geometry,
                properties,
            })?,
            Err(message) => {
                skips.push(format!("feature {index}, field {geometry_column}"), message)
            }
        }
        index += 1;
    }
    Ok(skips)
}

fn json_of(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(integer) => Value::Number(integer.into()),
        ValueRef::Real(real) => Number::from_f64(real).map_or(Value::Null, Value::Number),
        ValueRef::Text(text) => Value::String(String::from_utf8_lossy(text).into_owned()),
        ValueRef::Blob(blob) => Value::String(format!("({} bytes of binary data)", blob.len())),
    }
}
