use super::super::autosave;
use super::*;

#[test]
fn a_save_with_problems_is_refused_and_writes_nothing() {
    let dir = temp_dir("refused");
    let path = dir.join("case.geojson");
    let mut case = bundled();
    case.events[0].properties.casualty_claims[0].source = "none".into();
    match save(&path, &case) {
        Err(SaveError::Problems(found)) => assert_eq!(found.len(), 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
    // Over an existing file: it stays as it was.
    save(&path, &bundled()).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(save(&path, &case).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!crate::case::store::part_path(&path).exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_failed_write_leaves_the_old_file_and_no_part() {
    let dir = temp_dir("failed");
    // The target is a folder: the rename fails after the part was written.
    let path = dir.join("taken");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("inside"), "x").unwrap();
    assert!(matches!(save(&path, &bundled()), Err(SaveError::Io { .. })));
    assert!(!crate::case::store::part_path(&path).exists());
    assert_eq!(std::fs::read(path.join("inside")).unwrap(), b"x");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_changed_by_another_program_is_not_overwritten() {
    let dir = temp_dir("conflict");
    let path = dir.join("case.geojson");
    let mut case = bundled();
    let stamp = save(&path, &case).unwrap();
    let (loaded, opened) = load_case_file(&path).unwrap();
    assert!(opened.same_content(&stamp));
    assert_eq!(loaded.case, case);
    // Saving over an unchanged file works and gives a new stamp.
    case.meta.caveat = "Edited.".into();
    let stamp = save_checked(&path, &case, Some(&stamp)).unwrap();
    // Another program writes the file.
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Edited.", "Theirs.");
    std::fs::write(&path, &theirs).unwrap();
    case.meta.caveat = "Mine.".into();
    match save_checked(&path, &case, Some(&stamp)) {
        Err(SaveError::Conflict {
            found: Some(found),
            expected,
            ..
        }) => {
            assert_eq!(expected, stamp);
            assert!(!found.same_content(&stamp));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // Deleted on disk: also a conflict. Save (as) without a stamp writes.
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        save_checked(&path, &case, Some(&stamp)),
        Err(SaveError::Conflict { found: None, .. })
    ));
    save(&path, &case).unwrap();
    assert_eq!(load_case_file(&path).unwrap().0.case, case);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn autosaves_are_written_found_read_and_discarded() {
    let dir = temp_dir("autosave");
    let data = dir.join("data");
    assert!(autosave::find(&data).is_empty());
    let mut case = bundled();
    case.events[0].properties.casualty_claims[0].source = String::new(); // unsaved, with a problem
    let original = dir.join("briefing.geojson");
    let first = autosave::write(&data, Some(&original), &case).unwrap();
    let untitled = autosave::write(&data, None, &Case::default()).unwrap();
    assert_ne!(first, untitled);
    // Writing again replaces the same file.
    assert_eq!(
        autosave::write(&data, Some(&original), &case).unwrap(),
        first
    );
    let found = autosave::find(&data);
    assert_eq!(found.len(), 2, "{found:?}");
    let entry = found.iter().find(|entry| entry.path == first).unwrap();
    assert_eq!(entry.original_path.as_deref(), Some(original.as_path()));
    assert!(entry.saved_at > std::time::UNIX_EPOCH);
    let recovered = autosave::read(entry).unwrap();
    assert_eq!(recovered.case, case);
    assert_eq!(recovered.problems.len(), 1);
    autosave::discard(&entry.path).unwrap();
    autosave::discard(&entry.path).unwrap();
    let left = autosave::find(&data);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].original_path, None);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn layer_paths_inside_the_case_folder_are_written_relative_and_read_back_whole() {
    let dir = temp_dir("layers");
    let dir = std::path::absolute(&dir).unwrap();
    let path = dir.join("case.geojson");
    let inside = dir.join("layers").join("border.kml");
    let outside = std::env::temp_dir().join("elsewhere").join("acled.csv");
    let layer = |path: &std::path::Path, name: &str| crate::case::Layer {
        path: path.display().to_string(),
        name: name.into(),
        visible: true,
        colour: "#56b4e9".into(),
        opacity: 0.5,
    };
    let mut case = bundled();
    case.layers = vec![layer(&inside, "Border"), layer(&outside, "ACLED")];
    save(&path, &case).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(r#""path": "layers/border.kml""#),
        "the layer inside the folder is written relative:\n{text}"
    );
    assert!(
        text.contains(&serde_json::to_string(&outside.display().to_string()).unwrap()),
        "the layer outside is written whole"
    );
    let (loaded, _) = load_case_file(&path).unwrap();
    assert_eq!(loaded.case.layers, case.layers, "read back whole");

    // The case and its layers' folder moved together: the relative path follows.
    let moved = temp_dir("layers-moved");
    let moved = std::path::absolute(&moved).unwrap();
    std::fs::copy(&path, moved.join("case.geojson")).unwrap();
    let (loaded, _) = load_case_file(&moved.join("case.geojson")).unwrap();
    assert_eq!(
        std::path::PathBuf::from(&loaded.case.layers[0].path),
        moved.join("layers").join("border.kml")
    );
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(moved).unwrap();
}

#[test]
fn relative_layer_paths_use_forward_slashes_and_never_climb() {
    use crate::case::store::relative_layer_path;
    let folder = std::path::Path::new("/cases/kharkiv");
    assert_eq!(
        relative_layer_path(folder, "/cases/kharkiv/data/a.geojson"),
        "data/a.geojson"
    );
    assert_eq!(
        relative_layer_path(folder, "/cases/other/a.geojson"),
        "/cases/other/a.geojson"
    );
    assert_eq!(
        relative_layer_path(folder, "/cases/kharkiv"),
        "/cases/kharkiv"
    );
}

#[test]
fn a_case_named_without_a_folder_is_in_the_working_folder() {
    use crate::case::store::case_folder;
    let here = std::env::current_dir().unwrap();
    assert_eq!(case_folder(std::path::Path::new("case.geojson")), here);
    assert_eq!(
        case_folder(std::path::Path::new("cases/case.geojson")),
        here.join("cases")
    );
}
