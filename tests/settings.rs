//! Settings survive a restart; a corrupt or older settings file gives defaults, never a crash.

use std::collections::HashMap;
use strikemap::app::Settings;
use strikemap::map::TileSourceChoice;

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
