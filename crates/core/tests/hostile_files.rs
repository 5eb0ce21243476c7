//! Files made to be hostile, made by the tests themselves: devices, a named pipe, a folder, a
//! symbolic link loop, decompression bombs, deep nesting and entity expansion. Each is refused
//! (or read, where harmless) at once, with a message that says what it is; nothing here may
//! hang or read without end (a regression hangs or exhausts the test instead of failing it, so
//! these run first in `.ci/run`'s core tests with the others).

#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use strikemap_core::import::{import_bytes, import_file};
use strikemap_core::validate::{validate_paths, validate_paths_trusting};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("strikemap-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn refused(path: &Path) -> String {
    import_file(path).unwrap_err().to_string()
}

#[test]
fn devices_are_refused_before_any_read() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let message = refused(Path::new(device));
        assert_eq!(
            message,
            format!("{device}: cannot read the file: it is a device, not a file")
        );
        let report = validate_paths(&[PathBuf::from(device)]);
        assert_eq!(report.exit_code, 1, "{:?}", report.lines);
        assert!(
            report.lines[0].contains("a device, not a file"),
            "{:?}",
            report.lines
        );
        let case = strikemap_core::case::load_case_file(Path::new(device)).unwrap_err();
        assert!(case.to_string().contains("a device, not a file"), "{case}");
    }
}

/// Opening a named pipe waits for a writer: the check must come before the open.
#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let fifo = scratch("pipe.geojson");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo failed");
    assert!(
        refused(&fifo).ends_with("it is a named pipe (FIFO), not a file"),
        "{}",
        refused(&fifo)
    );
    let report = validate_paths(std::slice::from_ref(&fifo));
    assert!(
        report.lines[0].contains("named pipe (FIFO)"),
        "{:?}",
        report.lines
    );
    assert!(strikemap_core::case::load_case_file(&fifo).is_err());
    std::fs::remove_file(&fifo).unwrap();
}

#[test]
fn a_folder_and_a_link_loop_say_what_they_are() {
    let folder = scratch("a-folder.geojson");
    std::fs::create_dir_all(&folder).unwrap();
    assert!(refused(&folder).ends_with("it is a folder, not a file"));
    let (a, b) = (scratch("loop-a.geojson"), scratch("loop-b.geojson"));
    let _ = (std::fs::remove_file(&a), std::fs::remove_file(&b));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    assert!(
        refused(&a).contains("symbolic link loop"),
        "{}",
        refused(&a)
    );
    let dangling = scratch("dangling.geojson");
    let _ = std::fs::remove_file(&dangling);
    std::os::unix::fs::symlink(scratch("nothing-here"), &dangling).unwrap();
    assert!(refused(&dangling).contains("a symbolic link to a file that does not exist"));
}

/// A case whose layers are a device, a folder and a file outside its folder: without trust the
/// outside layers are named and not read; with it each says what it is.
#[test]
fn a_case_layer_outside_its_folder_is_named_and_read_only_when_trusted() {
    let dir = scratch("case-dir");
    std::fs::create_dir_all(dir.join("inside-folder")).unwrap();
    let layer = |path: &str| strikemap_core::case::Layer {
        path: path.into(),
        name: "L".into(),
        visible: true,
        colour: "#000000".into(),
        opacity: 1.0,
    };
    let mut case = strikemap_core::case::bundled_case().unwrap();
    case.layers = vec![
        layer("/dev/zero"),
        layer("inside-folder"),
        layer("../elsewhere.csv"),
    ];
    let file = dir.join("case.geojson");
    std::fs::write(&file, strikemap_core::case::write_case(&case)).unwrap();
    let untrusted = validate_paths(std::slice::from_ref(&file)).lines.join("\n");
    assert!(
        untrusted.contains("/dev/zero: outside the case's folder, so not read (--trust-layers"),
        "{untrusted}"
    );
    assert!(
        untrusted.contains("elsewhere.csv: outside the case's folder"),
        "{untrusted}"
    );
    assert!(
        untrusted.contains("inside-folder: it is a folder, not a file"),
        "{untrusted}"
    );
    let trusted = validate_paths_trusting(std::slice::from_ref(&file), true)
        .lines
        .join("\n");
    assert!(
        trusted.contains("/dev/zero: it is a device, not a file"),
        "{trusted}"
    );
    assert!(trusted.contains("elsewhere.csv: no such file"), "{trusted}");
}

/// `entries` (name, bytes written in 1 MiB pieces of `fill`, that many MiB) deflated into a zip.
fn zip_of(entries: &[(&str, &[u8], usize, u8)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, head, mebibytes, fill) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(head).unwrap();
        let piece = vec![*fill; 1 << 20];
        for _ in 0..*mebibytes {
            writer.write_all(&piece).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

/// 100 MiB of spaces in a KML, deflated to about 100 KiB: refused on what it declares, before
/// anything is inflated, with both sizes.
#[test]
fn a_kmz_bomb_is_refused_before_it_is_inflated() {
    let bomb = zip_of(&[("doc.kml", b"<kml><Document>", 100, b' ')]);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let path = scratch("bomb.kmz");
    std::fs::write(&path, &bomb).unwrap();
    let message = refused(&path);
    assert!(
        message.contains("doc.kml in the archive declares that it inflates to 104,857,615 bytes"),
        "{message}"
    );
    assert!(message.contains("past the 200:1 allowed"), "{message}");

    // The same entry with a header that lies (a small size declared): refused as soon as the
    // inflated bytes pass the declared size.
    let mut lying = bomb.clone();
    let declared = 104_857_615_u32.to_le_bytes();
    let small = 4096_u32.to_le_bytes();
    let mut patched = 0;
    for at in 0..lying.len().saturating_sub(4) {
        if lying[at..at + 4] == declared {
            lying[at..at + 4].copy_from_slice(&small);
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "the local and central headers");
    let message = import_bytes("lying.kmz", &lying).unwrap_err().to_string();
    assert!(
        message.contains("holds more than the 4096 bytes it declares")
            || message.contains("cannot unpack doc.kml"),
        "{message}"
    );

    // A KMZ inside a zip is not unpacked: the zip holds no KML.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file("inner.kmz", zip::write::SimpleFileOptions::default())
        .unwrap();
    writer.write_all(&bomb).unwrap();
    let nested = writer.finish().unwrap().into_inner();
    let message = import_bytes("nested.zip", &nested).unwrap_err().to_string();
    assert!(message.contains("no .kml file inside"), "{message}");
}

/// A zip whose entry names climb out (`../`) or are absolute: only the KML is read, nothing is
/// unpacked to disk, and such names are never chosen as the document.
#[test]
fn zip_entries_named_outside_the_archive_are_not_read() {
    let kml = b"<kml><Document><Placemark><Point><coordinates>60,27</coordinates></Point>\
                </Placemark></Document></kml>";
    let archive = zip_of(&[("../../evil.kml", kml, 0, 0), ("/etc/evil.kml", kml, 0, 0)]);
    let message = import_bytes("slip.kmz", &archive).unwrap_err().to_string();
    assert!(message.contains("no .kml file inside"), "{message}");
}

/// What already held keeps holding: JSON nested 200,000 deep and XML entity expansion.
#[test]
fn deep_nesting_and_entity_expansion_are_refused_at_once() {
    let deep = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":{}{}}}",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let message = import_bytes("deep.geojson", deep.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(message.contains("recursion limit exceeded"), "{message}");
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE kml [<!ENTITY a \"lollollollol\">\
                  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\
                  <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>\
                  <kml><Document><name>&d;&d;&d;&d;</name></Document></kml>";
    let message = import_bytes("laughs.kml", laughs.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("not valid XML: unknown entity &d;"),
        "{message}"
    );
}
