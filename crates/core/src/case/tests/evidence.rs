use super::super::edit::{Edit, History, SourceField, SourceOwner};
use super::super::evidence::{
    Finding, check_files, evidence_file, evidence_problems, sha256_of_file, utc_timestamp,
};
use super::super::problems::parse_timestamp;
use super::*;
use std::time::{Duration, SystemTime};

/// FIPS 180-2's example: SHA-256("abc").
const SHA256_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

#[test]
fn files_are_hashed_as_sha256_with_their_size() {
    let dir = temp_dir("hash");
    let path = dir.join("abc.txt");
    std::fs::write(&path, "abc").unwrap();
    assert_eq!(sha256_of_file(&path).unwrap(), (SHA256_ABC.to_owned(), 3));
    // Longer than one read: the pieces hash as the whole (a million 'a', FIPS 180-2).
    std::fs::write(&path, vec![b'a'; 1_000_000]).unwrap();
    assert_eq!(
        sha256_of_file(&path).unwrap().0,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
    let missing = sha256_of_file(&dir.join("none")).unwrap_err();
    assert!(missing.contains("no such file"), "{missing}");
    let folder = sha256_of_file(&dir).unwrap_err();
    assert!(folder.contains("folder"), "{folder}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn times_are_written_in_utc_and_checked_when_typed() {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_705_449_600 + 3_723);
    assert_eq!(utc_timestamp(time), "2024-01-17T01:02:03Z");
    for good in ["2024-01-17", "2024-01-17T01:02:03Z", "2024-01-17T23:59Z"] {
        assert_eq!(parse_timestamp(good), Ok(()), "{good}");
    }
    for bad in [
        "2024-02-30",
        "2024-01-17T24:00:00Z",
        "2024-01-17T01:02:03",
        "yesterday",
    ] {
        assert!(parse_timestamp(bad).is_err(), "{bad}");
    }
}

/// The bundled case with a file attached to the first strike's first source through the edit
/// command, as the app attaches one.
fn case_with_evidence(path: &std::path::Path, history: &mut History) -> Case {
    let mut case = bundled();
    let file = evidence_file(path, SystemTime::now()).unwrap();
    history
        .apply(
            &mut case,
            Edit::SetSource {
                owner: SourceOwner::Event(0),
                index: 0,
                field: SourceField::Evidence(vec![file]),
            },
        )
        .unwrap();
    case
}

#[test]
fn attaching_is_an_edit_that_undoes_exactly() {
    let dir = temp_dir("attach");
    let path = dir.join("shot.png");
    std::fs::write(&path, "abc").unwrap();
    let mut history = History::new();
    let mut case = case_with_evidence(&path, &mut history);
    let attached = &case.events[0].properties.sources[0].evidence[0];
    assert_eq!((attached.sha256.as_str(), attached.size), (SHA256_ABC, 3));
    assert!(problems(&case).is_empty(), "{:?}", problems(&case));
    assert!(history.undo(&mut case));
    assert_eq!(case, bundled());
    assert!(history.redo(&mut case));
    assert_eq!(case.events[0].properties.sources[0].evidence.len(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn evidence_is_saved_relative_and_a_changed_byte_or_a_missing_file_is_a_problem() {
    let dir = temp_dir("check");
    std::fs::create_dir(dir.join("evidence")).unwrap();
    let path = dir.join("evidence").join("shot.png");
    std::fs::write(&path, "abc").unwrap();
    let case = case_with_evidence(&path, &mut History::new());
    let case_path = dir.join("case.geojson");
    save(&case_path, &case).unwrap();
    let text = std::fs::read_to_string(&case_path).unwrap();
    assert!(
        text.contains(&format!(
            "\"path\": \"evidence/shot.png\", \"sha256\": \"{SHA256_ABC}\", \"size\": 3"
        )),
        "{text}"
    );
    let (loaded, _) = load_case_file(&case_path).unwrap();
    assert_eq!(loaded.case, case, "read back with the whole path");
    assert!(check_files(&loaded.case).is_empty());

    // One byte changed: caught, at the source's evidence entry.
    std::fs::write(&path, "abd").unwrap();
    let findings = check_files(&loaded.case);
    let found = evidence_problems(&loaded.case, &findings);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].place.json_path(),
        "features[0].properties.sources[0].evidence[0]"
    );
    assert!(
        found[0].message.contains("has changed"),
        "{}",
        found[0].message
    );
    assert!(matches!(
        findings.values().next(),
        Some(Finding::Changed { size: 3, .. })
    ));

    // Gone: missing.
    std::fs::remove_file(&path).unwrap();
    let found = evidence_problems(&loaded.case, &check_files(&loaded.case));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("is missing"),
        "{}",
        found[0].message
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn archive_urls_retrieval_times_and_evidence_entries_are_checked() {
    let mut case = bundled();
    let source = &mut case.statement_sources[0];
    source.archive_url = Some("ftp://archive.org/x".into());
    source.retrieved = Some("2024-13-01".into());
    source.evidence.push(crate::model::EvidenceFile {
        path: "a.png".into(),
        sha256: "ABC".into(),
        size: 3,
        attached: "2024-01-17T01:02:03Z".into(),
    });
    let paths: Vec<String> = problems(&case)
        .iter()
        .map(|problem| problem.place.json_path())
        .collect();
    assert_eq!(
        paths,
        [
            "strikemap_case.statement_sources[0].archive_url",
            "strikemap_case.statement_sources[0].retrieved",
            "strikemap_case.statement_sources[0].evidence[0].sha256",
        ]
    );
}
