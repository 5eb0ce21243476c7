//! Everything remembered between runs (eframe persistence): the map view, the basemap choice,
//! the fixed layers' looks, recent files, the caveat line and the export size. Plain data (only
//! eframe's storage, no egui): the app reads it, the UI shows it, and only the app shell's
//! `apply` changes it.

use std::path::PathBuf;

/// How many recently opened files the File menu remembers.
pub const RECENT_FILES_KEPT: usize = 10;

/// What is remembered between runs (eframe persistence). Every field has a default, so a settings
/// file from an older version loads, and an unreadable one gives the defaults.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub basemap: TileSourceChoice,
    /// The last custom XYZ URL typed, offered again in the dialog.
    pub custom_url_draft: String,
    /// The map view when the app was closed; `None` opens on the overview.
    pub view: Option<SavedView>,
    /// Which of the fixed map layers are drawn.
    pub layers: MapLayerVisibility,
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    /// Case files opened or saved, most recent first.
    pub recent_cases: Vec<PathBuf>,
    /// The caveat or classification line shown at the top and bottom of presentations and
    /// exports; the text is the user's, empty for none.
    pub caveat: String,
    /// Size of exported images, in pixels.
    pub export_size: [u32; 2],
    /// Case files whose layers outside their folder the user agreed to load ("Load these
    /// layers"): they load without asking again.
    pub trusted_case_files: Vec<PathBuf>,
    /// The team store last opened, as its URL without a password (a password is never saved).
    pub team_store: String,
}

/// A map view: centre and zoom.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

/// Visibility of the map's fixed layers.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MapLayerVisibility {
    pub provinces: bool,
    pub uncertainty: bool,
    pub basemap_labels: bool,
    /// The locator inset at the desk (slides and exports always have it).
    pub locator_inset: bool,
}

impl Default for MapLayerVisibility {
    fn default() -> Self {
        Self {
            provinces: true,
            uncertainty: true,
            basemap_labels: true,
            locator_inset: true,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            basemap: TileSourceChoice::default(),
            custom_url_draft: String::new(),
            view: None,
            layers: MapLayerVisibility::default(),
            recent_files: Vec::new(),
            recent_cases: Vec::new(),
            caveat: String::new(),
            export_size: [1920, 1080],
            trusted_case_files: Vec::new(),
            team_store: String::new(),
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent files, without duplicates, keeping a few.
    pub fn remember_file(&mut self, path: PathBuf) {
        self.recent_files.retain(|known| known != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(RECENT_FILES_KEPT);
    }

    /// Puts a case file first in the recent cases, without duplicates, keeping a few.
    pub fn remember_case(&mut self, path: PathBuf) {
        self.recent_cases.retain(|known| known != &path);
        self.recent_cases.insert(0, path);
        self.recent_cases.truncate(RECENT_FILES_KEPT);
    }

    /// Whether the user agreed to load the layers outside the folder of the case file `path`.
    pub fn trusts_case_layers(&self, path: &std::path::Path) -> bool {
        self.trusted_case_files.iter().any(|known| known == path)
    }

    /// "Load these layers": the case file's outside layers load without asking from now on.
    pub fn trust_case_layers(&mut self, path: PathBuf) {
        if !self.trusts_case_layers(&path) {
            self.trusted_case_files.push(path);
        }
    }
}

impl Settings {
    pub const STORAGE_KEY: &'static str = "strikemap-settings";

    /// The stored settings, or the defaults when there are none or they cannot be read.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|storage| eframe::get_value(storage, Self::STORAGE_KEY))
            .unwrap_or_default()
    }

    pub fn store(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Self::STORAGE_KEY, self);
    }
}

/// Which basemap the user chose. Persisted between runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TileSourceChoice {
    /// Natural Earth tiles rendered in the app: no network needed.
    #[default]
    Offline,
    OpenStreetMap,
    OpenTopoMap,
    /// The user's own XYZ tile server, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`.
    CustomXyz {
        url_template: String,
    },
    /// The user's own basemap file: PMTiles (raster or vector) or MBTiles, drawn over the
    /// offline map.
    File {
        path: std::path::PathBuf,
    },
}

impl TileSourceChoice {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Offline => "Offline (Natural Earth)",
            Self::OpenStreetMap => "OpenStreetMap",
            Self::OpenTopoMap => "OpenTopoMap",
            Self::CustomXyz { .. } => "Custom XYZ URL…",
            Self::File { .. } => "Basemap file",
        }
    }

    /// What the basemap menu shows for this choice: a file by its name.
    pub fn describe(&self) -> String {
        match self {
            Self::File { path } => format!(
                "File: {}",
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned()
                )
            ),
            other => other.label().to_owned(),
        }
    }

    /// Whether tiles come over the network.
    pub fn is_online(&self) -> bool {
        matches!(
            self,
            Self::OpenStreetMap | Self::OpenTopoMap | Self::CustomXyz { .. }
        )
    }
}

/// Checks a custom XYZ URL template: http or https, a host, and each of `{z}`, `{x}`, `{y}`
/// exactly once. Returns the trimmed template.
pub fn validate_xyz_template(template: &str) -> Result<String, String> {
    let template = template.trim();
    let rest = template
        .strip_prefix("https://")
        .or_else(|| template.strip_prefix("http://"))
        .ok_or("the URL must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.contains('{') {
        return Err("the URL has no host name".into());
    }
    if template.chars().any(char::is_whitespace) {
        return Err("the URL contains spaces".into());
    }
    for placeholder in ["{z}", "{x}", "{y}"] {
        match template.matches(placeholder).count() {
            1 => {}
            0 => return Err(format!("the URL has no {placeholder}")),
            _ => return Err(format!("the URL has {placeholder} more than once")),
        }
    }
    Ok(template.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xyz_templates_are_validated() {
        assert_eq!(
            validate_xyz_template(" https://t.example.org/{z}/{x}/{y}.png "),
            Ok("https://t.example.org/{z}/{x}/{y}.png".to_owned())
        );
        assert!(validate_xyz_template("http://127.0.0.1:8080/{z}/{x}/{y}").is_ok());
        for (bad, reason) in [
            ("ftp://t.example.org/{z}/{x}/{y}.png", "http"),
            ("https://t.example.org/{z}/{x}.png", "no {y}"),
            (
                "https://t.example.org/{z}/{x}/{y}/{z}.png",
                "{z} more than once",
            ),
            ("https:///{z}/{x}/{y}.png", "no host"),
            ("https://t.example.org/{z}/{x}/{y}.png?a b", "spaces"),
            ("file:///{z}/{x}/{y}.png", "http"),
        ] {
            let error = validate_xyz_template(bad).unwrap_err();
            assert!(error.contains(reason), "{bad}: {error}");
        }
    }
}
