//! Two windows on one team-store case, against a real PostgreSQL + PostGIS server (the one
//! `.ci/run` started, or one started here: see crates/store/tests/common). Edits go through
//! the case's own edit commands and reach the other window; a clash is shown and settled; a
//! strike's history is listed; a viewer's window is read-only; edits made while the server is
//! down are kept and saved when it is back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../crates/store/tests/common/mod.rs"]
mod store_server;

use common::{harness_with, step_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use strikemap::StrikemapApp;
use strikemap::state::{Command, EventRef, Selection};
use strikemap::team::{Connection, StoreCaseAddress};
use strikemap_core::case::edit::{Edit, EventField, MetaField};

fn journal_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "strikemap-ui-journal-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A window with the store case open (live), its journal in a folder of its own.
fn window_on(url: &str, case_id: i64, journal: &str) -> Harness<'static, StrikemapApp> {
    window_with_journal(url, case_id, journal_dir(journal))
}

/// A window on the store case keeping its journal in `dir` (a folder kept between windows).
fn window_with_journal(
    url: &str,
    case_id: i64,
    dir: std::path::PathBuf,
) -> Harness<'static, StrikemapApp> {
    let url = url.to_owned();
    let mut harness = harness_with(1400.0, 900.0, move |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.set_journal_dir(Some(dir));
        app.open_store_case(StoreCaseAddress {
            url,
            case_id,
            as_of: None,
        });
        app
    });
    wait_live(&mut harness);
    harness
}

/// File › `item` (Open from / Publish to team store…), and the store's URL typed in the dialog.
fn team_store_dialog(harness: &mut Harness<'static, StrikemapApp>, item: &str, url: &str) {
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label(item).click();
    // The dialog's first frame only measures it.
    harness.run_steps(3);
    harness.get_by_label("Store URL").focus();
    harness.run_steps(1);
    harness.get_by_label("Store URL").type_text(url);
    harness.run_steps(1);
}

fn wait_live(harness: &mut Harness<'static, StrikemapApp>) {
    step_until(harness, |app| {
        app.state
            .case()
            .store
            .as_ref()
            .is_some_and(|store| store.connection == Connection::Live && store.in_flight == 0)
    });
}

fn title_of(app: &StrikemapApp, index: usize) -> String {
    app.state.case().case.events[index].properties.title.clone()
}

fn edit(harness: &mut Harness<'static, StrikemapApp>, edit: Edit) {
    harness.state_mut().apply(Command::EditCase(edit));
    harness.run_steps(1);
}

fn select(harness: &mut Harness<'static, StrikemapApp>, index: usize) {
    let app = harness.state_mut();
    let layer = app.state.case_layer();
    let id = app.state.case().case.events[index].id().to_owned();
    app.apply(Command::Select(EventRef { layer, id }));
    harness.run_steps(2);
}

#[test]
fn two_windows_edit_one_case_and_settle_a_clash() {
    let database = store_server::fresh_store("ui_two");
    let case_id = store_server::admin_store(&database)
        .publish(&store_server::bundled())
        .unwrap();
    let alice_url = store_server::analyst(&database, "ui_two_alice", "editor");
    let bob_url = store_server::analyst(&database, "ui_two_bob", "editor");

    // Alice opens it as a user does: File › Open from team store…, the URL, List cases, Open.
    let mut alice = harness_with(1400.0, 900.0, StrikemapApp::new_offline);
    alice
        .state_mut()
        .set_journal_dir(Some(journal_dir("alice")));
    team_store_dialog(&mut alice, "Open from team store…", &alice_url);
    alice.get_by_label("List cases").click();
    let open_label =
        format!("Open case {case_id}: Iran–Pakistan cross-border strikes, January 2024");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while alice.query_by_label(&open_label).is_none() && std::time::Instant::now() < deadline {
        alice.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    alice.get_by_label(&open_label).click();
    wait_live(&mut alice);
    assert!(!alice.state().state.case().read_only);

    // Bob's window, with a strike selected and an edit of his own to undo later.
    let mut bob = window_on(&bob_url, case_id, "bob");
    select(&mut bob, 1);
    edit(
        &mut bob,
        Edit::SetMeta(MetaField::Caveat("Bob's caveat".into())),
    );
    wait_live(&mut bob);

    // Alice retitles strike 0: Bob's window shows it, keeping his selection and his undo.
    edit(
        &mut alice,
        Edit::SetEvent {
            event: 0,
            field: EventField::Title("Retitled by Alice".into()),
        },
    );
    wait_live(&mut alice);
    step_until(&mut bob, |app| title_of(app, 0) == "Retitled by Alice");
    let bob_app = bob.state();
    let selected = bob_app.state.case().case.events[1].id().to_owned();
    assert!(
        matches!(bob_app.state.selection(), Selection::Event(event) if event.id == selected),
        "Bob's selection was lost"
    );
    assert!(
        bob_app.state.case().can_undo(),
        "Bob's undo history was lost"
    );
    // And Alice sees Bob's caveat.
    step_until(&mut alice, |app| {
        app.state.case().case.meta.caveat == "Bob's caveat"
    });

    // The same field at once: Alice's goes in, Bob's (made before his window drew hers) clashes.
    edit(
        &mut alice,
        Edit::SetEvent {
            event: 1,
            field: EventField::Notes(Some("Alice's note".into())),
        },
    );
    wait_live(&mut alice);
    bob.state_mut().apply(Command::EditCase(Edit::SetEvent {
        event: 1,
        field: EventField::Notes(Some("Bob's note".into())),
    }));
    step_until(&mut bob, |app| {
        app.state
            .case()
            .store
            .as_ref()
            .is_some_and(|store| !store.clashes.is_empty())
    });
    bob.run_steps(2);
    bob.get_by_label("Yours");
    bob.get_by_label_contains("Theirs (ui_two_alice");
    assert!(bob.query_all_by_label("Alice's note").count() >= 1);
    // Bob keeps his, knowingly: it is written, and reaches Alice.
    bob.get_by_label("Keep mine").click();
    bob.run_steps(2);
    wait_live(&mut bob);
    let note = |app: &StrikemapApp| app.state.case().case.events[1].properties.notes.clone();
    step_until(&mut alice, |app| note(app).as_deref() == Some("Bob's note"));
    step_until(&mut bob, |app| note(app).as_deref() == Some("Bob's note"));

    // Bob undoes his own edits, newest first: each undo is one more edit in the history,
    // seen by Alice.
    bob.state_mut().apply(Command::UndoCase);
    wait_live(&mut bob);
    step_until(&mut alice, |app| note(app).is_none());
    bob.state_mut().apply(Command::UndoCase);
    wait_live(&mut bob);
    step_until(&mut alice, |app| {
        app.state.case().case.meta.caveat != "Bob's caveat"
    });

    // The strike's History lists who changed what, from what to what.
    // (Below the strike's editor: clicked as a screen reader does.)
    bob.get_by_label(&format!("Show the history of {selected}"))
        .click_accesskit();
    step_until(&mut bob, |app| {
        app.state
            .case()
            .store
            .as_ref()
            .and_then(|store| store.history.as_ref())
            .is_some_and(|(_, rows)| rows.len() >= 4)
    });
    bob.run_steps(2);
    bob.get_by_label_contains("notes changed from (empty) to Alice's note");
    bob.get_by_label_contains("notes changed from Alice's note to Bob's note");
    bob.get_by_label_contains("notes changed from Bob's note to (empty)");
    assert!(
        bob.query_all_by_label_contains("ui_two_alice").count() >= 1,
        "the author is named"
    );
}

#[test]
fn a_viewer_window_is_read_only_and_says_why() {
    let database = store_server::fresh_store("ui_viewer");
    let case_id = store_server::admin_store(&database)
        .publish(&store_server::bundled())
        .unwrap();
    let url = store_server::analyst(&database, "ui_viewer_role", "viewer");
    // A password typed in the dialog is used for the connection, never remembered.
    let with_password = strikemap::app::url_with_password(&url, "s3cret-word");
    let mut viewer = window_on(&with_password, case_id, "viewer");
    let app = viewer.state();
    assert!(
        !app.settings.team_store.contains("s3cret"),
        "{}",
        app.settings.team_store
    );
    assert!(app.settings.team_store.contains("ui_viewer_role@"));
    assert!(
        !app.state
            .case()
            .store
            .as_ref()
            .unwrap()
            .store
            .contains("s3cret")
    );
    assert!(app.state.case().read_only);
    let status = app.state.case().store.as_ref().unwrap().status_line();
    assert!(status.contains("viewer (read-only)"), "{status}");
    viewer
        .state_mut()
        .apply(Command::EditCase(Edit::SetMeta(MetaField::Title(
            "Viewer's title".into(),
        ))));
    viewer.run_steps(2);
    let app = viewer.state();
    assert!(
        app.state
            .messages
            .iter()
            .any(|m| m.contains("You are a viewer of case")),
        "{:?}",
        app.state.messages
    );
    assert_ne!(app.state.case().case.meta.title, "Viewer's title");
}

#[test]
fn edits_made_while_the_server_is_down_are_kept_and_saved_when_it_is_back() {
    let cluster = store_server::Cluster::start("ui_offline");
    let mut admin = strikemap_store::Store::connect(&cluster.url, "ui test").unwrap();
    admin.init().unwrap();
    let case_id = admin.publish(&store_server::bundled()).unwrap();
    drop(admin);
    let mut window = window_on(&cluster.url, case_id, "offline");

    cluster.crash();
    // Edits go on; the first meets the dead connection and goes to the journal.
    for (index, title) in [(0, "Offline one"), (1, "Offline two")] {
        edit(
            &mut window,
            Edit::SetEvent {
                event: index,
                field: EventField::Title(title.into()),
            },
        );
        window.run_steps(3);
    }
    step_until(&mut window, |app| {
        matches!(
            app.state
                .case()
                .store
                .as_ref()
                .map(|store| &store.connection),
            Some(Connection::Offline { pending: 2, .. })
        )
    });
    let status = window
        .state()
        .state
        .case()
        .store
        .as_ref()
        .unwrap()
        .status_line();
    assert!(
        status.contains("offline, 2 edit(s) kept on this machine"),
        "{status}"
    );

    cluster.restart();
    wait_live(&mut window);
    let mut store = strikemap_store::Store::connect(&cluster.url, "ui test").unwrap();
    let stored = store.open(case_id).unwrap().case().unwrap().case;
    assert_eq!(stored.events[0].properties.title, "Offline one");
    assert_eq!(stored.events[1].properties.title, "Offline two");
    let history = store.history(case_id, None, None).unwrap();
    let by_window: Vec<_> = history
        .iter()
        .filter(|row| row.client.contains("(window)"))
        .map(|row| (row.object.as_str(), row.field.as_str()))
        .collect();
    assert_eq!(
        by_window,
        [("strike:E1", "title"), ("strike:E2", "title")],
        "one history row per edit, none twice"
    );
}

#[test]
fn a_journal_left_by_a_killed_window_is_saved_when_the_case_opens_again() {
    let cluster = store_server::Cluster::start("ui_killed");
    let mut admin = strikemap_store::Store::connect(&cluster.url, "ui test").unwrap();
    admin.init().unwrap();
    let case_id = admin.publish(&store_server::bundled()).unwrap();
    drop(admin);
    let dir = journal_dir("killed");
    let mut window = window_with_journal(&cluster.url, case_id, dir.clone());
    cluster.crash();
    edit(
        &mut window,
        Edit::SetMeta(MetaField::Caveat("Kept while the store was down".into())),
    );
    step_until(&mut window, |app| {
        matches!(
            app.state
                .case()
                .store
                .as_ref()
                .map(|store| &store.connection),
            Some(Connection::Offline { pending: 1, .. })
        )
    });
    // The window ends without a word to the store (as when it is killed).
    drop(window);
    cluster.restart();

    let reopened = window_with_journal(&cluster.url, case_id, dir);
    let app = reopened.state();
    assert_eq!(
        app.state.case().case.meta.caveat,
        "Kept while the store was down"
    );
    assert!(
        app.state
            .notices
            .iter()
            .any(|notice| notice.contains("1 edit(s) kept on this machine")),
        "{:?}",
        app.state.notices
    );
    let mut store = strikemap_store::Store::connect(&cluster.url, "ui test").unwrap();
    let stored = store.open(case_id).unwrap().case().unwrap().case;
    assert_eq!(stored.meta.caveat, "Kept while the store was down");
}

#[test]
fn a_case_opened_as_of_a_past_time_is_read_only_and_stamped() {
    let database = store_server::fresh_store("ui_as_of");
    let case_id = store_server::admin_store(&database)
        .publish(&store_server::bundled())
        .unwrap();
    let url = store_server::analyst(&database, "ui_as_of_editor", "editor");
    let mut now = window_on(&url, case_id, "as_of_now");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // The server's clock, a second after the publication and a second before the edit.
    let before_edit: String = store_server::sql_as("ui_as_of_editor", &database)
        .query_one(
            r#"SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#,
            &[],
        )
        .unwrap()
        .get(0);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    edit(
        &mut now,
        Edit::SetEvent {
            event: 0,
            field: EventField::Title("Corrected later".into()),
        },
    );
    wait_live(&mut now);

    let url_then = url.clone();
    let time = before_edit.clone();
    let mut then = harness_with(1400.0, 900.0, move |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.open_store_case(StoreCaseAddress {
            url: url_then,
            case_id,
            as_of: Some(time),
        });
        app
    });
    step_until(&mut then, |app| app.state.case().store.is_some());
    let app = then.state();
    let session = app.state.case();
    assert!(session.read_only);
    assert_ne!(session.case.events[0].properties.title, "Corrected later");
    assert!(
        session
            .case
            .meta
            .caveat
            .starts_with(&format!("As of {before_edit}")),
        "{}",
        session.case.meta.caveat
    );
    let status = session.store.as_ref().unwrap().status_line();
    assert!(status.contains("read-only"), "{status}");
}

#[test]
fn a_case_is_published_from_the_window_and_a_copy_saved_as_a_file() {
    let database = store_server::fresh_store("ui_publish");
    let url = store_server::url_for("strikemap_admin", &database);
    let mut window = harness_with(1400.0, 900.0, StrikemapApp::new_offline);
    window
        .state_mut()
        .set_journal_dir(Some(journal_dir("publish")));
    team_store_dialog(&mut window, "Publish to team store…", &url);
    window.get_by_label("Publish this case").click();
    wait_live(&mut window);
    let app = window.state();
    let store = app.state.case().store.as_ref().unwrap();
    assert_eq!(store.address.case_id, 1);
    assert!(!app.state.case().read_only, "the publisher leads the case");
    assert!(
        app.state
            .notices
            .iter()
            .any(|n| n.starts_with("Published as case 1 in")),
        "{:?}",
        app.state.notices
    );
    // The bundled case's strikes are now the store case's.
    let mut admin = strikemap_store::Store::connect(&url, "ui test").unwrap();
    assert_eq!(admin.open(1).unwrap().case().unwrap().case.events.len(), 2);

    // Save a copy as file: a case file is written, the window stays on the store case.
    let dir = journal_dir("publish-copy");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("copy.geojson");
    window.state_mut().save_case_as(copy.clone());
    window.run_steps(2);
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(text.contains("strikemap_case"));
    assert!(window.state().state.case().store.is_some());
    assert!(window.state().state.case().path.is_none());
}
