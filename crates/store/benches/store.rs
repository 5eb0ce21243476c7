//! The team store under load, against a real server: `scripts/bench-store.sh` starts a
//! throwaway PostgreSQL + PostGIS cluster and runs this with `STRIKEMAP_BENCH_STORE` naming it.
//!
//! - 10 clients × N edits (default 1,000) on one case: lost edits and silent overwrites (both
//!   must be 0), clashes, edits per second;
//! - an edit reaching another client (LISTEN/NOTIFY, then pull): p50 and p95;
//! - opening a case of 10,000 strikes; listing 1,000 cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};
use strikemap_core::case::Case;
use strikemap_store::{Outcome, Store};

fn main() {
    let Ok(url) = std::env::var("STRIKEMAP_BENCH_STORE") else {
        eprintln!(
            "set STRIKEMAP_BENCH_STORE to an admin URL of a throwaway server (scripts/bench-store.sh does)"
        );
        return;
    };
    let edits: usize = std::env::var("STRIKEMAP_BENCH_EDITS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(1000);
    let mut admin = Store::connect(&url, "strikemap bench").expect("the bench store connects");
    admin.init().expect("the schema is made");
    concurrent_edits(&url, &mut admin, 10, edits);
    propagation(&url, &mut admin, 200);
    open_large_case(&mut admin, 10_000);
    list_many_cases(&url, &mut admin, 1_000);
}

fn bundled() -> Case {
    strikemap_core::case::bundled_case().expect("the bundled case reads")
}

fn percentile(samples: &mut [Duration], fraction: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() as f64 - 1.0) * fraction).round() as usize;
    samples[index.min(samples.len() - 1)]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// The bundled case with `strikes` strikes (copies of its first, each a little apart).
fn case_of_strikes(strikes: usize) -> Case {
    let mut case = bundled();
    let template = case.events[0].clone();
    case.events.clear();
    for index in 0..strikes {
        let mut event = template.clone();
        event.properties.id = format!("E{}", index + 1);
        event.position.lon += (index % 100) as f64 * 0.01;
        event.position.lat += (index / 100) as f64 * 0.01;
        case.events.push(event);
    }
    case
}

fn concurrent_edits(url: &str, admin: &mut Store, clients: usize, edits: usize) {
    // Each client works on a strike of its own; every tenth edit all write the same field.
    let published = case_of_strikes(clients);
    let id = admin.publish(&published).unwrap();
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let url = url.to_owned();
            std::thread::spawn(move || {
                let mut store = Store::connect(&url, &format!("bench client {client}")).unwrap();
                let mut session = store.open(id).unwrap();
                let (mut saved, mut clashed) = (Vec::new(), 0usize);
                for edit in 0..edits {
                    store.pull(&mut session).unwrap();
                    let mut case = session.case().unwrap().case;
                    if edit % 10 == 9 {
                        // A field every client writes: clashes are expected, and shown.
                        case.meta.caveat = format!("client {client} edit {edit}");
                    } else {
                        let strike = client % case.events.len();
                        case.events[strike].properties.notes =
                            Some(format!("client {client} edit {edit}"));
                    }
                    match store.commit(&mut session, &case).unwrap() {
                        Outcome::Saved(ids) => saved.extend(ids),
                        Outcome::Clashed(_) => clashed += 1,
                    }
                }
                (saved, clashed)
            })
        })
        .collect();
    let mut saved = Vec::new();
    let mut clashed = 0;
    for handle in handles {
        let (ids, clashes) = handle.join().unwrap();
        saved.extend(ids);
        clashed += clashes;
    }
    let elapsed = started.elapsed();
    saved.sort_unstable();
    let history: Vec<_> = admin
        .history(id, None, None)
        .unwrap()
        .into_iter()
        .filter(|row| row.field != "*")
        .collect();
    let history_ids: Vec<i64> = history.iter().map(|row| row.id).collect();
    let lost = saved.iter().filter(|id| !history_ids.contains(id)).count();
    // A silent overwrite: a saved change whose old value is not the value the field held
    // before it (the previous saved change's new value, or the published one).
    let published = strikemap_store::image::image_of(&published, None);
    let mut last: std::collections::HashMap<(String, String), serde_json::Value> =
        std::collections::HashMap::new();
    let mut silent = 0;
    for row in &history {
        let key = (row.object.clone(), row.field.clone());
        let before = last
            .get(&key)
            .cloned()
            .unwrap_or_else(|| published_value(&published, &row.object, &row.field));
        if before != row.old {
            silent += 1;
        }
        last.insert(key, row.new.clone());
    }
    println!(
        "{clients} clients × {edits} edits on one case: {} saved, {clashed} clashed (shown, not written), \
         {lost} lost, {silent} silent overwrites, {:.0} edits/s ({:.1} s)",
        saved.len(),
        (saved.len() + clashed) as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
}

fn published_value(
    image: &strikemap_store::image::Image,
    object: &str,
    field: &str,
) -> serde_json::Value {
    use strikemap_store::image::ObjectKey;
    let value = match ObjectKey::parse(object) {
        Some(ObjectKey::Case) => image.case.get(field).cloned(),
        Some(ObjectKey::Strike(id)) => image
            .strikes
            .iter()
            .find(|strike| strike.id == id)
            .and_then(|strike| strike.fields.get(field).cloned()),
        _ => None,
    };
    value.unwrap_or(serde_json::Value::Null)
}

fn propagation(url: &str, admin: &mut Store, edits: usize) {
    let id = admin.publish(&bundled()).unwrap();
    let (sent_tx, sent_rx) = std::sync::mpsc::channel::<Instant>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let reader_url = url.to_owned();
    let reader = std::thread::spawn(move || {
        let mut store = Store::connect(&reader_url, "bench reader").unwrap();
        let mut session = store.open(id).unwrap();
        store.listen(id).unwrap();
        ready_tx.send(()).unwrap();
        let mut samples = Vec::new();
        while samples.len() < edits {
            if !store.wait_for_change(Duration::from_secs(5)).unwrap() {
                break;
            }
            let changes = store.pull(&mut session).unwrap();
            let seen = Instant::now();
            if changes.is_empty() {
                continue;
            }
            let _ = session.case().unwrap();
            for _ in &changes {
                let sent = sent_rx.recv().unwrap();
                samples.push(seen.duration_since(sent));
            }
        }
        samples
    });
    ready_rx.recv().unwrap();
    let mut writer = Store::connect(url, "bench writer").unwrap();
    let mut session = writer.open(id).unwrap();
    for edit in 0..edits {
        let mut case = session.case().unwrap().case;
        case.meta.caveat = format!("edit {edit}");
        let sent = Instant::now();
        assert!(matches!(
            writer.commit(&mut session, &case).unwrap(),
            Outcome::Saved(_)
        ));
        sent_tx.send(sent).unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut samples = reader.join().unwrap();
    println!(
        "an edit reaching another client (commit → NOTIFY → pull → case): {} edits, p50 {}, p95 {}",
        samples.len(),
        ms(percentile(&mut samples, 0.5)),
        ms(percentile(&mut samples, 0.95))
    );
}

fn open_large_case(admin: &mut Store, strikes: usize) {
    let case = case_of_strikes(strikes);
    let started = Instant::now();
    let id = admin.publish(&case).unwrap();
    let publish = started.elapsed();
    let mut samples: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let session = admin.open(id).unwrap();
            let loaded = session.case().unwrap();
            assert_eq!(loaded.case.events.len(), strikes);
            started.elapsed()
        })
        .collect();
    println!(
        "a case of {strikes} strikes: published in {}, opened (read and checked as a case) median {} of 5",
        ms(publish),
        ms(percentile(&mut samples, 0.5))
    );
}

fn list_many_cases(url: &str, admin: &mut Store, cases: usize) {
    let mut small = bundled();
    small.events.truncate(1);
    let existing = admin.list().unwrap().len();
    for index in existing..cases {
        small.meta.title = format!("Case {index}");
        admin.publish(&small).unwrap();
    }
    let mut median_of_five = || {
        let mut samples: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let list = admin.list().unwrap();
                assert!(list.len() >= cases);
                started.elapsed()
            })
            .collect();
        ms(percentile(&mut samples, 0.5))
    };
    // Right after the bulk publications the server has no statistics of the new rows yet (its
    // autovacuum gathers them within a minute), and may plan the list badly: both are shown.
    let before = median_of_five();
    let mut sql =
        postgres::Client::connect(url, postgres::NoTls).expect("the bench store connects");
    sql.batch_execute("ANALYZE")
        .expect("the statistics are gathered");
    let after = median_of_five();
    println!(
        "listing {} cases: median {before} of 5 right after the publications, {after} once the \
         server's statistics are current (ANALYZE, as autovacuum runs)",
        cases.max(existing)
    );
}
