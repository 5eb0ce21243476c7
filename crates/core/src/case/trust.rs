//! A received case is untrusted: its layers are read without asking only when they lie in the
//! case file's own folder (or below it). A layer named by an absolute path elsewhere, or by
//! `..` out of the folder, could be any file on the machine (a device, someone's keys), so the
//! app lists those paths and loads them only after the user agrees; the command line needs
//! `--trust-layers`.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` dropped and each `..` taking off the folder before it, without asking the
/// file system (a path that climbs above its root keeps its `..`).
fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() {
                    normal.push("..");
                }
            }
            other => normal.push(other),
        }
    }
    normal
}

/// Whether the layer at `layer_path` (as the case reads it, made whole) lies outside the
/// folder of the case file at `case_path`.
pub fn is_outside_case_folder(case_path: &Path, layer_path: &Path) -> bool {
    let folder = lexically_normal(&super::store::case_folder(case_path));
    !lexically_normal(layer_path).starts_with(folder)
}

/// The case's layer paths (as [`super::load_case_file`] gives them) that lie outside the
/// folder of its file, in the case's order.
pub fn layers_outside_case_folder(case_path: &Path, case: &super::Case) -> Vec<PathBuf> {
    case.layers
        .iter()
        .filter(|layer| !layer.path.is_empty() && !super::is_bundled_layer_path(&layer.path))
        .map(|layer| PathBuf::from(&layer.path))
        .filter(|path| is_outside_case_folder(case_path, path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_layers_below_the_case_folder_are_inside() {
        let case = Path::new("/cases/iran/case.geojson");
        assert!(!is_outside_case_folder(
            case,
            Path::new("/cases/iran/strikes.csv")
        ));
        assert!(!is_outside_case_folder(
            case,
            Path::new("/cases/iran/maps/./a.kml")
        ));
        assert!(is_outside_case_folder(
            case,
            Path::new("/cases/iran/../other.csv")
        ));
        assert!(is_outside_case_folder(case, Path::new("/dev/zero")));
        // The bundled provinces are no file: never asked about.
        let bundled = crate::case::bundled_case().unwrap();
        assert_eq!(bundled.layers[0].path, crate::case::BUNDLED_PROVINCES_LAYER);
        assert!(layers_outside_case_folder(case, &bundled).is_empty());
        assert!(is_outside_case_folder(
            case,
            Path::new("/cases/iranian/x.csv")
        ));
        assert!(!is_outside_case_folder(
            case,
            Path::new("/cases/iran/sub/../x.csv")
        ));
    }
}
