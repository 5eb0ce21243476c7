//! Evaluation errors: values, as in MapLibre, never panics.

use super::value::Value;

/// Why an expression could not be evaluated for a feature.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError(pub String);

pub type EvalResult = Result<Value, EvalError>;

pub(super) fn fail<T>(message: String) -> Result<T, EvalError> {
    Err(EvalError(message))
}

pub(super) fn number(value: &Value) -> Result<f64, EvalError> {
    match value {
        Value::Number(x) => Ok(*x),
        other => fail(format!(
            "Expected value to be of type number, but found {} instead.",
            other.type_of()
        )),
    }
}
