//! Web Mercator (EPSG:3857) XYZ tile math.
//!
//! "World" coordinates are normalised Web Mercator: x and y run from 0 to 1 across the whole
//! map, x eastwards from lon −180, y southwards from lat +85.05°. A global pixel position at
//! zoom `z` with `tile_size_px`-pixel tiles is the world coordinate times
//! `2^z * tile_size_px`; tile (x, y) covers global pixels `x * tile_size_px ..`. The projection
//! itself is [`strikemap_mercator`], shared with the rest of the workspace.

/// The latitude at which Web Mercator is cut off (the map is square).
pub use strikemap_mercator::MAX_LATITUDE_DEG;

/// A longitude/latitude rectangle in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl LonLatBounds {
    /// True when the two rectangles share some area (touching edges do not count).
    pub fn overlaps(&self, other: &LonLatBounds) -> bool {
        self.west < other.east
            && other.west < self.east
            && self.south < other.north
            && other.south < self.north
    }

    /// True when the point is inside or on the edge.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }
}

/// An inclusive range of tile indices at one zoom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileRange {
    pub zoom: u8,
    pub x_min: u32,
    pub x_max: u32,
    pub y_min: u32,
    pub y_max: u32,
}

impl TileRange {
    /// Number of tiles in the range.
    pub fn len(&self) -> u64 {
        u64::from(self.x_max - self.x_min + 1) * u64::from(self.y_max - self.y_min + 1)
    }

    /// Always false: a range holds at least one tile.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// All (x, y) tiles of the range, row by row.
    pub fn tiles(&self) -> impl Iterator<Item = (u32, u32)> + use<> {
        let (x_min, x_max) = (self.x_min, self.x_max);
        (self.y_min..=self.y_max).flat_map(move |y| (x_min..=x_max).map(move |x| (x, y)))
    }
}

/// Number of tiles along one axis at `zoom` (2^zoom), as a float so any zoom is safe.
pub fn tiles_per_axis(zoom: u8) -> f64 {
    2f64.powi(i32::from(zoom))
}

/// Size of the whole world in pixels at `zoom` with `tile_size_px`-pixel tiles.
pub fn world_size_px(zoom: u8, tile_size_px: u32) -> f64 {
    tiles_per_axis(zoom) * f64::from(tile_size_px)
}

/// Longitude (degrees) to world x (0..1). Longitudes are not wrapped.
pub fn lon_to_world_x(lon_deg: f64) -> f64 {
    strikemap_mercator::lon_to_x(lon_deg)
}

/// Latitude (degrees) to world y (0 at the north edge, 1 at the south edge).
/// Latitudes beyond ±`MAX_LATITUDE_DEG` are clamped.
pub fn lat_to_world_y(lat_deg: f64) -> f64 {
    strikemap_mercator::lat_to_y(lat_deg)
}

/// World x (0..1) to longitude (degrees).
pub fn world_x_to_lon(world_x: f64) -> f64 {
    strikemap_mercator::x_to_lon(world_x)
}

/// World y (0..1) to latitude (degrees).
pub fn world_y_to_lat(world_y: f64) -> f64 {
    strikemap_mercator::y_to_lat(world_y)
}

/// Longitude/latitude to a global pixel position at `zoom`.
pub fn lon_lat_to_pixel(lon_deg: f64, lat_deg: f64, zoom: u8, tile_size_px: u32) -> (f64, f64) {
    let size = world_size_px(zoom, tile_size_px);
    (
        lon_to_world_x(lon_deg) * size,
        lat_to_world_y(lat_deg) * size,
    )
}

/// A global pixel position at `zoom` to longitude/latitude.
pub fn pixel_to_lon_lat(x_px: f64, y_px: f64, zoom: u8, tile_size_px: u32) -> (f64, f64) {
    let size = world_size_px(zoom, tile_size_px);
    (world_x_to_lon(x_px / size), world_y_to_lat(y_px / size))
}

/// The tile that contains a point, clamped to the valid tile range of `zoom`
/// (zoom is capped at 31 so indices fit in u32).
pub fn tile_containing(lon_deg: f64, lat_deg: f64, zoom: u8) -> (u32, u32) {
    let zoom = zoom.min(31);
    let tiles = tiles_per_axis(zoom);
    let last = tiles - 1.0;
    let x = (lon_to_world_x(lon_deg) * tiles).floor().clamp(0.0, last);
    let y = (lat_to_world_y(lat_deg) * tiles).floor().clamp(0.0, last);
    (x as u32, y as u32)
}

/// The longitude/latitude rectangle covered by tile (x, y) at `zoom`.
pub fn tile_bounds(zoom: u8, x: u32, y: u32) -> LonLatBounds {
    let tiles = tiles_per_axis(zoom);
    LonLatBounds {
        west: world_x_to_lon(f64::from(x) / tiles),
        east: world_x_to_lon((f64::from(x) + 1.0) / tiles),
        north: world_y_to_lat(f64::from(y) / tiles),
        south: world_y_to_lat((f64::from(y) + 1.0) / tiles),
    }
}

/// The tiles at `zoom` that cover `bounds` (zoom is capped at 31).
pub fn tiles_covering(bounds: &LonLatBounds, zoom: u8) -> TileRange {
    let zoom = zoom.min(31);
    let (x_min, y_min) = tile_containing(bounds.west, bounds.north, zoom);
    let (x_max, y_max) = tile_containing(bounds.east, bounds.south, zoom);
    TileRange {
        zoom,
        x_min: x_min.min(x_max),
        x_max: x_max.max(x_min),
        y_min: y_min.min(y_max),
        y_max: y_max.max(y_min),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn world_origin_and_corners() {
        assert!(close(lon_to_world_x(-180.0), 0.0, 1e-12));
        assert!(close(lon_to_world_x(0.0), 0.5, 1e-12));
        assert!(close(lon_to_world_x(180.0), 1.0, 1e-12));
        assert!(close(lat_to_world_y(0.0), 0.5, 1e-12));
        assert!(close(lat_to_world_y(MAX_LATITUDE_DEG), 0.0, 1e-9));
        assert!(close(lat_to_world_y(-MAX_LATITUDE_DEG), 1.0, 1e-9));
        // Clamped beyond the cut-off.
        assert!(close(lat_to_world_y(90.0), 0.0, 1e-9));
        assert!(lat_to_world_y(-90.0).is_finite());
    }

    #[test]
    fn round_trip_lon_lat_pixel() {
        for &(lon, lat) in &[(67.0, 30.183), (59.0, 24.5), (-73.9, 40.7), (0.0, 0.0)] {
            for zoom in [0u8, 5, 10, 14, 20] {
                let (x, y) = lon_lat_to_pixel(lon, lat, zoom, 256);
                let (lon2, lat2) = pixel_to_lon_lat(x, y, zoom, 256);
                assert!(close(lon, lon2, 1e-9), "lon {lon} vs {lon2} at z{zoom}");
                assert!(close(lat, lat2, 1e-9), "lat {lat} vs {lat2} at z{zoom}");
            }
        }
    }

    #[test]
    fn known_tile_indices() {
        // Quetta at zoom 7: x = floor((67 + 180) / 360 * 128) = 87.
        assert_eq!(tile_containing(67.0, 30.183, 7), (87, 52));
        assert_eq!(tile_containing(0.0, 0.0, 1), (1, 1));
        assert_eq!(tile_containing(-180.0, 85.0, 3), (0, 0));
        // Clamped at the antimeridian and the poles.
        assert_eq!(tile_containing(180.0, -90.0, 2), (3, 3));
    }

    #[test]
    fn tile_bounds_contain_the_point() {
        let (x, y) = tile_containing(67.0, 30.183, 9);
        let bounds = tile_bounds(9, x, y);
        assert!(bounds.contains(67.0, 30.183));
        assert!(bounds.west < bounds.east && bounds.south < bounds.north);
        let whole = tile_bounds(0, 0, 0);
        assert!(close(whole.west, -180.0, 1e-9) && close(whole.east, 180.0, 1e-9));
        assert!(close(whole.north, MAX_LATITUDE_DEG, 1e-9));
    }

    #[test]
    fn pixel_within_tile() {
        // A point's global pixel divided by the tile size gives its tile.
        let (px, py) = lon_lat_to_pixel(63.0, 27.5, 6, 512);
        assert_eq!(
            ((px / 512.0) as u32, (py / 512.0) as u32),
            tile_containing(63.0, 27.5, 6)
        );
    }

    #[test]
    fn covering_range() {
        let region = LonLatBounds {
            west: 44.0,
            south: 22.0,
            east: 78.0,
            north: 40.0,
        };
        let range = tiles_covering(&region, 4);
        assert_eq!((range.x_min, range.x_max), (9, 11));
        assert_eq!((range.y_min, range.y_max), (6, 6));
        assert_eq!(range.len(), 3);
        assert_eq!(range.tiles().count(), 3);
    }
}
