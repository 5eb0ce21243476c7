//! What `strikemap validate FILE...` prints, and the same messages for the app: per file the
//! detected format, what loaded, each skipped row or feature with its reason, or why the file
//! was rejected. The exit status is 0 when every file loaded whole and clean, 1 when any file
//! was rejected, 2 when rows were skipped or rules tolerated with a warning (and none rejected).

use crate::formats::file_kind::check_regular_file;
use crate::import::{Import, ImportedContent, import_file};
use std::path::PathBuf;

/// Every file loaded whole.
pub const EXIT_ALL_WHOLE: i32 = 0;
/// At least one file was rejected (or no file was given).
pub const EXIT_REJECTED: i32 = 1;
/// Rows or features were skipped, or a file loaded with warnings; no file was rejected.
pub const EXIT_SKIPPED: i32 = 2;

/// The printed lines and the exit status of a validation run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidateReport {
    pub lines: Vec<String>,
    pub exit_code: i32,
}

/// Imports each file (nothing is kept) and reports on it. A case's layers outside its folder
/// are not looked at ([`validate_paths_trusting`] with `true` looks).
pub fn validate_paths(paths: &[PathBuf]) -> ValidateReport {
    validate_paths_trusting(paths, false)
}

/// [`validate_paths`]; `trust_layers` (`--trust-layers`) also checks a case's layers that lie
/// outside its folder (see [`crate::case::trust`]), which are otherwise named and skipped.
pub fn validate_paths_trusting(paths: &[PathBuf], trust_layers: bool) -> ValidateReport {
    if paths.is_empty() {
        return ValidateReport {
            lines: vec!["no files given: strikemap validate FILE...".to_owned()],
            exit_code: EXIT_REJECTED,
        };
    }
    let mut lines = Vec::new();
    let (mut whole, mut partial, mut warned, mut rejected) = (0, 0, 0, 0);
    for path in paths {
        if let Some(case) = validate_case(path, trust_layers) {
            match case {
                CaseCheck::Clean(line) => {
                    whole += 1;
                    lines.push(line);
                }
                CaseCheck::Problems(found) => {
                    warned += 1;
                    lines.extend(found);
                }
                CaseCheck::Rejected(line) => {
                    rejected += 1;
                    lines.push(line);
                }
            }
            continue;
        }
        match import_file(path) {
            Ok(import) => {
                if !import.is_whole() {
                    partial += 1;
                } else if !import.warnings.is_empty() {
                    warned += 1;
                } else {
                    whole += 1;
                }
                lines.extend(summarize(&import));
            }
            Err(error) => {
                rejected += 1;
                lines.push(format!("rejected: {error}"));
            }
        }
    }
    let mut tally = format!(
        "{}: {whole} loaded whole, {partial} with skipped rows or features, ",
        plural(paths.len(), "file", "files")
    );
    if warned > 0 {
        tally.push_str(&format!("{warned} loaded with warnings, "));
    }
    tally.push_str(&format!("{rejected} rejected"));
    lines.push(tally);
    let exit_code = if rejected > 0 {
        EXIT_REJECTED
    } else if partial > 0 || warned > 0 {
        EXIT_SKIPPED
    } else {
        EXIT_ALL_WHOLE
    };
    ValidateReport { lines, exit_code }
}

/// What `validate` found in a case file.
enum CaseCheck {
    Clean(String),
    /// The summary line, then a line per problem.
    Problems(Vec<String>),
    Rejected(String),
}

/// Checks a case file (one with a `strikemap_case` member in its first 64 KiB; case files
/// write it before the features): `None` for any other file. A case with problems opens in the
/// app to be mended, so it counts as loaded with warnings.
fn validate_case(path: &std::path::Path, trust_layers: bool) -> Option<CaseCheck> {
    use std::io::Read as _;
    let mut head = Vec::new();
    // Not a regular file (a folder, a device, a named pipe): the import names what it is.
    let (opened, _) = crate::formats::file_kind::open_regular_file(path).ok()?;
    opened.take(64 * 1024).read_to_end(&mut head).ok()?;
    let member = format!("\"{}\"", crate::case::CASE_MEMBER);
    if !head
        .windows(member.len())
        .any(|window| window == member.as_bytes())
    {
        return None;
    }
    let (loaded, _) = match crate::case::load_case_file(path) {
        Ok(loaded) => loaded,
        Err(error) => return Some(CaseCheck::Rejected(format!("rejected: {error}"))),
    };
    let case = &loaded.case;
    let mut summary = format!(
        "{}: Strikemap case (version {}): {}, {}",
        path.display(),
        case.meta.version,
        plural(case.events.len(), "event", "events"),
        plural(case.statements.len(), "statement", "statements")
    );
    if !case.layers.is_empty() {
        summary.push_str(&format!(
            ", {}",
            plural(case.layers.len(), "layer", "layers")
        ));
    }
    // A layer's file that is not there, or is not a file (a folder, a device): the app keeps
    // the layer listed but cannot draw it.
    let missing: Vec<String> = case
        .layers
        .iter()
        .enumerate()
        .filter_map(|(index, layer)| {
            // Shipped with the app (the bundled provinces), not a file to look for.
            if crate::case::is_bundled_layer_path(&layer.path) {
                return None;
            }
            let layer_path = std::path::Path::new(&layer.path);
            if !trust_layers && crate::case::trust::is_outside_case_folder(path, layer_path) {
                return Some(format!(
                    "  layer {} ({}): {}: outside the case's folder, so not read \
                     (--trust-layers reads it)",
                    index + 1,
                    layer.name,
                    layer.path
                ));
            }
            let problem = check_regular_file(layer_path).err()?;
            Some(format!(
                "  layer {} ({}): {}: {problem} (the case keeps it listed; it is not drawn)",
                index + 1,
                layer.name,
                layer.path
            ))
        })
        .collect();
    if loaded.problems.is_empty() && missing.is_empty() {
        return Some(CaseCheck::Clean(summary));
    }
    let mut lines = vec![summary];
    if !loaded.problems.is_empty() {
        lines[0].push_str(&format!(
            "; {} to mend before it can be saved:",
            plural(loaded.problems.len(), "problem", "problems")
        ));
        lines.extend(
            loaded
                .problems
                .iter()
                .map(|problem| format!("  {problem} (at {})", problem.place.json_path())),
        );
    }
    if !missing.is_empty() {
        lines.push(format!(
            "{}: {} of the case not read:",
            path.display(),
            plural(missing.len(), "layer", "layers")
        ));
        lines.extend(missing);
    }
    Some(CaseCheck::Problems(lines))
}

/// The messages for one imported file: "x.csv: ACLED CSV: 3 events loaded, 2 rows skipped",
/// then one indented line per listed skip and, if not all are listed, how many more there are.
pub fn summarize(import: &Import) -> Vec<String> {
    let (loaded, skipped_unit) = match &import.content {
        ImportedContent::Events(collection) => (
            plural(collection.events.len(), "event", "events"),
            if matches!(
                import.format,
                crate::import::DetectedFormat::StrikemapEvents
            ) {
                ("feature", "features")
            } else {
                ("row", "rows")
            },
        ),
        ImportedContent::Overlay(_) | ImportedContent::Layers(_) => (
            plural(import.loaded_count(), "feature", "features"),
            ("feature", "features"),
        ),
        ImportedContent::Imagery(tiff) => {
            let full = tiff
                .levels
                .first()
                .map_or((0, 0), |level| (level.width, level.height));
            (
                format!(
                    "imagery of {} × {} pixels in {}, {} overview{}",
                    full.0,
                    full.1,
                    tiff.georeference.crs_label,
                    tiff.levels.len() - 1,
                    if tiff.levels.len() == 2 { "" } else { "s" }
                ),
                ("pixel", "pixels"),
            )
        }
        ImportedContent::Table(table) => {
            let (one, many) = match table.kind {
                crate::table::TableKind::Points => ("point", "points"),
                _ => ("event", "events"),
            };
            let unit = match table.kind {
                crate::table::TableKind::DatasetRows(_) => ("row", "rows"),
                _ => ("feature", "features"),
            };
            (plural(table.len(), one, many), unit)
        }
    };
    let mut head = format!("{}: {}: {loaded} loaded", import.file, import.format);
    let layers = import.overlays();
    if layers.len() > 1 {
        let names: Vec<&str> = layers.iter().map(|layer| layer.name.as_str()).collect();
        head.push_str(&format!(
            " in {} ({})",
            plural(layers.len(), "layer", "layers"),
            names.join(", ")
        ));
    }
    let unlocated: usize = layers.iter().map(|layer| layer.unlocated.len()).sum();
    if unlocated > 0 {
        let count = crate::text::thousands(unlocated);
        head.push_str(&format!(", {count} without a location"));
    }
    if import.skipped_total > 0 {
        head.push_str(&format!(
            ", {} skipped",
            plural(import.skipped_total, skipped_unit.0, skipped_unit.1)
        ));
    }
    if !import.warnings.is_empty() {
        head.push_str(&format!(
            ", loaded with {}",
            plural(import.warnings.len(), "warning", "warnings")
        ));
    }
    let mut lines = vec![head];
    lines.extend(
        import
            .warnings
            .iter()
            .map(|warning| format!("  warning {warning}")),
    );
    lines.extend(
        import
            .skipped
            .iter()
            .map(|skipped| format!("  skipped {skipped}")),
    );
    let unlisted = import.skipped_total.saturating_sub(import.skipped.len());
    if unlisted > 0 {
        let unit = if unlisted == 1 {
            skipped_unit.0
        } else {
            skipped_unit.1
        };
        let count = crate::text::thousands(unlisted);
        lines.push(format!("  … and {count} more {unit}, not listed"));
    }
    lines
}

fn plural(count: usize, one: &str, many: &str) -> String {
    let count_text = crate::text::thousands(count);
    format!("{count_text} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_bytes;

    #[test]
    fn a_case_is_checked_as_a_case_with_its_problems_listed() {
        let dir =
            std::env::temp_dir().join(format!("strikemap-validate-case-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let clean = dir.join("clean.geojson");
        std::fs::write(&clean, crate::case::BUNDLED_CASE_GEOJSON).unwrap();
        let report = validate_paths(std::slice::from_ref(&clean));
        assert_eq!(report.exit_code, EXIT_ALL_WHOLE, "{:?}", report.lines);
        assert!(
            report.lines[0]
                .ends_with("Strikemap case (version 2): 2 events, 7 statements, 1 layer"),
            "{:?}",
            report.lines
        );

        let mut case = crate::case::bundled_case().unwrap();
        case.events[0].properties.casualty_claims[0].source = "NOPE".into();
        let broken = dir.join("broken.geojson");
        std::fs::write(&broken, crate::case::write_case(&case)).unwrap();
        let report = validate_paths(std::slice::from_ref(&broken));
        assert_eq!(report.exit_code, EXIT_SKIPPED, "{:?}", report.lines);
        assert!(
            report.lines[0].ends_with("1 problem to mend before it can be saved:"),
            "{:?}",
            report.lines
        );
        assert!(
            report.lines[1].contains("casualty_claims[0].source: cites source \"NOPE\""),
            "{:?}",
            report.lines
        );
        assert!(
            report.lines[1].contains("features[0].properties.casualty_claims[0].source"),
            "{:?}",
            report.lines
        );

        std::fs::write(
            &broken,
            "{\"type\": \"FeatureCollection\", \"strikemap_case\": 3}",
        )
        .unwrap();
        let report = validate_paths(std::slice::from_ref(&broken));
        assert_eq!(report.exit_code, EXIT_REJECTED, "{:?}", report.lines);
        assert!(
            report.lines[0].starts_with("rejected: "),
            "{:?}",
            report.lines
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_case_layer_whose_file_is_not_there_is_named() {
        let dir =
            std::env::temp_dir().join(format!("strikemap-validate-layers-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("data").join("here.geojson"), "{}").unwrap();
        let layer = |path: &str, name: &str| crate::case::Layer {
            path: path.into(),
            name: name.into(),
            visible: true,
            colour: "#000000".into(),
            opacity: 1.0,
        };
        let mut case = crate::case::bundled_case().unwrap();
        case.layers = vec![
            layer("data/here.geojson", "Here"),
            layer("data/gone.geojson", "Gone"),
        ];
        let path = dir.join("case.geojson");
        std::fs::write(&path, crate::case::write_case(&case)).unwrap();
        let report = validate_paths(std::slice::from_ref(&path));
        assert_eq!(report.exit_code, EXIT_SKIPPED, "{:?}", report.lines);
        assert!(
            report.lines[0].ends_with(", 2 layers"),
            "{:?}",
            report.lines
        );
        assert!(report.lines[1].ends_with("1 layer of the case not read:"));
        assert!(
            report.lines[2].starts_with("  layer 2 (Gone): ")
                && report.lines[2].contains("gone.geojson: no such file"),
            "{:?}",
            report.lines
        );
        assert_eq!(report.lines.len(), 4, "{:?}", report.lines);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn summary_names_format_counts_and_each_skip() {
        let text = "event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities\n\
                    PAK1,2024-01-16,Battles,Pakistan,26.9,64.1,1,0\n\
                    PAK2,2024-01-16,Battles,Pakistan,96.9,64.1,1,0\n";
        let import = import_bytes("a.csv", text.as_bytes()).unwrap();
        assert_eq!(
            summarize(&import),
            [
                "a.csv: ACLED CSV: 1 event loaded, 1 row skipped",
                "  skipped line 3, column latitude: 96.9 is outside -90..90",
            ]
        );
    }

    #[test]
    fn exit_codes_follow_the_worst_file() {
        let report = validate_paths(&[]);
        assert_eq!(report.exit_code, EXIT_REJECTED);
        let report = validate_paths(&[PathBuf::from("/nonexistent/strikes.geojson")]);
        assert_eq!(report.exit_code, EXIT_REJECTED);
        assert!(report.lines[0].starts_with("rejected: /nonexistent/strikes.geojson: cannot read"));
    }
}
