//! Annotations: saved and read back whole, checked like facts, edited with exact inverses.

use super::*;
use crate::case::annotation::{Colour, Dash, Fill, Kind, Shape, ring_points};
use crate::case::edit::{Edit, History};
use crate::model::LonLat;

/// One annotation of each kind, styled, citing and stepped variously.
pub(crate) fn one_of_each(case: &Case) -> Vec<Annotation> {
    let at = |lon, lat| LonLat { lon, lat };
    let mut arrow = Annotation::new(
        "A1".into(),
        Kind::Arrow.shape(&[at(61.5, 27.8), at(64.1, 26.97)], &[]),
        "Launch area → impact",
    );
    arrow.shape = Shape::Arrow {
        points: vec![[61.5, 27.8], [64.101, 26.968]],
        curved: true,
    };
    arrow.style.colour = Colour::Vermillion;
    arrow.source_keys = vec![case.events[0].properties.sources[0].key.clone()];
    let callout = Annotation::new(
        "A2".into(),
        Kind::Callout.shape(&[at(64.2, 27.05)], &[]),
        "Village of Koh-i-Sabz, per local officials",
    );
    let mut rings = Annotation::new(
        "A3".into(),
        Kind::RangeRings.shape(&[at(61.0, 28.0)], &[300.0, 1000.0]),
        "Shahed-136 published ranges",
    );
    rings.style.dash = Dash::Dashed;
    rings.steps = vec![case.events[1].id().to_owned()];
    let mut area = Annotation::new(
        "A4".into(),
        Kind::Area.shape(&[at(62.0, 27.2), at(62.6, 27.2), at(62.6, 27.6)], &[]),
        "Area named in the statement",
    );
    area.shape = Shape::Area {
        points: vec![[62.0, 27.2], [62.6, 27.2], [62.6, 27.6]],
        fill: Fill::Hatch,
    };
    area.style.width = 1.5;
    let mut line = Annotation::new(
        "A5".into(),
        Kind::Line.shape(&[at(60.0, 27.0), at(61.0, 27.5), at(62.3, 27.37)], &[]),
        "",
    );
    line.style.dash = Dash::Dotted;
    line.style.colour = Colour::Blue;
    line.steps = vec![case.statements[0].id.clone()];
    vec![arrow, callout, rings, area, line]
}

#[test]
fn annotations_are_saved_in_the_case_file_and_read_back_whole() {
    let mut case = bundled();
    case.annotations = one_of_each(&case);
    let text = write_case(&case);
    assert!(text.contains("\"annotations\": ["), "{text}");
    assert!(text.contains("\"kind\": \"range_rings\""), "{text}");
    assert!(text.contains("\"radii_km\": [300.0, 1000.0]"), "{text}");
    let loaded = parse_case("a.geojson", &text).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.case, case);
    assert_eq!(
        write_case(&loaded.case),
        text,
        "saving twice gives the same bytes"
    );
    // An unknown member of an annotation is named with its place.
    let odd = text.replacen(
        "\"label\": \"Launch",
        "\"lable\": \"x\", \"label\": \"Launch",
        1,
    );
    let error = parse_case("odd.geojson", &odd).unwrap_err().to_string();
    assert!(error.contains("lable"), "{error}");
}

#[test]
fn annotation_problems_are_found_where_they_are() {
    let mut case = bundled();
    case.annotations = one_of_each(&case);
    case.annotations[0].source_keys.push("NOPE".into());
    case.annotations[2].shape = Shape::RangeRings {
        center: [61.0, 95.0],
        radii_km: vec![-3.0],
    };
    case.annotations[3].shape = Shape::Area {
        points: vec![[1.0, 1.0], [2.0, 2.0]],
        fill: Fill::None,
    };
    case.annotations[4].steps.push("E99".into());
    case.annotations[1].id = "A1".into();
    let found: Vec<(String, String)> = problems(&case)
        .into_iter()
        .filter(|problem| matches!(problem.place, ProblemPlace::Annotation { .. }))
        .map(|problem| (problem.place.json_path(), problem.message))
        .collect();
    let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "strikemap_case.annotations[0].source_keys[1]",
            "strikemap_case.annotations[1].id",
            "strikemap_case.annotations[2].shape.points[0]",
            "strikemap_case.annotations[2].shape.radii_km[0]",
            "strikemap_case.annotations[3].shape.points",
            "strikemap_case.annotations[4].steps[1]",
        ],
        "{found:?}"
    );
    assert!(
        found[0]
            .1
            .contains("\"NOPE\", which is no source of the case")
    );
    assert!(
        found[4]
            .1
            .contains("has 2 points; an area takes at least 3"),
        "{found:?}"
    );
}

#[test]
fn annotation_edits_undo_exactly() {
    let mut case = bundled();
    let original = case.clone();
    let mut history = History::new();
    let all = one_of_each(&case);
    for (index, annotation) in all.iter().enumerate() {
        history
            .apply(
                &mut case,
                Edit::AddAnnotation {
                    index,
                    annotation: Box::new(annotation.clone()),
                },
            )
            .unwrap();
    }
    assert_eq!(case.annotations, all);
    let after_adding = case.clone();
    let mut restyled = all[2].clone();
    restyled.style.colour = Colour::Orange;
    history
        .apply(
            &mut case,
            Edit::SetAnnotation {
                index: 2,
                annotation: Box::new(restyled.clone()),
            },
        )
        .unwrap();
    history
        .apply(&mut case, Edit::RemoveAnnotation { index: 0 })
        .unwrap();
    assert_eq!(case.annotations[1], restyled);
    assert!(history.undo(&mut case) && history.undo(&mut case));
    assert_eq!(case, after_adding);
    while history.undo(&mut case) {}
    assert_eq!(case, original);
    assert_eq!(case.next_annotation_id(), "A1");
}

#[test]
fn annotations_on_chosen_steps_are_shown_only_there() {
    let case = bundled();
    let all = one_of_each(&case);
    let rings = &all[2];
    assert!(rings.shown_on(Some(case.events[1].id())));
    assert!(!rings.shown_on(Some(case.events[0].id())));
    assert!(!rings.shown_on(None));
    assert!(all[0].shown_on(None) && all[0].shown_on(Some("D3")));
}

#[test]
fn a_range_ring_is_a_closed_geodesic_circle() {
    let center = LonLat {
        lon: 10.0,
        lat: 60.0,
    };
    let ring = ring_points(center, 1000.0);
    assert_eq!(ring.first(), ring.last());
    for vertex in &ring {
        let radius = crate::measure::leg(center, *vertex).distance_m;
        assert!((radius / 1_000_000.0 - 1.0).abs() < 0.001, "{radius}");
    }
}
