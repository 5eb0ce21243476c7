//! Opening a basemap through a MapLibre style file: the style names its vector source
//! (`pmtiles://`, `mbtiles://` or a path, relative to the style file), which is opened and
//! drawn by the style.

use std::path::{Path, PathBuf};

use crate::TileArchive;
use crate::error::{ErrorKind, TileFileError};
use crate::style::{SourceLocation, StyleDocument};

/// Whether the file looks like a style (JSON starting with `{`), not a tile archive.
fn looks_like_json(path: &Path) -> bool {
    let Ok(bytes) =
        std::fs::read(path).map(|bytes| bytes.into_iter().take(64).collect::<Vec<u8>>())
    else {
        return false;
    };
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn local_path(style_path: &Path, location: &SourceLocation) -> Option<PathBuf> {
    let text = match location {
        SourceLocation::PmTiles(path)
        | SourceLocation::MbTiles(path)
        | SourceLocation::Other(path) => path,
    };
    let text = text.strip_prefix("file://").unwrap_or(text);
    if text.contains("://") || text.contains('{') {
        return None;
    }
    let path = Path::new(text);
    Some(if path.is_absolute() {
        path.to_path_buf()
    } else {
        style_path.parent().unwrap_or(Path::new(".")).join(path)
    })
}

impl TileArchive {
    /// Opens a tile archive, or a MapLibre style file and the archive of its vector source.
    pub fn open_basemap(path: &Path) -> Result<TileArchive, TileFileError> {
        if looks_like_json(path) {
            TileArchive::open_style(path)
        } else {
            TileArchive::open(path)
        }
    }

    /// Reads the style at `path`, opens its first vector source that is a local file and
    /// draws that file by the style. Unsupported properties are kept in
    /// [`TileArchive::style_problems`]; only an unreadable style or no local vector source
    /// is an error.
    pub fn open_style(path: &Path) -> Result<TileArchive, TileFileError> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            TileFileError::new(path, ErrorKind::Unreadable, format!("cannot read: {error}"))
        })?;
        let origin = path.display().to_string();
        let style = StyleDocument::parse(&text, &origin)
            .map_err(|message| TileFileError::new(path, ErrorKind::Corrupt, message))?;
        let vector_sources: Vec<_> = style
            .sources
            .iter()
            .filter(|source| source.kind == "vector")
            .collect();
        let Some((source, archive_path)) = vector_sources
            .iter()
            .find_map(|source| Some((source, local_path(path, source.location.as_ref()?)?)))
        else {
            let message = if vector_sources.is_empty() {
                "the style has no vector source".to_string()
            } else {
                "the style's vector sources are online (URLs); Strikemap opens local files only: \
                 write the source as \"pmtiles://FILE\" or \"mbtiles://FILE\""
                    .to_string()
            };
            return Err(TileFileError::new(path, ErrorKind::NotATileFile, message));
        };
        let mut archive = TileArchive::open(&archive_path)?;
        let source_id = source.id.clone();
        archive.set_user_style(style, source_id);
        Ok(archive)
    }
}
