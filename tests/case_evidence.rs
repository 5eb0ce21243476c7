//! Evidence files on sources and case bundles in the running app (issue #23 point 5): a file
//! attached to a source is shown with its hash, saved relative, undone; a changed byte is shown
//! in red at its source after "Check evidence" and on opening; File › Export case bundle… and
//! opening the bundle give the same case. No network, no display (the system file dialogs are
//! stood in for by the commands they send).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::{Harness, kittest::Queryable as _};
use std::path::{Path, PathBuf};
use strikemap::StrikemapApp;
use strikemap::app::SaveOutcome;
use strikemap::case::Case;
use strikemap::case::edit::SourceOwner;
use strikemap::state::Command;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "strikemap-evidence-ui-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn harness() -> Harness<'static, StrikemapApp> {
    common::harness_with(1400.0, 3200.0, StrikemapApp::new_offline)
}

fn case_of(harness: &Harness<'_, StrikemapApp>) -> Case {
    harness.state().state.case().case.clone()
}

/// Steps the window until the evidence check running on its worker thread has reported.
fn until_evidence_checked(harness: &mut Harness<'_, StrikemapApp>) {
    common::step_until(harness, |app| !app.state.case().evidence_check_pending());
}

fn click(harness: &mut Harness<'_, StrikemapApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

/// The bundled case saved as an editable copy in `dir`, with `shots/claim.png` beside it
/// attached to the statements' first source.
fn case_with_evidence(harness: &mut Harness<'_, StrikemapApp>, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("case.geojson");
    assert_eq!(harness.state_mut().save_case_as(file), SaveOutcome::Saved);
    harness.run_steps(3);
    std::fs::create_dir_all(dir.join("shots")).unwrap();
    let shot = dir.join("shots").join("claim.png");
    std::fs::write(&shot, b"\x89PNG a screenshot of the claim").unwrap();
    let statements = format!(
        "Timeline statements ({})",
        case_of(harness).statements.len()
    );
    click(harness, &statements);
    harness.get_by_label("Statement source 1 attach evidence");
    harness.state_mut().apply(Command::AttachEvidence {
        owner: SourceOwner::Statements,
        source: 0,
        path: shot.clone(),
    });
    assert!(harness.state().state.case().evidence_attach_pending());
    common::step_until(harness, |app| !app.state.case().evidence_attach_pending());
    harness.run_steps(3);
    shot
}

#[test]
fn attached_evidence_is_saved_relative_undone_and_a_changed_byte_is_shown_in_red() {
    let dir = temp_dir("attach");
    let mut harness = harness();
    let shot = case_with_evidence(&mut harness, &dir);
    let attached = case_of(&harness).statement_sources[0].evidence.clone();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].size, std::fs::metadata(&shot).unwrap().len());
    harness.get_by_label("Statement source 1 evidence 1: remove");
    harness.get_by_label_contains(&format!("SHA-256 {}…", &attached[0].sha256[..12]));

    // Undo takes it off, redo puts it back.
    harness.state_mut().apply(Command::UndoCase);
    assert!(case_of(&harness).statement_sources[0].evidence.is_empty());
    harness.state_mut().apply(Command::RedoCase);
    assert_eq!(case_of(&harness).statement_sources[0].evidence, attached);

    assert_eq!(harness.state_mut().save_case(), SaveOutcome::Saved);
    let text = std::fs::read_to_string(dir.join("case.geojson")).unwrap();
    assert!(text.contains("\"path\": \"shots/claim.png\""), "{text}");

    // One byte changed on disk: "Check evidence" shows it in red where the source is.
    let mut bytes = std::fs::read(&shot).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&shot, bytes).unwrap();
    assert!(harness.state().state.case().problems().is_empty());
    harness.run_steps(2);
    click(&mut harness, "Check evidence");
    until_evidence_checked(&mut harness);
    harness.run_steps(2);
    let problems = harness.state().state.case().problems().to_vec();
    assert_eq!(problems.len(), 1, "{problems:?}");
    harness.get_by_label_contains("has changed since it was attached");

    // Opening the case finds it too; a missing file likewise.
    harness
        .state_mut()
        .open_case_file(&dir.join("case.geojson"))
        .unwrap();
    assert!(harness.state().state.case().evidence_check_pending());
    until_evidence_checked(&mut harness);
    assert_eq!(harness.state().state.case().problems().len(), 1);
    std::fs::remove_file(&shot).unwrap();
    harness
        .state_mut()
        .open_case_file(&dir.join("case.geojson"))
        .unwrap();
    until_evidence_checked(&mut harness);
    let problems = harness.state().state.case().problems().to_vec();
    assert!(problems[0].message.contains("is missing"), "{problems:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_exported_bundle_opens_as_the_same_case() {
    let dir = temp_dir("bundle");
    let mut harness = harness();
    case_with_evidence(&mut harness, &dir.join("work"));
    assert_eq!(harness.state_mut().save_case(), SaveOutcome::Saved);
    let case = case_of(&harness);
    let bundle = dir.join("briefing.zip");
    harness
        .state_mut()
        .apply(Command::ExportCaseBundle(bundle.clone()));
    assert!(bundle.is_file(), "{:?}", harness.state().state.messages);

    // Opened into a chosen folder.
    harness.state_mut().apply(Command::OpenCaseBundle {
        bundle: bundle.clone(),
        folder: dir.join("received"),
    });
    until_evidence_checked(&mut harness);
    let session = harness.state().state.case();
    assert_eq!(
        session.path,
        Some(dir.join("received").join("case.geojson"))
    );
    assert!(session.problems().is_empty(), "{:?}", session.problems());
    let opened = session.case.clone();
    let evidence = &opened.statement_sources[0].evidence[0];
    assert_eq!(
        evidence.path,
        dir.join("received/evidence/claim.png")
            .display()
            .to_string()
    );
    let mut moved = case.clone();
    moved.statement_sources[0].evidence[0].path = evidence.path.clone();
    assert_eq!(opened, moved);

    // Dropped on the window or named on the command line: a bundle, not a zipped shapefile.
    assert!(strikemap::state::is_case_file(&bundle));
    // Opened as a case file (Open case…, --case): unpacked beside it.
    harness.state_mut().open_case_file(&bundle).unwrap();
    assert_eq!(
        harness.state().state.case().path,
        Some(dir.join("briefing").join("case.geojson"))
    );
    assert_eq!(
        harness.state().state.case().case.statement_sources[0].evidence[0].sha256,
        case.statement_sources[0].evidence[0].sha256
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_cannot_be_hashed_or_a_read_only_case_attaches_nothing_and_says_why() {
    let dir = temp_dir("refused");
    let mut harness = harness();
    let bundled = case_of(&harness);
    let missing = dir.join("gone.png");
    harness.state_mut().apply(Command::AttachEvidence {
        owner: SourceOwner::Statements,
        source: 0,
        path: missing.clone(),
    });
    common::step_until(&mut harness, |app| {
        !app.state.case().evidence_attach_pending()
    });
    let messages = harness.state().state.messages.clone();
    assert!(
        messages
            .iter()
            .any(|message| message.starts_with("Evidence not attached: ")
                && message.contains(&missing.display().to_string())),
        "{messages:?}"
    );
    // A file that hashes, on the read-only bundled case: refused with the hint.
    let shot = dir.join("shot.png");
    std::fs::write(&shot, b"bytes").unwrap();
    harness.state_mut().apply(Command::AttachEvidence {
        owner: SourceOwner::Statements,
        source: 0,
        path: shot,
    });
    common::step_until(&mut harness, |app| {
        !app.state.case().evidence_attach_pending()
    });
    let messages = &harness.state().state.messages;
    assert!(
        messages
            .iter()
            .any(|m| m == strikemap::state::READ_ONLY_HINT)
    );
    // No such source: said at once.
    harness.state_mut().apply(Command::AttachEvidence {
        owner: SourceOwner::Event(7),
        source: 0,
        path: dir.join("shot.png"),
    });
    assert!(!harness.state().state.case().evidence_attach_pending());
    assert_eq!(case_of(&harness), bundled);
    let _ = std::fs::remove_dir_all(&dir);
}
