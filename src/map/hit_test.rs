//! Which marker is under the pointer. Screen-space, with a tolerance; the marker drawn last
//! (on top) wins. Pure: takes projected positions, so it is tested without drawing. And where
//! a click while placing a new strike puts it, and which overlay feature a click hits.

use crate::model::LonLat;
use crate::state::{AppState, Command};
use crate::style;
use egui::Pos2;
use walkers::Projector;

/// A marker as drawn: where on screen and how large.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenMarker {
    pub center: Pos2,
    pub radius: f32,
}

/// The index of the top-most marker within `tolerance` points of `pointer`. Markers are given in
/// drawing order, so later ones are on top.
pub fn marker_at(markers: &[ScreenMarker], pointer: Pos2, tolerance: f32) -> Option<usize> {
    markers
        .iter()
        .enumerate()
        .rev()
        .find(|(_, marker)| marker.center.distance(pointer) <= marker.radius + tolerance)
        .map(|(index, _)| index)
}

/// Placing a new strike ("Add strike"): where a click on the map places it (a crosshair
/// while placing); the click selects nothing.
pub fn placing_click(
    projector: &walkers::Projector,
    response: &egui::Response,
) -> Vec<crate::state::Command> {
    if response.hovered() {
        response.ctx.set_cursor_icon(egui::CursorIcon::Crosshair);
    }
    let Some(pointer) = response
        .interact_pointer_pos()
        .filter(|_| response.clicked())
    else {
        return Vec::new();
    };
    let at = projector.unproject(pointer.to_vec2());
    vec![crate::state::Command::PlaceStrike(
        crate::state::placed_position(crate::model::LonLat {
            lon: at.x(),
            lat: at.y(),
        }),
    )]
}

/// The top-most overlay feature under a click (within a few pixels), as a selection.
pub fn overlay_click(
    projector: &Projector,
    pointer: egui::Pos2,
    state: &AppState,
) -> Option<Command> {
    let at = projector.unproject(pointer.to_vec2());
    let beside =
        projector.unproject((pointer + egui::vec2(style::HIT_TOLERANCE + 2.0, 0.0)).to_vec2());
    let tolerance_deg = (beside.x() - at.x()).abs();
    let point = LonLat {
        lon: at.x(),
        lat: at.y(),
    };
    state
        .overlays()
        .rev()
        .filter(|(layer, _)| layer.look.visible)
        .find_map(|(layer, overlay)| {
            overlay
                .feature_at(point, tolerance_deg)
                .map(|feature| Command::SelectFeature(layer.id, feature.index))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn marker(x: f32, y: f32) -> ScreenMarker {
        ScreenMarker {
            center: pos2(x, y),
            radius: 9.0,
        }
    }

    #[test]
    fn hits_within_radius_plus_tolerance() {
        let markers = [marker(100.0, 100.0)];
        assert_eq!(marker_at(&markers, pos2(100.0, 100.0), 4.0), Some(0));
        assert_eq!(marker_at(&markers, pos2(112.9, 100.0), 4.0), Some(0));
        assert_eq!(marker_at(&markers, pos2(113.1, 100.0), 4.0), None);
    }

    #[test]
    fn the_top_marker_wins_where_markers_overlap() {
        let markers = [marker(100.0, 100.0), marker(105.0, 100.0)];
        assert_eq!(marker_at(&markers, pos2(102.0, 100.0), 4.0), Some(1));
        assert_eq!(marker_at(&markers, pos2(90.0, 100.0), 4.0), Some(0));
    }

    #[test]
    fn no_markers_no_hit() {
        assert_eq!(marker_at(&[], pos2(0.0, 0.0), 4.0), None);
    }
}
