//! The file, opened once and read at offsets from any thread, and gzip and brotli.

use std::fs::File;
use std::io;
use std::io::Read;
use strikemap_core::formats::inflate::read_inflated;

/// Decompressed directories, metadata and tiles larger than this are refused (a gzip bomb
/// must not take the app's memory): the largest stored tile ([`crate::mbtiles::MAX_TILE_BYTES`]).
pub(crate) const MAX_INFLATED_BYTES: u64 = 64 << 20;

/// A file read with positional reads: no shared cursor, so `&self` reads from several threads
/// at once need no lock (on Unix and Windows; elsewhere a mutex serialises them).
#[derive(Debug)]
pub(crate) struct FileSource {
    #[cfg(any(unix, windows))]
    file: File,
    #[cfg(not(any(unix, windows)))]
    file: std::sync::Mutex<File>,
}

impl FileSource {
    pub fn new(file: File) -> Self {
        #[cfg(any(unix, windows))]
        return FileSource { file };
        #[cfg(not(any(unix, windows)))]
        return FileSource {
            file: std::sync::Mutex::new(file),
        };
    }

    /// Exactly `len` bytes from `offset`; `UnexpectedEof` when the file is shorter.
    pub fn read_at(&self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        let len = usize::try_from(len).map_err(|_| io::Error::other("length too large"))?;
        let mut buf = vec![0u8; len];
        self.read_exact_at(&mut buf, offset)?;
        Ok(buf)
    }

    #[cfg(unix)]
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, offset)
    }

    #[cfg(windows)]
    fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        use std::os::windows::fs::FileExt;
        while !buf.is_empty() {
            match self.file.seek_read(buf, offset) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    #[cfg(not(any(unix, windows)))]
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        use std::io::Seek;
        let mut file = self
            .file
            .lock()
            .map_err(|_| io::Error::other("file lock poisoned"))?;
        file.seek(io::SeekFrom::Start(offset))?;
        file.read_exact(buf)
    }
}

/// True for the gzip magic bytes.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B])
}

/// Inflates gzip (all members), refusing output beyond [`MAX_INFLATED_BYTES`] or past the
/// ratio `strikemap_core` allows
/// ([`strikemap_core::formats::inflate::MAX_INFLATION_RATIO`]:1), as soon as it passes.
pub(crate) fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    read_capped(
        flate2::read::MultiGzDecoder::new(bytes),
        "gzip",
        bytes.len(),
    )
}

/// Reads a decompressor to the end, refusing output beyond [`MAX_INFLATED_BYTES`] or past the
/// ratio of its compressed size that `strikemap_core` allows.
fn read_capped(decoder: impl Read, format: &str, compressed: usize) -> Result<Vec<u8>, String> {
    read_inflated(
        decoder,
        &format!("{format} data"),
        compressed as u64,
        MAX_INFLATED_BYTES,
    )
    .map_err(|refused| match refused {
        Ok(bomb) => bomb,
        Err(error) => format!("bad {format} data: {error}"),
    })
}

/// Decompresses brotli, bounded as [`gunzip`] is.
pub(crate) fn unbrotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    read_capped(
        brotli_decompressor::Decompressor::new(bytes, 4096),
        "brotli",
        bytes.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_round_trip_and_garbage() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"hello tiles").unwrap();
        let packed = encoder.finish().unwrap();
        assert!(is_gzip(&packed));
        assert_eq!(gunzip(&packed).unwrap(), b"hello tiles");
        assert!(gunzip(&packed[..packed.len() - 5]).is_err());
        assert!(gunzip(&[0x1F, 0x8B, 0, 0, 0]).is_err());
    }

    #[test]
    fn brotli_stored_blocks_and_garbage() {
        let packed = crate::write::brotli_stored(b"hello tiles");
        assert_eq!(unbrotli(&packed).unwrap(), b"hello tiles");
        assert_eq!(unbrotli(&crate::write::brotli_stored(b"")).unwrap(), b"");
        assert!(unbrotli(&packed[..packed.len() - 3]).is_err());
        assert!(unbrotli(&[0xFF, 0xFF, 0xFF]).is_err());
    }
}
