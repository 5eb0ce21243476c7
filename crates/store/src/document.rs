//! An image as the case file text the case reader reads, written straight from the image's
//! fields (no copy of them is made: a case of 10,000 strikes is opened in one pass).

use crate::image::{Fields, Image, Object};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use strikemap_core::case::{LoadedCase, parse_case_of_known_version};
use strikemap_core::error::LoadError;
use strikemap_core::formats::event_schema::EVENT_SCHEMA;

/// The case an image holds, read by the case reader (so it is checked as a file is, and its
/// problems listed). `name` names it in errors.
pub fn case_of(name: &str, image: &Image) -> Result<LoadedCase, LoadError> {
    // The text is written here with this version's CASE_VERSION: no version probe needed.
    parse_case_of_known_version(name, &document_text(image))
}

/// The case file text of an image.
pub fn document_text(image: &Image) -> String {
    // Serialising JSON values to a string cannot fail.
    serde_json::to_string(&Document(image)).unwrap_or_default()
}

/// Strikes or statements in the case's order (by number, ties by id).
fn sorted(objects: &[Object]) -> Vec<&Object> {
    let mut sorted: Vec<&Object> = objects.iter().collect();
    sorted.sort_by(|a, b| a.order.total_cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    sorted
}

const NULL: Value = Value::Null;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a Value {
    fields.get(name).unwrap_or(&NULL)
}

struct Document<'a>(&'a Image);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let image = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "FeatureCollection")?;
        map.serialize_entry("schema", EVENT_SCHEMA)?;
        map.serialize_entry("title", field(&image.case, "title"))?;
        if let Some(as_of) = image.case.get("as_of") {
            map.serialize_entry("as_of", as_of)?;
        }
        map.serialize_entry("strikemap_case", &CaseMember(image))?;
        map.serialize_entry("features", &Features(image))?;
        map.end()
    }
}

struct CaseMember<'a>(&'a Image);

impl Serialize for CaseMember<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let case = &self.0.case;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("version", &strikemap_core::case::CASE_VERSION)?;
        map.serialize_entry("caveat", field(case, "caveat"))?;
        map.serialize_entry("view", field(case, "view"))?;
        map.serialize_entry("layers", &ListOrEmpty(field(case, "layers")))?;
        map.serialize_entry("statements", &Statements(self.0))?;
        map.serialize_entry(
            "statement_sources",
            &ListOrEmpty(field(case, "statement_sources")),
        )?;
        map.serialize_entry("annotations", &ListOrEmpty(field(case, "annotations")))?;
        map.end()
    }
}

/// A list field, `[]` when it is empty.
struct ListOrEmpty<'a>(&'a Value);

impl Serialize for ListOrEmpty<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_null() {
            serializer.serialize_seq(Some(0))?.end()
        } else {
            self.0.serialize(serializer)
        }
    }
}

struct Statements<'a>(&'a Image);

impl Serialize for Statements<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let statements = sorted(&self.0.statements);
        let mut seq = serializer.serialize_seq(Some(statements.len()))?;
        for statement in statements {
            seq.serialize_element(&statement.fields)?;
        }
        seq.end()
    }
}

struct Features<'a>(&'a Image);

impl Serialize for Features<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let strikes = sorted(&self.0.strikes);
        let mut seq = serializer.serialize_seq(Some(strikes.len()))?;
        for strike in strikes {
            seq.serialize_element(&Feature(strike))?;
        }
        seq.end()
    }
}

struct Feature<'a>(&'a Object);

impl Serialize for Feature<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let strike = self.0;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("type", "Feature")?;
        map.serialize_entry("id", &strike.id)?;
        map.serialize_entry("geometry", &Point(field(&strike.fields, "geometry")))?;
        map.serialize_entry("properties", &Properties(&strike.fields))?;
        map.end()
    }
}

struct Point<'a>(&'a Value);

impl Serialize for Point<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", "Point")?;
        map.serialize_entry("coordinates", self.0)?;
        map.end()
    }
}

/// A strike's fields but its position (which is the feature's geometry).
struct Properties<'a>(&'a Fields);

impl Serialize for Properties<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in self.0 {
            if name != "geometry" {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}
