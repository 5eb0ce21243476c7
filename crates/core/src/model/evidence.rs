//! A local file preserved as evidence of a source, as a case records it.

use serde::{Deserialize, Serialize};

/// A file attached to a source: where it is, and what it was when attached, so a reader can
/// check that the file cited is the file seen (the Berkeley Protocol's hash and time of capture).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    /// In memory the whole path; in a case file relative to its folder (with `/`) when the file
    /// lies in that folder or below it, as layer paths are.
    pub path: String,
    /// The SHA-256 of the bytes, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// The size in bytes.
    pub size: u64,
    /// When it was attached: `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    pub attached: String,
}
