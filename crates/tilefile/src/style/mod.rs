//! MapLibre style files: the expression language (parsed once into a typed tree, evaluated
//! per feature), the legacy filters and functions, and drawing vector tiles by a style.

pub mod builtin;
pub mod color;
mod convert;
pub mod document;
pub(crate) mod draw;
pub mod eval;
pub mod expr;
pub mod failure;
mod interpolate;
pub mod legacy;
mod ops;
pub mod parse;
mod parse_forms;
mod text;
pub mod value;

pub use color::Color;
pub use document::{
    LayerKind, SourceLocation, StyleDocument, StyleLayer, StyleSource, UnsupportedProperty,
};
pub use draw::{StyledLabel, label_candidates, render_mvt};
pub use expr::{Context, Expr, FeatureView};
pub use failure::{EvalError, EvalResult};
pub use parse::{compile_property, parse_expression};
pub use value::{Type, Value};
