//! Evidence files of the open case's sources: attaching one (hashed, then set on its source by
//! an edit, so undo takes it off again) and checking that every file is still the file that was
//! attached (on opening a case and on "Check evidence"). A missing or changed file is one of
//! the case's problems, shown in red at its source. Pure code, no egui.
//!
//! The check hashes every file, which takes about 2 s per GiB: it is asked for here and carried
//! out by the app shell on a worker thread ([`AppState::take_evidence_check`], then
//! [`AppState::evidence_checked`]), so the window stays live while a case with videos opens.

use super::{AppState, Command};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use strikemap_core::case::Case;
use strikemap_core::case::edit::{Edit, SourceField, SourceOwner};
use strikemap_core::case::evidence::{Findings, check_files, evidence_file};

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
        self.evidence_check != EvidenceCheck::None
    }
}

impl AppState {
    /// Hashes every evidence file of the open case now and lists those not as attached among
    /// its problems (a case without evidence reads nothing). The app asks the shell instead.
    pub fn check_case_evidence(&mut self) {
        self.case.evidence_findings = check_files(&self.case.case);
        self.case.evidence_check = EvidenceCheck::None;
        self.case.refresh_problems();
    }

    /// Opening a case asks for its evidence to be checked (nothing to do without evidence).
    pub(super) fn ask_for_evidence_check(&mut self, announce: bool) {
        if announce || self.case.case.evidence_files().next().is_some() {
            self.case.evidence_check = EvidenceCheck::Asked { announce };
        }
    }

    /// The check asked for, taken by the shell to run on a worker thread.
    pub fn take_evidence_check(&mut self) -> Option<EvidenceCheckJob> {
        let EvidenceCheck::Asked { announce } = self.case.evidence_check else {
            return None;
        };
        self.case.evidence_check = EvidenceCheck::Running { announce };
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
        let EvidenceCheck::Running { announce } = self.case.evidence_check else {
            return;
        };
        self.case.evidence_findings = findings;
        self.case.evidence_check = EvidenceCheck::None;
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

    /// Carries out "Check evidence" and "Attach evidence".
    pub(super) fn apply_evidence_command(&mut self, command: Command) {
        match command {
            Command::CheckEvidence => self.ask_for_evidence_check(true),
            Command::AttachEvidence {
                owner,
                source,
                path,
            } => {
                if let Err(message) = self.attach_evidence(owner, source, &path) {
                    self.messages.push(message);
                }
            }
            _ => {}
        }
    }

    /// Attaches the file at `path` to source `source` of `owner`: hashed now, added to the
    /// source's evidence list by one edit. A file already attached there is not added twice.
    fn attach_evidence(
        &mut self,
        owner: SourceOwner,
        source: usize,
        path: &Path,
    ) -> Result<(), String> {
        let case = &self.case.case;
        let sources = match owner {
            SourceOwner::Event(index) => case.events.get(index).map(|e| &e.properties.sources),
            SourceOwner::Statements => Some(&case.statement_sources),
        };
        let Some(listed) = sources.and_then(|sources| sources.get(source)) else {
            return Err(format!(
                "Evidence not attached: source {} is not in the case.",
                source + 1
            ));
        };
        let file = evidence_file(path, SystemTime::now())
            .map_err(|message| format!("Evidence not attached: {message}"))?;
        if listed
            .evidence
            .iter()
            .any(|attached| attached.path == file.path && attached.sha256 == file.sha256)
        {
            return Err(format!(
                "{} is already attached to source {}.",
                file.path, listed.key
            ));
        }
        let mut files = listed.evidence.clone();
        files.push(file);
        // A refused edit (the bundled case is read-only) says why among the messages.
        self.apply_case_command(Command::EditCase(Edit::SetSource {
            owner,
            index: source,
            field: SourceField::Evidence(files),
        }));
        Ok(())
    }
}
