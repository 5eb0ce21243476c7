//! Edits from a window that has not drawn the newest state yet, against a real server: only
//! the edit's own changes are written (never a revert of what others changed meanwhile), a
//! field others changed unseen is a clash, and a journalled clash settles and replays.
#![allow(clippy::unwrap_used)]

mod common;

use common::{admin_store, analyst, bundled, fresh_store};
use serde_json::json;
use strikemap_core::case::Case;
use strikemap_store::{Journal, Outcome, Resolution, Store};

fn case_of(session: &strikemap_store::Session) -> Case {
    session.case().unwrap().case
}

fn saved(outcome: &Outcome) -> Vec<i64> {
    match outcome {
        Outcome::Saved(ids) => ids.clone(),
        Outcome::Clashed(clashes) => panic!("expected the edit saved, got clashes {clashes:?}"),
    }
}

/// Alice's worker (session) and the case her window drew, then Bob's edit of strike 0's title
/// that her worker has taken in but her window has not drawn.
fn alice_behind_bob(database: &str) -> (Store, strikemap_store::Session, Case, i64, i64) {
    let id = admin_store(database).publish(&bundled()).unwrap();
    let alice_url = analyst(database, &format!("{database}_alice"), "editor");
    let bob_url = analyst(database, &format!("{database}_bob"), "editor");
    let mut alice = Store::connect(&alice_url, "window test (alice)").unwrap();
    let mut session = alice.open(id).unwrap();
    let window = case_of(&session);
    let drawn = session.seen();
    let mut bob = Store::connect(&bob_url, "window test (bob)").unwrap();
    let mut bob_session = bob.open(id).unwrap();
    let mut edit = case_of(&bob_session);
    edit.events[0].properties.title = "Bob's title".into();
    saved(&bob.commit(&mut bob_session, &edit).unwrap());
    assert_eq!(alice.pull(&mut session).unwrap().len(), 1);
    (alice, session, window, drawn, id)
}

#[test]
fn a_window_behind_the_store_never_reverts_what_others_changed() {
    let database = fresh_store("window_merge");
    let (mut alice, mut session, window, drawn, id) = alice_behind_bob(&database);
    let mut after = window.clone();
    after.events[1].properties.notes = Some("Alice's note".into());
    let (outcome, changes) = alice
        .commit_edit(&mut session, &window, &after, drawn)
        .unwrap();
    assert_eq!(saved(&outcome).len(), 1, "{changes:?}");
    let stored = case_of(&alice.open(id).unwrap());
    assert_eq!(stored.events[0].properties.title, "Bob's title");
    assert_eq!(
        stored.events[1].properties.notes.as_deref(),
        Some("Alice's note")
    );
    // The worker's copy holds both.
    assert_eq!(case_of(&session).events[0].properties.title, "Bob's title");
}

#[test]
fn a_window_behind_editing_the_same_field_is_shown_a_clash() {
    let database = fresh_store("window_clash");
    let (mut alice, mut session, window, drawn, id) = alice_behind_bob(&database);
    let mut after = window.clone();
    after.events[0].properties.title = "Alice's title".into();
    let (outcome, _) = alice
        .commit_edit(&mut session, &window, &after, drawn)
        .unwrap();
    let Outcome::Clashed(clashes) = outcome else {
        panic!("Alice's stale edit went over Bob's");
    };
    assert_eq!(clashes.len(), 1);
    assert_eq!(clashes[0].field, "title");
    assert_eq!(clashes[0].yours, json!("Alice's title"));
    assert_eq!(clashes[0].theirs, json!("Bob's title"));
    assert!(
        clashes[0].their_author.ends_with("_bob"),
        "{}",
        clashes[0].their_author
    );
    assert_eq!(
        case_of(&alice.open(id).unwrap()).events[0].properties.title,
        "Bob's title"
    );
    // Settled with a third value: written knowingly, one more history row.
    let third = json!("Title agreed by both");
    let outcome = alice
        .resolve(&mut session, &clashes[0], Resolution::Value(third))
        .unwrap();
    assert_eq!(saved(&outcome).len(), 1);
    assert_eq!(
        case_of(&alice.open(id).unwrap()).events[0].properties.title,
        "Title agreed by both"
    );
}

#[test]
fn a_window_that_has_not_heard_of_its_own_edit_is_not_behind() {
    let database = fresh_store("window_own");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let url = analyst(&database, "window_own_editor", "editor");
    let mut store = Store::connect(&url, "window test").unwrap();
    let mut session = store.open(id).unwrap();
    let drawn = session.seen();
    let first = case_of(&session);
    let mut second = first.clone();
    second.events[0].properties.title = "First try".into();
    saved(
        &store
            .commit_edit(&mut session, &first, &second, drawn)
            .unwrap()
            .0,
    );
    // The worker pulls (its own row is skipped) before the window hears of the save.
    assert!(store.pull(&mut session).unwrap().is_empty());
    let mut third = second.clone();
    third.events[0].properties.title = "Second try".into();
    saved(
        &store
            .commit_edit(&mut session, &second, &third, drawn)
            .unwrap()
            .0,
    );
    assert_eq!(
        case_of(&store.open(id).unwrap()).events[0].properties.title,
        "Second try"
    );
}

#[test]
fn a_journalled_clash_settled_for_theirs_lets_the_rest_replay() {
    let database = fresh_store("window_journal");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let url = analyst(&database, "window_journal_editor", "editor");
    let mut offline = Store::connect(&url, "offline").unwrap();
    let session = offline.open(id).unwrap();
    let dir = std::env::temp_dir().join(format!("strikemap-window-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut journal = Journal::create(&dir.join("journal.json"), offline.name(), &session).unwrap();
    // Offline, as a window's edits: a caveat, then a note.
    let window = case_of(&session);
    let mut caveat = window.clone();
    caveat.meta.caveat = "Offline caveat".into();
    journal
        .record_changes(&strikemap_store::window::changes_of_edit(
            &session, &window, &caveat,
        ))
        .unwrap();
    let mut note = caveat.clone();
    note.events[0].properties.notes = Some("Offline note".into());
    journal
        .record_changes(&strikemap_store::window::changes_of_edit(
            &session, &caveat, &note,
        ))
        .unwrap();
    assert_eq!(journal.pending(), 2);
    // Meanwhile another analyst changes the caveat.
    let mut online = Store::connect(&url, "online").unwrap();
    let mut other = online.open(id).unwrap();
    let mut edit = case_of(&other);
    edit.meta.caveat = "Online caveat".into();
    saved(&online.commit(&mut other, &edit).unwrap());

    let (mut replayed, replay) = journal.replay(&mut offline).unwrap();
    assert_eq!((replay.saved, replay.remaining), (0, 2));
    let clash = replay.clashes[0].clone();
    offline
        .resolve(&mut replayed, &clash, Resolution::Theirs)
        .unwrap();
    journal.settle(&clash, &clash.theirs).unwrap();
    // A journal read back from disk holds the settled edit.
    let mut journal = Journal::load(&dir.join("journal.json")).unwrap();
    let (_, replay) = journal.replay(&mut offline).unwrap();
    assert_eq!((replay.saved, replay.remaining), (2, 0), "{replay:?}");
    let stored = case_of(&online.open(id).unwrap());
    assert_eq!(stored.meta.caveat, "Online caveat");
    assert_eq!(
        stored.events[0].properties.notes.as_deref(),
        Some("Offline note")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn keeping_theirs_takes_what_the_store_holds_now_not_what_it_held_at_the_clash() {
    let database = fresh_store("window_theirs_now");
    let (mut alice, mut session, window, drawn, id) = alice_behind_bob(&database);
    let mut after = window.clone();
    after.events[0].properties.title = "Alice's title".into();
    let (Outcome::Clashed(clashes), _) = alice
        .commit_edit(&mut session, &window, &after, drawn)
        .unwrap()
    else {
        panic!("expected a clash");
    };
    // Bob changes the title again before Alice settles the clash.
    let bob_url = common::url_for(&format!("{database}_bob"), &database);
    let mut bob = Store::connect(&bob_url, "window test (bob)").unwrap();
    let mut bob_session = bob.open(id).unwrap();
    let mut edit = case_of(&bob_session);
    edit.events[0].properties.title = "Bob's second title".into();
    saved(&bob.commit(&mut bob_session, &edit).unwrap());

    alice
        .resolve(&mut session, &clashes[0], Resolution::Theirs)
        .unwrap();
    assert_eq!(
        case_of(&session).events[0].properties.title,
        "Bob's second title",
        "the worker's copy holds the store's value now"
    );
    // And an edit of another field afterwards goes through without a false clash.
    let mut next = case_of(&session);
    next.events[0].properties.notes = Some("Alice's note".into());
    let before = case_of(&session);
    let drawn = session.seen();
    saved(
        &alice
            .commit_edit(&mut session, &before, &next, drawn)
            .unwrap()
            .0,
    );
}
