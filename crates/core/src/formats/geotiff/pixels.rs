//! Samples to screen colours: what a GeoTIFF's pixels hold (one band or RGB, with or without
//! alpha, 8 or 16 bits), the 2–98 percentile contrast stretch, and one chunk's samples turned
//! into RGBA through a lookup table made once per file.

/// The bands of a pixel, as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bands {
    Gray,
    GrayAlpha,
    Rgb,
    RgbAlpha,
}

impl Bands {
    pub fn samples(self) -> usize {
        match self {
            Self::Gray => 1,
            Self::GrayAlpha => 2,
            Self::Rgb => 3,
            Self::RgbAlpha => 4,
        }
    }

    /// How many of the samples are colour (the rest is alpha).
    fn colour_samples(self) -> usize {
        match self {
            Self::Gray | Self::GrayAlpha => 1,
            Self::Rgb | Self::RgbAlpha => 3,
        }
    }
}

/// One chunk's samples as decoded.
pub enum Samples {
    U8(Vec<u8>),
    U16(Vec<u16>),
}

impl Samples {
    fn len(&self) -> usize {
        match self {
            Self::U8(values) => values.len(),
            Self::U16(values) => values.len(),
        }
    }

    fn get(&self, index: usize) -> u16 {
        match self {
            Self::U8(values) => values.get(index).map_or(0, |value| u16::from(*value)),
            Self::U16(values) => values.get(index).copied().unwrap_or(0),
        }
    }
}

/// The lowest and highest sample shown (black and white); values between are spread linearly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stretch {
    pub low: u16,
    pub high: u16,
}

/// The 2nd and 98th percentiles of the colour samples (nodata left out); `None` when there
/// are none.
pub fn percentile_stretch(
    samples: &[Samples],
    bands: Bands,
    nodata: Option<u16>,
) -> Option<Stretch> {
    let mut histogram = vec![0u64; 65_536];
    let step = bands.samples();
    for chunk in samples {
        for pixel in 0..chunk.len() / step {
            for band in 0..bands.colour_samples() {
                let value = chunk.get(pixel * step + band);
                if Some(value) != nodata
                    && let Some(count) = histogram.get_mut(usize::from(value))
                {
                    *count += 1;
                }
            }
        }
    }
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return None;
    }
    let at = |fraction: f64| {
        let wanted = (total as f64 * fraction).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (value, count) in histogram.iter().enumerate() {
            seen += count;
            if seen >= wanted {
                return u16::try_from(value).unwrap_or(u16::MAX);
            }
        }
        u16::MAX
    };
    let low = at(0.02);
    let high = at(0.98).max(low.saturating_add(1));
    Some(Stretch { low, high })
}

/// Sample value → displayed byte, for every value the file's bit depth can hold.
pub fn lookup_table(bits: u8, stretch: Option<Stretch>) -> Vec<u8> {
    let size = if bits == 8 { 256 } else { 65_536 };
    (0..size)
        .map(|value: u32| match stretch {
            Some(Stretch { low, high }) => {
                let (low, high) = (f64::from(low), f64::from(high));
                let scaled = (f64::from(value) - low) / (high - low) * 255.0;
                scaled.round().clamp(0.0, 255.0) as u8
            }
            None if bits == 8 => value as u8,
            None => (value >> 8) as u8,
        })
        .collect()
}

/// How a file's samples are drawn.
#[derive(Clone, Debug)]
pub struct Palette {
    pub bands: Bands,
    pub bits: u8,
    pub nodata: Option<u16>,
    pub lookup: Vec<u8>,
}

impl Palette {
    /// A chunk of `pixels` pixels as RGBA; `None` when it holds fewer samples than that.
    pub fn to_rgba(&self, samples: &Samples, pixels: usize) -> Option<Vec<u8>> {
        let step = self.bands.samples();
        if samples.len() < pixels * step {
            return None;
        }
        if self.bands == Bands::Gray {
            return Some(self.gray_to_rgba(samples, pixels));
        }
        let shown = |value: u16| self.lookup.get(usize::from(value)).copied().unwrap_or(0);
        let alpha = |value: u16| {
            if self.bits == 8 {
                value as u8
            } else {
                (value >> 8) as u8
            }
        };
        let mut rgba = Vec::with_capacity(pixels * 4);
        for pixel in 0..pixels {
            let at = pixel * step;
            let first = samples.get(at);
            let (r, g, b, a) = match self.bands {
                Bands::Gray => (first, first, first, None),
                Bands::GrayAlpha => (first, first, first, Some(samples.get(at + 1))),
                Bands::Rgb => (first, samples.get(at + 1), samples.get(at + 2), None),
                Bands::RgbAlpha => (
                    first,
                    samples.get(at + 1),
                    samples.get(at + 2),
                    Some(samples.get(at + 3)),
                ),
            };
            let empty = self
                .nodata
                .is_some_and(|nodata| r == nodata && g == nodata && b == nodata);
            let opacity = match a {
                _ if empty => 0,
                Some(a) => alpha(a),
                None => 255,
            };
            rgba.extend([shown(r), shown(g), shown(b), opacity]);
        }
        Some(rgba)
    }
}

impl Palette {
    /// One band, the common case (a Sentinel-2 band): one table look-up a pixel.
    fn gray_to_rgba(&self, samples: &Samples, pixels: usize) -> Vec<u8> {
        match samples {
            Samples::U8(values) => self.gray_values_to_rgba(values, pixels),
            Samples::U16(values) => self.gray_values_to_rgba(values, pixels),
        }
    }

    fn gray_values_to_rgba<T: Copy + Into<u32>>(&self, values: &[T], pixels: usize) -> Vec<u8> {
        let mut rgba = vec![0u8; pixels * 4];
        let nodata = self.nodata.map_or(u32::MAX, u32::from);
        for (out, value) in rgba.chunks_exact_mut(4).zip(values) {
            let value: u32 = (*value).into();
            let grey = self.lookup.get(value as usize).copied().unwrap_or(0);
            let alpha = if value == nodata { 0 } else { 255 };
            out.copy_from_slice(&[grey, grey, grey, alpha]);
        }
        rgba
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stretch_spans_the_2nd_to_98th_percentile() {
        let values: Vec<u16> = (0..1000).map(|value| value * 10).collect();
        let stretch = percentile_stretch(&[Samples::U16(values)], Bands::Gray, None);
        assert_eq!(
            stretch,
            Some(Stretch {
                low: 190,
                high: 9790
            })
        );
    }

    #[test]
    fn nodata_is_left_out_of_the_stretch_and_drawn_clear() {
        let mut values = vec![0u16; 900];
        values.extend(1000..1100);
        let stretch = percentile_stretch(&[Samples::U16(values.clone())], Bands::Gray, Some(0));
        let stretch = stretch.expect("values remain");
        assert!(stretch.low >= 1000, "{stretch:?}");
        let palette = Palette {
            bands: Bands::Gray,
            bits: 16,
            nodata: Some(0),
            lookup: lookup_table(16, Some(stretch)),
        };
        let rgba = palette
            .to_rgba(&Samples::U16(values), 1000)
            .expect("enough");
        assert_eq!(&rgba[..4], &[0, 0, 0, 0]);
        assert_eq!(&rgba[rgba.len() - 4..], &[255, 255, 255, 255]);
    }

    #[test]
    fn eight_bit_rgb_is_shown_as_is() {
        let palette = Palette {
            bands: Bands::Rgb,
            bits: 8,
            nodata: None,
            lookup: lookup_table(8, None),
        };
        let rgba = palette.to_rgba(&Samples::U8(vec![10, 20, 30]), 1);
        assert_eq!(rgba, Some(vec![10, 20, 30, 255]));
        assert_eq!(palette.to_rgba(&Samples::U8(vec![10, 20]), 1), None);
    }
}
