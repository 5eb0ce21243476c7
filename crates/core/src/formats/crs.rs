//! The `crs` member of GeoJSON written under the 2008 specification (RFC 7946 removed it; its
//! coordinates are always WGS 84 longitude, latitude). Files from older GDAL, QGIS and ArcGIS
//! exports still carry one, often naming a projected system (a UTM zone) whose coordinates are
//! metres. Those are reprojected to WGS 84 with `proj4rs`, the EPSG code's definition taken from
//! `crs-definitions` (PROJ's own proj4 strings, datum shifts as `+towgs84`).
//!
//! Read: `{"type": "name", "properties": {"name": N}}` with N one of
//! `urn:ogc:def:crs:EPSG::NNNN` (with or without a version between the colons), `EPSG:NNNN`,
//! `urn:ogc:def:crs:OGC:1.3:CRS84`, `OGC:CRS84` or `CRS84`; and `{"type": "EPSG",
//! "properties": {"code": NNNN}}` (the 2008 draft's form). CRS84 and EPSG:4326 are the default
//! and change nothing (the 2008 spec and GDAL write EPSG:4326 data longitude first); `null` is
//! the default too. Anything else is refused with a message saying what is read.

use proj4rs::Proj;
use serde_json::Value;

/// What is read, for messages about a system that is not.
const SUPPORTED: &str = "it reads CRS84 and EPSG:4326 (longitude, latitude in degrees) and the \
    EPSG codes that have a PROJ definition, among them every UTM zone (EPSG:32601 to 32660 north, \
    32701 to 32760 south), Web Mercator (EPSG:3857) and the systems used in Pakistan and Iran \
    (Kalianpur 1962 UTM, EPSG:24311 to 24313, and India zones I and IIa, 24376 and 24377; \
    ED50(ED77) UTM, 2058 to 2061; Rassadiran, 2057; Nakhl-e Ghanem, 3307; FD58, 3200)";

/// A projected (or other non-WGS 84) system whose coordinates are turned into WGS 84 degrees.
pub struct Reprojection {
    /// The system as named to people: "EPSG:32642", or a `.prj` file's own name.
    pub label: String,
    source: Proj,
    wgs84: Proj,
}

impl std::fmt::Debug for Reprojection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reprojection({})", self.label)
    }
}

impl Reprojection {
    /// The reprojection from an EPSG code; `Ok(None)` for WGS 84 longitude/latitude itself.
    pub fn from_epsg(code: u32) -> Result<Option<Self>, String> {
        if code == 4326 {
            return Ok(None);
        }
        let definition = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or_else(|| {
                format!("EPSG:{code} is not a coordinate system this version knows; {SUPPORTED}")
            })?;
        let source = Proj::from_proj_string(definition.proj4).map_err(|error| {
            format!(
                "EPSG:{code} ({}) cannot be reprojected here: {error}; {SUPPORTED}",
                definition.proj4
            )
        })?;
        if source.is_geocent() || !source.has_inverse() {
            return Err(format!(
                "EPSG:{code} ({}) cannot be reprojected here; {SUPPORTED}",
                definition.proj4
            ));
        }
        Ok(Some(Self::new(
            format!("EPSG:{}", definition.code),
            source,
        )?))
    }

    /// The reprojection from a proj4 definition (built from a `.prj` file's WKT), named `label`
    /// in messages.
    pub fn from_proj4(label: String, proj4: &str) -> Result<Self, String> {
        let source = Proj::from_proj_string(proj4)
            .map_err(|error| format!("{label} ({proj4}) cannot be reprojected here: {error}"))?;
        if source.is_geocent() || !source.has_inverse() {
            return Err(format!("{label} ({proj4}) cannot be reprojected here"));
        }
        Self::new(label, source)
    }

    fn new(label: String, source: Proj) -> Result<Self, String> {
        let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|error| format!("WGS 84 cannot be set up: {error}"))?;
        Ok(Self {
            label,
            source,
            wgs84,
        })
    }

    /// WGS 84 longitude and latitude in degrees of a position in the file's system.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        let mut point = if self.source.is_latlong() {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(&self.source, &self.wgs84, &mut point).map_err(|error| {
            format!(
                "{x}, {y} cannot be reprojected from {}: {error}",
                self.label
            )
        })?;
        let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
        if lon.is_finite() && lat.is_finite() {
            Ok((lon, lat))
        } else {
            Err(format!(
                "{x}, {y} cannot be reprojected from {}: it lies outside the system's area",
                self.label
            ))
        }
    }

    /// The warning said once per file that was reprojected.
    pub fn warning_message(&self) -> String {
        format!(
            "coordinates were reprojected from {} to WGS 84 longitude, latitude (a crs \
             member of the 2008 GeoJSON spec; RFC 7946 removed it and requires WGS 84)",
            self.label
        )
    }
}

/// Reads a `crs` member: `Ok(None)` for WGS 84 (CRS84, EPSG:4326, null), the reprojection for
/// another system, an error (without the "crs: " prefix) for one that cannot be read.
pub fn read_crs(value: &Value) -> Result<Option<Reprojection>, String> {
    let object = match value {
        Value::Null => return Ok(None),
        Value::Object(object) => object,
        other => {
            return Err(format!(
                "is {other}, expected {{\"type\": \"name\", \"properties\": {{\"name\": …}}}}"
            ));
        }
    };
    let properties = object.get("properties");
    match object.get("type").and_then(Value::as_str) {
        Some("name") => {
            let Some(name) = properties
                .and_then(|properties| properties.get("name"))
                .and_then(Value::as_str)
            else {
                return Err("a \"name\" crs needs properties.name, a text".into());
            };
            match epsg_code_of_name(name) {
                Some(Code::Crs84) => Ok(None),
                Some(Code::Epsg(code)) => Reprojection::from_epsg(code),
                None => Err(format!(
                    "the name {name:?} is not an EPSG code or CRS84 (expected \
                     \"urn:ogc:def:crs:EPSG::NNNN\", \"EPSG:NNNN\" or \
                     \"urn:ogc:def:crs:OGC:1.3:CRS84\")"
                )),
            }
        }
        Some("EPSG") => {
            let code = properties
                .and_then(|properties| properties.get("code"))
                .and_then(|code| {
                    code.as_u64()
                        .or_else(|| code.as_str().and_then(|text| text.trim().parse().ok()))
                })
                .and_then(|code| u32::try_from(code).ok())
                .ok_or("an \"EPSG\" crs needs properties.code, a whole number")?;
            Reprojection::from_epsg(code)
        }
        Some("link") => Err(
            "a \"link\" crs (the system described in another file) is not read; save the file \
             with WGS 84 longitude, latitude coordinates"
                .into(),
        ),
        Some(other) => Err(format!(
            "type is {other:?}, expected \"name\" (or the older \"EPSG\")"
        )),
        None => Err("has no \"type\"; expected \"name\" with properties.name".into()),
    }
}

enum Code {
    Crs84,
    Epsg(u32),
}

/// The system a crs name names: `urn:ogc:def:crs:EPSG::32641`, `urn:ogc:def:crs:EPSG:6.6:32641`,
/// `EPSG:32641`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `OGC:CRS84`, `CRS84`.
fn epsg_code_of_name(name: &str) -> Option<Code> {
    let name = name.trim();
    let upper = name.to_ascii_uppercase();
    if upper == "CRS84"
        || upper == "OGC:CRS84"
        || (upper.starts_with("URN:OGC:DEF:CRS:OGC:") && upper.ends_with(":CRS84"))
    {
        return Some(Code::Crs84);
    }
    let code = if let Some(rest) = upper.strip_prefix("URN:OGC:DEF:CRS:EPSG:") {
        // An optional version between the colons: "EPSG::4326" or "EPSG:6.6:4326".
        rest.rsplit_once(':').map(|(_, code)| code)?
    } else {
        upper.strip_prefix("EPSG:")?
    };
    code.parse().ok().map(Code::Epsg)
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn named(name: &str) -> Value {
        json!({"type": "name", "properties": {"name": name}})
    }

    /// Metres between two WGS 84 positions (haversine on the mean radius; enough at 10 m).
    pub(crate) fn metres_between(a: (f64, f64), b: (f64, f64)) -> f64 {
        let (lat1, lat2) = (a.1.to_radians(), b.1.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (b.0 - a.0).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6_371_008.8 * h.sqrt().asin()
    }

    #[test]
    fn wgs84_names_change_nothing() {
        for name in [
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "urn:ogc:def:crs:OGC::CRS84",
            "CRS84",
            "OGC:CRS84",
            "EPSG:4326",
            "urn:ogc:def:crs:EPSG::4326",
        ] {
            assert!(read_crs(&named(name)).unwrap().is_none(), "{name}");
        }
        assert!(read_crs(&Value::Null).unwrap().is_none());
    }

    // The expected positions were computed with pyproj 3.7.2 (PROJ 9.5.1):
    // Transformer.from_crs("EPSG:4326", "EPSG:NNNN", always_xy=True).transform(lon, lat).
    #[test]
    fn utm_web_mercator_and_kalianpur_reproject_to_the_towns() {
        let cases = [
            // Panjgur (64.101, 26.968) in UTM 41N.
            (
                "urn:ogc:def:crs:EPSG::32641",
                (609_270.813, 2_983_367.107),
                (64.101, 26.968),
            ),
            // Quetta (67.0011, 30.1798) in UTM 42N.
            (
                "EPSG:32642",
                (307_539.754, 3_340_397.078),
                (67.0011, 30.1798),
            ),
            // Saravan (62.3256, 27.3710) in Web Mercator.
            (
                "EPSG:3857",
                (6_938_054.055, 3_169_900.253),
                (62.3256, 27.3710),
            ),
        ];
        for (name, (x, y), town) in cases {
            let reprojection = read_crs(&named(name)).unwrap().unwrap();
            let got = reprojection.to_wgs84(x, y).unwrap();
            assert!(metres_between(got, town) < 1.0, "{name}: {got:?}");
        }
        // Southern hemisphere: UTM 56S, Sydney (151.2093, -33.8688) = (334 368.6, 6 250 948.3).
        let south = Reprojection::from_epsg(32756).unwrap().unwrap();
        let got = south.to_wgs84(334_368.634, 6_250_948.345).unwrap();
        assert!(metres_between(got, (151.2093, -33.8688)) < 1.0, "{got:?}");
        // Kalianpur 1962 / UTM 42N with its +towgs84 shift: pyproj, given the same proj4 string
        // as the source, puts Quetta at (307 560.603, 3 340 136.770) through EPSG:24312.
        let kalianpur = read_crs(&json!({"type": "EPSG", "properties": {"code": 24312}}))
            .unwrap()
            .unwrap();
        let got = kalianpur.to_wgs84(307_560.603, 3_340_136.770).unwrap();
        assert!(metres_between(got, (67.0011, 30.1798)) < 10.0, "{got:?}");
    }

    #[test]
    fn every_utm_zone_and_the_regional_codes_are_known() {
        for zone in 1..=60 {
            for base in [32600, 32700] {
                assert!(Reprojection::from_epsg(base + zone).unwrap().is_some());
            }
        }
        // Pakistan and Iran (PROJ's lists for the two countries), each at a place inside its
        // area: the result must land in the region, not merely be a number.
        for code in [
            3857, 2057, 2058, 2059, 2060, 2061, 3200, 3307, 24311, 24312, 24313, 24376, 24377,
        ] {
            let reprojection = Reprojection::from_epsg(code).unwrap().unwrap();
            let (lon, lat) = reprojection.to_wgs84(500_000.0, 3_300_000.0).unwrap();
            assert!(lon.is_finite() && lat.is_finite(), "EPSG:{code}");
        }
        let geographic = Reprojection::from_epsg(4145).unwrap().unwrap();
        let (lon, lat) = geographic.to_wgs84(67.0, 30.0).unwrap();
        assert!(
            (lon - 67.0).abs() < 0.01 && (lat - 30.0).abs() < 0.01,
            "{lon} {lat}"
        );
    }

    #[test]
    fn unknown_and_unreadable_systems_are_named() {
        let error = read_crs(&named("EPSG:99999")).unwrap_err();
        assert!(
            error.starts_with(
                "EPSG:99999 is not a coordinate system this version knows; it reads CRS84"
            ),
            "{error}"
        );
        let error = read_crs(&named("urn:ogc:def:crs:ESRI::102025")).unwrap_err();
        assert!(error.contains("is not an EPSG code or CRS84"), "{error}");
        let error =
            read_crs(&json!({"type": "link", "properties": {"href": "x.prj"}})).unwrap_err();
        assert!(error.contains("\"link\" crs"), "{error}");
        assert!(read_crs(&json!("EPSG:4326")).is_err());
    }
}
