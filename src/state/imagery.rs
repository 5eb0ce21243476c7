//! Imagery layers (GeoTIFFs) and the before/after comparison of two of them: at the desk a
//! swipe bar with one layer left of it and the other right; on slides and exports a labelled
//! split at the same place. Pure state, no egui.

use super::{AppState, Layer, LayerContent, LayerId};
use crate::formats::geotiff::GeoTiff;
use std::sync::Arc;

/// Two imagery layers compared: `left` is drawn left of the bar, `right` right of it; `split`
/// is where the bar stands, as a fraction of the map's width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageryCompare {
    pub left: LayerId,
    pub right: LayerId,
    pub split: f32,
}

/// The date of an image as its layer shows it: the file's TIFF DateTime, else the first
/// yyyymmdd or yyyy-mm-dd in its name (as Sentinel-2 and most providers name files).
pub fn imagery_date(layer: &Layer, tiff: &GeoTiff) -> Option<String> {
    tiff.acquired.clone().or_else(|| date_in_name(&layer.name))
}

fn date_in_name(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    (0..bytes.len()).find_map(|start| {
        let rest = bytes.get(start..)?;
        let digits = |range: std::ops::Range<usize>| {
            rest.get(range)
                .filter(|part| part.iter().all(u8::is_ascii_digit))
                .and_then(|part| std::str::from_utf8(part).ok())
        };
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_digit();
        if !before_ok {
            return None;
        }
        let (year, month, day) = if rest.get(4) == Some(&b'-') && rest.get(7) == Some(&b'-') {
            (digits(0..4)?, digits(5..7)?, digits(8..10)?)
        } else {
            (digits(0..4)?, digits(4..6)?, digits(6..8)?)
        };
        let plausible = year.starts_with("19") || year.starts_with("20");
        let month_ok = ("01".."13").contains(&month);
        let day_ok = ("01".."32").contains(&day);
        (plausible && month_ok && day_ok).then(|| format!("{year}-{month}-{day}"))
    })
}

impl AppState {
    /// The imagery layers, in loading order.
    pub fn imagery_layers(&self) -> impl Iterator<Item = (&Layer, &Arc<GeoTiff>)> {
        self.layers.iter().filter_map(|layer| match &layer.content {
            LayerContent::Imagery(tiff) => Some((layer, tiff)),
            _ => None,
        })
    }

    /// The comparison shown: both layers still loaded and visible.
    pub fn imagery_compare(&self) -> Option<ImageryCompare> {
        let compare = self.imagery_compare?;
        let shown = |id| {
            self.layers
                .iter()
                .any(|layer| layer.id == id && layer.look.visible && layer.imagery().is_some())
        };
        (shown(compare.left) && shown(compare.right)).then_some(compare)
    }

    /// Starts comparing two imagery layers (the bar in the middle), or stops with `None`.
    pub(super) fn compare_imagery(&mut self, pair: Option<(LayerId, LayerId)>) {
        self.imagery_compare = pair.map(|(left, right)| ImageryCompare {
            left,
            right,
            split: 0.5,
        });
    }

    pub(super) fn set_imagery_split(&mut self, split: f32) {
        if let Some(compare) = &mut self.imagery_compare {
            compare.split = split.clamp(0.0, 1.0);
        }
    }

    /// The two latest imagery layers, older (by date, else loading order) first: the pair a
    /// "before/after" comparison starts with.
    pub fn before_and_after(&self) -> Option<(LayerId, LayerId)> {
        let mut dated: Vec<(Option<String>, LayerId)> = self
            .imagery_layers()
            .map(|(layer, tiff)| (imagery_date(layer, tiff), layer.id))
            .collect();
        let split = dated.len().checked_sub(2)?;
        let mut pair = dated.split_off(split);
        if let [(Some(first), _), (Some(second), _)] = pair.as_slice()
            && first > second
        {
            pair.reverse();
        }
        Some((pair[0].1, pair[1].1))
    }
}

#[cfg(test)]
mod tests {
    use super::date_in_name;

    #[test]
    fn dates_are_found_in_file_names() {
        assert_eq!(
            date_in_name("T41RQR_20240118T060231_TCI.tif").as_deref(),
            Some("2024-01-18")
        );
        assert_eq!(
            date_in_name("panjgur 2024-01-16.tif").as_deref(),
            Some("2024-01-16")
        );
        assert_eq!(date_in_name("tile_123456789.tif"), None);
        assert_eq!(date_in_name("before.tif"), None);
    }
}

#[cfg(test)]
mod state_tests {
    use crate::state::{AppState, Command};
    use std::path::PathBuf;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("crates/core/tests/fixtures/geotiff")
            .join(name)
    }

    #[test]
    fn the_latest_two_images_are_compared_until_one_is_hidden_or_removed() {
        let mut state = AppState::default();
        let mut ids = Vec::new();
        for name in [
            "gray16-3857-striped.tif",
            "rgb8-4326-tiled.tif",
            "rgb8-3857-cog.tif",
        ] {
            let path = fixture(name);
            let import = crate::import::import_file(&path);
            ids.push(state.add_import(path, import).expect("an imagery layer"));
        }
        let pair = state.before_and_after().expect("two images");
        assert_eq!(pair, (ids[1], ids[2]));
        state.apply(Command::CompareImagery(Some(pair)));
        state.apply(Command::SetImagerySplit(1.7));
        assert_eq!(
            state.imagery_compare().map(|compare| compare.split),
            Some(1.0)
        );
        state.apply(Command::SetLayerVisible(ids[2], false));
        assert_eq!(state.imagery_compare(), None);
        state.apply(Command::SetLayerVisible(ids[2], true));
        assert!(state.imagery_compare().is_some());
        state.apply(Command::RemoveLayer(ids[1]));
        assert_eq!(state.imagery_compare(), None);
    }
}
