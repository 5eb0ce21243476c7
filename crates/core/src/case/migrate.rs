//! The steps that bring a case file of an older version up to [`CASE_VERSION`], one step per
//! version, applied in order to the `strikemap_case` member as read. The reader accepts every
//! version from 1 up; saving writes the current version.
//!
//! - 1 → 2 ([`v1_to_v2`]): sources gained `archive_url`, `retrieved` and `evidence` (files
//!   with their SHA-256, size and time attached). All three are optional and absent from a
//!   version-1 file, so nothing is rewritten: the case is read as it is and saved as version 2.

use super::CASE_VERSION;
use super::read::CaseMember;

/// Whether this version of a case file can be read (1 up to [`CASE_VERSION`]).
pub fn reads(version: u64) -> bool {
    (1..=u64::from(CASE_VERSION)).contains(&version)
}

/// The member migrated step by step to [`CASE_VERSION`].
pub(super) fn to_current(mut member: CaseMember) -> CaseMember {
    if member.version == 1 {
        member = v1_to_v2(member);
    }
    member
}

/// Version 1 → 2: evidence fields on sources (see the module doc); nothing to rewrite.
fn v1_to_v2(mut member: CaseMember) -> CaseMember {
    member.version = 2;
    member
}
