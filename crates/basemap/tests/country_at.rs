//! `Basemap::country_at` against the embedded asset's country areas.

use std::collections::BTreeSet;

use strikemap_basemap::Basemap;

fn basemap() -> Basemap {
    match Basemap::embedded() {
        Ok(basemap) => basemap,
        Err(error) => panic!("embedded asset does not decode: {error}"),
    }
}

/// The adm0_a3 code of the country at (lon, lat), if any.
fn code_at(basemap: &Basemap, lon: f64, lat: f64) -> Option<&str> {
    let index = basemap.country_at(lon, lat)?;
    match basemap.country_labels().get(index) {
        Some(label) => Some(label.adm0_a3.as_str()),
        None => panic!("country_at({lon}, {lat}) gave {index}, not a country label"),
    }
}

#[test]
fn known_places_are_in_their_countries() {
    let basemap = basemap();
    let cases = [
        ("Kyiv", 30.52, 50.45, "UKR"),
        ("Kharkiv", 36.23, 49.99, "UKR"),
        ("Moscow", 37.62, 55.75, "RUS"),
        ("Siberia, Evenkia", 100.0, 62.0, "RUS"),
        ("Karachi", 67.08, 24.90, "PAK"),
        ("Zahedan", 60.86, 29.50, "IRN"),
        ("Kabul", 69.17, 34.53, "AFG"),
        ("Delhi", 77.21, 28.61, "IND"),
        ("Srinagar", 74.80, 34.08, "IND"),
        ("Lhasa", 91.11, 29.65, "CHN"),
        ("Khartoum", 32.53, 15.59, "SDN"),
        ("Buenos Aires", -58.45, -34.62, "ARG"),
        ("Jakarta", 106.85, -6.21, "IDN"),
        (
            "Maseru, Lesotho (a hole in South Africa)",
            27.48,
            -29.31,
            "LSO",
        ),
        ("Bloemfontein", 26.21, -29.12, "ZAF"),
    ];
    let mut wrong = Vec::new();
    for (place, lon, lat, expected) in cases {
        let found = code_at(&basemap, lon, lat);
        if found != Some(expected) {
            wrong.push(format!("{place}: expected {expected}, found {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn open_sea_is_no_country() {
    let basemap = basemap();
    for (sea, lon, lat) in [
        ("Gulf of Guinea", 3.0, 2.0),
        ("Gulf of Guinea, west", -2.0, 3.0),
        ("mid-Pacific", -140.0, 10.0),
        ("North Pacific", -150.0, 35.0),
        ("South Atlantic", -20.0, -30.0),
        ("Indian Ocean", 80.0, -20.0),
        ("Caspian Sea", 51.0, 42.0),
    ] {
        assert_eq!(code_at(&basemap, lon, lat), None, "{sea} ({lon}, {lat})");
    }
}

#[test]
fn points_near_the_antimeridian_do_not_panic() {
    let basemap = basemap();
    for lon in [
        -180.0,
        -179.999_99,
        -179.5,
        -175.0,
        175.0,
        178.4,
        179.5,
        179.999_99,
        180.0,
    ] {
        for lat in [
            -90.0, -85.0, -18.0, -16.8, -16.5, 0.0, 65.0, 67.0, 68.5, 71.0, 89.9, 90.0,
        ] {
            let _ = basemap.country_at(lon, lat);
        }
    }
    // Chukotka reaches across 180°: Russia on both sides.
    assert_eq!(code_at(&basemap, 179.5, 67.0), Some("RUS"));
    assert_eq!(code_at(&basemap, -179.5, 67.0), Some("RUS"));
    // Fiji: Vanua Levu west of 180°, Taveuni on both sides of it, open sea farther east.
    assert_eq!(code_at(&basemap, 179.3, -16.6), Some("FJI"));
    assert_eq!(code_at(&basemap, -179.92, -16.8), Some("FJI"));
    assert_eq!(
        code_at(&basemap, -179.5, -16.5),
        None,
        "open sea east of Taveuni"
    );
}

#[test]
fn out_of_range_and_non_finite_points_are_no_country() {
    let basemap = basemap();
    for (lon, lat) in [
        (f64::NAN, 50.0),
        (30.0, f64::NAN),
        (f64::INFINITY, 0.0),
        (f64::NEG_INFINITY, f64::INFINITY),
        (180.5, 67.0),
        (-200.0, 50.0),
        (30.0, 90.5),
        (30.0, -91.0),
        (f64::MAX, f64::MIN),
    ] {
        assert_eq!(basemap.country_at(lon, lat), None, "({lon}, {lat})");
    }
    // Antarctica is land.
    assert_eq!(code_at(&basemap, 0.0, -80.0), Some("ATA"));
}

#[test]
fn every_country_has_an_area() {
    let basemap = basemap();
    let with_area: BTreeSet<usize> = basemap.country_area_countries().collect();
    let missing: Vec<&str> = basemap
        .country_labels()
        .iter()
        .enumerate()
        .filter(|(index, _)| !with_area.contains(index))
        .map(|(_, label)| label.adm0_a3.as_str())
        .collect();
    assert!(missing.is_empty(), "countries without an area: {missing:?}");
    assert_eq!(basemap.country_labels().len(), 255);
}

#[test]
fn country_label_points_lie_in_their_own_country() {
    let basemap = basemap();
    let labels = basemap.country_labels();
    let elsewhere: Vec<String> = labels
        .iter()
        .enumerate()
        .filter(|(index, label)| basemap.country_at(label.lon, label.lat) != Some(*index))
        .map(|(_, label)| {
            let found = code_at(&basemap, label.lon, label.lat);
            format!("{} -> {found:?}", label.adm0_a3)
        })
        .collect();
    // Label points of small islands may fall just outside a polygon simplified to 2 km.
    assert!(
        elsewhere.len() * 20 <= labels.len(),
        "{} of {} label points are not in their country: {elsewhere:?}",
        elsewhere.len(),
        labels.len()
    );
    println!("label points elsewhere: {elsewhere:?}");
}

#[test]
fn basemap_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Basemap>();
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn push_svarint(out: &mut Vec<u8>, value: i64) {
    push_varint(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// An asset with only the given sections (each a tag and its payload): enough to reach the
/// country areas decoder, which runs before the check for missing layers.
fn asset_with(sections: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for value in [-18_000_000, -9_000_000, 18_000_000, 9_000_000] {
        push_svarint(&mut body, value);
    }
    body.push(6);
    push_varint(&mut body, sections.len() as u64);
    for (tag, payload) in sections {
        body.push(*tag);
        push_varint(&mut body, payload.len() as u64);
        body.extend_from_slice(payload);
    }
    let mut asset = b"SMBM\x02".to_vec();
    asset.extend_from_slice(&(body.len() as u32).to_le_bytes());
    asset.extend_from_slice(&body);
    asset
}

/// A country labels payload with one label.
fn one_label() -> Vec<u8> {
    let mut payload = vec![1];
    payload.extend_from_slice(b"AAA");
    payload.extend_from_slice(&[0, 0, 255, 1, 0, 0, 0, 1, b'A']);
    payload
}

/// A country areas payload (unit 1°) of `count` world-sized triangles of `country`.
fn world_triangles(country: u64, count: u64) -> Vec<u8> {
    let mut payload = Vec::new();
    push_varint(&mut payload, 100_000);
    push_varint(&mut payload, count);
    let mut previous = (0, 0);
    for _ in 0..count {
        push_varint(&mut payload, country);
        push_varint(&mut payload, 1);
        push_varint(&mut payload, 3);
        for point in [(-180, -90), (180, -90), (180, 90)] {
            push_svarint(&mut payload, point.0 - previous.0);
            push_svarint(&mut payload, point.1 - previous.1);
            previous = point;
        }
    }
    payload
}

#[test]
fn bad_country_areas_are_refused() {
    use strikemap_basemap::DecodeError;
    let decode = |sections: &[(u8, Vec<u8>)]| Basemap::from_bytes(&asset_with(sections)).err();
    // A well-formed areas section gets past the areas decoder (to the missing layers).
    assert!(matches!(
        decode(&[(3, one_label()), (4, world_triangles(0, 1))]),
        Some(DecodeError::Missing { what }) if what.contains("layer")
    ));
    // Country 1 of one label.
    assert!(matches!(
        decode(&[(3, one_label()), (4, world_triangles(1, 1))]),
        Some(DecodeError::InvalidValue { what, value: 1, .. }) if what.contains("country")
    ));
    // Areas before the labels they point into.
    assert!(matches!(
        decode(&[(4, world_triangles(0, 1)), (3, one_label())]),
        Some(DecodeError::Missing { what }) if what.contains("before the country areas")
    ));
    // Two areas sections.
    assert!(matches!(
        decode(&[
            (3, one_label()),
            (4, world_triangles(0, 1)),
            (4, world_triangles(0, 1))
        ]),
        Some(DecodeError::Duplicate { .. })
    ));
    // Thousands of world-sized polygons would need a huge grid: refused, not allocated.
    assert!(matches!(
        decode(&[(3, one_label()), (4, world_triangles(0, 5_000))]),
        Some(DecodeError::CountTooLarge { .. })
    ));
    // Every truncation of a valid section is an error, never a panic.
    let payload = world_triangles(0, 3);
    for end in 0..payload.len() {
        let truncated = payload.get(..end).unwrap_or(&[]).to_vec();
        assert!(
            decode(&[(3, one_label()), (4, truncated)]).is_some(),
            "{end}"
        );
    }
}
