//! The team store against a real PostgreSQL + PostGIS server (see `common`).
#![allow(clippy::unwrap_used)]

mod common;

use common::{admin_store, analyst, bundled, fresh_store, sql_as};
use serde_json::json;
use strikemap_core::case::{Case, write_case};
use strikemap_store::image::ObjectKey;
use strikemap_store::{Outcome, Resolution, Store, StoreError};

fn connect(url: &str, client: &str) -> Store {
    Store::connect(url, client).unwrap()
}

/// The session's case, ready to edit.
fn case_of(session: &strikemap_store::Session) -> Case {
    session.case().unwrap().case
}

fn saved(outcome: Outcome) -> Vec<i64> {
    match outcome {
        Outcome::Saved(ids) => ids,
        Outcome::Clashed(clashes) => panic!("expected the edit saved, got clashes {clashes:?}"),
    }
}

#[test]
fn a_published_case_exports_to_the_same_bytes() {
    let database = fresh_store("roundtrip");
    let mut store = admin_store(&database);
    let case = bundled();
    let id = store.publish(&case).unwrap();
    let exported = store.export(id).unwrap();
    assert_eq!(exported, write_case(&case));
    // And the bundled file itself is canonical, so a file published gives back its own bytes.
    assert_eq!(exported, strikemap_core::case::BUNDLED_CASE_GEOJSON);

    let list = store.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, id);
    assert_eq!(list[0].title, case.meta.title);
    assert_eq!(list[0].as_of.as_deref(), Some("2024-02-01"));
    assert_eq!(list[0].strikes, case.events.len() as i64);
    assert_eq!(list[0].changed_by, "strikemap_admin");
}

#[test]
fn annotations_publish_edit_and_export_to_the_same_bytes() {
    use strikemap_core::case::annotation::{Annotation, Kind};
    use strikemap_core::model::LonLat;
    let database = fresh_store("annotations");
    let mut store = admin_store(&database);
    let mut case = bundled();
    let at = LonLat {
        lon: 62.3,
        lat: 27.4,
    };
    case.annotations = vec![
        Annotation::new(
            "A1".into(),
            Kind::RangeRings.shape(&[at], &[300.0, 1000.0]),
            "Range",
        ),
        Annotation::new("A2".into(), Kind::Callout.shape(&[at], &[]), "Saravan"),
    ];
    case.annotations[1].source_keys = vec!["A1".into()];
    let id = store.publish(&case).unwrap();
    assert_eq!(store.export(id).unwrap(), write_case(&case));
    let mut session = store.open(id).unwrap();
    let mut edited = case_of(&session);
    assert_eq!(edited, case);
    edited.annotations[0].label = "Shahed-136 range".into();
    edited.annotations.remove(1);
    saved(store.commit(&mut session, &edited).unwrap());
    assert_eq!(store.export(id).unwrap(), write_case(&edited));
}

#[test]
fn strikes_are_a_postgis_point_layer_with_their_claims_and_sources() {
    let database = fresh_store("postgis");
    let mut store = admin_store(&database);
    let case = bundled();
    let id = store.publish(&case).unwrap();
    let mut sql = sql_as("strikemap_admin", &database);
    let rows = sql
        .query(
            "SELECT strike_id, ST_X(geom), ST_Y(geom), ST_SRID(geom), GeometryType(geom), title, attacker
               FROM strikemap.strikes WHERE case_id = $1 ORDER BY sort_order",
            &[&id],
        )
        .unwrap();
    assert_eq!(rows.len(), case.events.len());
    for (row, event) in rows.iter().zip(&case.events) {
        assert_eq!(row.get::<_, String>(0), event.id());
        assert_eq!(row.get::<_, f64>(1), event.position.lon);
        assert_eq!(row.get::<_, f64>(2), event.position.lat);
        assert_eq!(row.get::<_, i32>(3), 4326);
        assert_eq!(row.get::<_, String>(4), "POINT");
        assert_eq!(row.get::<_, String>(5), event.title());
        assert_eq!(row.get::<_, Option<String>>(6).as_deref(), event.attacker());
    }
    let claims: i64 = sql
        .query_one(
            "SELECT count(*) FROM strikemap.casualty_claims WHERE case_id = $1",
            &[&id],
        )
        .unwrap()
        .get(0);
    let expected: usize = case
        .events
        .iter()
        .map(|e| e.properties.casualty_claims.len())
        .sum();
    assert_eq!(claims, expected as i64);
    let sources: i64 = sql
        .query_one(
            "SELECT count(*) FROM strikemap.sources WHERE case_id = $1",
            &[&id],
        )
        .unwrap()
        .get(0);
    let expected: usize = case
        .events
        .iter()
        .map(|e| e.properties.sources.len())
        .sum::<usize>()
        + case.statement_sources.len();
    assert_eq!(sources, expected as i64);
}

#[test]
fn hostile_text_round_trips_as_text() {
    let database = fresh_store("injection");
    let mut store = admin_store(&database);
    let mut case = bundled();
    let hostile = "'); DROP TABLE strikemap.strikes; --";
    case.meta.title = hostile.to_owned();
    case.events[0].properties.title = format!("{hostile} \"$$ \\ ' %I");
    let id = store.publish(&case).unwrap();
    assert_eq!(store.export(id).unwrap(), write_case(&case));
    let mut session = store.open(id).unwrap();
    let mut edited = case_of(&session);
    edited.meta.caveat = "'; DELETE FROM strikemap.history; --".to_owned();
    saved(store.commit(&mut session, &edited).unwrap());
    assert_eq!(store.export(id).unwrap(), write_case(&edited));
    assert_eq!(store.list().unwrap()[0].title, hostile);
    assert!(store.history(id, None, None).unwrap().len() > 1);
}

#[test]
fn edits_of_different_fields_merge_and_the_same_field_clashes() {
    let database = fresh_store("clash");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let alice_url = analyst(&database, "clash_alice", "editor");
    let bob_url = analyst(&database, "clash_bob", "editor");
    let mut alice = connect(&alice_url, "strikemap test (alice)");
    let mut bob = connect(&bob_url, "strikemap test (bob)");
    let mut alice_session = alice.open(id).unwrap();
    let mut bob_session = bob.open(id).unwrap();

    // Different fields of the same strike: both go through.
    let mut edit = case_of(&alice_session);
    edit.events[0].properties.title = "Alice's title".into();
    saved(alice.commit(&mut alice_session, &edit).unwrap());
    let mut edit = case_of(&bob_session);
    edit.events[0].properties.notes = Some("Bob's note".into());
    saved(bob.commit(&mut bob_session, &edit).unwrap());
    // Each sees the other's after taking in the changes.
    assert_eq!(alice.pull(&mut alice_session).unwrap().len(), 1);
    assert_eq!(bob.pull(&mut bob_session).unwrap().len(), 1);
    for session in [&alice_session, &bob_session] {
        let case = case_of(session);
        assert_eq!(case.events[0].properties.title, "Alice's title");
        assert_eq!(
            case.events[0].properties.notes.as_deref(),
            Some("Bob's note")
        );
    }

    // The same field from the same version: the second edit is refused and shown.
    let mut edit = case_of(&alice_session);
    edit.events[1].properties.claimed_target = Some("Alice's target".into());
    saved(alice.commit(&mut alice_session, &edit).unwrap());
    let mut edit = case_of(&bob_session);
    edit.events[1].properties.claimed_target = Some("Bob's target".into());
    edit.events[1].properties.operation = Some("Bob's operation".into());
    let Outcome::Clashed(clashes) = bob.commit(&mut bob_session, &edit).unwrap() else {
        panic!("the same field was written over");
    };
    assert_eq!(
        clashes.len(),
        1,
        "only the field both changed clashes: {clashes:?}"
    );
    let clash = &clashes[0];
    let strike = ObjectKey::Strike(edit.events[1].id().to_owned());
    assert_eq!(clash.object, strike);
    assert_eq!(clash.field, "claimed_target");
    assert_eq!(clash.yours, json!("Bob's target"));
    assert_eq!(clash.theirs, json!("Alice's target"));
    assert_eq!(clash.their_author, "clash_alice");
    assert!(!clash.their_time.is_empty());
    // Nothing of Bob's edit was written: not even the field that did not clash.
    let stored = admin_store(&database).open(id).unwrap();
    let stored = case_of(&stored);
    assert_eq!(
        stored.events[1].properties.claimed_target.as_deref(),
        Some("Alice's target")
    );
    assert_ne!(
        stored.events[1].properties.operation.as_deref(),
        Some("Bob's operation")
    );

    // Bob settles it with a third value, knowingly; then his other change goes through.
    saved(
        bob.resolve(
            &mut bob_session,
            clash,
            Resolution::Value(json!("Both: see notes")),
        )
        .unwrap(),
    );
    let mut retry = case_of(&bob_session);
    retry.events[1].properties.operation = Some("Bob's operation".into());
    saved(bob.commit(&mut bob_session, &retry).unwrap());
    let stored = admin_store(&database).open(id).unwrap();
    let stored = case_of(&stored);
    assert_eq!(
        stored.events[1].properties.claimed_target.as_deref(),
        Some("Both: see notes")
    );
    assert_eq!(
        stored.events[1].properties.operation.as_deref(),
        Some("Bob's operation")
    );

    // The strike's history: who changed what, from what, to what.
    let history = admin_store(&database)
        .history(id, None, Some(&strike.to_text()))
        .unwrap();
    let changes: Vec<(String, String, serde_json::Value)> = history
        .iter()
        .filter(|row| row.field != "*")
        .map(|row| (row.author.clone(), row.field.clone(), row.new.clone()))
        .collect();
    assert_eq!(
        changes,
        vec![
            (
                "clash_alice".into(),
                "claimed_target".into(),
                json!("Alice's target")
            ),
            (
                "clash_bob".into(),
                "claimed_target".into(),
                json!("Both: see notes")
            ),
            (
                "clash_bob".into(),
                "operation".into(),
                json!("Bob's operation")
            ),
        ]
    );
    let edits: Vec<_> = history.iter().filter(|row| row.field != "*").collect();
    assert_eq!(edits[1].old, json!("Alice's target"));
    assert!(
        history
            .iter()
            .all(|row| row.client.starts_with("strikemap test"))
    );
}

#[test]
fn ten_clients_at_once_lose_nothing_and_overwrite_nothing_silently() {
    let database = fresh_store("ten");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let url = analyst(&database, "ten_editor", "editor");
    const CLIENTS: usize = 10;
    const EDITS: usize = 12;
    let handles: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = connect(&url, &format!("strikemap test client {client}"));
                let mut session = store.open(id).unwrap();
                let (mut saved_edits, mut clashes) = (Vec::new(), 0);
                for edit in 0..EDITS {
                    store.pull(&mut session).unwrap();
                    let mut case = case_of(&session);
                    let strike = client % case.events.len();
                    // A field of each client's own (notes per client), and one field all share.
                    if edit % 3 == 2 {
                        case.meta.caveat = format!("caveat by {client}, edit {edit}");
                    } else {
                        case.events[strike]
                            .properties
                            .conflict_notes
                            .retain(|n| !n.starts_with(&format!("client {client}:")));
                        case.events[strike]
                            .properties
                            .conflict_notes
                            .push(format!("client {client}: edit {edit}"));
                    }
                    match store.commit(&mut session, &case).unwrap() {
                        Outcome::Saved(ids) => saved_edits.extend(ids),
                        Outcome::Clashed(found) => {
                            assert!(!found.is_empty());
                            clashes += 1;
                        }
                    }
                }
                (saved_edits, clashes)
            })
        })
        .collect();
    let mut saved_ids = Vec::new();
    let mut clashes = 0;
    for handle in handles {
        let (ids, clashed) = handle.join().unwrap();
        saved_ids.extend(ids);
        clashes += clashed;
    }
    // Every saved change is one history row; no other row appeared.
    let mut store = admin_store(&database);
    let history: Vec<i64> = store
        .history(id, None, None)
        .unwrap()
        .into_iter()
        .filter(|row| row.field != "*")
        .map(|row| row.id)
        .collect();
    saved_ids.sort_unstable();
    assert_eq!(history, saved_ids);
    assert!(clashes > 0, "ten clients on one shared field never clashed");
    // Each field holds the value of its last saved change: nothing silently lost.
    let rows = store.history(id, None, None).unwrap();
    let final_case = case_of(&store.open(id).unwrap());
    let last_caveat = rows.iter().rev().find(|row| row.field == "caveat").unwrap();
    assert_eq!(json!(final_case.meta.caveat), last_caveat.new);
}

#[test]
fn a_viewer_cannot_write_through_the_app_or_through_sql() {
    let database = fresh_store("viewer");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let viewer_url = analyst(&database, "viewer_vic", "viewer");
    let mut viewer = connect(&viewer_url, "strikemap test (viewer)");
    let mut session = viewer.open(id).unwrap();
    let mut edit = case_of(&session);
    edit.meta.title = "changed by a viewer".into();
    let error = viewer.commit(&mut session, &edit).unwrap_err();
    assert!(matches!(error, StoreError::Denied { .. }), "{error}");
    assert!(error.to_string().contains("a viewer only reads"), "{error}");

    let mut sql = sql_as("viewer_vic", &database);
    for statement in [
        "UPDATE strikemap.strikes SET title = 'x'",
        "UPDATE strikemap.cases SET title = 'x'",
        "DELETE FROM strikemap.strikes",
        "INSERT INTO strikemap.history (case_id, object, field) VALUES (1, 'case', 'title')",
        "DELETE FROM strikemap.history",
    ] {
        let error = sql.batch_execute(statement).unwrap_err();
        assert_eq!(
            error.code().map(|code| code.code()),
            Some("42501"),
            "{statement}: {error}"
        );
    }
    // Nobody rewrites the history, not even the store's owner.
    let mut owner = sql_as("strikemap_admin", &database);
    let error = owner
        .batch_execute("UPDATE strikemap.history SET author = 'someone'")
        .unwrap_err();
    assert!(
        error.to_string().contains("append-only") || format!("{error:?}").contains("append-only")
    );
    assert_eq!(
        admin_store(&database).export(id).unwrap(),
        write_case(&bundled())
    );
}

#[test]
fn a_case_not_shared_with_a_role_is_not_seen() {
    let database = fresh_store("rls");
    let mut admin = admin_store(&database);
    let id = admin.publish(&bundled()).unwrap();
    let outsider_url = analyst(&database, "rls_outsider", "editor");
    // Only the lead and one named analyst keep the case.
    let mut sql = sql_as("strikemap_admin", &database);
    sql.execute(
        "DELETE FROM strikemap.case_members WHERE case_id = $1 AND member LIKE 'strikemap_%'",
        &[&id],
    )
    .unwrap();
    let mut outsider = connect(&outsider_url, "strikemap test (outsider)");
    assert!(outsider.list().unwrap().is_empty());
    assert!(matches!(
        outsider.open(id),
        Err(StoreError::NoSuchCase { .. })
    ));
    let mut raw = sql_as("rls_outsider", &database);
    let visible: i64 = raw
        .query_one("SELECT count(*) FROM strikemap.strikes", &[])
        .unwrap()
        .get(0);
    assert_eq!(visible, 0);
    let updated = raw
        .execute("UPDATE strikemap.strikes SET title = 'x'", &[])
        .unwrap();
    assert_eq!(updated, 0, "row-level security let an outsider write");
}

#[test]
fn an_older_store_migrates_and_a_newer_one_is_refused() {
    let database = common::empty_database("migrate");
    let mut store = admin_store(&database);
    assert!(store.list().unwrap_err().to_string().contains("store init"));
    assert_eq!(store.migrate_to(1).unwrap(), vec![1]);
    // A case written by a version-1 Strikemap, straight into its tables.
    let mut sql = sql_as("strikemap_admin", &database);
    sql.batch_execute(
        "INSERT INTO strikemap.cases (title, as_of) VALUES ('Old case', '2024-01-31');
         INSERT INTO strikemap.strikes (case_id, strike_id, sort_order, geom, properties)
         SELECT id, 'E1', 0, ST_SetSRID(ST_MakePoint(64.1, 26.9), 4326), '{}'::jsonb
           FROM strikemap.cases",
    )
    .unwrap();
    let message = store.list().unwrap_err().to_string();
    assert!(
        message.contains("version 1") && message.contains("needs version 3"),
        "{message}"
    );
    assert_eq!(store.init().unwrap(), vec![2, 3]);
    assert_eq!(store.init().unwrap(), Vec::<i32>::new());
    let list = store.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title, "Old case");
    // The old case is open to the team after the migration.
    let viewer_url = analyst(&database, "migrate_viewer", "viewer");
    assert_eq!(connect(&viewer_url, "test").list().unwrap().len(), 1);

    sql.batch_execute("INSERT INTO strikemap.schema_migrations (version) VALUES (4)")
        .unwrap();
    let message = store.list().unwrap_err().to_string();
    assert!(
        message.contains("version 4") && message.contains("versions 1 to 3"),
        "{message}"
    );
}

#[test]
fn history_since_a_time_and_the_case_as_it_was() {
    let database = fresh_store("asof");
    let mut store = admin_store(&database);
    let id = store.publish(&bundled()).unwrap();
    let mut session = store.open(id).unwrap();
    let before = case_of(&session);
    let mut sql = sql_as("strikemap_admin", &database);
    let mid: String = sql
        .query_one("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", &[])
        .unwrap()
        .get(0);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut edit = before.clone();
    edit.events[0].properties.casualty_claims.clear();
    edit.events.remove(1);
    edit.meta.caveat = "Revised".into();
    saved(store.commit(&mut session, &edit).unwrap());
    let since = store.history(id, Some(&mid), None).unwrap();
    assert_eq!(since.len(), 3, "{since:?}");
    assert!(since.iter().any(|row| row.line().contains("removed")));
    let as_was = store.open_as_of(id, &mid).unwrap();
    assert_eq!(write_case(&case_of(&as_was)), write_case(&before));
    assert_eq!(store.export(id).unwrap(), write_case(&edit));
}

#[test]
fn additions_by_two_analysts_both_stay_in_order() {
    let database = fresh_store("adds");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let url = analyst(&database, "adds_editor", "editor");
    let mut one = connect(&url, "one");
    let mut two = connect(&url, "two");
    let mut first = one.open(id).unwrap();
    let mut second = two.open(id).unwrap();
    let mut edit = case_of(&first);
    let mut strike = edit.events[0].clone();
    strike.properties.id = "E10".into();
    edit.events.push(strike.clone());
    saved(one.commit(&mut first, &edit).unwrap());
    let mut edit = case_of(&second);
    strike.properties.id = "E11".into();
    edit.events.insert(0, strike);
    saved(two.commit(&mut second, &edit).unwrap());
    one.pull(&mut first).unwrap();
    let ids: Vec<String> = case_of(&first)
        .events
        .iter()
        .map(|e| e.id().to_owned())
        .collect();
    assert_eq!(ids.first().map(String::as_str), Some("E11"));
    assert_eq!(ids.last().map(String::as_str), Some("E10"));
    assert_eq!(ids.len(), bundled().events.len() + 2);
}

#[test]
fn gdal_reads_the_strikes_table_as_a_point_layer() {
    let available = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok();
    if !available {
        // .ci/run installs gdal-bin; a developer's machine may not have it.
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo (gdal-bin) is missing in CI"
        );
        eprintln!("skipped: ogrinfo is not installed (apt-get install gdal-bin)");
        return;
    }
    let database = fresh_store("gdal");
    let case = bundled();
    admin_store(&database).publish(&case).unwrap();
    let output = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(format!("PG:{}", common::conninfo(&database)))
        .arg("strikemap.strikes")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for event in &case.events {
        let point = format!("POINT ({} {})", event.position.lon, event.position.lat);
        assert!(
            text.contains(&point),
            "{point} not in ogrinfo's output:\n{text}"
        );
        assert!(
            text.contains(&format!("strike_id (String) = {}", event.id())),
            "{text}"
        );
    }
}

#[test]
fn edits_made_while_the_server_is_down_are_journalled_and_replayed() {
    use strikemap_store::{Journal, Replay};
    let cluster = common::Cluster::start("crash");
    let mut store = connect(&cluster.url, "strikemap test (journal)");
    store.init().unwrap();
    let id = store.publish(&bundled()).unwrap();
    let mut session = store.open(id).unwrap();
    let path = cluster.dir.join("journal.json");
    let mut journal = Journal::create(&path, store.name(), &session).unwrap();
    let strikes = bundled().events.len();
    const EDITS: usize = 30;
    const CRASH_AT: usize = 12;
    let (mut shown_saved, mut offline) = (0, false);
    for edit in 0..EDITS {
        if edit == CRASH_AT {
            cluster.crash();
        }
        let mut case = if offline {
            journal.case().unwrap()
        } else {
            case_of(&session)
        };
        case.events[edit % strikes]
            .properties
            .conflict_notes
            .push(format!("edit {edit}"));
        if !offline {
            match store.commit(&mut session, &case) {
                Ok(Outcome::Saved(_)) => {
                    journal.synced(&session).unwrap();
                    shown_saved += 1;
                    continue;
                }
                Ok(Outcome::Clashed(clashes)) => panic!("one client clashed: {clashes:?}"),
                Err(error) => {
                    assert!(!error.to_string().is_empty());
                    offline = true;
                }
            }
        }
        journal.record(&case).unwrap();
    }
    assert_eq!(shown_saved, CRASH_AT);
    assert_eq!(journal.pending(), EDITS - CRASH_AT);
    // The app is killed too: all that is left is the journal on disk.
    drop(journal);
    drop(store);
    cluster.restart();
    let mut journal = Journal::load(&path).unwrap();
    let mut store = connect(&cluster.url, "strikemap test (journal, again)");
    let (_, replay) = journal.replay(&mut store).unwrap();
    assert_eq!(
        replay,
        Replay {
            saved: EDITS - CRASH_AT,
            clashes: Vec::new(),
            remaining: 0
        }
    );
    journal.finish().unwrap();
    assert!(!path.exists());
    let stored = case_of(&store.open(id).unwrap());
    for edit in 0..EDITS {
        let notes = &stored.events[edit % strikes].properties.conflict_notes;
        assert!(
            notes.contains(&format!("edit {edit}")),
            "edit {edit} was lost: {notes:?}"
        );
    }
    let rows = store.history(id, None, None).unwrap();
    assert_eq!(rows.iter().filter(|row| row.field != "*").count(), EDITS);
}

#[test]
fn a_replayed_edit_meeting_a_newer_change_is_a_clash() {
    use strikemap_store::Journal;
    let database = fresh_store("replay");
    let id = admin_store(&database).publish(&bundled()).unwrap();
    let url = analyst(&database, "replay_editor", "editor");
    let mut offline_store = connect(&url, "offline");
    let session = offline_store.open(id).unwrap();
    let dir = std::env::temp_dir().join(format!("strikemap-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut journal =
        Journal::create(&dir.join("journal.json"), offline_store.name(), &session).unwrap();
    // Offline: a new caveat, and a note on a strike.
    let mut case = journal.case().unwrap();
    case.meta.caveat = "Offline caveat".into();
    journal.record(&case).unwrap();
    let mut case = journal.case().unwrap();
    case.events[0].properties.notes = Some("Offline note".into());
    journal.record(&case).unwrap();
    // Meanwhile another analyst changes the caveat.
    let mut online = connect(&url, "online");
    let mut other = online.open(id).unwrap();
    let mut edit = case_of(&other);
    edit.meta.caveat = "Online caveat".into();
    saved(online.commit(&mut other, &edit).unwrap());

    let (_, replay) = journal.replay(&mut offline_store).unwrap();
    assert_eq!(replay.saved, 0);
    assert_eq!(replay.remaining, 2);
    assert_eq!(replay.clashes.len(), 1);
    assert_eq!(replay.clashes[0].theirs, json!("Online caveat"));
    assert_eq!(replay.clashes[0].yours, json!("Offline caveat"));
    // Nothing was written over.
    assert_eq!(
        case_of(&online.open(id).unwrap()).meta.caveat,
        "Online caveat"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_case_as_a_geopackage_opens_in_gdal_and_reads_back_the_same() {
    use strikemap_store::geopackage::{read_case, write_case_geopackage};
    let dir = std::env::temp_dir().join(format!("strikemap-gpkg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("case.gpkg");
    let case = bundled();
    write_case_geopackage(&path, &case).unwrap();
    let back = read_case(&path).unwrap();
    assert_eq!(write_case(&back.case), write_case(&case));
    let available = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok();
    if available {
        let output = std::process::Command::new("ogrinfo")
            .args(["-ro", "-al"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            text.contains("Layer name: strikes") && text.contains("Geometry: Point"),
            "{text}"
        );
        assert!(text.contains("Layer name: casualty_claims"), "{text}");
        for event in &case.events {
            let point = format!("POINT ({} {})", event.position.lon, event.position.lat);
            assert!(
                text.contains(&point),
                "{point} not in ogrinfo's output:\n{text}"
            );
        }
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("Warning"),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo (gdal-bin) is missing in CI"
        );
    }
    // A GeoPackage from elsewhere is refused as a case, with the reason.
    let other = dir.join("other.gpkg");
    empty_sqlite_file(&other);
    let message = read_case(&other).unwrap_err();
    assert!(
        message.contains("not a GeoPackage written by Strikemap"),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An SQLite file with no Strikemap case in it.
fn empty_sqlite_file(path: &std::path::Path) {
    std::fs::write(path, b"").unwrap();
}

#[test]
fn the_apps_geopackage_reader_opens_a_case_written_as_a_geopackage() {
    use strikemap_store::geopackage::write_case_geopackage;
    let dir = std::env::temp_dir().join(format!("strikemap-gpkg-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("case.gpkg");
    let case = bundled();
    write_case_geopackage(&path, &case).unwrap();
    let import = strikemap_core::import::import_file(&path).unwrap();
    let layers = import.overlays();
    let strikes = layers
        .iter()
        .find(|layer| layer.name.ends_with("strikes"))
        .unwrap_or_else(|| {
            panic!(
                "no strikes layer in {:?}",
                layers.iter().map(|l| &l.name).collect::<Vec<_>>()
            )
        });
    assert_eq!(strikes.features.len(), case.events.len());
    for (feature, event) in strikes.features.iter().zip(&case.events) {
        let geo::Geometry::Point(point) = &feature.geometry else {
            panic!("not a point: {:?}", feature.geometry);
        };
        assert_eq!(
            (point.x(), point.y()),
            (event.position.lon, event.position.lat)
        );
        assert_eq!(
            feature.properties.get("strike_id"),
            Some(&json!(event.id()))
        );
        assert_eq!(feature.properties.get("title"), Some(&json!(event.title())));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tls_is_used_and_checked_as_sslmode_asks() {
    let cluster = common::Cluster::start_with("tls", &[("STRIKEMAP_STORE_TLS", "1")]);
    let root = cluster.dir.join("tls/root.crt");
    let port = cluster
        .url
        .rsplit_once(':')
        .unwrap()
        .1
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let at = |host: &str, options: &str| {
        format!("postgresql://strikemap_admin@{host}:{port}/postgres?{options}")
    };
    let root_option = format!("sslrootcert={}", root.display());
    // verify-full: the root signed it and it names 127.0.0.1.
    let mut store = Store::connect(
        &at("127.0.0.1", &format!("sslmode=verify-full&{root_option}")),
        "tls",
    )
    .unwrap();
    let row_ssl = store_ssl(&mut store);
    assert!(row_ssl, "verify-full connected without TLS");
    // verify-full to a name the certificate does not hold: refused; verify-ca takes it.
    let error = Store::connect(
        &at("localhost", &format!("sslmode=verify-full&{root_option}")),
        "tls",
    )
    .err()
    .unwrap();
    assert!(error.to_string().contains("cannot connect"), "{error}");
    let mut store = Store::connect(
        &at("localhost", &format!("sslmode=verify-ca&{root_option}")),
        "tls",
    )
    .unwrap();
    assert!(store_ssl(&mut store));
    // A root that did not sign it: refused even by verify-ca.
    let other = cluster.dir.join("other-root.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Other root",
        ])
        .arg("-keyout")
        .arg(cluster.dir.join("other-root.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let error = Store::connect(
        &at(
            "127.0.0.1",
            &format!("sslmode=verify-ca&sslrootcert={}", other.display()),
        ),
        "tls",
    )
    .err()
    .unwrap();
    assert!(error.to_string().contains("cannot connect"), "{error}");
    // require: encrypted, not checked; disable: plain.
    let mut store = Store::connect(&at("127.0.0.1", "sslmode=require"), "tls").unwrap();
    assert!(store_ssl(&mut store));
    let mut store = Store::connect(&at("127.0.0.1", "sslmode=disable"), "tls").unwrap();
    assert!(!store_ssl(&mut store));
    // prefer (libpq's default): encrypted when the server can.
    let mut store = Store::connect(&at("127.0.0.1", "sslmode=prefer"), "tls").unwrap();
    assert!(store_ssl(&mut store));
}

/// Whether this store connection is encrypted, as the server sees it.
fn store_ssl(store: &mut Store) -> bool {
    store.connection_is_encrypted().unwrap()
}

#[test]
fn only_a_lead_deletes_a_case_or_changes_who_shares_it() {
    let database = fresh_store("lead");
    let lead_url = analyst(&database, "lead_lee", "lead");
    let editor_url = analyst(&database, "lead_eddie", "editor");
    let viewer_url = analyst(&database, "lead_vera", "viewer");
    let mut lead = connect(&lead_url, "lead");
    let id = lead.publish(&bundled()).unwrap();
    let mut editor = connect(&editor_url, "editor");
    // An editor may not publish, share or delete.
    assert!(matches!(
        editor.publish(&bundled()),
        Err(StoreError::Denied { .. })
    ));
    assert!(editor.share(id, "lead_vera", Some("editor")).is_err());
    assert!(matches!(
        editor.delete_case(id),
        Err(StoreError::Denied { .. })
    ));
    assert_eq!(editor.list().unwrap().len(), 1);
    // The lead narrows the case to the editor alone: the viewer no longer sees it.
    lead.share(id, "strikemap_viewer", None).unwrap();
    lead.share(id, "lead_eddie", Some("viewer")).unwrap();
    let members = lead.members(id).unwrap();
    assert!(
        members.contains(&("lead_eddie".to_owned(), "viewer".to_owned())),
        "{members:?}"
    );
    assert!(connect(&viewer_url, "viewer").list().unwrap().is_empty());
    // The lead deletes it; its history stays.
    lead.delete_case(id).unwrap();
    assert!(lead.list().unwrap().is_empty());
    assert!(!lead.history(id, None, None).unwrap().is_empty());
}
