//! Large point layers of the binary formats as tables: a FlatGeobuf file of points is read
//! feature by feature from the file (never whole), a GeoPackage's one point table row by row, each point kept as a row (position, a label
//! from its `id`, `name` or `title`, a date from its `date` or `event_date`) with its feature's
//! byte span (FlatGeobuf) or primary key (GeoPackage), by which a click reads it again.

use super::{
    LoadProgress, LoadedTable, NewRow, PointRecords, PointTable, Record, RowColumns, Span,
};
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::formats::flatgeobuf::{reread_properties, stream_features};
use crate::formats::skips::SkipLog;
use crate::model::LonLat;
use serde_json::{Map, Value};
use std::path::Path;

/// A property's text (strings without quotes, numbers as written).
fn text_of(properties: &Map<String, Value>, name: &str) -> Option<String> {
    match properties.get(name)? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Loads a FlatGeobuf file of points as a table, reading it feature by feature. A feature that
/// is not a point, or has no position, is skipped with its place.
pub fn load_flatgeobuf_points(
    path: &Path,
    progress: &LoadProgress,
) -> Result<LoadedTable, LoadError> {
    let file = path.display().to_string();
    let (opened, size) =
        crate::formats::file_kind::open_regular_file(path).map_err(|problem| LoadError::Read {
            file: file.clone(),
            message: problem.to_string(),
        })?;
    progress.set_total(size);
    let mut source = std::io::BufReader::with_capacity(1 << 20, opened);
    let mut rows = RowColumns::new();
    let mut not_points = Vec::new();
    let (name, skips) = stream_features(&file, &mut source, |feature| {
        if feature.index % 65_536 == 0 {
            progress.set_done(feature.offset);
            progress.check(&file)?;
        }
        let Some(geo::Geometry::Point(point)) = feature.geometry else {
            not_points.push(feature.index);
            return Ok(());
        };
        push_point(
            &mut rows,
            point,
            &feature.properties,
            Span {
                offset: feature.offset,
                len: feature.len,
            },
        );
        Ok(())
    })?;
    progress.set_done(size);
    let table = Finished {
        file,
        path,
        name,
        rows,
        not_points,
        records: PointRecords::FlatGeobuf,
    };
    Ok(table.into_loaded(DetectedFormat::FlatGeobuf, skips))
}

/// A point layer read: what makes its table.
struct Finished<'p> {
    file: String,
    path: &'p Path,
    name: String,
    rows: RowColumns,
    /// The features that were not points, skipped.
    not_points: Vec<usize>,
    records: PointRecords,
}

impl Finished<'_> {
    fn into_loaded(self, format: DetectedFormat, mut skips: SkipLog) -> LoadedTable {
        for index in self.not_points {
            skips.push(
                format!("feature {index}, field geometry"),
                "not a point with a position; a large file loads as a point layer, which keeps \
                 only points"
                    .into(),
            );
        }
        let mut table = PointTable::new(
            self.file,
            self.path.to_owned(),
            super::TableKind::Points,
            Some(self.name),
            self.rows,
            None,
        );
        table.point_records = self.records;
        LoadedTable::new(table, format, skips)
    }
}

/// Loads a GeoPackage's one point table as a table, row by row; each row's span holds its
/// primary key, by which a click reads it again.
pub fn load_geopackage_points(
    path: &Path,
    table_name: &str,
    progress: &LoadProgress,
) -> Result<LoadedTable, LoadError> {
    let file = path.display().to_string();
    let mut rows = RowColumns::new();
    let mut not_points = Vec::new();
    let skips = crate::formats::geopackage::stream_point_rows(path, table_name, &mut |row| {
        if row.index % 65_536 == 0 {
            progress.check(&file)?;
        }
        let key = row.id.as_deref().and_then(|id| id.parse::<i64>().ok());
        let (Some(geo::Geometry::Point(point)), Some(key)) = (row.geometry, key) else {
            not_points.push(row.index);
            return Ok(());
        };
        push_point(
            &mut rows,
            point,
            &row.properties,
            Span {
                offset: key as u64,
                len: 0,
            },
        );
        Ok(())
    })?;
    let table = Finished {
        file,
        path,
        name: table_name.to_owned(),
        rows,
        not_points,
        records: PointRecords::GeoPackage(table_name.to_owned()),
    };
    Ok(table.into_loaded(DetectedFormat::GeoPackage, skips))
}

/// A point row: its position, a label from its `id`, `name` or `title`, a date from its
/// `event_date` or `date`.
fn push_point(
    rows: &mut RowColumns,
    point: geo::Point<f64>,
    properties: &Map<String, Value>,
    span: Span,
) {
    let label = ["id", "name", "title"]
        .iter()
        .find_map(|name| text_of(properties, name))
        .unwrap_or_default();
    let date = ["event_date", "date"]
        .iter()
        .find_map(|name| text_of(properties, name))
        .and_then(|text| crate::formats::dates::parse_dataset_date(&text).ok());
    rows.push(NewRow {
        position: LonLat {
            lon: point.x(),
            lat: point.y(),
        },
        date,
        radius_km: None,
        class: None,
        label: &label,
        span,
    });
}

/// The columns of a GeoPackage table's row, read again by its primary key.
pub(super) fn geopackage_record(
    table: &PointTable,
    table_name: &str,
    span: Span,
) -> Result<Record, LoadError> {
    table.check_unchanged()?;
    let properties =
        crate::formats::geopackage::reread_row(&table.path, table_name, span.offset as i64)?;
    Ok(properties_record(properties))
}

fn properties_record(properties: Map<String, Value>) -> Record {
    Record::Properties(
        properties
            .into_iter()
            .map(|(name, value)| {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                (name, text)
            })
            .collect(),
    )
}

/// The properties of a FlatGeobuf table's row, read again at its span.
pub(super) fn flatgeobuf_record(table: &PointTable, span: Span) -> Result<Record, LoadError> {
    table.check_unchanged()?;
    let (opened, _) = crate::formats::file_kind::open_regular_file(&table.path)
        .map_err(|problem| table.read_error(&std::io::Error::other(problem.to_string())))?;
    let mut source = std::io::BufReader::new(opened);
    let properties = reread_properties(&table.file, &mut source, span.offset, span.len)?;
    Ok(properties_record(properties))
}
