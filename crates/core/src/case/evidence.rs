//! Evidence files attached to sources: each file's SHA-256 (read in 64 KiB pieces, never the
//! whole file in memory), size and time attached, and the check that the files are still the
//! files that were attached. A missing or changed file is a [`Problem`] placed at its source's
//! `evidence[i]`, so the editor shows it in red where the source is. What can be checked
//! without reading the files (a SHA-256 that is not one, a bad archive URL or time) is in
//! [`super::problems`].
//!
//! Hashing reads the disk, so it is not part of [`super::problems`] (run on every edit): the
//! files are hashed when a case opens and on "Check evidence" ([`check_files`]), and the
//! findings are turned into problems for the case as it is after each edit
//! ([`evidence_problems`]), so they follow a source that moves or goes.

use super::Case;
use super::problems::{Problem, ProblemPlace};
use crate::formats::file_kind::open_regular_file;
use crate::model::{Date, EvidenceFile};
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;
use std::time::SystemTime;

/// The size of each read while hashing.
const HASH_CHUNK: usize = 64 * 1024;

/// The SHA-256 (lowercase hexadecimal) and size of the file at `path`, read in pieces. A path
/// that is not a regular file (missing, a folder, a device) is an error saying which.
pub fn sha256_of_file(path: &Path) -> Result<(String, u64), String> {
    let (mut file, _) = open_regular_file(path).map_err(|problem| problem.to_string())?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; HASH_CHUNK];
    let mut size = 0_u64;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error.to_string()),
        };
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    Ok((hex(&hasher.finalize()), size))
}

/// Bytes as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `time` in UTC as `YYYY-MM-DDTHH:MM:SSZ` (a time before 1970 is written as 1970).
pub fn utc_timestamp(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let date = Date::from_days_since_unix_epoch((seconds / 86_400) as i64);
    let of_day = seconds % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date.to_iso(),
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// The file at `path` as evidence attached at `now`: its whole path, SHA-256 and size.
pub fn evidence_file(path: &Path, now: SystemTime) -> Result<EvidenceFile, String> {
    let whole = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let (sha256, size) =
        sha256_of_file(&whole).map_err(|message| format!("{}: {message}", whole.display()))?;
    Ok(EvidenceFile {
        path: whole.display().to_string(),
        sha256,
        size,
        attached: utc_timestamp(now),
    })
}

/// What the check found for a file that is not as it was attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Nothing is there, or it is not a regular file (the reason).
    Missing(String),
    /// The file is there with other content.
    Changed { sha256: String, size: u64 },
}

/// The files found not to be as attached, by (path, recorded SHA-256). A file that matched is
/// not listed.
pub type Findings = HashMap<(String, String), Finding>;

/// Every evidence file of the case (events' sources, then the statements'), with where it is.
fn all_evidence(case: &Case) -> Vec<(ProblemPlace, &EvidenceFile)> {
    let mut all = Vec::new();
    for (index, event) in case.events.iter().enumerate() {
        for (source_index, source) in event.properties.sources.iter().enumerate() {
            for (file_index, file) in source.evidence.iter().enumerate() {
                let place = ProblemPlace::Event {
                    index,
                    id: event.id().to_owned(),
                    field: format!("sources[{source_index}].evidence[{file_index}]"),
                };
                all.push((place, file));
            }
        }
    }
    for (index, source) in case.statement_sources.iter().enumerate() {
        for (file_index, file) in source.evidence.iter().enumerate() {
            let place = ProblemPlace::StatementSource {
                index,
                key: source.key.clone(),
                field: format!("evidence[{file_index}]"),
            };
            all.push((place, file));
        }
    }
    all
}

/// Hashes every evidence file of the case (each path once) and lists those not as attached.
/// Paths are the case's in memory (whole, as [`super::load_case_file`] gives them).
pub fn check_files(case: &Case) -> Findings {
    let mut findings = Findings::new();
    let mut hashed: HashMap<&str, Result<(String, u64), String>> = HashMap::new();
    for (_, file) in all_evidence(case) {
        let found = hashed
            .entry(file.path.as_str())
            .or_insert_with(|| sha256_of_file(Path::new(&file.path)));
        let finding = match found {
            Err(message) => Finding::Missing(message.clone()),
            Ok((sha256, size)) if *sha256 != file.sha256 || *size != file.size => {
                Finding::Changed {
                    sha256: sha256.clone(),
                    size: *size,
                }
            }
            Ok(_) => continue,
        };
        findings.insert((file.path.clone(), file.sha256.clone()), finding);
    }
    findings
}

/// The findings as problems of the case as it is now, each at its source's `evidence[i]`.
pub fn evidence_problems(case: &Case, findings: &Findings) -> Vec<Problem> {
    if findings.is_empty() {
        return Vec::new();
    }
    all_evidence(case)
        .into_iter()
        .filter_map(|(place, file)| {
            let finding = findings.get(&(file.path.clone(), file.sha256.clone()))?;
            let message = match finding {
                Finding::Missing(reason) => {
                    format!("evidence file {} is missing: {reason}", file.path)
                }
                Finding::Changed { sha256, size } => format!(
                    "evidence file {} has changed since it was attached: SHA-256 {sha256} \
                     ({size} bytes), attached as {} ({} bytes)",
                    file.path, file.sha256, file.size
                ),
            };
            Some(Problem { place, message })
        })
        .collect()
}
