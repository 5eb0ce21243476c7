//! Evaluating a parsed expression against a feature and a zoom. Errors are values, as in
//! MapLibre: a failed evaluation returns [`EvalError`] and never panics.

use std::cmp::Ordering;

use super::color::Color;
use super::expr::{ColorSpace, Comparison, Context, Curve, Expr, Kind};
use super::failure::{EvalError, EvalResult, fail, number};
use super::interpolate::{interpolate_values, interpolation_factor};
use super::value::{Type, Value};

impl Expr {
    /// The expression's value for the context's feature and zoom.
    pub fn evaluate(&self, context: &Context) -> EvalResult {
        match &self.kind {
            Kind::Literal(value) => Ok(value.clone()),
            Kind::Get { key, object } => {
                let key = key.evaluate(context)?;
                let key = key.as_str().unwrap_or_default();
                match object {
                    Some(object) => match object.evaluate(context)? {
                        Value::Object(map) => Ok(map.get(key).cloned().unwrap_or(Value::Null)),
                        _ => Ok(Value::Null),
                    },
                    None => Ok(context
                        .feature
                        .and_then(|feature| feature.property(key))
                        .unwrap_or(Value::Null)),
                }
            }
            Kind::Has { key, object } => {
                let key = key.evaluate(context)?;
                let key = key.as_str().unwrap_or_default();
                match object {
                    Some(object) => match object.evaluate(context)? {
                        Value::Object(map) => Ok(Value::Bool(map.contains_key(key))),
                        _ => Ok(Value::Bool(false)),
                    },
                    None => Ok(Value::Bool(
                        context
                            .feature
                            .is_some_and(|feature| feature.property(key).is_some()),
                    )),
                }
            }
            Kind::Properties => Ok(Value::Object(
                context
                    .feature
                    .map(|feature| feature.properties().into_iter().collect())
                    .unwrap_or_default(),
            )),
            Kind::GeometryType => Ok(context
                .feature
                .and_then(|feature| feature.geometry_type())
                .map_or(Value::Null, |name| Value::String(name.to_string()))),
            Kind::Id => Ok(context
                .feature
                .and_then(|feature| feature.id())
                .unwrap_or(Value::Null)),
            Kind::Zoom => Ok(Value::Number(context.zoom.unwrap_or(0.0))),
            Kind::Compare { op, lhs, rhs } => compare(
                *op,
                &lhs.evaluate(context)?,
                &rhs.evaluate(context)?,
                lhs,
                rhs,
            ),
            Kind::All(args) => {
                for arg in args {
                    if !truthy_bool(&arg.evaluate(context)?) {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(true))
            }
            Kind::Any(args) => {
                for arg in args {
                    if truthy_bool(&arg.evaluate(context)?) {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            Kind::Case {
                branches,
                otherwise,
            } => {
                for (condition, output) in branches {
                    if truthy_bool(&condition.evaluate(context)?) {
                        return output.evaluate(context);
                    }
                }
                otherwise.evaluate(context)
            }
            Kind::Match {
                input,
                labels,
                outputs,
                otherwise,
            } => {
                let input = input.evaluate(context)?;
                let branch = labels
                    .iter()
                    .find(|(label, _)| *label == input)
                    .map(|(_, index)| *index);
                match branch.and_then(|index| outputs.get(index)) {
                    Some(output) => output.evaluate(context),
                    None => otherwise.evaluate(context),
                }
            }
            Kind::Coalesce(args) => {
                let mut result = Value::Null;
                for arg in args {
                    result = match arg.evaluate(context) {
                        Ok(value) => value,
                        // A colour that does not parse counts as missing, so the next is tried.
                        Err(_) if self.ty == Type::Color || arg.ty == Type::Color => Value::Null,
                        Err(error) => return Err(error),
                    };
                    if result != Value::Null {
                        break;
                    }
                }
                Ok(result)
            }
            Kind::Step {
                input,
                first,
                stops,
            } => {
                let x = number(&input.evaluate(context)?)?;
                let index = stops.partition_point(|(label, _)| *label <= x);
                match index.checked_sub(1).and_then(|i| stops.get(i)) {
                    Some((_, output)) => output.evaluate(context),
                    None => first.evaluate(context),
                }
            }
            Kind::Interpolate {
                curve,
                space,
                input,
                stops,
            } => evaluate_interpolate(*curve, *space, &input.evaluate(context)?, stops, context),
            Kind::Var(bound) => bound.evaluate(context),
            Kind::Let { body, .. } => body.evaluate(context),
            Kind::Assert(args) => {
                let mut last = Value::Null;
                for arg in args {
                    last = arg.evaluate(context)?;
                    if self.ty.check_subtype(&last.type_of()).is_none() {
                        return Ok(last);
                    }
                }
                fail(format!(
                    "Expected value to be of type {}, but found {} instead.",
                    self.ty,
                    last.type_of()
                ))
            }
            Kind::Coerce(args) => super::convert::coerce(&self.ty, args, context),
            Kind::Call { op, args } => super::ops::call(*op, args, context, &self.ty),
            Kind::Format(sections) => {
                let mut text = String::new();
                for section in sections {
                    text.push_str(&section.evaluate(context)?.to_text());
                }
                Ok(Value::Formatted(text))
            }
            Kind::NumberFormat {
                number: value,
                min_fraction,
                max_fraction,
            } => {
                let x = number(&value.evaluate(context)?)?;
                let digits = |option: &Option<Box<Expr>>| -> Result<Option<usize>, EvalError> {
                    match option {
                        Some(expr) => Ok(Some(
                            number(&expr.evaluate(context)?)?.clamp(0.0, 20.0) as usize
                        )),
                        None => Ok(None),
                    }
                };
                let min = digits(min_fraction)?.unwrap_or(0);
                let max = digits(max_fraction)?.unwrap_or(3).max(min);
                Ok(Value::String(super::convert::format_number(x, min, max)))
            }
        }
    }

    /// Evaluates and takes the result as a boolean (a filter): anything but `true` is false.
    pub fn evaluate_filter(&self, context: &Context) -> bool {
        matches!(self.evaluate(context), Ok(Value::Bool(true)))
    }
}

fn truthy_bool(value: &Value) -> bool {
    matches!(value, Value::Bool(true))
}

fn compare(
    op: Comparison,
    lhs: &Value,
    rhs: &Value,
    lhs_expr: &Expr,
    rhs_expr: &Expr,
) -> EvalResult {
    let result = match op {
        Comparison::Equal => lhs == rhs,
        Comparison::NotEqual => lhs != rhs,
        _ => {
            let ordering = match (lhs, rhs) {
                (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                _ => {
                    if lhs_expr.ty == Type::Value && rhs_expr.ty == Type::Value {
                        let name = match op {
                            Comparison::Less => "<",
                            Comparison::LessOrEqual => "<=",
                            Comparison::Greater => ">",
                            _ => ">=",
                        };
                        return fail(format!(
                            "Expected arguments for \"{name}\" to be (string, string) or (number, number), but found ({}, {}) instead.",
                            lhs.type_of(),
                            rhs.type_of()
                        ));
                    }
                    None
                }
            };
            match ordering {
                None => false,
                Some(ordering) => match op {
                    Comparison::Less => ordering == Ordering::Less,
                    Comparison::LessOrEqual => ordering != Ordering::Greater,
                    Comparison::Greater => ordering == Ordering::Greater,
                    _ => ordering != Ordering::Less,
                },
            }
        }
    };
    Ok(Value::Bool(result))
}

fn evaluate_interpolate(
    curve: Curve,
    space: ColorSpace,
    input: &Value,
    stops: &[(f64, Expr)],
    context: &Context,
) -> EvalResult {
    let x = number(input)?;
    let (Some((first_label, first)), Some((last_label, last))) = (stops.first(), stops.last())
    else {
        return Ok(Value::Null);
    };
    if stops.len() == 1 || x <= *first_label {
        return first.evaluate(context);
    }
    if x >= *last_label {
        return last.evaluate(context);
    }
    let upper_index = stops.partition_point(|(label, _)| *label <= x);
    let (lower_label, lower) = &stops[upper_index - 1];
    let (upper_label, upper) = &stops[upper_index];
    let t = interpolation_factor(curve, x, *lower_label, *upper_label);
    let lower = lower.evaluate(context)?;
    let upper = upper.evaluate(context)?;
    Ok(interpolate_values(&lower, &upper, t, space))
}

/// Converts straight colour to the `Color` of an evaluated value, if it is one.
pub fn as_color(value: &Value) -> Option<Color> {
    match value {
        Value::Color(color) => Some(*color),
        _ => None,
    }
}
