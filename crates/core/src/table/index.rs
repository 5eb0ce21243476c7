//! The spatial index of a table's rows, for picking and drawing.

use super::PointTable;
use crate::spatial::{PointIndex, mercator};

impl PointTable {
    /// The spatial index of the table: every row's position in Web Mercator, as `f32`, in row
    /// order (so an index hit is a row number).
    pub fn build_index(&self) -> PointIndex {
        let points: Vec<[f32; 2]> = self
            .longitudes()
            .iter()
            .zip(self.latitudes())
            .map(|(&lon, &lat)| {
                let [x, y] = mercator(lon, lat);
                [x as f32, y as f32]
            })
            .collect();
        PointIndex::build(&points)
    }
}
