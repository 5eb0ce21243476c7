//! Calendar dates as reported, and date ranges as a briefer writes them.

use std::fmt;

/// A calendar date as reported (`YYYY-MM-DD`). Kept tiny on purpose: the app only needs to
/// order, compare and print dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    /// A date from its parts, checking that the day exists in that month.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Self, String> {
        if !(1..=9999).contains(&year) {
            return Err(format!("year {year} is outside 1 to 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is outside 1 to 12"));
        }
        let days_in_month = days_in_month(year, month);
        if day == 0 || day > days_in_month {
            return Err(format!(
                "day {day} does not exist: that month has {days_in_month} days"
            ));
        }
        Ok(Self {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// `YYYY-MM-DD`, the form [`Date::parse_iso`] reads and the data files store.
    pub fn to_iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Parses `YYYY-MM-DD`, checking that the day exists in that month.
    pub fn parse_iso(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let [year, month, day] = parts.as_slice() else {
            return Err(format!("date {text:?} is not in the form YYYY-MM-DD"));
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(format!("date {text:?} is not in the form YYYY-MM-DD"));
        }
        let number = |part: &str| -> Result<u32, String> {
            part.parse::<u32>()
                .map_err(|_| format!("date {text:?} has a non-numeric part {part:?}"))
        };
        let (year, month, day) = (number(year)?, number(month)?, number(day)?);
        if !(1..=12).contains(&month) {
            return Err(format!("date {text:?} has month {month}, expected 1 to 12"));
        }
        let days_in_month = days_in_month(year as i32, month);
        if day == 0 || day > days_in_month {
            return Err(format!(
                "date {text:?} has day {day}, but that month has {days_in_month} days"
            ));
        }
        Ok(Self {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The civil date `days` days after 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_days_since_unix_epoch(days: i64) -> Self {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Self {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }

    /// Days since 1970-01-01; the inverse of [`Date::from_days_since_unix_epoch`].
    pub fn days_since_unix_epoch(&self) -> i64 {
        let (year, month, day) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month_index = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * month_index + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Self {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Self::from_days_since_unix_epoch((seconds / 86_400) as i64)
    }

    /// The next day.
    pub fn next_day(&self) -> Self {
        Self::from_days_since_unix_epoch(self.days_since_unix_epoch() + 1)
    }

    pub fn month_abbreviation(&self) -> &'static str {
        MONTH_ABBREVIATIONS
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or("???")
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Prints as a briefer writes it: `16 Jan 2024`.
/// A date range as a briefer writes it: "16–18 Jan 2024", "30 Jan – 2 Feb 2024",
/// "30 Dec 2023 – 2 Jan 2024", or one date when start and end are the same day.
pub fn format_date_range(start: Date, end: Date) -> String {
    let (start, end) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    if start == end {
        start.to_string()
    } else if start.year != end.year {
        format!("{start} – {end}")
    } else if start.month != end.month {
        format!("{} {} – {end}", start.day, start.month_abbreviation())
    } else {
        format!("{}–{end}", start.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.day,
            self.month_abbreviation(),
            self.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_dates() {
        let date = Date::parse_iso("2024-01-16").unwrap();
        assert_eq!(date.to_string(), "16 Jan 2024");
        assert!(Date::parse_iso("2024-02-30").is_err());
        assert!(Date::parse_iso("2024-13-01").is_err());
        assert!(Date::parse_iso("16 Jan 2024").is_err());
        assert!(Date::parse_iso("2024-1-16").is_err());
        assert!(Date::parse_iso("2024-02-29").is_ok());
        assert!(Date::parse_iso("2023-02-29").is_err());
    }

    #[test]
    fn days_since_epoch_round_trip() {
        assert_eq!(
            Date::from_days_since_unix_epoch(0).to_string(),
            "1 Jan 1970"
        );
        let date = Date::parse_iso("2024-01-16").unwrap();
        assert_eq!(date.days_since_unix_epoch(), 19_738);
        assert_eq!(Date::from_days_since_unix_epoch(19_738), date);
        assert_eq!(
            Date::parse_iso("2024-02-28")
                .unwrap()
                .next_day()
                .to_string(),
            "29 Feb 2024"
        );
        assert_eq!(
            Date::parse_iso("2023-12-31")
                .unwrap()
                .next_day()
                .to_string(),
            "1 Jan 2024"
        );
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(
                Date::from_days_since_unix_epoch(days).days_since_unix_epoch(),
                days
            );
        }
    }

    #[test]
    fn date_ranges_read_like_a_briefer_writes_them() {
        let d = |text| Date::parse_iso(text).unwrap();
        assert_eq!(
            format_date_range(d("2024-01-16"), d("2024-01-18")),
            "16–18 Jan 2024"
        );
        assert_eq!(
            format_date_range(d("2024-01-18"), d("2024-01-16")),
            "16–18 Jan 2024"
        );
        assert_eq!(
            format_date_range(d("2024-01-30"), d("2024-02-02")),
            "30 Jan – 2 Feb 2024"
        );
        assert_eq!(
            format_date_range(d("2023-12-30"), d("2024-01-02")),
            "30 Dec 2023 – 2 Jan 2024"
        );
        assert_eq!(
            format_date_range(d("2024-01-16"), d("2024-01-16")),
            "16 Jan 2024"
        );
    }
}
