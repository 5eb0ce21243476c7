use super::*;

/// Great-circle distance in metres (mean Earth radius); good to far better than a metre over
/// the few metres compared here.
fn distance_m(a: LonLat, b: LonLat) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let (dlat, dlon) = ((b.lat - a.lat).to_radians(), (b.lon - a.lon).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

fn at(lat: f64, lon: f64) -> LonLat {
    LonLat { lon, lat }
}

fn assert_near(text: &str, expected: LonLat, metres: f64) {
    let got = parse_position(text).unwrap_or_else(|error| panic!("{text}: {error}"));
    let distance = distance_m(got, expected);
    assert!(
        distance <= metres,
        "{text}: {got:?} is {distance:.3} m from {expected:?}"
    );
}

/// Independent UTM forward projection (Krüger's series to n³, as in Karney 2011 and the UTM
/// literature): millimetre accuracy within a zone. Returns (easting, northing) in metres for a
/// given central meridian.
fn utm_forward(lat: f64, lon: f64, central_meridian: f64) -> (f64, f64) {
    let a: f64 = 6_378_137.0;
    let f: f64 = 1.0 / 298.257_223_563;
    let k0 = 0.9996;
    let n = f / (2.0 - f);
    let big_a = a / (1.0 + n) * (1.0 + n * n / 4.0 + n.powi(4) / 64.0);
    let alpha = [
        n / 2.0 - 2.0 * n * n / 3.0 + 5.0 * n.powi(3) / 16.0,
        13.0 * n * n / 48.0 - 3.0 * n.powi(3) / 5.0,
        61.0 * n.powi(3) / 240.0,
    ];
    let (phi, lambda) = (lat.to_radians(), (lon - central_meridian).to_radians());
    let e2n = 2.0 * n.sqrt() / (1.0 + n);
    let t = (phi.sin().atanh() - e2n * (e2n * phi.sin()).atanh()).sinh();
    let xi = (t / lambda.cos()).atan();
    let eta = (lambda.sin() / (1.0 + t * t).sqrt()).atanh();
    let (mut e, mut nn) = (eta, xi);
    for (j, alpha) in alpha.iter().enumerate() {
        let k = 2.0 * (j as f64 + 1.0);
        e += alpha * (k * xi).cos() * (k * eta).sinh();
        nn += alpha * (k * xi).sin() * (k * eta).cosh();
    }
    let false_northing = if lat < 0.0 { 10_000_000.0 } else { 0.0 };
    (500_000.0 + k0 * big_a * e, false_northing + k0 * big_a * nn)
}

/// The MGRS reference to 1 m computed independently of geoconvert: zone and band from the
/// rules, easting and northing from [`utm_forward`], square letters from the lettering scheme
/// (AA scheme; the row letters of even zones start at F).
fn independent_mgrs(lat: f64, lon: f64, zone: u32) -> String {
    let central_meridian = f64::from(zone) * 6.0 - 183.0;
    let (easting, northing) = utm_forward(lat, lon, central_meridian);
    let band_index = (((lat + 80.0) / 8.0).floor() as usize).min(19);
    let band = "CDEFGHJKLMNPQRSTUVWX".as_bytes()[band_index] as char;
    let columns = ["ABCDEFGH", "JKLMNPQR", "STUVWXYZ"][((zone - 1) % 3) as usize];
    let column = columns.as_bytes()[(easting / 100_000.0).floor() as usize - 1] as char;
    let rows = "ABCDEFGHJKLMNPQRSTUV".as_bytes();
    let shift = if zone.is_multiple_of(2) { 5 } else { 0 };
    let row = rows[((northing / 100_000.0).floor() as usize + shift) % 20] as char;
    format!(
        "{zone:02}{band} {column}{row} {:05} {:05}",
        (easting % 100_000.0).floor() as u32,
        (northing % 100_000.0).floor() as u32
    )
}

#[test]
fn decimal_degrees_in_every_common_form() {
    let saravan = at(27.371, 62.333);
    for text in [
        "27.371, 62.333",
        "27.371 62.333",
        "27.371,62.333",
        "27.371; 62.333",
        "27.371N 62.333E",
        "27.371 N, 62.333 E",
        "N27.371 E62.333",
        "n 27.371 e 62.333",
        "62.333E 27.371N",
        "62.333 E, 27.371 N",
        "+27.371, +62.333",
        "27.371° N, 62.333° E",
        "  27.371   62.333  ",
    ] {
        assert_near(text, saravan, 0.001);
    }
    assert_near("-33.8688, 151.2093", at(-33.8688, 151.2093), 0.001);
    assert_near("-33.8688 151.2093", at(-33.8688, 151.2093), 0.001);
    assert_near("33.8688S 151.2093E", at(-33.8688, 151.2093), 0.001);
    assert_near("40.7484 -73.9857", at(40.7484, -73.9857), 0.001);
    assert_near("40.7484N 73.9857W", at(40.7484, -73.9857), 0.001);
    assert_near("40.7484, −73.9857", at(40.7484, -73.9857), 0.001);
    assert_near("0, 0", at(0.0, 0.0), 0.001);
    assert_near("-90, 180", at(-90.0, 180.0), 0.001);
}

#[test]
fn degrees_minutes_seconds_in_every_common_form() {
    // 27°22'15.6"N 62°19'58.8"E is 27.371 N 62.333 E.
    let saravan = at(27.371, 62.333);
    for text in [
        "27°22'15.6\"N 62°19'58.8\"E",
        "27°22′15.6″N 62°19′58.8″E",
        "27°22’15.6”N, 62°19’58.8”E",
        "27° 22' 15.6\" N 62° 19' 58.8\" E",
        "27d22m15.6sN 62d19m58.8sE",
        "27d 22m 15.6s N, 62d 19m 58.8s E",
        "27 22 15.6 N 62 19 58.8 E",
        "N 27 22 15.6 E 62 19 58.8",
        "27 22 15.6, 62 19 58.8",
        "27 22 15.6 62 19 58.8",
        "27°22'15.6''N 62°19'58.8''E",
        "27°22'15.6\" 62°19'58.8\"",
        "62°19'58.8\"E 27°22'15.6\"N",
        "27°22.26'N 62°19.98'E",
        "27 22.26 N 62 19.98 E",
        "27 22.26, 62 19.98",
    ] {
        assert_near(text, saravan, 0.5);
    }
    assert_near(
        "33°52'07.7\"S 151°12'33.5\"E",
        at(-33.868_806, 151.209_306),
        0.5,
    );
    assert_near(
        "-33°52'07.7\", 151°12'33.5\"",
        at(-33.868_806, 151.209_306),
        0.5,
    );
    assert_near(
        "40d44m54.4sN 73d59m08.5sW",
        at(40.748_444, -73.985_694),
        0.5,
    );
}

#[test]
fn malformed_positions_say_what_is_wrong() {
    let cases = [
        ("", "no position"),
        ("27.1", "only one number"),
        ("27.1 62.3 5", "3 numbers"),
        ("27.1, 62.3, 5", "separators"),
        ("95, 62", "latitude 95 is outside -90..90"),
        ("27, 190", "longitude 190 is outside -180..180"),
        ("27N 62N", "both coordinates have N/S letters"),
        ("62E, 27W", "both coordinates have E/W letters"),
        ("-27S 62E", "both a minus sign and S"),
        ("27°75'N 62°E", "minutes 75"),
        ("27°22'61\"N 62°E", "seconds 61"),
        ("27.5°22'N 62°E", "fraction (27.5)"),
        ("27'22°N 62E", "degrees after minutes"),
        ("27.1 # 62.3", "unexpected '#'"),
        ("1.2.3, 4", "\"1.2.3\" is not a number"),
        ("41R PQ 12345 6789", "different numbers of digits"),
        ("41RPQ123456789", "9 digits"),
        ("41RPQ123456789012", "12 digits: at most 5"),
        ("41R PQ", "no easting and northing"),
        ("61R PQ 123 456", "zone 61 is not a UTM zone"),
        ("41I PQ 123 456", "'I' is not a latitude band"),
        ("41R PO 123 456", "\"PO\" is not a 100 km square"),
        ("41R AQ 123 456", "Column letter A"),
        ("41R PQ 12x 456", "'X' where the easting"),
        ("999R PQ 1 1", "more than two digits"),
    ];
    for (text, expected) in cases {
        let error = parse_position(text).expect_err(text).to_string();
        assert!(error.contains(expected), "{text:?}: {error}");
    }
}

#[test]
fn the_18_january_saravan_position_in_mgrs() {
    // The E2 point of the bundled case (Saravan city, 27.371 N 62.333 E).
    let saravan = at(27.371, 62.333);
    let mgrs = format_mgrs(saravan).expect("in range");
    assert_eq!(mgrs, independent_mgrs(27.371, 62.333, 41));
    assert!(mgrs.starts_with("41R "), "{mgrs}");
    assert_near(&mgrs, saravan, 1.0);
    assert_near(&mgrs.replace(' ', ""), saravan, 1.0);
    assert_near(&mgrs.to_lowercase(), saravan, 1.0);
    // Coarser references name larger squares; their centres are within half a diagonal.
    let parts: Vec<&str> = mgrs.split(' ').collect();
    let coarse = format!(
        "{} {} {} {}",
        parts[0],
        parts[1],
        &parts[2][..3],
        &parts[3][..3]
    );
    assert_near(&coarse, saravan, 71.0);
}

#[test]
fn published_references_read_within_a_metre() {
    // GeographicLib's GeoConvert manual: 38SMB4488 is the 1 km square whose centre is
    // 38n 444500 3688500 = 33.33424 44.40363.
    assert_near("38SMB4488", at(33.334_24, 44.403_63), 1.0);
    let (easting, northing) = utm_forward(33.334_24, 44.403_63, 45.0);
    assert!((easting - 444_500.0).abs() < 1.0, "{easting}");
    assert!((northing - 3_688_500.0).abs() < 1.0, "{northing}");
    // geoconvert's documentation (GeographicLib output): the Empire State Building,
    // 18TWL856641113154 at 0.1 m is 40.748333 -73.985278.
    assert_near("18T WL 85664 11315", at(40.748_333, -73.985_278), 1.0);
    assert_eq!(
        format_mgrs(at(40.748_333, -73.985_278)).as_deref(),
        Some("18T WL 85664 11315")
    );
}

#[test]
fn zone_edges_round_trip_and_match_an_independent_projection() {
    // (latitude, longitude, the zone the MGRS rules put it in)
    let cases = [
        (50.0, 5.999_99, 31),  // just west of the 6° E zone boundary
        (50.0, 6.0, 32),       // on it
        (50.0, 11.999_99, 32), // just west of 12° E
        (50.0, 12.0, 33),
        (60.0, 2.9, 31),  // band V west of the Norway exception
        (60.0, 4.0, 32),  // the Norway exception: 32V from 3° E
        (75.0, 8.9, 31),  // Svalbard: 31X up to 9° E
        (75.0, 10.0, 33), // Svalbard: 33X from 9° E
        (78.2, 15.6, 33), // Longyearbyen
        (75.0, 22.0, 35),
        (83.9, 44.0, 38),
        (75.0, 40.0, 37),
        (0.0, 62.333, 41),        // on the equator: band N
        (-0.000_01, 62.333, 41),  // just south: band M, northing near 10 000 km
        (-33.8688, 151.2093, 56), // Sydney
        (-54.8, -68.3, 19),       // Ushuaia
        (10.0, 179.999_99, 60),   // the antimeridian, east side
        (10.0, -180.0, 1),        // west side
        (83.9, 20.0, 33),         // the last band, X (Svalbard's 33X)
        (-79.9, 100.0, 47),       // the first band, C
        (26.968, 64.101, 41),     // Panjgur (E1)
        (29.503, 60.856, 41),     // Zahedan
        (25.126, 62.323, 41),     // Gwadar
    ];
    for (lat, lon, zone) in cases {
        let point = at(lat, lon);
        let mgrs = format_mgrs(point).expect("in range");
        assert!(
            mgrs.starts_with(&format!("{zone:02}")),
            "{lat} {lon}: {mgrs}"
        );
        assert_eq!(mgrs, independent_mgrs(lat, lon, zone), "{lat} {lon}");
        assert_near(&mgrs, point, 1.0);
    }
}

#[test]
fn polar_references_use_ups() {
    for (lat, lon) in [(89.0, 0.0), (85.0, -120.0), (-85.0, 45.0), (-89.9, 179.0)] {
        let point = at(lat, lon);
        let mgrs = format_mgrs(point).expect("in range");
        let band = mgrs.chars().next().unwrap_or(' ');
        assert!("ABYZ".contains(band), "{lat} {lon}: {mgrs}");
        assert_near(&mgrs, point, 1.0);
    }
}

#[test]
fn formatting_never_panics_across_the_globe() {
    let mut lat = -90.0;
    while lat <= 90.0 {
        let mut lon = -180.0;
        while lon <= 180.0 {
            if let Some(mgrs) = format_mgrs(at(lat, lon)) {
                assert_near(&mgrs, at(lat, lon), 1.0);
            }
            lon += 7.5;
        }
        lat += 2.5;
    }
    // geoconvert 1.0.2 panics on a latitude of exactly 0 and is 1 km off at -0.0: both are
    // read as a hundredth of a millimetre north, which names the same 1 m square.
    for lon in [-179.0, -3.0, 0.0, 62.333, 120.0] {
        for lat in [0.0, -0.0] {
            let mgrs = format_mgrs(at(lat, lon)).expect("on the equator");
            assert!(mgrs.ends_with(" 00000"), "{mgrs}");
            assert_eq!(&mgrs[2..3], "N", "{mgrs}");
            assert_near(&mgrs, at(lat, lon), 1.0);
        }
    }
    assert_eq!(format_mgrs(at(f64::NAN, 0.0)), None);
    assert_eq!(format_mgrs(at(91.0, 0.0)), None);
}

#[test]
fn decimal_and_dms_text_read_back() {
    let point = at(-33.868_806, 151.209_306);
    assert_eq!(format_decimal(point), "33.86881° S, 151.20931° E");
    assert_eq!(format_dms(point), "33°52'07.7\"S 151°12'33.5\"E");
    assert_near(&format_decimal(point), point, 1.0);
    assert_near(&format_dms(point), point, 3.0);
}
