//! Decompression is bounded everywhere (KMZ entries here; gzip tiles and directories in
//! `strikemap_tilefile`). Ordinary data compresses a few times, rarely past 20:1; a
//! decompression bomb (zeros deflated, about 1000:1) is refused: an entry whose declared or
//! actual inflated size passes [`MAX_INFLATION_RATIO`] times its compressed size is refused
//! before or while it is inflated, reading no more than the limit and one byte, so a header
//! that lies about the size cannot help.

use std::io::Read;

/// The largest inflated size allowed, as a multiple of the compressed size: 200:1.
pub const MAX_INFLATION_RATIO: u64 = 200;

/// Small entries may inflate this much whatever their ratio (a few bytes of compressed text
/// can hold a page of repeats, harmlessly).
pub const INFLATION_FLOOR_BYTES: u64 = 1 << 20;

/// The most `compressed` bytes may inflate to.
pub fn inflation_limit(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MAX_INFLATION_RATIO)
        .max(INFLATION_FLOOR_BYTES)
}

/// Why inflated data was refused: `what` (e.g. "doc.kml in the archive") of `compressed`
/// bytes inflates (or declares it inflates) to `inflated` bytes or more.
pub fn bomb_message(what: &str, compressed: u64, inflated: u64, declared: bool) -> String {
    let verb = if declared {
        "declares that it inflates to"
    } else {
        "inflates to more than"
    };
    format!(
        "{what} {verb} {} bytes from {} bytes compressed, past the {MAX_INFLATION_RATIO}:1 \
         allowed; refused as a decompression bomb",
        crate::text::thousands(usize::try_from(inflated).unwrap_or(usize::MAX)),
        crate::text::thousands(usize::try_from(compressed).unwrap_or(usize::MAX)),
    )
}

/// Inflates from `reader` (a decoder over `compressed` bytes) into memory, refusing output past
/// [`inflation_limit`] or `cap` (a memory bound), whichever is lower, as soon as it passes.
/// `Err(Ok(message))` for a bomb, `Err(Err(io))` for bad data.
pub fn read_inflated(
    reader: impl Read,
    what: &str,
    compressed: u64,
    cap: u64,
) -> Result<Vec<u8>, Result<String, std::io::Error>> {
    let limit = inflation_limit(compressed).min(cap);
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(Err)?;
    if out.len() as u64 > limit {
        if limit < inflation_limit(compressed) {
            return Err(Ok(format!(
                "{what} inflates to more than {} bytes from {} bytes compressed, more than it \
                 may take in memory; refused",
                crate::text::thousands(usize::try_from(limit).unwrap_or(usize::MAX)),
                crate::text::thousands(usize::try_from(compressed).unwrap_or(usize::MAX)),
            )));
        }
        return Err(Ok(bomb_message(what, compressed, limit, false)));
    }
    Ok(out)
}

/// A decoder read as a stream, bounded like [`read_inflated`]: reading past `limit` bytes of
/// output fails with `refusal` (an I/O error of kind `InvalidData`), having read no more than
/// the limit and one byte. Why reading stopped, when it did, is kept ([`Self::failure`]) for the
/// caller whose parser turned the error into its own.
pub struct BoundedInflate<R> {
    inner: std::io::Take<R>,
    limit: u64,
    read: u64,
    refusal: String,
    failure: Option<InflateFailure>,
}

/// Why a [`BoundedInflate`] stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InflateFailure {
    /// Past the limit: the refusal given.
    Refused(String),
    /// The decoder's own error (damaged data).
    Unreadable(String),
}

impl<R: Read> BoundedInflate<R> {
    pub fn new(reader: R, limit: u64, refusal: String) -> Self {
        Self {
            inner: reader.take(limit.saturating_add(1)),
            limit,
            read: 0,
            refusal,
            failure: None,
        }
    }

    /// Why reading stopped early, if it did.
    pub fn failure(&self) -> Option<&InflateFailure> {
        self.failure.as_ref()
    }
}

impl<R: Read> Read for BoundedInflate<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(out).inspect_err(|error| {
            self.failure = Some(InflateFailure::Unreadable(error.to_string()));
        })?;
        self.read += count as u64;
        if self.read > self.limit {
            self.failure = Some(InflateFailure::Refused(self.refusal.clone()));
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                self.refusal.clone(),
            ));
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_past_the_ratio_are_refused_and_ordinary_data_is_not() {
        use std::io::Write as _;
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![0; 8 << 20]).unwrap();
        let packed = encoder.finish().unwrap();
        let decoder = flate2::read::DeflateDecoder::new(packed.as_slice());
        let message = read_inflated(decoder, "bomb", packed.len() as u64, u64::MAX)
            .unwrap_err()
            .unwrap();
        assert!(message.contains("past the 200:1 allowed"), "{message}");
        assert!(
            message.contains(&crate::text::thousands(packed.len())),
            "{message}"
        );
        let text = b"ordinary text, compressed a few times".repeat(1000);
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&text).unwrap();
        let packed = encoder.finish().unwrap();
        let decoder = flate2::read::DeflateDecoder::new(packed.as_slice());
        assert_eq!(
            read_inflated(decoder, "text", packed.len() as u64, u64::MAX).unwrap(),
            text
        );
        assert_eq!(inflation_limit(10 << 20), 2000 << 20);
        assert_eq!(inflation_limit(10), INFLATION_FLOOR_BYTES);
    }
}
