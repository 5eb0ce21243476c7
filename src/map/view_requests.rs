//! Carrying out a view change asked for by a command: framed in the room the furniture leaves,
//! flown to in presentations or jumped to in exports.

use super::flight::{Flight, zoom_to_show_radius};
use super::slide_layout::{self, Focus};
use super::{EVENT_ZOOM, FOCUS_MARGIN, MAX_ZOOM, MIN_ZOOM, MapView, to_position};
use crate::model::LonLat;
use crate::state::ViewRequest;
use crate::style;
use egui::Rect;

impl MapView {
    /// Carries out a view change so that what it frames lands in `free`, the part of
    /// `viewport` the furniture leaves.
    pub(super) fn apply_view_request(
        &mut self,
        request: ViewRequest,
        viewport: Rect,
        free: Rect,
        now_secs: f64,
    ) {
        let framing = self.framing_zoom_range();
        match request {
            ViewRequest::FlyTo {
                center,
                radius_km,
                also,
            } => {
                let ideal =
                    zoom_to_show_radius(center, radius_km, f64::from(free.height()), framing);
                let focus = Focus {
                    center,
                    radius_km,
                    also: also.into_iter().collect(),
                    margin: FOCUS_MARGIN,
                };
                let to = slide_layout::frame_focus(&focus, viewport, free, ideal, framing);
                self.fly_or_jump(to, now_secs);
            }
            ViewRequest::FlyToBounds(bounds) => {
                let focus = Focus {
                    center: LonLat {
                        lon: (bounds.min.lon + bounds.max.lon) / 2.0,
                        lat: (bounds.min.lat + bounds.max.lat) / 2.0,
                    },
                    radius_km: 0.0,
                    also: vec![bounds.min, bounds.max],
                    margin: FOCUS_MARGIN,
                };
                let to = slide_layout::frame_focus(&focus, viewport, free, framing.1, framing);
                self.fly_or_jump(to, now_secs);
            }
            ViewRequest::Fit(bounds) => {
                let (center, zoom) = slide_layout::frame_bounds_in(
                    bounds.min,
                    bounds.max,
                    viewport,
                    free,
                    style::FIT_PADDING,
                    framing,
                );
                self.memory.center_at(to_position(center));
                let _ = self.memory.set_zoom(zoom);
                self.rechoose_legend_corner = true;
            }
            ViewRequest::Show { center, zoom } => {
                self.memory.center_at(to_position(center));
                let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
                self.rechoose_legend_corner = true;
            }
            ViewRequest::CenterOn(point) => {
                self.memory.center_at(to_position(point));
                if self.memory.zoom() < EVENT_ZOOM - 2.0 {
                    let _ = self.memory.set_zoom(EVENT_ZOOM - 2.0);
                }
            }
        }
    }

    /// Flies to `to` (presentations) or goes straight there (exports).
    fn fly_or_jump(&mut self, to: (LonLat, f64), now_secs: f64) {
        if self.animate_flights {
            self.flight = Some(Flight {
                from: (self.current_center(), self.memory.zoom()),
                to,
                start_secs: now_secs,
            });
        } else {
            self.memory.center_at(to_position(to.0));
            let _ = self.memory.set_zoom(to.1);
        }
    }
}
