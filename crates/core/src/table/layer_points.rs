//! Large point layers of the binary formats as tables: a FlatGeobuf file of points is read
//! feature by feature from the file (never whole), each point kept as a row (position, a label
//! from its `id`, `name` or `title`, a date from its `date` or `event_date`) with its feature's
//! byte span, which a click reads again with the file's header ([`flatgeobuf_record`]).

use super::{
    LoadProgress, LoadedTable, NewRow, PointRecords, PointTable, Record, RowColumns, Span,
};
use crate::error::LoadError;
use crate::formats::detect::DetectedFormat;
use crate::formats::flatgeobuf::{reread_properties, stream_features};
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
    let (name, mut skips) = stream_features(&file, &mut source, |feature| {
        if feature.index % 65_536 == 0 {
            progress.set_done(feature.offset);
            progress.check(&file)?;
        }
        let Some(geo::Geometry::Point(point)) = feature.geometry else {
            not_points.push(feature.index);
            return Ok(());
        };
        let properties = &feature.properties;
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
            span: Span {
                offset: feature.offset,
                len: feature.len,
            },
        });
        Ok(())
    })?;
    for index in not_points {
        skips.push(
            format!("feature {index}, field geometry"),
            "not a point with a position; a large file loads as a point layer, which keeps only \
             points"
                .into(),
        );
    }
    progress.set_done(size);
    let mut table = PointTable::new(
        file,
        path.to_owned(),
        super::TableKind::Points,
        Some(name),
        rows,
        None,
    );
    table.point_records = PointRecords::FlatGeobuf;
    Ok(LoadedTable::new(table, DetectedFormat::FlatGeobuf, skips))
}

/// The properties of a FlatGeobuf table's row, read again at its span.
pub(super) fn flatgeobuf_record(table: &PointTable, span: Span) -> Result<Record, LoadError> {
    table.check_unchanged()?;
    let (opened, _) = crate::formats::file_kind::open_regular_file(&table.path)
        .map_err(|problem| table.read_error(&std::io::Error::other(problem.to_string())))?;
    let mut source = std::io::BufReader::new(opened);
    let properties = reread_properties(&table.file, &mut source, span.offset, span.len)?;
    Ok(Record::Properties(
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
    ))
}
