//! Google Earth time (issue #22): the KML export read back with quick-xml's namespace-aware
//! reader gives every event a TimeStamp (a TimeSpan for a span of days) and a `gx:Tour` in
//! Google's namespace with a FlyTo and a Wait per story step; the app's own import still reads
//! the file clean.

#![allow(clippy::unwrap_used)]

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use std::collections::HashMap;
use strikemap_core::export::kml::{write_kml_with_colours, write_kmz_with_colours};
use strikemap_core::export::kml_tour::{GX_NAMESPACE, Tour, TourStep};
use strikemap_core::model::{LonLat, StrikeEvent};

const KML_NAMESPACE: &str = "http://www.opengis.net/kml/2.2";

/// Every text in the document with its path of elements, each written `kml:Name` or `gx:Name`
/// by the namespace it resolves to (anything else `?:Name`), and the id of the placemark it is
/// in.
fn texts(kml: &str) -> Vec<(String, Option<String>, String)> {
    let mut reader = NsReader::from_str(kml);
    let mut path: Vec<String> = Vec::new();
    let mut placemark: Option<String> = None;
    let mut found = Vec::new();
    loop {
        let (namespace, event) = reader.read_resolved_event().unwrap();
        let prefix = match namespace {
            ResolveResult::Bound(Namespace(ns)) if ns == KML_NAMESPACE.as_bytes() => "kml",
            ResolveResult::Bound(Namespace(ns)) if ns == GX_NAMESPACE.as_bytes() => "gx",
            _ => "?",
        };
        match event {
            Event::Start(start) => {
                let name = String::from_utf8(start.local_name().as_ref().to_vec()).unwrap();
                if name == "Placemark" {
                    placemark = start
                        .try_get_attribute("id")
                        .unwrap()
                        .map(|id| String::from_utf8(id.value.to_vec()).unwrap());
                }
                path.push(format!("{prefix}:{name}"));
            }
            Event::End(_) if path.pop().as_deref() == Some("kml:Placemark") => placemark = None,
            Event::Text(text) => {
                let text = text.decode().unwrap().trim().to_owned();
                if !text.is_empty() {
                    found.push((path.join("/"), placemark.clone(), text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

fn tour() -> Tour {
    let step = |name: &str, lon: f64, when: &str, wait_secs: f64| TourStep {
        name: name.into(),
        look_at: LonLat { lon, lat: 27.0 },
        range_m: 250_000.0,
        when: Some(when.into()),
        fly_secs: 3.0,
        wait_secs,
    };
    Tour {
        name: "The story".into(),
        steps: vec![
            step("Overview", 63.2, "2024-02-01", 4.0),
            step("E1", 64.1, "2024-01-16", 5.0),
            step("D1", 62.0, "2024-01-16", 6.5),
        ],
    }
}

fn events() -> Vec<StrikeEvent> {
    let mut events = strikemap_core::formats::bundled::bundled_events()
        .unwrap()
        .events;
    // A strike reported over two days has a span.
    let mut spanned = events[0].clone();
    spanned.properties.id = "E1-span".into();
    spanned.properties.date_end = Some("2024-01-17".into());
    events.push(spanned);
    events
}

fn colour(_: Option<&str>) -> [u8; 3] {
    [1, 2, 3]
}

#[test]
fn every_event_has_its_time_and_the_story_is_a_gx_tour() {
    let events = events();
    let tour = tour();
    let kml = write_kml_with_colours(Vec::new(), Some("T"), &events, &colour, Some(&tour)).unwrap();
    let kml = String::from_utf8(kml).unwrap();
    let found = texts(&kml);
    let in_placemark = |id: &str, path: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(at, placemark, _)| placemark.as_deref() == Some(id) && at.ends_with(path))
            .map(|(_, _, text)| text.clone())
            .collect()
    };
    for event in &events {
        let id = event.id();
        if id == "E1-span" {
            assert_eq!(in_placemark(id, "kml:TimeSpan/kml:begin"), ["2024-01-16"]);
            assert_eq!(in_placemark(id, "kml:TimeSpan/kml:end"), ["2024-01-17"]);
            assert!(in_placemark(id, "kml:TimeStamp/kml:when").is_empty());
        } else {
            assert_eq!(
                in_placemark(id, "kml:TimeStamp/kml:when"),
                [event.properties.date.as_str()],
                "{id}"
            );
        }
    }
    let in_tour = |path: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(at, _, _)| {
                at.starts_with("kml:kml/kml:Document/gx:Tour") && at.ends_with(path)
            })
            .map(|(_, _, text)| text.clone())
            .collect()
    };
    assert_eq!(in_tour("gx:Tour/kml:name"), ["The story"]);
    assert_eq!(
        in_tour("gx:FlyTo/kml:name"),
        ["Overview", "E1", "D1"],
        "a FlyTo per step, in order"
    );
    assert_eq!(
        in_tour("gx:FlyTo/kml:LookAt/gx:TimeStamp/kml:when"),
        ["2024-02-01", "2024-01-16", "2024-01-16"]
    );
    assert_eq!(in_tour("kml:LookAt/kml:longitude"), ["63.2", "64.1", "62"]);
    assert_eq!(in_tour("gx:FlyTo/gx:duration"), ["3", "3", "3"]);
    assert_eq!(in_tour("gx:Wait/gx:duration"), ["4", "5", "6.5"]);
    // Each FlyTo is followed by its Wait.
    let playlist: Vec<&str> = found
        .iter()
        .filter(|(at, _, _)| {
            at.ends_with("gx:FlyTo/kml:name") || at.ends_with("gx:Wait/gx:duration")
        })
        .map(|(at, _, _)| {
            if at.ends_with("kml:name") {
                "fly"
            } else {
                "wait"
            }
        })
        .collect();
    assert_eq!(playlist, ["fly", "wait", "fly", "wait", "fly", "wait"]);

    // The app's own reader still reads the file clean, tour and all; so does a KMZ.
    let import = strikemap_core::import::import_bytes("t.kml", kml.as_bytes()).unwrap();
    assert!(
        import.is_clean(),
        "{:?} {:?}",
        import.skipped,
        import.warnings
    );
    assert_eq!(import.overlay().unwrap().features.len(), events.len());
    let kmz = write_kmz_with_colours(
        std::io::Cursor::new(Vec::new()),
        Some("T"),
        &events,
        &colour,
        Some(&tour),
    )
    .unwrap()
    .into_inner();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(kmz)).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("doc.kml").unwrap(), &mut doc).unwrap();
    assert_eq!(doc, kml);
}

#[test]
fn without_a_tour_the_file_has_none_but_still_declares_gx() {
    let events = events();
    let kml = write_kml_with_colours(Vec::new(), None, &events, &colour, None).unwrap();
    let kml = String::from_utf8(kml).unwrap();
    assert!(kml.contains(&format!("xmlns:gx=\"{GX_NAMESPACE}\"")));
    let found = texts(&kml);
    let counts: HashMap<bool, usize> = found.iter().fold(HashMap::new(), |mut counts, (at, ..)| {
        *counts.entry(at.contains("gx:Tour")).or_default() += 1;
        counts
    });
    assert_eq!(counts.get(&true), None);
}
