//! Point index for the map: viewport culling, hit-testing and zoom-level clustering for up to a
//! few million event positions.
//!
//! # Coordinate space
//!
//! Everything here is in *normalised Web Mercator*: `x = (lon + 180) / 360` and
//! `y = (1 - ln(tan(lat) + sec(lat)) / π) / 2`, both in `[0, 1]`, `y` growing southwards (the
//! slippy-map tile convention, latitude clamped to ±[`MAX_MERCATOR_LAT`]). At map zoom `z`
//! (256-px tiles) one mercator unit is `256 * 2^z` screen pixels ([`units_per_pixel`]).
//!
//! # Rows
//!
//! [`PointIndex::build`] takes one position per *row*; the caller numbers its rows and keeps them
//! sorted by date, so a time window is a contiguous row range. Every query takes such a range.
//! Positions that are not finite (NaN, ±∞) are skipped: their rows count towards
//! [`PointIndex::len`] but are never returned or counted. Finite positions outside the unit
//! square are clamped into it. At most [`MAX_ROWS`] rows are indexed; rows beyond are ignored.
//!
//! # Clusters
//!
//! Clustering level `l` is a grid of `4 * 2^l` cells per side: a cell is 64 px wide at zoom `l`.
//! A point belongs to the cell `floor(x * side)`, `floor(y * side)` (clamped to the last cell,
//! so `x == 1` is in the last column): cells are half-open, their left/top edges belong to them.
//! A [`Cluster`] is one non-empty cell: its exact member count and the mean of its members'
//! positions. [`PointIndex::clusters`] returns the cells that *overlap* the query rectangle
//! (closed), counting all their members in the row range, also those outside the rectangle.
//!
//! # Design
//!
//! * An [`rstar`] R*-tree (bulk loaded, nodes of up to 16 children) over the *distinct*
//!   positions, `f32` coordinates. A leaf is `GeomWithData<[f32; 2], u32>`: the `u32` is the row
//!   when the position is unique, else (high bit set) the index of a group of rows sharing that
//!   exact position (geocoded events often share a town's centroid). Groups keep their rows
//!   sorted, so row-range filtering inside a group is a binary search. From 32k distinct
//!   positions on, the tree is two trees split at an `x` quantile, bulk-loaded in parallel
//!   (rstar's bulk load is single-threaded); queries visit both, nearest first.
//! * The positions by row (`[f32; 2]`, 8 bytes a row) for linear scans of a row range.
//! * Cluster levels `0..=D`: per level the non-empty cells in Morton (Z-order) order, as
//!   parallel arrays of key, count and the sums of member positions in 32-bit fixed point (exact
//!   integer sums, so partial aggregates can be subtracted without rounding). `D` is the last
//!   level before the number of non-empty cells exceeds a quarter of the points, and the stored
//!   cells of all levels together are capped at half the number of points (≤ 14 bytes a point).
//!   Cells overlapping a rectangle are found by a quadtree descent over the Morton-sorted keys,
//!   `O(cells returned + perimeter · log)`.
//! * Row checkpoints: for the coarse levels, prefix aggregates per cell at up to 63 row
//!   boundaries (a budget of 8 bytes a point over all levels, the coarsest levels first). A row
//!   range `a..b` is answered as `P(b') - P(a')` for the boundaries `a'`, `b'` nearest to `a` and
//!   `b`, corrected by scanning the rows between `a` and `a'` and between `b` and `b'`. Every
//!   stored level has at least the boundaries `0` and `len`, so a range close to the full one
//!   costs only its complement.
//!
//! # Costs
//!
//! * [`PointIndex::build`]: `O(n log n)`: a radix sort by Morton code (dedupes the positions and
//!   feeds the cluster levels), then the two trees on two threads, the levels after the smaller
//!   one. About 120 ms for a million points on two cores.
//! * [`PointIndex::rows_in_rect`]: with the full row range `O(limit + log n)`: the tree walk stops
//!   at the `limit + 1`-th row. With a partial range the walk also stops after visiting
//!   `len(range) / 4` tree entries and falls back to scanning the range, so the cost is
//!   `O(min(entries visited to find limit + 1 rows, len(range)))`.
//! * [`PointIndex::nearest_row`]: `O(log n + k)`, `k` the entries nearer than the answer (plus
//!   the ones out of the row range that are on the way).
//! * [`PointIndex::clusters`] at a stored level: with the full range
//!   `O(cells returned + perimeter · log)`, from the stored aggregates only. With a partial range
//!   the cheapest of: the checkpoints plus `|a - a'| + |b - b'|` scanned rows (at most half a
//!   checkpoint block at each end, or the complement of the range on levels without
//!   checkpoints), a tree walk over the points in the cells (`O(points there)`), or a scan of the
//!   range (`O(len(range))`). At levels deeper than `D`: the cheaper of the tree walk and the
//!   range scan, estimated from the deepest stored level; callers normally draw single points
//!   there (`rows_in_rect` with a limit), so these levels only need to be right, not fast.
//!
//! # Files
//!
//! `row_queries` (rows in a rectangle, a cluster's rows, the nearest row), `cluster_queries`
//! (count bubbles and the choice of strategy), `index` (the trees, positions by row and the
//! build), `checkpoints` (row checkpoints of the levels), `levels` (the stored per-level
//! aggregates), `cluster` (rectangles, cells, sums, accumulators), `morton` (fixed point and
//! Morton codes), `radix_sort` and `projection`. Each uses only files after it in this list;
//! none uses this one.

mod checkpoints;
mod cluster;
mod cluster_queries;
mod index;
mod levels;
mod morton;
mod projection;
mod radix_sort;
mod row_queries;
#[cfg(test)]
mod tests;

pub use cluster::{Cluster, MercatorRect};
pub use index::{IndexStats, MAX_ROWS, PointIndex};
pub use morton::MAX_LEVEL;
pub use projection::{MAX_MERCATOR_LAT, lon_lat, mercator, units_per_pixel};
