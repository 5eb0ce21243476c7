//! KML, KMZ and GPX fixtures load as overlay layers with their folders, properties and styles;
//! see `fixtures/README.md`.

// Test helpers may unwrap: a panic here is a failed test, not a crash on input.
#![allow(clippy::unwrap_used)]

mod common;

use common::{fixture, load};

use geo::Geometry;
use strikemap_core::import::{DetectedFormat, Import, OverlayFeature, import_bytes};

fn feature<'i>(import: &'i Import, name: &str) -> &'i OverlayFeature {
    import
        .overlay()
        .unwrap()
        .features
        .iter()
        .find(|feature| feature.properties.get("name").and_then(|v| v.as_str()) == Some(name))
        .unwrap_or_else(|| panic!("no feature {name}"))
}

fn text<'f>(feature: &'f OverlayFeature, key: &str) -> &'f str {
    feature.properties[key].as_str().unwrap()
}

/// The Google Earth style fixture: folders, ExtendedData, shared styles and a StyleMap, a nested
/// MultiGeometry, a polygon with a hole, a gx:Track; its GroundOverlay is skipped with a word.
fn check_briefing(import: &Import) {
    let layer = import.overlay().unwrap();
    assert_eq!(layer.name, "Border briefing.kml");
    assert_eq!(layer.features.len(), 5);
    assert_eq!(import.skipped_total, 1);
    assert_eq!(
        import.skipped[0].to_string(),
        "GroundOverlay (\"Scanned map\") at line 135, column 3: an image laid on the ground; \
         only placemarks are drawn"
    );
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);

    let panjgur = feature(import, "Panjgur & Sabz Koh");
    assert_eq!(panjgur.id.as_deref(), Some("pm-panjgur"));
    assert_eq!(
        panjgur.geometry,
        Geometry::Point(geo::Point::new(64.101, 26.968))
    );
    assert_eq!(text(panjgur, "folder"), "Balochistan / Panjgur");
    assert_eq!(text(panjgur, "time"), "2024-01-18");
    assert_eq!(text(panjgur, "source"), "Dawn, 18 Jan 2024");
    assert_eq!(
        text(panjgur, "data: name"),
        "shadowed by the placemark name"
    );
    assert!(text(panjgur, "description").starts_with("<b>Town</b> near the border"));
    assert_eq!(
        text(panjgur, "marker-color"),
        "#ff0000",
        "StyleMap normal → shared Style"
    );
    assert_eq!(panjgur.label(), "Panjgur & Sabz Koh");

    let checkpoints = feature(import, "Checkpoints");
    assert_eq!(text(checkpoints, "site_type"), "checkpoint");
    assert_eq!(text(checkpoints, "capacity"), "12");
    let Geometry::GeometryCollection(outer) = &checkpoints.geometry else {
        panic!("{:?}", checkpoints.geometry)
    };
    let Geometry::GeometryCollection(inner) = &outer.0[1] else {
        panic!("{:?}", outer.0[1])
    };
    assert_eq!(inner.0[0], Geometry::Point(geo::Point::new(64.15, 26.99)));
    assert!(matches!(inner.0[1], Geometry::LineString(_)));

    let zone = feature(import, "Border zone");
    assert_eq!(text(zone, "folder"), "Balochistan");
    let Geometry::Polygon(polygon) = &zone.geometry else {
        panic!("{:?}", zone.geometry)
    };
    assert_eq!(polygon.interiors().len(), 1);
    assert_eq!(
        (text(zone, "stroke"), text(zone, "fill")),
        ("#ffaa00", "#ffaa00")
    );
    assert_eq!(zone.properties["fill-opacity"], 0.5);
    // A click in the hole is not in the zone; one on the rim is.
    let hole = strikemap_core::model::LonLat {
        lon: 63.75,
        lat: 26.75,
    };
    assert!(layer.feature_at(hole, 0.01).is_none());

    let track = feature(import, "Patrol track");
    let Geometry::LineString(line) = &track.geometry else {
        panic!("{:?}", track.geometry)
    };
    assert_eq!(line.0.len(), 3);
    assert_eq!(track.properties["when"].as_array().unwrap().len(), 3);
    assert_eq!(text(track, "stroke"), "#0000ff");

    let ring = feature(import, "Saravan ring road");
    assert!(matches!(ring.geometry, Geometry::LineString(_)));
}

#[test]
fn kml_with_folders_extended_data_styles_and_a_track() {
    let import = load("kml_briefing.kml");
    assert_eq!(import.format, DetectedFormat::Kml);
    check_briefing(&import);
}

#[test]
fn kmz_is_told_by_its_zip_signature_whatever_its_name() {
    let import = load("kmz_briefing.kmz");
    assert_eq!(import.format, DetectedFormat::Kmz);
    check_briefing(&import);
    let bytes = std::fs::read(fixture("kmz_briefing.kmz")).unwrap();
    let renamed = import_bytes("attachment.dat", &bytes).unwrap();
    assert_eq!(renamed.format, DetectedFormat::Kmz);
    assert_eq!(renamed.loaded_count(), 5);
    // KML saved under a .kmz name is read as the KML it is.
    let kml = std::fs::read(fixture("kml_briefing.kml")).unwrap();
    assert_eq!(
        import_bytes("misnamed.kmz", &kml).unwrap().format,
        DetectedFormat::Kml
    );
}

#[test]
fn kmz_written_by_the_zip_crate_with_the_kml_not_named_doc() {
    use std::io::Write as _;
    let kml = std::fs::read(fixture("kml_briefing.kml")).unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("images/readme.kml.txt", options).unwrap();
    writer.write_all(b"not this").unwrap();
    writer.start_file("Briefing.KML", options).unwrap();
    writer.write_all(&kml).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let import = import_bytes("b.kmz", &bytes).unwrap();
    check_briefing(&import);

    // A KML problem inside names the archive and the entry.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.start_file("doc.kml", options).unwrap();
    writer.write_all(b"<kml><Document><name>x</name>").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let error = import_bytes("cut.kmz", &bytes).unwrap_err().to_string();
    assert_eq!(
        error,
        "cut.kmz: doc.kml: line 1, column 30: not valid XML: the file ends inside <Document> \
         (opened at line 1, column 6); is it cut short?"
    );
    // A zip cut short is refused, not half read.
    let error = import_bytes("short.kmz", &bytes[..bytes.len() / 2])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("short.kmz: not a readable zip archive"),
        "{error}"
    );
}

/// The KML of a KMZ is parsed as it inflates: its skips and errors are placed exactly as the
/// same document's read as a plain .kml.
#[test]
fn a_deflated_kmz_places_skips_and_errors_as_its_plain_kml() {
    use std::io::Write as _;
    let kmz_of = |kml: &[u8]| {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("doc.kml", options).unwrap();
        writer.write_all(kml).unwrap();
        writer.finish().unwrap().into_inner()
    };
    let mut kml = String::from("\u{feff}<kml><Document><name>Été</name>\n");
    for index in 0..3_000 {
        let geometry = if index % 1_000 == 999 {
            String::new()
        } else {
            format!(
                "<Point><coordinates>{},27</coordinates></Point>",
                60 + index % 9
            )
        };
        kml.push_str(&format!(
            "  <Placemark><name>naïve {index}</name>{geometry}</Placemark>\n"
        ));
    }
    kml.push_str("</Document></kml>\n");
    let plain = import_bytes("p.kml", kml.as_bytes()).unwrap();
    let zipped = import_bytes("p.kmz", &kmz_of(kml.as_bytes())).unwrap();
    assert_eq!(zipped.skipped_total, 3);
    assert_eq!(zipped.skipped, plain.skipped);
    assert!(
        zipped.skipped[0]
            .reason
            .starts_with("line 1001, column 3: has no geometry"),
        "{}",
        zipped.skipped[0]
    );
    assert_eq!(zipped.content, plain.content);

    // A Latin-1 byte deep in the document: the same place and byte as the plain file's.
    let mut latin1 = kml.into_bytes();
    let at = latin1.len() - 200;
    latin1[at] = 0xE9;
    let plain = import_bytes("p.kml", &latin1).unwrap_err().to_string();
    let zipped = import_bytes("p.kmz", &kmz_of(&latin1))
        .unwrap_err()
        .to_string();
    let (_, plain_place) = plain.split_once("line ").unwrap();
    assert_eq!(zipped, format!("p.kmz: doc.kml: line {plain_place}"));
    assert!(zipped.contains("not UTF-8 text (byte 0xE9"), "{zipped}");
}

#[test]
fn gpx_1_0_waypoints_and_track() {
    let import = load("gpx10.gpx");
    assert_eq!(import.format, DetectedFormat::Gpx);
    assert!(import.is_clean());
    let layer = import.overlay().unwrap();
    assert_eq!(layer.name, "Panjgur waypoints");
    let panjgur = feature(&import, "PANJGR");
    assert_eq!(
        panjgur.geometry,
        Geometry::Point(geo::Point::new(64.101, 26.968))
    );
    assert_eq!(panjgur.properties["ele"], 981.0);
    assert_eq!(text(panjgur, "time"), "2024-01-18T10:00:00Z");
    assert_eq!(text(panjgur, "desc"), "Panjgur town");
    assert_eq!(text(panjgur, "link"), "http://example.invalid/panjgur");
    let track = feature(&import, "ACTIVE LOG");
    assert_eq!(text(track, "kind"), "track");
    assert_eq!(text(track, "time_start"), "2024-01-18T09:00:00Z");
    assert!(matches!(track.geometry, Geometry::LineString(_)));
    let indices: Vec<usize> = layer.features.iter().map(|f| f.index).collect();
    assert_eq!(indices, [0, 1, 2]);
}

#[test]
fn gpx_1_1_with_a_byte_order_mark() {
    let bytes = std::fs::read(fixture("gpx11_bom.gpx")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let import = load("gpx11_bom.gpx");
    assert_eq!(import.format, DetectedFormat::Gpx);
    assert!(import.is_clean());
    assert_eq!(import.overlay().unwrap().name, "Saravan survey");
    let kinds: Vec<&str> = import
        .overlay()
        .unwrap()
        .features
        .iter()
        .map(|f| text(f, "kind"))
        .collect();
    assert_eq!(kinds, ["waypoint", "waypoint", "route", "track"]);
    let route = feature(&import, "To the crossing");
    let Geometry::LineString(line) = &route.geometry else {
        panic!()
    };
    assert_eq!(line.0.len(), 3);
    let track = feature(&import, "27-JAN-24 08:00");
    let Geometry::MultiLineString(segments) = &track.geometry else {
        panic!("{:?}", track.geometry)
    };
    assert_eq!(segments.0.len(), 2);
    assert_eq!(track.properties["points"], 4);
    assert_eq!(text(track, "time_end"), "2024-01-27T08:31:09Z");
    assert_eq!(feature(&import, "SARAVAN").properties["ele"], 1162.4);
}

#[test]
fn validate_exits_0_for_clean_gpx_and_2_for_kml_with_a_skipped_overlay() {
    use strikemap_core::validate::validate_paths;
    let clean = validate_paths(&[fixture("gpx10.gpx"), fixture("gpx11_bom.gpx")]);
    let skipped = validate_paths(&[fixture("kml_briefing.kml")]);
    let failed = validate_paths(&[fixture("malformed/kml_truncated.kml")]);
    assert_eq!(
        (clean.exit_code, skipped.exit_code, failed.exit_code),
        (0, 2, 1)
    );
}

/// Text as the export escapes it inside the description's HTML.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The bundled case exported as KML reads back through the ordinary import with the same
/// positions, names and claims; as KMZ too.
#[test]
fn kml_export_of_the_bundled_case_reads_back() {
    use strikemap_core::export::kml::{events_to_kml, events_to_kmz};
    let case = strikemap_core::formats::bundled::bundled_events().unwrap();
    let kml = events_to_kml(case.title.as_deref(), &case.events);
    let kmz = events_to_kmz(case.title.as_deref(), &case.events).unwrap();
    for (name, bytes, format) in [
        ("case.kml", kml.as_bytes(), DetectedFormat::Kml),
        ("case.kmz", kmz.as_slice(), DetectedFormat::Kmz),
    ] {
        let import = import_bytes(name, bytes).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(import.format, format);
        assert!(
            import.is_clean(),
            "{:?} {:?}",
            import.skipped,
            import.warnings
        );
        let layer = import.overlay().unwrap();
        assert_eq!(Some(layer.name.as_str()), case.title.as_deref());
        assert_eq!(layer.features.len(), case.events.len());
        for (event, feature) in case.events.iter().zip(&layer.features) {
            let Geometry::Point(point) = feature.geometry else {
                panic!("{:?}", feature.geometry)
            };
            assert!(
                (point.x() - event.position.lon).abs() < 1e-6,
                "{}",
                event.id()
            );
            assert!(
                (point.y() - event.position.lat).abs() < 1e-6,
                "{}",
                event.id()
            );
            assert_eq!(text(feature, "name"), event.title());
            assert_eq!(feature.id.as_deref(), Some(event.id()));
            assert_eq!(text(feature, "id"), event.id());
            assert_eq!(text(feature, "time"), event.properties.date);
            let description = text(feature, "description");
            assert!(description.contains(&escaped(&event.properties.place_as_reported)));
            assert!(
                description.contains(&event.properties.location.in_words()),
                "{description}"
            );
            for claim in &event.properties.casualty_claims {
                assert!(
                    description.contains(&escaped(&claim.claimant)),
                    "{description}"
                );
                if let Some(killed) = &claim.killed {
                    let figure = if killed.at_least {
                        format!("at least {}", killed.count)
                    } else {
                        killed.count.to_string()
                    };
                    assert!(description.contains(&figure), "{figure} in {description}");
                }
            }
            for source in &event.properties.sources {
                assert!(
                    description.contains(&format!("[{}] ", source.key)),
                    "{description}"
                );
                if let Some(url) = &source.url {
                    assert!(description.contains(url.as_str()), "{url}");
                }
            }
            let claims: Vec<String> = event
                .properties
                .casualty_claims
                .iter()
                .map(|claim| claim.headline())
                .collect();
            assert_eq!(text(feature, "casualty_claims"), claims.join("; "));
            assert_eq!(
                feature.properties.get("attacker").and_then(|v| v.as_str()),
                event.attacker()
            );
            assert!(
                feature.properties["marker-color"]
                    .as_str()
                    .unwrap()
                    .starts_with('#')
            );
        }
    }
}
