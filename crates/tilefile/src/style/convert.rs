//! Conversions between value kinds: `to-number`, `to-color`, `to-boolean`, and number text.

use super::color::Color;
use super::expr::{Context, Expr};
use super::failure::{EvalError, EvalResult, fail};
use super::value::{Type, Value};

/// `to-number` or `to-color` (explicit or implicit): the first argument that converts.
pub fn coerce(ty: &Type, args: &[Expr], context: &Context) -> EvalResult {
    if *ty == Type::Color {
        let mut error = None;
        for arg in args {
            let input = arg.evaluate(context)?;
            match color_from_value(&input) {
                Ok(color) => return Ok(Value::Color(color)),
                Err(message) => error = Some(message),
            }
        }
        return fail(error.unwrap_or_else(|| "Could not parse color.".to_string()));
    }
    let mut last = Value::Null;
    for arg in args {
        last = arg.evaluate(context)?;
        if last == Value::Null {
            return Ok(Value::Number(0.0));
        }
        if let Some(x) = to_number(&last)
            && !x.is_nan()
        {
            return Ok(Value::Number(x));
        }
    }
    fail(format!("Could not convert {} to number.", last.to_json()))
}

fn color_from_value(input: &Value) -> Result<Color, String> {
    match input {
        Value::Color(color) => Ok(*color),
        Value::String(text) => {
            Color::parse(text).ok_or_else(|| format!("Could not parse color from value '{text}'"))
        }
        Value::Array(items) => {
            if items.len() < 3 || items.len() > 4 {
                return Err(format!(
                    "Invalid rgba value {}: expected an array containing either three or four numeric values.",
                    input.to_json()
                ));
            }
            let numbers: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
            if numbers.len() != items.len() {
                return Err(format!(
                    "Invalid rgba value {}: expected an array containing either three or four numeric values.",
                    input.to_json()
                ));
            }
            rgba(
                numbers[0],
                numbers[1],
                numbers[2],
                numbers.get(3).copied().unwrap_or(1.0),
            )
        }
        other => Err(format!(
            "Could not parse color from value '{}'",
            other.to_json()
        )),
    }
}

/// A colour from 0..255 channels and a 0..1 alpha, checked as `rgba` checks them.
pub fn rgba(r: f64, g: f64, b: f64, a: f64) -> Result<Color, String> {
    let in_range = |c: f64| (0.0..=255.0).contains(&c);
    if !(in_range(r) && in_range(g) && in_range(b)) {
        return Err(format!(
            "Invalid rgba value [{}, {}, {}, {}]: 'r', 'g', and 'b' must be between 0 and 255.",
            r, g, b, a
        ));
    }
    if !(0.0..=1.0).contains(&a) {
        return Err(format!(
            "Invalid rgba value [{r}, {g}, {b}, {a}]: 'a' must be between 0 and 1."
        ));
    }
    Ok(Color::from_rgba8(r, g, b, a))
}

/// JavaScript's `Number(value)`.
pub fn to_number(value: &Value) -> Option<f64> {
    match value {
        Value::Null => Some(0.0),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Number(x) => Some(*x),
        Value::String(text) => {
            let text = text.trim();
            if text.is_empty() {
                Some(0.0)
            } else {
                text.parse::<f64>().ok()
            }
        }
        _ => None,
    }
}

/// JavaScript's `Boolean(value)`.
pub fn to_boolean(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(x) => *x != 0.0 && !x.is_nan(),
        Value::String(text) => !text.is_empty(),
        _ => true,
    }
}

/// A number with thousands separators and between `min` and `max` fraction digits.
pub fn format_number(x: f64, min: usize, max: usize) -> String {
    if !x.is_finite() {
        return super::text::number_to_string(x);
    }
    let fixed = format!("{:.*}", max, x.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut fraction = fraction.trim_end_matches('0').to_string();
    while fraction.len() < min {
        fraction.push('0');
    }
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if x < 0.0 && (whole != "0" || !fraction.is_empty()) {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

pub(super) fn error_from(message: String) -> EvalError {
    EvalError(message)
}
