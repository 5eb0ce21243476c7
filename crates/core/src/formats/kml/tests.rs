use super::*;
use crate::formats::skips::MAX_LISTED_SKIPS;
use geo::Geometry;

fn kml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\" \
         xmlns:gx=\"http://www.google.com/kml/ext/2.2\"><Document><name>Doc</name>\n{body}\n\
         </Document></kml>\n"
    )
}

#[test]
fn an_unclosed_ring_is_closed_with_a_warning() {
    let text = kml(
        "<Placemark><name>Zone</name><Polygon><outerBoundaryIs><LinearRing>\
        <coordinates>1,1 2,1 2,2</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
    );
    let (layer, skips) = parse_kml("z.kml", &text).unwrap();
    let warnings = skips.warnings_listed();
    assert_eq!(skips.total, 0);
    let Geometry::Polygon(polygon) = &layer.features[0].geometry else {
        panic!("{:?}", layer.features[0].geometry)
    };
    assert_eq!(polygon.exterior().0.len(), 4);
    assert_eq!(layer.name, "Doc");
    assert_eq!(
        warnings[0].to_string(),
        "placemark 0 (\"Zone\"), line 3, column 29: KML 2.2 §10.5: 1 LinearRing(s) whose last \
         position is not the first; closed them"
    );
}

#[test]
fn placemarks_that_cannot_be_drawn_are_skipped_with_their_place() {
    let text = kml("<Placemark><name>Nothing</name></Placemark>\n\
        <Placemark><Point><coordinates>1,1</coordinates></Point><Point><coordinates>1,1</coordinates></Point></Placemark>\n\
        <Placemark><LineString><coordinates>1,1</coordinates></LineString></Placemark>\n\
        <Placemark><Point><coordinates>east,1</coordinates></Point></Placemark>\n\
        <Placemark><gx:Track><gx:coord>1 2 3</gx:coord></gx:Track></Placemark>");
    let (layer, skips) = parse_kml("s.kml", &text).unwrap();
    assert_eq!(layer.features.len(), 1);
    assert_eq!(layer.features[0].index, 4);
    assert!(matches!(layer.features[0].geometry, Geometry::Point(_)));
    let reasons: Vec<String> = skips.listed.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        [
            "placemark 0 (\"Nothing\"): line 3, column 1: has no geometry (Point, LineString, \
             LinearRing, Polygon, MultiGeometry or gx:Track) to draw",
            "placemark 1: line 4, column 1: has 2 geometries; a placemark holds one (several \
             go in a MultiGeometry)",
            "placemark 2: line 5, column 24: a LineString has 1 positions, at least 2 are needed",
            "placemark 3: line 6, column 19: longitude \"east\" is not a number",
        ]
    );
    let none = kml("<Placemark><name>Nothing</name></Placemark>");
    let error = parse_kml("n.kml", &none).unwrap_err().to_string();
    assert_eq!(
        error,
        "n.kml: no placemark could be loaded: the only placemark was skipped, at placemark 0 \
         (\"Nothing\"): line 3, column 1: has no geometry (Point, LineString, LinearRing, \
         Polygon, MultiGeometry or gx:Track) to draw"
    );
}

#[test]
fn multi_geometries_nest_to_a_limit_and_multitracks_are_lines() {
    let depth = crate::formats::overlay::MAX_COLLECTION_DEPTH;
    let nested = format!(
        "{}<Point><coordinates>1,1</coordinates></Point>{}",
        "<MultiGeometry>".repeat(depth + 1),
        "</MultiGeometry>".repeat(depth + 1)
    );
    let text = kml(&format!(
        "<Placemark>{nested}</Placemark>\n<Placemark><gx:MultiTrack><gx:Track>\
         <when>a</when><when>b</when><gx:coord>1 1 0</gx:coord><gx:coord>2 2 0</gx:coord>\
         </gx:Track><gx:Track><gx:coord>3 3</gx:coord><gx:coord>4 4</gx:coord></gx:Track>\
         </gx:MultiTrack></Placemark>"
    ));
    let (layer, skips) = parse_kml("m.kml", &text).unwrap();
    assert!(
        skips.listed[0].reason.contains("nested deeper than 8"),
        "{:?}",
        skips.listed
    );
    let Geometry::GeometryCollection(tracks) = &layer.features[0].geometry else {
        panic!()
    };
    assert!(
        tracks
            .0
            .iter()
            .all(|track| matches!(track, Geometry::LineString(_)))
    );
    assert_eq!(
        layer.features[0].properties["when"],
        serde_json::json!(["a", "b"])
    );
}

#[test]
fn inline_styles_win_over_shared_ones_and_style_maps_are_followed() {
    let text = kml(
        "<Style id=\"blue\"><LineStyle><color>ffff0000</color></LineStyle></Style>\
        <StyleMap id=\"inner\"><Pair><key>normal</key><styleUrl>#blue</styleUrl></Pair></StyleMap>\
        <StyleMap id=\"outer\"><Pair><key>normal</key><styleUrl>#inner</styleUrl></Pair></StyleMap>\
        <Folder><name>A</name><Folder><name>B</name>\
        <Placemark><styleUrl>#outer</styleUrl><LineString><coordinates>1,1 2,2</coordinates></LineString></Placemark>\
        <Placemark><styleUrl>#outer</styleUrl><Style><LineStyle><color>ff00ff00</color></LineStyle>\
        <PolyStyle><fill>0</fill></PolyStyle></Style>\
        <LineString><coordinates>1,1 2,2</coordinates></LineString></Placemark>\
        <Placemark><StyleMap><Pair><key>normal</key><Style><IconStyle><color>80000000</color></IconStyle></Style></Pair></StyleMap>\
        <Point><coordinates>1,1</coordinates></Point></Placemark>\
        </Folder></Folder>",
    );
    let (layer, _) = parse_kml("c.kml", &text).unwrap();
    let property = |index: usize, key: &str| layer.features[index].properties.get(key).cloned();
    assert_eq!(property(0, "stroke"), Some("#0000ff".into()));
    assert_eq!(property(0, "folder"), Some("A / B".into()));
    assert_eq!(property(1, "stroke"), Some("#00ff00".into()));
    assert_eq!(property(1, "fill-opacity"), Some(0.0.into()));
    assert_eq!(property(2, "marker-color"), Some("#000000".into()));
}

#[test]
fn what_is_not_kml_is_named() {
    let error = parse_kml("x.kml", "<gpx version=\"1.1\"/>")
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "x.kml: XML, but not KML: the root element is <gpx>, expected <kml>"
    );
    let error = parse_kml("x.kml", "<kml><Document>")
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "x.kml: line 1, column 16: not valid XML: the file ends inside <Document> (opened at \
         line 1, column 6); is it cut short?"
    );
}

/// Many bad placemarks and unclosed rings: all counted, the first listed, in linear time.
#[test]
fn many_problems_are_counted_and_the_first_listed() {
    let bad = "<Placemark><Point><coordinates>1,95</coordinates></Point></Placemark>\n";
    let open_ring = "<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>1,1 2,1 2,2\
        </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n";
    let text = kml(&(bad.repeat(30_000) + &open_ring.repeat(30_000)));
    let started = std::time::Instant::now();
    let (layer, skips) = parse_kml("many.kml", &text).unwrap();
    let warnings = skips.warnings_listed();
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert_eq!(layer.features.len(), 30_000);
    assert_eq!(skips.total, 30_000);
    assert_eq!(skips.listed.len(), MAX_LISTED_SKIPS);
    assert_eq!(warnings.len(), MAX_LISTED_SKIPS + 1);
    assert_eq!(skips.warnings_total, 30_000);
    assert_eq!(
        warnings[MAX_LISTED_SKIPS].message,
        "29,980 more warnings like these, not listed"
    );
}

/// Every prefix of a real-looking file is an error or a partial load, never a panic.
#[test]
fn every_cut_of_the_fixture_fails_cleanly() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kml_briefing.kml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    for end in (0..text.len()).filter(|end| text.is_char_boundary(*end)) {
        let cut = &text[..end];
        // Only the cut that leaves out nothing but the final line break is whole.
        let whole = cut.trim_end() == text.trim_end();
        assert_eq!(parse_kml("cut.kml", cut).is_ok(), whole, "{end}");
    }
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kmz_briefing.kmz"
    ))
    .unwrap();
    for end in 0..bytes.len() {
        assert!(parse_kmz("cut.kmz", &bytes[..end]).is_err(), "{end}");
    }
}
