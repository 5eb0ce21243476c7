//! The two ways a file is read agree: a table (read in chunks, on every core) gives exactly
//! what the whole-file readers give, the same rows, skips and errors, however the file is cut;
//! and a file of many events becomes a table, a file of few a full layer.

use crate::import::*;
use crate::table::geojson::{self, Tuning};
use crate::table::tests::{TempFile, acled_with_notes, events_file, tricky_points, tunings};
use crate::table::{LoadProgress, Record, load_table};
use crate::table::{LoadedTable, PointTable};

/// The table of an import or of a table load.
trait HoldsTable {
    fn table(&self) -> &PointTable;
}

impl HoldsTable for Import {
    fn table(&self) -> &PointTable {
        match &self.content {
            ImportedContent::Table(table) => table.as_ref(),
            _ => panic!("not a table"),
        }
    }
}

impl HoldsTable for LoadedTable {
    fn table(&self) -> &PointTable {
        &self.table
    }
}

fn table_of(loaded: &impl HoldsTable) -> &PointTable {
    loaded.table()
}

#[test]
fn events_load_as_the_small_file_importer_loads_them() {
    let text = events_file(1_500);
    let file = TempFile::new("events.geojson", text.as_bytes());
    let small = import_bytes("events.geojson", text.as_bytes()).unwrap();
    let small_events = small.events().unwrap();
    for tuning in tunings() {
        let import = geojson::load("events.geojson", &file.0, &LoadProgress::default(), tuning)
            .unwrap()
            .unwrap();
        assert_eq!(import.skipped, small.skipped, "{tuning:?}");
        assert_eq!(import.skipped_total, small.skipped_total);
        let table = table_of(&import);
        assert_eq!(table.len(), small_events.len());
        for (row, event) in small_events.iter().enumerate() {
            let row = row as u32;
            assert_eq!(table.label(row), event.id());
            assert_eq!(table.date(row), Some(event.date));
            assert_eq!(table.position(row), Some(event.position));
            assert_eq!(table.class(row), event.attacker().unwrap_or(""));
            let radius = table.radius_km(row).unwrap();
            assert!((radius - event.properties.location.radius_km).abs() < 1e-3);
        }
    }
    let import = geojson::load(
        "events.geojson",
        &file.0,
        &LoadProgress::default(),
        Tuning::default(),
    )
    .unwrap()
    .unwrap();
    let table = table_of(&import);
    let row = table.find_label("E7").unwrap();
    let Record::Event(event) = table.record(row).unwrap() else {
        panic!("events give events")
    };
    assert_eq!(
        Some(&*event),
        small_events.iter().find(|event| event.id() == "E7")
    );
    // A changed file is not read as if it were the same.
    std::fs::write(&file.0, text.replace("\"Many\"", "\"Other\"")).unwrap();
    let error = table.record(row).unwrap_err().to_string();
    assert!(error.contains("changed on disk"), "{error}");
}

#[test]
fn syntax_errors_name_the_same_place_as_a_whole_file_parse() {
    let (text, _) = tricky_points(400);
    // Break the JSON deep inside: a missing comma between two members of feature 300.
    let at = text.find("\"event_id_cnty\":\"X300\"").unwrap();
    let broken = format!("{}\"oops\" {}", &text[..at], &text[at..]);
    let file = TempFile::new("broken.geojson", broken.as_bytes());
    let whole = import_bytes("broken.geojson", broken.as_bytes())
        .unwrap_err()
        .to_string();
    for tuning in tunings() {
        let error = geojson::load("broken.geojson", &file.0, &LoadProgress::default(), tuning)
            .unwrap_err()
            .to_string();
        assert_eq!(error, whole, "{tuning:?}");
    }
    // A file cut short.
    let cut = &text[..text.len() / 2];
    let file = TempFile::new("cut.geojson", cut.as_bytes());
    for tuning in tunings() {
        let error = geojson::load("cut.geojson", &file.0, &LoadProgress::default(), tuning)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("cut.geojson:"), "{error}");
        assert!(error.contains("ends inside"), "{error}");
    }
    // Trailing garbage after the collection.
    let trailing = format!("{text}x");
    let file = TempFile::new("trailing.geojson", trailing.as_bytes());
    let error = geojson::load(
        "trailing.geojson",
        &file.0,
        &LoadProgress::default(),
        Tuning::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("trailing characters"), "{error}");
}

#[test]
fn acled_rows_load_as_the_csv_importer_loads_them() {
    let text = acled_with_notes(800);
    let file = TempFile::new("acled.csv", text.as_bytes());
    let small = import_bytes("acled.csv", text.as_bytes()).unwrap();
    let import = load_table(&file.0, &LoadProgress::default())
        .unwrap()
        .unwrap();
    assert_eq!(import.format, small.format);
    assert_eq!(import.skipped, small.skipped);
    let table = table_of(&import);
    let small_events = small.events().unwrap();
    assert_eq!(table.len(), small_events.len());
    for (row, event) in small_events.iter().enumerate() {
        assert_eq!(table.label(row as u32), event.id());
        assert_eq!(table.date(row as u32), Some(event.date));
    }
    for row in 0..table.len() as u32 {
        let Record::Event(event) = table.record(row).unwrap() else {
            panic!("rows give events")
        };
        let expected = small_events
            .iter()
            .find(|e| e.id() == table.label(row))
            .unwrap();
        assert_eq!(event.properties.title, expected.properties.title);
        assert_eq!(event.properties.notes, expected.properties.notes);
        assert_eq!(event.position, expected.position);
    }
}

#[test]
fn small_files_of_many_events_load_as_tables_and_few_as_full_layers() {
    let acled = |rows: usize| {
        let mut text = String::from(
            "event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities\n",
        );
        for index in 0..rows {
            text.push_str(&format!(
                "PAK{index},2024-01-16,Battles,Pakistan,{},{},1,0\n",
                25.0 + (index % 90) as f64 / 10.0,
                62.0 + (index % 70) as f64 / 10.0
            ));
        }
        text
    };
    let max = RICH_LAYER_MAX_EVENTS;
    let few = TempFile::new("few.csv", acled(max).as_bytes());
    assert!(matches!(
        import_file(&few.0).unwrap().content,
        ImportedContent::Events(_)
    ));
    let many = TempFile::new("many.csv", acled(max + 1).as_bytes());
    let import = import_file(&many.0).unwrap();
    assert_eq!(table_of(&import).len(), max + 1);
    assert_eq!(import.format.name(), "ACLED CSV");

    // Point overlays likewise; an overlay with anything but points stays an overlay.
    let (points, _) = tricky_points(max + 40);
    let without_polygon = points.replace(
        "{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,0]]]}",
        "{\"type\": \"Point\", \"coordinates\": [1, 1]}",
    );
    // (Each test's files have names of their own: the tests run at the same time.)
    let points_file = TempFile::new("routed-points.geojson", without_polygon.as_bytes());
    let import = import_file(&points_file.0).unwrap();
    // The out-of-range points are skipped, as by the overlay reader. A point table has no
    // place for a feature without a location, so the null geometries that the overlay reader
    // keeps as unlocated features are skipped by the table reader, with their reason.
    let small = import_bytes("routed-points.geojson", without_polygon.as_bytes()).unwrap();
    let unlocated = small.overlay().unwrap().unlocated.len();
    assert!(unlocated > 0);
    assert_eq!(import.skipped_total, small.skipped_total + unlocated);
    assert_eq!(
        table_of(&import).len(),
        small.overlay().unwrap().features.len()
    );
    assert!(table_of(&import).len() > max);
    let mixed = without_polygon.replacen(
        "{\"type\": \"Point\", \"coordinates\": [1, 1]}",
        "{\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]}",
        1,
    );
    let mixed_file = TempFile::new("mixed.geojson", mixed.as_bytes());
    assert!(matches!(
        import_file(&mixed_file.0).unwrap().content,
        ImportedContent::Overlay(_)
    ));
}

/// A file of many events under the size limit is read once, and the table it becomes is the
/// one the table reader makes of it: the same rows, skips and records (a byte-order mark
/// included).
#[test]
fn a_small_file_of_many_events_becomes_the_table_the_table_reader_makes() {
    let csv = format!("\u{feff}{}", acled_with_notes(700));
    let events = events_file(900);
    let cases = [
        ("once-acled.csv", csv.as_str()),
        ("once-events.geojson", events.as_str()),
    ];
    for (name, text) in cases {
        let file = TempFile::new(name, text.as_bytes());
        let import = import_file(&file.0).unwrap();
        let loaded = load_table(&file.0, &LoadProgress::default())
            .unwrap()
            .unwrap();
        assert_eq!(import.format, loaded.format, "{name}");
        assert_eq!(import.skipped, loaded.skipped, "{name}");
        assert_eq!(import.skipped_total, loaded.skipped_total, "{name}");
        assert!(import.skipped_total > 0, "{name}");
        let (table, expected) = (table_of(&import), table_of(&loaded));
        assert!(table == expected, "{name}: the tables differ");
        assert!(table.len() > RICH_LAYER_MAX_EVENTS, "{name}");
        for row in 0..table.len() as u32 {
            assert_eq!(table.class(row), expected.class(row), "{name} row {row}");
            assert_eq!(table.radius_km(row), expected.radius_km(row));
            assert_eq!(table.record(row).unwrap(), expected.record(row).unwrap());
        }
    }
}

/// Web Mercator metres of a WGS 84 position (the spherical formula EPSG:3857 defines).
fn web_mercator(lon: f64, lat: f64) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let y = (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
        .tan()
        .ln();
    (R * lon.to_radians(), R * y)
}

#[test]
fn many_events_in_a_projected_crs_are_read_whole_and_reprojected() {
    let wgs84: serde_json::Value = serde_json::from_str(&events_file(600)).unwrap();
    let mut projected = wgs84.clone();
    for feature in projected["features"].as_array_mut().unwrap() {
        let coordinates = &mut feature["geometry"]["coordinates"];
        let (x, y) = web_mercator(
            coordinates[0].as_f64().unwrap(),
            coordinates[1].as_f64().unwrap(),
        );
        *coordinates = serde_json::json!([x, y]);
    }
    let small = import_bytes("wgs84.geojson", wgs84.to_string().as_bytes()).unwrap();
    let expected = small.events().unwrap();
    let crs =
        serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}});
    // Before the features, as GDAL writes it, and after them.
    let mut before = serde_json::Map::new();
    before.insert("crs".into(), crs.clone());
    before.extend(projected.as_object().unwrap().clone());
    let mut after = projected.as_object().unwrap().clone();
    after.insert("crs".into(), crs);
    for (name, document) in [("before", before), ("after", after)] {
        let text = serde_json::Value::Object(document).to_string();
        let file = TempFile::new(&format!("projected-{name}.geojson"), text.as_bytes());
        let tuning = Tuning::default();
        let table = geojson::load("p.geojson", &file.0, &LoadProgress::default(), tuning).unwrap();
        assert!(
            table.is_none(),
            "{name}: the table reader leaves it to the whole-file reader"
        );
        let import = import_file(&file.0).unwrap();
        let events = import
            .events()
            .unwrap_or_else(|| panic!("{name}: not events"));
        assert_eq!(events.len(), expected.len(), "{name}");
        assert_eq!(import.skipped_total, small.skipped_total);
        for (got, want) in events.iter().zip(expected) {
            assert_eq!(got.id(), want.id());
            assert!(
                (got.position.lon - want.position.lon).abs() < 1e-7,
                "{name}"
            );
            assert!(
                (got.position.lat - want.position.lat).abs() < 1e-7,
                "{name}"
            );
        }
        assert_eq!(import.warnings.len(), 1, "{name}");
        assert_eq!(import.warnings[0].place, "crs");
        assert!(
            import.warnings[0]
                .message
                .starts_with("coordinates were reprojected from EPSG:3857")
        );
    }

    let unknown = wgs84.to_string().replacen(
        "{",
        "{\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:99999\"}},",
        1,
    );
    let file = TempFile::new("projected-unknown.geojson", unknown.as_bytes());
    let error = geojson::load(
        "u.geojson",
        &file.0,
        &LoadProgress::default(),
        Tuning::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("u.geojson: crs: EPSG:99999 is not a coordinate system"),
        "{error}"
    );
}

#[test]
fn tolerated_breaks_in_a_point_table_warn_as_the_overlay_reader_warns() {
    let mut features = Vec::new();
    for index in 0..700 {
        let lon = 60.0 + (index % 90) as f64 / 10.0;
        let feature = match index % 100 {
            7 => format!(
                r#"{{"type":"Feature","id":true,"geometry":{{"type":"Point","coordinates":[{lon},27]}},"properties":{{}}}}"#
            ),
            19 => format!(
                r#"{{"type":"Feature","id":{{"x":1}},"bbox":[1,2,3],"geometry":{{"type":"Point","coordinates":[{lon},27]}},"properties":{{}}}}"#
            ),
            42 => format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","bbox":"b","coordinates":[{lon},27,5,"GPS"]}},"properties":{{"name":"n{index}"}}}}"#
            ),
            _ => format!(
                r#"{{"type":"Feature","id":{index},"geometry":{{"type":"Point","coordinates":[{lon},27]}},"properties":{{}}}}"#
            ),
        };
        features.push(feature);
    }
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"bbox\":[60,27,69],\"features\":[\n{}\n]}}",
        features.join(",\n")
    );
    let small = import_bytes("tolerated.geojson", text.as_bytes()).unwrap();
    assert_eq!(small.overlay().unwrap().features.len(), 700);
    assert_eq!(
        small.warnings.len(),
        MAX_LISTED_SKIPS + 1,
        "{:?}",
        small.warnings
    );
    assert_eq!(
        small.warnings[0].to_string(),
        "bbox: RFC 7946 §5: bbox has 3 numbers, expected 4 or 6 (two corners); ignored it"
    );
    assert_eq!(
        small.warnings[1].to_string(),
        "feature 7, field id: RFC 7946 §3.2: the id is a boolean, expected a string or a number; \
         kept it as the text \"true\""
    );
    assert_eq!(
        small.warnings[4].to_string(),
        "feature 42, field geometry.bbox: RFC 7946 §5: bbox is a string, expected an array of 4 \
         or 6 numbers; ignored it"
    );
    assert_eq!(
        small.warnings[5].to_string(),
        "feature 42, field geometry.coordinates: RFC 7946 §3.1.1: the position's member [3] is a \
         string, not a number; ignored it"
    );
    let file = TempFile::new("tolerated.geojson", text.as_bytes());
    for tuning in tunings() {
        let loaded = geojson::load(
            "tolerated.geojson",
            &file.0,
            &LoadProgress::default(),
            tuning,
        )
        .unwrap()
        .unwrap();
        assert_eq!(loaded.table.len(), 700, "{tuning:?}");
        assert_eq!(loaded.warnings, small.warnings, "{tuning:?}");
        assert_eq!(loaded.table.label(7), "true");
    }
    let import = import_file(&file.0).unwrap();
    assert_eq!(import.warnings, small.warnings);
}
