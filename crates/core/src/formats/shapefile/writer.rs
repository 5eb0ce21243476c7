//! Test fixtures: shapefile sets written byte by byte, as the format describes them.

/// One shape to write: its parts of (x, y) points; `None` for a NULL shape.
pub(crate) type Shape = Option<Vec<Vec<(f64, f64)>>>;

/// A `.shp` and its `.shx` of `shape_type`, each record written in that type (a point type uses
/// the first point of the first part; the Z and M forms get made-up Z and M values).
pub(crate) fn shp_and_shx(shape_type: i32, shapes: &[Shape]) -> (Vec<u8>, Vec<u8>) {
    let mut records = Vec::new();
    let mut index = Vec::new();
    let mut bounds = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (number, shape) in shapes.iter().enumerate() {
        let content = match shape {
            None => 0_i32.to_le_bytes().to_vec(),
            Some(parts) => {
                for &(x, y) in parts.iter().flatten() {
                    bounds = [
                        bounds[0].min(x),
                        bounds[1].min(y),
                        bounds[2].max(x),
                        bounds[3].max(y),
                    ];
                }
                content_of(shape_type, parts)
            }
        };
        let offset = (100 + records.len()) / 2;
        index.extend((offset as i32).to_be_bytes());
        index.extend(((content.len() / 2) as i32).to_be_bytes());
        records.extend((number as i32 + 1).to_be_bytes());
        records.extend(((content.len() / 2) as i32).to_be_bytes());
        records.extend(content);
    }
    if shapes.iter().all(Option::is_none) {
        bounds = [0.0; 4];
    }
    let shp = [header(shape_type, 100 + records.len(), bounds), records].concat();
    let shx = [header(shape_type, 100 + index.len(), bounds), index].concat();
    (shp, shx)
}

fn header(shape_type: i32, length: usize, bounds: [f64; 4]) -> Vec<u8> {
    let mut header = vec![0_u8; 100];
    header[..4].copy_from_slice(&9994_i32.to_be_bytes());
    header[24..28].copy_from_slice(&((length / 2) as i32).to_be_bytes());
    header[28..32].copy_from_slice(&1000_i32.to_le_bytes());
    header[32..36].copy_from_slice(&shape_type.to_le_bytes());
    for (slot, value) in bounds.iter().enumerate() {
        header[36 + slot * 8..44 + slot * 8].copy_from_slice(&value.to_le_bytes());
    }
    header
}

fn content_of(shape_type: i32, parts: &[Vec<(f64, f64)>]) -> Vec<u8> {
    let mut out = shape_type.to_le_bytes().to_vec();
    let points: Vec<(f64, f64)> = parts.iter().flatten().copied().collect();
    let has_z = matches!(shape_type, 11 | 13 | 15 | 18 | 31);
    let has_m = matches!(shape_type, 11 | 13 | 15 | 18 | 21 | 23 | 25 | 28 | 31);
    let push = |out: &mut Vec<u8>, value: f64| out.extend(value.to_le_bytes());
    if matches!(shape_type, 1 | 11 | 21) {
        let (x, y) = points[0];
        push(&mut out, x);
        push(&mut out, y);
        if has_z {
            push(&mut out, 7.0);
        }
        if has_m {
            push(&mut out, 9.0);
        }
        return out;
    }
    for value in [0.0, 0.0, 1.0, 1.0] {
        push(&mut out, value);
    }
    let multipoint = matches!(shape_type, 8 | 18 | 28);
    if !multipoint {
        out.extend((parts.len() as i32).to_le_bytes());
    }
    out.extend((points.len() as i32).to_le_bytes());
    if !multipoint {
        let mut start = 0;
        for part in parts {
            out.extend((start as i32).to_le_bytes());
            start += part.len();
        }
        if shape_type == 31 {
            for part in 0..parts.len() {
                // The first part a triangle strip, the others rings.
                out.extend((if part == 0 { 0_i32 } else { 5 }).to_le_bytes());
            }
        }
    }
    for (x, y) in &points {
        push(&mut out, *x);
        push(&mut out, *y);
    }
    for (present, value) in [(has_z, 7.0), (has_m, 9.0)] {
        if present {
            push(&mut out, 0.0);
            push(&mut out, 10.0);
            for _ in &points {
                push(&mut out, value);
            }
        }
    }
    out
}

/// A `.dbf` of `fields` (name, type, length, decimals) and records (one byte string per
/// field, padded here; a record whose first value starts with `*` is marked deleted).
pub(crate) fn dbf(fields: &[(&str, u8, u8, u8)], records: &[Vec<&[u8]>], driver: u8) -> Vec<u8> {
    let header_length = 32 + fields.len() * 32 + 1;
    let record_length = 1 + fields
        .iter()
        .map(|field| usize::from(field.2))
        .sum::<usize>();
    let mut out = vec![0_u8; 32];
    out[0] = 3;
    out[4..8].copy_from_slice(&(records.len() as u32).to_le_bytes());
    out[8..10].copy_from_slice(&(header_length as u16).to_le_bytes());
    out[10..12].copy_from_slice(&(record_length as u16).to_le_bytes());
    out[29] = driver;
    for (name, kind, length, decimals) in fields {
        let mut descriptor = [0_u8; 32];
        descriptor[..name.len()].copy_from_slice(name.as_bytes());
        descriptor[11] = *kind;
        descriptor[16] = *length;
        descriptor[17] = *decimals;
        out.extend(descriptor);
    }
    out.push(0x0D);
    for record in records {
        let deleted = record.first().is_some_and(|value| value.starts_with(b"*"));
        out.push(if deleted { b'*' } else { b' ' });
        for ((_, kind, length, _), value) in fields.iter().zip(record) {
            let value = if deleted { &value[1..] } else { value };
            let mut cell = vec![b' '; usize::from(*length)];
            if matches!(kind, b'N' | b'F') {
                let start = cell.len() - value.len();
                cell[start..].copy_from_slice(value);
            } else {
                cell[..value.len()].copy_from_slice(value);
            }
            out.extend(cell);
        }
    }
    out.push(0x1A);
    out
}

/// ESRI's `.prj` for WGS 84 / UTM zone 42N, as ArcGIS and GDAL write it.
pub(crate) const UTM_42N_PRJ: &str = r#"PROJCS["WGS_1984_UTM_Zone_42N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",69.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

/// ESRI's `.prj` for the British National Grid (no TOWGS84: the datum is named only).
pub(crate) const BRITISH_GRID_PRJ: &str = r#"PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1849",6377563.396,299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]"#;

/// ESRI's `.prj` for Kalianpur 1962 / UTM zone 42N (Pakistan).
pub(crate) const KALIANPUR_42N_PRJ: &str = r#"PROJCS["Kalianpur_1962_UTM_Zone_42N",GEOGCS["GCS_Kalianpur_1962",DATUM["D_Kalianpur_1962",SPHEROID["Everest_Definition_1962",6377301.243,300.8017255]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",69.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
