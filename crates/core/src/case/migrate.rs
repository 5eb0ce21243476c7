//! The steps that bring a case file of an older version up to [`CASE_VERSION`], one step per
//! version, applied in order to the `strikemap_case` member as read. The reader accepts every
//! version from 1 up; saving writes the current version.
//!
//! - 1 → 2 ([`v1_to_v2`]): sources gained `archive_url`, `retrieved` and `evidence` (files
//!   with their SHA-256, size and time attached), and the case gained `annotations`. All are
//!   optional and absent from a version-1 file, so nothing is rewritten: the case is read as it
//!   is and saved as version 2 (the reader refuses annotations in a file that says version 1).

use super::CASE_VERSION;

/// Whether this version of a case file can be read (1 up to [`CASE_VERSION`]).
pub fn reads(version: u64) -> bool {
    (1..=u64::from(CASE_VERSION)).contains(&version)
}

/// The `strikemap_case` member's version after the steps from `version` up to [`CASE_VERSION`]
/// (the reader applies each step's rewrite, if it has one, to the member as read).
pub(super) fn to_current(version: u32) -> u32 {
    let mut version = version;
    if version == 1 {
        version = v1_to_v2();
    }
    version
}

/// Version 1 → 2: evidence fields on sources, annotations (see the module doc); nothing to
/// rewrite.
fn v1_to_v2() -> u32 {
    2
}
