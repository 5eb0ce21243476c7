//! Case bundles: one zip holding a case file, its layers' files, its evidence files and a
//! manifest of their hashes (`manifest.json`: each file's path, SHA-256 and size), so a case
//! opens again on another machine as the same case and a reader can check every file.
//!
//! Inside a bundle the case file is at the root and names its files relatively (`layers/…`,
//! `evidence/…`). Opening one ([`open_bundle`]) unpacks it into a folder, refusing the whole
//! bundle before writing anything if an entry's name leaves that folder (`..`, a root, a drive),
//! if an entry is missing from the manifest or the manifest names one that is not there, or if
//! the sizes declared pass the bounds (entries, bytes, the inflation ratio of
//! [`crate::formats::inflate`]). A file whose bytes do not match the manifest's hash is a
//! mismatch naming the file. Files are copied and hashed in pieces, never held whole.

use super::Case;
use super::write::write_case;
use crate::formats::inflate::{BoundedInflate, bomb_message, inflation_limit};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};

/// The evidence files a case records: (whole path, SHA-256).
type RecordedEvidence = HashSet<(PathBuf, String)>;

/// The manifest's `format`.
pub const BUNDLE_FORMAT: &str = "strikemap-case-bundle/1";
/// The manifest's name inside a bundle.
pub const MANIFEST_NAME: &str = "manifest.json";
/// The most entries a bundle may hold.
pub const MAX_BUNDLE_ENTRIES: usize = 10_000;
/// The most a bundle may unpack to, in all.
pub const MAX_BUNDLE_BYTES: u64 = 64 << 30;
/// The most the manifest may take (it is read whole).
const MAX_MANIFEST_BYTES: u64 = 16 << 20;
/// Sidecar files a shapefile layer is read with, bundled beside it.
const SHAPEFILE_SIDECARS: [&str; 4] = ["shx", "dbf", "prj", "cpg"];

/// The manifest of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// The case file's path inside the bundle.
    pub case: String,
    pub files: Vec<ManifestEntry>,
}

/// One file of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub manifest: Manifest,
    /// Files of the case that could not be bundled (missing, unreadable), each with why; the
    /// case still names them.
    pub left_out: Vec<String>,
}

/// What opening a bundle unpacked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpacked {
    /// The case file, in the folder chosen.
    pub case_path: PathBuf,
    pub manifest: Manifest,
    /// Files whose bytes differ from the manifest, each sentence naming the file.
    pub mismatches: Vec<String>,
}

/// A reader that hashes and counts what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(out)?;
        self.hasher.update(&out[..count]);
        self.size += count as u64;
        Ok(count)
    }
}

impl<R> Hashing<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    fn finish(self) -> (String, u64) {
        (super::evidence::hex(&self.hasher.finalize()), self.size)
    }
}

/// The files a bundle of `case` holds besides the case file: (whole path on disk, name inside),
/// each disk file once, names unique.
fn bundle_names(
    case: &Case,
    not_read: &[PathBuf],
) -> (Vec<(PathBuf, String)>, HashMap<String, String>) {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut add = |path: &str, folder: &str, files: &mut Vec<(PathBuf, String)>| {
        if path.is_empty() || renamed.contains_key(path) || super::is_bundled_layer_path(path) {
            return;
        }
        let on_disk = Path::new(path);
        let stem = file_part(on_disk.file_stem());
        let extension = on_disk
            .extension()
            .map(|e| e.to_string_lossy().into_owned());
        let dotted = extension
            .as_ref()
            .map(|e| format!(".{e}"))
            .unwrap_or_default();
        let mut unique = stem.clone();
        let mut number = 2;
        while taken.contains(&format!("{folder}/{unique}{dotted}")) {
            unique = format!("{stem}-{number}");
            number += 1;
        }
        let name = format!("{folder}/{unique}{dotted}");
        taken.insert(name.clone());
        files.push((on_disk.to_path_buf(), name.clone()));
        renamed.insert(path.to_owned(), name);
        if extension.is_some_and(|e| e.eq_ignore_ascii_case("shp")) {
            for sidecar in SHAPEFILE_SIDECARS {
                let beside = on_disk.with_extension(sidecar);
                if beside.is_file() {
                    let name = format!("{folder}/{unique}.{sidecar}");
                    taken.insert(name.clone());
                    files.push((beside, name));
                }
            }
        }
    };
    for layer in case
        .layers
        .iter()
        .filter(|layer| !not_read.iter().any(|path| Path::new(&layer.path) == path))
    {
        add(&layer.path, "layers", &mut files);
    }
    for file in case.evidence_files() {
        add(&file.path, "evidence", &mut files);
    }
    (files, renamed)
}

/// A file name part safe inside a zip: `/`, `\` and `:` become `_`; empty becomes `file`.
fn file_part(part: Option<&std::ffi::OsStr>) -> String {
    let text: String = part
        .map(|part| part.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if text.is_empty() || text == "." || text == ".." {
        "file".to_owned()
    } else {
        text
    }
}

/// Writes `case` (its paths whole, as in memory) as a bundle at `out`: the case file named
/// `case_name` at the root, its layers' files under `layers/`, its evidence under `evidence/`,
/// and the manifest. Written to `NAME.part` and renamed, so `out` is whole or untouched.
///
/// What a received case names is not trusted into a bundle: layers in `not_read` (outside the
/// case's folder and not agreed to) are left out, and so is an evidence file whose SHA-256 is
/// not the one the case records (a case naming someone's private files as evidence cannot know
/// their hashes); each is named in [`Exported::left_out`], and the case still names it.
pub fn export_bundle(
    case: &Case,
    case_name: &str,
    out: &Path,
    not_read: &[PathBuf],
) -> Result<Exported, String> {
    let (files, renamed) = bundle_names(case, not_read);
    let recorded: RecordedEvidence = case
        .evidence_files()
        .map(|file| (PathBuf::from(&file.path), file.sha256.clone()))
        .collect();
    let mut inside = case.clone();
    for layer in &mut inside.layers {
        if let Some(name) = renamed.get(&layer.path) {
            layer.path.clone_from(name);
        }
    }
    for file in inside.evidence_files_mut() {
        if let Some(name) = renamed.get(file.path.as_str()) {
            file.path.clone_from(name);
        }
    }
    let part = super::store::part_path(out);
    let written = write_bundle(&write_case(&inside), case_name, (&files, &recorded), &part);
    let written = written.map(|mut exported| {
        for path in not_read {
            exported.left_out.insert(
                0,
                format!(
                    "{}: a layer outside the case's folder that was not agreed to load",
                    path.display()
                ),
            );
        }
        exported
    });
    let finished = written.and_then(|exported| {
        std::fs::rename(&part, out).map_err(|error| error.to_string())?;
        Ok(exported)
    });
    if finished.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    finished.map_err(|message| format!("{}: cannot write the bundle: {message}", out.display()))
}

fn write_bundle(
    case_text: &str,
    case_name: &str,
    (files, recorded): (&[(PathBuf, String)], &RecordedEvidence),
    part: &Path,
) -> Result<Exported, String> {
    let io = |error: std::io::Error| error.to_string();
    let zip_error = |error: zip::result::ZipError| error.to_string();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(part).map_err(io)?);
    let text = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut entries = Vec::new();
    zip.start_file(case_name, text).map_err(zip_error)?;
    let mut hashing = Hashing::new(case_text.as_bytes());
    std::io::copy(&mut hashing, &mut zip).map_err(io)?;
    let (sha256, size) = hashing.finish();
    entries.push(ManifestEntry {
        path: case_name.to_owned(),
        sha256,
        size,
    });
    let mut left_out = Vec::new();
    for (on_disk, name) in files {
        // Evidence goes in only when it is the file the case records: hashed first, so a file
        // that is not is never written into the bundle at all.
        if name.starts_with("evidence/") {
            let now = super::evidence::sha256_of_file(on_disk);
            if let Ok((sha256, _)) = &now
                && !recorded.contains(&(on_disk.clone(), sha256.clone()))
            {
                left_out.push(format!(
                    "{}: not the file the case records (its SHA-256 is now {sha256})",
                    on_disk.display()
                ));
                continue;
            }
        }
        let opened = crate::formats::file_kind::open_regular_file(on_disk);
        let (file, size) = match opened {
            Ok(opened) => opened,
            Err(problem) => {
                left_out.push(format!("{}: {problem}", on_disk.display()));
                continue;
            }
        };
        // Layers are text that deflates well; evidence (images, PDFs, video) is stored.
        let method = if name.starts_with("layers/") {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(size >= u64::from(u32::MAX));
        zip.start_file(name.as_str(), options).map_err(zip_error)?;
        let mut hashing = Hashing::new(file);
        std::io::copy(&mut hashing, &mut zip)
            .map_err(|error| format!("{}: {error}", on_disk.display()))?;
        let (sha256, size) = hashing.finish();
        entries.push(ManifestEntry {
            path: name.clone(),
            sha256,
            size,
        });
    }
    let manifest = Manifest {
        format: BUNDLE_FORMAT.to_owned(),
        case: case_name.to_owned(),
        files: entries,
    };
    let manifest_text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    zip.start_file(MANIFEST_NAME, text).map_err(zip_error)?;
    zip.write_all(manifest_text.as_bytes()).map_err(io)?;
    let file = zip.finish().map_err(zip_error)?;
    file.sync_all().map_err(io)?;
    Ok(Exported { manifest, left_out })
}

/// Why an entry name may not be unpacked, if it may not: it must stay inside the folder.
pub fn entry_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("has no name")
    } else if name.starts_with('/') {
        Some("is an absolute path")
    } else if name.contains('\\') {
        Some("contains a backslash")
    } else if name.contains(':') {
        Some("names a drive or contains a colon")
    } else if name.split('/').any(|part| part == "..") {
        Some("climbs out of the folder with ..")
    } else if name.split('/').any(|part| part.is_empty() || part == ".") {
        Some("has an empty or . part")
    } else {
        None
    }
}

/// Unpacks the bundle at `bundle` into `folder` (made if missing; files already there are not
/// overwritten: such a bundle is refused) and returns the case file's path there with the
/// mismatches found. Errors name the bundle and the entry.
pub fn open_bundle(bundle: &Path, folder: &Path) -> Result<Unpacked, String> {
    let refuse = |message: String| format!("{}: {message}", bundle.display());
    let (file, _) = crate::formats::file_kind::open_regular_file(bundle)
        .map_err(|problem| refuse(problem.to_string()))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|error| refuse(format!("not a readable zip archive: {error}")))?;
    if archive.len() > MAX_BUNDLE_ENTRIES {
        return Err(refuse(format!(
            "holds {} entries, more than the {MAX_BUNDLE_ENTRIES} a case bundle may",
            archive.len()
        )));
    }
    let mut names = BTreeSet::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| refuse(format!("entry {}: unreadable: {error}", index + 1)))?;
        let name = entry
            .name()
            .map_err(|error| refuse(format!("entry {}: unreadable name: {error}", index + 1)))?
            .into_owned();
        if let Some(problem) = entry_name_problem(name.trim_end_matches('/')) {
            return Err(refuse(format!(
                "entry {} {name:?} {problem}; refused, nothing was unpacked",
                index + 1
            )));
        }
        if entry.is_symlink() {
            return Err(refuse(format!(
                "entry {name:?} is a symbolic link; refused, nothing was unpacked"
            )));
        }
        if !entry.is_dir() {
            names.insert(name);
        }
    }
    let manifest = read_manifest(&mut archive).map_err(refuse)?;
    check_manifest(&manifest, &names).map_err(refuse)?;
    for entry in &manifest.files {
        let target = folder.join(entry.path.as_str());
        if target.exists() {
            return Err(refuse(format!(
                "{} already exists; choose an empty folder (nothing was unpacked)",
                target.display()
            )));
        }
    }
    let mut mismatches = Vec::new();
    for entry in &manifest.files {
        if let Some(mismatch) = unpack_entry(&mut archive, entry, folder).map_err(refuse)? {
            mismatches.push(mismatch);
        }
    }
    Ok(Unpacked {
        case_path: folder.join(manifest.case.as_str()),
        manifest,
        mismatches,
    })
}

fn read_manifest<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<Manifest, String> {
    let entry = archive.by_name(MANIFEST_NAME).map_err(|_| {
        format!("has no {MANIFEST_NAME}: not a case bundle (File › Export case bundle… writes one)")
    })?;
    let mut text = String::new();
    entry
        .take(MAX_MANIFEST_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|error| format!("{MANIFEST_NAME}: unreadable: {error}"))?;
    if text.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(format!(
            "{MANIFEST_NAME}: larger than {MAX_MANIFEST_BYTES} bytes"
        ));
    }
    let manifest: Manifest = crate::formats::json::parse_json(MANIFEST_NAME, &text)
        .map_err(|error| error.to_string())?;
    if manifest.format != BUNDLE_FORMAT {
        return Err(format!(
            "{MANIFEST_NAME}: format is {:?}, expected {BUNDLE_FORMAT:?}",
            manifest.format
        ));
    }
    Ok(manifest)
}

/// The manifest and the archive's entries must list the same files, every name enclosed, the
/// case among them, the sizes within bounds.
fn check_manifest(manifest: &Manifest, names: &BTreeSet<String>) -> Result<(), String> {
    let mut listed = BTreeSet::new();
    let mut total = 0_u64;
    for (index, entry) in manifest.files.iter().enumerate() {
        let place = format!("{MANIFEST_NAME}: files[{index}] {:?}", entry.path);
        if let Some(problem) = entry_name_problem(&entry.path) {
            return Err(format!("{place} {problem}; refused, nothing was unpacked"));
        }
        if !listed.insert(entry.path.as_str()) {
            return Err(format!("{place} is listed twice"));
        }
        if !names.contains(&entry.path) {
            return Err(format!("{place} is not in the bundle"));
        }
        total = total.saturating_add(entry.size);
    }
    if let Some(extra) = names
        .iter()
        .find(|name| *name != MANIFEST_NAME && !listed.contains(name.as_str()))
    {
        return Err(format!(
            "entry {extra:?} is not in {MANIFEST_NAME}; refused, nothing was unpacked"
        ));
    }
    if !listed.contains(manifest.case.as_str()) {
        return Err(format!(
            "{MANIFEST_NAME}: case {:?} is not one of its files",
            manifest.case
        ));
    }
    if total > MAX_BUNDLE_BYTES {
        return Err(format!(
            "{MANIFEST_NAME}: its files add up to {total} bytes, more than the {MAX_BUNDLE_BYTES} \
             a case bundle may unpack to"
        ));
    }
    Ok(())
}

/// Unpacks one file, hashing it as it is written; `Some(sentence)` when it does not match the
/// manifest (a file larger than the manifest says is cut off there and named).
fn unpack_entry<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    listed: &ManifestEntry,
    folder: &Path,
) -> Result<Option<String>, String> {
    let name = &listed.path;
    let entry = archive
        .by_name(name)
        .map_err(|error| format!("entry {name:?}: unreadable: {error}"))?;
    let compressed = entry.compressed_size();
    if entry.size() > inflation_limit(compressed) {
        return Err(bomb_message(
            &format!("entry {name:?}"),
            compressed,
            entry.size(),
            true,
        ));
    }
    let limit = inflation_limit(compressed).min(listed.size);
    let refusal = format!(
        "is larger than the {} bytes {MANIFEST_NAME} gives",
        listed.size
    );
    let target = folder.join(name.as_str());
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot make {}: {error}", parent.display()))?;
    }
    let mut out = std::fs::File::create_new(&target)
        .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
    let mut hashing = Hashing::new(BoundedInflate::new(entry, limit, refusal));
    let copied = std::io::copy(&mut hashing, &mut out);
    let bounded_failure = hashing.inner.failure().cloned();
    let (sha256, size) = hashing.finish();
    match (copied, bounded_failure) {
        (Ok(_), _) => {}
        (Err(_), Some(crate::formats::inflate::InflateFailure::Refused(message))) => {
            return Ok(Some(format!("{name}: {message}; it was cut off there")));
        }
        (Err(error), _) => return Err(format!("entry {name:?}: unreadable: {error}")),
    }
    out.sync_all()
        .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
    if sha256 != listed.sha256 || size != listed.size {
        return Ok(Some(format!(
            "{name}: its SHA-256 is {sha256} ({size} bytes), but {MANIFEST_NAME} gives {} \
             ({} bytes): the file is not the one bundled",
            listed.sha256, listed.size
        )));
    }
    Ok(None)
}

/// Whether `path` names a case bundle to unpack (a `.zip`; its manifest is checked on opening).
pub fn is_case_bundle(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("zip"))
}

/// Whether the file at `path` is a case bundle: a `.zip` with a `manifest.json` (only its
/// directory is read), so a bundle dropped on the window or named on the command line opens as
/// the case, and a zipped shapefile still loads as data.
pub fn is_case_bundle_file(path: &Path) -> bool {
    if !is_case_bundle(path) {
        return false;
    }
    let Ok((file, _)) = crate::formats::file_kind::open_regular_file(path) else {
        return false;
    };
    zip::ZipArchive::new(std::io::BufReader::new(file))
        .is_ok_and(|archive| archive.index_for_name(MANIFEST_NAME).is_some())
}

/// The folder a bundle opened without choosing one unpacks into: beside it, named as it is
/// without `.zip` (`-2`, `-3`… when that name is taken).
pub fn folder_beside(bundle: &Path) -> PathBuf {
    let stem = file_part(bundle.file_stem());
    let parent = bundle.parent().unwrap_or(Path::new(""));
    let mut folder = parent.join(&stem);
    let mut number = 2;
    while folder.exists() {
        folder = parent.join(format!("{stem}-{number}"));
        number += 1;
    }
    folder
}
