//! Slide pixels → compressed image streams for the PDF, and PNG files for the folder export.
//!
//! The PDF's images are Flate streams with the PNG row predictors (`/Predictor 15`): exactly the
//! zlib data inside a PNG's IDAT chunks, so the PNG encoder's adaptive filtering does the work
//! and the image is lossless.

use image::ExtendedColorType;
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

/// Every PNG and PDF image is compressed the same way. On a 1920×1080 slide made from the
/// app's screenshot (tests/measure.rs) zlib level 3 with the Sub row filter gave 1085 KB in
/// 83 ms, against 1468 KB in 90 ms for fdeflate's `Fast`, 1107 KB in 207 ms for `Default`
/// (level 6, adaptive filters) and 1049 KB in 426 ms for `Best`: map slides are mostly
/// horizontal runs of flat colour, which Sub suits better than the adaptive choice.
const COMPRESSION: CompressionType = CompressionType::Level(3);
const FILTER: FilterType = FilterType::Sub;

/// One slide's pixels as PDF image data: Flate + PNG-predictor streams.
pub(crate) struct PdfImage {
    /// RGB samples, one filter byte leading each row, zlib-compressed.
    pub rgb: Vec<u8>,
    /// The alpha channel the same way, only when some pixel is not opaque (a PDF soft mask).
    pub alpha: Option<Vec<u8>>,
}

/// Compresses a validated page's straight-alpha RGBA pixels (`rgba.len() == w * h * 4`).
pub(crate) fn pdf_image(width: u32, height: u32, rgba: &[u8]) -> Result<PdfImage, String> {
    let rgb = to_rgb(width, height, rgba)?;
    let rgb = idat_stream(&encode_png(width, height, &rgb, ExtendedColorType::Rgb8)?)?;
    let alpha = if opaque(rgba) {
        None
    } else {
        let a: Vec<u8> = rgba.iter().skip(3).step_by(4).copied().collect();
        Some(idat_stream(&encode_png(
            width,
            height,
            &a,
            ExtendedColorType::L8,
        )?)?)
    };
    Ok(PdfImage { rgb, alpha })
}

/// A PNG file of a validated page's RGBA pixels: RGB when every pixel is opaque (a quarter
/// fewer bytes to compress), else RGBA.
pub(crate) fn png_file(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, String> {
    if !opaque(rgba) {
        return encode_png(width, height, rgba, ExtendedColorType::Rgba8);
    }
    encode_png(
        width,
        height,
        &to_rgb(width, height, rgba)?,
        ExtendedColorType::Rgb8,
    )
}

fn opaque(rgba: &[u8]) -> bool {
    rgba.iter().skip(3).step_by(4).all(|&a| a == u8::MAX)
}

/// The RGB samples of RGBA pixels, by `image`'s conversion (optimised even in a debug build of
/// this crate).
fn to_rgb(width: u32, height: u32, rgba: &[u8]) -> Result<image::RgbImage, String> {
    let buffer = image::RgbaImage::from_raw(width, height, rgba.to_vec())
        .ok_or_else(|| format!("{} bytes are not a {width}×{height} RGBA image", rgba.len()))?;
    Ok(image::DynamicImage::ImageRgba8(buffer).into_rgb8())
}

/// `f` of every item, on as many threads as there are cores (at most one per item), in order.
pub(crate) fn par_map<T: Sync, R: Send, E: Send>(
    items: &[T],
    f: impl Fn(usize, &T) -> Result<R, E> + Sync,
    thread_failed: impl Fn() -> E,
) -> Result<Vec<R>, E> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| f(i, item))
            .collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let f = &f;
    let chunks: Vec<Result<Vec<R>, E>> = std::thread::scope(|s| {
        let workers: Vec<_> = items
            .chunks(per_thread)
            .enumerate()
            .map(|(c, chunk)| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(i, item)| f(c * per_thread + i, item))
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(thread_failed())))
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for chunk in chunks {
        out.extend(chunk?);
    }
    Ok(out)
}

fn encode_png(
    width: u32,
    height: u32,
    samples: &[u8],
    color: ExtendedColorType,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(samples.len() / 4);
    PngEncoder::new_with_quality(&mut out, COMPRESSION, FILTER)
        .write_image(samples, width, height, color)
        .map_err(|e| format!("PNG encoding failed: {e}"))?;
    Ok(out)
}

/// The concatenated data of a PNG's IDAT chunks: one zlib stream of filtered rows.
fn idat_stream(png: &[u8]) -> Result<Vec<u8>, String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let broken = || "the PNG encoder wrote an unreadable stream".to_string();
    let mut rest = png.strip_prefix(SIGNATURE).ok_or_else(broken)?;
    let mut data = Vec::with_capacity(png.len());
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let len = usize::try_from(len).map_err(|_| broken())?;
        let kind = &rest[4..8];
        let body = rest.get(8..8 + len).ok_or_else(broken)?;
        match kind {
            // Interlace method, the IHDR's last byte: the PDF predictor needs plain rows.
            b"IHDR" if body.get(12) != Some(&0) => return Err(broken()),
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => {
                return if data.is_empty() {
                    Err(broken())
                } else {
                    Ok(data)
                };
            }
            _ => {}
        }
        rest = rest.get(12 + len..).ok_or_else(broken)?;
    }
    Err(broken())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(zlib: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec_zlib(zlib).unwrap()
    }

    #[test]
    fn opaque_pixels_have_no_mask_and_round_trip_through_png() {
        let (w, h) = (7u32, 5u32);
        let rgba: Vec<u8> = (0..w * h * 4)
            .map(|i| {
                if i % 4 == 3 {
                    255
                } else {
                    (i * 37 % 251) as u8
                }
            })
            .collect();
        let img = pdf_image(w, h, &rgba).unwrap();
        assert!(img.alpha.is_none());
        assert!(!img.rgb.is_empty());
        // One filter byte, then the RGB samples, per row: what `/Predictor 15` expects.
        assert_eq!(inflate(&img.rgb).len(), (h * (1 + w * 3)) as usize);
        let png = png_file(w, h, &rgba).unwrap();
        let back = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(back.into_raw(), rgba);
    }

    #[test]
    fn translucent_pixels_get_a_mask() {
        let rgba = vec![10, 20, 30, 128, 40, 50, 60, 255];
        let img = pdf_image(2, 1, &rgba).unwrap();
        assert_eq!(inflate(&img.alpha.unwrap()).len(), 1 + 2);
    }

    #[test]
    fn par_map_keeps_order_and_the_first_error() {
        let items: Vec<usize> = (0..9).collect();
        let doubled = par_map(&items, |i, &x| Ok::<_, String>((i, x * 2)), String::new).unwrap();
        assert_eq!(doubled, (0..9).map(|x| (x, x * 2)).collect::<Vec<_>>());
        let err = par_map(&items, |i, _| if i >= 7 { Err(i) } else { Ok(()) }, || 99).unwrap_err();
        assert_eq!(err, 7);
    }
}
