//! GeoTIFF and Cloud-Optimised GeoTIFF imagery, read by window with the `tiff` crate: the
//! first image directory is the full resolution, the reduced-resolution directories after it
//! (GDAL's internal overviews) are the levels a zoomed-out view reads. 8- or 16-bit unsigned
//! samples, one band (drawn grey through a 2–98 percentile stretch taken from the smallest
//! level) or RGB (16-bit stretched the same way, 8-bit as is), with an alpha band or GDAL's
//! nodata value drawn clear. Placed by [`georef`]; a file with no georeferencing or in a system
//! without a PROJ definition is refused saying which.
//!
//! Opening reads the directories and a sample of the smallest level's chunks, never the image;
//! [`WindowReader`] then reads the chunks a window needs.

mod georef;
mod pixels;
mod window;

pub use georef::{Georeference, PixelToModel};
pub use pixels::{Bands, Stretch};
pub use window::{CHUNK_CACHE_BYTES, PixelWindow, WindowImage, WindowReader};

use crate::error::LoadError;
use georef::{GeoTags, read_georeference};
use pixels::{Palette, lookup_table, percentile_stretch};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use tiff::ColorType;
use tiff::decoder::{ChunkType, Decoder, Limits};
use tiff::tags::Tag;

/// The first bytes of a TIFF (little- and big-endian) and a BigTIFF.
pub const TIFF_MAGICS: [&[u8]; 4] = [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"];

/// True when `head` starts like a TIFF.
pub fn is_tiff(head: &[u8]) -> bool {
    TIFF_MAGICS.iter().any(|magic| head.starts_with(magic))
}

/// Chunks of the smallest level read for the contrast stretch, at most.
const STRETCH_SAMPLE_CHUNKS: u32 = 64;

/// One resolution of the image: the full one (level 0) or an overview.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    /// The image directory's place in the file's chain.
    pub ifd: usize,
    pub width: u32,
    pub height: u32,
    /// A tile's size, or the image width and the rows of a strip.
    pub chunk_width: u32,
    pub chunk_height: u32,
    pub tiled: bool,
}

/// An opened GeoTIFF: its levels, where it lies and how its samples are drawn.
pub struct GeoTiff {
    /// The file as named in messages.
    pub file: String,
    pub path: PathBuf,
    /// Full resolution first, then each overview, largest first.
    pub levels: Vec<Level>,
    pub georeference: Georeference,
    pub bands: Bands,
    pub bits: u8,
    pub nodata: Option<u16>,
    pub stretch: Option<Stretch>,
    /// The day the image was made, from its TIFF DateTime tag ("2024-01-18").
    pub acquired: Option<String>,
    /// West, south, east, north in degrees, around the image's edges.
    pub bounds: [f64; 4],
    palette: Palette,
}

impl std::fmt::Debug for GeoTiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoTiff")
            .field("file", &self.file)
            .field("levels", &self.levels)
            .field("georeference", &self.georeference)
            .field("bands", &self.bands)
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

/// Two opened files are the same imagery when they are the same file read the same way.
impl PartialEq for GeoTiff {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && self.levels == other.levels
            && self.georeference.pixel_to_model == other.georeference.pixel_to_model
            && self.stretch == other.stretch
    }
}

pub(super) fn open_decoder(file: &str, path: &Path) -> Result<Decoder<BufReader<File>>, LoadError> {
    let opened = File::open(path).map_err(|error| LoadError::Read {
        file: file.to_owned(),
        message: error.to_string(),
    })?;
    let mut limits = Limits::default();
    // Chunk offset and byte count arrays of a large striped image exceed the default.
    limits.ifd_value_size = 64 << 20;
    Decoder::new(BufReader::with_capacity(64 << 10, opened))
        .map(|decoder| decoder.with_limits(limits))
        .map_err(|error| LoadError::Document {
            file: file.to_owned(),
            message: format!("cannot be read as a TIFF: {error}"),
        })
}

impl GeoTiff {
    /// Opens a GeoTIFF: its directories, georeferencing and stretch; no image is read whole.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        let file = path.display().to_string();
        let fail = |message: String| LoadError::Document {
            file: file.clone(),
            message,
        };
        let mut decoder = open_decoder(&file, path)?;
        let tags = read_geo_tags(&mut decoder).map_err(&fail)?;
        let georeference = read_georeference(&tags).map_err(&fail)?;
        let (bands, bits) = pixel_kind(&mut decoder).map_err(&fail)?;
        let nodata = decoder
            .find_tag(Tag::GdalNodata)
            .ok()
            .flatten()
            .and_then(|value| value.into_string().ok())
            .and_then(|text| text.trim_matches(char::from(0)).trim().parse::<f64>().ok())
            .filter(|value| value.fract() == 0.0 && (0.0..=65_535.0).contains(value))
            .map(|value| value as u16);
        let acquired = decoder
            .find_tag(Tag::DateTime)
            .ok()
            .flatten()
            .and_then(|value| value.into_string().ok())
            .and_then(|text| tiff_date(&text));
        let levels = read_levels(&mut decoder, bands, bits).map_err(&fail)?;
        let bounds = edge_bounds(&georeference, &levels[0])
            .ok_or_else(|| fail("no corner of the image lies on the earth".to_owned()))?;
        let mut tiff = Self {
            file: file.clone(),
            path: path.to_owned(),
            levels,
            georeference,
            bands,
            bits,
            nodata,
            stretch: None,
            acquired,
            bounds,
            palette: Palette {
                bands,
                bits,
                nodata,
                lookup: lookup_table(bits, None),
            },
        };
        let stretched = bits == 16 || matches!(bands, Bands::Gray | Bands::GrayAlpha);
        if stretched {
            tiff.stretch = tiff.sample_stretch()?;
            tiff.palette.lookup = lookup_table(bits, tiff.stretch);
        }
        Ok(tiff)
    }

    pub(super) fn error(&self, message: impl Into<String>) -> LoadError {
        LoadError::Document {
            file: self.file.clone(),
            message: message.into(),
        }
    }

    /// Full-resolution pixels per pixel of `level`, across.
    pub fn level_scale(&self, level: usize) -> f64 {
        match self.levels.get(level) {
            Some(info) => f64::from(self.levels[0].width) / f64::from(info.width.max(1)),
            None => 1.0,
        }
    }

    /// The coarsest level still as sharp as `full_pixels_per_screen_pixel` full-resolution
    /// pixels to a screen pixel.
    pub fn level_for(&self, full_pixels_per_screen_pixel: f64) -> usize {
        (0..self.levels.len())
            .rev()
            .find(|&level| self.level_scale(level) <= full_pixels_per_screen_pixel)
            .unwrap_or(0)
    }

    /// WGS 84 longitude, latitude of a full-resolution pixel position (corner-based).
    pub fn lon_lat(&self, col: f64, row: f64) -> Option<(f64, f64)> {
        self.georeference.lon_lat(col, row)
    }

    /// The 2–98 percentile stretch of a sample of the smallest level's chunks.
    fn sample_stretch(&self) -> Result<Option<Stretch>, LoadError> {
        let level = self.levels.len() - 1;
        let info = self.levels[level];
        let chunks =
            info.width.div_ceil(info.chunk_width) * info.height.div_ceil(info.chunk_height);
        let step = chunks.div_ceil(STRETCH_SAMPLE_CHUNKS).max(1);
        let mut reader = WindowReader::open(self)?;
        let mut samples = Vec::new();
        for index in (0..chunks).step_by(step as usize) {
            samples.push(reader.raw_chunk(level, index)?);
        }
        Ok(percentile_stretch(&samples, self.bands, self.nodata))
    }
}

fn read_geo_tags(decoder: &mut Decoder<BufReader<File>>) -> Result<GeoTags, String> {
    let mut doubles = |tag: Tag, name: &str| -> Result<Option<Vec<f64>>, String> {
        match decoder.find_tag(tag) {
            Ok(None) => Ok(None),
            Ok(Some(value)) => value
                .into_f64_vec()
                .map(Some)
                .map_err(|error| format!("its {name} tag cannot be read: {error}")),
            Err(error) => Err(format!("its {name} tag cannot be read: {error}")),
        }
    };
    let pixel_scale = doubles(Tag::ModelPixelScaleTag, "ModelPixelScale")?;
    let tiepoint = doubles(Tag::ModelTiepointTag, "ModelTiepoint")?;
    let transformation = doubles(Tag::ModelTransformationTag, "ModelTransformation")?;
    let key_directory = match decoder.find_tag(Tag::GeoKeyDirectoryTag) {
        Ok(None) => None,
        Ok(Some(value)) => Some(
            value
                .into_u16_vec()
                .map_err(|error| format!("its GeoKeyDirectory cannot be read: {error}"))?,
        ),
        Err(error) => return Err(format!("its GeoKeyDirectory cannot be read: {error}")),
    };
    Ok(GeoTags {
        pixel_scale,
        tiepoint,
        transformation,
        key_directory,
    })
}

/// The bands and bit depth of the current image, or why they are not drawn.
fn pixel_kind(decoder: &mut Decoder<BufReader<File>>) -> Result<(Bands, u8), String> {
    let colour = decoder
        .colortype()
        .map_err(|error| format!("its pixels cannot be read: {error}"))?;
    let (bands, bits) = match colour {
        ColorType::Gray(bits) => (Bands::Gray, bits),
        ColorType::GrayA(bits) => (Bands::GrayAlpha, bits),
        ColorType::RGB(bits) => (Bands::Rgb, bits),
        ColorType::RGBA(bits) => (Bands::RgbAlpha, bits),
        other => {
            return Err(format!(
                "its pixels are {other:?}; imagery is read as one band (grey) or RGB, with or \
                 without alpha"
            ));
        }
    };
    if bits != 8 && bits != 16 {
        return Err(format!(
            "its samples are {bits}-bit; imagery is read at 8 or 16 bits"
        ));
    }
    let format = decoder
        .find_tag_unsigned::<u16>(Tag::SampleFormat)
        .ok()
        .flatten()
        .unwrap_or(1);
    if format != 1 {
        let name = match format {
            2 => "signed integers",
            3 => "floating point",
            _ => "not unsigned integers",
        };
        return Err(format!(
            "its samples are {name}; imagery is read as 8- or 16-bit unsigned integers"
        ));
    }
    let planar = decoder
        .find_tag_unsigned::<u16>(Tag::PlanarConfiguration)
        .ok()
        .flatten()
        .unwrap_or(1);
    if planar != 1 && bands != Bands::Gray {
        return Err(
            "its bands are stored one after another (PlanarConfiguration 2); \
                    imagery is read pixel-interleaved (gdal_translate -co INTERLEAVE=PIXEL)"
                .to_owned(),
        );
    }
    Ok((bands, bits))
}

/// The full-resolution image and the overviews after it, largest first; masks and other
/// images are passed over.
fn read_levels(
    decoder: &mut Decoder<BufReader<File>>,
    bands: Bands,
    bits: u8,
) -> Result<Vec<Level>, String> {
    let mut levels = vec![current_level(decoder, 0)?];
    let mut ifd = 0;
    while decoder.more_images() && ifd < 64 {
        ifd += 1;
        decoder
            .next_image()
            .map_err(|error| format!("image directory {ifd} cannot be read: {error}"))?;
        let subfile = decoder
            .find_tag_unsigned::<u32>(Tag::NewSubfileType)
            .ok()
            .flatten()
            .unwrap_or(0);
        let reduced = subfile & 1 == 1 && subfile & 4 == 0;
        if reduced && pixel_kind(decoder).is_ok_and(|kind| kind == (bands, bits)) {
            levels.push(current_level(decoder, ifd)?);
        }
    }
    levels.sort_by_key(|level| std::cmp::Reverse(level.width));
    Ok(levels)
}

fn current_level(decoder: &mut Decoder<BufReader<File>>, ifd: usize) -> Result<Level, String> {
    let (width, height) = decoder
        .dimensions()
        .map_err(|error| format!("image {ifd} has no size: {error}"))?;
    let tiled = decoder.get_chunk_type() == ChunkType::Tile;
    let (chunk_width, chunk_height) = decoder.chunk_dimensions();
    if width == 0 || height == 0 || chunk_width == 0 || chunk_height == 0 {
        return Err(format!("image {ifd} is empty ({width} × {height} pixels)"));
    }
    Ok(Level {
        ifd,
        width,
        height,
        chunk_width,
        chunk_height: chunk_height.min(height),
        tiled,
    })
}

/// Around the image's edges, sampled 16 times a side (a projected image's edges curve).
fn edge_bounds(georeference: &Georeference, level: &Level) -> Option<[f64; 4]> {
    let (width, height) = (f64::from(level.width), f64::from(level.height));
    let mut bounds: Option<[f64; 4]> = None;
    for step in 0..=16 {
        let t = f64::from(step) / 16.0;
        for (col, row) in [
            (t * width, 0.0),
            (t * width, height),
            (0.0, t * height),
            (width, t * height),
        ] {
            if let Some((lon, lat)) = georeference.lon_lat(col, row) {
                let [west, south, east, north] = bounds.get_or_insert([lon, lat, lon, lat]);
                *west = west.min(lon);
                *south = south.min(lat);
                *east = east.max(lon);
                *north = north.max(lat);
            }
        }
    }
    bounds
}

/// "2024:01:18 06:02:31" (TIFF's DateTime) as "2024-01-18".
fn tiff_date(text: &str) -> Option<String> {
    let day = text.trim_matches(char::from(0)).trim().get(..10)?;
    let parts: Vec<&str> = day.split(':').collect();
    match parts.as_slice() {
        [year, month, day]
            if year.len() == 4
                && month.len() == 2
                && day.len() == 2
                && parts
                    .iter()
                    .all(|part| part.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some(format!("{year}-{month}-{day}"))
        }
        _ => None,
    }
}
