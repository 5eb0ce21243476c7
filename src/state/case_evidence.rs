//! Evidence files of the open case's sources: attaching one (hashed, then set on its source by
//! an edit, so undo takes it off again) and checking that every file is still the file that was
//! attached (on opening a case and on "Check evidence"). A missing or changed file is one of
//! the case's problems, shown in red at its source. Pure code, no egui.
//!
//! Hashing takes about 2 s per GiB: the check and each file to attach are asked for here and
//! carried out by the app shell on worker threads ([`AppState::take_evidence_check`] then
//! [`AppState::evidence_checked`]; [`AppState::take_evidence_attachments`] then
//! [`AppState::evidence_hashed`]), so the window stays live with videos.

use super::{AppState, Command};
use std::path::PathBuf;
use std::time::SystemTime;
use strikemap_core::case::Case;
use strikemap_core::case::edit::{Edit, SourceField, SourceOwner};
use strikemap_core::case::evidence::{Findings, check_files, evidence_file};
use strikemap_core::model::EvidenceFile;

/// A check of the evidence files asked for and not carried out yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EvidenceCheck {
    #[default]
    None,
    /// Asked for (on opening the case, or "Check evidence": `announce` says the outcome).
    Asked { announce: bool },
    /// Under way on the shell's worker thread.
    Running { announce: bool },
}

/// The evidence work of the open case waiting for or running on the shell's workers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvidenceWork {
    pub(super) check: EvidenceCheck,
    /// Files to hash for "Attach evidence", not handed to a worker yet.
    pub(super) attach_asked: Vec<AttachJob>,
    /// Files being hashed for "Attach evidence".
    pub(super) attaching: usize,
}

/// A file to hash and attach to a source of the case at `case_path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachJob {
    pub case_path: Option<PathBuf>,
    pub owner: SourceOwner,
    pub source: usize,
    pub path: PathBuf,
}

impl AttachJob {
    /// Hashes the file (on the worker thread).
    pub fn run(&self) -> Result<EvidenceFile, String> {
        evidence_file(&self.path, SystemTime::now())
    }
}

/// What the shell's worker is given: the case's file and its evidence as it was then.
#[derive(Clone, Debug)]
pub struct EvidenceCheckJob {
    pub case_path: Option<PathBuf>,
    pub case: Case,
    pub announce: bool,
}

impl EvidenceCheckJob {
    /// Hashes the files (on the worker thread).
    pub fn run(&self) -> Findings {
        check_files(&self.case)
    }
}

impl super::CaseSession {
    /// Whether the evidence files are being checked (asked for or under way).
    pub fn evidence_check_pending(&self) -> bool {
        self.evidence_work.check != EvidenceCheck::None
    }

    /// Whether files are being hashed for "Attach evidence".
    pub fn evidence_attach_pending(&self) -> bool {
        !self.evidence_work.attach_asked.is_empty() || self.evidence_work.attaching > 0
    }
}

impl AppState {
    /// Hashes every evidence file of the open case now and lists those not as attached among
    /// its problems (a case without evidence reads nothing). The app asks the shell instead.
    pub fn check_case_evidence(&mut self) {
        self.case.evidence_findings = check_files(&self.case.case);
        self.case.evidence_work.check = EvidenceCheck::None;
        self.case.refresh_problems();
    }

    /// Opening a case asks for its evidence to be checked (nothing to do without evidence).
    pub(super) fn ask_for_evidence_check(&mut self, announce: bool) {
        if announce || self.case.case.evidence_files().next().is_some() {
            self.case.evidence_work.check = EvidenceCheck::Asked { announce };
        }
    }

    /// The check asked for, taken by the shell to run on a worker thread.
    pub fn take_evidence_check(&mut self) -> Option<EvidenceCheckJob> {
        let EvidenceCheck::Asked { announce } = self.case.evidence_work.check else {
            return None;
        };
        self.case.evidence_work.check = EvidenceCheck::Running { announce };
        Some(EvidenceCheckJob {
            case_path: self.case.path.clone(),
            case: self.case.case.clone(),
            announce,
        })
    }

    /// The worker's findings for `job`: kept when the case is still the one checked (the
    /// findings are keyed by path and hash, so edits made meanwhile are matched as they are).
    pub fn evidence_checked(&mut self, job: &EvidenceCheckJob, findings: Findings) {
        if self.case.path != job.case_path {
            return;
        }
        let EvidenceCheck::Running { announce } = self.case.evidence_work.check else {
            return;
        };
        self.case.evidence_findings = findings;
        self.case.evidence_work.check = EvidenceCheck::None;
        self.case.refresh_problems();
        let found = self.case.evidence_findings.len();
        if announce || found > 0 {
            self.notices.push(match found {
                0 => "Evidence checked: every file is as it was attached.".to_owned(),
                1 => "Evidence checked: 1 file is missing or changed (in red at its source)."
                    .to_owned(),
                n => format!(
                    "Evidence checked: {n} files are missing or changed (in red at their \
                     sources)."
                ),
            });
        }
    }

    /// Carries out "Check evidence" and "Attach evidence" (the file is hashed by the shell on a
    /// worker thread, then [`Self::evidence_hashed`] attaches it).
    pub(super) fn apply_evidence_command(&mut self, command: Command) {
        match command {
            Command::CheckEvidence => self.ask_for_evidence_check(true),
            Command::AttachEvidence {
                owner,
                source,
                path,
            } => match self.evidence_list(owner, source) {
                Ok(_) => self.case.evidence_work.attach_asked.push(AttachJob {
                    case_path: self.case.path.clone(),
                    owner,
                    source,
                    path,
                }),
                Err(message) => self.messages.push(message),
            },
            _ => {}
        }
    }

    /// The files to hash for "Attach evidence", taken by the shell to run on worker threads.
    pub fn take_evidence_attachments(&mut self) -> Vec<AttachJob> {
        let jobs = std::mem::take(&mut self.case.evidence_work.attach_asked);
        self.case.evidence_work.attaching += jobs.len();
        jobs
    }

    /// A file hashed for "Attach evidence": added to its source's evidence list by one edit
    /// (so undo takes it off), when the case and the source are still there. A file already
    /// attached there is not added twice.
    pub fn evidence_hashed(&mut self, job: &AttachJob, hashed: Result<EvidenceFile, String>) {
        let work = &mut self.case.evidence_work;
        work.attaching = work.attaching.saturating_sub(1);
        if self.case.path != job.case_path {
            self.messages.push(format!(
                "{}: not attached, the case it was for was closed.",
                job.path.display()
            ));
            return;
        }
        let attached = hashed.and_then(|file| {
            let listed = self.evidence_list(job.owner, job.source)?;
            if listed
                .iter()
                .any(|attached| attached.path == file.path && attached.sha256 == file.sha256)
            {
                return Err(format!("{} is already attached to that source.", file.path));
            }
            let mut files = listed.to_vec();
            files.push(file);
            Ok(files)
        });
        match attached {
            // A refused edit (the bundled case is read-only) says why among the messages.
            Ok(files) => self.apply_case_command(Command::EditCase(Edit::SetSource {
                owner: job.owner,
                index: job.source,
                field: SourceField::Evidence(files),
            })),
            Err(message) => self
                .messages
                .push(format!("Evidence not attached: {message}")),
        }
    }

    /// The evidence list of source `source` of `owner`.
    fn evidence_list(&self, owner: SourceOwner, source: usize) -> Result<&[EvidenceFile], String> {
        let case = &self.case.case;
        let sources = match owner {
            SourceOwner::Event(index) => case.events.get(index).map(|e| &e.properties.sources),
            SourceOwner::Statements => Some(&case.statement_sources),
        };
        sources
            .and_then(|sources| sources.get(source))
            .map(|listed| listed.evidence.as_slice())
            .ok_or_else(|| {
                format!(
                    "Evidence not attached: source {} is not in the case.",
                    source + 1
                )
            })
    }
}
