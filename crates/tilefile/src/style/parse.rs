//! Parsing JSON style expressions into the typed tree, with MapLibre's type checking:
//! implicit assertions and colour coercions, subtype errors and constant folding.

use std::sync::Arc;

use serde_json::Value as Json;

use super::expr::{Comparison, Context, Expr, Kind, Op};
use super::legacy::{PropertyKind, function_expression, is_function, token_expression};
use super::value::{Type, Value};

/// Parses `json` as an expression whose result should be of type `expected` (or any type).
pub fn parse_expression(json: &Json, expected: Option<&Type>) -> Result<Expr, String> {
    let mut parser = Parser::default();
    parser.parse(json, expected)
}

/// What wraps a node whose type is only known at evaluation (MapLibre's `typeAnnotation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Annotation {
    Assert,
    Coerce,
    Omit,
}

#[derive(Default)]
pub(super) struct Parser {
    scope: Vec<(String, Arc<Expr>)>,
}

pub(super) fn json_type_name(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

pub(super) fn expect_args(args: &[Json], count: usize) -> Result<(), String> {
    if args.len() == count {
        Ok(())
    } else {
        Err(format!(
            "Expected {count} arguments, but found {} instead.",
            args.len()
        ))
    }
}

impl Parser {
    /// Parses with the implicit assertions and coercions MapLibre inserts.
    pub(super) fn parse(&mut self, json: &Json, expected: Option<&Type>) -> Result<Expr, String> {
        self.parse_annotated(json, expected, Annotation::Assert)
    }

    pub(super) fn parse_annotated(
        &mut self,
        json: &Json,
        expected: Option<&Type>,
        annotation: Annotation,
    ) -> Result<Expr, String> {
        let mut node = self.parse_node(json, expected)?;
        if let Some(expected) = expected {
            let actual = &node.ty;
            let assertable = matches!(
                expected,
                Type::String | Type::Number | Type::Boolean | Type::Object | Type::Array(..)
            );
            if assertable && *actual == Type::Value {
                node = match annotation {
                    Annotation::Assert => Expr::new(Kind::Assert(vec![node]), expected.clone()),
                    Annotation::Coerce if *expected == Type::String => Expr::new(
                        Kind::Call {
                            op: Op::ToString,
                            args: vec![node],
                        },
                        Type::String,
                    ),
                    Annotation::Coerce => Expr::new(Kind::Coerce(vec![node]), expected.clone()),
                    Annotation::Omit => node,
                };
            } else if matches!(expected, Type::Color | Type::Formatted)
                && matches!(actual, Type::Value | Type::String)
            {
                if annotation != Annotation::Omit {
                    node = if *expected == Type::Formatted {
                        Expr::new(Kind::Format(vec![node]), Type::Formatted)
                    } else {
                        Expr::new(Kind::Coerce(vec![node]), expected.clone())
                    };
                }
            } else if let Some(message) = expected.check_subtype(actual) {
                return Err(message);
            }
        }
        if !matches!(node.kind, Kind::Literal(_)) && is_constant(&node) {
            let value = node.evaluate(&Context::EMPTY).map_err(|error| error.0)?;
            node = Expr::new(Kind::Literal(value), node.ty);
        }
        Ok(node)
    }

    fn parse_node(&mut self, json: &Json, expected: Option<&Type>) -> Result<Expr, String> {
        let items = match json {
            Json::Array(items) => items,
            Json::Object(_) => {
                return Err("Bare objects invalid. Use [\"literal\", {...}] instead.".to_string());
            }
            scalar => {
                let value = Value::from_json(scalar);
                let ty = match (&value, expected) {
                    (Value::String(_), Some(Type::Color)) => Type::String,
                    _ => value.type_of(),
                };
                return Ok(Expr::new(Kind::Literal(value), ty));
            }
        };
        let Some(first) = items.first() else {
            return Err(
                "Expected an array with at least one element. If you wanted a literal array, use [\"literal\", []]."
                    .to_string(),
            );
        };
        let Json::String(name) = first else {
            return Err(format!(
                "Expression name must be a string, but found {} instead. If you wanted a literal array, use [\"literal\", [...]].",
                json_type_name(first)
            ));
        };
        let args = &items[1..];
        match name.as_str() {
            "literal" => parse_literal(args, expected),
            "get" | "has" => self.parse_get(name == "get", args),
            "properties" => nullary(args, Kind::Properties, Type::Object),
            "geometry-type" => nullary(args, Kind::GeometryType, Type::String),
            "id" => nullary(args, Kind::Id, Type::Value),
            "zoom" => nullary(args, Kind::Zoom, Type::Number),
            "==" | "!=" | "<" | "<=" | ">" | ">=" => self.parse_comparison(name, args),
            "all" | "any" => {
                let parsed = args
                    .iter()
                    .map(|arg| self.parse(arg, Some(&Type::Boolean)))
                    .collect::<Result<Vec<_>, _>>()?;
                let kind = if name == "all" {
                    Kind::All(parsed)
                } else {
                    Kind::Any(parsed)
                };
                Ok(Expr::new(kind, Type::Boolean))
            }
            "case" => self.parse_case(args, expected),
            "match" => self.parse_match(args, expected),
            "coalesce" => self.parse_coalesce(args, expected),
            "step" => self.parse_step(args, expected),
            "interpolate" | "interpolate-hcl" | "interpolate-lab" => {
                self.parse_interpolate(name, args, expected)
            }
            "let" => self.parse_let(args, expected),
            "var" => self.parse_var(args),
            "string" | "number" | "boolean" | "object" | "array" => {
                self.parse_assertion(name, args)
            }
            "to-number" | "to-color" => {
                if args.is_empty() {
                    return Err("Expected at least one argument.".to_string());
                }
                let ty = if name == "to-number" {
                    Type::Number
                } else {
                    Type::Color
                };
                let parsed = args
                    .iter()
                    .map(|arg| self.parse(arg, Some(&Type::Value)))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Expr::new(Kind::Coerce(parsed), ty))
            }
            "format" => self.parse_format(args),
            "number-format" => self.parse_number_format(args),
            _ => match op_by_name(name) {
                Some(op) => self.parse_call(op, args),
                None => Err(format!(
                    "Unknown expression \"{name}\". If you wanted a literal array, use [\"literal\", [...]]."
                )),
            },
        }
    }

    fn parse_get(&mut self, is_get: bool, args: &[Json]) -> Result<Expr, String> {
        if args.is_empty() || args.len() > 2 {
            return Err(format!(
                "Expected 1 or 2 arguments, but found {} instead.",
                args.len()
            ));
        }
        let key = Box::new(self.parse(&args[0], Some(&Type::String))?);
        let object = match args.get(1) {
            Some(arg) => Some(Box::new(self.parse(arg, Some(&Type::Object))?)),
            None => None,
        };
        Ok(if is_get {
            Expr::new(Kind::Get { key, object }, Type::Value)
        } else {
            Expr::new(Kind::Has { key, object }, Type::Boolean)
        })
    }

    fn parse_comparison(&mut self, name: &str, args: &[Json]) -> Result<Expr, String> {
        if args.len() != 2 && args.len() != 3 {
            return Err(format!(
                "Expected two or three arguments, but found {} instead.",
                args.len()
            ));
        }
        if args.len() == 3 {
            return Err("Collators are not supported.".to_string());
        }
        let op = match name {
            "==" => Comparison::Equal,
            "!=" => Comparison::NotEqual,
            "<" => Comparison::Less,
            "<=" => Comparison::LessOrEqual,
            ">" => Comparison::Greater,
            _ => Comparison::GreaterOrEqual,
        };
        let equality = matches!(op, Comparison::Equal | Comparison::NotEqual);
        let comparable = |ty: &Type| match ty {
            Type::String | Type::Number | Type::Value => true,
            Type::Boolean | Type::Null => equality,
            _ => false,
        };
        let mut lhs = self.parse(&args[0], Some(&Type::Value))?;
        if !comparable(&lhs.ty) {
            return Err(format!(
                "\"{name}\" comparisons are not supported for type '{}'.",
                lhs.ty
            ));
        }
        let mut rhs = self.parse(&args[1], Some(&Type::Value))?;
        if !comparable(&rhs.ty) {
            return Err(format!(
                "\"{name}\" comparisons are not supported for type '{}'.",
                rhs.ty
            ));
        }
        if lhs.ty != rhs.ty && lhs.ty != Type::Value && rhs.ty != Type::Value {
            return Err(format!(
                "Cannot compare types '{}' and '{}'.",
                lhs.ty, rhs.ty
            ));
        }
        if !equality {
            if lhs.ty == Type::Value && rhs.ty != Type::Value {
                let ty = rhs.ty.clone();
                lhs = Expr::new(Kind::Assert(vec![lhs]), ty);
            } else if lhs.ty != Type::Value && rhs.ty == Type::Value {
                let ty = lhs.ty.clone();
                rhs = Expr::new(Kind::Assert(vec![rhs]), ty);
            }
        }
        Ok(Expr::new(
            Kind::Compare {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            Type::Boolean,
        ))
    }

    fn parse_let(&mut self, args: &[Json], expected: Option<&Type>) -> Result<Expr, String> {
        if args.len() < 3 || args.len().is_multiple_of(2) {
            return Err(format!(
                "Expected at least 3 arguments, but found {} instead.",
                args.len()
            ));
        }
        let depth = self.scope.len();
        let mut result = Ok(());
        for pair in args[..args.len() - 1].chunks_exact(2) {
            let Json::String(name) = &pair[0] else {
                result = Err(format!(
                    "Expected string, but found {} instead.",
                    json_type_name(&pair[0])
                ));
                break;
            };
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                result = Err(
                    "Variable names must contain only alphanumeric characters or '_'.".to_string(),
                );
                break;
            }
            match self.parse(&pair[1], None) {
                Ok(bound) => self.scope.push((name.clone(), Arc::new(bound))),
                Err(message) => {
                    result = Err(message);
                    break;
                }
            }
        }
        let body = result.and_then(|()| self.parse(&args[args.len() - 1], expected));
        let bindings = self.scope.drain(depth..).map(|(_, bound)| bound).collect();
        let body = body?;
        let ty = body.ty.clone();
        Ok(Expr::new(
            Kind::Let {
                bindings,
                body: Box::new(body),
            },
            ty,
        ))
    }

    fn parse_var(&mut self, args: &[Json]) -> Result<Expr, String> {
        let [Json::String(name)] = args else {
            return Err(
                "'var' expression requires exactly one string literal argument.".to_string(),
            );
        };
        match self.scope.iter().rev().find(|(bound, _)| bound == name) {
            Some((_, bound)) => Ok(Expr::new(Kind::Var(Arc::clone(bound)), bound.ty.clone())),
            None => Err(format!(
                "Unknown variable \"{name}\". Make sure \"{name}\" has been bound in an enclosing \"let\" expression."
            )),
        }
    }

    fn parse_call(&mut self, op: Op, args: &[Json]) -> Result<Expr, String> {
        let (params, result): (Vec<Type>, Type) = match op {
            Op::Add | Op::Multiply | Op::Min | Op::Max => {
                (vec![Type::Number; args.len()], Type::Number)
            }
            Op::Concat => (vec![Type::Value; args.len()], Type::String),
            Op::Subtract if args.len() == 1 => (vec![Type::Number], Type::Number),
            Op::Subtract | Op::Divide | Op::Remainder | Op::Power => {
                (vec![Type::Number; 2], Type::Number)
            }
            Op::E | Op::Pi | Op::Ln2 => (Vec::new(), Type::Number),
            Op::Rgb => (vec![Type::Number; 3], Type::Color),
            Op::Rgba => (vec![Type::Number; 4], Type::Color),
            Op::ToRgba => (vec![Type::Color], Type::array_of(Type::Number, Some(4))),
            Op::ToString | Op::TypeOf => (vec![Type::Value], Type::String),
            Op::ToBoolean => (vec![Type::Value], Type::Boolean),
            Op::Not => (vec![Type::Boolean], Type::Boolean),
            Op::Error => (vec![Type::String], Type::Error),
            Op::Upcase | Op::Downcase => (vec![Type::String], Type::String),
            Op::Length | Op::At | Op::In | Op::IndexOf | Op::Slice => {
                return self.parse_collection_op(op, args);
            }
            _ => (vec![Type::Number], Type::Number),
        };
        expect_args(args, params.len())?;
        let parsed = args
            .iter()
            .zip(&params)
            .map(|(arg, ty)| self.parse(arg, Some(ty)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Expr::new(Kind::Call { op, args: parsed }, result))
    }
}

fn nullary(args: &[Json], kind: Kind, ty: Type) -> Result<Expr, String> {
    expect_args(args, 0)?;
    Ok(Expr::new(kind, ty))
}

fn parse_literal(args: &[Json], expected: Option<&Type>) -> Result<Expr, String> {
    if args.len() != 1 {
        return Err(format!(
            "'literal' expression requires exactly one argument, but found {} instead.",
            args.len()
        ));
    }
    let value = Value::from_json(&args[0]);
    let mut ty = value.type_of();
    // An empty or mixed literal array takes the expected array type (MapLibre does the same).
    if let (Some(Type::Array(item, length)), Type::Array(actual_item, actual_length)) =
        (expected, &ty)
        && (*actual_length == Some(0) || (**item != Type::Value && **actual_item == Type::Value))
        && (length.is_none() || length == actual_length)
    {
        ty = Type::Array(item.clone(), *actual_length);
    }
    Ok(Expr::new(Kind::Literal(value), ty))
}

fn op_by_name(name: &str) -> Option<Op> {
    Some(match name {
        "+" => Op::Add,
        "-" => Op::Subtract,
        "*" => Op::Multiply,
        "/" => Op::Divide,
        "%" => Op::Remainder,
        "^" => Op::Power,
        "sqrt" => Op::Sqrt,
        "log10" => Op::Log10,
        "ln" => Op::Ln,
        "log2" => Op::Log2,
        "abs" => Op::Abs,
        "floor" => Op::Floor,
        "ceil" => Op::Ceil,
        "round" => Op::Round,
        "min" => Op::Min,
        "max" => Op::Max,
        "e" => Op::E,
        "pi" => Op::Pi,
        "ln2" => Op::Ln2,
        "sin" => Op::Sin,
        "cos" => Op::Cos,
        "tan" => Op::Tan,
        "asin" => Op::Asin,
        "acos" => Op::Acos,
        "atan" => Op::Atan,
        "rgb" => Op::Rgb,
        "rgba" => Op::Rgba,
        "to-rgba" => Op::ToRgba,
        "to-string" => Op::ToString,
        "to-boolean" => Op::ToBoolean,
        "typeof" => Op::TypeOf,
        "concat" => Op::Concat,
        "upcase" => Op::Upcase,
        "downcase" => Op::Downcase,
        "length" => Op::Length,
        "at" => Op::At,
        "in" => Op::In,
        "index-of" => Op::IndexOf,
        "slice" => Op::Slice,
        "!" => Op::Not,
        "error" => Op::Error,
        _ => return None,
    })
}

/// Whether the expression reads neither the feature nor the zoom, so it can be folded.
fn is_constant(expr: &Expr) -> bool {
    let raises = |e: &Expr| matches!(e.kind, Kind::Call { op: Op::Error, .. });
    !raises(expr) && expr.is_feature_constant() && expr.is_zoom_constant()
}

/// Parses a style property value written as an expression, and checks MapLibre's rule that
/// `zoom` appears only as the input of one top-level `step` or `interpolate`.
/// Legacy functions (`{"stops": ...}`) and `{token}` strings are first rewritten as expressions.
pub fn compile_property(
    json: &Json,
    expected: Option<&Type>,
    kind: &PropertyKind,
) -> Result<Expr, String> {
    let converted;
    let json = if is_function(json) {
        converted = function_expression(json, kind);
        &converted
    } else if let (true, Some(text)) = (kind.tokens, json.as_str()) {
        converted = token_expression(text);
        &converted
    } else {
        json
    };
    // A string property converts any value to text, as MapLibre's top-level `coerce` does.
    let annotation = if expected == Some(&Type::String) {
        Annotation::Coerce
    } else {
        Annotation::Assert
    };
    let expr = Parser::default().parse_annotated(json, expected, annotation)?;
    let curve = find_zoom_curve(&expr)?;
    if curve.is_none() && !expr.is_zoom_constant() {
        return Err(ZOOM_NOT_TOP_LEVEL.to_string());
    }
    Ok(expr)
}

const ZOOM_NOT_TOP_LEVEL: &str = "\"zoom\" expression may only be used as input to a top-level \"step\" or \"interpolate\" expression.";

/// The one `step`/`interpolate` on `zoom` reachable through `coalesce` and variables.
fn find_zoom_curve(expr: &Expr) -> Result<Option<&Expr>, String> {
    let mut result: Option<&Expr> = None;
    match &expr.kind {
        // A variable's expression is searched where it is bound, in the `let`.
        Kind::Var(_) => return Ok(None),
        Kind::Let { body, .. } => result = find_zoom_curve(body)?,
        Kind::Coalesce(args) => {
            for arg in args {
                result = find_zoom_curve(arg)?;
                if result.is_some() {
                    break;
                }
            }
        }
        Kind::Step { input, .. } | Kind::Interpolate { input, .. }
            if matches!(input.kind, Kind::Zoom) =>
        {
            result = Some(expr);
        }
        _ => {}
    }
    for child in expr.children() {
        let child_result = find_zoom_curve(child)?;
        match (result, child_result) {
            (None, Some(_)) => return Err(ZOOM_NOT_TOP_LEVEL.to_string()),
            (Some(found), Some(other)) if !std::ptr::eq(found, other) => {
                return Err("Only one zoom-based \"step\" or \"interpolate\" subexpression may be used in an expression.".to_string());
            }
            _ => {}
        }
    }
    Ok(result)
}
