//! The app shell's part of evidence and case bundles: the system file dialogs (each on a thread
//! of its own, as the case's Open and Save dialogs are) for "Attach evidence…", File › Export
//! case bundle… and File › Open case bundle…, writing a bundle, and unpacking one (checking
//! every hash) before it opens as the case. A `.zip` given to Open case (or `--case`) is
//! unpacked into a folder beside it.

use super::StrikemapApp;
use crate::state::Command;
use crate::state::case_evidence::{AttachJob, EvidenceCheckJob};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use strikemap_core::case::bundle;
use strikemap_core::case::evidence::Findings;
use strikemap_core::model::EvidenceFile;

/// What the dialogs chose, as commands to carry out, and the evidence checks' findings.
pub struct BundleDialogs {
    sender: Sender<Command>,
    chosen: Receiver<Command>,
    checked_sender: Sender<(EvidenceCheckJob, Findings)>,
    checked: Receiver<(EvidenceCheckJob, Findings)>,
    hashed_sender: Sender<(AttachJob, Result<EvidenceFile, String>)>,
    hashed: Receiver<(AttachJob, Result<EvidenceFile, String>)>,
}

impl Default for BundleDialogs {
    fn default() -> Self {
        let (sender, chosen) = channel();
        let (checked_sender, checked) = channel();
        let (hashed_sender, hashed) = channel();
        Self {
            sender,
            chosen,
            checked_sender,
            checked,
            hashed_sender,
            hashed,
        }
    }
}

impl StrikemapApp {
    /// Carries out the evidence dialogs and the bundle commands.
    pub(super) fn apply_bundle_command(&mut self, command: Command) {
        match command {
            Command::ShowAttachEvidenceDialog { owner, source } => {
                let sender = self.bundle_dialogs.sender.clone();
                let ctx = self.ctx.clone();
                super::dialogs::spawn_dialog("attach-evidence-dialog", move || {
                    let picked = rfd::FileDialog::new()
                        .set_title("Attach evidence")
                        .pick_file();
                    if let Some(path) = picked {
                        let _ = sender.send(Command::AttachEvidence {
                            owner,
                            source,
                            path,
                        });
                        ctx.request_repaint();
                    }
                });
            }
            Command::ShowExportBundleDialog => {
                let sender = self.bundle_dialogs.sender.clone();
                let ctx = self.ctx.clone();
                let name = format!(
                    "{}.zip",
                    super::case_files::file_stem(&self.state.case().display_name())
                );
                super::dialogs::spawn_dialog("export-bundle-dialog", move || {
                    let picked = rfd::FileDialog::new()
                        .set_title("Export case bundle")
                        .add_filter("Case bundle", &["zip"])
                        .set_file_name(name)
                        .save_file();
                    if let Some(path) = picked {
                        let _ = sender.send(Command::ExportCaseBundle(path));
                        ctx.request_repaint();
                    }
                });
            }
            Command::ShowOpenBundleDialog => {
                let sender = self.bundle_dialogs.sender.clone();
                let ctx = self.ctx.clone();
                super::dialogs::spawn_dialog("open-bundle-dialog", move || {
                    let Some(bundle) = rfd::FileDialog::new()
                        .set_title("Open case bundle")
                        .add_filter("Case bundle", &["zip"])
                        .pick_file()
                    else {
                        return;
                    };
                    let folder = rfd::FileDialog::new()
                        .set_title("Unpack the case bundle into (an empty folder)")
                        .pick_folder();
                    if let Some(folder) = folder {
                        let _ = sender.send(Command::OpenCaseBundle { bundle, folder });
                        ctx.request_repaint();
                    }
                });
            }
            Command::ExportCaseBundle(path) => match self.export_case_bundle(&path) {
                Ok(notice) => self.state.notices.push(notice),
                Err(message) => self.state.messages.push(message),
            },
            Command::OpenCaseBundle { bundle, folder } => {
                match self.unpack_case_bundle(&bundle, &folder) {
                    Ok(case_path) => self.apply(Command::OpenCase(case_path)),
                    Err(message) => self.state.messages.push(message),
                }
            }
            _ => {}
        }
    }

    /// Carries out what the evidence and bundle dialogs chose; starts an evidence check the
    /// state asked for on a worker thread, and hands back the findings of one that ended.
    pub(super) fn receive_bundle_dialogs(&mut self) {
        let chosen: Vec<Command> = self.bundle_dialogs.chosen.try_iter().collect();
        for command in chosen {
            self.apply(command);
        }
        if let Some(job) = self.state.take_evidence_check() {
            let sender = self.bundle_dialogs.checked_sender.clone();
            let ctx = self.ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("evidence-check".into())
                .spawn(move || {
                    let findings = job.run();
                    let _ = sender.send((job, findings));
                    ctx.request_repaint();
                });
            if let Err(error) = spawned {
                tracing::warn!("cannot start the evidence check: {error}");
                self.state.check_case_evidence();
            }
        }
        let checked: Vec<_> = self.bundle_dialogs.checked.try_iter().collect();
        for (job, findings) in checked {
            self.state.evidence_checked(&job, findings);
        }
        for job in self.state.take_evidence_attachments() {
            let sender = self.bundle_dialogs.hashed_sender.clone();
            let ctx = self.ctx.clone();
            let sent = job.clone();
            let spawned = std::thread::Builder::new()
                .name("evidence-hash".into())
                .spawn(move || {
                    let hashed = sent.run();
                    let _ = sender.send((sent, hashed));
                    ctx.request_repaint();
                });
            if let Err(error) = spawned {
                tracing::warn!("cannot start hashing evidence: {error}");
                let hashed = job.run();
                self.state.evidence_hashed(&job, hashed);
            }
        }
        let hashed: Vec<_> = self.bundle_dialogs.hashed.try_iter().collect();
        for (job, hashed) in hashed {
            self.state.evidence_hashed(&job, hashed);
        }
    }

    /// Writes the open case (as it is now, saved or not) with its files as a bundle at `out`;
    /// the notice says what it holds and what was left out.
    pub fn export_case_bundle(&mut self, out: &Path) -> Result<String, String> {
        self.keep_view_in_case();
        let session = self.state.case();
        let name = session
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(
                || {
                    format!(
                        "{}.geojson",
                        super::case_files::file_stem(&session.display_name())
                    )
                },
                |name| name.to_string_lossy().into_owned(),
            );
        let mut not_read: Vec<PathBuf> = self.state.case_layers_awaiting_consent().to_vec();
        not_read.extend(
            self.state
                .case_layers_not_loaded()
                .iter()
                .map(|layer| PathBuf::from(&layer.path)),
        );
        let exported = bundle::export_bundle(&session.case, &name, out, &not_read)?;
        let files = exported.manifest.files.len();
        let mut notice = format!(
            "Case bundle written: {} ({files} files with their SHA-256 in {}).",
            out.display(),
            bundle::MANIFEST_NAME
        );
        if !exported.left_out.is_empty() {
            notice.push_str(&format!(
                " Left out (not readable): {}.",
                exported.left_out.join("; ")
            ));
        }
        Ok(notice)
    }

    /// Unpacks a bundle into `folder` and checks its hashes: mismatches are told as messages
    /// naming the files. Returns the case file's path there.
    pub fn unpack_case_bundle(&mut self, bundle: &Path, folder: &Path) -> Result<PathBuf, String> {
        let unpacked = bundle::open_bundle(bundle, folder)?;
        for mismatch in &unpacked.mismatches {
            self.state
                .messages
                .push(format!("{}: {mismatch}", bundle.display()));
        }
        self.state.notices.push(format!(
            "{}: unpacked into {} ({} files{}).",
            bundle.display(),
            folder.display(),
            unpacked.manifest.files.len(),
            if unpacked.mismatches.is_empty() {
                ", every hash as in the manifest"
            } else {
                ""
            }
        ));
        Ok(unpacked.case_path)
    }

    /// A `.zip` opened as a case (Open case…, `--case`): unpacked into a new folder beside it.
    pub(super) fn unpack_bundle_beside(&mut self, bundle: &Path) -> Result<PathBuf, String> {
        let folder = bundle::folder_beside(bundle);
        self.unpack_case_bundle(bundle, &folder)
    }
}
