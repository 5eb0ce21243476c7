//! MGRS grid references, through the `geoconvert` crate. The text is checked here first, so the
//! crate only ever sees a well-formed reference and every message says what is wrong in the
//! user's terms.

use super::PositionError;
use crate::model::LonLat;

/// Letters of the UTM latitude bands (C to X without I and O).
const BANDS: &str = "CDEFGHJKLMNPQRSTUVWX";
/// Letters of the 100 km squares (A to Z without I and O).
const SQUARE_LETTERS: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Whether the text is meant as an MGRS reference: a zone number and a band letter (`41R`), or
/// a polar (UPS) band letter A, B, Y or Z, followed by letters.
pub(super) fn looks_like_mgrs(text: &str) -> bool {
    let compact: Vec<char> = text
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect();
    match compact.as_slice() {
        [first, ..] if first.is_ascii_digit() => {
            let digits = compact.iter().take_while(|c| c.is_ascii_digit()).count();
            let rest = &compact[digits..];
            // 27N62E is latitude and longitude: the band letter must be followed by a letter.
            matches!(rest, [band, square, ..]
                if band.is_ascii_alphabetic() && square.is_ascii_alphabetic())
        }
        [band, square, ..] => {
            matches!(band.to_ascii_uppercase(), 'A' | 'B' | 'Y' | 'Z')
                && square.is_ascii_alphabetic()
        }
        _ => false,
    }
}

/// Reads `41R PQ 12345 67890` (spaces optional; 1 to 5 digit pairs) as the centre of the square
/// it names.
pub(super) fn parse_mgrs(text: &str) -> Result<LonLat, PositionError> {
    let upper = text.to_ascii_uppercase();
    let groups: Vec<&str> = upper.split_whitespace().collect();
    let compact: String = groups.concat();
    let zone_digits = compact.chars().take_while(char::is_ascii_digit).count();
    let (zone_text, rest) = compact.split_at(zone_digits);
    let mut letters = rest.chars();
    let band = letters.next().unwrap_or(' ');
    if zone_digits > 2 {
        return Err(mgrs_error(
            text,
            format!("zone {zone_text} has more than two digits"),
        ));
    }
    if zone_digits > 0 {
        let zone: u32 = zone_text.parse().unwrap_or(0);
        if !(1..=60).contains(&zone) {
            return Err(mgrs_error(
                text,
                format!("zone {zone_text} is not a UTM zone (1 to 60)"),
            ));
        }
        if !BANDS.contains(band) {
            return Err(mgrs_error(
                text,
                format!("{band:?} is not a latitude band letter (C to X, without I and O)"),
            ));
        }
    }
    let square: String = letters.by_ref().take(2).collect();
    if square.chars().count() != 2 || !square.chars().all(|letter| SQUARE_LETTERS.contains(letter))
    {
        return Err(mgrs_error(
            text,
            format!(
                "{square:?} is not a 100 km square: two letters A to Z, without I and O, follow \
                 the zone and band"
            ),
        ));
    }
    let digits: String = letters.collect();
    if let Some(other) = digits.chars().find(|character| !character.is_ascii_digit()) {
        return Err(mgrs_error(
            text,
            format!("{other:?} where the easting and northing digits should be"),
        ));
    }
    // Separate easting and northing groups must be of one length.
    let digit_groups: Vec<&&str> = groups
        .iter()
        .filter(|group| group.chars().all(|character| character.is_ascii_digit()))
        .collect();
    if let [easting, northing] = digit_groups.as_slice()
        && easting.len() != northing.len()
    {
        return Err(mgrs_error(
            text,
            format!(
                "the easting {easting} and northing {northing} have different numbers of digits"
            ),
        ));
    }
    if digits.is_empty() {
        return Err(mgrs_error(
            text,
            "no easting and northing: give 1 to 5 digits of each after the square letters".into(),
        ));
    }
    if digits.len() % 2 == 1 {
        return Err(mgrs_error(
            text,
            format!(
                "{} digits: the easting and northing need as many digits each",
                digits.len()
            ),
        ));
    }
    if digits.len() > 10 {
        return Err(mgrs_error(
            text,
            format!(
                "{} digits: at most 5 each for the easting and northing (1 m)",
                digits.len()
            ),
        ));
    }
    let reference = geoconvert::Mgrs::parse_str(&compact)
        .map_err(|error| mgrs_error(text, crate_message(&error)))?;
    let point = reference.to_latlon();
    let (lat, lon) = (point.latitude(), point.longitude());
    if !(lat.is_finite() && lon.is_finite()) {
        return Err(mgrs_error(
            text,
            "does not name a point on the Earth".into(),
        ));
    }
    Ok(LonLat { lon, lat })
}

fn crate_message(error: &geoconvert::Error) -> String {
    match error {
        geoconvert::Error::InvalidMgrs(message) => message.clone(),
        other => other.to_string(),
    }
}

fn mgrs_error(text: &str, message: String) -> PositionError {
    PositionError::new(format!("MGRS {:?}: {message}", text.trim()))
}

/// The position as an MGRS reference to 1 m, `41R PQ 12345 67890` (UTM zones with the Norway and
/// Svalbard exceptions; UPS near the poles). `None` for a position that is not finite or is out
/// of range.
pub fn format_mgrs(position: LonLat) -> Option<String> {
    crate::formats::event_schema::checked_lon_lat(position.lon, position.lat).ok()?;
    // geoconvert takes longitudes in -180..180 (180 itself excluded).
    let lon = if position.lon >= 180.0 {
        -180.0
    } else {
        position.lon
    };
    // geoconvert 1.0.2 panics on a latitude of exactly 0 and puts -0.0 1 km off; a hundredth of
    // a millimetre north names the same 1 m square (band N, northing 00000).
    let lat = if position.lat == 0.0 {
        1e-10
    } else {
        position.lat
    };
    let point = geoconvert::LatLon::create(lat, lon).ok()?;
    // Its writer asserts on inputs it thinks impossible; a panic there must not take the
    // caller down with it.
    let compact = std::panic::catch_unwind(|| point.to_mgrs(5).to_string()).ok()?;
    // Zone digits (none for UPS), band, two square letters, then the digits in two halves.
    let zone_digits = compact.chars().take_while(char::is_ascii_digit).count();
    let (head, digits) = compact.split_at_checked(zone_digits + 3)?;
    let (zone_and_band, square) = head.split_at_checked(zone_digits + 1)?;
    let (easting, northing) = digits.split_at_checked(digits.len() / 2)?;
    Some(format!("{zone_and_band} {square} {easting} {northing}"))
}
