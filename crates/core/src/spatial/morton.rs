//! Cell coordinates: positions in 32-bit fixed point, the cell of a position at a clustering
//! level, and Morton (Z-order) codes of cells.

/// The deepest clustering level: `4 * 2^30` cells per side, the resolution of the index's fixed
/// point. Deeper levels are clamped to it.
pub const MAX_LEVEL: u8 = 30;

/// Fixed point of the cluster sums: `2^32` units per mercator unit.
pub(super) const FIXED_SCALE: f64 = 4_294_967_296.0;

/// `floor(v * 2^32)`, saturating, for `v` in `[0, 1]`.
pub(super) fn to_fixed(v: f32) -> u32 {
    let scaled = f64::from(v) * FIXED_SCALE;
    if scaled >= f64::from(u32::MAX) {
        u32::MAX
    } else if scaled > 0.0 {
        scaled as u32
    } else {
        0
    }
}

/// Shift from a fixed-point coordinate to a cell index at `level`.
pub(super) fn level_shift(level: u8) -> u32 {
    u32::from(MAX_LEVEL - level.min(MAX_LEVEL))
}

pub(super) fn cells_per_side(level: u8) -> u64 {
    4u64 << level.min(MAX_LEVEL)
}

fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

pub(super) fn compact(code: u64) -> u32 {
    let mut x = code & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x >> 4)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
    ((x | (x >> 16)) & 0x0000_0000_ffff_ffff) as u32
}

/// Morton code with `x` in the even bits.
pub(super) fn morton(x: u32, y: u32) -> u64 {
    spread(x) | (spread(y) << 1)
}

/// [`morton`] of cell indices (below `2^32`).
pub(super) fn morton64(x: u64, y: u64) -> u64 {
    morton(x as u32, y as u32)
}
