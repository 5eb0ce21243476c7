//! Writes stitched tile mosaics to PNG files for a visual check of the style.
//!
//!     cargo run --release -p strikemap_basemap --example render_png -- [OUT_DIR]
//!
//! Output (default OUT_DIR is /tmp): a 3×3 mosaic of 256-px tiles around 27.5 N, 63 E
//! (the Iran–Pakistan border) at zoom 6 and zoom 9, the same at zoom 9 with 512-px tiles
//! (plus its centre tile alone), 3×3 mosaics of Kashmir, Karachi and Lake Urmia, and the
//! whole world at zoom 2.

use std::path::{Path, PathBuf};

use strikemap_basemap::Basemap;
use strikemap_basemap::tile_math::{tile_containing, tiles_covering};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    let basemap = Basemap::embedded()?;

    for (zoom, size_px) in [(6u8, 256u32), (9, 256), (9, 512)] {
        let (centre_x, centre_y) = tile_containing(63.0, 27.5, zoom);
        let tiles: Vec<(u32, u32)> = (centre_y - 1..=centre_y + 1)
            .flat_map(|y| (centre_x - 1..=centre_x + 1).map(move |x| (x, y)))
            .collect();
        let path = out_dir.join(format!("basemap_z{zoom}_{size_px}px_mosaic.png"));
        write_mosaic(&basemap, zoom, &tiles, 3, 3, size_px, &path)?;
        println!("wrote {}", path.display());
        if size_px == 512 {
            let path = out_dir.join(format!("basemap_z{zoom}_{size_px}px_tile.png"));
            write_mosaic(
                &basemap,
                zoom,
                &[(centre_x, centre_y)],
                1,
                1,
                size_px,
                &path,
            )?;
            println!("wrote {}", path.display());
        }
    }

    // Other places worth a look: Kashmir (line of control, disputed and indefinite borders,
    // dense rivers), the Indus delta and Karachi, and the Caspian coast with Lake Urmia.
    for (name, lat, lon, zoom) in [
        ("kashmir", 34.5, 75.0, 7u8),
        ("karachi", 24.9, 67.3, 9),
        ("urmia", 37.8, 46.5, 7),
    ] {
        let (centre_x, centre_y) = tile_containing(lon, lat, zoom);
        let tiles: Vec<(u32, u32)> = (centre_y - 1..=centre_y + 1)
            .flat_map(|y| (centre_x - 1..=centre_x + 1).map(move |x| (x, y)))
            .collect();
        let path = out_dir.join(format!("basemap_{name}_z{zoom}.png"));
        write_mosaic(&basemap, zoom, &tiles, 3, 3, 256, &path)?;
        println!("wrote {}", path.display());
    }

    let range = tiles_covering(&basemap.region(), 2);
    let tiles: Vec<(u32, u32)> = range.tiles().collect();
    let columns = range.x_max - range.x_min + 1;
    let rows = range.y_max - range.y_min + 1;
    let path = out_dir.join("basemap_z2_world.png");
    write_mosaic(&basemap, 2, &tiles, columns, rows, 256, &path)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Renders `tiles` (row-major, `columns` × `rows`) and saves them as one PNG.
fn write_mosaic(
    basemap: &Basemap,
    zoom: u8,
    tiles: &[(u32, u32)],
    columns: u32,
    rows: u32,
    size_px: u32,
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let width_px = columns * size_px;
    let height_px = rows * size_px;
    let mut mosaic = tiny_skia::Pixmap::new(width_px, height_px).ok_or("empty mosaic")?;
    let row_bytes = (size_px * 4) as usize;
    let mosaic_row_bytes = (width_px * 4) as usize;
    for (index, &(x, y)) in tiles.iter().enumerate() {
        let tile = basemap.render_tile(zoom, x, y, size_px);
        let column = index as u32 % columns;
        let row = index as u32 / columns;
        for line in 0..size_px as usize {
            let source = &tile.rgba[line * row_bytes..(line + 1) * row_bytes];
            let start = (row as usize * size_px as usize + line) * mosaic_row_bytes
                + column as usize * row_bytes;
            mosaic.data_mut()[start..start + row_bytes].copy_from_slice(source);
        }
    }
    std::fs::write(path, mosaic.encode_png()?)?;
    Ok(())
}
