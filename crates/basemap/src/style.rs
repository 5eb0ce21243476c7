//! Every colour, line width and dash pattern of the basemap, in one place.
//!
//! The style is calm and print-like: low saturation, so the app's red/orange/blue event
//! markers and province fills stand out. Widths and dash lengths are in pixels of a
//! 256-px tile; the renderer multiplies them by `size_px / 256` for HiDPI tiles.

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb8 {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb8 {
    pub const fn new(r: u8, g: u8, b: u8) -> Self {
        Rgb8 { r, g, b }
    }

    /// Perceived lightness proxy (Rec. 601 luma), 0..255.
    pub fn luma(self) -> f32 {
        0.299 * f32::from(self.r) + 0.587 * f32::from(self.g) + 0.114 * f32::from(self.b)
    }

    pub(crate) fn to_skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.r, self.g, self.b, 255)
    }
}

/// Outside the tile grid (the app overlays a "no offline data here" hint).
pub const NO_DATA_BACKGROUND: Rgb8 = Rgb8::new(0xE4, 0xE4, 0xE2);
/// Sea, and lakes.
pub const SEA: Rgb8 = Rgb8::new(0xD6, 0xE2, 0xE9);
/// Land.
pub const LAND: Rgb8 = Rgb8::new(0xF2, 0xEF, 0xE9);
/// Lakes and reservoirs.
pub const LAKE: Rgb8 = SEA;
/// Playas and salt flats: pale sand with a faint diagonal hatch.
pub const PLAYA_FILL: Rgb8 = Rgb8::new(0xEE, 0xE7, 0xD6);
pub const PLAYA_HATCH: Rgb8 = Rgb8::new(0xDF, 0xD4, 0xBB);
pub const PLAYA_OUTLINE: Rgb8 = Rgb8::new(0xD9, 0xCD, 0xB2);
/// Rivers and lake centre-lines.
pub const RIVER: Rgb8 = Rgb8::new(0x92, 0xB0, 0xC4);
/// Coastline and lake shores.
pub const COASTLINE: Rgb8 = Rgb8::new(0x95, 0xAB, 0xB9);
/// Internal first-level (state/province) boundaries.
pub const ADMIN1_LINE: Rgb8 = Rgb8::new(0xB4, 0xAE, 0xA5);
/// Admin-0 boundaries (all kinds).
pub const BORDER: Rgb8 = Rgb8::new(0x7E, 0x78, 0x70);
/// A soft band under international borders at higher zooms, print-map style.
pub const BORDER_HALO: Rgb8 = Rgb8::new(0xE6, 0xE0, 0xD5);

/// Piecewise-linear function of zoom: (zoom, value) stops, clamped at both ends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZoomStops(pub &'static [(f32, f32)]);

impl ZoomStops {
    pub fn at(&self, zoom: f32) -> f32 {
        let stops = self.0;
        let Some(&(first_zoom, first_value)) = stops.first() else {
            return 0.0;
        };
        if zoom <= first_zoom {
            return first_value;
        }
        for pair in stops.windows(2) {
            if let [(zoom_a, value_a), (zoom_b, value_b)] = *pair
                && zoom <= zoom_b
            {
                let t = if zoom_b > zoom_a {
                    (zoom - zoom_a) / (zoom_b - zoom_a)
                } else {
                    1.0
                };
                return value_a + t * (value_b - value_a);
            }
        }
        stops.last().map_or(first_value, |&(_, value)| value)
    }
}

/// A feature with a Natural Earth `min_zoom` is drawn once `zoom + MIN_ZOOM_LEAD >= min_zoom`
/// (NE's values suit labels; lines and areas can appear a zoom earlier). Borders and the
/// coastline are always drawn.
pub(crate) const MIN_ZOOM_LEAD: f32 = 1.0;

/// Admin-1 lines are drawn from this zoom on (the detail band's first zoom: the overview
/// band has none).
pub(crate) const ADMIN1_FIRST_ZOOM: f32 = 6.0;
/// Playa outlines are drawn from this zoom on.
pub(crate) const PLAYA_OUTLINE_FIRST_ZOOM: f32 = 7.0;
/// The border halo is drawn from this zoom on.
pub(crate) const BORDER_HALO_FIRST_ZOOM: f32 = 5.0;

pub(crate) const COASTLINE_WIDTH_PX: ZoomStops =
    ZoomStops(&[(3.0, 0.6), (6.0, 0.8), (9.0, 1.1), (12.0, 1.4)]);
pub(crate) const LAKE_SHORE_WIDTH_PX: ZoomStops = ZoomStops(&[(4.0, 0.4), (8.0, 0.6), (12.0, 0.9)]);
pub(crate) const PLAYA_OUTLINE_WIDTH_PX: ZoomStops = ZoomStops(&[(7.0, 0.5), (12.0, 0.9)]);
pub(crate) const ADMIN1_WIDTH_PX: ZoomStops =
    ZoomStops(&[(4.0, 0.5), (7.0, 0.8), (10.0, 1.1), (13.0, 1.4)]);
pub(crate) const BORDER_WIDTH_PX: ZoomStops =
    ZoomStops(&[(3.0, 0.8), (6.0, 1.2), (9.0, 1.8), (12.0, 2.4)]);
/// Total halo width (centred on the border line).
pub(crate) const BORDER_HALO_WIDTH_PX: ZoomStops =
    ZoomStops(&[(5.0, 2.5), (8.0, 5.0), (12.0, 8.0)]);
/// Width of a rank-0 river; smaller rivers get `river_rank_factor` of it.
pub(crate) const RIVER_WIDTH_PX: ZoomStops =
    ZoomStops(&[(3.0, 0.6), (6.0, 1.0), (9.0, 1.5), (12.0, 2.2)]);

/// Thinner lines for less important rivers (higher Natural Earth scalerank).
pub(crate) fn river_rank_factor(scalerank: u8) -> f32 {
    (1.25 - 0.07 * f32::from(scalerank)).clamp(0.55, 1.25)
}

/// Dash patterns (on, off, …) in pixels of a 256-px tile at zoom 7; they grow gently with
/// zoom (see `dash_zoom_factor`).
pub(crate) const ADMIN1_DASH_PX: &[f32] = &[4.0, 2.5];
pub(crate) const LINE_OF_CONTROL_DASH_PX: &[f32] = &[6.0, 3.0];
pub(crate) const DISPUTED_DASH_PX: &[f32] = &[6.0, 3.0];
pub(crate) const INDEFINITE_DASH_PX: &[f32] = &[2.0, 2.5];

pub(crate) fn dash_zoom_factor(zoom: f32) -> f32 {
    ZoomStops(&[(4.0, 0.8), (7.0, 1.0), (12.0, 1.6)]).at(zoom)
}

/// Spacing of the playa hatch lines, in pixels of a 256-px tile.
pub(crate) const PLAYA_HATCH_SPACING_PX: f32 = 5.0;

/// Parts (rings and lines) smaller than this both ways, in tile pixels, are not drawn.
pub(crate) const MIN_PART_SIZE_PX: f64 = 0.5;

/// Vertices closer than this (in tile pixels) to the previous kept vertex are dropped before
/// drawing: 0.35 px from zoom 3 on, coarser below, where a 256-px tile holds whole continents
/// and sub-pixel wiggles of every coast would cost more than they show.
pub(crate) fn simplify_tolerance_px(zoom: f32) -> f64 {
    f64::from(ZoomStops(&[(0.0, 0.9), (3.0, 0.35)]).at(zoom))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_stops_interpolate_and_clamp() {
        let stops = ZoomStops(&[(4.0, 1.0), (8.0, 3.0)]);
        assert_eq!(stops.at(0.0), 1.0);
        assert_eq!(stops.at(4.0), 1.0);
        assert_eq!(stops.at(6.0), 2.0);
        assert_eq!(stops.at(8.0), 3.0);
        assert_eq!(stops.at(20.0), 3.0);
        assert_eq!(ZoomStops(&[]).at(5.0), 0.0);
    }

    #[test]
    fn borders_are_darker_than_land_and_sea() {
        assert!(BORDER.luma() + 60.0 < LAND.luma());
        assert!(BORDER.luma() + 60.0 < SEA.luma());
        assert!(SEA.luma() + 10.0 < LAND.luma());
    }
}
