//! Raster tiles: decode PNG/JPEG/WebP and resample (a square of) the image to the requested
//! size with bilinear filtering, alpha-weighted so transparent pixels do not bleed colour.

use image::{ImageFormat, RgbaImage};

use crate::info::{RgbaTile, TileFormat};
use crate::mvt::render::SubSquare;

/// Images larger than this on a side are refused (a tile is 256 or 512 pixels).
const MAX_SIDE_PX: u32 = 4096;

pub fn decode(bytes: &[u8], format: TileFormat) -> Result<RgbaImage, String> {
    let image_format = match format {
        TileFormat::Png => ImageFormat::Png,
        TileFormat::Jpeg => ImageFormat::Jpeg,
        TileFormat::Webp => ImageFormat::WebP,
        TileFormat::Mvt => return Err("a vector tile is not an image".into()),
    };
    // The file's tile type may be wrong; trust the bytes where they say something else.
    let image_format = match TileFormat::sniff(bytes) {
        Some(TileFormat::Png) => ImageFormat::Png,
        Some(TileFormat::Jpeg) => ImageFormat::Jpeg,
        Some(TileFormat::Webp) => ImageFormat::WebP,
        _ => image_format,
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), image_format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PX);
    limits.max_image_height = Some(MAX_SIDE_PX);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| {
        format!(
            "the {} image does not decode: {e}",
            format_name(image_format)
        )
    })?;
    if image.width() == 0 || image.height() == 0 {
        return Err("the image has no pixels".into());
    }
    Ok(image.to_rgba8())
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        _ => "raster",
    }
}

/// Resamples sub-square `sub` of `image` to `size_px` × `size_px`.
pub fn resample(image: &RgbaImage, sub: SubSquare, size_px: u32) -> RgbaTile {
    let (width, height) = (f64::from(image.width()), f64::from(image.height()));
    let cells = f64::from(1u32 << sub.depth.min(30));
    let (cell_w, cell_h) = (width / cells, height / cells);
    let (left, top) = (f64::from(sub.x) * cell_w, f64::from(sub.y) * cell_h);
    let step_x = cell_w / f64::from(size_px);
    let step_y = cell_h / f64::from(size_px);
    let mut rgba = Vec::with_capacity(size_px as usize * size_px as usize * 4);
    for row in 0..size_px {
        let sy = top + (f64::from(row) + 0.5) * step_y - 0.5;
        for col in 0..size_px {
            let sx = left + (f64::from(col) + 0.5) * step_x - 0.5;
            rgba.extend_from_slice(&bilinear(image, sx, sy));
        }
    }
    RgbaTile { size_px, rgba }
}

fn bilinear(image: &RgbaImage, x: f64, y: f64) -> [u8; 4] {
    let max_x = f64::from(image.width().saturating_sub(1));
    let max_y = f64::from(image.height().saturating_sub(1));
    let (x, y) = (x.clamp(0.0, max_x), y.clamp(0.0, max_y));
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x1, y1) = ((x0 + 1.0).min(max_x), (y0 + 1.0).min(max_y));
    let mut sum = [0.0f64; 4];
    for (px, py, weight) in [
        (x0, y0, (1.0 - fx) * (1.0 - fy)),
        (x1, y0, fx * (1.0 - fy)),
        (x0, y1, (1.0 - fx) * fy),
        (x1, y1, fx * fy),
    ] {
        let pixel = image.get_pixel(px as u32, py as u32).0;
        let alpha = f64::from(pixel[3]) * weight;
        for channel in 0..3 {
            sum[channel] += f64::from(pixel[channel]) * alpha;
        }
        sum[3] += alpha;
    }
    if sum[3] <= 0.0 {
        return [0, 0, 0, 0];
    }
    let channel = |value: f64| value.round().clamp(0.0, 255.0) as u8;
    [
        channel(sum[0] / sum[3]),
        channel(sum[1] / sum[3]),
        channel(sum[2] / sum[3]),
        channel(sum[3]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_cropped_and_scaled() {
        // Left half red, right half blue.
        let image = RgbaImage::from_fn(8, 8, |x, _| {
            if x < 4 {
                image::Rgba([255, 0, 0, 255])
            } else {
                image::Rgba([0, 0, 255, 255])
            }
        });
        let whole = resample(&image, SubSquare::WHOLE, 16);
        assert_eq!(whole.pixel(0, 0), Some([255, 0, 0, 255]));
        assert_eq!(whole.pixel(15, 15), Some([0, 0, 255, 255]));
        let right = resample(
            &image,
            SubSquare {
                depth: 1,
                x: 1,
                y: 0,
            },
            16,
        );
        assert_eq!(right.pixel(2, 0), Some([0, 0, 255, 255]));
        assert_eq!(right.pixel(15, 15), Some([0, 0, 255, 255]));
    }

    #[test]
    fn transparent_pixels_do_not_bleed() {
        let image = RgbaImage::from_fn(2, 1, |x, _| {
            if x == 0 {
                image::Rgba([0, 0, 0, 0])
            } else {
                image::Rgba([200, 100, 50, 255])
            }
        });
        let tile = resample(&image, SubSquare::WHOLE, 4);
        let [r, g, b, a] = tile.pixel(2, 0).unwrap();
        assert_eq!((r, g, b), (200, 100, 50));
        assert!(a > 0 && a < 255);
    }
}
