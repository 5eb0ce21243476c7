//! A GeoPackage whose one feature table is of points, read for a table rather than as an
//! overlay: found by [`single_point_table`], read row by row by [`stream_point_rows`], and one
//! row read again by its primary key by [`reread_row`].

use super::{TableFeature, connect, for_each_feature, quoted};
use crate::error::LoadError;
use crate::formats::skips::SkipLog;
use serde_json::{Map, Value};
use std::path::Path;

/// The one feature table of a GeoPackage, when it is the only one, holds points (its
/// `geometry_type_name` is POINT) and has an integer primary key: its name and row count.
pub fn single_point_table(path: &Path) -> Result<Option<(String, u64)>, LoadError> {
    let connection = connect(path)?;
    let tables: Vec<String> = connection
        .prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get(0))
                .and_then(Iterator::collect)
        })
        .unwrap_or_default();
    let [table] = tables.as_slice() else {
        return Ok(None);
    };
    let points = connection
        .query_row(
            "SELECT upper(geometry_type_name) FROM gpkg_geometry_columns WHERE table_name = ?1",
            [table],
            |row| row.get::<_, String>(0),
        )
        .is_ok_and(|kind| kind == "POINT");
    let integer_key = connection
        .query_row(
            "SELECT upper(type) FROM pragma_table_info(?1) WHERE pk = 1",
            [table],
            |row| row.get::<_, String>(0),
        )
        .is_ok_and(|kind| kind == "INTEGER");
    if !points || !integer_key {
        return Ok(None);
    }
    let count: i64 = connection
        .query_row(
            &format!("SELECT count(*) FROM {}", quoted(table)),
            [],
            |row| row.get(0),
        )
        .unwrap_or(0);
    Ok(Some((table.clone(), u64::try_from(count).unwrap_or(0))))
}

/// Gives every row of the feature table `table` to `each`, in the table's order.
pub fn stream_point_rows(
    path: &Path,
    table: &str,
    each: &mut dyn FnMut(TableFeature) -> Result<(), LoadError>,
) -> Result<SkipLog, LoadError> {
    let file = path.display().to_string();
    for_each_feature(&file, &connect(path)?, table, "", each)
}

/// The columns of the row of `table` whose primary key is `key`, read again.
pub fn reread_row(path: &Path, table: &str, key: i64) -> Result<Map<String, Value>, LoadError> {
    let file = path.display().to_string();
    let connection = connect(path)?;
    let primary_key: String = connection
        .query_row(
            "SELECT name FROM pragma_table_info(?1) WHERE pk = 1",
            [table],
            |row| row.get(0),
        )
        .map_err(|error| LoadError::Document {
            file: file.clone(),
            message: format!("table {table}: no primary key: {error}"),
        })?;
    let mut found = None;
    for_each_feature(
        &file,
        &connection,
        table,
        &format!("{} = {key}", quoted(&primary_key)),
        &mut |feature| {
            let mut properties = feature.properties;
            if let Some(id) = feature.id {
                properties.insert(primary_key.clone(), Value::String(id));
            }
            found = Some(properties);
            Ok(())
        },
    )?;
    found.ok_or_else(|| LoadError::Document {
        file,
        message: format!("table {table}: the row {primary_key} = {key} is no longer there"),
    })
}
