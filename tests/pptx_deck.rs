//! The PowerPoint deck read back by an independent reader, python-pptx (`tests/pptx/read_deck.py`):
//! a slide per story step, each with the map as a picture, the title in the title placeholder,
//! the caveat in editable text at the top and bottom, the card's words in text frames and the
//! claims as a real table, and speaker notes with every claim's source; on an organisation's
//! template, its layouts and slide size. CI installs python-pptx (`.ci/run`) and sets
//! `STRIKEMAP_PPTX_PYTHON`; the test fails without it there (or with `CI` set), and elsewhere is
//! skipped, saying so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use serde_json::Value;
use std::path::{Path, PathBuf};
use strikemap::StrikemapApp;

const CAVEAT: &str = "UNCLASSIFIED // EXERCISE ONLY";
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pptx/read_deck.py");

/// A Python that has python-pptx: `STRIKEMAP_PPTX_PYTHON`, else `python3`. Missing in CI
/// (`CI` set) fails; elsewhere it skips.
fn python() -> Option<PathBuf> {
    let python = std::env::var_os("STRIKEMAP_PPTX_PYTHON")
        .map_or_else(|| PathBuf::from("python3"), PathBuf::from);
    let works = std::process::Command::new(&python)
        .args(["-c", "import pptx"])
        .output()
        .is_ok_and(|output| output.status.success());
    if works {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none() && std::env::var_os("STRIKEMAP_PPTX_PYTHON").is_none(),
        "python-pptx is missing ({} cannot import pptx) where it must be (CI or \
         STRIKEMAP_PPTX_PYTHON set): .ci/run installs it",
        python.display()
    );
    eprintln!(
        "SKIPPED: python-pptx is not installed for {} (set STRIKEMAP_PPTX_PYTHON to a Python that has it)",
        python.display()
    );
    None
}

fn run_script(python: &Path, command: &str, path: &Path) -> String {
    let output = std::process::Command::new(python)
        .args([SCRIPT, command])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "read_deck.py {command} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn make_deck(harness: &mut Harness<'_, StrikemapApp>, path: &Path, size: [u32; 2]) -> String {
    let outcome = harness.state_mut().start_deck(
        path.to_path_buf(),
        strikemap::cli::DeckFormat::Pptx,
        size,
        false,
    );
    for _ in 0..3000 {
        harness.run_steps(1);
        if let Some(result) = outcome.lock().unwrap().take() {
            return result.unwrap();
        }
    }
    panic!("the deck never finished");
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|text| text.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_pptx_deck_reads_back_with_editable_text_tables_and_notes() {
    let Some(python) = python() else {
        return;
    };
    let mut harness = common::app_harness(1280.0, 720.0);
    harness.state_mut().settings.caveat = CAVEAT.into();
    let app = harness.state();
    let story = app.state.story();
    let steps = 1 + story.len();
    let title = app.state.title.clone().unwrap();
    let (_, e1) = app.state.find_event("E1").unwrap();
    let e1_title = e1.title().to_owned();
    let e1_claims = e1.properties.casualty_claims.clone();
    let e1_urls: Vec<String> = e1
        .properties
        .sources
        .iter()
        .filter_map(|s| s.url.clone())
        .collect();
    let dir = std::env::temp_dir().join(format!("strikemap-pptx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deck = dir.join("deck.pptx");
    let message = make_deck(&mut harness, &deck, [1280, 720]);
    assert!(message.contains(&format!("{steps} slides")), "{message}");

    let described: Value = serde_json::from_str(&run_script(&python, "describe", &deck)).unwrap();
    assert_eq!(described["width"], 12_192_000, "16:9 at 1280×720");
    assert_eq!(described["height"], 6_858_000);
    assert_eq!(described["title"], title.as_str());
    let slides = described["slides"].as_array().unwrap();
    assert_eq!(
        slides.len(),
        steps,
        "a slide per story step and the overview"
    );
    for (number, slide) in slides.iter().enumerate() {
        let what = format!("slide {}", number + 1);
        assert_eq!(
            slide["title"],
            title.as_str(),
            "{what}: the title placeholder"
        );
        assert_eq!(slide["layout"], "Title Only", "{what}");
        assert_eq!(slide["pictures"], 1, "{what}: the map picture");
        let texts = strings(&slide["texts"]);
        assert_eq!(
            texts.iter().filter(|text| *text == CAVEAT).count(),
            2,
            "{what}: the caveat strips at the top and bottom: {texts:?}"
        );
        assert!(
            texts.iter().any(|text| text.starts_with("Map made ")),
            "{what}: no date stamp in {texts:?}"
        );
        assert!(
            slide["notes"]
                .as_str()
                .is_some_and(|notes| !notes.is_empty()),
            "{what}: no notes"
        );
    }
    // The first strike's slide: its card in text frames, its claims a table, its notes the
    // claims with their sources' URLs.
    let strike = &slides[1];
    let texts = strings(&strike["texts"]).join("\n");
    assert!(texts.contains(&e1_title), "{texts}");
    assert!(
        texts.contains("Iran") && texts.contains("Panjgur"),
        "{texts}"
    );
    let tables = strike["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "one claims table");
    let rows = tables[0].as_array().unwrap();
    assert_eq!(
        rows.len(),
        1 + e1_claims.len(),
        "a header and a row per claim"
    );
    assert_eq!(rows[0][0], "Claimant");
    for (row, claim) in rows[1..].iter().zip(&e1_claims) {
        assert_eq!(row[0], claim.claimant.as_str());
        assert_eq!(row[1], format!("[{}]", claim.source).as_str());
    }
    let notes = strike["notes"].as_str().unwrap();
    for claim in &e1_claims {
        assert!(
            notes.contains(&format!("{}: {}", claim.claimant, claim.headline())),
            "{notes}"
        );
    }
    for url in &e1_urls {
        assert!(
            notes.contains(url.as_str()),
            "no {url} in the notes: {notes}"
        );
    }
    // A statement's slide has its words and its sources in the notes.
    let statement = slides
        .iter()
        .find(|slide| {
            strings(&slide["texts"])
                .iter()
                .any(|text| text.contains("recalls its ambassador"))
        })
        .expect("the recall statement has a slide");
    assert!(
        statement["notes"]
            .as_str()
            .unwrap()
            .contains("Pakistan Foreign Office")
    );

    // On an organisation's template (python-pptx's own, 4:3): its layouts, its slide size, the
    // card in the "Title and Content" layout's body placeholder.
    let template = dir.join("org-template.pptx");
    run_script(&python, "template", &template);
    harness.state_mut().settings.deck_template = Some(template.clone());
    let on_template = dir.join("on-template.pptx");
    make_deck(&mut harness, &on_template, [1024, 768]);
    let described: Value =
        serde_json::from_str(&run_script(&python, "describe", &on_template)).unwrap();
    assert_eq!(
        (described["width"].as_i64(), described["height"].as_i64()),
        (Some(9_144_000), Some(6_858_000))
    );
    let layouts = strings(&described["layouts"]);
    assert!(
        layouts.len() > 5 && layouts.contains(&"Title Only".to_owned()),
        "{layouts:?}"
    );
    let slides = described["slides"].as_array().unwrap();
    assert_eq!(slides.len(), steps);
    for slide in slides {
        assert_eq!(slide["layout"], "Title and Content");
        assert_eq!(slide["title"], title.as_str());
        assert_eq!(
            strings(&slide["texts"])
                .iter()
                .filter(|text| *text == CAVEAT)
                .count(),
            2
        );
    }
    assert!(
        strings(&slides[1]["texts"])
            .iter()
            .any(|text| text.starts_with(&e1_title))
    );
    // A file that is not a template is refused, naming it.
    let not_a_template = dir.join("notes.txt");
    std::fs::write(&not_a_template, "hello").unwrap();
    harness.state_mut().settings.deck_template = Some(not_a_template.clone());
    let outcome = harness.state_mut().start_deck(
        dir.join("x.pptx"),
        strikemap::cli::DeckFormat::Pptx,
        [1280, 720],
        false,
    );
    let error = outcome
        .lock()
        .unwrap()
        .take()
        .expect("refused at once")
        .unwrap_err();
    assert!(
        error.contains("notes.txt") && error.contains("not a PowerPoint template"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The template typed in the top bar's "PowerPoint template…" is remembered and reaches the
/// child process that renders "Export deck…"; emptied, it is forgotten.
#[test]
fn the_template_setting_reaches_the_deck_export() {
    let mut harness = common::app_harness(1280.0, 800.0);
    harness.get_by_label("PowerPoint template…").click();
    harness.run_steps(2);
    harness.get_by_label("PowerPoint template file").click();
    harness.run_steps(1);
    harness
        .get_by_label("PowerPoint template file")
        .type_text("/org/template.pptx");
    harness.run_steps(2);
    assert_eq!(
        harness.state().settings.deck_template,
        Some(PathBuf::from("/org/template.pptx"))
    );
    let args = harness
        .state()
        .export_deck_args(Path::new("/tmp/deck.pptx"));
    let at = args
        .iter()
        .position(|arg| arg == "--template")
        .expect("--template");
    assert_eq!(args[at + 1], "/org/template.pptx", "{args:?}");
    harness
        .state_mut()
        .apply(strikemap::state::Command::SetDeckTemplate(None));
    let args = harness
        .state()
        .export_deck_args(Path::new("/tmp/deck.pptx"));
    assert!(!args.contains(&"--template".to_owned()), "{args:?}");
}
