//! MapLibre style files: the expression language (parsed once into a typed tree, evaluated
//! per feature), the legacy filters and functions, and drawing vector tiles by a style.

pub mod color;
mod convert;
pub mod eval;
pub mod expr;
mod interpolate;
pub mod legacy;
mod ops;
pub mod parse;
mod parse_forms;
pub mod value;

pub use color::Color;
pub use eval::{EvalError, EvalResult};
pub use expr::{Context, Expr, FeatureView};
pub use parse::{compile_property, parse_expression};
pub use value::{Type, Value};
