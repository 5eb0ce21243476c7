//! The values and types of MapLibre style expressions.

use std::collections::BTreeMap;
use std::fmt;

use super::color::Color;
use super::text::number_to_string;

/// A value an expression produces or reads from a feature.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Color(Color),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// The result of `format`, kept as its plain text.
    Formatted(String),
}

/// The static type of an expression, as the style specification names them.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Null,
    Number,
    String,
    Boolean,
    Color,
    Object,
    Value,
    Array(Box<Type>, Option<usize>),
    Formatted,
    Error,
}

impl Type {
    pub fn array_of(item: Type, length: Option<usize>) -> Type {
        Type::Array(Box::new(item), length)
    }

    /// `None` when a value of type `actual` may stand where `self` is expected,
    /// else the message MapLibre gives.
    pub fn check_subtype(&self, actual: &Type) -> Option<String> {
        let fits = match (self, actual) {
            (_, Type::Error) => true,
            (Type::Array(item, length), Type::Array(actual_item, actual_length)) => {
                let item_fits = (*actual_length == Some(0) && **actual_item == Type::Value)
                    || item.check_subtype(actual_item).is_none();
                item_fits && (length.is_none() || length == actual_length)
            }
            (Type::Array(..), _) => false,
            (Type::Value, _) => true,
            (expected, actual) => expected == actual,
        };
        if fits {
            None
        } else {
            Some(format!("Expected {self} but found {actual} instead."))
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Null => f.write_str("null"),
            Type::Number => f.write_str("number"),
            Type::String => f.write_str("string"),
            Type::Boolean => f.write_str("boolean"),
            Type::Color => f.write_str("color"),
            Type::Object => f.write_str("object"),
            Type::Value => f.write_str("value"),
            Type::Formatted => f.write_str("formatted"),
            Type::Error => f.write_str("error"),
            Type::Array(item, None) if **item == Type::Value => f.write_str("array"),
            Type::Array(item, None) => write!(f, "array<{item}>"),
            Type::Array(item, Some(length)) => write!(f, "array<{item}, {length}>"),
        }
    }
}

impl Value {
    /// The value's type, as `typeof` reports it.
    pub fn type_of(&self) -> Type {
        match self {
            Value::Null => Type::Null,
            Value::Bool(_) => Type::Boolean,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::Color(_) => Type::Color,
            Value::Object(_) => Type::Object,
            Value::Formatted(_) => Type::Formatted,
            Value::Array(items) => {
                let mut item_type: Option<Type> = None;
                for item in items {
                    let t = item.type_of();
                    match &item_type {
                        None => item_type = Some(t),
                        Some(known) if *known == t && !matches!(t, Type::Array(..)) => {}
                        Some(_) => {
                            item_type = Some(Type::Value);
                            break;
                        }
                    }
                }
                Type::array_of(item_type.unwrap_or(Type::Value), Some(items.len()))
            }
        }
    }

    /// Converts parsed JSON (a feature property or a literal) to a value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, value)| (key.clone(), Value::from_json(value)))
                    .collect(),
            ),
        }
    }

    /// The value as JSON; colours become MapLibre's premultiplied `[r, g, b, a]` in 0..1.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(x) => serde_json::Number::from_f64(*x)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) | Value::Formatted(s) => serde_json::Value::String(s.clone()),
            Value::Color(c) => serde_json::json!(c.premultiplied()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(key, value)| (key.clone(), value.to_json()))
                    .collect(),
            ),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Formatted(s) => Some(s),
            _ => None,
        }
    }

    /// `to-string`'s text for the value.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Number(x) => number_to_string(*x),
            Value::String(s) | Value::Formatted(s) => s.clone(),
            Value::Color(c) => c.to_css(),
            Value::Array(_) | Value::Object(_) => self.to_json_text(),
        }
    }

    fn to_json_text(&self) -> String {
        match self {
            Value::Number(x) => number_to_string(*x),
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(Value::to_json_text).collect();
                format!("[{}]", parts.join(","))
            }
            Value::Object(map) => {
                let parts: Vec<String> = map
                    .iter()
                    .map(|(key, value)| {
                        format!(
                            "{}:{}",
                            serde_json::Value::String(key.clone()),
                            value.to_json_text()
                        )
                    })
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            Value::Color(c) => c.to_css(),
            other => other.to_json().to_string(),
        }
    }
}
