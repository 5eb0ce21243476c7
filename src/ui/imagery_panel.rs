//! The side panel's part for imagery layers: each layer's line, and the before/after swipe.

use crate::formats::geotiff::GeoTiff;
use crate::state::{AppState, Command, Layer, imagery_date};

/// "before.tif (imagery, 2024-01-16, 10980 × 10980 px, EPSG:32641)".
pub fn layer_label(layer: &Layer, tiff: &GeoTiff) -> String {
    let (width, height) = tiff
        .levels
        .first()
        .map_or((0, 0), |level| (level.width, level.height));
    let date = imagery_date(layer, tiff)
        .map(|date| format!("{date}, "))
        .unwrap_or_default();
    format!(
        "{} (imagery, {date}{width} × {height} px, {})",
        layer.name, tiff.georeference.crs_label
    )
}

/// With two imagery layers or more: the swipe bar on or off (the older of the two latest on
/// the left), and the sides swapped.
pub fn compare_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(pair) = state.before_and_after() else {
        return;
    };
    let compare = state.imagery_compare();
    ui.horizontal(|ui| {
        let mut on = compare.is_some();
        let toggle = ui.checkbox(&mut on, "Before/after swipe");
        toggle.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::Role::CheckBox,
                true,
                on,
                "Compare imagery with a swipe bar",
            )
        });
        if toggle.changed() {
            commands.push(Command::CompareImagery(on.then_some(pair)));
        }
        if let Some(compare) = compare
            && ui.small_button("Swap sides").clicked()
        {
            commands.push(Command::CompareImagery(Some((compare.right, compare.left))));
            commands.push(Command::SetImagerySplit(compare.split));
        }
    });
}
