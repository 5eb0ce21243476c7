//! Unit tests of `image`: a case as fields, diffs and their application.
use super::*;
use crate::document::case_of;

fn bundled() -> Case {
    strikemap_core::case::bundled_case().unwrap()
}

fn ids(objects: &[Object]) -> Vec<&str> {
    let mut sorted: Vec<&Object> = objects.iter().collect();
    sorted.sort_by(|a, b| a.order.total_cmp(&b.order));
    sorted
        .into_iter()
        .map(|object| object.id.as_str())
        .collect()
}

#[test]
fn a_case_round_trips_through_its_image() {
    let case = bundled();
    let image = image_of(&case, None);
    let back = case_of("test", &image).unwrap();
    assert!(back.problems.is_empty());
    assert_eq!(
        strikemap_core::case::write_case(&back.case),
        strikemap_core::case::write_case(&case)
    );
}

#[test]
fn a_field_edit_is_one_change_and_applies_back() {
    let case = bundled();
    let before = image_of(&case, None);
    let mut edited = case.clone();
    edited.events[0].properties.title = "New title".into();
    edited.meta.caveat = String::new();
    let after = image_of(&edited, Some(&before));
    let changes = diff(&before, &after);
    let fields: Vec<(String, &str)> = changes
        .iter()
        .map(|change| (change.object().to_text(), change.field()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("case".to_owned(), "caveat"),
            (format!("strike:{}", case.events[0].id()), "title")
        ]
    );
    let mut replayed = before.clone();
    for change in &changes {
        apply(&mut replayed, change);
    }
    assert_eq!(replayed, after);
}

#[test]
fn a_move_renumbers_only_the_moved_object() {
    let mut case = bundled();
    let mut extra = case.events[0].clone();
    for id in ["E7", "E8", "E9"] {
        extra.properties.id = id.into();
        case.events.push(extra.clone());
    }
    let before = image_of(&case, None);
    let mut moved = case.clone();
    let last = moved.events.pop().unwrap();
    moved.events.insert(1, last);
    let after = image_of(&moved, Some(&before));
    let changes = diff(&before, &after);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field(), ORDER_FIELD);
    assert_eq!(changes[0].object(), &ObjectKey::Strike("E9".into()));
    let expected: Vec<&str> = moved.events.iter().map(StrikeEvent::id).collect();
    assert_eq!(ids(&after.strikes), expected);
}

#[test]
fn additions_take_numbers_between_their_neighbours() {
    let case = bundled();
    let before = image_of(&case, None);
    let mut added = case.clone();
    let mut first = case.events[0].clone();
    first.properties.id = "E20".into();
    let mut last = first.clone();
    last.properties.id = "E21".into();
    added.events.insert(0, first);
    added.events.push(last);
    let after = image_of(&added, Some(&before));
    let changes = diff(&before, &after);
    assert_eq!(changes.len(), 2);
    assert!(
        changes
            .iter()
            .all(|change| matches!(change, Change::Add { .. }))
    );
    let expected: Vec<&str> = added.events.iter().map(StrikeEvent::id).collect();
    assert_eq!(ids(&after.strikes), expected);
}

#[test]
fn object_keys_read_back() {
    for key in [
        ObjectKey::Case,
        ObjectKey::Strike("E1".into()),
        ObjectKey::Statement("D:2".into()),
    ] {
        assert_eq!(ObjectKey::parse(&key.to_text()), Some(key));
    }
    assert_eq!(ObjectKey::parse("layer:1"), None);
}

#[test]
fn sources_with_evidence_round_trip_through_the_image() {
    let mut case = bundled();
    let file = strikemap_core::model::EvidenceFile {
        path: "evidence/impact.jpg".into(),
        sha256: "ab".repeat(32),
        size: 48_213,
        attached: "2024-01-17T09:00:00Z".into(),
    };
    for source in [
        &mut case.events[0].properties.sources[0],
        &mut case.statement_sources[0],
    ] {
        source.archive_url = Some("https://web.archive.org/web/2024/x".into());
        source.retrieved = Some("2024-01-17T08:00:00Z".into());
        source.evidence.push(file.clone());
    }
    let back = case_of("test", &image_of(&case, None)).unwrap();
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    assert_eq!(back.case, case);
    assert_eq!(
        strikemap_core::case::write_case(&back.case),
        strikemap_core::case::write_case(&case)
    );
}
