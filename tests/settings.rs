//! Settings survive a restart; a corrupt or older settings file gives defaults, never a crash.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use strikemap::settings::Settings;
use strikemap::settings::TileSourceChoice;

#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn settings_round_trip() {
    let settings = Settings {
        basemap: TileSourceChoice::CustomXyz {
            url_template: "https://tiles.example.org/{z}/{x}/{y}.png".into(),
        },
        custom_url_draft: "https://tiles.example.org/{z}/{x}/{y}.png".into(),
        view: Some(strikemap::settings::SavedView {
            lon: 63.1,
            lat: 27.2,
            zoom: 7.5,
        }),
        layers: strikemap::settings::MapLayerVisibility {
            provinces: false,
            uncertainty: true,
            basemap_labels: false,
            locator_inset: false,
        },
        recent_files: vec!["/data/a.geojson".into(), "/data/b.geojson".into()],
        recent_cases: vec!["/data/case.geojson".into()],
        caveat: "UNCLASSIFIED".into(),
        export_size: [1280, 720],
        trusted_case_files: vec!["/data/received/case.geojson".into()],
        team_store: "postgresql://alice@db.example.org/team".into(),
    };
    let mut storage = MemoryStorage::default();
    settings.store(&mut storage);
    assert_eq!(Settings::load(Some(&storage)), settings);
}

#[test]
fn no_storage_gives_the_offline_default() {
    assert_eq!(Settings::load(None).basemap, TileSourceChoice::Offline);
}

#[test]
fn a_corrupt_settings_file_gives_defaults() {
    for corrupt in [
        "",
        "(((",
        "not ron at all",
        "(basemap: Teleport)",
        "\u{0}\u{1}",
    ] {
        let mut storage = MemoryStorage::default();
        eframe::Storage::set_string(&mut storage, Settings::STORAGE_KEY, corrupt.to_owned());
        assert_eq!(
            Settings::load(Some(&storage)),
            Settings::default(),
            "{corrupt:?}"
        );
    }
}

#[test]
fn an_older_settings_file_keeps_what_it_has() {
    // An older version stored only the basemap.
    let mut storage = MemoryStorage::default();
    eframe::Storage::set_string(
        &mut storage,
        Settings::STORAGE_KEY,
        "(basemap: OpenStreetMap)".into(),
    );
    let loaded = Settings::load(Some(&storage));
    assert_eq!(loaded.basemap, TileSourceChoice::OpenStreetMap);
    assert_eq!(loaded.custom_url_draft, "");
}

#[test]
fn recent_files_are_most_recent_first_without_duplicates() {
    let mut settings = Settings::default();
    for name in ["a", "b", "a", "c"] {
        settings.remember_file(format!("/data/{name}.geojson").into());
    }
    let names: Vec<String> = settings
        .recent_files
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    assert_eq!(
        names,
        ["/data/c.geojson", "/data/a.geojson", "/data/b.geojson"]
    );
    for index in 0..30 {
        settings.remember_file(format!("/data/{index}.geojson").into());
    }
    assert_eq!(
        settings.recent_files.len(),
        strikemap::settings::RECENT_FILES_KEPT
    );
}

#[test]
fn a_saved_view_is_restored_and_a_broken_one_ignored() {
    let ctx = egui::Context::default();
    let settings = Settings {
        view: Some(strikemap::settings::SavedView {
            lon: 61.0,
            lat: 26.0,
            zoom: 9.0,
        }),
        ..Settings::default()
    };
    let app = strikemap::StrikemapApp::new(&ctx, settings, None);
    assert_eq!(
        app.state.pending_view,
        Some(strikemap::state::ViewRequest::Show {
            center: strikemap::model::LonLat {
                lon: 61.0,
                lat: 26.0
            },
            zoom: 9.0
        })
    );
    let broken = Settings {
        view: Some(strikemap::settings::SavedView {
            lon: f64::NAN,
            lat: 26.0,
            zoom: 9.0,
        }),
        ..Settings::default()
    };
    let app = strikemap::StrikemapApp::new(&ctx, broken, None);
    assert!(matches!(
        app.state.pending_view,
        Some(strikemap::state::ViewRequest::Fit(_))
    ));
}
