//! Coordinate systems written as WKT (well-known text): a Shapefile's `.prj` (ESRI's dialect,
//! with names such as `GCS_WGS_1984`, `D_OSGB_1936`, `WGS_1984_UTM_Zone_42N`) and the
//! `definition` of a GeoPackage's `gpkg_spatial_ref_sys`. An EPSG code given with the system
//! (`AUTHORITY["EPSG","32642"]`, WKT2's `ID["EPSG",32642]`) is used as is; otherwise the
//! projection, its parameters, the datum and the unit are turned into a proj4 definition for
//! [`Reprojection`]. The datum shift to WGS 84 comes from a `TOWGS84` node, else from the EPSG
//! definition of the datum's geographic system (looked up by the datum's name in a short table),
//! else none, with a warning.

use super::crs::Reprojection;

/// One WKT node: `KEYWORD[value, value, …]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub keyword: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Item {
    Text(String),
    Number(f64),
    Word(String),
    Node(Node),
}

impl Node {
    /// The first child node with this keyword (any case).
    fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.items.iter().find_map(|item| match item {
            Item::Node(node)
                if keywords
                    .iter()
                    .any(|k| node.keyword.eq_ignore_ascii_case(k)) =>
            {
                Some(node)
            }
            _ => None,
        })
    }

    fn children<'a>(&'a self, keyword: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.items.iter().filter_map(move |item| match item {
            Item::Node(node) if node.keyword.eq_ignore_ascii_case(keyword) => Some(node),
            _ => None,
        })
    }

    /// The node's name: its first quoted text.
    fn name(&self) -> &str {
        self.items
            .iter()
            .find_map(|item| match item {
                Item::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    }

    fn numbers(&self) -> Vec<f64> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Number(number) => Some(*number),
                Item::Text(text) => text.trim().parse().ok(),
                _ => None,
            })
            .collect()
    }

    /// The EPSG code of `AUTHORITY["EPSG","N"]` or `ID["EPSG",N]` directly under this node.
    fn epsg_code(&self) -> Option<u32> {
        let authority = self.child(&["AUTHORITY", "ID"])?;
        if !authority.name().eq_ignore_ascii_case("EPSG") {
            return None;
        }
        authority.items.iter().skip(1).find_map(|item| match item {
            Item::Number(number) if number.fract() == 0.0 && *number > 0.0 => {
                u32::try_from(*number as u64).ok()
            }
            Item::Text(text) => text.trim().parse().ok(),
            _ => None,
        })
    }
}

/// Parses WKT text into its root node; the error says where the text went wrong.
pub(crate) fn parse_wkt(text: &str) -> Result<Node, String> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    let node = parser.node(0)?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(format!(
            "unexpected text after the end at byte {}",
            parser.at
        ));
    }
    Ok(node)
}

struct Parser<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
        {
            self.at += 1;
        }
        String::from_utf8_lossy(self.bytes.get(start..self.at).unwrap_or_default()).into_owned()
    }

    fn node(&mut self, depth: usize) -> Result<Node, String> {
        if depth > 16 {
            return Err("nested more than 16 deep".into());
        }
        self.skip_space();
        let keyword = self.word();
        if keyword.is_empty() {
            return Err(format!("expected a keyword at byte {}", self.at));
        }
        self.skip_space();
        let close = match self.bytes.get(self.at) {
            Some(b'[') => b']',
            Some(b'(') => b')',
            _ => return Err(format!("expected [ after {keyword} at byte {}", self.at)),
        };
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.bytes.get(self.at).copied() {
                None => return Err(format!("{keyword}[ is not closed")),
                Some(byte) if byte == close => {
                    self.at += 1;
                    return Ok(Node { keyword, items });
                }
                Some(b',') => self.at += 1,
                Some(b'"') => items.push(Item::Text(self.text()?)),
                Some(byte)
                    if byte == b'-' || byte == b'+' || byte == b'.' || byte.is_ascii_digit() =>
                {
                    let start = self.at;
                    self.at += 1;
                    while self.bytes.get(self.at).is_some_and(|byte| {
                        byte.is_ascii_digit() || matches!(byte, b'.' | b'e' | b'E' | b'-' | b'+')
                    }) {
                        self.at += 1;
                    }
                    let text =
                        std::str::from_utf8(self.bytes.get(start..self.at).unwrap_or_default())
                            .unwrap_or_default();
                    let number = text
                        .parse()
                        .map_err(|_| format!("{text:?} at byte {start} is not a number"))?;
                    items.push(Item::Number(number));
                }
                Some(_) => {
                    let start = self.at;
                    let word = self.word();
                    self.skip_space();
                    if matches!(self.bytes.get(self.at), Some(b'[' | b'(')) {
                        self.at = start;
                        items.push(Item::Node(self.node(depth + 1)?));
                    } else if word.is_empty() {
                        return Err(format!("unexpected character at byte {}", self.at));
                    } else {
                        items.push(Item::Word(word));
                    }
                }
            }
        }
    }

    /// A quoted text; `""` inside stands for one quote.
    fn text(&mut self) -> Result<String, String> {
        let start = self.at;
        self.at += 1;
        let mut text = Vec::new();
        loop {
            match self.bytes.get(self.at).copied() {
                None => return Err(format!("the text opened at byte {start} is not closed")),
                Some(b'"') if self.bytes.get(self.at + 1) == Some(&b'"') => {
                    text.push(b'"');
                    self.at += 2;
                }
                Some(b'"') => {
                    self.at += 1;
                    return Ok(String::from_utf8_lossy(&text).into_owned());
                }
                Some(byte) => {
                    text.push(byte);
                    self.at += 1;
                }
            }
        }
    }
}

/// A name reduced to lower-case letters and digits: "D_OSGB_1936" and "OSGB 1936" both give
/// "osgb1936".
fn simple(name: &str) -> String {
    let name = name.trim();
    let name = name
        .strip_prefix("D_")
        .or_else(|| name.strip_prefix("GCS_"))
        .unwrap_or(name);
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Datums by simple name, with the EPSG geographic system whose proj4 definition carries their
/// ellipsoid and shift to WGS 84.
const DATUMS: [(&str, u16); 27] = [
    ("wgs1984", 4326),
    ("wgs84", 4326),
    ("osgb1936", 4277),
    ("kalianpur1962", 4145),
    ("kalianpur1975", 4146),
    ("kalianpur1937", 4144),
    ("kalianpur1880", 4243),
    ("european1950", 4230),
    ("europeandatum1950", 4230),
    ("european1950ed77", 4154),
    ("ed50ed77", 4154),
    ("european1979", 4668),
    ("rassadiran", 4153),
    ("nakhleghanem", 4693),
    ("fd1958", 4132),
    ("fd58", 4132),
    ("northamerican1983", 4269),
    ("northamerican1927", 4267),
    ("etrs1989", 4258),
    ("europeanterrestrialreferencesystem1989", 4258),
    ("pulkovo1942", 4284),
    ("indian1960", 4131),
    ("indian1954", 4239),
    ("indian1975", 4240),
    ("karbala1979", 4743),
    ("deirezzor", 4227),
    ("ainelabd1970", 4204),
];

/// The proj4 datum part (`+datum=…`, or `+ellps`/`+a +rf` with `+towgs84`) of a GEOGCS node,
/// whether it is WGS 84 itself, and a warning when no shift to WGS 84 is known.
fn datum_part(geographic: &Node) -> (String, bool, Option<String>) {
    let datum = geographic.child(&["DATUM", "GEODETICDATUM", "TRF"]);
    let datum_name = datum.map(Node::name).unwrap_or_default();
    let spheroid = datum.and_then(|datum| datum.child(&["SPHEROID", "ELLIPSOID"]));
    let spheroid_numbers = spheroid.map(Node::numbers).unwrap_or_default();
    let is_wgs84_ellipsoid = matches!(spheroid_numbers.as_slice(), [a, rf, ..]
        if (*a - 6_378_137.0).abs() < 0.01 && (*rf - 298.257_223_563).abs() < 1e-6);
    let simple_name = simple(datum_name);
    if let Some(shift) = datum.and_then(|datum| datum.child(&["TOWGS84"])) {
        let numbers: Vec<String> = shift.numbers().iter().map(f64::to_string).collect();
        let ellipsoid = ellipsoid_part(&spheroid_numbers);
        let no_shift = shift.numbers().iter().all(|n| *n == 0.0);
        return (
            format!("{ellipsoid} +towgs84={}", numbers.join(",")),
            no_shift && is_wgs84_ellipsoid,
            None,
        );
    }
    if let Some((_, code)) = DATUMS.iter().find(|(name, _)| *name == simple_name) {
        if *code == 4326 {
            return ("+datum=WGS84".into(), true, None);
        }
        if let Some(definition) = crs_definitions::from_code(*code) {
            let part: Vec<&str> = definition
                .proj4
                .split_whitespace()
                .filter(|token| {
                    ["+datum=", "+ellps=", "+a=", "+b=", "+rf=", "+towgs84="]
                        .iter()
                        .any(|key| token.starts_with(key))
                })
                .collect();
            return (part.join(" "), false, None);
        }
    }
    if is_wgs84_ellipsoid || spheroid_numbers.is_empty() {
        let warning = (!is_wgs84_ellipsoid)
            .then(|| format!("the datum {datum_name:?} has no ellipsoid; WGS 84 assumed"));
        return ("+datum=WGS84".into(), true, warning);
    }
    let grs80 = matches!(spheroid_numbers.as_slice(), [a, rf, ..]
        if (*a - 6_378_137.0).abs() < 0.01 && (*rf - 298.257_222_101).abs() < 1e-6);
    let warning = (!grs80).then(|| {
        format!(
            "the datum {datum_name:?} is not one whose shift to WGS 84 is known here, and the \
             file gives none (TOWGS84); positions may be off by up to a few hundred metres"
        )
    });
    (
        format!("{} +towgs84=0,0,0", ellipsoid_part(&spheroid_numbers)),
        false,
        warning,
    )
}

fn ellipsoid_part(spheroid: &[f64]) -> String {
    match spheroid {
        [a, rf, ..] if *rf > 0.0 => format!("+a={a} +rf={rf}"),
        [a, ..] => format!("+a={a} +b={a}"),
        [] => "+ellps=WGS84".into(),
    }
}

/// proj4 projection names by simple WKT (OGC or ESRI) projection name.
const PROJECTIONS: [(&str, &str); 30] = [
    ("transversemercator", "tmerc"),
    ("gausskruger", "tmerc"),
    ("mercator", "merc"),
    ("mercator1sp", "merc"),
    ("mercator2sp", "merc"),
    ("mercatorvarianta", "merc"),
    ("mercatorvariantb", "merc"),
    ("lambertconformalconic", "lcc"),
    ("lambertconformalconic1sp", "lcc"),
    ("lambertconformalconic2sp", "lcc"),
    ("albers", "aea"),
    ("albersconicequalarea", "aea"),
    ("lambertazimuthalequalarea", "laea"),
    ("polarstereographic", "stere"),
    ("polarstereographicvarianta", "stere"),
    ("polarstereographicvariantb", "stere"),
    ("stereographic", "stere"),
    ("obliquestereographic", "sterea"),
    ("doublestereographic", "sterea"),
    ("cassinisoldner", "cass"),
    ("cassini", "cass"),
    ("equidistantconic", "eqdc"),
    ("equirectangular", "eqc"),
    ("platecarree", "eqc"),
    ("equidistantcylindrical", "eqc"),
    ("azimuthalequidistant", "aeqd"),
    ("polyconic", "poly"),
    ("sinusoidal", "sinu"),
    ("mollweide", "moll"),
    ("cylindricalequalarea", "cea"),
];

/// proj4 parameters by simple WKT parameter name.
fn proj4_parameter(projection: &str, parameter: &str) -> Option<&'static str> {
    Some(match parameter {
        "falseeasting" | "eastingatfalseorigin" => "x_0",
        "falsenorthing" | "northingatfalseorigin" => "y_0",
        "centralmeridian"
        | "longitudeofcenter"
        | "longitudeoforigin"
        | "longitudeofnaturalorigin"
        | "longitudeoffalseorigin" => "lon_0",
        "latitudeoforigin"
        | "latitudeofcenter"
        | "latitudeofnaturalorigin"
        | "latitudeoffalseorigin" => "lat_0",
        "scalefactor" | "scalefactoratnaturalorigin" => "k_0",
        "standardparallel1" | "latitudeof1ststandardparallel" | "latitudeofstandardparallel"
            if matches!(projection, "merc" | "stere" | "cea" | "eqc") =>
        {
            "lat_ts"
        }
        "standardparallel1" | "latitudeof1ststandardparallel" => "lat_1",
        "standardparallel2" | "latitudeof2ndstandardparallel" => "lat_2",
        _ => return None,
    })
}

/// What a WKT system means for the reader: `None` for WGS 84 longitude, latitude (nothing to
/// do), else the reprojection; with a warning when the datum shift is a guess.
pub(crate) struct WktSystem {
    pub reprojection: Option<Reprojection>,
    pub warning: Option<String>,
}

/// Reads a WKT coordinate system. The error says what could not be read.
pub(crate) fn read_wkt_system(text: &str) -> Result<WktSystem, String> {
    let root = parse_wkt(text.trim())?;
    let keyword = root.keyword.to_ascii_uppercase();
    if let Some(code) = root.epsg_code()
        && let Ok(reprojection) = Reprojection::from_epsg(code)
    {
        return Ok(WktSystem {
            reprojection,
            warning: None,
        });
    }
    let label = format!("{:?}", root.name());
    match keyword.as_str() {
        "GEOGCS" | "GEOGCRS" | "GEODCRS" | "GEOGRAPHICCRS" => {
            let (datum, is_wgs84, warning) = datum_part(&root);
            let prime_meridian = prime_meridian(&root);
            if is_wgs84 && prime_meridian.is_empty() {
                return Ok(WktSystem {
                    reprojection: None,
                    warning,
                });
            }
            let proj4 = format!("+proj=longlat {datum}{prime_meridian} +no_defs");
            Ok(WktSystem {
                reprojection: Some(Reprojection::from_proj4(label, &proj4)?),
                warning,
            })
        }
        "PROJCS" | "PROJCRS" | "PROJECTEDCRS" => {
            let geographic = root
                .child(&["GEOGCS", "BASEGEOGCRS", "BASEGEODCRS"])
                .ok_or("a PROJCS without its GEOGCS")?;
            let (datum, _, warning) = datum_part(geographic);
            let proj4 = projected_proj4(&root, &datum, &prime_meridian(geographic))?;
            Ok(WktSystem {
                reprojection: Some(Reprojection::from_proj4(label, &proj4)?),
                warning,
            })
        }
        other => Err(format!(
            "{other}[…] is not a coordinate system this version reads (it reads GEOGCS and \
             PROJCS, ESRI's and OGC's)"
        )),
    }
}

fn prime_meridian(geographic: &Node) -> String {
    match geographic
        .child(&["PRIMEM", "PRIMEMERIDIAN"])
        .map(Node::numbers)
        .as_deref()
    {
        Some([longitude, ..]) if *longitude != 0.0 => format!(" +pm={longitude}"),
        _ => String::new(),
    }
}

fn projected_proj4(root: &Node, datum: &str, prime_meridian: &str) -> Result<String, String> {
    let conversion = root.child(&["CONVERSION"]).unwrap_or(root);
    let projection_name = conversion
        .child(&["PROJECTION", "METHOD"])
        .map(Node::name)
        .ok_or("a PROJCS without a PROJECTION")?;
    let simple_projection = simple(projection_name);
    if simple_projection.starts_with("mercatorauxiliarysphere")
        || simple_projection.contains("popularvisualisation")
    {
        return Ok(crs_definitions::EPSG_3857.proj4.to_owned());
    }
    let proj = PROJECTIONS
        .iter()
        .find(|(name, _)| *name == simple_projection)
        .map(|(_, proj)| *proj)
        .ok_or_else(|| {
            format!("the projection {projection_name:?} is not one this version reprojects")
        })?;
    let mut proj4 = format!("+proj={proj}");
    let mut has_lat_1 = false;
    let mut lat_0 = None;
    for parameter in conversion.children("PARAMETER") {
        let name = simple(parameter.name());
        let Some(value) = parameter.numbers().first().copied() else {
            continue;
        };
        if let Some(key) = proj4_parameter(proj, &name) {
            has_lat_1 |= key == "lat_1";
            if key == "lat_0" {
                lat_0 = Some(value);
            }
            proj4.push_str(&format!(" +{key}={value}"));
        }
    }
    // A one-parallel Lambert conic (1SP) is tangent at its latitude of origin.
    if proj == "lcc"
        && !has_lat_1
        && let Some(lat_0) = lat_0
    {
        proj4.push_str(&format!(" +lat_1={lat_0}"));
    }
    let to_meter = root
        .child(&["UNIT", "LENGTHUNIT"])
        .and_then(|unit| unit.numbers().first().copied())
        .unwrap_or(1.0);
    let units = if (to_meter - 1.0).abs() < 1e-12 {
        " +units=m".to_owned()
    } else {
        format!(" +to_meter={to_meter}")
    };
    Ok(format!("{proj4} {datum}{prime_meridian}{units} +no_defs"))
}

#[cfg(test)]
#[path = "wkt_tests.rs"]
mod tests;
