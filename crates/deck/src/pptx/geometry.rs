//! Where things go on a PowerPoint slide, in EMU (914,400 to the inch): the classification
//! strips at the top and bottom, the title, the date line, the map picture on the left and the
//! event's card on the right.

/// A slide's height: 7.5 inches, PowerPoint's own for 16:9 and 4:3.
pub const SLIDE_HEIGHT_EMU: i64 = 6_858_000;

/// A rectangle on the slide, in EMU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmuRect {
    pub x: i64,
    pub y: i64,
    pub cx: i64,
    pub cy: i64,
}

impl EmuRect {
    pub fn bottom(&self) -> i64 {
        self.y + self.cy
    }
}

/// The map's part of the slide as fractions of its width and height (left, top, right,
/// bottom): the app renders the map picture at exactly this shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapFrame {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// Every box of a slide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlideGeometry {
    pub width: i64,
    pub height: i64,
    pub strip_top: EmuRect,
    pub strip_bottom: EmuRect,
    pub title: EmuRect,
    pub stamp: EmuRect,
    pub map: EmuRect,
    /// The map across the whole slide, on a slide with no card (the overview).
    pub map_wide: EmuRect,
    pub card: EmuRect,
}

impl SlideGeometry {
    /// The boxes of a `width` × `height` slide whose title ends at `title_bottom` (a template's
    /// title placeholder) or where Strikemap puts it.
    pub fn new(width: i64, height: i64, title_bottom: Option<i64>) -> Self {
        let margin = height / 40;
        let strip = height / 22;
        let strip_top = EmuRect {
            x: 0,
            y: 0,
            cx: width,
            cy: strip,
        };
        let strip_bottom = EmuRect {
            y: height - strip,
            ..strip_top
        };
        let title = EmuRect {
            x: margin * 2,
            y: strip + margin / 2,
            cx: width - margin * 4,
            cy: height / 9,
        };
        let title_bottom = title_bottom
            .filter(|bottom| (strip..height / 3).contains(bottom))
            .unwrap_or(title.bottom());
        let stamp = EmuRect {
            x: title.x,
            y: title_bottom,
            cx: title.cx,
            cy: height / 16,
        };
        let top = stamp.bottom() + margin / 2;
        let bottom = strip_bottom.y - margin / 2;
        let card_width = width * 34 / 100;
        let card = EmuRect {
            x: width - margin - card_width,
            y: top,
            cx: card_width,
            cy: bottom - top,
        };
        let map = EmuRect {
            x: margin,
            y: top,
            cx: card.x - margin - margin,
            cy: bottom - top,
        };
        let map_wide = EmuRect {
            cx: width - 2 * margin,
            ..map
        };
        Self {
            width,
            height,
            strip_top,
            strip_bottom,
            title,
            stamp,
            map,
            map_wide,
            card,
        }
    }

    /// The map's box, beside the card or (`with_card` false) across the slide.
    pub fn map_rect(&self, with_card: bool) -> EmuRect {
        if with_card { self.map } else { self.map_wide }
    }

    /// The map's box as fractions of the slide.
    pub fn map_frame(&self, with_card: bool) -> MapFrame {
        let map = self.map_rect(with_card);
        let (w, h) = (self.width as f32, self.height as f32);
        MapFrame {
            left: map.x as f32 / w,
            top: map.y as f32 / h,
            right: (map.x + map.cx) as f32 / w,
            bottom: map.bottom() as f32 / h,
        }
    }
}

/// The slide size for pictures `width_px` × `height_px`: 7.5 inches high, as wide as the shape
/// asks (13.333 inches at 16:9, 10 at 4:3).
pub fn slide_size_for(width_px: u32, height_px: u32) -> (i64, i64) {
    let ratio = f64::from(width_px.max(1)) / f64::from(height_px.max(1));
    let width = (SLIDE_HEIGHT_EMU as f64 * ratio.clamp(0.5, 4.0)).round() as i64;
    (width, SLIDE_HEIGHT_EMU)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_nine_and_four_three_are_powerpoints_own_sizes() {
        assert_eq!(slide_size_for(1920, 1080), (12_192_000, 6_858_000));
        assert_eq!(slide_size_for(1024, 768), (9_144_000, 6_858_000));
    }

    #[test]
    fn the_boxes_do_not_overlap_and_stay_on_the_slide() {
        for (width, title_bottom) in [(12_192_000, None), (9_144_000, Some(1_500_000))] {
            let g = SlideGeometry::new(width, SLIDE_HEIGHT_EMU, title_bottom);
            let boxes = [
                g.strip_top,
                g.title,
                g.stamp,
                g.map,
                g.map_wide,
                g.card,
                g.strip_bottom,
            ];
            for rect in boxes {
                assert!(
                    rect.x >= 0 && rect.y >= 0 && rect.cx > 0 && rect.cy > 0,
                    "{rect:?}"
                );
                assert!(rect.x + rect.cx <= width && rect.bottom() <= SLIDE_HEIGHT_EMU);
            }
            assert!(g.map.x + g.map.cx < g.card.x);
            assert!(g.stamp.bottom() <= g.map.y && g.map.bottom() <= g.strip_bottom.y);
            let frame = g.map_frame(true);
            assert!(0.0 < frame.left && frame.right < 1.0 && frame.top < frame.bottom);
            assert!(g.map_frame(false).right > frame.right + 0.3);
        }
    }
}
