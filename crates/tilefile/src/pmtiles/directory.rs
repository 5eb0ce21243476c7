//! PMTiles v3 directories: tile ids on the Hilbert curve, varint columns, lookup.

/// One directory entry. `run_length == 0` points to a leaf directory (offset relative to the
/// leaf section); otherwise to a tile repeated at ids `tile_id .. tile_id + run_length`
/// (offset relative to the tile data section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub tile_id: u64,
    pub offset: u64,
    pub length: u32,
    pub run_length: u32,
}

/// Highest zoom whose tile ids fit in `u64` (4^32 overflows).
pub const MAX_ZOOM: u8 = 31;

/// The PMTiles tile id of XYZ tile `zoom`/`x`/`y`: the tiles of all lower zooms, then the
/// position on this zoom's Hilbert curve. `None` for zoom > 31 or x, y outside the zoom.
pub fn tile_id(zoom: u8, x: u32, y: u32) -> Option<u64> {
    if zoom > MAX_ZOOM {
        return None;
    }
    let n = 1u64 << zoom;
    let (mut x, mut y) = (u64::from(x), u64::from(y));
    if x >= n || y >= n {
        return None;
    }
    // Tiles of zooms 0..zoom: (4^zoom - 1) / 3.
    let before = ((1u64 << (2 * u32::from(zoom))) - 1) / 3;
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    Some(before + d)
}

/// Reads one LEB128 varint (at most 10 bytes).
pub fn read_varint(bytes: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..70).step_by(7) {
        let Some(&byte) = bytes.get(*pos) else {
            return Err(format!("directory ends inside a number at byte {}", *pos));
        };
        *pos += 1;
        if shift == 63 && byte > 1 {
            return Err(format!("number too large at byte {}", *pos - 1));
        }
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(format!("number longer than 10 bytes at byte {}", *pos))
}

pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Decodes an (already decompressed) directory and checks it: at least one entry, tile ids
/// ascending, lengths non-zero and within `u32`.
pub fn decode(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut pos = 0;
    let count = read_varint(bytes, &mut pos)?;
    if count == 0 {
        return Err("the directory has no entries".into());
    }
    // Every entry takes at least 4 bytes, so a count beyond that is a lie, not a reason to
    // allocate.
    if count > bytes.len() as u64 / 4 + 1 {
        return Err(format!(
            "the directory claims {count} entries in {} bytes",
            bytes.len()
        ));
    }
    let count = count as usize;
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0,
        };
        count
    ];
    let mut last_id = 0u64;
    for (i, entry) in entries.iter_mut().enumerate() {
        let delta = read_varint(bytes, &mut pos)?;
        if i > 0 && delta == 0 {
            return Err(format!("entry {i} repeats tile id {last_id}"));
        }
        last_id = last_id
            .checked_add(delta)
            .ok_or_else(|| format!("tile id of entry {i} overflows"))?;
        entry.tile_id = last_id;
    }
    for entry in entries.iter_mut() {
        entry.run_length = to_u32(read_varint(bytes, &mut pos)?, "run length")?;
    }
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.length = to_u32(read_varint(bytes, &mut pos)?, "length")?;
        if entry.length == 0 {
            return Err(format!(
                "entry {i} (tile id {}) has length 0",
                entry.tile_id
            ));
        }
    }
    for i in 0..count {
        let raw = read_varint(bytes, &mut pos)?;
        let offset = if raw == 0 && i > 0 {
            let previous = entries[i - 1];
            previous.offset + u64::from(previous.length)
        } else if raw == 0 {
            return Err("the first entry has no offset".into());
        } else {
            raw - 1
        };
        entries[i].offset = offset;
    }
    if pos != bytes.len() {
        return Err(format!(
            "{} bytes left over after {count} entries",
            bytes.len() - pos
        ));
    }
    Ok(entries)
}

fn to_u32(value: u64, what: &str) -> Result<u32, String> {
    u32::try_from(value).map_err(|_| format!("{what} {value} is too large"))
}

/// Encodes entries (ascending ids) as the spec's columns, before compression.
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, entries.len() as u64);
    let mut last_id = 0;
    for entry in entries {
        write_varint(&mut out, entry.tile_id - last_id);
        last_id = entry.tile_id;
    }
    for entry in entries {
        write_varint(&mut out, u64::from(entry.run_length));
    }
    for entry in entries {
        write_varint(&mut out, u64::from(entry.length));
    }
    for (i, entry) in entries.iter().enumerate() {
        let follows = i > 0 && {
            let previous = &entries[i - 1];
            entry.offset == previous.offset + u64::from(previous.length)
        };
        write_varint(&mut out, if follows { 0 } else { entry.offset + 1 });
    }
    out
}

/// The entry covering `tile_id`: a tile entry whose run includes it, or the leaf directory
/// that would hold it. `None` when the directory has neither.
pub fn find(entries: &[Entry], tile_id: u64) -> Option<Entry> {
    // The last entry with entry.tile_id <= tile_id.
    let index = entries.partition_point(|entry| entry.tile_id <= tile_id);
    let entry = *entries.get(index.checked_sub(1)?)?;
    if entry.run_length == 0 {
        return Some(entry);
    }
    (tile_id - entry.tile_id < u64::from(entry.run_length)).then_some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_spec_examples() {
        assert_eq!(tile_id(0, 0, 0), Some(0));
        assert_eq!(tile_id(1, 0, 0), Some(1));
        assert_eq!(tile_id(1, 0, 1), Some(2));
        assert_eq!(tile_id(1, 1, 1), Some(3));
        assert_eq!(tile_id(1, 1, 0), Some(4));
        assert_eq!(tile_id(2, 0, 0), Some(5));
        assert_eq!(tile_id(12, 3423, 1763), Some(19_078_479));
        assert_eq!(tile_id(1, 2, 0), None);
        assert_eq!(tile_id(32, 0, 0), None);
        assert!(tile_id(31, u32::MAX >> 1, u32::MAX >> 1).is_some());
    }

    #[test]
    fn tile_ids_are_unique_per_zoom() {
        for zoom in 0..5u8 {
            let n = 1u32 << zoom;
            let mut ids: Vec<u64> = (0..n)
                .flat_map(|x| (0..n).map(move |y| tile_id(zoom, x, y).unwrap()))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len() as u32, n * n);
            let first = ((1u64 << (2 * zoom)) - 1) / 3;
            assert_eq!(ids[0], first);
        }
    }

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            let mut pos = 0;
            assert_eq!(read_varint(&out, &mut pos).unwrap(), value);
            assert_eq!(pos, out.len());
        }
        assert!(read_varint(&[0x80, 0x80], &mut 0).is_err());
        assert!(read_varint(&[0xFF; 11], &mut 0).is_err());
    }

    #[test]
    fn directories_round_trip_and_find() {
        let entries = vec![
            Entry {
                tile_id: 0,
                offset: 0,
                length: 10,
                run_length: 1,
            },
            Entry {
                tile_id: 1,
                offset: 10,
                length: 5,
                run_length: 3,
            },
            Entry {
                tile_id: 9,
                offset: 0,
                length: 10,
                run_length: 1,
            },
            Entry {
                tile_id: 20,
                offset: 0,
                length: 40,
                run_length: 0,
            },
        ];
        let decoded = decode(&encode(&entries)).unwrap();
        assert_eq!(decoded, entries);
        assert_eq!(find(&entries, 3).map(|e| e.offset), Some(10));
        assert_eq!(find(&entries, 4), None);
        assert_eq!(find(&entries, 9).map(|e| e.tile_id), Some(9));
        assert_eq!(find(&entries, 500).map(|e| e.run_length), Some(0));
        assert!(decode(&[0]).is_err());
        assert!(decode(&[200, 1]).is_err());
        let mut long = encode(&entries);
        long.push(0);
        assert!(decode(&long).is_err());
    }
}
