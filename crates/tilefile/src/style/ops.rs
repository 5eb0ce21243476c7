//! The plain operators: math, colour, string and array functions.

use super::convert::{error_from, rgba, to_boolean};
use super::expr::{Context, Expr, Op};
use super::failure::{EvalResult, fail, number};
use super::value::{Type, Value};

pub fn call(op: Op, args: &[Expr], context: &Context, _ty: &Type) -> EvalResult {
    let mut values = Vec::with_capacity(args.len());
    for arg in args {
        values.push(arg.evaluate(context)?);
    }
    let num = |index: usize| values.get(index).map_or(Ok(f64::NAN), number);
    let result = match op {
        Op::Add => Value::Number(numbers(&values)?.iter().sum()),
        Op::Multiply => Value::Number(numbers(&values)?.iter().product()),
        Op::Min => Value::Number(numbers(&values)?.into_iter().fold(f64::INFINITY, f64::min)),
        Op::Max => Value::Number(
            numbers(&values)?
                .into_iter()
                .fold(f64::NEG_INFINITY, f64::max),
        ),
        Op::Subtract if values.len() == 1 => Value::Number(-num(0)?),
        Op::Subtract => Value::Number(num(0)? - num(1)?),
        Op::Divide => Value::Number(num(0)? / num(1)?),
        Op::Remainder => Value::Number(num(0)? % num(1)?),
        Op::Power => Value::Number(num(0)?.powf(num(1)?)),
        Op::Sqrt => Value::Number(num(0)?.sqrt()),
        Op::Log10 => Value::Number(num(0)?.log10()),
        Op::Ln => Value::Number(num(0)?.ln()),
        Op::Log2 => Value::Number(num(0)?.log2()),
        Op::Abs => Value::Number(num(0)?.abs()),
        Op::Floor => Value::Number(num(0)?.floor()),
        Op::Ceil => Value::Number(num(0)?.ceil()),
        Op::Round => Value::Number(num(0)?.round()),
        Op::E => Value::Number(std::f64::consts::E),
        Op::Pi => Value::Number(std::f64::consts::PI),
        Op::Ln2 => Value::Number(std::f64::consts::LN_2),
        Op::Sin => Value::Number(num(0)?.sin()),
        Op::Cos => Value::Number(num(0)?.cos()),
        Op::Tan => Value::Number(num(0)?.tan()),
        Op::Asin => Value::Number(num(0)?.asin()),
        Op::Acos => Value::Number(num(0)?.acos()),
        Op::Atan => Value::Number(num(0)?.atan()),
        Op::Rgb | Op::Rgba => {
            let alpha = if op == Op::Rgba { num(3)? } else { 1.0 };
            Value::Color(rgba(num(0)?, num(1)?, num(2)?, alpha).map_err(error_from)?)
        }
        Op::ToRgba => match values.first() {
            Some(Value::Color(color)) => Value::Array(
                color
                    .to_rgba_array()
                    .into_iter()
                    .map(Value::Number)
                    .collect(),
            ),
            _ => return fail("Expected a colour.".to_string()),
        },
        Op::ToString => Value::String(values.first().map(Value::to_text).unwrap_or_default()),
        Op::ToBoolean => Value::Bool(values.first().is_some_and(to_boolean)),
        Op::TypeOf => Value::String(
            values
                .first()
                .map(|v| v.type_of().to_string())
                .unwrap_or_default(),
        ),
        Op::Concat => Value::String(values.iter().map(Value::to_text).collect()),
        Op::Upcase => Value::String(text(&values, 0)?.to_uppercase()),
        Op::Downcase => Value::String(text(&values, 0)?.to_lowercase()),
        Op::Not => Value::Bool(!matches!(values.first(), Some(Value::Bool(true)))),
        Op::Length => match values.first() {
            Some(Value::String(s)) => Value::Number(s.chars().count() as f64),
            Some(Value::Array(items)) => Value::Number(items.len() as f64),
            other => {
                return fail(format!(
                    "Expected value to be of type string or array, but found {} instead.",
                    other.map_or(Type::Null, Value::type_of)
                ));
            }
        },
        Op::At => at(num(0)?, values.get(1))?,
        Op::In | Op::IndexOf => index_of(op, &values)?,
        Op::Slice => slice(&values)?,
        Op::Error => return fail(values.first().map(Value::to_text).unwrap_or_default()),
    };
    Ok(result)
}

fn numbers(values: &[Value]) -> Result<Vec<f64>, super::failure::EvalError> {
    values.iter().map(number).collect()
}

fn text(values: &[Value], index: usize) -> Result<&str, super::failure::EvalError> {
    match values.get(index) {
        Some(Value::String(s)) => Ok(s),
        other => fail(format!(
            "Expected value to be of type string, but found {} instead.",
            other.map_or(Type::Null, Value::type_of)
        )),
    }
}

fn at(index: f64, array: Option<&Value>) -> EvalResult {
    let Some(Value::Array(items)) = array else {
        return fail("Expected value to be of type array.".to_string());
    };
    if index < 0.0 {
        return fail(format!("Array index out of bounds: {index} < 0."));
    }
    if index >= items.len() as f64 {
        return fail(format!(
            "Array index out of bounds: {index} > {}.",
            items.len() as f64 - 1.0
        ));
    }
    if index.floor() != index {
        return fail(format!(
            "Array index must be an integer, but found {index} instead."
        ));
    }
    Ok(items[index as usize].clone())
}

/// JavaScript's `String(value)` for the needle of `in` and `index-of`.
fn js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        other => other.to_text(),
    }
}

fn index_of(op: Op, values: &[Value]) -> EvalResult {
    let (Some(needle), Some(haystack)) = (values.first(), values.get(1)) else {
        return Ok(Value::Bool(false));
    };
    if !matches!(
        needle,
        Value::Bool(_) | Value::String(_) | Value::Number(_) | Value::Null
    ) {
        return fail(format!(
            "Expected first argument to be of type boolean, string, number or null, but found {} instead.",
            needle.type_of()
        ));
    }
    let from = match values.get(2) {
        Some(value) => number(value)?,
        None => 0.0,
    };
    if op == Op::In && matches!(haystack, Value::String(s) if s.is_empty()) {
        return Ok(Value::Bool(false));
    }
    let found: Option<usize> = match haystack {
        Value::Array(items) => {
            let start = start_index(from, items.len());
            items
                .iter()
                .skip(start)
                .position(|item| item == needle)
                .map(|i| i + start)
        }
        Value::String(s) => {
            let units: Vec<char> = s.chars().collect();
            let needle: Vec<char> = js_string(needle).chars().collect();
            let start = start_index(from.max(0.0), units.len());
            if needle.is_empty() {
                Some(start)
            } else {
                units
                    .get(start..)
                    .and_then(|rest| {
                        rest.windows(needle.len())
                            .position(|w| w == needle.as_slice())
                    })
                    .map(|i| i + start)
            }
        }
        // MapLibre's `in` treats an empty or missing haystack as containing nothing.
        Value::Null if op == Op::In => None,
        other => {
            return fail(format!(
                "Expected second argument to be of type array or string, but found {} instead.",
                other.type_of()
            ));
        }
    };
    Ok(if op == Op::In {
        Value::Bool(found.is_some())
    } else {
        Value::Number(found.map_or(-1.0, |i| i as f64))
    })
}

/// A JavaScript slice bound: negative counts from the end; clamped to the length.
fn start_index(bound: f64, length: usize) -> usize {
    let length_f = length as f64;
    let bound = bound.trunc();
    let index = if bound < 0.0 {
        (length_f + bound).max(0.0)
    } else {
        bound.min(length_f)
    };
    index as usize
}

fn slice(values: &[Value]) -> EvalResult {
    let begin = values.get(1).map_or(Ok(0.0), number)?;
    let end = values.get(2).map(number).transpose()?;
    match values.first() {
        Some(Value::Array(items)) => {
            let start = start_index(begin, items.len());
            let stop = end.map_or(items.len(), |end| start_index(end, items.len()));
            Ok(Value::Array(
                items
                    .get(start..stop.max(start))
                    .unwrap_or_default()
                    .to_vec(),
            ))
        }
        Some(Value::String(s)) => {
            let units: Vec<char> = s.chars().collect();
            let start = start_index(begin, units.len());
            let stop = end.map_or(units.len(), |end| start_index(end, units.len()));
            Ok(Value::String(
                units
                    .get(start..stop.max(start))
                    .unwrap_or_default()
                    .iter()
                    .collect(),
            ))
        }
        other => fail(format!(
            "Expected first argument to be of type array or string, but found {} instead.",
            other.map_or(Type::Null, Value::type_of)
        )),
    }
}
