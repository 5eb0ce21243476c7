use super::*;
use crate::model::LonLat;

fn places(case: &Case) -> Vec<(String, String)> {
    problems(case)
        .into_iter()
        .map(|problem| (problem.place.to_string(), problem.message))
        .collect()
}

fn has(case: &Case, place: &str, message: &str) {
    let found = places(case);
    assert!(
        found
            .iter()
            .any(|(at, what)| at == place && what.contains(message)),
        "no {place:?} / {message:?} in {found:#?}"
    );
}

#[test]
fn each_kind_of_problem_is_found_where_it_is() {
    let mut case = bundled();
    let e1 = &mut case.events[0].properties;
    e1.casualty_claims[1].source = String::new();
    e1.casualty_claims[2].source = "ZZ".into();
    e1.sources[3].url = Some("javascript:alert(1)".into());
    e1.sources[2].date = Some("2024-13".into());
    e1.sources[4].key = "A1".into();
    e1.time_sources.push("Q7".into());
    case.events[1].position = LonLat {
        lon: 200.0,
        lat: 27.0,
    };
    case.events[1].properties.id = "E1".into();
    case.events[1].properties.location.radius_km = 0.0;
    case.statements[1].id = "D1".into();
    case.statements[2].source_keys.push("NOPE".into());
    case.statement_sources[0].url = Some("ftp://example.org/x".into());
    case.meta.title = " ".into();
    case.view = Some(View {
        center: LonLat {
            lon: f64::NAN,
            lat: 0.0,
        },
        zoom: 30.0,
    });
    case.layers.clear();
    case.layers.push(Layer {
        path: String::new(),
        name: "x".into(),
        visible: true,
        colour: "red".into(),
        opacity: 1.5,
    });
    has(&case, "case title", "is empty");
    has(
        &case,
        "event E1 (#1), casualty_claims[1].source",
        "cites no source",
    );
    has(
        &case,
        "event E1 (#1), casualty_claims[2].source",
        "cites source \"ZZ\", which is not",
    );
    has(
        &case,
        "event E1 (#1), sources[3].url",
        "is not an http or https address",
    );
    has(&case, "event E1 (#1), sources[2].date", "2024-13");
    has(
        &case,
        "event E1 (#1), sources[4].key",
        "key \"A1\" is listed twice",
    );
    has(&case, "event E1 (#1), time_sources[4]", "\"Q7\"");
    has(
        &case,
        "event E1 (#2), position",
        "longitude 200 is outside -180..180",
    );
    has(&case, "event E1 (#2), id", "is the id of an earlier event");
    has(
        &case,
        "event E1 (#2), location.radius_km",
        "expected a positive number",
    );
    has(&case, "statement D1 (#2), id", "earlier statement");
    has(&case, "statement D3 (#3), source_keys[2]", "\"NOPE\"");
    has(&case, "statement source A1, url", "ftp://");
    has(&case, "view, center", "not a finite number");
    has(&case, "view, zoom", "expected 0 to 22");
    has(&case, "layer 1, path", "is empty");
    has(&case, "layer 1, colour", "#rrggbb");
    has(&case, "layer 1, opacity", "expected 0 to 1");
    let mut shipped = bundled();
    shipped.layers[0].path = "bundled:rivers".into();
    has(
        &shipped,
        "layer 1, path",
        "names nothing shipped with the app",
    );
    // T1 was renamed A1: what cited T1 now cites nothing.
    has(&case, "event E1 (#1), time_sources[2]", "\"T1\"");
    has(&case, "event E1 (#1), place_sources[1]", "\"T1\"");
    assert_eq!(problems(&case).len(), 20, "{:#?}", places(&case));
    // The places map to the file's JSON paths.
    let paths: Vec<String> = problems(&case)
        .iter()
        .map(|problem| problem.place.json_path())
        .collect();
    assert!(paths.contains(&"features[0].properties.casualty_claims[2].source".to_owned()));
    assert!(paths.contains(&"features[1].geometry.coordinates".to_owned()));
    assert!(paths.contains(&"strikemap_case.statements[2].source_keys[2]".to_owned()));
    assert!(paths.contains(&"strikemap_case.layers[0].colour".to_owned()));
}

#[test]
fn counts_dates_and_statements_without_sources() {
    let mut case = bundled();
    let claim = &mut case.events[0].properties.casualty_claims[0];
    claim.killed.as_mut().unwrap().children = Some(5);
    claim.injured.as_mut().unwrap().high = Some(1);
    case.events[0].properties.date_end = Some("2024-01-01".into());
    case.events[1].properties.date = "2024-02-30".into();
    case.statements[0].source_keys.clear();
    has(
        &case,
        "event E1 (#1), casualty_claims[0].killed",
        "add up to 5",
    );
    has(
        &case,
        "event E1 (#1), casualty_claims[0].injured",
        "high estimate 1",
    );
    has(&case, "event E1 (#1), date_end", "before the date");
    has(&case, "event E2 (#2), date", "day 30");
    has(&case, "statement D1 (#1), source_keys", "no caveat");
}

#[test]
fn date_and_url_helpers_for_edit_buffers() {
    assert_eq!(parse_date(" 2024-01-18 ").unwrap().to_iso(), "2024-01-18");
    assert!(parse_date("").unwrap_err().contains("no date"));
    assert!(parse_date("2024-02-30").unwrap_err().contains("day 30"));
    assert!(parse_date("18/01/2024").unwrap_err().contains("YYYY-MM-DD"));
    assert!(parse_source_date("2024-01").is_ok());
    assert!(parse_source_date("2024-01-31").is_ok());
    assert!(parse_source_date("2024-00").is_err());
    assert!(parse_source_date("Jan 2024").is_err());
    use super::super::problems::url_problem;
    assert_eq!(url_problem("https://dawn.com/news/1806685"), None);
    assert_eq!(url_problem("http://x.org"), None);
    assert!(url_problem("file:///etc/passwd").is_some());
    assert!(url_problem("https://").is_some());
    assert!(url_problem("https://a b.org").is_some());
    assert!(url_problem("dawn.com").is_some());
}

#[test]
fn next_ids_are_fresh() {
    let mut case = bundled();
    assert_eq!(case.next_event_id(), "E3");
    assert_eq!(case.next_statement_id(), "D8");
    case.events[1].properties.id = "E41".into();
    assert_eq!(case.next_event_id(), "E42");
    assert_eq!(Case::default().next_event_id(), "E1");
    case.events[0].properties.id = format!("E{}", u64::MAX);
    assert_ne!(case.next_event_id(), case.events[0].id());
}
