//! What a tile file says about itself, and the small value types of the API.

use std::path::PathBuf;

pub use strikemap_basemap::LonLatBounds;

/// The container format, detected from the file's first bytes (not its extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Container {
    PmTiles,
    MbTiles,
}

/// What each tile holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileFormat {
    Png,
    Jpeg,
    Webp,
    /// Mapbox Vector Tile (protobuf), drawn with the built-in style.
    Mvt,
}

impl TileFormat {
    pub fn is_vector(self) -> bool {
        self == TileFormat::Mvt
    }

    /// The MBTiles `format` metadata value.
    pub fn mbtiles_name(self) -> &'static str {
        match self {
            TileFormat::Png => "png",
            TileFormat::Jpeg => "jpg",
            TileFormat::Webp => "webp",
            TileFormat::Mvt => "pbf",
        }
    }

    /// Recognises a raster image or (gzipped or plain) protobuf from its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<TileFormat> {
        if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
            Some(TileFormat::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(TileFormat::Jpeg)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(TileFormat::Webp)
        } else if bytes.starts_with(&[0x1F, 0x8B]) || bytes.first() == Some(&0x1A) {
            // gzip, or field 3 (layers), wire type 2: how every vector tile starts.
            Some(TileFormat::Mvt)
        } else {
            None
        }
    }
}

/// The layer schema of a vector tile file, from its `vector_layers` metadata.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VectorSchema {
    /// The Protomaps basemap (layers `earth`, `water`, `roads`, `places`, …): the built-in
    /// style is written for it.
    Protomaps,
    /// OpenMapTiles (layers `water`, `transportation`, `boundary`, `place`, …): drawn with a
    /// reduced version of the style (water, land cover, roads, borders, buildings).
    OpenMapTiles,
    /// Shortbread (layers `ocean`, `water_polygons`, `land`, `streets`, `boundaries`,
    /// `place_labels`, …): drawn with the built-in Shortbread style (`style::builtin`).
    Shortbread,
    /// Any other schema, with its layer names: drawn with the generic style (every polygon,
    /// line and point; water-like layers as water).
    Unknown(Vec<String>),
}

impl VectorSchema {
    /// Whether the layers are all thematic (an unknown schema with no layer named like land,
    /// water, coast or boundaries), so the file is an overlay rather than a basemap.
    pub fn is_thematic(&self) -> bool {
        match self {
            VectorSchema::Unknown(names) => {
                let base = [
                    "land", "earth", "water", "ocean", "sea", "lake", "coast", "boundar", "admin",
                    "countr",
                ];
                !names.is_empty()
                    && !names.iter().any(|name| {
                        base.iter()
                            .any(|word| name.to_ascii_lowercase().contains(word))
                    })
            }
            _ => false,
        }
    }

    pub fn from_layer_names(names: &[String]) -> VectorSchema {
        let has = |name: &str| names.iter().any(|n| n == name);
        if has("earth") && (has("water") || has("roads") || has("places")) {
            VectorSchema::Protomaps
        } else if has("transportation") || (has("water") && has("place") && has("boundary")) {
            VectorSchema::OpenMapTiles
        } else if has("streets") && (has("ocean") || has("water_polygons") || has("land"))
            || (has("place_labels") && has("boundaries"))
        {
            VectorSchema::Shortbread
        } else {
            VectorSchema::Unknown(names.to_vec())
        }
    }
}

/// What the file says about itself. Zooms, bounds and centre come from the PMTiles header or
/// the MBTiles `metadata` table; name and attribution from the metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveInfo {
    pub path: PathBuf,
    pub container: Container,
    pub tile_format: TileFormat,
    pub name: Option<String>,
    /// Plain text: HTML tags are stripped and entities such as `&copy;` decoded.
    pub attribution: Option<String>,
    /// `None` when the file does not say (then every tile counts as inside).
    pub bounds: Option<LonLatBounds>,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// (longitude, latitude, zoom)
    pub center: Option<(f64, f64, u8)>,
    /// For vector files: the schema the layer names match.
    pub vector_schema: Option<VectorSchema>,
    /// An overlay tileset (metadata `type` is `overlay`, or a vector file with no land, water
    /// or boundary layers): drawn without a background, over the world map.
    pub overlay: bool,
}

impl ArchiveInfo {
    /// True when tile `zoom`/`x`/`y` (XYZ) is a valid tile that overlaps the file's bounds
    /// (all valid tiles when the file has none). The zoom range is not checked: below
    /// `min_zoom` [`crate::TileArchive::render_tile`] returns `Ok(None)`, above `max_zoom` it
    /// over-zooms.
    pub fn contains(&self, zoom: u8, x: u32, y: u32) -> bool {
        if zoom > 31 {
            return false;
        }
        let tiles = 1u64 << zoom;
        if u64::from(x) >= tiles || u64::from(y) >= tiles {
            return false;
        }
        let Some(bounds) = self.bounds else {
            return true;
        };
        let tile = strikemap_basemap::tile_math::tile_bounds(zoom, x, y);
        let lat_overlaps = tile.south < bounds.north && bounds.south < tile.north;
        let lon_overlaps = if bounds.west <= bounds.east {
            tile.west < bounds.east && bounds.west < tile.east
        } else {
            // Crosses the antimeridian: west..180 and -180..east.
            tile.east > bounds.west || tile.west < bounds.east
        };
        lat_overlaps && lon_overlaps
    }
}

/// A `size_px` × `size_px` RGBA image: straight (not premultiplied) alpha, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbaTile {
    pub size_px: u32,
    pub rgba: Vec<u8>,
}

impl RgbaTile {
    /// The pixel at (`x`, `y`) as `[r, g, b, a]`, or `None` outside the image.
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        if x >= self.size_px || y >= self.size_px {
            return None;
        }
        let start = (y as usize * self.size_px as usize + x as usize) * 4;
        let bytes = self.rgba.get(start..start + 4)?;
        Some([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
}

/// A place name from a vector tile's `places` (Protomaps) or `place` (OpenMapTiles) layer, for
/// the app to draw with its own text.
#[derive(Debug, Clone, PartialEq)]
pub struct TileLabel {
    pub lon: f64,
    pub lat: f64,
    /// `name:en` where the feature has one, else `name`.
    pub name: String,
    /// Protomaps `kind` (`country`, `region`, `locality`, `neighbourhood`, …) or OpenMapTiles
    /// `class` (`country`, `state`, `city`, `town`, `village`, …).
    pub kind: String,
    /// Importance: lower is more important (draw first, keep on collision). Protomaps
    /// `sort_rank`, else `min_zoom`; OpenMapTiles `rank`; 100 when the feature has none.
    pub rank: u32,
}

/// Removes HTML tags and decodes the common entities: attributions are often written as
/// `<a href="…">© OpenStreetMap</a>`.
pub(crate) fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    let decoded = out
        .replace("&copy;", "©")
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_stripped_from_attribution() {
        assert_eq!(
            strip_html(
                "<a href=\"https://github.com/protomaps/basemaps\">Protomaps</a> &copy; \
                 <a href=\"https://openstreetmap.org\">OpenStreetMap</a>"
            ),
            "Protomaps © OpenStreetMap"
        );
        assert_eq!(strip_html("plain &amp; simple"), "plain & simple");
    }

    #[test]
    fn formats_are_sniffed() {
        assert_eq!(TileFormat::sniff(b"\x89PNG\r\n"), Some(TileFormat::Png));
        assert_eq!(
            TileFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(TileFormat::Jpeg)
        );
        assert_eq!(
            TileFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(TileFormat::Webp)
        );
        assert_eq!(TileFormat::sniff(&[0x1F, 0x8B, 8]), Some(TileFormat::Mvt));
        assert_eq!(TileFormat::sniff(b"hello"), None);
    }

    #[test]
    fn schemas_are_recognised() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            VectorSchema::from_layer_names(&names(&["earth", "water", "roads"])),
            VectorSchema::Protomaps
        );
        assert_eq!(
            VectorSchema::from_layer_names(&names(&["water", "transportation", "place"])),
            VectorSchema::OpenMapTiles
        );
        assert_eq!(
            VectorSchema::from_layer_names(&names(&["foo"])),
            VectorSchema::Unknown(names(&["foo"]))
        );
    }
}
