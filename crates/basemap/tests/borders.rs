//! `Basemap::border_between`: land borders between two countries, from the country areas.

use strikemap_basemap::Basemap;

fn basemap() -> Basemap {
    match Basemap::embedded() {
        Ok(basemap) => basemap,
        Err(error) => panic!("embedded asset does not decode: {error}"),
    }
}

fn index(basemap: &Basemap, name: &str) -> usize {
    match basemap.country_index(name) {
        Some(index) => index,
        None => panic!("no country named {name:?}"),
    }
}

/// Great-circle distance in km.
fn km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (lat1, lat2) = (a[1].to_radians(), b[1].to_radians());
    let (dlat, dlon) = (lat2 - lat1, (b[0] - a[0]).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

fn length_km(lines: &[Vec<[f64; 2]>]) -> f64 {
    lines
        .iter()
        .flat_map(|line| line.windows(2).map(|pair| km(pair[0], pair[1])))
        .sum()
}

/// The distance from `place` to the nearest vertex of the lines (vertices are at most a few
/// km apart on a land border, so this is within that of the distance to the line).
fn nearest_vertex_km(lines: &[Vec<[f64; 2]>], place: [f64; 2]) -> f64 {
    lines
        .iter()
        .flatten()
        .map(|point| km(*point, place))
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn countries_are_found_by_name_or_code_in_any_case() {
    let basemap = basemap();
    assert_eq!(
        basemap.country_index("russia"),
        basemap.country_index("RUS")
    );
    assert!(basemap.country_index("Ukraine").is_some());
    assert_eq!(basemap.country_index("Redland"), None);
}

#[test]
fn the_iran_pakistan_border_has_its_length_and_lies_where_it_runs() {
    let basemap = basemap();
    let (iran, pakistan) = (index(&basemap, "Iran"), index(&basemap, "Pakistan"));
    let lines = basemap.border_between(pakistan, iran);
    let length = length_km(&lines);
    // The boundary is 959 km long; a 2 km simplification shortens it a little.
    assert!((800.0..1000.0).contains(&length), "{length:.0} km");
    for point in lines.iter().flatten() {
        assert!(
            (60.8..63.5).contains(&point[0]) && (25.0..29.9).contains(&point[1]),
            "{point:?} is not on the Iran–Pakistan border"
        );
    }
    // Either way round, the same border.
    let other_way = length_km(&basemap.border_between(iran, pakistan));
    assert!(
        (other_way - length).abs() < 0.1 * length,
        "{other_way:.0} km"
    );
}

#[test]
fn kharkiv_lies_about_thirty_km_from_the_russian_border() {
    let basemap = basemap();
    let lines = basemap.border_between(index(&basemap, "Ukraine"), index(&basemap, "Russia"));
    let distance = nearest_vertex_km(&lines, [36.23, 49.99]);
    assert!((25.0..50.0).contains(&distance), "{distance:.1} km");
    // Kyiv is far from it (the nearest Russian border is some 230 km to the north-east).
    let kyiv = nearest_vertex_km(&lines, [30.52, 50.45]);
    assert!((180.0..300.0).contains(&kyiv), "{kyiv:.0} km");
}

#[test]
fn countries_that_do_not_meet_have_no_border() {
    let basemap = basemap();
    let (france, japan) = (index(&basemap, "France"), index(&basemap, "Japan"));
    assert!(basemap.border_between(france, japan).is_empty());
    assert!(basemap.border_between(france, france).is_empty());
}
