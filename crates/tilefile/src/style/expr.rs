//! The typed expression tree a style expression is parsed into once, and what a feature offers
//! it.

use std::sync::Arc;

use super::value::{Type, Value};

/// One parsed expression node with its static type.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: Kind,
    pub ty: Type,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Curve {
    Linear,
    Exponential(f64),
    CubicBezier([f64; 4]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSpace {
    Rgb,
    Hcl,
    Lab,
}

/// The operators with plain argument lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Power,
    Sqrt,
    Log10,
    Ln,
    Log2,
    Abs,
    Floor,
    Ceil,
    Round,
    Min,
    Max,
    E,
    Pi,
    Ln2,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Rgb,
    Rgba,
    ToRgba,
    ToString,
    ToBoolean,
    TypeOf,
    Concat,
    Upcase,
    Downcase,
    Length,
    At,
    In,
    IndexOf,
    Slice,
    Not,
    /// `error`: fails with its message (MapLibre's tests use it to check short-circuiting).
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Literal(Value),
    Get {
        key: Box<Expr>,
        object: Option<Box<Expr>>,
    },
    Has {
        key: Box<Expr>,
        object: Option<Box<Expr>>,
    },
    Properties,
    GeometryType,
    Id,
    Zoom,
    Compare {
        op: Comparison,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    All(Vec<Expr>),
    Any(Vec<Expr>),
    Case {
        branches: Vec<(Expr, Expr)>,
        otherwise: Box<Expr>,
    },
    Match {
        input: Box<Expr>,
        labels: Vec<(Value, usize)>,
        outputs: Vec<Expr>,
        otherwise: Box<Expr>,
    },
    Coalesce(Vec<Expr>),
    Step {
        input: Box<Expr>,
        first: Box<Expr>,
        stops: Vec<(f64, Expr)>,
    },
    Interpolate {
        curve: Curve,
        space: ColorSpace,
        input: Box<Expr>,
        stops: Vec<(f64, Expr)>,
    },
    /// `let`: the bound expressions (read through `var`) and the body.
    Let {
        bindings: Vec<Arc<Expr>>,
        body: Box<Expr>,
    },
    /// A `var`: the expression its `let` bound, evaluated where it is used.
    Var(Arc<Expr>),
    /// `string`, `number`, `boolean`, `object`, `array`: the first argument of the type.
    Assert(Vec<Expr>),
    /// `to-number`, `to-color` and the implicit coercions to colour.
    Coerce(Vec<Expr>),
    Call {
        op: Op,
        args: Vec<Expr>,
    },
    /// `format`, kept as the concatenated text of its sections.
    Format(Vec<Expr>),
    NumberFormat {
        number: Box<Expr>,
        min_fraction: Option<Box<Expr>>,
        max_fraction: Option<Box<Expr>>,
    },
}

impl Expr {
    pub fn new(kind: Kind, ty: Type) -> Expr {
        Expr { kind, ty }
    }

    pub fn literal(value: Value) -> Expr {
        let ty = value.type_of();
        Expr {
            kind: Kind::Literal(value),
            ty,
        }
    }

    /// Every direct sub-expression.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            Kind::Literal(_) | Kind::Properties | Kind::GeometryType | Kind::Id | Kind::Zoom => {
                Vec::new()
            }
            Kind::Get { key, object } | Kind::Has { key, object } => std::iter::once(key.as_ref())
                .chain(object.as_deref())
                .collect(),
            Kind::Compare { lhs, rhs, .. } => vec![lhs, rhs],
            Kind::All(args)
            | Kind::Any(args)
            | Kind::Coalesce(args)
            | Kind::Assert(args)
            | Kind::Coerce(args)
            | Kind::Format(args)
            | Kind::Call { args, .. } => args.iter().collect(),
            Kind::Case {
                branches,
                otherwise,
            } => branches
                .iter()
                .flat_map(|(condition, output)| [condition, output])
                .chain(std::iter::once(otherwise.as_ref()))
                .collect(),
            Kind::Match {
                input,
                outputs,
                otherwise,
                ..
            } => std::iter::once(input.as_ref())
                .chain(outputs.iter())
                .chain(std::iter::once(otherwise.as_ref()))
                .collect(),
            Kind::Step {
                input,
                first,
                stops,
            } => std::iter::once(input.as_ref())
                .chain(std::iter::once(first.as_ref()))
                .chain(stops.iter().map(|(_, output)| output))
                .collect(),
            Kind::Interpolate { input, stops, .. } => std::iter::once(input.as_ref())
                .chain(stops.iter().map(|(_, output)| output))
                .collect(),
            Kind::Var(bound) => vec![bound.as_ref()],
            Kind::Let { bindings, body } => bindings
                .iter()
                .map(Arc::as_ref)
                .chain(std::iter::once(body.as_ref()))
                .collect(),
            Kind::NumberFormat {
                number,
                min_fraction,
                max_fraction,
            } => std::iter::once(number.as_ref())
                .chain(min_fraction.as_deref())
                .chain(max_fraction.as_deref())
                .collect(),
        }
    }

    /// Whether the result does not depend on the feature.
    pub fn is_feature_constant(&self) -> bool {
        let reads_feature = matches!(
            &self.kind,
            Kind::Get { object: None, .. }
                | Kind::Has { object: None, .. }
                | Kind::Properties
                | Kind::GeometryType
                | Kind::Id
        );
        !reads_feature && self.children().into_iter().all(Expr::is_feature_constant)
    }

    /// Whether the result does not depend on the zoom.
    pub fn is_zoom_constant(&self) -> bool {
        !matches!(self.kind, Kind::Zoom) && self.children().into_iter().all(Expr::is_zoom_constant)
    }
}

/// What a feature offers expressions: its properties, geometry type and id.
pub trait FeatureView {
    fn property(&self, key: &str) -> Option<Value>;
    fn properties(&self) -> Vec<(String, Value)>;
    /// `"Point"`, `"LineString"`, `"Polygon"` or `None` when unknown.
    fn geometry_type(&self) -> Option<&'static str>;
    fn id(&self) -> Option<Value>;
}

/// What an expression is evaluated against.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub zoom: Option<f64>,
    pub feature: Option<&'a dyn FeatureView>,
}

impl<'a> Context<'a> {
    pub fn new(zoom: f64, feature: &'a dyn FeatureView) -> Context<'a> {
        Context {
            zoom: Some(zoom),
            feature: Some(feature),
        }
    }

    pub const EMPTY: Context<'static> = Context {
        zoom: None,
        feature: None,
    };
}
