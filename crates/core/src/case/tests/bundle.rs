use super::super::bundle::{MANIFEST_NAME, Manifest, export_bundle, open_bundle};
use super::super::edit::{Edit, History, SourceField, SourceOwner};
use super::super::evidence::{check_files, evidence_file, sha256_of_file};
use super::*;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::time::SystemTime;

/// A case saved in `dir` with a layer and a file of evidence beside it.
fn case_with_files(dir: &Path) -> Case {
    std::fs::create_dir_all(dir.join("shots")).unwrap();
    let layer = dir.join("area.geojson");
    std::fs::write(
        &layer,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Point","coordinates":[62.0,27.0]}}]}"#,
    )
    .unwrap();
    let shot = dir.join("shots").join("impact.jpg");
    std::fs::write(&shot, b"\xff\xd8\xff not really a jpeg, but bytes").unwrap();
    let mut case = bundled();
    case.layers.push(Layer {
        path: layer.display().to_string(),
        name: "Area".into(),
        visible: true,
        colour: "#ff8800".into(),
        opacity: 0.5,
    });
    History::new()
        .apply(
            &mut case,
            Edit::SetSource {
                owner: SourceOwner::Statements,
                index: 0,
                field: SourceField::Evidence(vec![
                    evidence_file(&shot, SystemTime::now()).unwrap(),
                ]),
            },
        )
        .unwrap();
    save(&dir.join("case.geojson"), &case).unwrap();
    case
}

/// The bundle holds the case, its layer and its evidence, in that order.
fn assert_bundled(exported: &super::super::bundle::Exported) {
    let paths: Vec<&str> = exported
        .manifest
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(
        paths,
        ["case.geojson", "layers/area.geojson", "evidence/impact.jpg"]
    );
}

#[test]
fn a_bundle_round_trips_as_the_same_case_with_the_same_hashes() {
    let dir = temp_dir("bundle-out");
    let case = case_with_files(&dir.join("work"));
    let bundle = dir.join("case.zip");
    let exported = export_bundle(&case, "case.geojson", &bundle, &[]).unwrap();
    assert!(exported.left_out.is_empty(), "{:?}", exported.left_out);
    assert_bundled(&exported);

    let unpacked = open_bundle(&bundle, &dir.join("elsewhere")).unwrap();
    assert!(unpacked.mismatches.is_empty(), "{:?}", unpacked.mismatches);
    for entry in &unpacked.manifest.files {
        let on_disk = dir.join("elsewhere").join(&entry.path);
        assert_eq!(
            sha256_of_file(&on_disk).unwrap(),
            (entry.sha256.clone(), entry.size)
        );
    }
    let (loaded, _) = load_case_file(&unpacked.case_path).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(check_files(&loaded.case).is_empty(), "evidence as attached");
    // The same case: only the folder its files are in differs.
    let mut moved = case.clone();
    let area = moved.layers.len() - 1;
    moved.layers[area].path = dir
        .join("elsewhere/layers/area.geojson")
        .display()
        .to_string();
    moved.statement_sources[0].evidence[0].path = dir
        .join("elsewhere/evidence/impact.jpg")
        .display()
        .to_string();
    assert_eq!(loaded.case, moved);
    let original = &case.statement_sources[0].evidence[0];
    assert_eq!(
        sha256_of_file(Path::new(&moved.statement_sources[0].evidence[0].path)).unwrap(),
        (original.sha256.clone(), original.size)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The bundle's entries, `change` applied to each (name, bytes), written as a new zip.
fn rewrite(bundle: &Path, change: impl Fn(&str, &mut Vec<u8>)) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(bundle).unwrap()).unwrap();
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let name = entry.name().unwrap().into_owned();
        change(&name, &mut bytes);
        entries.push((name, bytes));
    }
    write_zip(bundle, &entries);
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_changed_evidence_byte_in_a_bundle_is_caught_naming_the_file() {
    let dir = temp_dir("bundle-changed");
    let case = case_with_files(&dir.join("work"));
    let bundle = dir.join("case.zip");
    export_bundle(&case, "case.geojson", &bundle, &[]).unwrap();
    rewrite(&bundle, |name, bytes| {
        if name == "evidence/impact.jpg" {
            bytes[5] ^= 1;
        }
    });
    let unpacked = open_bundle(&bundle, &dir.join("out")).unwrap();
    assert_eq!(unpacked.mismatches.len(), 1, "{:?}", unpacked.mismatches);
    assert!(
        unpacked.mismatches[0].starts_with("evidence/impact.jpg: its SHA-256 is"),
        "{}",
        unpacked.mismatches[0]
    );
    // And the case, opened, names it at its source.
    let (loaded, _) = load_case_file(&unpacked.case_path).unwrap();
    let found = super::super::evidence::evidence_problems(&loaded.case, &check_files(&loaded.case));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].place.json_path(),
        "strikemap_case.statement_sources[0].evidence[0]"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

fn manifest_for(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let files: Vec<serde_json::Value> = entries
        .iter()
        .map(|(name, bytes)| {
            let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
            sha2::Digest::update(&mut hasher, bytes);
            serde_json::json!({
                "path": name,
                "sha256": super::super::evidence::hex(&sha2::Digest::finalize(hasher)),
                "size": bytes.len(),
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "format": "strikemap-case-bundle/1",
        "case": entries[0].0,
        "files": files,
    }))
    .unwrap()
}

#[test]
fn hostile_bundles_are_refused_naming_the_entry_and_nothing_is_unpacked() {
    let dir = temp_dir("bundle-hostile");
    let case = write_case(&bundled()).into_bytes();
    for (evil, why) in [
        ("../evil.txt", "climbs out of the folder with .."),
        ("layers/../../evil.txt", "climbs out of the folder with .."),
        ("/tmp/evil.txt", "is an absolute path"),
        ("C:/evil.txt", "names a drive"),
    ] {
        let entries: [(&str, &[u8]); 2] = [("case.geojson", &case), (evil, b"owned")];
        let mut zipped: Vec<(String, Vec<u8>)> = entries
            .iter()
            .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
            .collect();
        zipped.push((MANIFEST_NAME.to_owned(), manifest_for(&entries)));
        let bundle = dir.join("hostile.zip");
        write_zip(&bundle, &zipped);
        let out = dir.join("out");
        let error = open_bundle(&bundle, &out).unwrap_err();
        assert!(error.contains(&format!("{evil:?} {why}")), "{error}");
        assert!(!out.exists(), "nothing unpacked for {evil}");
        assert!(!dir.join("evil.txt").exists());
    }
    // An entry the manifest does not list, and a bundle without a manifest.
    let bundle = dir.join("extra.zip");
    let entries: [(&str, &[u8]); 1] = [("case.geojson", &case)];
    write_zip(
        &bundle,
        &[
            ("case.geojson".into(), case.clone()),
            ("layers/hidden.geojson".into(), b"{}".to_vec()),
            (MANIFEST_NAME.into(), manifest_for(&entries)),
        ],
    );
    let error = open_bundle(&bundle, &dir.join("out")).unwrap_err();
    assert!(
        error.contains("\"layers/hidden.geojson\" is not in manifest.json"),
        "{error}"
    );
    write_zip(&bundle, &[("case.geojson".into(), case.clone())]);
    let error = open_bundle(&bundle, &dir.join("out")).unwrap_err();
    assert!(error.contains("has no manifest.json"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_bundle_never_overwrites_files_already_in_the_folder() {
    let dir = temp_dir("bundle-existing");
    let case = case_with_files(&dir.join("work"));
    let bundle = dir.join("case.zip");
    let exported = export_bundle(&case, "case.geojson", &bundle, &[]).unwrap();
    let manifest: &Manifest = &exported.manifest;
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("out/case.geojson"), "mine").unwrap();
    let error = open_bundle(&bundle, &dir.join("out")).unwrap_err();
    assert!(error.contains("already exists"), "{error}");
    assert_eq!(
        std::fs::read(dir.join("out/case.geojson")).unwrap(),
        b"mine"
    );
    assert!(!dir.join("out").join(&manifest.files[1].path).exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn files_a_received_case_names_but_cannot_vouch_for_are_left_out_of_a_bundle() {
    let dir = temp_dir("bundle-untrusted");
    let mut case = case_with_files(&dir.join("work"));
    // A "private" file elsewhere, named as evidence with a made-up hash, and as a layer.
    let private = dir.join("id_ed25519");
    // Larger than what follows it in the zip: an aborted entry must not linger past the end.
    std::fs::write(&private, "secret".repeat(20_000)).unwrap();
    case.statement_sources[1]
        .evidence
        .push(crate::model::EvidenceFile {
            path: private.display().to_string(),
            sha256: "0".repeat(64),
            size: 6,
            attached: "2024-01-17T09:00:00Z".into(),
        });
    let mut layer = case.layers[1].clone();
    layer.path = private.display().to_string();
    case.layers.push(layer);
    let bundle = dir.join("case.zip");
    let exported = export_bundle(
        &case,
        "case.geojson",
        &bundle,
        std::slice::from_ref(&private),
    )
    .unwrap();
    assert_bundled(&exported);
    assert_eq!(exported.left_out.len(), 2, "{:?}", exported.left_out);
    assert!(exported.left_out[0].contains("not agreed to load"));
    assert!(exported.left_out[1].contains("not the file the case records"));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&bundle).unwrap()).unwrap();
    assert_eq!(archive.len(), 4, "case, layer, evidence, manifest");
    let mut text = String::new();
    archive
        .by_name(MANIFEST_NAME)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(!text.contains("id_ed25519"));
    let bytes = std::fs::read(&bundle).unwrap();
    assert!(
        !bytes.windows(6).any(|window| window == b"secret"),
        "no byte of the left-out file remains in the bundle"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
