//! The UCDP GED reader, through the import it makes.

use crate::formats::ucdp::*;
use crate::import::Import;

const HEADER: &str = "id,type_of_violence,conflict_name,side_a,side_b,country,adm_1,adm_2,where_description,where_prec,latitude,longitude,date_start,date_end,date_prec,deaths_civilians,best,high,low,source_article";

fn parse(rows: &str) -> Result<Import, String> {
    parse_ucdp_csv("u.csv", &format!("{HEADER}\n{rows}"))
        .map(|read| Import::of_dataset_events("u.csv", read))
        .map_err(|error| error.to_string())
}

#[test]
fn best_low_and_high_are_one_claim() {
    let import = parse(
        "9001,1,Iran - Pakistan,Government of Iran,Government of Pakistan,Pakistan,Balochistan province,Panjgur district,Koh-i-Sabz village,2,26.968,64.101,2024-01-16 00:00:00.000,2024-01-16 00:00:00.000,1,2,2,3,2,\"Dawn,2024-01-18,Panic grips Koh-i-Sabz\"\n",
    )
    .unwrap();
    let event = &import.events().unwrap()[0];
    assert_eq!(event.title(), "Iran - Pakistan: Koh-i-Sabz village");
    assert_eq!(
        event.properties.event_type.as_deref(),
        Some("State-based conflict")
    );
    let killed = event.headline_claim().unwrap().killed.clone().unwrap();
    assert_eq!(
        (killed.count, killed.low, killed.high),
        (2, Some(2), Some(3))
    );
    assert_eq!(killed.headline(), "2 (2–3)");
    assert_eq!(event.properties.location.where_prec, Some(2));
    assert_eq!(event.properties.location.radius_km, 25.0);
    assert_eq!(event.properties.date_end.as_deref(), Some("2024-01-16"));
    assert_eq!(event.attacker(), None);
}

#[test]
fn an_inverted_range_or_span_skips_the_row() {
    let import = parse(
        "1,1,X,A,B,Pakistan,,,,1,26.9,64.1,2024-01-16,2024-01-16,1,,5,3,2,\n\
         2,1,X,A,B,Pakistan,,,,1,26.9,64.1,2024-01-16,2024-01-16,1,,5,9,6,\n\
         3,1,X,A,B,Pakistan,,,,1,26.9,64.1,2024-01-16,2024-01-15,1,,5,9,2,\n\
         4,1,X,A,B,Pakistan,,,,8,26.9,64.1,2024-01-16,2024-01-16,1,,5,9,2,\n\
         5,1,X,A,B,Pakistan,,,,1,26.9,64.1,2024-01-16,2024-01-16,1,,5,9,2,\n",
    )
    .unwrap();
    let places: Vec<&str> = import
        .skipped
        .iter()
        .map(|skip| skip.place.as_str())
        .collect();
    assert_eq!(
        places,
        [
            "line 2, column high",
            "line 3, column low",
            "line 4, column date_end",
            "line 5, column where_prec"
        ]
    );
    assert_eq!(import.loaded_count(), 1);
}
