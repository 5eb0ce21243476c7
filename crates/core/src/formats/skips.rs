//! Rows and features left out of a load: the first few with their place and reason, and a
//! count of all.

use crate::error::LoadError;
use std::fmt;

/// At most this many skipped rows or features are kept with their reasons; all are counted.
pub const MAX_LISTED_SKIPS: usize = 20;

/// A row or feature that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// "line 14, column latitude" or "feature 3, field geometry".
    pub place: String,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

/// Something a file does that breaks its format's rules in a way readers commonly tolerate
/// (an unclosed ring, a bbox of the wrong length, longitudes unwrapped past ±180…): the file
/// loads, and the user is told what was tolerated and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// "feature 3, field geometry" or "line 1".
    pub place: String,
    /// What was tolerated, naming the rule: "RFC 7946 §3.1.6: ring not closed; closed it".
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Collects skipped rows: keeps the first [`MAX_LISTED_SKIPS`], counts all; and the warnings,
/// of which the first [`MAX_LISTED_SKIPS`] are kept and the rest counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SkipLog {
    /// The first [`MAX_LISTED_SKIPS`] skipped rows or features, in file order.
    pub listed: Vec<Skipped>,
    /// How many rows or features were skipped in all.
    pub total: usize,
    /// The first [`MAX_LISTED_SKIPS`] warnings, in file order.
    pub warnings: Vec<Warning>,
    /// How many warnings there were in all.
    pub warnings_total: usize,
}

impl SkipLog {
    /// Records something tolerated (see [`Warning`]).
    pub fn warn(&mut self, place: String, message: String) {
        self.warnings_total += 1;
        if self.warnings.len() < MAX_LISTED_SKIPS {
            self.warnings.push(Warning { place, message });
        }
    }

    /// The warnings to show: those listed and, when there were more, a last one that counts the
    /// rest.
    pub fn warnings_listed(&self) -> Vec<Warning> {
        let mut warnings = self.warnings.clone();
        let unlisted = self.warnings_total.saturating_sub(warnings.len());
        if unlisted > 0 {
            warnings.push(Warning {
                place: "more".to_owned(),
                message: format!(
                    "{} more warnings like these, not listed",
                    crate::text::thousands(unlisted)
                ),
            });
        }
        warnings
    }

    pub fn push(&mut self, place: String, reason: String) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_SKIPS {
            self.listed.push(Skipped { place, reason });
        }
    }

    /// The error for a file in which nothing could be used.
    pub fn nothing_loaded(&self, file: &str, unit: &str) -> LoadError {
        let message = match (self.listed.first(), self.total) {
            (Some(only), 1) => {
                format!("no {unit} could be loaded: the only {unit} was skipped, at {only}")
            }
            (Some(first), total) => {
                let total = crate::text::thousands(total);
                format!("no {unit} could be loaded: all {total} were skipped; the first at {first}")
            }
            (None, _) => format!("the file has no {unit}s"),
        };
        LoadError::Document {
            file: file.to_owned(),
            message,
        }
    }
}
