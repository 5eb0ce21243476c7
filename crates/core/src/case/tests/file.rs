use super::*;
use crate::formats::bundled::bundled_events;

/// The bundled case as an events file: the case without its `strikemap_case` member, as
/// today's events files are written.
fn bundled_events_file() -> String {
    let start = BUNDLED_CASE_GEOJSON.find("  \"strikemap_case\"").unwrap();
    let end = BUNDLED_CASE_GEOJSON.find("  \"features\"").unwrap();
    format!(
        "{}{}",
        &BUNDLED_CASE_GEOJSON[..start],
        &BUNDLED_CASE_GEOJSON[end..]
    )
}

#[test]
fn the_bundled_case_holds_todays_events_and_statements() {
    let case = bundled();
    let ids = |ids: Vec<&str>| ids.join(" ");
    assert_eq!(
        ids(case.events.iter().map(|event| event.id()).collect()),
        "E1 E2"
    );
    assert_eq!(
        ids(case
            .statements
            .iter()
            .map(|statement| statement.id.as_str())
            .collect()),
        "D1 D2 D3 D4 D5 D6 D7"
    );
    assert_eq!(case.events, bundled_events().unwrap().events);
    // The timeline's second track: 16 to 22 January, each statement sourced or saying why not.
    let statements = case.timeline_statements();
    assert_eq!(statements.len(), 7);
    assert_eq!(statements[0].date.to_string(), "16 Jan 2024");
    assert_eq!(statements[6].date.to_string(), "22 Jan 2024");
    for statement in &statements {
        assert!(
            !statement.sources.is_empty() || statement.caveat.is_some(),
            "{}",
            statement.id
        );
    }
    assert!(problems(&case).is_empty());
    assert_eq!(
        case.meta.as_of.map(|date| date.to_iso()).as_deref(),
        Some("2024-02-01")
    );
    // The file is in the writer's layout: opening and saving it changes nothing.
    assert_eq!(write_case(&case), BUNDLED_CASE_GEOJSON);
}

#[test]
fn the_bundled_case_round_trips_through_a_save_as() {
    let dir = temp_dir("round-trip");
    let case = bundled();
    let path = dir.join("copy.geojson");
    save(&path, &case).unwrap();
    let first = std::fs::read(&path).unwrap();
    let (loaded, _) = load_case_file(&path).unwrap();
    assert_eq!(loaded.case, case);
    assert!(loaded.problems.is_empty() && !loaded.migrated);
    save(&path, &loaded.case).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        first,
        "saving twice gives the same bytes"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_layout_is_diffable() {
    let text = write_case(&bundled());
    assert!(text.contains("\"coordinates\": [64.101, 26.968]"), "{text}");
    assert!(text.contains("\"killed\": { \"count\": 2, \"at_least\": true, \"children\": 2 }"));
    assert!(text.contains("\"source_keys\": [\"F3\", \"P1\"]"));
    // Each source on its own line.
    assert!(text.lines().any(|line| {
        line.trim_start()
            .starts_with("{ \"key\": \"D1\", \"outlet\": \"Dawn\"")
    }));
    // Today's loader still reads a case file's events.
    let events = crate::formats::event_schema::parse_events("case.geojson", &text).unwrap();
    assert_eq!(events.events, bundled_events().unwrap().events);
}

#[test]
fn a_case_with_view_layers_and_odd_text_round_trips() {
    let mut case = bundled();
    case.meta.caveat = "Quotes \"inside\", a back\\slash, a line\nbreak, and ünïcode — ≥2".into();
    case.view = Some(View {
        center: crate::model::LonLat {
            lon: -0.1,
            lat: 51.5,
        },
        zoom: 11.25,
    });
    case.layers = vec![Layer {
        path: "layers/border.kml".into(),
        name: "Border, \"2024\"".into(),
        visible: false,
        colour: "#ff8800".into(),
        opacity: 0.35,
    }];
    case.events[0].properties.conflict_notes.clear();
    case.events[1].position.lon = 1e-7;
    let text = write_case(&case);
    assert_eq!(parse_case_checked("x.geojson", &text).unwrap(), case);
    assert_eq!(
        write_case(&parse_case_checked("x.geojson", &text).unwrap()),
        text
    );
}

#[test]
fn todays_events_files_migrate_to_cases() {
    let events_file = bundled_events_file();
    assert!(!events_file.contains(CASE_MEMBER));
    let loaded = parse_case("strikes.geojson", &events_file).unwrap();
    assert!(loaded.migrated);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let case = loaded.case;
    assert_eq!(case.meta.version, CASE_VERSION);
    assert_eq!(
        case.meta.title,
        "Iran–Pakistan cross-border strikes, January 2024"
    );
    assert_eq!(case.events, bundled_events().unwrap().events);
    assert!(case.statements.is_empty() && case.layers.is_empty() && case.view.is_none());
    // A collection named rather than titled, without an as-of date: a problem until it is set.
    let text = events_file.replacen("\"title\"", "\"name\"", 1).replacen(
        "\"as_of\": \"2024-02-01\",",
        "",
        1,
    );
    let loaded = parse_case("named.geojson", &text).unwrap();
    assert_eq!(loaded.case.meta.title, case.meta.title);
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].place.json_path(), "as_of");
    let error = parse_case_checked("named.geojson", &text)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("named.geojson: as_of: is not set"),
        "{error}"
    );
}

#[test]
fn versions_the_reader_does_not_know_are_refused_clearly() {
    let text = BUNDLED_CASE_GEOJSON.replacen("\"version\": 2", "\"version\": 3", 1);
    let error = parse_case("new.geojson", &text).unwrap_err().to_string();
    assert_eq!(
        error,
        "new.geojson: strikemap_case.version: the file is a version 3 case, written by a newer \
         Strikemap; this version reads case files up to version 2"
    );
    for (version, shown) in [("0", "0"), ("\"1\"", "\"1\"")] {
        let text =
            BUNDLED_CASE_GEOJSON.replacen("\"version\": 2", &format!("\"version\": {version}"), 1);
        let error = parse_case("odd.geojson", &text).unwrap_err().to_string();
        assert!(
            error.contains(&format!(
                "version: is {shown}, expected a version from 1 to 2"
            )),
            "{error}"
        );
    }
    let text = BUNDLED_CASE_GEOJSON.replacen("\"version\": 2,", "", 1);
    let error = parse_case("none.geojson", &text).unwrap_err().to_string();
    assert!(error.contains("version: is missing"), "{error}");
}

#[test]
fn a_version_1_case_migrates_to_version_2_without_annotations() {
    let version_1 = BUNDLED_CASE_GEOJSON.replacen("\"version\": 2", "\"version\": 1", 1);
    let loaded = parse_case("old.geojson", &version_1).unwrap();
    assert_eq!(loaded.case.meta.version, 2);
    assert!(loaded.case.annotations.is_empty() && loaded.problems.is_empty());
    assert_eq!(loaded.case, bundled());
    // Saved again, it is a version 2 file: the bundled one.
    assert_eq!(write_case(&loaded.case), BUNDLED_CASE_GEOJSON);
    // Annotations did not exist in version 1.
    let text = version_1.replacen(
        "\"layers\": [",
        "\"annotations\": [{\"id\": \"A1\", \"shape\": {\"kind\": \"callout\", \"at\": [63, 27]}}], \"layers\": [",
        1,
    );
    assert_ne!(text, version_1);
    let error = parse_case("odd.geojson", &text).unwrap_err().to_string();
    assert!(
        error.contains("a version 1 case has no annotations"),
        "{error}"
    );
}

#[test]
fn version_1_case_files_migrate_to_version_2_unchanged_but_the_version() {
    let version_1 = BUNDLED_CASE_GEOJSON.replacen("\"version\": 2", "\"version\": 1", 1);
    assert_ne!(version_1, BUNDLED_CASE_GEOJSON);
    let loaded = parse_case("old.geojson", &version_1).unwrap();
    assert_eq!(loaded.case.meta.version, CASE_VERSION);
    assert_eq!(loaded.case, bundled());
    // Saved, it is a version 2 file, and every source reads as before (no evidence yet).
    assert_eq!(write_case(&loaded.case), BUNDLED_CASE_GEOJSON);
}

#[test]
fn format_errors_name_the_file_place_and_problem() {
    let cases: Vec<(String, &str)> = vec![
        ("{".into(), "bad.geojson:1:1: not valid JSON"),
        (
            BUNDLED_CASE_GEOJSON.replacen("\"date\": \"2024-01-16\",\n        \"time_as_reported\": \"night\"", "\"date\": \"2024-01-32\",\n        \"time_as_reported\": \"night\"", 1),
            "strikemap_case.statements[0].date: date \"2024-01-32\" has day 32",
        ),
        (
            BUNDLED_CASE_GEOJSON.replacen("\"caveat\":", "\"cavaet\":", 1),
            "bad.geojson:8:12: strikemap_case.cavaet: unknown field `cavaet`",
        ),
        (
            BUNDLED_CASE_GEOJSON.replacen("\"district\":", "\"distrct\":", 1),
            "features[0].properties.distrct: unknown field `distrct`",
        ),
        (
            BUNDLED_CASE_GEOJSON.replacen("\"id\": \"E2\",\n        \"title\": \"Pakistan strikes Saravan county, Sistan and Baluchestan\",\n        \"date\": \"2024-01-18\"", "\"id\": \"E2\",\n        \"title\": \"Pakistan strikes Saravan county, Sistan and Baluchestan\",\n        \"date\": \"18 Jan\"", 1),
            "feature 1 (E2): properties.date: date \"18 Jan\" is not in the form YYYY-MM-DD",
        ),
        (
            BUNDLED_CASE_GEOJSON.replacen("\"type\": \"Point\"", "\"type\": \"LineString\"", 1),
            "feature 0 (E1): geometry: is a LineString, expected a Point",
        ),
        (
            BUNDLED_CASE_GEOJSON.replacen("[64.101, 26.968]", "[64.101]", 1),
            "feature 0 (E1): geometry.coordinates: a Point has 1 coordinates",
        ),
        (
            BUNDLED_CASE_GEOJSON.replacen("\"schema\": \"strikemap-events/1\",", "\"crs\": {\"type\": \"name\"},", 1),
            "crs: a case is in WGS 84",
        ),
    ];
    for (text, expected) in cases {
        let error = parse_case("bad.geojson", &text)
            .map(|_| ())
            .expect_err(expected)
            .to_string();
        assert!(error.contains(expected), "expected {expected:?} in {error}");
        assert!(error.starts_with("bad.geojson"), "{error}");
    }
    // Problems are refused by the checked reader with the feature and field.
    let text = BUNDLED_CASE_GEOJSON.replacen("\"source\": \"A1\"", "\"source\": \"Z9\"", 1);
    let error = parse_case_checked("bad.geojson", &text)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "bad.geojson: feature 0 (E1): properties.casualty_claims[0].source: cites source \"Z9\", \
         which is not in this event's sources"
    );
}

/// The loader never panics on a mutated or cut bundled case (the in-crate companion of
/// `fuzz/fuzz_targets/fuzz_case.rs`).
#[test]
fn mangled_case_files_never_panic() {
    let text = BUNDLED_CASE_GEOJSON;
    let bytes = text.as_bytes();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let replacements: [&[u8]; 12] = [
        b"", b"\"", b"{", b"]", b"null", b"-1", b"1e999", b"\"x\"", b"[]", b"{}", b"2", b"\\u0000",
    ];
    for round in 0..1500 {
        let mut mutated = bytes.to_vec();
        for _ in 0..(1 + round % 4) {
            let at = (next() as usize) % mutated.len().max(1);
            let len = (next() as usize) % 12;
            let end = (at + len).min(mutated.len());
            let with = replacements[(next() as usize) % replacements.len()];
            mutated.splice(at..end, with.iter().copied());
        }
        let text = String::from_utf8_lossy(&mutated);
        if let Ok(loaded) = parse_case("m.geojson", &text) {
            let again = write_case(&loaded.case);
            if loaded.problems.is_empty() {
                assert_eq!(
                    parse_case_checked("again.geojson", &again).unwrap(),
                    loaded.case
                );
            }
        }
    }
    for cut in (0..text.len()).step_by(97) {
        if text.is_char_boundary(cut) {
            assert!(parse_case("cut.geojson", &text[..cut]).is_err());
        }
    }
}

#[test]
fn a_text_of_known_version_reads_as_the_probed_one_and_still_refuses_an_unknown_version() {
    use crate::case::parse_case_of_known_version;
    assert_eq!(
        parse_case_of_known_version("b.geojson", BUNDLED_CASE_GEOJSON).unwrap(),
        parse_case("b.geojson", BUNDLED_CASE_GEOJSON).unwrap()
    );
    let newer = BUNDLED_CASE_GEOJSON.replacen("\"version\": 2", "\"version\": 9", 1);
    let error = parse_case_of_known_version("b.geojson", &newer)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("version: is 9, expected a version from 1 to 2"),
        "{error}"
    );
}
