//! Large files as table layers in the running app: count bubbles when zoomed out, a click on a
//! bubble zooms in or lists its events, a click on a point reads its record from the file, the
//! time window filters the rows, and a load can be cancelled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use std::path::PathBuf;
use strikemap::StrikemapApp;
use strikemap::import::{ImportedContent, import_file};

/// Hot spots (lon, lat) the test points gather around, away from the bundled strikes (whose
/// markers are drawn on top and take pointer clicks).
const SPOTS: [(f64, f64); 3] = [(66.0, 29.5), (60.5, 30.5), (67.0, 24.9)];

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("strikemap-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A point GeoJSON of `count` features around the hot spots, dated through January 2024.
fn points_file(dir: &TempDir, count: usize) -> PathBuf {
    let mut text =
        String::from("{\"type\":\"FeatureCollection\",\"name\":\"Test points\",\"features\":[\n");
    for index in 0..count {
        // Nine in ten gather within ±0.3° of a hot spot; the tenth are scattered over
        // 58–70° E, 22–32° N.
        let (lon, lat, spread) = if index % 10 == 9 {
            (64.0, 27.0, 6.0)
        } else {
            let (lon, lat) = SPOTS[index % SPOTS.len()];
            (lon, lat, 0.3)
        };
        let dx = (((index * 7919) % 601) as f64 / 300.0 - 1.0) * spread;
        let dy = (((index * 104_729) % 601) as f64 / 300.0 - 1.0) * spread.min(5.0);
        if index > 0 {
            text.push_str(",\n");
        }
        text.push_str(&format!(
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.4},{:.4}]}},\"properties\":{{\"event_id_cnty\":\"T{index}\",\"event_date\":\"2024-01-{:02}\",\"event_type\":\"Battles\",\"fatalities\":{}}}}}",
            lon + dx,
            lat + dy,
            index % 31 + 1,
            index % 5
        ));
    }
    text.push_str("\n]}\n");
    let path = dir.0.join("points.geojson");
    std::fs::write(&path, text).unwrap();
    path
}

fn harness_with_table(count: usize, dir: &TempDir) -> Harness<'static, StrikemapApp> {
    let mut harness = common::app_harness(1280.0, 800.0);
    let path = points_file(dir, count);
    let import = import_file(&path).unwrap();
    assert!(
        matches!(import.content, ImportedContent::Table(_)),
        "a table"
    );
    let added = harness.state_mut().state.add_import(path, Ok(import));
    assert!(added.is_some());
    harness.run_steps(4);
    harness
}

/// Centres the map on (lon, lat) at a zoom and draws a few frames.
fn show_view(harness: &mut Harness<'_, StrikemapApp>, (lon, lat): (f64, f64), zoom: f64) {
    harness.state_mut().state.pending_view = Some(strikemap::state::ViewRequest::Show {
        center: strikemap::model::LonLat { lon, lat },
        zoom,
    });
    harness.run_steps(3);
}

/// Applies a command as the UI would and draws a few frames.
fn apply(harness: &mut Harness<'_, StrikemapApp>, command: strikemap::state::Command) {
    harness.state_mut().state.apply(command);
    harness.run_steps(3);
}

/// Shows only the days from `first` to `last` (ISO dates).
fn set_time_window(harness: &mut Harness<'_, StrikemapApp>, first: &str, last: &str) {
    let date = |text| strikemap::model::Date::parse_iso(text).unwrap();
    apply(
        harness,
        strikemap::state::Command::SetTimeWindow(Some((date(first), date(last)))),
    );
}

/// The rows listed in the side panel (a cluster's, or the search's).
fn row_listing(harness: &Harness<'_, StrikemapApp>) -> strikemap::state::RowListing {
    harness
        .state()
        .state
        .row_listing()
        .cloned()
        .expect("rows are listed")
}

/// Draws frames until the selected row's record, read off the UI thread, has arrived.
fn wait_for_record(harness: &mut Harness<'_, StrikemapApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while harness
        .state()
        .state
        .selected_row()
        .is_some_and(|selected| selected.record.is_none())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the record never came"
        );
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The first table layer's name and content.
fn first_table(harness: &Harness<'_, StrikemapApp>) -> (String, strikemap::state::TableContent) {
    let (layer, content) = harness
        .state()
        .state
        .tables()
        .next()
        .expect("a table layer");
    (layer.name.clone(), content.clone())
}

fn cluster_counts(harness: &Harness<'_, StrikemapApp>) -> Vec<(String, u32)> {
    harness
        .query_all_by_label_contains("Cluster of ")
        .filter_map(|node| {
            let label = node.accesskit_node().label()?;
            let count = label
                .strip_prefix("Cluster of ")?
                .split(' ')
                .next()?
                .parse()
                .ok()?;
            Some((label, count))
        })
        .collect()
}

#[test]
fn zoomed_out_a_large_layer_reads_as_count_bubbles_that_add_up() {
    let dir = TempDir::new("bubbles");
    let mut harness = harness_with_table(9_000, &dir);
    // The layer was framed on load; zoom out so every point is in view.
    show_view(&mut harness, (64.5, 26.0), 5.0);
    let clusters = cluster_counts(&harness);
    assert!(!clusters.is_empty(), "no bubbles drawn");
    assert!(
        clusters.len() < 60,
        "{} bubbles: no clustering",
        clusters.len()
    );
    let total: u32 = clusters.iter().map(|(_, count)| count).sum();
    assert_eq!(total, 9_000);
    // The two bundled strikes are counted too.
    harness.get_by_label("9,002 events");
    harness.get_by_label_contains("Test points (9,000 shown)");

    // Clicking the biggest bubble zooms in on it.
    let (label, _) = clusters
        .iter()
        .max_by_key(|(_, count)| *count)
        .cloned()
        .unwrap();
    let zoom_before = harness.state().map.memory.zoom();
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    let zoom_after = harness.state().map.memory.zoom();
    assert!(
        zoom_after >= zoom_before + 1.5,
        "{zoom_before} → {zoom_after}"
    );
}

#[test]
fn a_small_bubble_lists_its_events_and_a_listed_event_shows_its_record() {
    let dir = TempDir::new("listing");
    let mut harness = harness_with_table(9_000, &dir);
    // Two hot spots in view: too many points, so bubbles, some small (the scattered ones).
    show_view(&mut harness, (63.3, 29.0), 7.0);
    let clusters = cluster_counts(&harness);
    let (label, count) = clusters
        .iter()
        .filter(|(_, count)| (2..=50).contains(count))
        .min_by_key(|(_, count)| *count)
        .cloned()
        .expect("a small bubble in view");
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    let listing = row_listing(&harness);
    assert_eq!(listing.total, count as usize);
    assert_eq!(listing.rows.len(), count as usize);
    harness.get_by_label(&format!("{count} events in this cluster (Test points)"));

    // Every listed row lies in the bubble's cell, and choosing one reads it from the file.
    let (_, layer) = first_table(&harness);
    let first = listing.rows[0];
    let entry = strikemap::describe::row_list_label(&layer.table, first);
    harness.get_by_label(&entry).click();
    harness.run_steps(3);
    wait_for_record(&mut harness);
    let selected = harness
        .state()
        .state
        .selected_row()
        .cloned()
        .expect("selected");
    assert_eq!(selected.row, first);
    let id = layer.table.label(first).to_owned();
    assert!(id.starts_with('T'));
    // The side panel shows the record's properties, as the file has them.
    harness.get_by_label("event_type");
    harness.get_by_label("fatalities");
    assert!(harness.query_all_by_label(&id).count() >= 1);
}

#[test]
fn zoomed_in_points_are_buttons_that_select_their_row() {
    let dir = TempDir::new("points");
    let mut harness = harness_with_table(900, &dir);
    show_view(&mut harness, (60.5, 30.5), 11.0);
    assert!(cluster_counts(&harness).is_empty());
    let (name, layer) = first_table(&harness);
    let labels: Vec<String> = harness
        .query_all_by_label_contains("Test points: T")
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert!(!labels.is_empty(), "no point widgets");
    harness.get_by_label(&labels[0]).click();
    harness.run_steps(3);
    let selected = harness
        .state()
        .state
        .selected_row()
        .cloned()
        .expect("selected");
    assert_eq!(
        strikemap::describe::row_label(&name, &layer.table, selected.row),
        labels[0]
    );
    // Esc clears it.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().state.selected_row().is_none());
}

#[test]
fn the_time_window_filters_table_rows() {
    let dir = TempDir::new("window");
    let mut harness = harness_with_table(3_100, &dir);
    set_time_window(&mut harness, "2024-01-01", "2024-01-10");
    // Days 1–10 of 31, 100 points a day, and none of the bundled strikes (16 and 18 Jan).
    harness.get_by_label("1,000 events");
}

#[test]
fn a_large_file_loads_in_the_background_and_can_be_cancelled() {
    let dir = TempDir::new("cancel");
    // Over the large-file threshold, so it goes through the table loader.
    let path = points_file(&dir, 120_000);
    assert!(strikemap::import::is_large_file(&path));
    let mut harness = common::app_harness(1280.0, 800.0);
    let ctx = harness.ctx.clone();
    harness.state_mut().open_files(vec![path.clone()], &ctx);
    harness.run_steps(1);
    assert!(harness.state().is_loading());
    harness.get_by_label("Cancel").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness.state().is_loading() {
        assert!(
            std::time::Instant::now() < deadline,
            "the load did not stop"
        );
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let app = harness.state();
    assert!(
        app.state.tables().next().is_none(),
        "a cancelled load added a layer"
    );
    assert_eq!(
        app.state.event_layers().count(),
        1,
        "the bundled layer stays"
    );
    assert!(
        app.state
            .messages
            .iter()
            .any(|message| message.ends_with("loading was cancelled")),
        "{:?}",
        app.state.messages
    );

    // Loading it again, to the end, gives the layer.
    let ctx = harness.ctx.clone();
    harness.state_mut().open_files(vec![path], &ctx);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness.state().state.tables().next().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the load did not finish"
        );
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(first_table(&harness).1.table.len(), 120_000);
}

#[test]
fn searching_an_id_lists_the_matching_rows_and_choosing_one_centres_on_it() {
    let dir = TempDir::new("search");
    let mut harness = harness_with_table(3_000, &dir);
    harness.get_by_label("Search events").click();
    harness.run_steps(1);
    // T12, T120–T129 and T1200–T1299: 111 ids contain "t12", whatever the case.
    harness.get_by_label("Search events").type_text("t12");
    harness.run_steps(3);
    let listing = row_listing(&harness);
    assert_eq!(listing.total, 111);
    assert_eq!(listing.rows.len(), 111);
    harness.get_by_label("111 events in Test points with \"t12\" in their id");
    let (_, layer) = first_table(&harness);
    // The first listed (the list scrolls; its first entries are on screen).
    let row = listing.rows[0];
    assert!(layer.table.label(row).starts_with("T12"));
    harness
        .get_by_label(&strikemap::describe::row_list_label(&layer.table, row))
        .click();
    harness.run_steps(3);
    let selected = harness.state().state.selected_row().cloned().unwrap();
    assert_eq!(selected.row, row);
    // The map is centred on it.
    let center = harness.state().map.current_view().unwrap();
    let position = layer.table.position(row).unwrap();
    assert!((center.lon - position.lon).abs() < 1e-6, "{center:?}");
    assert!((center.lat - position.lat).abs() < 1e-6, "{center:?}");
    // Clearing the search clears the list.
    apply(
        &mut harness,
        strikemap::state::Command::SetSearch(String::new()),
    );
    assert!(harness.state().state.row_listing().is_none());
}

/// "Export shown events" writes the shown events of large layers too, read again from their
/// files: those in the time window and, with a search, those whose id holds it or that match
/// it by place, actor or source. Points of a large point layer are not events; they are
/// counted as left out.
#[test]
fn exporting_shown_events_includes_large_event_layers_in_the_window() {
    use strikemap::export::EventsFormat;
    let dir = TempDir::new("export");
    let mut harness = harness_with_table(620, &dir);
    let mut csv = String::from(
        "event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities\n",
    );
    for index in 0..700 {
        csv.push_str(&format!(
            "PAK{index},2024-01-{:02},Battles,Pakistan,{},{},1,{}\n",
            index % 31 + 1,
            25.0 + (index % 90) as f64 / 10.0,
            62.0 + (index % 70) as f64 / 10.0,
            index % 4
        ));
    }
    let path = dir.0.join("acled.csv");
    std::fs::write(&path, csv).unwrap();
    let import = import_file(&path).unwrap();
    assert!(
        matches!(import.content, ImportedContent::Table(_)),
        "a table"
    );
    harness.state_mut().state.add_import(path, Ok(import));
    set_time_window(&mut harness, "2024-01-16", "2024-01-17");

    let app = harness.state();
    let geojson = app.shown_events_as(EventsFormat::GeoJson).unwrap();
    let back = strikemap::formats::event_schema::parse_events("export.geojson", &geojson).unwrap();
    let mut ids: Vec<String> = back.events.iter().map(|e| e.id().to_owned()).collect();
    // E1 (16 Jan) of the bundled strikes, then the CSV rows of 16 and 17 Jan: index % 31 is
    // 15 or 16, 23 rows each.
    assert_eq!(ids.first().map(String::as_str), Some("E1"));
    assert_eq!(ids.len(), 1 + 23 + 23, "{ids:?}");
    ids.sort();
    assert!(ids.contains(&"PAK15".to_owned()) && ids.contains(&"PAK47".to_owned()));
    assert!(
        ids.iter().all(|id| !id.starts_with('T')),
        "points are not events"
    );
    let export = app.state.shown_events_export();
    // Points 15 and 16 of every 31 (days 16 and 17): 20 + 20.
    assert_eq!(export.points_left_out, 40);

    // The search box filters large layers' events by id, as it lists their rows...
    apply(
        &mut harness,
        strikemap::state::Command::SetSearch("pak4".into()),
    );
    let csv = harness.state().shown_events_as(EventsFormat::Csv).unwrap();
    // These rows have no quoted fields: the id is all before the first comma.
    let exported: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..700)
        .filter(|index| matches!(index % 31, 15 | 16))
        .map(|index| format!("PAK{index}"))
        .filter(|id| id.starts_with("PAK4"))
        .collect();
    assert!(!expected.is_empty());
    let mut sorted = exported.clone();
    sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(sorted, expected_sorted);

    // ... and by place, as it filters small layers' events: E1 is in Panjgur, no row is.
    apply(
        &mut harness,
        strikemap::state::Command::SetSearch("panjgur".into()),
    );
    let csv = harness.state().shown_events_as(EventsFormat::Csv).unwrap();
    assert_eq!(csv.lines().count(), 2, "a header and E1: {csv}");
}

/// One thing is selected at a time: after a click on a point of a large layer, choosing an
/// event from the list, or stepping the story, leaves no row selected (its details gone).
#[test]
fn choosing_an_event_or_stepping_the_story_replaces_a_selected_row() {
    let dir = TempDir::new("selection");
    let mut harness = harness_with_table(900, &dir);
    let select_a_point = |harness: &mut Harness<'_, StrikemapApp>| {
        show_view(harness, (60.5, 30.5), 11.0);
        let point = harness
            .query_all_by_label_contains("Test points: T")
            .filter_map(|node| node.accesskit_node().label())
            .next()
            .expect("a point widget");
        harness.get_by_label(&point).click();
        harness.run_steps(3);
        wait_for_record(harness);
        assert!(harness.state().state.selected_row().is_some());
    };

    select_a_point(&mut harness);
    let e1 = {
        let state = &harness.state().state;
        strikemap::describe::event_list_label(state.find_event("E1").expect("bundled").1)
    };
    harness.get_by_label(&e1).click();
    harness.run_steps(3);
    assert_eq!(harness.state().state.selected_id(), Some("E1"));
    assert!(harness.state().state.selected_row().is_none());
    assert!(harness.query_by_label("event_type").is_none());

    select_a_point(&mut harness);
    harness.get_by_label("Next").click();
    harness.run_steps(3);
    assert!(harness.state().state.selected_row().is_none());
    assert!(harness.state().state.current_story_item().is_some());
}
