//! Mapbox Vector Tiles: decoding, the built-in style, drawing, and place labels.

pub mod decode;
pub mod render;
pub mod style;

use decode::{GeomType, Tile};
use render::SubSquare;

use crate::info::{TileLabel, VectorSchema};

/// Rank for places that carry none.
const NO_RANK: u32 = 100;

/// Place labels of `tile` inside sub-square `sub` (the whole tile, or the over-zoomed part),
/// whose XYZ address is `zoom`/`x`/`y` at the tile's own zoom. Points in the tile's buffer
/// (outside the square) are left to the neighbouring tile, so each place comes once.
pub fn labels(
    tile: &Tile,
    schema: &VectorSchema,
    tile_zoom: u8,
    x: u32,
    y: u32,
    sub: SubSquare,
) -> Vec<TileLabel> {
    let (layer_name, kind_key, rank_keys): (&str, &str, &[&str]) = match schema {
        VectorSchema::Protomaps => ("places", "kind", &["sort_rank", "min_zoom"]),
        VectorSchema::OpenMapTiles => ("place", "class", &["rank"]),
        VectorSchema::Shortbread => ("place_labels", "kind", &[]),
        VectorSchema::Unknown(_) => return Vec::new(),
    };
    let Some(layer) = tile.layer(layer_name) else {
        return Vec::new();
    };
    let extent = f64::from(layer.extent);
    let cells = f64::from(1u32 << sub.depth.min(30));
    let side = extent / cells;
    let (left, top) = (f64::from(sub.x) * side, f64::from(sub.y) * side);
    let tiles = 2f64.powi(i32::from(tile_zoom));
    let mut labels = Vec::new();
    for feature in layer
        .features
        .iter()
        .filter(|f| f.geom_type == GeomType::Point)
    {
        let name = layer
            .str_property(feature, "name:en")
            .or_else(|| layer.str_property(feature, "name"))
            .filter(|name| !name.trim().is_empty());
        let Some(name) = name else {
            continue;
        };
        let Ok(parts) = decode::geometry(feature) else {
            continue;
        };
        let rank = rank_keys
            .iter()
            .find_map(|key| layer.property(feature, key).and_then(decode::Value::as_f64))
            .map_or(NO_RANK, |rank| rank.clamp(0.0, f64::from(u32::MAX)) as u32);
        let kind = layer
            .str_property(feature, kind_key)
            .unwrap_or("")
            .to_string();
        for part in &parts {
            let Some(&(px, py)) = part.points.first() else {
                continue;
            };
            let (px, py) = (f64::from(px), f64::from(py));
            if px < left || px >= left + side || py < top || py >= top + side {
                continue;
            }
            let world_x = (f64::from(x) + px / extent) / tiles;
            let world_y = (f64::from(y) + py / extent) / tiles;
            labels.push(TileLabel {
                lon: strikemap_mercator::x_to_lon(world_x),
                lat: strikemap_mercator::y_to_lat(world_y),
                name: name.to_string(),
                kind: kind.clone(),
                rank,
            });
        }
    }
    labels.sort_by_key(|label| label.rank);
    labels
}
