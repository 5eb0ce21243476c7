//! FlatGeobuf's packed Hilbert R-tree, used to read only part of a file: [`read_flatgeobuf_in_box`]
//! reads the header and the index, searches the index for the features whose boxes meet a box,
//! and reads just those features' bytes, each at its offset.
//!
//! The tree is an array of 40-byte nodes (min x, min y, max x, max y as f64, then a u64 offset),
//! root first, the levels one after another down to the leaves at the end. A leaf's offset is its
//! feature's byte offset from the first feature; a branch's is the node index of its first child,
//! the others following it (up to `node_size` in all).

use super::stream::read_header_from;
use super::{document_error, read_feature};
use crate::error::LoadError;
use crate::formats::layers::{LayerFeatures, LayerRead, Positions};
use crate::formats::skips::SkipLog;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;

const NODE_BYTES: usize = 40;

/// The node count on each level, leaves first, as GDAL's `generateLevelBounds` counts them (a
/// single feature still gets a root above its leaf).
fn level_sizes(items: u64, node_size: u16) -> Option<Vec<u64>> {
    if node_size < 2 || items == 0 {
        return None;
    }
    let node_size = u64::from(node_size);
    let mut sizes = vec![items];
    let mut level = items;
    loop {
        level = level.div_ceil(node_size);
        sizes.push(level);
        if level == 1 {
            return Some(sizes);
        }
    }
}

/// The bytes of a packed Hilbert R-tree of `items` entries and `node_size` children a node
/// (`Some(0)` when the file has no index; `None` when the size overflows).
pub(super) fn index_bytes(items: u64, node_size: u16) -> Option<u64> {
    let Some(sizes) = level_sizes(items, node_size) else {
        return Some(0);
    };
    sizes
        .iter()
        .try_fold(0_u64, |sum, size| sum.checked_add(*size))?
        .checked_mul(NODE_BYTES as u64)
}

/// Each level's node indices in the array, leaves first.
fn level_bounds(sizes: &[u64]) -> Vec<Range<usize>> {
    let total: u64 = sizes.iter().sum();
    let mut end = total;
    sizes
        .iter()
        .map(|size| {
            let start = end - size;
            let range = start as usize..end as usize;
            end = start;
            range
        })
        .collect()
}

/// A box as min x, min y, max x, max y.
pub type BoxXY = [f64; 4];

fn node(index: &[u8], at: usize) -> Option<(BoxXY, u64)> {
    let bytes = index.get(at * NODE_BYTES..(at + 1) * NODE_BYTES)?;
    let number =
        |i: usize| f64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap_or_default());
    let offset = u64::from_le_bytes(bytes[32..40].try_into().unwrap_or_default());
    Some(([number(0), number(1), number(2), number(3)], offset))
}

fn meet(a: &BoxXY, b: &BoxXY) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// The features (their index in the file and byte offset from the first feature) whose boxes
/// meet `query`, in file order. `meets` decides for a node's box (in the file's coordinates).
fn search(
    index: &[u8],
    items: u64,
    node_size: u16,
    meets: &dyn Fn(&BoxXY) -> bool,
) -> Result<Vec<(usize, u64)>, String> {
    let sizes = level_sizes(items, node_size).ok_or("the file has no spatial index")?;
    let bounds = level_bounds(&sizes);
    let leaves = bounds[0].clone();
    let mut found = Vec::new();
    let mut pending = vec![(0_usize, bounds.len() - 1)];
    while let Some((first, level)) = pending.pop() {
        let end = (first + usize::from(node_size)).min(bounds[level].end);
        for at in first..end {
            let (node_box, offset) =
                node(index, at).ok_or_else(|| format!("index node {at} lies past the index"))?;
            if !meets(&node_box) {
                continue;
            }
            if level == 0 {
                found.push((at - leaves.start, offset));
                continue;
            }
            let child = usize::try_from(offset).unwrap_or(usize::MAX);
            if !bounds[level - 1].contains(&child) {
                return Err(format!(
                    "index node {at} points to node {child}, not on the level below"
                ));
            }
            pending.push((child, level - 1));
        }
    }
    // A damaged index may reach a leaf twice: each feature is read once.
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// Reads from a FlatGeobuf file that has a spatial index only the features whose boxes meet
/// `view` (min longitude, min latitude, max longitude, max latitude in WGS 84). A file in a
/// projected system has each index box's corners reprojected to be compared. The features keep
/// their index in the file. A file without an index is refused, saying so (read it whole).
pub fn read_flatgeobuf_in_box<R: Read + Seek>(
    file: &str,
    source: &mut R,
    view: BoxXY,
) -> Result<LayerRead, LoadError> {
    let mut skips = SkipLog::default();
    let (header, file_size) = read_header_from(file, source, &mut skips)?;
    if header.index_size == 0 {
        return Err(document_error(
            file,
            "the file has no spatial index, so it is read whole".into(),
        ));
    }
    let mut index = vec![0; header.index_size];
    source.read_exact(&mut index).map_err(|error| {
        document_error(
            file,
            format!(
                "the spatial index of {} bytes cannot be read: {error}",
                header.index_size
            ),
        )
    })?;
    let positions = Positions {
        reprojection: header.reprojection.as_ref(),
    };
    let meets = |node_box: &BoxXY| match header.reprojection.as_ref() {
        None => meet(node_box, &view),
        Some(reprojection) => {
            let corners = [
                (node_box[0], node_box[1]),
                (node_box[0], node_box[3]),
                (node_box[2], node_box[1]),
                (node_box[2], node_box[3]),
            ];
            let mut degrees = [f64::INFINITY, f64::INFINITY, -f64::INFINITY, -f64::INFINITY];
            for (x, y) in corners {
                // A corner that cannot be reprojected: the node is kept, to be safe.
                let Ok((lon, lat)) = reprojection.to_wgs84(x, y) else {
                    return true;
                };
                degrees = [
                    degrees[0].min(lon),
                    degrees[1].min(lat),
                    degrees[2].max(lon),
                    degrees[3].max(lat),
                ];
            }
            meet(&degrees, &view)
        }
    };
    let found = search(&index, header.features_count, header.node_size, &meets)
        .map_err(|message| document_error(file, format!("spatial index: {message}")))?;
    let features_start = header.features_start() as u64;
    let mut read = LayerFeatures::with_capacity(found.len());
    let mut bytes = Vec::new();
    for (feature_index, offset) in found {
        let place = || format!("feature {feature_index}");
        let mut length = [0; 4];
        let at = features_start
            .saturating_add(offset)
            .min(u64::MAX - (1 << 33));
        if source.seek(SeekFrom::Start(at)).is_err() || source.read_exact(&mut length).is_err() {
            skips.warn(
                place(),
                format!("the index points to byte {at}, past the end of the file"),
            );
            continue;
        }
        let length = u64::from(u32::from_le_bytes(length));
        if at + 4 + length > file_size {
            skips.warn(
                place(),
                format!(
                    "the feature of {length} bytes runs past the end of the file: the file is truncated"
                ),
            );
            continue;
        }
        bytes.resize(length as usize, 0);
        if let Err(error) = source.read_exact(&mut bytes) {
            skips.warn(place(), format!("cannot be read: {error}"));
            continue;
        }
        match read_feature(&bytes, header.geometry_type, &header.columns, &positions) {
            Ok((geometry, properties)) => read.push(feature_index, None, geometry, properties),
            Err((field, message)) => skips.push(format!("{}, field {field}", place()), message),
        }
    }
    Ok((read.into_layer(header.layer_name(file)), skips))
}
