//! The RFC 7946 rule breaks that GeoJSON readers commonly tolerate, and the warnings that say so:
//! one wording for the whole-file overlay reader and the large-file table reader.

/// The shape of a `bbox` member: an array of `len` values (all numbers or not), or another kind
/// of JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BboxShape {
    Array { len: usize, all_numbers: bool },
    Other(&'static str),
}

/// What is wrong with a bbox, if anything: RFC 7946 §5 wants 2 × n numbers (4 or 6). A wrong
/// one is ignored (the map computes its own).
pub(crate) fn bbox_problem(shape: BboxShape) -> Option<String> {
    match shape {
        BboxShape::Other(kind) => Some(format!(
            "RFC 7946 §5: bbox is {kind}, expected an array of 4 or 6 numbers; ignored it"
        )),
        BboxShape::Array {
            all_numbers: false, ..
        } => Some("RFC 7946 §5: bbox has a member that is not a number; ignored it".to_owned()),
        BboxShape::Array { len, .. } if len < 4 || len % 2 != 0 => Some(format!(
            "RFC 7946 §5: bbox has {len} numbers, expected 4 or 6 (two corners); ignored it"
        )),
        BboxShape::Array { .. } => None,
    }
}

/// A feature id that is neither a string nor a number (RFC 7946 §3.2): a boolean is kept as
/// text, anything else ignored.
pub(crate) fn id_problem(kind: &'static str, boolean: Option<bool>) -> String {
    match boolean {
        Some(value) => format!(
            "RFC 7946 §3.2: the id is a boolean, expected a string or a number; kept it as the \
             text \"{value}\""
        ),
        None => {
            format!("RFC 7946 §3.2: the id is {kind}, expected a string or a number; ignored it")
        }
    }
}

/// A position's member after longitude and latitude that is not a number (RFC 7946 §3.1.1).
pub(crate) fn position_extra_problem(index: usize, kind: &'static str) -> String {
    format!("RFC 7946 §3.1.1: the position's member [{index}] is {kind}, not a number; ignored it")
}

/// What is wrong with a bbox given as JSON, if anything ([`bbox_problem`]).
pub(crate) fn bbox_value_problem(bbox: &serde_json::Value) -> Option<String> {
    let shape = match bbox {
        serde_json::Value::Array(items) => BboxShape::Array {
            len: items.len(),
            all_numbers: items.iter().all(serde_json::Value::is_number),
        },
        other => BboxShape::Other(crate::formats::overlay::kind_of(other)),
    };
    bbox_problem(shape)
}
