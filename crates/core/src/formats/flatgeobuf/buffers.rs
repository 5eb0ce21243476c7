//! Just enough of FlatBuffers to read FlatGeobuf: tables, their scalar, string, vector and
//! table fields, every read checked against the buffer's end (a bad offset is an error, never a
//! panic).

/// A table inside a buffer: the buffer and the table's position.
#[derive(Clone, Copy)]
pub(super) struct Table<'b> {
    bytes: &'b [u8],
    at: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|four| u32::from_le_bytes([four[0], four[1], four[2], four[3]]))
        .ok_or_else(|| {
            format!(
                "an offset at byte {at} lies past the end ({} bytes)",
                bytes.len()
            )
        })
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes
        .get(at..at + 2)
        .map(|two| u16::from_le_bytes([two[0], two[1]]))
        .ok_or_else(|| format!("a field table at byte {at} lies past the end"))
}

impl<'b> Table<'b> {
    /// The root table of a buffer (its first four bytes are the root's offset).
    pub fn root(bytes: &'b [u8]) -> Result<Self, String> {
        let at = u32_at(bytes, 0)? as usize;
        Self::at(bytes, at)
    }

    fn at(bytes: &'b [u8], at: usize) -> Result<Self, String> {
        u32_at(bytes, at)?;
        Ok(Self { bytes, at })
    }

    /// Where field `index`'s value lies, or `None` when the table does not have it.
    fn field(&self, index: usize) -> Result<Option<usize>, String> {
        let relative = i32::from_le_bytes(u32_at(self.bytes, self.at)?.to_le_bytes());
        let vtable = i64::try_from(self.at).unwrap_or(i64::MAX) - i64::from(relative);
        let vtable = usize::try_from(vtable)
            .map_err(|_| "a table's field list lies before the start".to_owned())?;
        let vtable_size = usize::from(u16_at(self.bytes, vtable)?);
        let slot = 4 + index * 2;
        if slot + 2 > vtable_size {
            return Ok(None);
        }
        match u16_at(self.bytes, vtable + slot)? {
            0 => Ok(None),
            offset => Ok(Some(self.at + usize::from(offset))),
        }
    }

    pub fn u8(&self, index: usize, default: u8) -> Result<u8, String> {
        match self.field(index)? {
            Some(at) => self
                .bytes
                .get(at)
                .copied()
                .ok_or_else(|| format!("a byte field at {at} lies past the end")),
            None => Ok(default),
        }
    }

    pub fn u16(&self, index: usize, default: u16) -> Result<u16, String> {
        self.field(index)?
            .map_or(Ok(default), |at| u16_at(self.bytes, at))
    }

    pub fn u64(&self, index: usize) -> Result<u64, String> {
        let Some(at) = self.field(index)? else {
            return Ok(0);
        };
        self.bytes
            .get(at..at + 8)
            .and_then(|eight| eight.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| format!("a number field at {at} lies past the end"))
    }

    pub fn i32(&self, index: usize) -> Result<i32, String> {
        let Some(at) = self.field(index)? else {
            return Ok(0);
        };
        Ok(i32::from_le_bytes(u32_at(self.bytes, at)?.to_le_bytes()))
    }

    /// Where an offset field points.
    fn target(&self, index: usize) -> Result<Option<usize>, String> {
        let Some(at) = self.field(index)? else {
            return Ok(None);
        };
        Ok(Some(at + u32_at(self.bytes, at)? as usize))
    }

    /// A vector field's bytes (`size` bytes per element) and length.
    pub fn vector(&self, index: usize, size: usize) -> Result<Option<(&'b [u8], usize)>, String> {
        let Some(at) = self.target(index)? else {
            return Ok(None);
        };
        let length = u32_at(self.bytes, at)? as usize;
        let bytes = self
            .bytes
            .get(at + 4..)
            .and_then(|rest| rest.get(..length.checked_mul(size)?))
            .ok_or_else(|| format!("a list of {length} at byte {at} runs past the end"))?;
        Ok(Some((bytes, length)))
    }

    pub fn string(&self, index: usize) -> Result<Option<String>, String> {
        Ok(self
            .vector(index, 1)?
            .map(|(bytes, _)| String::from_utf8_lossy(bytes).into_owned()))
    }

    pub fn f64s(&self, index: usize) -> Result<Vec<f64>, String> {
        Ok(self.vector(index, 8)?.map_or_else(Vec::new, |(bytes, _)| {
            bytes
                .chunks_exact(8)
                .map(|eight| f64::from_le_bytes(eight.try_into().unwrap_or_default()))
                .collect()
        }))
    }

    pub fn u32s(&self, index: usize) -> Result<Vec<u32>, String> {
        Ok(self.vector(index, 4)?.map_or_else(Vec::new, |(bytes, _)| {
            bytes
                .chunks_exact(4)
                .map(|four| u32::from_le_bytes(four.try_into().unwrap_or_default()))
                .collect()
        }))
    }

    pub fn table(&self, index: usize) -> Result<Option<Table<'b>>, String> {
        self.target(index)?
            .map(|at| Self::at(self.bytes, at))
            .transpose()
    }

    /// A vector of tables.
    pub fn tables(&self, index: usize) -> Result<Vec<Table<'b>>, String> {
        let Some((_, length)) = self.vector(index, 4)? else {
            return Ok(Vec::new());
        };
        let start = self.target(index)?.unwrap_or_default() + 4;
        (0..length)
            .map(|element| {
                let slot = start + element * 4;
                Self::at(self.bytes, slot + u32_at(self.bytes, slot)? as usize)
            })
            .collect()
    }
}
