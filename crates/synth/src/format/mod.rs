//! The three output formats, written by hand: JSON strings escaped per RFC 8259, CSV fields
//! quoted per RFC 4180. Each feature or row is built in a reused line buffer and written whole.
//!
//! One file per format (`app`, `points`, `acled_csv`), the ACLED-style actors of the CSV rows
//! (`actors`) and the escaping of text (`text`). Each uses only files after it in this list;
//! none uses this one.

mod acled_csv;
mod actors;
mod app;
mod points;
mod text;

pub use acled_csv::{ACLED_HEADER, AcledIds, acled_header, acled_row};
pub use app::{app_feature, app_header};
pub use points::{points_feature, points_header};
