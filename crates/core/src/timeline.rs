//! The timeline's second track: dated statements and diplomatic steps that have no place on the
//! map but belong in the story (bundled: the statements of
//! `assets/cases/iran-pakistan-2024.geojson`).

use crate::model::{Date, Source};

/// A dated statement or diplomatic step.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub id: String,
    pub date: Date,
    pub time_as_reported: Option<String>,
    /// Who made it.
    pub by: String,
    pub title: String,
    pub detail: String,
    pub sources: Vec<Source>,
    /// Said when the statement has no source of its own.
    pub caveat: Option<String>,
}
