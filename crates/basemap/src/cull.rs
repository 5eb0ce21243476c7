//! Culling inside long parts: a tile touches only the chunks of a coastline, border or land
//! ring whose boxes reach it, never every vertex of the part.

use crate::data::{GeometryLayer, Part, WorldPoint, WorldRect};

/// The ring of `part` with every chunk whose box misses `clip` collapsed to its two end
/// points. Inside `clip` the result covers exactly what the ring covers, with either fill
/// rule: a collapsed stretch and the chord that replaces it both lie in one half-plane
/// outside `clip`, so together they wind around no point inside it. Stroked, the chords lie
/// outside `clip` too and are clipped away.
pub(crate) fn collapsed_ring(
    layer: &GeometryLayer,
    part: &Part,
    clip: &WorldRect,
    out: &mut Vec<WorldPoint>,
) {
    out.clear();
    let chunks = layer.part_chunks(part);
    for chunk in chunks {
        let points = layer.chunk_points(chunk);
        if chunk.bounds.intersects(clip) {
            // The last point is the next chunk's first.
            out.extend_from_slice(points.split_last().map_or(&[], |(_, rest)| rest));
        } else if let Some(&first) = points.first() {
            out.push(first);
        }
    }
    if let Some(&last) = chunks.last().and_then(|chunk| layer.points.get(chunk.last)) {
        out.push(last);
    }
}

/// Calls `emit(points, start_length)` for every run of consecutive chunks of the open line
/// `part` whose boxes meet `clip`; `start_length` is the length of the line before the run, in
/// world units, so dash patterns keep their phase across tiles.
pub(crate) fn visible_runs(
    layer: &GeometryLayer,
    part: &Part,
    clip: &WorldRect,
    mut emit: impl FnMut(&[WorldPoint], f64),
) {
    let mut run: Option<(usize, usize, f64)> = None;
    let mut flush = |run: (usize, usize, f64)| {
        let (first, last, start_length) = run;
        emit(layer.points.get(first..=last).unwrap_or(&[]), start_length);
    };
    for chunk in layer.part_chunks(part) {
        if chunk.bounds.intersects(clip) {
            match &mut run {
                Some((_, last, _)) => *last = chunk.last,
                None => run = Some((chunk.first, chunk.last, chunk.start_length)),
            }
        } else if let Some(finished) = run.take() {
            flush(finished);
        }
    }
    if let Some(finished) = run {
        flush(finished);
    }
}
