//! A row's record read again from the file: an event, checked as when loaded, or a point
//! feature's properties.

use crate::error::LoadError;
use crate::formats::event_schema::{RawEventFeature, validate_event};
use crate::table::Record;
use serde_json::Value;

/// An event record read again from the file.
pub(crate) fn event_record(file: &str, bytes: &[u8]) -> Result<Record, LoadError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let feature: RawEventFeature =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            LoadError::Document {
                file: file.to_owned(),
                message: format!(
                    "the record no longer reads: {}: {}",
                    error.path(),
                    error.inner()
                ),
            }
        })?;
    validate_event(file, 0, feature, None).map(|event| Record::Event(Box::new(event)))
}

/// A point feature's properties read again from the file.
pub(crate) fn point_record(file: &str, bytes: &[u8]) -> Result<Record, LoadError> {
    let feature: Value = serde_json::from_slice(bytes).map_err(|error| LoadError::Document {
        file: file.to_owned(),
        message: format!("the record no longer reads: {error}"),
    })?;
    let mut lines = Vec::new();
    if let Some(id) = feature.get("id") {
        lines.push(("id".to_owned(), value_text(id)));
    }
    if let Some(Value::Object(properties)) = feature.get("properties") {
        lines.extend(
            properties
                .iter()
                .map(|(key, value)| (key.clone(), value_text(value))),
        );
    }
    Ok(Record::Properties(lines))
}

pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
