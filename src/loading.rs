//! Reading data files off the UI thread: the window keeps drawing while files load, and results
//! arrive as messages the app applies on its next frame.

use crate::data::LoadError;
use crate::import::Import;
use std::path::PathBuf;
use std::sync::mpsc;

/// A file that finished loading, or failed to.
pub struct Loaded {
    pub path: PathBuf,
    pub result: Result<Import, LoadError>,
}

pub struct BackgroundLoader {
    sender: mpsc::Sender<Loaded>,
    receiver: mpsc::Receiver<Loaded>,
    /// Files asked for and not yet back.
    in_flight: usize,
}

impl Default for BackgroundLoader {
    fn default() -> Self {
        let (sender, receiver) = mpsc::channel();
        Self {
            sender,
            receiver,
            in_flight: 0,
        }
    }
}

impl BackgroundLoader {
    /// Starts loading `paths` on a worker thread; `wake` is called after each file.
    pub fn load(&mut self, paths: Vec<PathBuf>, wake: impl Fn() + Send + 'static) {
        if paths.is_empty() {
            return;
        }
        self.in_flight += paths.len();
        let sender = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("file-loader".into())
            .spawn(move || {
                for path in paths {
                    let result = crate::import::import_file(&path);
                    if sender.send(Loaded { path, result }).is_err() {
                        return;
                    }
                    wake();
                }
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start a loader thread: {error}");
            self.in_flight = 0;
        }
    }

    /// What finished since the last call.
    pub fn finished(&mut self) -> Vec<Loaded> {
        let done: Vec<Loaded> = self.receiver.try_iter().collect();
        self.in_flight = self.in_flight.saturating_sub(done.len());
        done
    }

    pub fn is_busy(&self) -> bool {
        self.in_flight > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_load_in_the_background_and_report_errors() {
        let dir = std::env::temp_dir().join(format!("strikemap-loader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.geojson");
        std::fs::write(&good, crate::data::BUNDLED_STRIKES_GEOJSON).unwrap();
        let missing = dir.join("missing.geojson");

        let mut loader = BackgroundLoader::default();
        loader.load(vec![good.clone(), missing.clone()], || {});
        assert!(loader.is_busy());
        let mut done = Vec::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while done.len() < 2 && std::time::Instant::now() < deadline {
            done.extend(loader.finished());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!loader.is_busy());
        assert_eq!(done[0].path, good);
        assert_eq!(done[0].result.as_ref().unwrap().loaded_count(), 2);
        let error = done[1].result.as_ref().unwrap_err().to_string();
        assert!(error.starts_with(&missing.display().to_string()), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
