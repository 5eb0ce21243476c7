//! The timeline's second track: dated statements and diplomatic steps that have no place on the
//! map but belong in the story (bundled: the statements of
//! `assets/cases/iran-pakistan-2024.geojson`).

use crate::error::LoadError;
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

/// The bundled case's statements, as the timeline shows them.
pub fn bundled_timeline() -> Result<Vec<Statement>, LoadError> {
    crate::case::bundled_case().map(|case| case.timeline_statements())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_timeline_covers_16_to_22_january() {
        let statements = bundled_timeline().unwrap();
        assert_eq!(statements.len(), 7);
        assert_eq!(statements[0].date.to_string(), "16 Jan 2024");
        assert_eq!(statements[6].date.to_string(), "22 Jan 2024");
        for statement in &statements {
            assert!(
                !statement.sources.is_empty() || statement.caveat.is_some(),
                "{}",
                statement.id
            );
        }
    }
}
