//! ACLED CSV exports, the current column set and the older ones (pre-2023: data_id, iso3,
//! event_id_no_cnty; pre-2019: UPPERCASE headers, ally_actor_1/2). Each row becomes one event.
//!
//! ACLED's actor1 and actor2 are not attacker and defender, so imported events name no attacker.
//! The fatalities figure becomes one casualty claim by "ACLED", citing a source built from the
//! row's `source` column; ACLED codes the most conservative figure, and 0 can mean "none
//! reported", which the claim's note says.

use super::csv_table::{CsvHeader, CsvRow, CsvTable, RowProblem};
use super::dataset::{
    DATASET_SOURCE_KEY, DatasetEvents, checked_only_event, dataset_properties, dataset_source,
    read_event_rows, require_columns,
};
use super::dates::parse_dataset_date_reading;
use super::detect::DetectedFormat;
use super::detect::csv_format_of;
use super::precision::{acled_geo_precision, acled_time_precision_meaning};
use crate::error::LoadError;
use crate::model::{CasualtyClaim, Count, EventOrigin, LocationPrecision, StrikeEvent};

/// Columns every ACLED row must have (matched case-insensitively).
pub const ACLED_REQUIRED_COLUMNS: [&str; 8] = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
];

/// Parses an ACLED CSV export. Rows that cannot be used are skipped with their line and column.
pub fn parse_acled_csv(file: &str, text: &str) -> Result<DatasetEvents, LoadError> {
    let whole = text;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut table = CsvTable::open(file, text)?;
    let format = match csv_format_of(&table.header) {
        Some(format @ DetectedFormat::AcledCsv { .. }) => format,
        _ => {
            return Err(LoadError::Document {
                file: file.to_owned(),
                message: "the header is not an ACLED export header (event_id_cnty, event_date, \
                          latitude, longitude, …)"
                    .into(),
            });
        }
    };
    require_columns(file, &table.header, format, &ACLED_REQUIRED_COLUMNS)?;
    read_event_rows(file, format, &mut table, acled_event)
        .map(|read| read.starting_at((whole.len() - text.len()) as u64))
}

pub(crate) fn acled_event(row: &CsvRow, header: &CsvHeader) -> Result<StrikeEvent, RowProblem> {
    let value = |key: &str| row.value(header, key).map(str::to_owned);
    let id = row.required(header, "event_id_cnty")?.to_owned();
    let date = parse_dataset_date_reading(
        row.required(header, "event_date")?,
        header.ambiguous_dates(),
    )
    .map_err(|reason| RowProblem::new("event_date", reason))?
    .0;
    let position = row.lon_lat(header, "longitude", "latitude")?;

    let code_text = row.required(header, "geo_precision")?;
    let area = code_text
        .parse::<u8>()
        .ok()
        .and_then(acled_geo_precision)
        .ok_or_else(|| {
            RowProblem::new(
                "geo_precision",
                format!("{code_text:?} is not an ACLED geo_precision code (1, 2 or 3)"),
            )
        })?;
    let time_precision = match row.value(header, "time_precision") {
        None => None,
        Some(text) => Some(
            text.parse::<u8>()
                .ok()
                .filter(|code| acled_time_precision_meaning(*code).is_some())
                .ok_or_else(|| {
                    RowProblem::new(
                        "time_precision",
                        format!("{text:?} is not an ACLED time_precision code (1, 2 or 3)"),
                    )
                })?,
        ),
    };
    let fatalities: Option<u32> =
        row.number(header, "fatalities", "a whole number of deaths (0 or more)")?;
    if header.checks_only {
        let location = LocationPrecision {
            level: String::new(),
            geo_precision: area.code,
            radius_km: area.radius_km,
            basis: String::new(),
            where_prec: None,
        };
        return Ok(checked_only_event(
            EventOrigin::Acled,
            id,
            date,
            position,
            location,
        ));
    }

    let event_type = value("event_type");
    let sub_event_type = value("sub_event_type");
    let location_name = value("location");
    let admin1 = value("admin1");
    let country = value("country");
    let what = sub_event_type
        .as_deref()
        .or(event_type.as_deref())
        .unwrap_or("Event");
    let mut places: Vec<&str> = Vec::new();
    for place in [&location_name, &admin1, &country].into_iter().flatten() {
        if !places.contains(&place.as_str()) {
            places.push(place);
        }
        if places.len() == 2 {
            break;
        }
    }
    let title = if places.is_empty() {
        what.to_owned()
    } else {
        format!("{what} in {}", places.join(", "))
    };

    let location = LocationPrecision {
        level: area.level.to_owned(),
        geo_precision: area.code,
        radius_km: area.radius_km,
        basis: format!(
            "ACLED geo_precision {}: {}. The point is ACLED's; the {} km radius is Strikemap's \
             default for this code.",
            area.code, area.meaning, area.radius_km
        ),
        where_prec: None,
    };
    let mut properties = dataset_properties(EventOrigin::Acled, id.clone(), title, date, location);
    properties.time_precision = time_precision;
    properties.event_type = event_type;
    properties.sub_event_type = sub_event_type;
    properties.actor1 = value("actor1");
    properties.actor2 = value("actor2");
    properties.target_country = country.unwrap_or_default();
    properties.province = admin1.unwrap_or_default();
    properties.district = value("admin2").unwrap_or_default();
    properties.admin3 = value("admin3");
    properties.place_as_reported = location_name.unwrap_or_default();
    properties.notes = value("notes");

    let claim_note = match fatalities {
        Some(0) => {
            "ACLED's fatalities figure is 0; ACLED codes the most conservative figure, and 0 \
                    can mean that no deaths were reported"
        }
        Some(_) => "ACLED's fatalities figure: the most conservative reported count",
        None => "the row gives no fatalities figure",
    };
    properties.casualty_claims = vec![CasualtyClaim {
        claimant: EventOrigin::Acled.dataset_name().to_owned(),
        killed: fatalities.map(|count| Count {
            count,
            ..Count::default()
        }),
        injured: None,
        source: DATASET_SOURCE_KEY.to_owned(),
        note: Some(claim_note.to_owned()),
    }];
    let scale = value("source_scale")
        .map(|scale| format!(" (source scale: {scale})"))
        .unwrap_or_default();
    properties.sources = vec![dataset_source(
        value("source"),
        format!("Sources as listed by ACLED{scale}"),
        format!("ACLED export, event {id}"),
    )];
    properties.raw = row.raw_pairs(header);
    Ok(StrikeEvent {
        properties,
        date,
        position,
    })
}
