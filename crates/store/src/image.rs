//! A case as the store sees it: the case's own fields, and each strike and statement as an
//! object of named fields (JSON values) with an order. Two images of one case differ by a list
//! of [`Change`]s: a case is published as its image, an edit is sent as the changes between the
//! image before and after it, and another analyst's edits arrive as changes to apply.
//!
//! A field is the unit of a clash: a strike's `title`, `casualty_claims` (the whole list) or
//! `geometry`, the case's `caveat`. Two analysts who change different fields of one strike, or
//! different strikes, never clash.
//!
//! Order: each strike and statement carries a number; the case lists them by it. A move changes
//! only the moved object's number (it is placed between its new neighbours), and an addition
//! takes a number between its neighbours, so two analysts adding strikes at once both keep theirs.

use serde_json::{Map, Value, json};
use strikemap_core::case::{Case, LoadedCase, parse_case};
use strikemap_core::error::LoadError;
use strikemap_core::formats::event_schema::EVENT_SCHEMA;
use strikemap_core::model::StrikeEvent;

/// An object's fields by name. A field that is absent and one that is `null` are the same.
pub type Fields = Map<String, Value>;

/// The case's own fields, in the store's `cases` table.
pub const CASE_FIELDS: [&str; 6] = [
    "title",
    "as_of",
    "caveat",
    "view",
    "layers",
    "statement_sources",
];

/// Which object a field belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKey {
    Case,
    Strike(String),
    Statement(String),
}

impl ObjectKey {
    /// `case`, `strike:E1`, `statement:D1`: how the history names it.
    pub fn to_text(&self) -> String {
        match self {
            Self::Case => "case".to_owned(),
            Self::Strike(id) => format!("strike:{id}"),
            Self::Statement(id) => format!("statement:{id}"),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        if text == "case" {
            return Some(Self::Case);
        }
        if let Some(id) = text.strip_prefix("strike:") {
            return Some(Self::Strike(id.to_owned()));
        }
        text.strip_prefix("statement:")
            .map(|id| Self::Statement(id.to_owned()))
    }

    /// "strike E1", "statement D2", "the case": for messages.
    pub fn in_words(&self) -> String {
        match self {
            Self::Case => "the case".to_owned(),
            Self::Strike(id) => format!("strike {id}"),
            Self::Statement(id) => format!("statement {id}"),
        }
    }
}

/// A strike or a statement.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Object {
    pub id: String,
    /// Where it stands in the case's list (smaller first; ties by id).
    pub order: f64,
    pub fields: Fields,
}

/// The name of the pseudo-field that holds an object's order in changes and the history.
pub const ORDER_FIELD: &str = "order";

/// A whole case as fields.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub case: Fields,
    pub strikes: Vec<Object>,
    pub statements: Vec<Object>,
}

/// One difference between two images.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A field of an object takes a new value (`null`: it is emptied).
    Set {
        object: ObjectKey,
        field: String,
        old: Value,
        new: Value,
    },
    /// A strike or statement is added.
    Add { object: ObjectKey, value: Object },
    /// A strike or statement is removed.
    Delete { object: ObjectKey, old: Object },
}

impl Change {
    pub fn object(&self) -> &ObjectKey {
        match self {
            Self::Set { object, .. } | Self::Add { object, .. } | Self::Delete { object, .. } => {
                object
            }
        }
    }

    /// The change that undoes this one.
    pub fn inverse(&self) -> Self {
        match self.clone() {
            Self::Add { object, value } => Self::Delete { object, old: value },
            Self::Delete { object, old } => Self::Add { object, value: old },
            Self::Set {
                object,
                field,
                old,
                new,
            } => Self::Set {
                object,
                field,
                old: new,
                new: old,
            },
        }
    }

    /// The field it changes; `*` for a whole object added or removed.
    pub fn field(&self) -> &str {
        match self {
            Self::Set { field, .. } => field,
            Self::Add { .. } | Self::Delete { .. } => "*",
        }
    }
}

/// The image of a case. `previous` (the image last sent to or read from the store) keeps the
/// order numbers of objects that did not move.
pub fn image_of(case: &Case, previous: Option<&Image>) -> Image {
    let mut fields = Fields::new();
    fields.insert("title".into(), json!(case.meta.title));
    fields.insert(
        "as_of".into(),
        case.meta
            .as_of
            .map_or(Value::Null, |date| json!(date.to_iso())),
    );
    fields.insert("caveat".into(), json!(case.meta.caveat));
    fields.insert(
        "view".into(),
        case.view.map_or(
            Value::Null,
            |view| json!({"center": [view.center.lon, view.center.lat], "zoom": view.zoom}),
        ),
    );
    fields.insert("layers".into(), to_value(&case.layers));
    fields.insert(
        "statement_sources".into(),
        to_value(&case.statement_sources),
    );
    let strikes: Vec<(String, Fields)> = case
        .events
        .iter()
        .map(|event| (event.id().to_owned(), strike_fields(event)))
        .collect();
    let statements: Vec<(String, Fields)> = case
        .statements
        .iter()
        .map(|statement| (statement.id.clone(), object_fields(to_value(statement))))
        .collect();
    Image {
        case: fields,
        strikes: ordered(strikes, previous.map(|image| image.strikes.as_slice())),
        statements: ordered(
            statements,
            previous.map(|image| image.statements.as_slice()),
        ),
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    // The model's types serialize to JSON without fail (string keys, finite or null numbers).
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn object_fields(value: Value) -> Fields {
    match value {
        Value::Object(map) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Fields::new(),
    }
}

fn strike_fields(event: &StrikeEvent) -> Fields {
    let mut fields = object_fields(to_value(&event.properties));
    fields.insert(
        "geometry".into(),
        json!([event.position.lon, event.position.lat]),
    );
    fields
}

/// Gives each object its order number: objects of `previous` that kept their relative order keep
/// their numbers; the others (new, or moved) take a number between their new neighbours.
fn ordered(objects: Vec<(String, Fields)>, previous: Option<&[Object]>) -> Vec<Object> {
    let previous = previous.unwrap_or_default();
    let old_order = |id: &str| {
        previous
            .iter()
            .find(|object| object.id == id)
            .map(|object| object.order)
    };
    let olds: Vec<Option<f64>> = objects.iter().map(|(id, _)| old_order(id)).collect();
    let kept = longest_increasing(&olds);
    let mut orders: Vec<Option<f64>> = olds
        .iter()
        .enumerate()
        .map(|(index, old)| if kept[index] { *old } else { None })
        .collect();
    let mut index = 0;
    while index < orders.len() {
        if orders[index].is_some() {
            index += 1;
            continue;
        }
        // A run of objects without a number, between two kept ones (or an end).
        let start = index;
        while index < orders.len() && orders[index].is_none() {
            index += 1;
        }
        let before = start.checked_sub(1).and_then(|i| orders[i]);
        let after = orders.get(index).copied().flatten();
        let count = (index - start) as f64;
        for (step, slot) in orders[start..index].iter_mut().enumerate() {
            let step = step as f64 + 1.0;
            *slot = Some(match (before, after) {
                (Some(before), Some(after)) => before + (after - before) * step / (count + 1.0),
                (Some(before), None) => before + step,
                (None, Some(after)) => after - (count + 1.0 - step),
                (None, None) => step - 1.0,
            });
        }
    }
    objects
        .into_iter()
        .zip(orders)
        .map(|((id, fields), order)| Object {
            id,
            order: order.unwrap_or_default(),
            fields,
        })
        .collect()
}

/// Marks the longest run (not necessarily contiguous) of known numbers that increase: the
/// objects that did not move.
fn longest_increasing(values: &[Option<f64>]) -> Vec<bool> {
    // Patience sorting: tails[k] is the index ending the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut parent: Vec<Option<usize>> = vec![None; values.len()];
    for (index, value) in values.iter().enumerate() {
        let Some(value) = value else { continue };
        let position = tails.partition_point(|&tail| values[tail].is_some_and(|t| t < *value));
        parent[index] = position.checked_sub(1).map(|p| tails[p]);
        if position == tails.len() {
            tails.push(index);
        } else {
            tails[position] = index;
        }
    }
    let mut kept = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(index) = at {
        kept[index] = true;
        at = parent[index];
    }
    kept
}

/// The changes that turn `before` into `after`.
pub fn diff(before: &Image, after: &Image) -> Vec<Change> {
    let mut changes = Vec::new();
    diff_fields(&ObjectKey::Case, &before.case, &after.case, &mut changes);
    diff_objects(
        &before.strikes,
        &after.strikes,
        ObjectKey::Strike,
        &mut changes,
    );
    diff_objects(
        &before.statements,
        &after.statements,
        ObjectKey::Statement,
        &mut changes,
    );
    changes
}

fn diff_fields(object: &ObjectKey, before: &Fields, after: &Fields, changes: &mut Vec<Change>) {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let old = before.get(name).cloned().unwrap_or(Value::Null);
        let new = after.get(name).cloned().unwrap_or(Value::Null);
        if old != new {
            changes.push(Change::Set {
                object: object.clone(),
                field: name.clone(),
                old,
                new,
            });
        }
    }
}

fn diff_objects(
    before: &[Object],
    after: &[Object],
    key: fn(String) -> ObjectKey,
    changes: &mut Vec<Change>,
) {
    for old in before {
        if !after.iter().any(|object| object.id == old.id) {
            changes.push(Change::Delete {
                object: key(old.id.clone()),
                old: old.clone(),
            });
        }
    }
    for new in after {
        let object = key(new.id.clone());
        match before.iter().find(|old| old.id == new.id) {
            None => changes.push(Change::Add {
                object,
                value: new.clone(),
            }),
            Some(old) => {
                if old.order != new.order {
                    changes.push(Change::Set {
                        object: object.clone(),
                        field: ORDER_FIELD.to_owned(),
                        old: json!(old.order),
                        new: json!(new.order),
                    });
                }
                diff_fields(&object, &old.fields, &new.fields, changes);
            }
        }
    }
}

/// Carries a change out on an image (another analyst's edit arriving). A change to an object
/// that is not there is ignored, and so is the addition of one already there.
pub fn apply(image: &mut Image, change: &Change) {
    match change {
        // A whole case published: nothing to carry out on an image of it.
        Change::Set { field, .. } if field == "*" => {}
        Change::Set {
            object: ObjectKey::Case,
            field,
            new,
            ..
        } => set_field(&mut image.case, field, new),
        Change::Set {
            object, field, new, ..
        } => {
            if let Some(target) = objects_of(image, object)
                .and_then(|(list, id)| list.iter_mut().find(|candidate| candidate.id == id))
            {
                if field == ORDER_FIELD {
                    target.order = new.as_f64().unwrap_or(target.order);
                } else {
                    set_field(&mut target.fields, field, new);
                }
            }
        }
        Change::Add { object, value } => {
            if let Some((list, id)) = objects_of(image, object)
                && !list.iter().any(|candidate| candidate.id == id)
            {
                list.push(value.clone());
            }
        }
        Change::Delete { object, .. } => {
            if let Some((list, id)) = objects_of(image, object) {
                list.retain(|candidate| candidate.id != id);
            }
        }
    }
}

/// A whole strike or statement as the history keeps it.
pub(crate) fn object_value(object: &Object) -> Value {
    json!({"order": object.order, "fields": object.fields})
}

/// The value of one field of an image (`null` when empty or the object is not there); `*` is
/// the whole object, as the history writes it.
pub fn value_of(image: &Image, object: &ObjectKey, field: &str) -> Value {
    let objects = match object {
        ObjectKey::Case => return image.case.get(field).cloned().unwrap_or(Value::Null),
        ObjectKey::Strike(_) => &image.strikes,
        ObjectKey::Statement(_) => &image.statements,
    };
    let id = match object {
        ObjectKey::Strike(id) | ObjectKey::Statement(id) => id,
        ObjectKey::Case => return Value::Null,
    };
    let Some(found) = objects.iter().find(|candidate| &candidate.id == id) else {
        return Value::Null;
    };
    match field {
        ORDER_FIELD => Value::from(found.order),
        "*" => object_value(found),
        _ => found.fields.get(field).cloned().unwrap_or(Value::Null),
    }
}

fn set_field(fields: &mut Fields, name: &str, value: &Value) {
    if value.is_null() {
        fields.remove(name);
    } else {
        fields.insert(name.to_owned(), value.clone());
    }
}

fn objects_of<'a>(
    image: &'a mut Image,
    object: &ObjectKey,
) -> Option<(&'a mut Vec<Object>, String)> {
    match object {
        ObjectKey::Case => None,
        ObjectKey::Strike(id) => Some((&mut image.strikes, id.clone())),
        ObjectKey::Statement(id) => Some((&mut image.statements, id.clone())),
    }
}

fn sorted(objects: &[Object]) -> Vec<&Object> {
    let mut sorted: Vec<&Object> = objects.iter().collect();
    sorted.sort_by(|a, b| a.order.total_cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    sorted
}

/// The case file text of an image: what the case reader reads.
pub fn document_of(image: &Image) -> Value {
    let field = |name: &str| image.case.get(name).cloned().unwrap_or(Value::Null);
    let features: Vec<Value> = sorted(&image.strikes)
        .into_iter()
        .map(|strike| {
            let mut properties = strike.fields.clone();
            let geometry = properties.remove("geometry").unwrap_or(Value::Null);
            json!({
                "type": "Feature",
                "id": strike.id,
                "geometry": {"type": "Point", "coordinates": geometry},
                "properties": properties,
            })
        })
        .collect();
    let statements: Vec<Value> = sorted(&image.statements)
        .into_iter()
        .map(|statement| Value::Object(statement.fields.clone()))
        .collect();
    let mut document = json!({
        "type": "FeatureCollection",
        "schema": EVENT_SCHEMA,
        "title": field("title"),
        "strikemap_case": {
            "version": strikemap_core::case::CASE_VERSION,
            "caveat": field("caveat"),
            "view": field("view"),
            "layers": or_empty_list(field("layers")),
            "statements": statements,
            "statement_sources": or_empty_list(field("statement_sources")),
        },
        "features": features,
    });
    if let (Some(as_of), Value::Object(map)) = (image.case.get("as_of"), &mut document) {
        map.insert("as_of".into(), as_of.clone());
    }
    document
}

fn or_empty_list(value: Value) -> Value {
    if value.is_null() { json!([]) } else { value }
}

/// The case an image holds, read by the case reader (so it is checked as a file is, and its
/// problems listed). `name` names it in errors.
pub fn case_of(name: &str, image: &Image) -> Result<LoadedCase, LoadError> {
    let text = document_of(image).to_string();
    parse_case(name, &text)
}

#[cfg(test)]
#[path = "image_tests.rs"]
mod tests;
