//! Country areas: simplified admin-0 polygons, used only to answer "which country is here?"
//! (`Basemap::country_at`), never drawn.
//!
//! Coordinates stay integers of 1e-5 degree, as quantised in the asset. A 2° grid lists the
//! polygons whose box reaches each cell, smallest box first; each polygon's rings are cut into
//! chunks of [`CHUNK_EDGES`] edges with their own latitude range and eastern limit, so the
//! even-odd test of a point against a large country reads only the few edges beside it.

use std::ops::Range;

use super::error::DecodeError;
use super::reader::Reader;

/// Grid cell side in 1e-5 degree (2°).
const CELL_UNITS: i64 = 200_000;

const GRID_COLUMNS: usize = 180;

const GRID_ROWS: usize = 90;

const HALF_TURN_UNITS: i64 = 180 * 100_000;

const QUARTER_TURN_UNITS: i64 = 90 * 100_000;

/// Most grid entries a valid asset may need (the world asset needs far fewer); a crafted asset
/// of many world-sized polygons is refused instead of filling memory.
const MAX_GRID_ENTRIES: u64 = 4_000_000;

/// How far beside a border edge the neighbour is looked for: more than the two countries'
/// simplification (about 2 km each), so their slightly different lines still meet.
pub const BORDER_PROBE_KM: f64 = 5.0;

/// Edges per chunk of a ring.
const CHUNK_EDGES: usize = 16;

/// A box in 1e-5 degree, edges included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnitBox {
    west: i32,
    south: i32,
    east: i32,
    north: i32,
}

impl UnitBox {
    const EMPTY: UnitBox = UnitBox {
        west: i32::MAX,
        south: i32::MAX,
        east: i32::MIN,
        north: i32::MIN,
    };

    fn include(&mut self, [x, y]: [i32; 2]) {
        self.west = self.west.min(x);
        self.south = self.south.min(y);
        self.east = self.east.max(x);
        self.north = self.north.max(y);
    }

    fn contains(&self, x: i32, y: i32) -> bool {
        self.west <= x && x <= self.east && self.south <= y && y <= self.north
    }
}

/// A run of edges of one ring: the points `first..=last` (neighbouring chunks share a point).
#[derive(Debug, Clone)]
struct Chunk {
    first: u32,
    last: u32,
    south: i32,
    north: i32,
    east: i32,
}

#[derive(Debug, Clone)]
struct AreaPolygon {
    /// Index into the country labels.
    country: usize,
    bounds: UnitBox,
    /// Indices into the chunks: every ring of the polygon (outer ring and holes).
    chunks: Range<usize>,
}

/// The decoded country areas section (empty when the asset has none).
#[derive(Debug, Clone, Default)]
pub(crate) struct CountryAreas {
    polygons: Vec<AreaPolygon>,
    chunks: Vec<Chunk>,
    /// Ring points, each ring closed (its first point repeated at the end).
    points: Vec<[i32; 2]>,
    /// `cell_starts[cell]..cell_starts[cell + 1]` indexes `cell_polygons`; empty when there
    /// are no polygons.
    cell_starts: Vec<u32>,
    cell_polygons: Vec<u32>,
}

impl CountryAreas {
    /// The country (index into the country labels) whose polygon holds the point, if any.
    pub fn country_at(&self, lon: f64, lat: f64) -> Option<usize> {
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return None;
        }
        // In range, so the casts are exact enough and cannot overflow.
        let x = (lon * 100_000.0).round() as i32;
        let y = (lat * 100_000.0).round() as i32;
        let cell = cell_index(column(i64::from(x)), row(i64::from(y)));
        let start = *self.cell_starts.get(cell)? as usize;
        let end = *self.cell_starts.get(cell + 1)? as usize;
        self.cell_polygons
            .get(start..end)?
            .iter()
            .filter_map(|&index| self.polygons.get(index as usize))
            .find(|polygon| polygon.bounds.contains(x, y) && self.contains(polygon, x, y))
            .map(|polygon| polygon.country)
    }

    /// Even-odd test of the point against every ring of the polygon, with a ray to the east.
    fn contains(&self, polygon: &AreaPolygon, x: i32, y: i32) -> bool {
        let chunks = self.chunks.get(polygon.chunks.clone()).unwrap_or(&[]);
        let (px, py) = (i64::from(x), i64::from(y));
        let mut inside = false;
        for chunk in chunks {
            // An edge counts when one end is north of the point and the other is not, and it
            // crosses the point's latitude east of the point.
            if chunk.north <= y || chunk.south > y || chunk.east < x {
                continue;
            }
            let points = self
                .points
                .get(chunk.first as usize..=chunk.last as usize)
                .unwrap_or(&[]);
            for pair in points.windows(2) {
                let &[[x1, y1], [x2, y2]] = pair else {
                    continue;
                };
                if (y1 > y) == (y2 > y) {
                    continue;
                }
                let (x1, y1, x2, y2) = (i64::from(x1), i64::from(y1), i64::from(x2), i64::from(y2));
                // The crossing lies east of the point when this has the sign of y2 - y1.
                let side = (x1 - px) * (y2 - y1) + (py - y1) * (x2 - x1);
                if (side > 0) == (y2 > y1) {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// The edges of `country`'s polygons that run along `neighbour`: an edge counts when a
    /// point [`BORDER_PROBE_KM`] off its middle, on either side, lies in `neighbour`. Joined
    /// into lines (consecutive shared edges of a ring make one line), in degrees.
    pub fn shared_border(&self, country: usize, neighbour: usize) -> Vec<Vec<[f64; 2]>> {
        let mut lines: Vec<Vec<[f64; 2]>> = Vec::new();
        let degrees = |[x, y]: [i32; 2]| [f64::from(x) / 1e5, f64::from(y) / 1e5];
        for polygon in self.polygons.iter().filter(|p| p.country == country) {
            let chunks = self.chunks.get(polygon.chunks.clone()).unwrap_or(&[]);
            // The end of the line being built, to join the next shared edge to it.
            let mut open_end: Option<[i32; 2]> = None;
            for chunk in chunks {
                let points = self
                    .points
                    .get(chunk.first as usize..=chunk.last as usize)
                    .unwrap_or(&[]);
                for pair in points.windows(2) {
                    let &[from, to] = pair else {
                        continue;
                    };
                    if from == to || !self.edge_runs_along(from, to, neighbour) {
                        open_end = None;
                        continue;
                    }
                    match (open_end, lines.last_mut()) {
                        (Some(end), Some(line)) if end == from => line.push(degrees(to)),
                        _ => lines.push(vec![degrees(from), degrees(to)]),
                    }
                    open_end = Some(to);
                }
            }
        }
        lines
    }

    /// Whether a point beside the middle of the edge, on either side, is in `neighbour`.
    fn edge_runs_along(&self, from: [i32; 2], to: [i32; 2], neighbour: usize) -> bool {
        let [x1, y1] = from.map(|unit| f64::from(unit) / 1e5);
        let [x2, y2] = to.map(|unit| f64::from(unit) / 1e5);
        let (mid_x, mid_y) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        // Work in kilometres east and north so that "beside" is square to the edge.
        let km_per_lon = 111.32 * mid_y.to_radians().cos().max(0.01);
        let (east, north) = ((x2 - x1) * km_per_lon, (y2 - y1) * 111.32);
        let length = east.hypot(north);
        if length <= 0.0 {
            return false;
        }
        let (across_east, across_north) = (-north / length, east / length);
        [1.0, -1.0].into_iter().any(|side: f64| {
            let lon = mid_x + side * BORDER_PROBE_KM * across_east / km_per_lon;
            let lat = mid_y + side * BORDER_PROBE_KM * across_north / 111.32;
            self.country_at(lon, lat) == Some(neighbour)
        })
    }

    /// The countries (indices into the country labels) that have at least one polygon.
    pub fn countries(&self) -> impl Iterator<Item = usize> + '_ {
        self.polygons.iter().map(|polygon| polygon.country)
    }

    /// Approximate heap bytes.
    pub fn heap_bytes(&self) -> usize {
        self.polygons.capacity() * std::mem::size_of::<AreaPolygon>()
            + self.chunks.capacity() * std::mem::size_of::<Chunk>()
            + self.points.capacity() * std::mem::size_of::<[i32; 2]>()
            + (self.cell_starts.capacity() + self.cell_polygons.capacity())
                * std::mem::size_of::<u32>()
    }

    /// Builds the grid: for each cell, the polygons whose box reaches it, in polygon order.
    /// `offset` is the section's end, for the error.
    fn build_grid(&mut self, offset: usize) -> Result<(), DecodeError> {
        let cells = GRID_COLUMNS * GRID_ROWS;
        let spans: Vec<(Range<usize>, Range<usize>)> = self
            .polygons
            .iter()
            .map(|polygon| {
                let b = polygon.bounds;
                (
                    column(i64::from(b.west))..column(i64::from(b.east)) + 1,
                    row(i64::from(b.south))..row(i64::from(b.north)) + 1,
                )
            })
            .collect();
        let entries: u64 = spans
            .iter()
            .map(|(columns, rows)| (columns.len() * rows.len()) as u64)
            .sum();
        if entries > MAX_GRID_ENTRIES {
            return Err(DecodeError::CountTooLarge {
                offset,
                what: "country areas grid entries",
                count: entries,
            });
        }
        let mut counts = vec![0u32; cells];
        for (columns, rows) in &spans {
            for row in rows.clone() {
                for column in columns.clone() {
                    if let Some(count) = counts.get_mut(cell_index(column, row)) {
                        *count += 1;
                    }
                }
            }
        }
        let mut starts = Vec::with_capacity(cells + 1);
        let mut total: u32 = 0;
        starts.push(total);
        for count in &counts {
            // At most MAX_GRID_ENTRIES in all, so this cannot overflow.
            total = total.saturating_add(*count);
            starts.push(total);
        }
        let mut next = starts.clone();
        let mut cell_polygons = vec![0u32; total as usize];
        for (index, (columns, rows)) in spans.iter().enumerate() {
            for row in rows.clone() {
                for column in columns.clone() {
                    let cell = cell_index(column, row);
                    if let Some(slot) = next.get_mut(cell)
                        && let Some(entry) = cell_polygons.get_mut(*slot as usize)
                    {
                        *entry = index as u32;
                        *slot += 1;
                    }
                }
            }
        }
        self.cell_starts = starts;
        self.cell_polygons = cell_polygons;
        Ok(())
    }

    /// Closes the ring made of the points from `first_point` on, cuts it into chunks, and
    /// returns its box.
    fn finish_ring(&mut self, first_point: usize) -> UnitBox {
        if let Some(&first) = self.points.get(first_point) {
            self.points.push(first);
        }
        let end = self.points.len();
        let mut bounds = UnitBox::EMPTY;
        let mut start = first_point;
        while start + 1 < end {
            let last = (start + CHUNK_EDGES).min(end - 1);
            let mut chunk_box = UnitBox::EMPTY;
            for &point in self.points.get(start..=last).unwrap_or(&[]) {
                chunk_box.include(point);
            }
            self.chunks.push(Chunk {
                first: start as u32,
                last: last as u32,
                south: chunk_box.south,
                north: chunk_box.north,
                east: chunk_box.east,
            });
            bounds.include([chunk_box.west, chunk_box.south]);
            bounds.include([chunk_box.east, chunk_box.north]);
            start = last;
        }
        bounds
    }
}

/// Decodes a country areas payload; every polygon must name one of `label_count` labels.
pub(super) fn decode_country_areas(
    reader: &mut Reader<'_>,
    label_count: usize,
) -> Result<CountryAreas, DecodeError> {
    let unit = reader.unit()?;
    // A polygon needs a country, a ring count and one ring of at least 1 + 3 × 2 bytes.
    let polygon_count = reader.count("country area count", 9)?;
    // Points take about 3 bytes each in the world asset; shrunk to fit below.
    let point_estimate = reader.remaining() / 3;
    let mut areas = CountryAreas {
        polygons: Vec::with_capacity(polygon_count),
        points: Vec::with_capacity(point_estimate),
        chunks: Vec::with_capacity(point_estimate / CHUNK_EDGES),
        ..CountryAreas::default()
    };
    let (mut lon_units, mut lat_units) = (0i64, 0i64);
    for _ in 0..polygon_count {
        let country_offset = reader.offset;
        let country = reader.varint("country area's country")?;
        let country = usize::try_from(country)
            .ok()
            .filter(|index| *index < label_count)
            .ok_or(DecodeError::InvalidValue {
                offset: country_offset,
                what: "country area's country",
                value: country,
            })?;
        let ring_offset = reader.offset;
        let ring_count = reader.count("country area ring count", 7)?;
        if ring_count == 0 {
            return Err(DecodeError::InvalidValue {
                offset: ring_offset,
                what: "country area ring count",
                value: 0,
            });
        }
        let first_chunk = areas.chunks.len();
        let mut bounds = UnitBox::EMPTY;
        for _ in 0..ring_count {
            let point_count = reader.point_count(3)?;
            let first_point = areas.points.len();
            for _ in 0..point_count {
                (lon_units, lat_units) = reader.delta_point(unit, lon_units, lat_units)?;
                // Validated to ±180° and ±90°, so they fit in i32.
                areas.points.push([lon_units as i32, lat_units as i32]);
            }
            let ring_box = areas.finish_ring(first_point);
            bounds.include([ring_box.west, ring_box.south]);
            bounds.include([ring_box.east, ring_box.north]);
        }
        areas.polygons.push(AreaPolygon {
            country,
            bounds,
            chunks: first_chunk..areas.chunks.len(),
        });
    }
    if u32::try_from(areas.points.len()).is_err() {
        return Err(DecodeError::CountTooLarge {
            offset: reader.offset,
            what: "country area points",
            count: areas.points.len() as u64,
        });
    }
    areas.points.shrink_to_fit();
    areas.chunks.shrink_to_fit();
    areas.build_grid(reader.offset)?;
    Ok(areas)
}

fn column(lon_units: i64) -> usize {
    ((lon_units + HALF_TURN_UNITS) / CELL_UNITS).clamp(0, GRID_COLUMNS as i64 - 1) as usize
}

fn row(lat_units: i64) -> usize {
    ((lat_units + QUARTER_TURN_UNITS) / CELL_UNITS).clamp(0, GRID_ROWS as i64 - 1) as usize
}

fn cell_index(column: usize, row: usize) -> usize {
    row * GRID_COLUMNS + column
}
