//! Only regular files are read. A path is looked at before anything opens it: a folder, a
//! device (`/dev/zero` never ends), a named pipe (opening one waits for a writer, for ever), a
//! socket, or a symbolic link that loops is refused with what it is. Links are followed only
//! to regular files. A file opened this way is read up to the size it had when it was opened
//! ([`read_to_opened_size`]): a file that grows meanwhile is cut there.

use std::fs::{File, Metadata};
use std::io::{self, Read as _};
use std::path::Path;

/// Why a path is not a regular file that can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAFile {
    /// Nothing is there (or a symbolic link points at nothing).
    Missing {
        dangling_link: bool,
    },
    Folder,
    Device,
    NamedPipe,
    Socket,
    /// A symbolic link that leads back to itself.
    LinkLoop,
    /// Anything else: permissions, I/O errors (the system's message).
    Unreadable(String),
}

impl std::fmt::Display for NotAFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing {
                dangling_link: false,
            } => f.write_str("no such file"),
            Self::Missing {
                dangling_link: true,
            } => f.write_str("a symbolic link to a file that does not exist"),
            Self::Folder => f.write_str("it is a folder, not a file"),
            Self::Device => f.write_str("it is a device, not a file"),
            Self::NamedPipe => f.write_str("it is a named pipe (FIFO), not a file"),
            Self::Socket => f.write_str("it is a socket, not a file"),
            Self::LinkLoop => f.write_str("a symbolic link loop (the link leads back to itself)"),
            Self::Unreadable(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for NotAFile {}

/// ELOOP: too many levels of symbolic links (Linux, and the BSDs and macOS).
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

fn from_io(error: &io::Error, is_link: bool) -> NotAFile {
    if cfg!(unix) && error.raw_os_error() == Some(ELOOP) {
        return NotAFile::LinkLoop;
    }
    match error.kind() {
        io::ErrorKind::NotFound => NotAFile::Missing {
            dangling_link: is_link,
        },
        io::ErrorKind::IsADirectory => NotAFile::Folder,
        _ => NotAFile::Unreadable(error.to_string()),
    }
}

/// What kind of thing `metadata` (followed through links) describes, when not a regular file.
fn kind_problem(metadata: &Metadata) -> Option<NotAFile> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some(NotAFile::Folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_block_device() || kind.is_char_device() {
            return Some(NotAFile::Device);
        }
        if kind.is_fifo() {
            return Some(NotAFile::NamedPipe);
        }
        if kind.is_socket() {
            return Some(NotAFile::Socket);
        }
    }
    Some(NotAFile::Device)
}

/// The metadata of the regular file at `path` (links followed), or what the path is instead.
/// Nothing is opened, so a named pipe cannot block.
pub fn check_regular_file(path: &Path) -> Result<Metadata, NotAFile> {
    let is_link = std::fs::symlink_metadata(path)
        .map_err(|error| from_io(&error, false))?
        .file_type()
        .is_symlink();
    let metadata = std::fs::metadata(path).map_err(|error| from_io(&error, is_link))?;
    match kind_problem(&metadata) {
        Some(problem) => Err(problem),
        None => Ok(metadata),
    }
}

/// Opens the regular file at `path` after [`check_regular_file`], and checks again what was
/// opened (the path may have been swapped meanwhile). Gives the file and its size now.
pub fn open_regular_file(path: &Path) -> Result<(File, u64), NotAFile> {
    check_regular_file(path)?;
    let file = File::open(path).map_err(|error| from_io(&error, false))?;
    let metadata = file.metadata().map_err(|error| from_io(&error, false))?;
    if let Some(problem) = kind_problem(&metadata) {
        return Err(problem);
    }
    Ok((file, metadata.len()))
}

/// Bytes read by [`read_to_opened_size`].
#[derive(Debug)]
pub struct OpenedBytes {
    pub bytes: Vec<u8>,
    /// The file held more than its size when it was opened (it grew while being read): the
    /// bytes stop at that size.
    pub grew: bool,
}

/// Reads `file` to the end, but never past `opened_len` (its size when it was opened).
pub fn read_to_opened_size(file: &mut File, opened_len: u64) -> io::Result<OpenedBytes> {
    // Sized once: growing by doubling would hold the old and the new buffer at the same time.
    let capacity = usize::try_from(opened_len).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(capacity);
    std::io::Read::take(&mut *file, opened_len).read_to_end(&mut bytes)?;
    let mut probe = [0_u8; 1];
    let grew = bytes.len() as u64 == opened_len && file.read(&mut probe)? > 0;
    Ok(OpenedBytes { bytes, grew })
}

/// The warning for a file that grew while it was read.
pub fn grew_warning(opened_len: u64) -> String {
    format!(
        "the file grew while it was read; only its first {} bytes (its size when it was \
         opened) were read",
        crate::text::thousands(usize::try_from(opened_len).unwrap_or(usize::MAX))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_to_its_opened_size() {
        let dir = std::env::temp_dir().join(format!("strikemap-kind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("grows.txt");
        std::fs::write(&path, b"hello").unwrap();
        let (mut file, len) = open_regular_file(&path).unwrap();
        assert_eq!(len, 5);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut more| std::io::Write::write_all(&mut more, b" world"))
            .unwrap();
        let read = read_to_opened_size(&mut file, len).unwrap();
        assert_eq!(read.bytes, b"hello");
        assert!(read.grew);
        let (mut file, len) = open_regular_file(&path).unwrap();
        assert!(!read_to_opened_size(&mut file, len).unwrap().grew);
        assert_eq!(check_regular_file(&dir).unwrap_err(), NotAFile::Folder);
        assert_eq!(
            check_regular_file(&dir.join("nothing")).unwrap_err(),
            NotAFile::Missing {
                dangling_link: false
            }
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
