//! Where a GeoTIFF's pixels are: the affine from pixel to the file's coordinate system
//! (ModelPixelScale with ModelTiepoint, or ModelTransformation) and that system, from the
//! GeoKeyDirectory (GTModelType, GTRasterType, GeographicType, ProjectedCSType), turned into
//! WGS 84 longitude, latitude by the same `Reprojection` the vector formats use.

use crate::formats::crs::Reprojection;

const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
/// The GeoTIFF code for "user-defined": parameters in other keys, no EPSG code.
const USER_DEFINED: u16 = 32767;
const RASTER_PIXEL_IS_POINT: u16 = 2;

/// The georeferencing tags of the full-resolution image, as read.
#[derive(Default)]
pub(super) struct GeoTags {
    pub pixel_scale: Option<Vec<f64>>,
    pub tiepoint: Option<Vec<f64>>,
    pub transformation: Option<Vec<f64>>,
    pub key_directory: Option<Vec<u16>>,
}

/// Pixel (column, row) of the full-resolution image, its top-left corner at 0, 0, to the
/// file's coordinates: x = a·col + b·row + c, y = d·col + e·row + f.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelToModel {
    pub coefficients: [f64; 6],
}

impl PixelToModel {
    pub fn apply(&self, col: f64, row: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.coefficients;
        (a * col + b * row + c, d * col + e * row + f)
    }
}

/// A file's georeferencing: pixel to its system, and its system to WGS 84 (`None` when it is
/// WGS 84 longitude, latitude already).
pub struct Georeference {
    pub pixel_to_model: PixelToModel,
    pub reprojection: Option<Reprojection>,
    /// "EPSG:32642", for the layer's description.
    pub crs_label: String,
}

impl std::fmt::Debug for Georeference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Georeference")
            .field("pixel_to_model", &self.pixel_to_model)
            .field("crs", &self.crs_label)
            .finish()
    }
}

impl Georeference {
    /// WGS 84 longitude, latitude of a full-resolution pixel position (corner-based).
    pub fn lon_lat(&self, col: f64, row: f64) -> Option<(f64, f64)> {
        let (x, y) = self.pixel_to_model.apply(col, row);
        let (lon, lat) = match &self.reprojection {
            Some(reprojection) => reprojection.to_wgs84(x, y).ok()?,
            None => (x, y),
        };
        ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
    }
}

/// Why a TIFF cannot be placed on the map; the message says which.
pub(super) fn read_georeference(tags: &GeoTags) -> Result<Georeference, String> {
    let mut pixel_to_model = pixel_to_model(tags)?;
    let keys = tags
        .key_directory
        .as_deref()
        .map(read_keys)
        .transpose()?
        .ok_or_else(|| {
            "its coordinate system is not given (no GeoKeyDirectory tag): it is a plain TIFF, \
             not a GeoTIFF"
                .to_owned()
        })?;
    let key = |id: u16| {
        keys.iter()
            .find(|(key, _)| *key == id)
            .map(|(_, value)| *value)
    };
    if key(GT_RASTER_TYPE) == Some(RASTER_PIXEL_IS_POINT) {
        // The tiepoint names the centre of its pixel: corners lie half a pixel up and left.
        let (x, y) = pixel_to_model.apply(-0.5, -0.5);
        pixel_to_model.coefficients[2] = x;
        pixel_to_model.coefficients[5] = y;
    }
    let code = match key(GT_MODEL_TYPE) {
        Some(1) => key(PROJECTED_CS_TYPE).ok_or(
            "it is projected (GTModelType 1) but names no \
                 ProjectedCSTypeGeoKey",
        )?,
        Some(2) => key(GEOGRAPHIC_TYPE).unwrap_or(4326),
        Some(3) => {
            return Err(
                "it is in geocentric coordinates (GTModelType 3), which are not \
                               a map"
                    .to_owned(),
            );
        }
        Some(other) => {
            return Err(format!(
                "its GTModelTypeGeoKey is {other}, not 1 (projected) or 2 (geographic)"
            ));
        }
        None => key(PROJECTED_CS_TYPE)
            .or(key(GEOGRAPHIC_TYPE))
            .ok_or("its GeoKeyDirectory names no coordinate system (no GTModelTypeGeoKey)")?,
    };
    if code == USER_DEFINED {
        return Err(
            "its coordinate system is user-defined (code 32767, no EPSG code), so it \
                    has no PROJ definition here; reproject it to an EPSG system first (for \
                    example gdalwarp -t_srs EPSG:4326)"
                .to_owned(),
        );
    }
    let reprojection = Reprojection::from_epsg(u32::from(code))
        .map_err(|message| format!("its coordinate system has no definition: {message}"))?;
    Ok(Georeference {
        pixel_to_model,
        reprojection,
        crs_label: format!("EPSG:{code}"),
    })
}

/// The keys whose value is held in the directory itself (the codes read here all are).
fn read_keys(directory: &[u16]) -> Result<Vec<(u16, u16)>, String> {
    let [_, _, _, count, entries @ ..] = directory else {
        return Err("its GeoKeyDirectory is shorter than its 4-number header".to_owned());
    };
    let mut keys = Vec::new();
    for entry in entries.chunks_exact(4).take(usize::from(*count)) {
        if let [key, 0, _, value] = entry {
            keys.push((*key, *value));
        }
    }
    Ok(keys)
}

fn pixel_to_model(tags: &GeoTags) -> Result<PixelToModel, String> {
    if let Some(matrix) = &tags.transformation {
        let [a, b, _, c, d, e, _, f, ..] = matrix.as_slice() else {
            return Err(format!(
                "its ModelTransformation has {} numbers, not 16",
                matrix.len()
            ));
        };
        return finite(PixelToModel {
            coefficients: [*a, *b, *c, *d, *e, *f],
        });
    }
    match (tags.tiepoint.as_deref(), tags.pixel_scale.as_deref()) {
        (Some([i, j, _, x, y, ..]), Some([scale_x, scale_y, ..])) => {
            if *scale_x == 0.0 || *scale_y == 0.0 {
                return Err("its ModelPixelScale has a zero scale".to_owned());
            }
            finite(PixelToModel {
                coefficients: [
                    *scale_x,
                    0.0,
                    x - i * scale_x,
                    0.0,
                    -scale_y,
                    y + j * scale_y,
                ],
            })
        }
        (None, None) => Err(
            "it is not georeferenced (no ModelTiepoint with ModelPixelScale, \
                             nor ModelTransformation; a world file beside it is not read)"
                .to_owned(),
        ),
        _ => Err(
            "it is not georeferenced (it needs both ModelTiepoint and ModelPixelScale, \
                  with six and three numbers)"
                .to_owned(),
        ),
    }
}

fn finite(affine: PixelToModel) -> Result<PixelToModel, String> {
    let [a, b, _, d, e, _] = affine.coefficients;
    if affine.coefficients.iter().all(|value| value.is_finite()) && a * e - b * d != 0.0 {
        Ok(affine)
    } else {
        Err("its pixel-to-map transformation is not finite or not invertible".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pairs: &[(u16, u16)]) -> Vec<u16> {
        let mut directory = vec![1, 1, 0, pairs.len() as u16];
        for (key, value) in pairs {
            directory.extend([*key, 0, 1, *value]);
        }
        directory
    }

    fn scaled(key_directory: Vec<u16>) -> GeoTags {
        GeoTags {
            pixel_scale: Some(vec![0.5, 0.25, 0.0]),
            tiepoint: Some(vec![0.0, 0.0, 0.0, 60.0, 30.0, 0.0]),
            transformation: None,
            key_directory: Some(key_directory),
        }
    }

    #[test]
    fn tiepoint_and_scale_place_pixel_corners() {
        let georef = read_georeference(&scaled(keys(&[(1024, 2), (2048, 4326)])));
        let georef = georef.expect("WGS 84 reads");
        assert!(georef.reprojection.is_none());
        assert_eq!(georef.lon_lat(2.0, 4.0), Some((61.0, 29.0)));
    }

    #[test]
    fn pixel_is_point_moves_corners_half_a_pixel() {
        let tags = scaled(keys(&[(1024, 2), (1025, 2), (2048, 4326)]));
        let georef = read_georeference(&tags).expect("reads");
        assert_eq!(georef.lon_lat(0.0, 0.0), Some((59.75, 30.125)));
    }

    #[test]
    fn untagged_user_defined_and_unknown_systems_are_refused_saying_which() {
        let mut plain = scaled(keys(&[(1024, 2)]));
        plain.tiepoint = None;
        plain.pixel_scale = None;
        let error = read_georeference(&plain).expect_err("no georeferencing");
        assert!(error.contains("not georeferenced"), "{error}");
        let no_keys = GeoTags {
            key_directory: None,
            ..scaled(Vec::new())
        };
        let error = read_georeference(&no_keys).expect_err("no keys");
        assert!(error.contains("not a GeoTIFF"), "{error}");
        let user = read_georeference(&scaled(keys(&[(1024, 1), (3072, 32767)])));
        assert!(user.expect_err("user-defined").contains("user-defined"));
        let unknown = read_georeference(&scaled(keys(&[(1024, 1), (3072, 1)])));
        assert!(unknown.expect_err("EPSG:1").contains("has no definition"));
    }

    #[test]
    fn utm_positions_are_reprojected() {
        let tags = GeoTags {
            pixel_scale: Some(vec![10.0, 10.0, 0.0]),
            tiepoint: Some(vec![0.0, 0.0, 0.0, 500_000.0, 0.0, 0.0]),
            transformation: None,
            key_directory: Some(keys(&[(1024, 1), (3072, 32642)])),
        };
        let georef = read_georeference(&tags).expect("UTM 42N reads");
        let (lon, lat) = georef.lon_lat(0.0, 0.0).expect("on the map");
        // The central meridian of zone 42 on the equator.
        assert!((lon - 69.0).abs() < 1e-9 && lat.abs() < 1e-9, "{lon} {lat}");
    }
}
