//! A FlatGeobuf file read from a stream rather than held whole: its header (every length checked
//! against the file's size before anything is allocated), its features one at a time with the
//! byte span of each, and one feature read again at its span (for a large point file loaded as
//! a table).

use super::{Header, document_error, header_size, read_feature, read_header};
use crate::error::LoadError;
use crate::formats::layers::Positions;
use crate::formats::skips::SkipLog;
use geo::Geometry;
use serde_json::{Map, Value};
use std::io::{Read, Seek, SeekFrom};

/// The header of a file being read from `source`, which is left at the start of the index. The
/// file's size is returned too.
pub(super) fn read_header_from<R: Read + Seek>(
    file: &str,
    source: &mut R,
    skips: &mut SkipLog,
) -> Result<(Header, u64), LoadError> {
    let io_error = |error: std::io::Error| LoadError::Read {
        file: file.to_owned(),
        message: error.to_string(),
    };
    let file_size = source.seek(SeekFrom::End(0)).map_err(io_error)?;
    source.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let mut head = vec![0; 12];
    source.read_exact(&mut head).map_err(|_| {
        document_error(
            file,
            "not FlatGeobuf: shorter than the 12 bytes every FlatGeobuf file starts with".into(),
        )
    })?;
    let size = header_size(file, &head)?;
    if 12 + size as u64 > file_size {
        return Err(past_end(
            file,
            file_size,
            format!("the header of {size} bytes"),
        ));
    }
    head.resize(12 + size, 0);
    source.read_exact(&mut head[12..]).map_err(io_error)?;
    let header = read_header(file, &head, skips)?;
    if header.features_start() as u64 > file_size {
        return Err(past_end(
            file,
            file_size,
            format!("the spatial index of {} bytes", header.index_size),
        ));
    }
    Ok((header, file_size))
}

pub(super) fn past_end(file: &str, file_size: u64, what: String) -> LoadError {
    document_error(
        file,
        format!("{what} runs past the end of the file ({file_size} bytes)"),
    )
}

/// What a header says of a file's features, for deciding how to load it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeaturesSummary {
    pub count: u64,
    /// Every feature is a point (the header's geometry type is Point).
    pub points: bool,
}

/// What the header of the file at `source` says of its features.
pub fn features_summary<R: Read + Seek>(
    file: &str,
    source: &mut R,
) -> Result<FeaturesSummary, LoadError> {
    let (header, _) = read_header_from(file, source, &mut SkipLog::default())?;
    Ok(FeaturesSummary {
        count: header.features_count,
        points: header.geometry_type == 1,
    })
}

/// One feature read from a stream: its index in the file, where its bytes lie (after the length
/// in front of them) and what it holds.
pub struct StreamedFeature {
    pub index: usize,
    pub offset: u64,
    pub len: u32,
    pub geometry: Option<Geometry<f64>>,
    pub properties: Map<String, Value>,
}

/// Reads every feature of the file at `source` in order, giving each to `each` (which may stop
/// the reading with an error); a feature that does not read is skipped with its place. Returns
/// the layer's name and what was skipped or tolerated.
pub fn stream_features<R: Read + Seek>(
    file: &str,
    source: &mut R,
    mut each: impl FnMut(StreamedFeature) -> Result<(), LoadError>,
) -> Result<(String, SkipLog), LoadError> {
    let mut skips = SkipLog::default();
    let (header, file_size) = read_header_from(file, source, &mut skips)?;
    let positions = Positions {
        reprojection: header.reprojection.as_ref(),
    };
    let mut at = header.features_start() as u64;
    source
        .seek(SeekFrom::Start(at))
        .map_err(|error| LoadError::Read {
            file: file.to_owned(),
            message: error.to_string(),
        })?;
    let mut bytes = Vec::new();
    let mut index = 0;
    while at + 4 <= file_size {
        let mut length = [0; 4];
        if source.read_exact(&mut length).is_err() {
            break;
        }
        let len = u32::from_le_bytes(length);
        if at + 4 + u64::from(len) > file_size {
            skips.warn(
                format!("feature {index}"),
                format!(
                    "the feature of {len} bytes runs past the end of the file: the file is truncated"
                ),
            );
            break;
        }
        bytes.resize(len as usize, 0);
        source
            .read_exact(&mut bytes)
            .map_err(|error| LoadError::Read {
                file: file.to_owned(),
                message: format!("feature {index}: {error}"),
            })?;
        match read_feature(&bytes, header.geometry_type, &header.columns, &positions) {
            Ok((geometry, properties)) => each(StreamedFeature {
                index,
                offset: at + 4,
                len,
                geometry,
                properties,
            })?,
            Err((field, message)) => skips.push(format!("feature {index}, field {field}"), message),
        }
        at += 4 + u64::from(len);
        index += 1;
    }
    if header.features_count > 0 && index as u64 != header.features_count {
        skips.warn(
            "header".into(),
            format!(
                "the header counts {} features, the file holds {index}",
                header.features_count
            ),
        );
    }
    Ok((header.layer_name(file), skips))
}

/// The properties of the feature whose bytes lie at `offset`, `len` long, read again (the
/// header read first for the columns).
pub fn reread_properties<R: Read + Seek>(
    file: &str,
    source: &mut R,
    offset: u64,
    len: u32,
) -> Result<Map<String, Value>, LoadError> {
    let (header, file_size) = read_header_from(file, source, &mut SkipLog::default())?;
    if offset < header.features_start() as u64 || offset + u64::from(len) > file_size {
        return Err(past_end(
            file,
            file_size,
            format!("the feature at byte {offset} of {len} bytes"),
        ));
    }
    let mut bytes = vec![0; len as usize];
    source
        .seek(SeekFrom::Start(offset))
        .and_then(|_| source.read_exact(&mut bytes))
        .map_err(|error| LoadError::Read {
            file: file.to_owned(),
            message: error.to_string(),
        })?;
    let positions = Positions {
        reprojection: header.reprojection.as_ref(),
    };
    read_feature(&bytes, header.geometry_type, &header.columns, &positions)
        .map(|(_, properties)| properties)
        .map_err(|(field, message)| {
            document_error(
                file,
                format!("the feature at byte {offset} no longer reads ({field}): {message}"),
            )
        })
}
