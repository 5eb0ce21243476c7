//! UCDP Georeferenced Event Dataset (GED) CSV. Each row becomes one event; `best`, `low` and
//! `high` become one casualty claim by "UCDP GED" (best as the count, low and high as its range),
//! citing a source built from `source_article`. `side_a` and `side_b` become the two actors, not
//! attacker and defender. `where_prec` 1–7 maps to a radius, `date_prec` and `date_end` are kept.
//! A second header row of HXL hashtags, as some re-publications add, is not data.

use super::csv_table::{CsvHeader, CsvRow, CsvTable, RowProblem};
use super::dataset::{
    DATASET_SOURCE_KEY, DatasetEvents, checked_only_event, dataset_properties, dataset_source,
    read_event_rows, require_columns,
};
use super::dates::parse_dataset_date;
use super::detect::DetectedFormat;
use super::detect::csv_format_of;
use super::event_schema::range_problem;
use super::precision::{ucdp_date_prec_meaning, ucdp_where_prec};
use crate::error::LoadError;
use crate::model::{CasualtyClaim, Count, EventOrigin, LocationPrecision, StrikeEvent};

/// Columns every UCDP GED row must have.
pub const UCDP_REQUIRED_COLUMNS: [&str; 6] = [
    "id",
    "date_start",
    "latitude",
    "longitude",
    "where_prec",
    "best",
];

/// UCDP `type_of_violence` in words.
pub fn type_of_violence_name(code: u8) -> Option<&'static str> {
    match code {
        1 => Some("State-based conflict"),
        2 => Some("Non-state conflict"),
        3 => Some("One-sided violence"),
        _ => None,
    }
}

/// Parses a UCDP GED CSV. Rows that cannot be used are skipped with their line and column.
pub fn parse_ucdp_csv(file: &str, text: &str) -> Result<DatasetEvents, LoadError> {
    let whole = text;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut table = CsvTable::open(file, text)?;
    if csv_format_of(&table.header) != Some(DetectedFormat::UcdpGedCsv) {
        return Err(LoadError::Document {
            file: file.to_owned(),
            message: "the header is not a UCDP GED header (id, date_start, latitude, longitude, \
                      where_prec, best, …)"
                .into(),
        });
    }
    require_columns(
        file,
        &table.header,
        DetectedFormat::UcdpGedCsv,
        &UCDP_REQUIRED_COLUMNS,
    )?;
    read_event_rows(file, DetectedFormat::UcdpGedCsv, &mut table, ucdp_event)
        .map(|read| read.starting_at((whole.len() - text.len()) as u64))
}

fn code(
    row: &CsvRow,
    header: &CsvHeader,
    key: &str,
    valid: impl Fn(u8) -> bool,
    codes: &str,
) -> Result<Option<u8>, RowProblem> {
    row.value(header, key)
        .map(|text| {
            text.parse::<u8>()
                .ok()
                .filter(|code| valid(*code))
                .ok_or_else(|| RowProblem::new(key, format!("{text:?} is not {codes}")))
        })
        .transpose()
}

pub(crate) fn ucdp_event(row: &CsvRow, header: &CsvHeader) -> Result<StrikeEvent, RowProblem> {
    let value = |key: &str| row.value(header, key).map(str::to_owned);
    let id = row.required(header, "id")?.to_owned();
    let date = parse_dataset_date(row.required(header, "date_start")?)
        .map_err(|reason| RowProblem::new("date_start", reason))?;
    let date_end = row
        .value(header, "date_end")
        .map(|text| parse_dataset_date(text).map_err(|reason| RowProblem::new("date_end", reason)))
        .transpose()?;
    if let Some(end) = date_end
        && end < date
    {
        return Err(RowProblem::new(
            "date_end",
            format!("{end} is before date_start {date}"),
        ));
    }
    let position = row.lon_lat(header, "longitude", "latitude")?;
    let where_prec = code(
        row,
        header,
        "where_prec",
        |code| ucdp_where_prec(code).is_some(),
        "a UCDP where_prec code (1 to 7)",
    )?
    .ok_or_else(|| {
        RowProblem::new(
            "where_prec",
            "is empty or NA; this column is required".into(),
        )
    })?;
    let area = ucdp_where_prec(where_prec)
        .ok_or_else(|| RowProblem::new("where_prec", format!("{where_prec} is not 1 to 7")))?;
    let date_prec = code(
        row,
        header,
        "date_prec",
        |code| ucdp_date_prec_meaning(code).is_some(),
        "a UCDP date_prec code (1 to 5)",
    )?;
    let violence = code(
        row,
        header,
        "type_of_violence",
        |code| type_of_violence_name(code).is_some(),
        "a UCDP type_of_violence code (1, 2 or 3)",
    )?;

    let deaths = |key: &str| row.number::<u32>(header, key, "a whole number of deaths (0 or more)");
    let best = deaths("best")?
        .ok_or_else(|| RowProblem::new("best", "is empty or NA; this column is required".into()))?;
    let killed = Count {
        count: best,
        low: deaths("low")?,
        high: deaths("high")?,
        ..Count::default()
    };
    if let Some(reason) = range_problem(&killed) {
        let column = if killed.low.is_some_and(|low| low > best) {
            "low"
        } else {
            "high"
        };
        return Err(RowProblem::new(column, reason));
    }
    let mut parts = Vec::new();
    for (key, label) in [
        ("deaths_a", "side A"),
        ("deaths_b", "side B"),
        ("deaths_civilians", "civilians"),
        ("deaths_unknown", "unknown"),
    ] {
        if let Some(count) = deaths(key)? {
            parts.push(format!("{label} {count}"));
        }
    }
    if header.checks_only {
        let location = LocationPrecision {
            level: String::new(),
            geo_precision: area.acled_equivalent,
            radius_km: area.radius_km,
            basis: String::new(),
            where_prec: Some(area.code),
        };
        return Ok(checked_only_event(
            EventOrigin::UcdpGed,
            id,
            date,
            position,
            location,
        ));
    }
    let mut claim_note = "UCDP GED best estimate; low and high are UCDP's own range".to_owned();
    if !parts.is_empty() {
        claim_note.push_str(&format!(". Best estimate by party: {}", parts.join(", ")));
    }

    let where_description = value("where_description");
    let heading = value("conflict_name")
        .or_else(|| value("dyad_name"))
        .or_else(|| violence.and_then(type_of_violence_name).map(str::to_owned))
        .unwrap_or_else(|| "UCDP GED event".to_owned());
    let place = where_description
        .clone()
        .or_else(|| value("adm_1"))
        .or_else(|| value("country"));
    let title = match &place {
        Some(place) => format!("{heading}: {place}"),
        None => heading,
    };

    let location = LocationPrecision {
        level: area.level.to_owned(),
        geo_precision: area.acled_equivalent,
        radius_km: area.radius_km,
        basis: format!(
            "UCDP where_prec {}: {}. The point is UCDP's; the {} km radius is Strikemap's default \
             for this code (ACLED-scale equivalent: geo_precision {}).",
            area.code, area.meaning, area.radius_km, area.acled_equivalent
        ),
        where_prec: Some(area.code),
    };
    let mut properties =
        dataset_properties(EventOrigin::UcdpGed, id.clone(), title, date, location);
    properties.date_end = date_end.map(|end| end.to_iso());
    properties.date_prec = date_prec;
    properties.event_type = violence.and_then(type_of_violence_name).map(str::to_owned);
    properties.actor1 = value("side_a");
    properties.actor2 = value("side_b");
    properties.target_country = value("country").unwrap_or_default();
    properties.province = value("adm_1").unwrap_or_default();
    properties.district = value("adm_2").unwrap_or_default();
    properties.place_as_reported = where_description.unwrap_or_default();
    properties.casualty_claims = vec![CasualtyClaim {
        claimant: EventOrigin::UcdpGed.dataset_name().to_owned(),
        killed: Some(killed),
        injured: None,
        source: DATASET_SOURCE_KEY.to_owned(),
        note: Some(claim_note),
    }];
    let count_note = value("number_of_sources")
        .map(|count| format!(" ({count} sources)"))
        .unwrap_or_default();
    properties.sources = vec![dataset_source(
        value("source_article"),
        format!("Sources as listed by UCDP GED{count_note}"),
        format!("UCDP GED, event {id}"),
    )];
    properties.raw = row.raw_pairs(header);
    Ok(StrikeEvent {
        properties,
        date,
        position,
    })
}
