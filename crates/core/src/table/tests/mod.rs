//! The table loaders must give exactly what the small-file importers give: the same rows, the
//! same skips, the same errors, however the file is cut into chunks and split between threads.

use super::geojson::{self, Tuning};
use super::*;

/// A file in a folder of its own under the temporary folder, removed when dropped.
pub(crate) struct TempFile(pub PathBuf);

impl TempFile {
    pub(crate) fn new(name: &str, content: &[u8]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("strikemap-table-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Tunings that cut small files into many chunks and thread splits.
pub(crate) fn tunings() -> Vec<Tuning> {
    vec![
        Tuning::default(),
        Tuning {
            chunk_bytes: 1 << 10,
            min_split_bytes: 256,
            threads: 3,
            max_value_bytes: 1 << 30,
        },
        Tuning {
            chunk_bytes: 7_777,
            min_split_bytes: 1,
            threads: 2,
            max_value_bytes: 1 << 30,
        },
        Tuning {
            chunk_bytes: 64 << 10,
            min_split_bytes: 1,
            threads: 4,
            max_value_bytes: 1 << 30,
        },
        Tuning {
            chunk_bytes: 50,
            min_split_bytes: 1,
            threads: 1,
            max_value_bytes: 1 << 30,
        },
    ]
}

fn table_of(loaded: &LoadedTable) -> &PointTable {
    &loaded.table
}

/// A point layer whose strings hold feature-boundary look-alikes, with some bad features.
pub(crate) fn tricky_points(count: usize) -> (String, usize) {
    let mut text =
        String::from("{\"type\": \"FeatureCollection\", \"name\": \"Tricky\",\n\"features\": [\n");
    let mut bad = 0;
    for index in 0..count {
        if index > 0 {
            text.push_str(if index % 7 == 0 { " ,\n  " } else { ",\n" });
        }
        let lon = -170.0 + (index * 37 % 3400) as f64 / 10.0;
        let lat = -80.0 + (index * 53 % 1600) as f64 / 10.0;
        let date = format!("2024-{:02}-{:02}", index % 12 + 1, index % 28 + 1);
        let note = match index % 5 {
            0 => "a \\\"quoted\\\" }, {\\\"type\\\": \\\"Feature\\\"} look-alike".to_owned(),
            1 => "}\\n,\\n{ braces } , { in text".to_owned(),
            _ => format!("plain note {index} \\u00e9"),
        };
        let geometry = match index % 97 {
            13 => {
                bad += 1;
                "null".to_owned()
            }
            29 => {
                bad += 1;
                "{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,0]]]}".to_owned()
            }
            41 => {
                bad += 1;
                "{\"type\": \"Point\", \"coordinates\": [200.5, 10]}".to_owned()
            }
            _ => format!("{{\"coordinates\": [{lon}, {lat}, 12.5], \"type\": \"Point\"}}"),
        };
        text.push_str(&format!(
            "{{\"type\":\"Feature\",\"id\":{index},\"geometry\":{geometry},\"properties\":{{\"event_id_cnty\":\"X{index}\",\"event_date\":\"{date}\",\"event_type\":\"{}\",\"notes\":\"{note}\",\"nested\":{{\"a\":[1,{{\"b\":\"}}\"}}]}},\"fatalities\":{}}}}}",
            ["Battles", "Protests", "Riots"][index % 3],
            index % 4
        ));
    }
    text.push_str("\n],\n\"bbox\": [-180, -90, 180, 90]\n}\n");
    (text, bad)
}

#[test]
fn points_load_the_same_however_the_file_is_cut() {
    let (text, bad) = tricky_points(3_000);
    let file = TempFile::new("points.geojson", text.as_bytes());
    let mut first: Option<PointTable> = None;
    for tuning in tunings() {
        let import = geojson::load("points.geojson", &file.0, &LoadProgress::default(), tuning)
            .unwrap()
            .unwrap();
        assert_eq!(import.skipped_total, bad, "{tuning:?}");
        let table = table_of(&import);
        assert_eq!(table.len(), 3_000 - bad, "{tuning:?}");
        assert_eq!(table.kind, TableKind::Points);
        assert_eq!(table.title.as_deref(), Some("Tricky"));
        match &first {
            None => first = Some(table.clone()),
            Some(first) => assert!(first == table, "{tuning:?} differs"),
        }
    }
    let import = geojson::load(
        "points.geojson",
        &file.0,
        &LoadProgress::default(),
        Tuning::default(),
    )
    .unwrap()
    .unwrap();
    // The skips name the features as the overlay importer numbers them.
    let places: Vec<&str> = import
        .skipped
        .iter()
        .map(|skip| skip.place.as_str())
        .collect();
    assert_eq!(&places[..3], ["feature 13", "feature 29", "feature 41"]);
    assert!(
        import.skipped[1].reason.contains("Polygon"),
        "{}",
        import.skipped[1].reason
    );
    assert!(
        import.skipped[2].reason.contains("longitude 200.5"),
        "{}",
        import.skipped[2].reason
    );
    let table = table_of(&import);
    // Date order, labels, classes and records.
    let days: Vec<i32> = (0..table.len() as u32)
        .map(|row| table.date(row).unwrap().days_since_unix_epoch() as i32)
        .collect();
    assert!(days.windows(2).all(|pair| pair[0] <= pair[1]));
    let row = table.find_label("X5").unwrap();
    assert_eq!(table.class(row), "Riots");
    assert_eq!(table.radius_km(row), None, "generic points give no radius");
    assert_eq!(table.date(row).unwrap().to_iso(), "2024-06-06");
    let position = table.position(row).unwrap();
    assert!(
        (position.lon - (-170.0 + 18.5)).abs() < 1e-9,
        "{position:?}"
    );
    let Record::Properties(lines) = table.record(row).unwrap() else {
        panic!("points give properties")
    };
    assert!(
        lines.contains(&("id".to_owned(), "5".to_owned())),
        "{lines:?}"
    );
    assert!(lines.contains(&("fatalities".to_owned(), "1".to_owned())));
    let window = table.rows_in_window(Some((
        crate::model::Date::parse_iso("2024-03-01").unwrap(),
        crate::model::Date::parse_iso("2024-03-31").unwrap(),
    )));
    let brute = (0..table.len() as u32)
        .filter(|&row| table.date(row).unwrap().month == 3)
        .count();
    assert_eq!(window.len(), brute);
    assert!(
        window
            .clone()
            .all(|row| table.date(row).unwrap().month == 3)
    );
}

/// An events file: the bundled events repeated with new ids, some repeated ids and bad fields.
pub(crate) fn events_file(count: usize) -> String {
    let bundled: serde_json::Value =
        serde_json::from_str(crate::case::BUNDLED_CASE_GEOJSON).unwrap();
    let templates = bundled["features"].as_array().unwrap().clone();
    let mut features = Vec::new();
    for index in 0..count {
        let mut feature = templates[index % templates.len()].clone();
        let id = if index % 50 == 49 {
            format!("E{}", index - 1)
        } else {
            format!("E{index}")
        };
        feature["properties"]["id"] = id.into();
        feature["properties"]["date"] = format!("2024-01-{:02}", index % 28 + 1).into();
        if index % 61 == 60 {
            feature["properties"]["location"]["radius_km"] = (-1.0).into();
        }
        if index % 83 == 82 {
            feature["properties"]["casualty_claims"] = "many".into();
        }
        features.push(serde_json::to_string(&feature).unwrap());
    }
    format!(
        "{{\"type\":\"FeatureCollection\",\"schema\":\"strikemap-events/1\",\"title\":\"Many\",\"features\":[\n{}\n]}}",
        features.join(",\n")
    )
}

#[test]
fn non_point_collections_are_left_to_the_overlay_reader() {
    let text = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}}]}";
    let file = TempFile::new("lines.geojson", text.as_bytes());
    assert!(
        geojson::load(
            "lines.geojson",
            &file.0,
            &LoadProgress::default(),
            Tuning::default()
        )
        .unwrap()
        .is_none()
    );
    let lone = "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}";
    let file = TempFile::new("lone.geojson", lone.as_bytes());
    assert!(
        geojson::load(
            "lone.geojson",
            &file.0,
            &LoadProgress::default(),
            Tuning::default()
        )
        .unwrap()
        .is_none()
    );
}

#[test]
fn a_cancelled_load_stops_with_cancelled() {
    let (text, _) = tricky_points(200);
    let file = TempFile::new("cancel.geojson", text.as_bytes());
    let progress = LoadProgress::default();
    progress.cancel();
    let error = load_table(&file.0, &progress).unwrap_err();
    assert!(matches!(error, LoadError::Cancelled { .. }), "{error}");
}

/// An ACLED export of `rows` rows with quoted notes over two lines; some latitudes are out
/// of range.
pub(crate) fn acled_with_notes(rows: usize) -> String {
    let mut text = String::from(
        "event_id_cnty,event_date,event_type,sub_event_type,country,admin1,location,latitude,longitude,geo_precision,fatalities,notes\n",
    );
    for index in 0..rows {
        let latitude = if index % 97 == 5 {
            "95.0".to_owned()
        } else {
            format!("{}", 20.0 + (index % 100) as f64 / 10.0)
        };
        text.push_str(&format!(
            "PAK{index},2024-02-{:02},Battles,Armed clash,Pakistan,Balochistan,Panjgur,{latitude},{},2,{},\"a note, with \"\"quotes\"\"\nand a newline\"\n",
            index % 28 + 1,
            60.0 + (index % 50) as f64 / 10.0,
            index % 3
        ));
    }
    text
}

/// Whatever the bytes, a file loads the same cut into tiny chunks on three threads as read
/// front to back on one: the same rows and skips, or the same error. And nothing panics.
#[test]
fn mutated_files_load_the_same_however_they_are_cut() {
    let (text, _) = tricky_points(120);
    let events = events_file(40);
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    const BYTES: &[u8] = b"{}[],:\"\\ a1-.e\n";
    let reference = Tuning {
        chunk_bytes: 8 << 20,
        min_split_bytes: usize::MAX,
        threads: 1,
        max_value_bytes: 1 << 30,
    };
    let cut = Tuning {
        chunk_bytes: 97,
        min_split_bytes: 1,
        threads: 3,
        max_value_bytes: 1 << 30,
    };
    for round in 0..300 {
        let mut bytes = if round % 2 == 0 {
            text.clone().into_bytes()
        } else {
            events.clone().into_bytes()
        };
        for _ in 0..1 + next(3) {
            let at = next(bytes.len());
            match next(3) {
                0 => bytes[at] = BYTES[next(BYTES.len())],
                1 => {
                    bytes.remove(at);
                }
                _ => {
                    let end = (at + next(400)).min(bytes.len());
                    let copy = bytes[at..end].to_vec();
                    let to = next(bytes.len());
                    bytes.splice(to..to, copy);
                }
            }
        }
        let file = TempFile::new(&format!("mutated-{round}.geojson"), &bytes);
        let load = |tuning| {
            geojson::load("mutated.geojson", &file.0, &LoadProgress::default(), tuning)
                .map(|loaded| {
                    loaded.map(|import| {
                        let table = table_of(&import).clone();
                        (table, import.skipped, import.skipped_total)
                    })
                })
                .map_err(|error| error.to_string())
        };
        let expected = load(reference);
        let got = load(cut);
        match (&expected, &got) {
            (Ok(Some(a)), Ok(Some(b))) => {
                assert!(a.0 == b.0, "round {round}: the tables differ");
                assert_eq!(a.1, b.1, "round {round}");
                assert_eq!(a.2, b.2, "round {round}");
            }
            (Ok(None), Ok(None)) => {}
            (Err(a), Err(b)) => assert_eq!(a, b, "round {round}"),
            _ => panic!(
                "round {round}: {:?} vs {:?}",
                expected
                    .as_ref()
                    .map(|loaded| loaded.as_ref().map(|l| l.0.len())),
                got.as_ref()
                    .map(|loaded| loaded.as_ref().map(|l| l.0.len()))
            ),
        }
    }
}

#[test]
fn a_feature_too_long_to_read_is_refused_with_its_line() {
    let (text, _) = tricky_points(30);
    let long = format!("\"{}\"", "x".repeat(3 << 20));
    let text = text.replacen("\"Battles\"", &long, 1);
    let file = TempFile::new("long.geojson", text.as_bytes());
    let tuning = Tuning {
        chunk_bytes: 4096,
        min_split_bytes: 1,
        threads: 2,
        max_value_bytes: 1 << 20,
    };
    let error = geojson::load("long.geojson", &file.0, &LoadProgress::default(), tuning)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "long.geojson: the value at line 3 is over 1 MiB long; a feature or member this large is \
         not read"
    );
}

#[test]
fn classes_are_interned_until_sixteen_bits_are_full() {
    let mut rows = RowColumns::new();
    let position = crate::model::LonLat { lon: 1.0, lat: 2.0 };
    let span = Span { offset: 0, len: 0 };
    for index in 0..70_000u32 {
        let name = format!("type {}", index % 68_000);
        rows.push(NewRow {
            position,
            date: None,
            radius_km: None,
            class: Some(&name),
            label: "",
            span,
        });
    }
    // Index 0 is "no class"; 65,534 names fit; later new names fall back to none.
    assert_eq!(rows.classes.len(), usize::from(u16::MAX));
    assert_eq!(rows.class[0], 1);
    assert_eq!(rows.class[65_533], 65_534);
    assert_eq!(rows.class[65_534], 0);
    // A name seen before keeps its index.
    assert_eq!(rows.class[68_000], rows.class[0]);
    let mut other = RowColumns::new();
    other.push(NewRow {
        position,
        date: None,
        radius_km: None,
        class: Some("type 7"),
        label: "",
        span,
    });
    rows.append(other);
    assert_eq!(rows.class.last(), Some(&rows.class[7]));
}

#[test]
fn a_table_file_that_grows_while_it_is_read_is_cut_at_its_opened_size_with_a_warning() {
    let csv = acled_with_notes(60);
    let more_rows: String = acled_with_notes(90)
        .lines()
        .skip(61)
        .map(|line| format!("{line}\n"))
        .collect();
    let (points, _) = tricky_points(200);
    let cases = [
        ("grows.csv", csv, more_rows),
        (
            "grows.geojson",
            points,
            "{\"not\": \"json of the file\"".to_owned(),
        ),
    ];
    for (name, content, appended) in cases {
        let file = TempFile::new(name, content.as_bytes());
        let whole = load_table(&file.0, &LoadProgress::default())
            .unwrap()
            .unwrap();
        assert!(whole.warnings.iter().all(|warning| warning.place != "file"));

        let (opened, opened_len) = crate::formats::file_kind::open_regular_file(&file.0).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&file.0)
            .and_then(|mut more| std::io::Write::write_all(&mut more, appended.as_bytes()))
            .unwrap();
        let cut = load::load_opened_table(&file.0, opened, opened_len, &LoadProgress::default())
            .unwrap()
            .unwrap();
        assert_eq!(cut.table, whole.table, "{name}");
        let first = cut.warnings.first().unwrap();
        assert_eq!(first.place, "file", "{name}");
        assert!(
            first.message.contains(&format!(
                "only its first {} bytes",
                crate::text::thousands(content.len())
            )),
            "{name}: {first}"
        );
    }
}
