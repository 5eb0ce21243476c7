//! The ACLED reader, through the import it makes.

use crate::formats::acled::*;
use crate::import::Import;

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities";

fn parse(rows: &str) -> Result<Import, String> {
    parse_acled_csv("a.csv", &format!("{HEADER}\n{rows}"))
        .map(|read| Import::of_dataset_events("a.csv", read))
        .map_err(|error| error.to_string())
}

#[test]
fn a_row_becomes_an_event_with_one_acled_claim_and_no_attacker() {
    let import = parse(
        "PAK1,16 January 2024,2024,1,Explosions/Remote violence,Air/drone strike,Military Forces of Iran (1989-),Civilians (Pakistan),Pakistan,Balochistan,Panjgur,Panjgur,26.968,64.101,2,Dawn; Express Tribune,\"Two children killed.\",0\n",
    )
    .unwrap();
    let event = &import.events().unwrap()[0];
    assert_eq!(event.title(), "Air/drone strike in Panjgur, Balochistan");
    assert_eq!(event.attacker(), None);
    assert_eq!(
        event.properties.actor1.as_deref(),
        Some("Military Forces of Iran (1989-)")
    );
    assert_eq!(event.properties.date, "2024-01-16");
    assert_eq!(event.properties.location.radius_km, 25.0);
    let claim = event.headline_claim().unwrap();
    assert_eq!(claim.claimant, "ACLED");
    assert_eq!(claim.killed.as_ref().map(|count| count.count), Some(0));
    assert!(
        claim
            .note
            .as_deref()
            .unwrap_or_default()
            .contains("no deaths were reported")
    );
    assert_eq!(
        event.source(&claim.source).unwrap().outlet,
        "Dawn; Express Tribune"
    );
    assert_eq!(event.properties.raw.len(), 18);
    assert_eq!(
        event.properties.raw[0],
        ("event_id_cnty".into(), "PAK1".into())
    );
}

#[test]
fn bad_rows_are_skipped_with_line_and_column() {
    let import = parse(
        "PAK1,2024-01-16,2024,1,Battles,,A,B,Pakistan,Balochistan,Panjgur,Panjgur,26.9,64.1,1,Dawn,,2\n\
         PAK2,2024-01-16,2024,1,Battles,,A,B,Pakistan,Balochistan,Panjgur,Panjgur,north,64.1,1,Dawn,,2\n\
         PAK3,2024-01-16,2024,1,Battles,,A,B,Pakistan,Balochistan,Panjgur,Panjgur,26.9,64.1,4,Dawn,,2\n\
         PAK1,2024-01-17,2024,1,Battles,,A,B,Pakistan,Balochistan,Panjgur,Panjgur,26.9,64.1,1,Dawn,,2\n",
    )
    .unwrap();
    assert_eq!(import.loaded_count(), 1);
    assert_eq!(import.skipped_total, 3);
    assert_eq!(import.skipped[0].place, "line 3, column latitude");
    assert_eq!(import.skipped[1].place, "line 4, column geo_precision");
    assert_eq!(import.skipped[2].place, "line 5");
    assert!(import.skipped[2].reason.contains("earlier row"));
}

#[test]
fn a_file_of_only_bad_rows_or_missing_columns_is_refused() {
    let error =
        parse("PAK2,2024-13-16,2024,1,Battles,,A,B,Pakistan,,,,26.9,64.1,1,Dawn,,2\n").unwrap_err();
    assert!(error.contains("no row could be loaded"), "{error}");
    assert!(error.contains("line 2, column event_date"), "{error}");
    let error = parse_acled_csv("b.csv", "event_id_cnty,event_date,latitude,longitude\n")
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "b.csv: line 1, column event_type, country, geo_precision (or geo_precis), \
         fatalities: the header lacks columns that every ACLED CSV needs"
    );
}
