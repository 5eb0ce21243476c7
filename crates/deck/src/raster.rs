//! Slide pixels → compressed image streams for the PDF, and PNG files for the folder export.
//!
//! The PDF's images are Flate streams with the PNG row predictors (`/Predictor 15`): exactly the
//! zlib data inside a PNG's IDAT chunks, so the PNG encoder's adaptive filtering does the work
//! and the image is lossless.

use image::ExtendedColorType;
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

/// How hard the PDF's images are compressed: `Fast` (fdeflate) is several times quicker than
/// `Default` on a 1920×1080 slide for a file a few percent larger (see the size test).
const PDF_COMPRESSION: CompressionType = CompressionType::Fast;

/// One slide's pixels as PDF image data: Flate + PNG-predictor streams.
pub(crate) struct PdfImage {
    /// RGB samples, one filter byte leading each row, zlib-compressed.
    pub rgb: Vec<u8>,
    /// The alpha channel the same way, only when some pixel is not opaque (a PDF soft mask).
    pub alpha: Option<Vec<u8>>,
}

/// Compresses a validated page's straight-alpha RGBA pixels (`rgba.len() == w * h * 4`).
pub(crate) fn pdf_image(width: u32, height: u32, rgba: &[u8]) -> Result<PdfImage, String> {
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let rgb = idat_stream(&encode_png(
        width,
        height,
        &rgb,
        ExtendedColorType::Rgb8,
        PDF_COMPRESSION,
    )?)?;
    let alpha = if rgba.chunks_exact(4).all(|p| p[3] == u8::MAX) {
        None
    } else {
        let a: Vec<u8> = rgba.chunks_exact(4).map(|p| p[3]).collect();
        Some(idat_stream(&encode_png(
            width,
            height,
            &a,
            ExtendedColorType::L8,
            PDF_COMPRESSION,
        )?)?)
    };
    Ok(PdfImage { rgb, alpha })
}

/// A PNG file of a validated page's RGBA pixels, alpha kept.
pub(crate) fn png_file(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, String> {
    encode_png(
        width,
        height,
        rgba,
        ExtendedColorType::Rgba8,
        CompressionType::Default,
    )
}

fn encode_png(
    width: u32,
    height: u32,
    samples: &[u8],
    color: ExtendedColorType,
    compression: CompressionType,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(samples.len() / 4);
    PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive)
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
}
