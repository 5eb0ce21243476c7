//! The malformed corpus: every file in `fixtures/malformed/` is listed in its `EXPECTED.tsv` with
//! the text its error or skip reason must contain and whether the file is rejected (an error) or
//! partial (good rows load, bad ones are skipped). A failed import leaves what was loaded before
//! exactly as it was.

// Test helpers may unwrap: a panic here is a failed test, not a crash on input.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use strikemap_core::import::{Import, import_bytes, import_file};

struct Expectation {
    file: String,
    text: String,
    rejected: bool,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed")
}

fn expectations() -> Vec<Expectation> {
    let table = std::fs::read_to_string(corpus_dir().join("EXPECTED.tsv")).unwrap();
    table
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let [file, text, outcome] = columns.as_slice() else {
                panic!("EXPECTED.tsv line {line:?} does not have three columns");
            };
            assert!(
                ["rejected", "partial"].contains(outcome),
                "{file}: outcome {outcome:?}"
            );
            Expectation {
                file: (*file).to_owned(),
                text: (*text).to_owned(),
                rejected: *outcome == "rejected",
            }
        })
        .collect()
}

#[test]
fn every_corpus_file_is_listed_and_there_are_at_least_25() {
    let listed: Vec<String> = expectations().into_iter().map(|e| e.file).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "EXPECTED.tsv")
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk, "EXPECTED.tsv and the folder differ");
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "a file is listed twice");
    assert!(listed.len() >= 25, "only {} malformed files", listed.len());
}

/// What the app holds: the layers loaded so far. Only a successful import adds one.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    layers: Vec<Import>,
}

#[test]
fn each_malformed_file_gives_its_own_message_and_leaves_earlier_data_alone() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut loaded = Loaded {
        layers: vec![
            import_bytes(
                "strikes.geojson",
                strikemap_core::case::BUNDLED_CASE_GEOJSON.as_bytes(),
            )
            .unwrap(),
            import_file(&fixtures.join("acled_current.csv")).unwrap(),
        ],
    };
    let mut failures = Vec::new();
    for expected in expectations() {
        let path = corpus_dir().join(&expected.file);
        let name = path.display().to_string();
        let before = loaded.clone();
        let outcome = import_file(&path);
        // The same bytes handed over directly (drag and drop) give the same outcome.
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            import_bytes(&name, &bytes).map_err(|error| error.to_string()),
            outcome
                .as_ref()
                .map(Clone::clone)
                .map_err(ToString::to_string),
            "{name}"
        );
        match (outcome, expected.rejected) {
            (Err(error), true) => {
                let message = error.to_string();
                assert_eq!(error.file(), name);
                assert!(message.starts_with(&name), "{message}");
                if !message.contains(&expected.text) {
                    failures.push(format!("{}: got {message:?}", expected.file));
                }
            }
            (Ok(import), false) => {
                assert!(import.skipped_total > 0, "{name}: nothing skipped");
                assert!(import.loaded_count() > 0, "{name}: nothing loaded");
                let reasons: Vec<String> = import.skipped.iter().map(ToString::to_string).collect();
                if !reasons.iter().any(|reason| reason.contains(&expected.text)) {
                    failures.push(format!("{}: got {reasons:?}", expected.file));
                }
                loaded.layers.push(import);
            }
            (Ok(import), true) => failures.push(format!(
                "{}: expected an error, loaded {} ({} skipped)",
                expected.file,
                import.loaded_count(),
                import.skipped_total
            )),
            (Err(error), false) => failures.push(format!(
                "{}: expected a partial load, got {error}",
                expected.file
            )),
        }
        assert_eq!(
            loaded.layers[..before.layers.len()],
            before.layers[..],
            "{name} changed what was loaded before"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
