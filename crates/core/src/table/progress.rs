//! How far a load has got, and the way to stop it.

use crate::error::LoadError;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// How far a load has got, shared between the loading thread and the UI; also how the UI asks
/// it to stop.
#[derive(Debug, Default)]
pub struct LoadProgress {
    done_bytes: AtomicU64,
    total_bytes: AtomicU64,
    cancel: AtomicBool,
}

impl LoadProgress {
    /// Share of the file read so far, 0 to 1 (0 until the size is known).
    pub fn fraction(&self) -> f32 {
        let total = self.total_bytes.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done_bytes.load(Ordering::Relaxed) as f64 / total as f64).clamp(0.0, 1.0) as f32
    }

    pub fn done_bytes(&self) -> u64 {
        self.done_bytes.load(Ordering::Relaxed)
    }

    pub fn total_bytes(&self) -> u64 {
        self.total_bytes.load(Ordering::Relaxed)
    }

    /// Asks the load to stop; it returns [`LoadError::Cancelled`] at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub(crate) fn set_total(&self, bytes: u64) {
        self.total_bytes.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn set_done(&self, bytes: u64) {
        self.done_bytes.store(bytes, Ordering::Relaxed);
    }

    pub(crate) fn check(&self, file: &str) -> Result<(), LoadError> {
        if self.is_cancelled() {
            Err(LoadError::Cancelled {
                file: file.to_owned(),
            })
        } else {
            Ok(())
        }
    }
}
