//! The hand-written fixtures of each format load as expected; see `fixtures/README.md`.

// Test helpers may unwrap: a panic here is a failed test, not a crash on input.
#![allow(clippy::unwrap_used)]

mod common;

use common::{fixture, load};

use geo::Geometry;
use std::path::Path;
use strikemap_core::case::BUNDLED_CASE_GEOJSON;
use strikemap_core::export::{events_to_csv, events_to_geojson};
use strikemap_core::formats::bundled;
use strikemap_core::formats::event_schema::parse_events;
use strikemap_core::import::{DetectedFormat, Import, import_bytes, import_file};
use strikemap_core::model::{EventOrigin, LonLat, StrikeEvent};
use strikemap_core::validate::{summarize, validate_paths};

fn event<'i>(import: &'i Import, id: &str) -> &'i StrikeEvent {
    import
        .events()
        .unwrap()
        .iter()
        .find(|event| event.id() == id)
        .unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn acled_current_columns() {
    let import = load("acled_current.csv");
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: false });
    assert!(import.is_whole(), "{:?}", import.skipped);
    let ids: Vec<&str> = import.events().unwrap().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids,
        ["PAK900001", "PAK900004", "IRN900002", "IRN900003"],
        "sorted by date"
    );

    let panjgur = event(&import, "PAK900001");
    let p = &panjgur.properties;
    assert_eq!(p.origin, Some(EventOrigin::Acled));
    assert_eq!(panjgur.attacker(), None, "actor1 is not an attacker");
    assert_eq!(p.event_type.as_deref(), Some("Explosions/Remote violence"));
    assert_eq!(p.sub_event_type.as_deref(), Some("Air/drone strike"));
    assert_eq!(p.actor2.as_deref(), Some("Civilians (Pakistan)"));
    assert_eq!(
        (p.province.as_str(), p.district.as_str()),
        ("Balochistan", "Panjgur")
    );
    assert_eq!(
        (panjgur.position.lon, panjgur.position.lat),
        (64.101, 26.968)
    );
    assert_eq!(p.location.geo_precision, 2);
    assert_eq!(p.location.radius_km, 25.0);
    assert_eq!(p.time_precision, Some(1));
    let claim = panjgur.headline_claim().unwrap();
    assert_eq!(claim.headline(), "2 killed (ACLED)");
    let source = panjgur.source(&claim.source).unwrap();
    assert_eq!(source.outlet, "Dawn; Express Tribune; Al Jazeera");
    assert_eq!(source.date, None);
    assert_eq!(p.raw.len(), 31);
    assert_eq!(p.raw[28], ("fatalities".to_owned(), "2".to_owned()));

    let saravan = event(&import, "IRN900002");
    assert_eq!(
        saravan.properties.date, "2024-01-18",
        "from \"18 January 2024\""
    );
    assert_eq!(saravan.properties.admin3, None, "NA is missing");
    assert!(
        saravan
            .properties
            .notes
            .as_deref()
            .unwrap()
            .contains("\"hideouts\" of Baloch separatists.\nOperation named")
    );
    assert_eq!(event(&import, "IRN900003").properties.date, "2024-01-27");
    let protest = event(&import, "PAK900004");
    assert_eq!(protest.properties.time_precision, Some(2));
    assert_eq!(protest.properties.location.radius_km, 100.0);
    let note = protest.headline_claim().unwrap().note.as_deref().unwrap();
    assert!(
        note.contains("0 can mean that no deaths were reported"),
        "{note}"
    );
}

#[test]
fn acled_legacy_and_upper_case_columns() {
    let import = load("acled_legacy.csv");
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: true });
    assert!(import.is_whole(), "{:?}", import.skipped);
    assert_eq!(event(&import, "PAK88001").properties.date, "2022-01-16");
    let clash = event(&import, "PAK88002");
    assert_eq!(clash.properties.date, "2022-02-02");
    assert_eq!(
        clash.headline_claim().unwrap().killed,
        None,
        "NA fatalities is no figure"
    );
    assert_eq!(clash.properties.time_precision, Some(2));

    let import = load("acled_pre2019_upper.csv");
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: true });
    let quetta = event(&import, "PAK7001");
    assert_eq!(quetta.properties.date, "2017-09-25");
    assert_eq!(
        quetta.properties.event_type.as_deref(),
        Some("Remote violence")
    );
    assert_eq!(
        quetta.properties.raw[8].0, "ALLY_ACTOR_1",
        "raw keeps names as written"
    );
    assert_eq!(
        quetta
            .headline_claim()
            .unwrap()
            .killed
            .as_ref()
            .unwrap()
            .count,
        3
    );
}

#[test]
fn ucdp_ged_best_low_high_and_spans() {
    let import = load("ucdp_ged.csv");
    assert_eq!(import.format, DetectedFormat::UcdpGedCsv);
    assert!(import.is_whole(), "{:?}", import.skipped);
    let saravan = event(&import, "990002");
    let p = &saravan.properties;
    assert_eq!(p.origin, Some(EventOrigin::UcdpGed));
    assert_eq!(saravan.attacker(), None);
    assert_eq!(p.actor1.as_deref(), Some("Government of Iran"));
    assert_eq!(p.actor2.as_deref(), Some("Government of Pakistan"));
    assert_eq!(p.event_type.as_deref(), Some("State-based conflict"));
    assert_eq!(p.location.where_prec, Some(3));
    assert_eq!(p.location.level, "district");
    assert_eq!(p.location.radius_km, 50.0);
    assert_eq!(p.location.geo_precision, 3);
    assert_eq!(p.date_prec, Some(1));
    let claim = saravan.headline_claim().unwrap();
    assert_eq!(claim.claimant, "UCDP GED");
    let killed = claim.killed.as_ref().unwrap();
    assert_eq!(
        (killed.count, killed.low, killed.high),
        (9, Some(7), Some(10))
    );
    assert!(claim.note.as_deref().unwrap().contains("civilians 9"));
    assert!(
        saravan
            .source(&claim.source)
            .unwrap()
            .outlet
            .starts_with("Al Jazeera,2024-01-19")
    );

    let shooting = event(&import, "990003");
    assert_eq!(shooting.properties.date, "2024-01-26");
    assert_eq!(shooting.properties.date_end.as_deref(), Some("2024-01-27"));
    assert_eq!(shooting.properties.date_prec, Some(2));
    assert_eq!(
        shooting.properties.event_type.as_deref(),
        Some("One-sided violence")
    );
}

#[test]
fn ucdp_hxl_row_is_not_data_and_not_a_skip() {
    let import = load("ucdp_ged_hxl.csv");
    assert!(import.is_whole());
    assert_eq!(import.loaded_count(), 1);
    let event = &import.events().unwrap()[0];
    assert_eq!(event.properties.location.level, "province");
    assert_eq!(event.properties.location.radius_km, 150.0);
}

#[test]
fn overlay_keeps_every_geometry_kind_and_lists_the_null_one_unlocated() {
    let import = load("overlay_mixed.geojson");
    assert_eq!(import.format, DetectedFormat::GeoJsonOverlay);
    let layer = import.overlay().unwrap();
    assert_eq!(layer.name, "Border context (made-up analyst overlay)");
    assert_eq!(layer.features.len(), 7);
    // Issue 15: RFC 7946 allows a null geometry; the feature is kept, listed, not drawn.
    assert_eq!(import.skipped_total, 0);
    assert_eq!(layer.unlocated.len(), 1);
    assert_eq!(layer.unlocated[0].index, 7);
    assert_eq!(import.loaded_count(), 8);
    assert!(
        import.is_clean(),
        "the CRS84 crs and the bbox are fine: {:?}",
        import.warnings
    );

    let kinds: Vec<&str> = layer
        .features
        .iter()
        .map(|feature| match &feature.geometry {
            Geometry::Point(_) => "Point",
            Geometry::LineString(_) => "LineString",
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::GeometryCollection(_) => "GeometryCollection",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Point",
            "LineString",
            "Polygon",
            "MultiPolygon",
            "MultiLineString",
            "MultiPoint",
            "GeometryCollection"
        ]
    );
    let crossing = &layer.features[0];
    assert_eq!(crossing.id.as_deref(), Some("crossing-1"));
    assert_eq!(crossing.label(), "Border crossing (made-up point)");
    assert_eq!(
        crossing.geometry,
        Geometry::Point(geo::point!(x: 62.325, y: 26.243)),
        "height dropped"
    );
    let Geometry::Polygon(polygon) = &layer.features[2].geometry else {
        panic!("not a polygon");
    };
    assert_eq!(polygon.interiors().len(), 1, "the hole is kept");
    assert!(layer.features[2].properties.is_empty(), "null properties");
    assert_eq!(layer.features[2].label(), "3");
    let lines = layer.features[3].property_lines();
    assert!(lines.contains(&("population".to_owned(), "null".to_owned())));

    let click = |lon, lat, tolerance| {
        layer
            .feature_at(LonLat { lon, lat }, tolerance)
            .map(|feature| feature.index)
    };
    assert_eq!(
        click(62.325, 26.243, 0.02),
        Some(0),
        "the crossing, over the border line"
    );
    assert_eq!(click(64.6, 26.6, 0.01), Some(2), "inside the polygon");
    assert_eq!(click(64.15, 26.95, 0.03), None, "in the polygon's hole");
    assert_eq!(
        click(66.9, 30.1, 0.01),
        Some(3),
        "the second part of the multipolygon"
    );

    let bounds = layer.bounds().unwrap();
    assert_eq!((bounds.min.lon, bounds.min.lat), (60.7, 25.2));
    assert_eq!((bounds.max.lon, bounds.max.lat), (67.2, 30.4));
}

#[test]
fn detection_reads_content_not_the_extension() {
    let acled = std::fs::read(fixture("acled_current.csv")).unwrap();
    let import = import_bytes("looks-like.geojson", &acled).unwrap();
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: false });
    let import = import_bytes("events.csv", BUNDLED_CASE_GEOJSON.as_bytes()).unwrap();
    assert_eq!(import.format, DetectedFormat::StrikemapEvents);
    assert_eq!(
        import.events().unwrap(),
        bundled::bundled_events().unwrap().events.as_slice()
    );
    let overlay = std::fs::read(fixture("overlay_mixed.geojson")).unwrap();
    let import = import_bytes("no-extension", &overlay).unwrap();
    assert_eq!(import.format, DetectedFormat::GeoJsonOverlay);
}

#[test]
fn imported_events_export_and_read_back_equal_but_for_the_raw_row() {
    for name in ["acled_current.csv", "acled_legacy.csv", "ucdp_ged.csv"] {
        let import = load(name);
        let events = import.events().unwrap();
        let text = events_to_geojson(Some(name), events);
        let again = parse_events("export.geojson", &text).unwrap_or_else(|e| panic!("{e}"));
        let mut expected = events.to_vec();
        for event in &mut expected {
            event.properties.raw.clear();
        }
        assert_eq!(again.events, expected, "{name}");
        assert_eq!(again.title.as_deref(), Some(name));
        let csv = events_to_csv(events);
        let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
        assert_eq!(rows, events.len(), "{name}");
    }
}

#[test]
fn validate_reports_each_file_and_exits_by_the_worst() {
    let whole = [fixture("acled_current.csv"), fixture("ucdp_ged.csv")];
    let report = validate_paths(&whole);
    assert_eq!(report.exit_code, 0, "{:?}", report.lines);
    assert!(report.lines[0].ends_with("acled_current.csv: ACLED CSV: 4 events loaded"));
    assert_eq!(
        report.lines.last().unwrap(),
        "2 files: 2 loaded whole, 0 with skipped rows or features, 0 rejected"
    );

    let with_unlocated = [fixture("overlay_mixed.geojson")];
    let report = validate_paths(&with_unlocated);
    assert_eq!(report.exit_code, 0, "{:?}", report.lines);
    assert!(
        report.lines[0].ends_with(
            "overlay_mixed.geojson: GeoJSON overlay: 8 features loaded, 1 without a location"
        ),
        "{:?}",
        report.lines
    );

    let with_skips = [
        fixture("acled_current.csv"),
        fixture("malformed/overlay_short_ring.geojson"),
    ];
    let report = validate_paths(&with_skips);
    assert_eq!(report.exit_code, 2, "{:?}", report.lines);
    assert!(report.lines.iter().any(|line| line
        == "  skipped feature 1, field geometry.coordinates[0]: has 3 positions, at least 4 are needed"));

    let with_rejected = [
        fixture("overlay_mixed.geojson"),
        fixture("malformed/acled_semicolons.csv"),
    ];
    let report = validate_paths(&with_rejected);
    assert_eq!(report.exit_code, 1, "{:?}", report.lines);
    assert!(
        report
            .lines
            .iter()
            .any(|line| line.starts_with("rejected: ")
                && line.contains("acled_semicolons.csv: line 1: the delimiter looks like ';'"))
    );
}

#[test]
fn summaries_list_at_most_twenty_skips_and_count_the_rest() {
    let mut text = String::from(
        "event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities\n\
         PAK0,2024-01-16,Battles,Pakistan,26.9,64.1,1,0\n",
    );
    for row in 1..=45 {
        text.push_str(&format!(
            "PAK{row},2024-01-16,Battles,Pakistan,126.9,64.1,1,0\n"
        ));
    }
    let import = import_bytes("many.csv", text.as_bytes()).unwrap();
    assert_eq!(import.skipped_total, 45);
    assert_eq!(import.skipped.len(), 20);
    let lines = summarize(&import);
    assert_eq!(
        lines[0],
        "many.csv: ACLED CSV: 1 event loaded, 45 rows skipped"
    );
    assert_eq!(
        lines[1],
        "  skipped line 3, column latitude: 126.9 is outside -90..90"
    );
    assert_eq!(lines.last().unwrap(), "  … and 25 more rows, not listed");
}

#[test]
fn files_too_big_for_memory_and_folders_are_refused_before_reading() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    // Sparse files: their blocks are not written. 1 TiB is more than any test machine's memory.
    let sparse = |name: &str, start: &str, len: u64| {
        let path = dir.join(name);
        std::fs::write(&path, start).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len)
            .unwrap();
        path
    };
    let not_enough = "cannot read the file: not enough memory to load it: the file has \
                      1,099,511,627,776 bytes (1.0 TiB); loading it needs about ";
    // A GeoJSON of polygons cannot be streamed as a point table, so it is read whole: about six
    // times its size, refused before reading.
    let polygons = sparse(
        "huge-polygons.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\
         \"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}",
        1 << 40,
    );
    let error = import_file(&polygons).unwrap_err().to_string();
    std::fs::remove_file(&polygons).unwrap();
    assert!(error.contains(not_enough), "{error}");
    assert!(
        error.contains("loading it needs about 6.0 TiB (estimated) and "),
        "{error}"
    );
    assert!(
        error.ends_with("Close other programs, or load a smaller extract"),
        "{error}"
    );

    // A CSV export streams as a table: it needs memory by its rows, counted in its first
    // 64 KiB. Short rows over 1 TiB are far too many.
    let mut rows = String::from("event_id_cnty,event_date,latitude,longitude,geo_precision\n");
    for row in 0..5_000 {
        rows.push_str(&format!("P{row},2024-01-16,1,2,1\n"));
    }
    let many_rows = sparse("huge-rows.csv", &rows, 1 << 40);
    let error = import_file(&many_rows).unwrap_err().to_string();
    std::fs::remove_file(&many_rows).unwrap();
    assert!(error.contains(not_enough), "{error}");

    // Large files that stream and fit (point GeoJSON, CSV exports) have no size limit; this
    // one (2 GiB without a row end in its first 64 KiB) is refused by its content, from its
    // first bytes.
    let zeros = sparse("huge.csv", "", 2 << 30);
    let error = import_file(&zeros).unwrap_err().to_string();
    std::fs::remove_file(&zeros).unwrap();
    assert!(error.contains("not a recognised format"), "{error}");

    let error = import_file(dir).unwrap_err().to_string();
    assert!(
        error.ends_with("cannot read the file: it is a folder, not a file"),
        "{error}"
    );
}

#[test]
fn an_events_file_with_one_bad_feature_loads_the_others() {
    let text = BUNDLED_CASE_GEOJSON.replacen(
        "\"coordinates\": [62.333, 27.371]",
        "\"coordinates\": [262.333, 27.371]",
        1,
    );
    let import =
        strikemap_core::import::import_text("strikes.geojson", &text).expect("partly loads");
    assert_eq!(import.loaded_count(), 1);
    assert_eq!(import.skipped_total, 1);
    let skipped = import.skipped[0].to_string();
    assert!(
        skipped.starts_with("feature 1: geometry: longitude 262.333 is outside -180..180"),
        "{skipped}"
    );

    let negative = BUNDLED_CASE_GEOJSON.replacen(
        "\"killed\": { \"count\": 2, \"at_least\": true",
        "\"killed\": { \"count\": -2, \"at_least\": true",
        1,
    );
    let import =
        strikemap_core::import::import_text("strikes.geojson", &negative).expect("partly loads");
    assert_eq!(import.loaded_count(), 1);
    let skipped = import.skipped[0].to_string();
    assert!(
        skipped.starts_with("feature 0: properties.casualty_claims[0].killed.count:"),
        "{skipped}"
    );

    // The strict loader still rejects the file whole, with line and column.
    assert!(parse_events("strikes.geojson", &negative).is_err());
}

/// Metres between two WGS 84 positions (haversine on the mean radius; ample at 10 m).
fn metres_between(a: LonLat, b: LonLat) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

const PANJGUR: LonLat = LonLat {
    lon: 64.101,
    lat: 26.968,
};

// The UTM 41N coordinates in these two fixtures were computed with pyproj 3.7.2 (PROJ 9.5.1),
// Transformer.from_crs("EPSG:4326", "EPSG:32641", always_xy=True), independently of proj4rs.
#[test]
fn a_2008_spec_utm_overlay_reprojects_to_the_town_within_10_m() {
    let import = load("geojson_2008_utm41n.geojson");
    assert_eq!(import.format, DetectedFormat::GeoJsonOverlay);
    assert!(import.is_whole(), "{:?}", import.skipped);
    assert_eq!(import.warnings.len(), 1, "{:?}", import.warnings);
    assert_eq!(
        import.warnings[0].to_string(),
        "crs: coordinates were reprojected from EPSG:32641 to WGS 84 longitude, latitude (a crs \
         member of the 2008 GeoJSON spec; RFC 7946 removed it and requires WGS 84)"
    );
    let layer = import.overlay().unwrap();
    let Geometry::Point(panjgur) = layer.features[0].geometry else {
        panic!("{:?}", layer.features[0].geometry)
    };
    let got = LonLat {
        lon: panjgur.x(),
        lat: panjgur.y(),
    };
    assert!(metres_between(got, PANJGUR) < 10.0, "{got:?}");
    let bounds = layer.bounds().unwrap();
    assert!(bounds.min.lon > 62.0 && bounds.max.lon < 64.5, "{bounds:?}");
    let report = validate_paths(&[fixture("geojson_2008_utm41n.geojson")]);
    assert_eq!(
        report.exit_code, 2,
        "loaded with a warning: {:?}",
        report.lines
    );
}

#[test]
fn a_2008_spec_utm_events_file_reprojects_each_event() {
    let import = load("events_2008_utm41n.geojson");
    assert_eq!(import.format, DetectedFormat::StrikemapEvents);
    assert!(import.is_whole(), "{:?}", import.skipped);
    assert_eq!(import.warnings[0].place, "crs");
    let bundled = parse_events("strikes.geojson", BUNDLED_CASE_GEOJSON).unwrap();
    for event in import.events().unwrap() {
        let original = bundled
            .events
            .iter()
            .find(|e| e.id() == event.id())
            .unwrap();
        let metres = metres_between(event.position, original.position);
        assert!(metres < 10.0, "{}: {metres} m", event.id());
    }
    assert!(metres_between(event(&import, "E1").position, PANJGUR) < 10.0);
    // The same through the events API the app uses for its own files.
    let text = std::fs::read_to_string(fixture("events_2008_utm41n.geojson")).unwrap();
    assert_eq!(parse_events("e.geojson", &text).unwrap().events.len(), 2);
}

#[test]
fn an_unwrapped_pacific_overlay_is_normalised_and_cut_at_the_antimeridian() {
    let import = load("overlay_pacific_unwrapped.geojson");
    assert!(import.is_whole(), "{:?}", import.skipped);
    let layer = import.overlay().unwrap();
    assert_eq!(layer.features.len(), 3);
    use geo::{Area as _, BoundingRect as _, CoordsIter as _};
    for feature in &layer.features {
        assert!(
            feature
                .geometry
                .coords_iter()
                .all(|c| (-180.0..=180.0).contains(&c.x)),
            "{}",
            feature.label()
        );
    }
    let Geometry::MultiPolygon(fiji) = &layer.features[0].geometry else {
        panic!("{:?}", layer.features[0].geometry)
    };
    assert_eq!(fiji.0.len(), 2);
    // 6° × 4° in all, 4° × 4° east of the antimeridian and 2° × 4° west of it.
    assert!((fiji.unsigned_area() - 24.0).abs() < 1e-9);
    let mut spans: Vec<(f64, f64)> = fiji
        .0
        .iter()
        .map(|piece| {
            let rect = piece.bounding_rect().unwrap();
            (rect.min().x, rect.max().x)
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(spans, [(-180.0, -178.0), (176.0, 180.0)]);
    let Geometry::MultiLineString(cable) = &layer.features[1].geometry else {
        panic!()
    };
    assert_eq!(cable.0.len(), 2);
    assert_eq!(cable.0[1].0.last().unwrap().x, -172.0);
    assert_eq!(
        layer.features[2].geometry,
        Geometry::Point(geo::point!(x: 178.44, y: -18.14))
    );
    let places: Vec<String> = import.warnings.iter().map(|w| w.place.clone()).collect();
    assert_eq!(
        places,
        ["feature 0, field geometry", "feature 1, field geometry"]
    );
    assert_eq!(
        import.warnings[0].message,
        "RFC 7946 §3.1.9: longitudes run past ±180 (176..182, unwrapped across the antimeridian); \
         normalised into -180..180 and cut at the antimeridian"
    );
}

#[test]
fn null_geometry_features_load_unlocated_and_are_counted() {
    let import = load("overlay_only_null_geometries.geojson");
    assert!(import.is_clean());
    let layer = import.overlay().unwrap();
    assert!(layer.features.is_empty());
    assert_eq!(layer.unlocated.len(), 2);
    assert_eq!(layer.bounds(), None, "nothing to frame");
    assert_eq!(import.loaded_count(), 2);
    let report = validate_paths(&[fixture("overlay_only_null_geometries.geojson")]);
    assert_eq!(report.exit_code, 0, "{:?}", report.lines);
    assert!(
        report.lines[0].ends_with("GeoJSON overlay: 2 features loaded, 2 without a location"),
        "{:?}",
        report.lines
    );
}

#[test]
fn tolerated_rfc_7946_breaks_load_with_a_warning_naming_feature_and_rule() {
    let import = load("overlay_tolerated.geojson");
    assert!(import.is_whole(), "{:?}", import.skipped);
    let warnings: Vec<String> = import.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "feature 0, field geometry.coordinates[0]: RFC 7946 §3.1.6: the ring is not closed \
             (its last position is not its first); closed it",
            "feature 1, field bbox: RFC 7946 §5: bbox has 3 numbers, expected 4 or 6 (two \
             corners); ignored it",
            "feature 2, field geometry.coordinates: RFC 7946 §3.1.1: the position's member [3] \
             is a string, not a number; ignored it",
            "feature 3, field id: RFC 7946 §3.2: the id is a boolean, expected a string or a \
             number; kept it as the text \"true\"",
        ]
    );
    let layer = import.overlay().unwrap();
    let Geometry::Polygon(compound) = &layer.features[0].geometry else {
        panic!()
    };
    assert_eq!(compound.exterior().0.len(), 5, "closed");
    assert_eq!(layer.features[3].id.as_deref(), Some("true"));
    assert_eq!(
        layer.features[2].geometry,
        Geometry::Point(geo::point!(x: 63.05, y: 26.0))
    );
    let report = validate_paths(&[fixture("overlay_tolerated.geojson")]);
    assert_eq!(report.exit_code, 2, "{:?}", report.lines);
    assert!(report.lines[0].ends_with("4 features loaded, loaded with 4 warnings"));
    assert_eq!(
        report.lines.last().unwrap(),
        "1 file: 0 loaded whole, 0 with skipped rows or features, 1 loaded with warnings, 0 rejected"
    );
}

#[test]
fn acled_version_5_and_shapefile_column_names() {
    let import = load("acled_v5_2015_upper.csv");
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: true });
    assert!(import.is_whole(), "{:?}", import.skipped);
    assert_eq!(import.loaded_count(), 3);
    let maiduguri = event(&import, "NIG5001");
    assert_eq!(maiduguri.properties.date, "2015-01-18");
    assert_eq!(maiduguri.properties.location.geo_precision, 1);
    assert_eq!(
        maiduguri.properties.raw[21].0, "GEO_PRECIS",
        "raw keeps names as written"
    );
    assert_eq!(
        event(&import, "NIG5002").properties.location.geo_precision,
        2
    );
    assert_eq!(event(&import, "SOM5003").properties.date, "2015-03-03");

    let import = load("acled_shapefile_names.csv");
    assert_eq!(import.format, DetectedFormat::AcledCsv { legacy: true });
    assert!(import.is_whole(), "{:?}", import.skipped);
    let quetta = event(&import, "PAK6001");
    assert_eq!(quetta.properties.time_precision, Some(1));
    assert_eq!(
        quetta.properties.sub_event_type.as_deref(),
        Some("Suicide bomb")
    );
    assert!(
        quetta.properties.sources[0]
            .note
            .as_deref()
            .unwrap()
            .contains("source scale: National")
    );
}

/// ACLED's version 5–7 exports wrote dates day/month/year: a file of that column set whose
/// only date is ambiguous reads it day first, with one warning saying so and why; with a
/// column set that does not tell, the date is still refused (issue #24).
#[test]
fn old_acled_dates_are_read_day_first_when_the_columns_tell() {
    let old_header = "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,\
                      EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,\
                      INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,\
                      GEO_PRECISION,SOURCE,NOTES,FATALITIES";
    let row = |id: &str, date: &str| {
        format!(
            "475,{id},1,{date},1997,1,Riots/Protests,Protesters (Nigeria),,6,,,0,60,Nigeria,\
             Lagos,Lagos,,Lagos,6.4531,3.3958,1,Made-up source,Made-up row.,0"
        )
    };
    let text = format!("{old_header}\n{}\n", row("NIG1", "02/01/1997"));
    let import = import_bytes("acled_1997.csv", text.as_bytes()).unwrap();
    assert!(import.skipped.is_empty(), "{:?}", import.skipped);
    assert_eq!(event(&import, "NIG1").properties.date, "1997-01-02");
    assert_eq!(import.warnings.len(), 1, "{:?}", import.warnings);
    let warning = import.warnings[0].to_string();
    for said in [
        "line 2",
        "EVENT_DATE",
        "day first",
        "02/01/1997",
        "version 5–7",
    ] {
        assert!(warning.contains(said), "{said:?} not in {warning}");
    }

    // Two ambiguous rows and one that reads one way only: still one warning.
    let text = format!(
        "{old_header}\n{}\n{}\n{}\n",
        row("NIG1", "25/01/1997"),
        row("NIG2", "03/04/1997"),
        row("NIG3", "05/06/1997")
    );
    let import = import_bytes("acled_1997.csv", text.as_bytes()).unwrap();
    assert_eq!(event(&import, "NIG2").properties.date, "1997-04-03");
    assert_eq!(event(&import, "NIG3").properties.date, "1997-06-05");
    assert_eq!(import.warnings.len(), 1, "{:?}", import.warnings);
    assert!(import.warnings[0].to_string().contains("line 3"));

    // Unambiguous dates only: nothing to say.
    let text = format!("{old_header}\n{}\n", row("NIG1", "25/01/1997"));
    assert!(
        import_bytes("a.csv", text.as_bytes())
            .unwrap()
            .warnings
            .is_empty()
    );

    // With SUB_EVENT_TYPE the columns do not tell: the ambiguous date is refused.
    let newer = old_header.replace("EVENT_TYPE,ACTOR1", "EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1");
    let text = format!(
        "{newer}\n{}\n",
        row("NIG1", "02/01/1997").replace("Riots/Protests,", "Riots/Protests,Protest,")
    );
    let refused = match import_bytes("a.csv", text.as_bytes()) {
        Ok(import) => import
            .skipped
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        Err(error) => error.to_string(),
    };
    assert!(refused.contains("ambiguous"), "{refused}");
}

#[test]
fn ucdp_ged_2_0_columns_with_estimates() {
    let import = load("ucdp_ged_v2_2014.csv");
    assert_eq!(import.format, DetectedFormat::UcdpGedCsv);
    assert!(import.is_whole(), "{:?}", import.skipped);
    let mingora = event(&import, "98001");
    let killed = mingora.headline_claim().unwrap().killed.clone().unwrap();
    assert_eq!(
        (killed.count, killed.low, killed.high),
        (9, Some(7), Some(12))
    );
    assert_eq!(
        mingora.properties.event_type.as_deref(),
        Some("State-based conflict")
    );
    assert_eq!(mingora.properties.location.where_prec, Some(2));
    let peshawar = event(&import, "98002");
    assert_eq!(peshawar.properties.date_end.as_deref(), Some("2009-06-13"));
    assert_eq!(peshawar.properties.actor1.as_deref(), Some("TTP"));
}

#[test]
fn validate_exits_0_for_every_era_and_1_for_what_is_not_data() {
    let eras = [
        fixture("acled_v5_2015_upper.csv"),
        fixture("acled_shapefile_names.csv"),
        fixture("ucdp_ged_v2_2014.csv"),
    ];
    let report = validate_paths(&eras);
    assert_eq!(report.exit_code, 0, "{:?}", report.lines);
    for not_data in [
        "malformed/ged241.csv",
        "malformed/acled_html_error_page.csv",
        "malformed/acled_headerless.csv",
    ] {
        let report = validate_paths(&[fixture(not_data)]);
        assert_eq!(report.exit_code, 1, "{:?}", report.lines);
    }
}
