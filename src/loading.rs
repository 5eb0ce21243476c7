//! Reading data files off the UI thread: the window keeps drawing while files load, and results
//! arrive as messages the app applies on its next frame.

use crate::error::LoadError;
use crate::import::{Import, ImportedContent};
use crate::spatial::PointIndex;
use crate::state::{LayerId, RecordRequest};
use crate::table::{LoadProgress, Record};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

/// A file that finished loading, or failed to.
pub struct Loaded {
    pub path: PathBuf,
    pub result: Result<Import, LoadError>,
    /// The spatial index of a table, built on the loading thread.
    pub index: Option<Arc<PointIndex>>,
}

/// A file asked for and not yet back, with how far it has got.
#[derive(Clone)]
pub struct Pending {
    pub path: PathBuf,
    pub progress: Arc<LoadProgress>,
}

pub struct BackgroundLoader {
    sender: mpsc::Sender<Loaded>,
    receiver: mpsc::Receiver<Loaded>,
    /// Files asked for and not yet back, in loading order.
    pending: Vec<Pending>,
}

impl Default for BackgroundLoader {
    fn default() -> Self {
        let (sender, receiver) = mpsc::channel();
        Self {
            sender,
            receiver,
            pending: Vec::new(),
        }
    }
}

impl BackgroundLoader {
    /// Starts loading `paths` on a worker thread; `wake` is called after each file.
    pub fn load(&mut self, paths: Vec<PathBuf>, wake: impl Fn() + Send + 'static) {
        if paths.is_empty() {
            return;
        }
        let jobs: Vec<Pending> = paths
            .into_iter()
            .map(|path| Pending {
                path,
                progress: Arc::new(LoadProgress::default()),
            })
            .collect();
        self.pending.extend(jobs.iter().cloned());
        let sender = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("file-loader".into())
            .spawn(move || {
                for job in jobs {
                    let started = std::time::Instant::now();
                    let result = crate::import::import_file_with_progress(&job.path, &job.progress);
                    let index = match &result {
                        Ok(Import {
                            content: ImportedContent::Table(table),
                            ..
                        }) => Some(Arc::new(table.build_index())),
                        _ => None,
                    };
                    tracing::info!(
                        "loaded {} in {:.0} ms",
                        job.path.display(),
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                    let loaded = Loaded {
                        path: job.path,
                        result,
                        index,
                    };
                    if sender.send(loaded).is_err() {
                        return;
                    }
                    wake();
                }
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start a loader thread: {error}");
            self.pending.clear();
        }
    }

    /// What finished since the last call.
    pub fn finished(&mut self) -> Vec<Loaded> {
        let done: Vec<Loaded> = self.receiver.try_iter().collect();
        for loaded in &done {
            if let Some(position) = self.pending.iter().position(|job| job.path == loaded.path) {
                self.pending.remove(position);
            }
        }
        done
    }

    pub fn is_busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The files still loading, the one being read first.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// Stops every load under way or waiting (each returns [`LoadError::Cancelled`]).
    pub fn cancel_all(&self) {
        for job in &self.pending {
            job.progress.cancel();
        }
    }

    /// Stops every load and forgets it: nothing of it is delivered, not even its cancellation
    /// (another case was opened, and the files of the case before are no longer wanted).
    pub fn abandon_all(&mut self) {
        self.cancel_all();
        self.pending.clear();
        let (sender, receiver) = mpsc::channel();
        self.sender = sender;
        self.receiver = receiver;
    }
}

/// A table row's record, read from its file.
pub struct RecordRead {
    pub layer: LayerId,
    pub row: u32,
    pub record: Result<Record, String>,
}

/// Reads the records of clicked table rows on a worker thread, one request at a time, so a
/// slow disk never stalls a frame.
pub struct RecordReader {
    sender: mpsc::Sender<RecordRead>,
    receiver: mpsc::Receiver<RecordRead>,
    /// Requests sent and not yet answered.
    in_flight: usize,
}

impl Default for RecordReader {
    fn default() -> Self {
        let (sender, receiver) = mpsc::channel();
        Self {
            sender,
            receiver,
            in_flight: 0,
        }
    }
}

impl RecordReader {
    /// Starts reading each requested record; `wake` is called when one is read.
    pub fn read(&mut self, requests: Vec<RecordRequest>, wake: impl Fn() + Send + 'static) {
        if requests.is_empty() {
            return;
        }
        let sender = self.sender.clone();
        let count = requests.len();
        let spawned = std::thread::Builder::new()
            .name("record-reader".into())
            .spawn(move || {
                for request in requests {
                    let record = request
                        .table
                        .record(request.row)
                        .map_err(|error| error.to_string());
                    let read = RecordRead {
                        layer: request.layer,
                        row: request.row,
                        record,
                    };
                    if sender.send(read).is_err() {
                        return;
                    }
                    wake();
                }
            });
        match spawned {
            Ok(_) => self.in_flight += count,
            Err(error) => tracing::error!("cannot start a record reader: {error}"),
        }
    }

    /// The records read since the last call.
    pub fn finished(&mut self) -> Vec<RecordRead> {
        let done: Vec<RecordRead> = self.receiver.try_iter().collect();
        self.in_flight = self.in_flight.saturating_sub(done.len());
        done
    }

    /// True while a record is being read.
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
        let events = crate::formats::bundled::bundled_events().unwrap().events;
        std::fs::write(&good, crate::export::events_to_geojson(None, &events)).unwrap();
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

        // Abandoned loads deliver nothing, and the loader takes new work at once.
        loader.load(vec![good.clone(), good.clone(), good.clone()], || {});
        loader.abandon_all();
        assert!(!loader.is_busy());
        loader.load(vec![missing.clone()], || {});
        let mut after = Vec::new();
        while after.is_empty() && std::time::Instant::now() < deadline {
            after.extend(loader.finished());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        after.extend(loader.finished());
        let paths: Vec<&PathBuf> = after.iter().map(|loaded| &loaded.path).collect();
        assert_eq!(paths, [&missing], "only the new load is delivered");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
