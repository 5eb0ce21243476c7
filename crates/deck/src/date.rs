//! The PDF's creation date: now (UTC), or `SOURCE_DATE_EPOCH` for reproducible output.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UtcDateTime {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// Seconds since 1970-01-01T00:00Z: `SOURCE_DATE_EPOCH` when set to a number, else the clock.
pub(crate) fn now_unix_seconds() -> i64 {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        return secs;
    }
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// The UTC date and time `secs` seconds after the Unix epoch (proleptic Gregorian calendar).
pub(crate) fn utc_from_unix(secs: i64) -> UtcDateTime {
    let date = strikemap_core::model::Date::from_days_since_unix_epoch(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    // Every value below is in range by construction (hour < 24, minute and second < 60).
    let small = |v: i64| u8::try_from(v).unwrap_or(0);
    UtcDateTime {
        year: i64::from(date.year),
        month: date.month,
        day: date.day,
        hour: small(of_day / 3600),
        minute: small(of_day % 3600 / 60),
        second: small(of_day % 60),
    }
}

/// Now as W3CDTF (`2024-01-16T18:30:05Z`), for a PowerPoint file's properties.
pub(crate) fn w3c_now() -> String {
    let d = utc_from_unix(now_unix_seconds());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year, d.month, d.day, d.hour, d.minute, d.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let d = utc_from_unix(0);
        assert_eq!((d.year, d.month, d.day, d.hour), (1970, 1, 1, 0));
        // 2024-01-16T18:30:05Z, the evening of the Panjgur strike.
        let d = utc_from_unix(1_705_429_805);
        assert_eq!(
            (d.year, d.month, d.day, d.hour, d.minute, d.second),
            (2024, 1, 16, 18, 30, 5)
        );
        // Leap day.
        let d = utc_from_unix(1_709_164_800);
        assert_eq!((d.year, d.month, d.day), (2024, 2, 29));
        let d = utc_from_unix(-1);
        assert_eq!(
            (d.year, d.month, d.day, d.hour, d.minute, d.second),
            (1969, 12, 31, 23, 59, 59)
        );
    }
}
