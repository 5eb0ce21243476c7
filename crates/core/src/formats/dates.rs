//! The date forms found in ACLED and UCDP exports: ISO ("2024-01-16", with or without a time),
//! "16 January 2024", "16-January-2024", "16-Jan-24", "January 16, 2024", spreadsheet forms
//! ("16/01/2024", "1/16/2024", "2024/01/16") and spreadsheet serial numbers ("45307").

use crate::model::Date;

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// How a numeric date whose first two numbers could each be the day or the month is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AmbiguousDates {
    /// Refused, as nothing tells which comes first.
    #[default]
    Refused,
    /// Day first (dd/mm/yyyy): the file's era is known to have written them so.
    DayFirst,
}

/// Parses a dataset date. Numeric day/month orders are read only when they are unambiguous
/// (one part above 12, or both equal); otherwise the error says so rather than guess.
pub fn parse_dataset_date(text: &str) -> Result<Date, String> {
    parse_dataset_date_reading(text, AmbiguousDates::Refused).map(|(date, _)| date)
}

/// Parses a dataset date, an ambiguous numeric one as `ambiguous` says; the flag is true when
/// that convention decided the date (false for every date that reads one way only).
pub fn parse_dataset_date_reading(
    text: &str,
    ambiguous: AmbiguousDates,
) -> Result<(Date, bool), String> {
    let trimmed = text.trim();
    let fail = |why: &str| Err(format!("{trimmed:?} is not a date: {why}"));
    if trimmed.is_empty() {
        return fail("it is empty");
    }
    // ISO with a time part: "2024-01-16 00:00:00.000", "2024-01-16T00:00:00Z".
    let date_part = trimmed
        .split([' ', 'T'])
        .next()
        .filter(|first| first.len() == 10 && first.as_bytes().get(4) == Some(&b'-'))
        .unwrap_or(trimmed);
    if let Ok(date) = Date::parse_iso(date_part) {
        return Ok((date, false));
    }
    if trimmed.len() <= 6 && trimmed.bytes().all(|byte| byte.is_ascii_digit()) {
        return spreadsheet_serial(trimmed)
            .map(|date| (date, false))
            .ok_or(())
            .or_else(|()| fail("a number, but not a spreadsheet date serial (20000 to 80000)"));
    }
    let parts: Vec<&str> = trimmed
        .split([' ', '-', '/', '.', ','])
        .filter(|part| !part.is_empty())
        .collect();
    let [first, second, third] = parts.as_slice() else {
        return fail("expected a day, a month and a year");
    };
    let numeric = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit()) && part.len() <= 4;
    let outcome = if numeric(first) && numeric(second) && numeric(third) {
        numeric_date(first, second, third, ambiguous)
    } else if numeric(first) && numeric(third) {
        // 16 January 2024, 16-Jan-24
        month_number(second)
            .ok_or_else(|| format!("{second:?} is not a month name"))
            .and_then(|month| from_parts(third, month, first))
            .map(|date| (date, false))
    } else if numeric(second) && numeric(third) {
        // January 16, 2024
        month_number(first)
            .ok_or_else(|| format!("{first:?} is not a month name"))
            .and_then(|month| from_parts(third, month, second))
            .map(|date| (date, false))
    } else {
        Err("expected a day, a month and a year".to_owned())
    };
    outcome.map_err(|why| format!("{trimmed:?} is not a date: {why}"))
}

fn numeric_date(
    first: &str,
    second: &str,
    third: &str,
    ambiguous: AmbiguousDates,
) -> Result<(Date, bool), String> {
    let number = |part: &str| {
        part.parse::<u32>()
            .map_err(|_| format!("{part:?} is not a number"))
    };
    if first.len() == 4 {
        // 2024/01/16
        return from_parts(first, number(second)?, third).map(|date| (date, false));
    }
    let (a, b) = (number(first)?, number(second)?);
    let one_way = |date: Result<Date, String>| date.map(|date| (date, false));
    match (a > 12, b > 12) {
        (true, true) => Err("neither of the first two numbers can be a month".to_owned()),
        (true, false) => one_way(from_parts(third, b, first)),
        (false, true) => one_way(from_parts(third, a, second)),
        (false, false) if a == b => one_way(from_parts(third, a, first)),
        (false, false) => match ambiguous {
            AmbiguousDates::DayFirst => from_parts(third, b, first).map(|date| (date, true)),
            AmbiguousDates::Refused => Err(format!(
                "day and month are ambiguous ({a}/{b} could be either); export dates as \
                 YYYY-MM-DD"
            )),
        },
    }
}

/// A date from a year text (4 digits, or 2 digits: 70–99 → 19xx, 00–69 → 20xx), a month number and
/// a day text.
fn from_parts(year: &str, month: u32, day: &str) -> Result<Date, String> {
    let year_number: i32 = year
        .parse()
        .map_err(|_| format!("year {year:?} is not a number"))?;
    let year_number = match year.len() {
        4 => year_number,
        2 if year_number >= 70 => 1900 + year_number,
        2 => 2000 + year_number,
        _ => return Err(format!("year {year:?} has neither 2 nor 4 digits")),
    };
    let day: u32 = day
        .parse()
        .map_err(|_| format!("day {day:?} is not a number"))?;
    Date::from_ymd(year_number, month, day)
}

/// 1 to 12 for a full or three-letter English month name, any case ("Sept" too).
fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|month| month.starts_with(&lower) || (lower == "sept" && *month == "september"))
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// A spreadsheet serial day number (days since 1899-12-30, as Excel and LibreOffice count from
/// 1900-03-01 on), accepted from 20000 (1954) to 80000 (2119).
fn spreadsheet_serial(text: &str) -> Option<Date> {
    let serial: i64 = text.parse().ok()?;
    if !(20_000..=80_000).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01: 1899-12-30 is day -25569.
    Some(Date::from_days_since_unix_epoch(serial - 25_569))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> String {
        parse_dataset_date(text)
            .unwrap_or_else(|error| panic!("{error}"))
            .to_iso()
    }

    #[test]
    fn reads_the_acled_forms() {
        for text in [
            "2024-01-16",
            "16 January 2024",
            "16-January-2024",
            "16-Jan-24",
            "16 jan 2024",
            "January 16, 2024",
            "16/01/2024",
            "1/16/2024",
            "2024/01/16",
            "16.01.2024",
            "45307",
            " 2024-01-16 ",
        ] {
            assert_eq!(iso(text), "2024-01-16", "{text}");
        }
    }

    #[test]
    fn reads_ucdp_timestamps_and_old_two_digit_years() {
        assert_eq!(iso("2024-01-18 00:00:00.000"), "2024-01-18");
        assert_eq!(iso("2024-01-18T00:00:00Z"), "2024-01-18");
        assert_eq!(iso("05-Sep-98"), "1998-09-05");
        assert_eq!(iso("05-Sept-1998"), "1998-09-05");
        assert_eq!(iso("3/3/2024"), "2024-03-03");
    }

    #[test]
    fn refuses_ambiguous_and_impossible_dates() {
        let error = parse_dataset_date("03/04/2024").unwrap_err();
        assert!(error.contains("ambiguous"), "{error}");
        let error = parse_dataset_date("30 February 2024").unwrap_err();
        assert!(error.contains("day 30 does not exist"), "{error}");
        for text in [
            "",
            "NA",
            "16 Janvier 2024",
            "2024",
            "99999999",
            "16-13-2024x",
            "13/13/2024",
        ] {
            assert!(parse_dataset_date(text).is_err(), "{text}");
        }
    }

    #[test]
    fn serial_numbers_follow_the_spreadsheet_epoch() {
        assert_eq!(iso("45292"), "2024-01-01");
        assert_eq!(iso("36526"), "2000-01-01");
        assert!(parse_dataset_date("12").is_err());
    }
}
