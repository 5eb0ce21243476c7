//! Evidence files of the open case's sources: attaching one (hashed, then set on its source by
//! an edit, so undo takes it off again) and checking that every file is still the file that was
//! attached (on opening a case and on "Check evidence"). A missing or changed file is one of
//! the case's problems, shown in red at its source. Pure code, no egui.

use super::{AppState, Command};
use std::path::Path;
use std::time::SystemTime;
use strikemap_core::case::edit::{Edit, SourceField, SourceOwner};
use strikemap_core::case::evidence::{check_files, evidence_file};

impl AppState {
    /// Hashes every evidence file of the open case and lists those not as attached among its
    /// problems (a case without evidence reads nothing).
    pub(super) fn check_case_evidence(&mut self) {
        self.case.evidence_findings = check_files(&self.case.case);
        self.case.refresh_problems();
    }

    /// Carries out "Check evidence" and "Attach evidence".
    pub(super) fn apply_evidence_command(&mut self, command: Command) {
        match command {
            Command::CheckEvidence => {
                self.check_case_evidence();
                let found = self.case.evidence_findings.len();
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
