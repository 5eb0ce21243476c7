//! Making your own case in the running app (issue #13): a new case built through the widgets
//! by their accessible labels, saved and opened again; undo and redo; saving refused while a
//! claim has no source; crash recovery from an autosave; the bundled case read-only; "Add to
//! case" on an imported ACLED event. No network, no display.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui::{Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use std::path::{Path, PathBuf};
use strikemap::StrikemapApp;
use strikemap::app::SaveOutcome;
use strikemap::case::Case;
use strikemap::case::edit::{
    ClaimField, CountPart, Edit, EventField, MetaField, SourceField, SourceOwner, Toll,
};
use strikemap::model::LonLat;
use strikemap::state::Command;

/// A fresh folder under the temporary folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("strikemap-case-ui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The app autosaving into `autosave`, tall enough that the editor needs no scrolling.
fn harness_in(autosave: &Path) -> Harness<'static, StrikemapApp> {
    let dir = autosave.to_path_buf();
    common::harness_with(1400.0, 3200.0, move |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.set_autosave_dir(Some(dir));
        app
    })
}

fn case_of(harness: &Harness<'_, StrikemapApp>) -> Case {
    harness.state().state.case().case.clone()
}

fn click(harness: &mut Harness<'_, StrikemapApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

/// Focuses the field, selects what it holds and types `text` over it.
fn type_into(harness: &mut Harness<'_, StrikemapApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

fn new_case(harness: &mut Harness<'_, StrikemapApp>) {
    click(harness, "File");
    click(harness, "New case");
    assert!(!harness.state().state.case().read_only);
    assert!(case_of(harness).events.is_empty());
}

/// Picks `option` in the combo box labelled `label`.
fn choose(harness: &mut Harness<'_, StrikemapApp>, label: &str, option: &str) {
    click(harness, label);
    click(harness, option);
}

#[test]
fn a_case_built_from_nothing_is_saved_and_opens_the_same() {
    let dir = temp_dir("build");
    let mut harness = harness_in(&dir.join("autosave"));
    new_case(&mut harness);
    click(&mut harness, "Case details (title, as-of date, caveat)");
    type_into(&mut harness, "Case title", "Saravan briefing");
    type_into(&mut harness, "Case as-of date", "2024-01-20");

    // "Add strike", then a click on the map places it there, selected.
    click(&mut harness, "Add strike");
    assert!(harness.state().state.case().placing);
    let map = harness.state().map.last_rect;
    let at = map.center() + egui::vec2(40.0, 30.0);
    let expected = {
        let position = harness.state().map.projector().unproject(at.to_vec2());
        LonLat {
            lon: position.x(),
            lat: position.y(),
        }
    };
    common::pointer_click(&mut harness, at);
    let case = case_of(&harness);
    assert_eq!(case.events.len(), 1, "the click placed a strike");
    assert!((case.events[0].position.lon - expected.lon).abs() < 1e-6);
    assert!((case.events[0].position.lat - expected.lat).abs() < 1e-6);
    assert_eq!(harness.state().state.selected_case_index(), Some(0));
    assert!(!harness.state().state.case().placing);

    // Its fields, typed.
    type_into(&mut harness, "Strike title", "Pakistan strikes Saravan");
    type_into(&mut harness, "Strike date", "2024-01-18");
    type_into(&mut harness, "Attacker", "Pakistan");
    type_into(&mut harness, "Strike target country", "Iran");
    type_into(
        &mut harness,
        "Strike place as reported",
        "Saravan, Sistan and Baluchestan",
    );
    type_into(&mut harness, "Position", "27.371, 62.333");
    assert!(
        harness
            .get_all_by_label_contains("Read as 27.37100° N, 62.33300° E")
            .next()
            .is_some()
    );

    // Two sources, and two claims citing one each.
    click(&mut harness, "Add source");
    click(&mut harness, "Add source");
    type_into(&mut harness, "Source 1 key", "IR1");
    type_into(&mut harness, "Source 1 outlet", "IRNA");
    type_into(&mut harness, "Source 1 date", "2024-01-18");
    type_into(&mut harness, "Source 2 key", "PK1");
    type_into(&mut harness, "Source 2 outlet", "ISPR");
    type_into(
        &mut harness,
        "Source 2 URL",
        "https://ispr.gov.pk/press-release",
    );
    click(&mut harness, "Add claim");
    click(&mut harness, "Add claim");
    type_into(&mut harness, "Claim 1 claimant", "Iran (governor)");
    choose(&mut harness, "Claim 1 source", "IR1 (IRNA)");
    type_into(&mut harness, "Claim 1 killed", "9");
    type_into(&mut harness, "Claim 2 claimant", "Pakistan (ISPR)");
    choose(&mut harness, "Claim 2 source", "PK1 (ISPR)");
    type_into(&mut harness, "Claim 2 killed", "7");
    click(&mut harness, "Claim 2 killed at least");

    let built = case_of(&harness);
    let event = &built.events[0];
    let claims = &event.properties.casualty_claims;
    assert_eq!(event.title(), "Pakistan strikes Saravan");
    assert_eq!(event.date.to_iso(), "2024-01-18");
    assert_eq!(event.attacker(), Some("Pakistan"));
    assert_eq!((event.position.lat, event.position.lon), (27.371, 62.333));
    assert_eq!(claims.len(), 2);
    assert_eq!(
        (claims[0].claimant.as_str(), claims[0].source.as_str()),
        ("Iran (governor)", "IR1")
    );
    assert_eq!(
        claims[0].killed.as_ref().map(|k| (k.count, k.at_least)),
        Some((9, false))
    );
    assert_eq!(claims[1].source, "PK1");
    assert_eq!(
        claims[1].killed.as_ref().map(|k| (k.count, k.at_least)),
        Some((7, true))
    );
    assert!(
        harness.state().state.case().problems().is_empty(),
        "{:?}",
        harness.state().state.case().problem_lines()
    );
    assert!(harness.state().state.case().is_dirty());

    // Save (the path the Save dialog hands over), then open the file in a new app.
    let file = dir.join("saravan.geojson");
    assert_eq!(
        harness.state_mut().save_case_as(file.clone()),
        SaveOutcome::Saved
    );
    assert!(!harness.state().state.case().is_dirty());
    assert_eq!(harness.state().settings.recent_cases, vec![file.clone()]);
    // Saving kept the map's view in the case, and changed nothing else.
    let saved = case_of(&harness);
    assert!(saved.view.is_some());
    let built = strikemap::case::Case {
        view: saved.view,
        ..built
    };
    assert_eq!(saved, built);

    let mut reopened = harness_in(&dir.join("autosave-2"));
    reopened.state_mut().open_case_file(&file).unwrap();
    reopened.run_steps(3);
    assert_eq!(case_of(&reopened), built);
    reopened.get_by_label("Saravan briefing");
    let label = strikemap::describe::event_list_label(&built.events[0]);
    click(&mut reopened, &label);
    reopened.get_by_label("Pakistan strikes Saravan");
    // The casualty table: each claimant, their figures and sources.
    reopened.get_by_label("Iran (governor)");
    reopened.get_by_label("Pakistan (ISPR)");
    reopened.get_by_label("[IR1]");
    reopened.get_by_label("[PK1]");
    reopened.get_by_label("≥7");
    // The sources.
    reopened.get_by_label("IRNA, 2024-01-18:");
    reopened.get_by_label("Open PK1");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Ten edits of different kinds, each undone and redone back to the exact state before it.
#[test]
fn undo_and_redo_across_ten_edits_return_to_each_state_exactly() {
    let dir = temp_dir("undo");
    let mut harness = harness_in(&dir);
    new_case(&mut harness);
    let at = LonLat {
        lon: 62.333,
        lat: 27.371,
    };
    let mut states = vec![case_of(&harness)];
    let set = |field| Edit::SetEvent { event: 0, field };
    let source = common::source;
    let edits: Vec<Command> = vec![
        Command::StartPlacingStrike,
        Command::PlaceStrike(at),
        Command::EditCase(set(EventField::Title("Saravan".into()))),
        Command::EditCase(set(EventField::Attacker(Some("Pakistan".into())))),
        Command::EditCase(Edit::AddSource {
            owner: SourceOwner::Event(0),
            index: 0,
            source: source("A1", "Al Jazeera"),
        }),
        Command::EditCase(Edit::SetSource {
            owner: SourceOwner::Event(0),
            index: 0,
            field: SourceField::Date(Some("2024-01-18".into())),
        }),
        Command::EditCase(Edit::AddClaim {
            event: 0,
            index: 0,
            claim: strikemap::model::CasualtyClaim {
                claimant: "Iran".into(),
                killed: None,
                injured: None,
                source: "A1".into(),
                note: None,
            },
        }),
        Command::EditCase(Edit::SetClaim {
            event: 0,
            index: 0,
            field: ClaimField::Figure(Toll::Killed, CountPart::Count, Some(9)),
        }),
        Command::EditCase(Edit::SetClaim {
            event: 0,
            index: 0,
            field: ClaimField::AtLeast(Toll::Killed, true),
        }),
        Command::EditCase(set(EventField::RadiusKm(25.0))),
        Command::EditCase(Edit::SetMeta(MetaField::Caveat("Claims only".into()))),
    ];
    for command in edits {
        let placing = matches!(command, Command::StartPlacingStrike);
        harness.state_mut().apply(command);
        harness.run_steps(1);
        if !placing {
            states.push(case_of(&harness));
        }
    }
    assert_eq!(states.len(), 11, "ten edits");
    for (index, pair) in states.windows(2).enumerate() {
        assert_ne!(pair[0], pair[1], "edit {} changed the case", index + 1);
    }
    // Undo with the button and Ctrl+Z in turn, back to the empty case.
    for expected in states.iter().rev().skip(1) {
        if harness.state().state.case().changes() % 2 == 0 {
            click(&mut harness, "Undo");
        } else {
            harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
            harness.run_steps(2);
        }
        assert_eq!(&case_of(&harness), expected);
    }
    assert!(!harness.state().state.case().can_undo());
    // Redo with the button, Ctrl+Shift+Z and Ctrl+Y in turn.
    for (step, expected) in states.iter().skip(1).enumerate() {
        match step % 3 {
            0 => click(&mut harness, "Redo"),
            1 => {
                harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
                harness.run_steps(2);
            }
            _ => {
                harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
                harness.run_steps(2);
            }
        }
        assert_eq!(&case_of(&harness), expected, "redo {}", step + 1);
    }
    assert!(!harness.state().state.case().can_redo());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Typing into one field is one undo step; leaving the field ends it.
#[test]
fn typing_into_a_field_undoes_in_one_step() {
    let dir = temp_dir("typing");
    let mut harness = harness_in(&dir);
    new_case(&mut harness);
    click(&mut harness, "Add strike");
    type_into(
        &mut harness,
        "Position of the new strike",
        "41R PQ 12345 67890",
    );
    harness.get_by_label_contains("Read as");
    click(&mut harness, "Add strike here");
    assert_eq!(case_of(&harness).events.len(), 1);
    let before = case_of(&harness);
    harness.get_by_label("Strike weapons").focus();
    harness.run_steps(1);
    for letter in ["d", "r", "o", "n", "e", "s"] {
        harness.get_by_label("Strike weapons").type_text(letter);
        harness.run_steps(1);
    }
    assert_eq!(
        case_of(&harness).events[0].properties.weapons.as_deref(),
        Some("drones")
    );
    harness.get_by_label("Strike operation").focus();
    harness.run_steps(2);
    click(&mut harness, "Undo");
    assert_eq!(case_of(&harness), before, "six keystrokes, one step");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_claim_without_a_source_blocks_saving_and_is_named() {
    let dir = temp_dir("nosource");
    let mut harness = harness_in(&dir.join("autosave"));
    new_case(&mut harness);
    click(&mut harness, "Add strike");
    type_into(
        &mut harness,
        "Position of the new strike",
        "27°22'16\"N 62°19'59\"E",
    );
    click(&mut harness, "Add strike here");
    type_into(&mut harness, "Strike title", "Saravan");
    click(&mut harness, "Add claim");
    type_into(&mut harness, "Claim 1 claimant", "Iran");
    // The problem is shown beside the claim as it is typed, and counted in the header.
    harness.get_by_label_contains("cites no source");
    harness.get_by_label("1 problem");

    let file = dir.join("refused.geojson");
    assert_eq!(
        harness.state_mut().save_case_as(file.clone()),
        SaveOutcome::Failed
    );
    assert!(!file.exists(), "nothing written");
    let messages = harness.state().state.messages.join("\n");
    assert!(messages.contains("Not saved: 1 problem(s)"), "{messages}");
    assert!(
        messages.contains("claim 1 (Iran), source: cites no source"),
        "the message names the claim: {messages}"
    );
    harness.run_steps(2);
    harness.get_by_label_contains("claim 1 (Iran), source");
    assert!(harness.state().state.case().is_dirty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_autosave_left_behind_is_offered_and_restores_the_work() {
    let dir = temp_dir("autosave");
    let autosave = dir.join("autosave");
    let work = {
        let mut harness = harness_in(&autosave);
        new_case(&mut harness);
        harness.state_mut().apply(Command::StartPlacingStrike);
        harness.state_mut().apply(Command::PlaceStrike(LonLat {
            lon: 64.1,
            lat: 26.97,
        }));
        harness.state_mut().apply(Command::EditCase(Edit::SetEvent {
            event: 0,
            field: EventField::Title("Panjgur".into()),
        }));
        let written = harness.state_mut().autosave_now().expect("autosaved");
        assert!(written.exists());
        case_of(&harness)
        // The app is dropped here without saving: a crash, as far as the work is concerned.
    };
    let mut harness = harness_in(&autosave);
    harness.get_by_label_contains("Restore unsaved work from");
    assert!(
        case_of(&harness).events.len() == 2,
        "the bundled case until restored"
    );
    click(&mut harness, "Restore");
    assert_eq!(case_of(&harness), work);
    assert!(harness.state().state.case().is_dirty(), "still unsaved");
    assert!(
        harness
            .query_by_label_contains("Restore unsaved work")
            .is_none()
    );

    // Saving it discards the autosave; the next start offers nothing.
    let file = dir.join("panjgur.geojson");
    assert_eq!(harness.state_mut().save_case_as(file), SaveOutcome::Saved);
    assert!(strikemap::case::autosave::find(&autosave).is_empty());
    let fresh = harness_in(&autosave);
    assert!(
        fresh
            .query_by_label_contains("Restore unsaved work")
            .is_none()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_autosave_can_be_discarded() {
    let dir = temp_dir("discard");
    {
        let mut harness = harness_in(&dir);
        new_case(&mut harness);
        harness
            .state_mut()
            .apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
                "Draft".into(),
            ))));
        harness.state_mut().autosave_now().expect("autosaved");
    }
    let mut harness = harness_in(&dir);
    click(&mut harness, "Discard");
    assert!(strikemap::case::autosave::find(&dir).is_empty());
    assert!(
        harness.state().state.case().read_only,
        "the bundled case stays"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_bundled_case_opens_read_only_and_save_as_makes_an_editable_copy() {
    let dir = temp_dir("bundled");
    let mut harness = harness_in(&dir.join("autosave"));
    let bundled = case_of(&harness);
    assert!(harness.state().state.case().read_only);
    assert_eq!(harness.state().state.shown_events().len(), 2);
    harness.get_by_label("(read-only)");
    harness.get_by_label_contains("The bundled case is read-only");
    assert!(harness.query_by_label("Add strike").is_none());

    // An edit is refused with the hint.
    harness
        .state_mut()
        .apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
            "Mine".into(),
        ))));
    harness.run_steps(2);
    assert_eq!(case_of(&harness), bundled);
    assert!(!harness.state().state.case().is_dirty());
    harness.get_by_label(strikemap::state::READ_ONLY_HINT);

    // Save as… gives an editable copy that reads back equal.
    let file = dir.join("copy.geojson");
    assert_eq!(
        harness.state_mut().save_case_as(file.clone()),
        SaveOutcome::Saved
    );
    assert!(!harness.state().state.case().read_only);
    let (loaded, _) = strikemap::case::load_case_file(&file).unwrap();
    // The copy is the bundled case with the view the map showed when it was saved.
    assert_eq!(loaded.case, case_of(&harness));
    assert_eq!(
        loaded.case,
        strikemap::case::Case {
            view: loaded.case.view,
            ..bundled.clone()
        }
    );
    harness
        .state_mut()
        .apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
            "Mine".into(),
        ))));
    assert_eq!(case_of(&harness).meta.title, "Mine");
    // Save goes over the file; a change made on disk by another program is not overwritten.
    assert_eq!(harness.state_mut().save_case(), SaveOutcome::Saved);
    std::fs::write(&file, "changed elsewhere").unwrap();
    harness
        .state_mut()
        .apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
            "Mine again".into(),
        ))));
    assert_eq!(harness.state_mut().save_case(), SaveOutcome::Failed);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "changed elsewhere");
    assert!(
        harness
            .state()
            .state
            .messages
            .iter()
            .any(|message| message.contains("changed on disk") && message.contains("Save as…"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starting another case with unsaved changes asks first: Cancel keeps the work, Discard drops it.
#[test]
fn unsaved_changes_are_asked_about_before_another_case() {
    let dir = temp_dir("ask");
    let mut harness = harness_in(&dir);
    new_case(&mut harness);
    harness
        .state_mut()
        .apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
            "Work".into(),
        ))));
    harness.run_steps(2);
    click(&mut harness, "File");
    click(&mut harness, "New case");
    harness.get_by_label("Save the changes to Work?");
    click(&mut harness, "Cancel");
    assert_eq!(case_of(&harness).meta.title, "Work");
    click(&mut harness, "File");
    click(&mut harness, "New case");
    click(&mut harness, "Discard");
    assert_eq!(case_of(&harness).meta.title, "Untitled case");
    let _ = std::fs::remove_dir_all(&dir);
}

/// "Add to case" on an event of an imported ACLED file: a strike citing the dataset row.
#[test]
fn an_imported_acled_event_is_added_to_the_case() {
    let dir = temp_dir("acled");
    let mut harness = harness_in(&dir);
    new_case(&mut harness);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/tests/fixtures/acled_current.csv");
    let import = strikemap::import::import_file(&path);
    let layer = harness
        .state_mut()
        .state
        .add_import(path, import)
        .expect("imported");
    harness.run_steps(2);
    let first = harness.state().state.layer(layer).unwrap().events()[0].clone();
    let label = strikemap::describe::event_list_label(&first);
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    click(&mut harness, "Add to case");
    let case = case_of(&harness);
    assert_eq!(case.events.len(), 1);
    let strike = &case.events[0];
    assert_eq!(strike.id(), "E1");
    assert_eq!(strike.position, first.position);
    assert_eq!(strike.properties.casualty_claims[0].claimant, "ACLED");
    assert_eq!(strike.properties.sources[0].outlet, "ACLED");
    assert_eq!(harness.state().state.selected_case_index(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rectangle of the widget named `label`.
fn rect_of(harness: &Harness<'_, StrikemapApp>, label: &str) -> egui::Rect {
    harness.get_by_label(label).rect()
}

/// Typing a position reads it back without moving the controls under the pointer (issue #24):
/// "Add strike here" stays where it was while the user types, and in the strike's own editor
/// the field below the position stays put while its "Read as" line changes.
#[test]
fn typing_a_position_moves_no_control() {
    let dir = temp_dir("steady");
    let mut harness = harness_in(&dir);
    new_case(&mut harness);
    click(&mut harness, "Add strike");
    let before = rect_of(&harness, "Add strike here");
    for typed in ["27.37", "27.37, 62.33"] {
        type_into(&mut harness, "Position of the new strike", typed);
        assert_eq!(
            rect_of(&harness, "Add strike here"),
            before,
            "after typing {typed:?}"
        );
    }
    harness.get_by_label_contains("Read as 27.37");
    click(&mut harness, "Add strike here");
    let below = rect_of(&harness, "Precision level");
    for typed in ["27.4", "27.4, 62.4", "41R PQ 12345 67890"] {
        type_into(&mut harness, "Position", typed);
        assert_eq!(
            rect_of(&harness, "Precision level"),
            below,
            "after typing {typed:?} into the strike's position"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
