//! Parsing the special forms: `case`, `match`, `coalesce`, `step`, `interpolate`, the type
//! assertions, `format`, `number-format` and the string/array operators.

use serde_json::Value as Json;

use super::expr::{ColorSpace, Curve, Expr, Kind, Op};
use super::parse::{Annotation, Parser, expect_args, json_type_name};
use super::value::{Type, Value};

/// The output type the branches must share: the expected one unless that is `value`.
fn output_type_of(expected: Option<&Type>) -> Option<Type> {
    expected.filter(|ty| **ty != Type::Value).cloned()
}

fn even_arguments(args: &[Json], at_least: usize) -> Result<(), String> {
    if args.len() < at_least {
        Err(format!(
            "Expected at least {at_least} arguments, but found only {}.",
            args.len()
        ))
    } else if !args.len().is_multiple_of(2) {
        Err("Expected an even number of arguments.".to_string())
    } else {
        Ok(())
    }
}

impl Parser {
    fn parse_output(
        &mut self,
        json: &Json,
        output_type: &mut Option<Type>,
    ) -> Result<Expr, String> {
        let parsed = self.parse(json, output_type.as_ref())?;
        if output_type.is_none() {
            *output_type = Some(parsed.ty.clone());
        }
        Ok(parsed)
    }

    pub(super) fn parse_case(
        &mut self,
        args: &[Json],
        expected: Option<&Type>,
    ) -> Result<Expr, String> {
        if args.len() < 3 {
            return Err(format!(
                "Expected at least 3 arguments, but found only {}.",
                args.len()
            ));
        }
        if args.len().is_multiple_of(2) {
            return Err("Expected an odd number of arguments.".to_string());
        }
        let mut output_type = output_type_of(expected);
        let mut branches = Vec::new();
        for pair in args[..args.len() - 1].chunks_exact(2) {
            let condition = self.parse(&pair[0], Some(&Type::Boolean))?;
            let output = self.parse_output(&pair[1], &mut output_type)?;
            branches.push((condition, output));
        }
        let otherwise = self.parse_output(&args[args.len() - 1], &mut output_type)?;
        let ty = output_type.unwrap_or(Type::Value);
        Ok(Expr::new(
            Kind::Case {
                branches,
                otherwise: Box::new(otherwise),
            },
            ty,
        ))
    }

    pub(super) fn parse_match(
        &mut self,
        args: &[Json],
        expected: Option<&Type>,
    ) -> Result<Expr, String> {
        if args.len() < 4 {
            return Err(format!(
                "Expected at least 4 arguments, but found only {}.",
                args.len()
            ));
        }
        if !args.len().is_multiple_of(2) {
            return Err("Expected an even number of arguments.".to_string());
        }
        let mut output_type = output_type_of(expected);
        let mut input_type: Option<Type> = None;
        let mut labels: Vec<(Value, usize)> = Vec::new();
        let mut outputs = Vec::new();
        for pair in args[1..args.len() - 1].chunks_exact(2) {
            let branch_labels: Vec<&Json> = match &pair[0] {
                Json::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            if branch_labels.is_empty() {
                return Err("Expected at least one branch label.".to_string());
            }
            for label in branch_labels {
                let value = match label {
                    Json::String(_) => Value::from_json(label),
                    Json::Number(n) => {
                        let x = n.as_f64().unwrap_or(f64::NAN);
                        if x.abs() > 9_007_199_254_740_991.0 {
                            return Err(
                                "Branch labels must be integers no larger than 9007199254740991."
                                    .to_string(),
                            );
                        }
                        if x.floor() != x {
                            return Err("Numeric branch labels must be integer values.".to_string());
                        }
                        Value::Number(x)
                    }
                    _ => return Err("Branch labels must be numbers or strings.".to_string()),
                };
                let label_type = value.type_of();
                match &input_type {
                    None => input_type = Some(label_type),
                    Some(known) => {
                        if let Some(message) = known.check_subtype(&label_type) {
                            return Err(message);
                        }
                    }
                }
                if labels.iter().any(|(known, _)| *known == value) {
                    return Err("Branch labels must be unique.".to_string());
                }
                labels.push((value, outputs.len()));
            }
            outputs.push(self.parse_output(&pair[1], &mut output_type)?);
        }
        let input = self.parse(&args[0], Some(&Type::Value))?;
        let otherwise = self.parse_output(&args[args.len() - 1], &mut output_type)?;
        if let Some(input_type) = &input_type
            && input.ty != Type::Value
            && let Some(message) = input_type.check_subtype(&input.ty)
        {
            return Err(message);
        }
        let ty = output_type.unwrap_or(Type::Value);
        let kind = Kind::Match {
            input: Box::new(input),
            labels,
            outputs,
            otherwise: Box::new(otherwise),
        };
        Ok(Expr::new(kind, ty))
    }

    pub(super) fn parse_coalesce(
        &mut self,
        args: &[Json],
        expected: Option<&Type>,
    ) -> Result<Expr, String> {
        if args.is_empty() {
            return Err("Expectected at least one argument.".to_string());
        }
        let mut output_type = output_type_of(expected);
        let mut parsed = Vec::new();
        for arg in args {
            let arg = self.parse_annotated(arg, output_type.as_ref(), Annotation::Omit)?;
            if output_type.is_none() {
                output_type = Some(arg.ty.clone());
            }
            parsed.push(arg);
        }
        let needs_annotation = expected.is_some_and(|expected| {
            parsed
                .iter()
                .any(|arg| expected.check_subtype(&arg.ty).is_some())
        });
        let ty = if needs_annotation {
            Type::Value
        } else {
            output_type.unwrap_or(Type::Value)
        };
        Ok(Expr::new(Kind::Coalesce(parsed), ty))
    }

    /// The `(input, output)` pairs of `step` or `interpolate`, with literal ascending inputs.
    fn parse_stops(
        &mut self,
        name: &str,
        pairs: &[Json],
        output_type: &mut Option<Type>,
    ) -> Result<Vec<(f64, Expr)>, String> {
        let mut stops: Vec<(f64, Expr)> = Vec::new();
        for pair in pairs.chunks_exact(2) {
            let Some(label) = pair[0].as_f64() else {
                return Err(format!(
                    "Input/output pairs for \"{name}\" expressions must be defined using literal numeric values (not computed expressions) for the input values."
                ));
            };
            if stops.last().is_some_and(|(previous, _)| *previous >= label) {
                return Err(format!(
                    "Input/output pairs for \"{name}\" expressions must be arranged with input values in strictly ascending order."
                ));
            }
            stops.push((label, self.parse_output(&pair[1], output_type)?));
        }
        Ok(stops)
    }

    pub(super) fn parse_step(
        &mut self,
        args: &[Json],
        expected: Option<&Type>,
    ) -> Result<Expr, String> {
        even_arguments(args, 4)?;
        let input = self.parse(&args[0], Some(&Type::Number))?;
        let mut output_type = output_type_of(expected);
        let first = self.parse_output(&args[1], &mut output_type)?;
        let stops = self.parse_stops("step", &args[2..], &mut output_type)?;
        let ty = output_type.unwrap_or(Type::Value);
        Ok(Expr::new(
            Kind::Step {
                input: Box::new(input),
                first: Box::new(first),
                stops,
            },
            ty,
        ))
    }

    pub(super) fn parse_interpolate(
        &mut self,
        name: &str,
        args: &[Json],
        expected: Option<&Type>,
    ) -> Result<Expr, String> {
        let curve = match args.first() {
            Some(Json::Array(interpolation)) if !interpolation.is_empty() => {
                parse_curve(interpolation)?
            }
            _ => return Err("Expected an interpolation type expression.".to_string()),
        };
        even_arguments(args, 4)?;
        let input = self.parse(&args[1], Some(&Type::Number))?;
        let (space, mut output_type) = match name {
            "interpolate-hcl" => (ColorSpace::Hcl, Some(Type::Color)),
            "interpolate-lab" => (ColorSpace::Lab, Some(Type::Color)),
            _ => (ColorSpace::Rgb, output_type_of(expected)),
        };
        let stops = self.parse_stops(name, &args[2..], &mut output_type)?;
        let ty = output_type.unwrap_or(Type::Value);
        let interpolatable = match &ty {
            Type::Number | Type::Color => true,
            Type::Array(item, Some(_)) => matches!(**item, Type::Number | Type::Color),
            _ => false,
        };
        if !interpolatable {
            return Err(format!("Type {ty} is not interpolatable."));
        }
        Ok(Expr::new(
            Kind::Interpolate {
                curve,
                space,
                input: Box::new(input),
                stops,
            },
            ty,
        ))
    }

    pub(super) fn parse_assertion(&mut self, name: &str, args: &[Json]) -> Result<Expr, String> {
        if args.is_empty() {
            return Err("Expected at least one argument.".to_string());
        }
        let mut values = args;
        let ty = match name {
            "string" => Type::String,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            "object" => Type::Object,
            _ => {
                let mut item = Type::Value;
                let mut length = None;
                if args.len() > 1 {
                    item = match &args[0] {
                        Json::String(s) if s == "string" => Type::String,
                        Json::String(s) if s == "number" => Type::Number,
                        Json::String(s) if s == "boolean" => Type::Boolean,
                        _ => return Err("The item type argument of \"array\" must be one of string, number, boolean".to_string()),
                    };
                    values = &args[1..];
                }
                if args.len() > 2 {
                    match &args[1] {
                        Json::Null => {}
                        Json::Number(n) if n.as_u64().is_some() => {
                            length = n.as_u64().map(|n| n as usize)
                        }
                        _ => return Err(
                            "The length argument to \"array\" must be a positive integer literal"
                                .to_string(),
                        ),
                    }
                    values = &args[2..];
                }
                Type::array_of(item, length)
            }
        };
        let parsed = values
            .iter()
            .map(|arg| self.parse(arg, Some(&Type::Value)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Expr::new(Kind::Assert(parsed), ty))
    }

    pub(super) fn parse_format(&mut self, args: &[Json]) -> Result<Expr, String> {
        if args.is_empty() {
            return Err("Expected at least one argument.".to_string());
        }
        let mut sections = Vec::new();
        for (index, arg) in args.iter().enumerate() {
            if index > 0 && arg.is_object() {
                continue;
            }
            let section = self.parse(arg, Some(&Type::Value))?;
            if !matches!(section.ty, Type::String | Type::Value | Type::Formatted) {
                return Err(
                    "Formatted text type must be 'string', 'value', 'image' or 'formatted'."
                        .to_string(),
                );
            }
            sections.push(section);
        }
        Ok(Expr::new(Kind::Format(sections), Type::Formatted))
    }

    pub(super) fn parse_number_format(&mut self, args: &[Json]) -> Result<Expr, String> {
        expect_args(args, 2)?;
        let Json::Object(options) = &args[1] else {
            return Err("NumberFormat options argument must be an object.".to_string());
        };
        let number = Box::new(self.parse(&args[0], Some(&Type::Number))?);
        let mut option = |key: &str| -> Result<Option<Box<Expr>>, String> {
            match options.get(key) {
                Some(json) => Ok(Some(Box::new(self.parse(json, Some(&Type::Number))?))),
                None => Ok(None),
            }
        };
        let min_fraction = option("min-fraction-digits")?;
        let max_fraction = option("max-fraction-digits")?;
        Ok(Expr::new(
            Kind::NumberFormat {
                number,
                min_fraction,
                max_fraction,
            },
            Type::String,
        ))
    }

    pub(super) fn parse_collection_op(&mut self, op: Op, args: &[Json]) -> Result<Expr, String> {
        let is_collection = |ty: &Type| matches!(ty, Type::Array(..) | Type::String | Type::Value);
        let (parsed, ty) = match op {
            Op::Length => {
                expect_args(args, 1)?;
                let input = self.parse(&args[0], None)?;
                if !is_collection(&input.ty) {
                    return Err(format!(
                        "Expected argument of type string or array, but found {} instead.",
                        input.ty
                    ));
                }
                (vec![input], Type::Number)
            }
            Op::At => {
                expect_args(args, 2)?;
                let index = self.parse(&args[0], Some(&Type::Number))?;
                let input = self.parse(&args[1], Some(&Type::array_of(Type::Value, None)))?;
                let item = match &input.ty {
                    Type::Array(item, _) => (**item).clone(),
                    _ => Type::Value,
                };
                (vec![index, input], item)
            }
            Op::In | Op::IndexOf => {
                if args.len() != 2 && !(op == Op::IndexOf && args.len() == 3) {
                    return Err(format!(
                        "Expected 2 arguments, but found {} instead.",
                        args.len()
                    ));
                }
                let needle = self.parse(&args[0], Some(&Type::Value))?;
                let haystack = self.parse(&args[1], Some(&Type::Value))?;
                if !matches!(
                    needle.ty,
                    Type::Boolean | Type::String | Type::Number | Type::Null | Type::Value
                ) {
                    return Err(format!(
                        "Expected first argument to be of type boolean, string, number or null, but found {} instead",
                        needle.ty
                    ));
                }
                if !is_collection(&haystack.ty) {
                    return Err(format!(
                        "Expected second argument to be of type array or string, but found {} instead",
                        haystack.ty
                    ));
                }
                let mut parsed = vec![needle, haystack];
                if let Some(from) = args.get(2) {
                    parsed.push(self.parse(from, Some(&Type::Number))?);
                }
                (
                    parsed,
                    if op == Op::In {
                        Type::Boolean
                    } else {
                        Type::Number
                    },
                )
            }
            _ => {
                if args.len() != 2 && args.len() != 3 {
                    return Err(format!(
                        "Expected 3 arguments, but found {} instead.",
                        args.len()
                    ));
                }
                let input = self.parse(&args[0], Some(&Type::Value))?;
                if !is_collection(&input.ty) {
                    return Err(format!(
                        "Expected first argument to be of type array or string, but found {} instead",
                        input.ty
                    ));
                }
                let ty = input.ty.clone();
                let mut parsed = vec![input];
                for bound in &args[1..] {
                    parsed.push(self.parse(bound, Some(&Type::Number))?);
                }
                (parsed, ty)
            }
        };
        Ok(Expr::new(Kind::Call { op, args: parsed }, ty))
    }
}

fn parse_curve(interpolation: &[Json]) -> Result<Curve, String> {
    match interpolation[0].as_str() {
        Some("linear") => Ok(Curve::Linear),
        Some("exponential") => match interpolation.get(1).and_then(Json::as_f64) {
            Some(base) => Ok(Curve::Exponential(base)),
            None => Err("Exponential interpolation requires a numeric base.".to_string()),
        },
        Some("cubic-bezier") => {
            let points: Vec<f64> = interpolation[1..].iter().filter_map(Json::as_f64).collect();
            if interpolation.len() != 5
                || points.len() != 4
                || points.iter().any(|t| !(0.0..=1.0).contains(t))
            {
                return Err("Cubic bezier interpolation requires four numeric arguments with values between 0 and 1.".to_string());
            }
            Ok(Curve::CubicBezier([
                points[0], points[1], points[2], points[3],
            ]))
        }
        _ => Err(format!(
            "Unknown interpolation type {}",
            json_type_name(&interpolation[0])
        )),
    }
}
