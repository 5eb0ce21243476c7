//! Whether a file fits in memory, checked before it is read: there is no fixed size limit, only
//! what the machine has free. A load's need is estimated from the file's size and the way it is
//! read (whole, or streamed as a table), and compared with the memory available (Linux:
//! `MemAvailable` in `/proc/meminfo`; elsewhere an assumed [`ASSUMED_AVAILABLE_BYTES`]).
//!
//! The estimates come from measurements (`docs/performance.md`, "A whole ACLED export"): a table
//! keeps under [`TABLE_BYTES_PER_ROW`] per row at its peak, on top of its reading buffers; a
//! file read whole is held as bytes, then as text, then as parsed values, about
//! [`WHOLE_FILE_FACTOR`] times its size in all.

use crate::error::LoadError;

/// Memory a file read whole needs, as a multiple of its size.
pub const WHOLE_FILE_FACTOR: u64 = 6;

/// Memory a table needs per row or feature at its peak (the columns it keeps, the id, and the
/// growth of its vectors): twice the 125 bytes per row measured for `strikemap validate` on 3
/// million ACLED rows, for longer ids and GeoJSON's larger chunks.
pub const TABLE_BYTES_PER_ROW: u64 = 250;

/// Memory a table load needs whatever its size: reading buffers, batches of rows in flight, the
/// GeoJSON chunks.
pub const TABLE_FIXED_BYTES: u64 = 96 << 20;

/// Memory assumed available where the system does not say (not Linux).
pub const ASSUMED_AVAILABLE_BYTES: u64 = 16 << 30;

/// What a whole-file read of `file_bytes` needs.
pub fn whole_file_estimate(file_bytes: u64) -> u64 {
    file_bytes.saturating_mul(WHOLE_FILE_FACTOR)
}

/// What a table of a `file_bytes` file needs, when its first `sample_bytes` hold `sample_rows`
/// rows or features: the rows of the whole file counted at the sample's rate (at least one per
/// sample, for a file whose first row is longer than the sample).
pub fn table_estimate(file_bytes: u64, sample_bytes: u64, sample_rows: u64) -> u64 {
    let sample_bytes = sample_bytes.max(1);
    let rows = u128::from(file_bytes) * u128::from(sample_rows.max(1)) / u128::from(sample_bytes);
    let rows = u64::try_from(rows).unwrap_or(u64::MAX);
    rows.saturating_mul(TABLE_BYTES_PER_ROW)
        .saturating_add(TABLE_FIXED_BYTES)
}

/// The memory available for a load now, in bytes, and whether the system said so (`false`:
/// [`ASSUMED_AVAILABLE_BYTES`] is assumed).
pub fn available_memory() -> (u64, bool) {
    let reported = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available(&text));
    match reported {
        Some(bytes) => (bytes, true),
        None => (ASSUMED_AVAILABLE_BYTES, false),
    }
}

/// `MemAvailable` of a `/proc/meminfo` text, in bytes.
pub fn mem_available(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let rest = line.strip_prefix("MemAvailable:")?;
        let mut parts = rest.split_whitespace();
        let value: u64 = parts.next()?.parse().ok()?;
        match parts.next() {
            Some("kB") => value.checked_mul(1024),
            None => Some(value),
            Some(_) => None,
        }
    })
}

/// Refuses a load whose estimated need is more than is available, naming the file's size, the
/// estimate and what is available (`reported`: the system said so, rather than it being assumed).
pub fn check_memory(
    file: &str,
    file_bytes: u64,
    estimate: u64,
    (available, reported): (u64, bool),
) -> Result<(), LoadError> {
    if estimate <= available {
        return Ok(());
    }
    let available = if reported {
        format!("{} is available", size_text(available))
    } else {
        format!(
            "this system does not say how much is free, and {} is assumed",
            size_text(available)
        )
    };
    Err(LoadError::Read {
        file: file.to_owned(),
        message: format!(
            "not enough memory to load it: the file has {} bytes ({}); loading it needs about \
             {} (estimated) and {available}. Close other programs, or load a smaller extract",
            crate::text::thousands(usize::try_from(file_bytes).unwrap_or(usize::MAX)),
            size_text(file_bytes),
            size_text(estimate)
        ),
    })
}

/// 1536 → "1.5 KiB"; 3 << 30 → "3.0 GiB".
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS.get(unit).copied().unwrap_or("PiB"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_available_is_read_in_bytes() {
        let meminfo = "MemTotal:       24577412 kB\nMemFree:        17981440 kB\n\
                       MemAvailable:   23068672 kB\nBuffers:          123 kB\n";
        assert_eq!(mem_available(meminfo), Some(23_068_672 * 1024));
        assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots kB\n"), None);
        assert!(available_memory().0 > 0);
    }

    #[test]
    fn estimates_grow_with_the_file_and_the_rows_in_it() {
        assert_eq!(whole_file_estimate(100 << 20), 600 << 20);
        assert_eq!(whole_file_estimate(u64::MAX), u64::MAX);
        // 3 million rows of 415 bytes: 750 MB of rows, plus the buffers.
        let acled = table_estimate(1_245_000_000, 415_000, 1_000);
        assert_eq!(acled, 3_000_000 * TABLE_BYTES_PER_ROW + TABLE_FIXED_BYTES);
        // A sample without a row end counts as one row.
        assert_eq!(
            table_estimate(1 << 20, 64 << 10, 0),
            16 * TABLE_BYTES_PER_ROW + TABLE_FIXED_BYTES
        );
        assert_eq!(table_estimate(u64::MAX, 1, u64::MAX), u64::MAX);
    }

    #[test]
    fn a_load_that_does_not_fit_is_refused_with_the_numbers() {
        assert!(check_memory("f.csv", 10, 100, (100, true)).is_ok());
        let error = check_memory("f.csv", 3 << 30, 18 << 30, (4 << 30, true)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "f.csv: cannot read the file: not enough memory to load it: the file has \
             3,221,225,472 bytes (3.0 GiB); loading it needs about 18.0 GiB (estimated) and \
             4.0 GiB is available. Close other programs, or load a smaller extract"
        );
        let error = check_memory("f.csv", 3 << 30, 18 << 30, (16 << 30, false)).unwrap_err();
        assert!(
            error.to_string().contains(
                "needs about 18.0 GiB (estimated) and this system does not say how much is \
                 free, and 16.0 GiB is assumed."
            ),
            "{error}"
        );
    }

    #[test]
    fn sizes_are_written_for_people() {
        assert_eq!(size_text(0), "0 bytes");
        assert_eq!(size_text(1023), "1023 bytes");
        assert_eq!(size_text(1536), "1.5 KiB");
        assert_eq!(size_text(1_247_463_283), "1.2 GiB");
        assert_eq!(size_text(u64::MAX), "16384.0 PiB");
    }
}
