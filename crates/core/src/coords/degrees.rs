//! Latitude and longitude typed as decimal degrees or degrees-minutes-seconds.

use super::PositionError;
use crate::model::LonLat;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    Degrees,
    Minutes,
    Seconds,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Hemisphere {
    North,
    South,
    East,
    West,
}

impl Hemisphere {
    fn is_latitude(self) -> bool {
        matches!(self, Self::North | Self::South)
    }

    fn is_negative(self) -> bool {
        matches!(self, Self::South | Self::West)
    }

    fn letter(self) -> char {
        match self {
            Self::North => 'N',
            Self::South => 'S',
            Self::East => 'E',
            Self::West => 'W',
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(f64, String),
    Unit(Unit),
    Hemisphere(Hemisphere),
    Minus,
    Plus,
    Separator,
}

/// One of the two coordinates, before it is known which is which.
struct Coordinate {
    value: f64,
    hemisphere: Option<Hemisphere>,
    text: String,
}

pub(super) fn parse_degrees(text: &str) -> Result<LonLat, PositionError> {
    let tokens = tokenize(text)?;
    let (first, second) = split_coordinates(&tokens)?;
    let first = coordinate(first, "first")?;
    let second = coordinate(second, "second")?;
    let (lat, lon) = match (first.hemisphere, second.hemisphere) {
        (Some(a), Some(b)) if a.is_latitude() == b.is_latitude() => {
            return Err(PositionError::new(format!(
                "both coordinates have {} letters ({} and {}): give one of N/S and one of E/W",
                if a.is_latitude() { "N/S" } else { "E/W" },
                a.letter(),
                b.letter()
            )));
        }
        (Some(a), _) if !a.is_latitude() => (second, first),
        (None, Some(b)) if b.is_latitude() => (second, first),
        _ => (first, second),
    };
    if !(-90.0..=90.0).contains(&lat.value) {
        return Err(PositionError::new(format!(
            "latitude {} is outside -90..90 (without N/S/E/W letters the latitude comes first)",
            lat.text
        )));
    }
    if !(-180.0..=180.0).contains(&lon.value) {
        return Err(PositionError::new(format!(
            "longitude {} is outside -180..180",
            lon.text
        )));
    }
    Ok(LonLat {
        lon: lon.value,
        lat: lat.value,
    })
}

fn tokenize(text: &str) -> Result<Vec<Token>, PositionError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((index, character)) = chars.next() {
        let token = match character {
            '0'..='9' | '.' => {
                let mut number = String::from(character);
                while let Some(&(_, next)) = chars.peek() {
                    if next.is_ascii_digit() || next == '.' {
                        number.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let value = number
                    .parse::<f64>()
                    .ok()
                    .filter(|value| value.is_finite())
                    .ok_or_else(|| PositionError::new(format!("{number:?} is not a number")))?;
                Token::Number(value, number)
            }
            '°' | 'º' | 'd' | 'D' => Token::Unit(Unit::Degrees),
            '\'' | '′' | '’' | '‘' | '´' | 'm' | 'M' => {
                if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                    chars.next();
                    Token::Unit(Unit::Seconds)
                } else {
                    Token::Unit(Unit::Minutes)
                }
            }
            '"' | '″' | '”' | '“' => Token::Unit(Unit::Seconds),
            // `s` right after the number that follows a minutes mark is seconds: 27d05m32s.
            's' | 'S' if is_seconds_letter(&tokens) => Token::Unit(Unit::Seconds),
            'n' | 'N' => Token::Hemisphere(Hemisphere::North),
            's' | 'S' => Token::Hemisphere(Hemisphere::South),
            'e' | 'E' => Token::Hemisphere(Hemisphere::East),
            'w' | 'W' => Token::Hemisphere(Hemisphere::West),
            '-' | '−' | '–' => Token::Minus,
            '+' => Token::Plus,
            ',' | ';' | '/' => Token::Separator,
            character if character.is_whitespace() => continue,
            other => {
                return Err(PositionError::new(format!(
                    "unexpected {other:?} at character {}: a position is decimal degrees \
                     (27.37, 62.33), degrees-minutes-seconds (27°22'16\"N 62°19'59\"E) or an \
                     MGRS reference (41R PQ 12345 67890)",
                    text[..index].chars().count() + 1
                )));
            }
        };
        tokens.push(token);
    }
    Ok(tokens)
}

fn is_seconds_letter(tokens: &[Token]) -> bool {
    matches!(tokens, [.., Token::Unit(Unit::Minutes), Token::Number(..)])
}

/// Splits the tokens into the two coordinates.
fn split_coordinates(tokens: &[Token]) -> Result<(&[Token], &[Token]), PositionError> {
    let separators: Vec<usize> = positions(tokens, |token| *token == Token::Separator);
    if !separators.is_empty() {
        let [at] = separators.as_slice() else {
            return Err(PositionError::new(format!(
                "{} separators (commas, semicolons or slashes): expected one between latitude \
                 and longitude",
                separators.len()
            )));
        };
        return Ok((&tokens[..*at], &tokens[at + 1..]));
    }
    let hemispheres = positions(tokens, |token| matches!(token, Token::Hemisphere(_)));
    let numbers = positions(tokens, |token| matches!(token, Token::Number(..)));
    if let (Some(&first_hemisphere), Some(&first_number)) = (hemispheres.first(), numbers.first()) {
        // N 27 22 16 E 62 19 59: each letter starts a coordinate; 27 22 16 N 62 19 59 E: each
        // letter ends one.
        let at = if first_hemisphere < first_number {
            hemispheres.get(1).copied()
        } else {
            Some(first_hemisphere + 1)
        };
        if let Some(at) = at.filter(|&at| at < tokens.len()) {
            return Ok((&tokens[..at], &tokens[at..]));
        }
    }
    let degree_marks = positions(tokens, |token| *token == Token::Unit(Unit::Degrees));
    if let Some(&second_mark) = degree_marks.get(1) {
        // The second coordinate starts at the number before its degree mark (and its sign).
        let mut at = second_mark.saturating_sub(1);
        if at > 0 && matches!(tokens[at - 1], Token::Minus | Token::Plus) {
            at -= 1;
        }
        return Ok((&tokens[..at], &tokens[at..]));
    }
    match numbers.len() {
        2 | 4 | 6 => {
            let mut at = numbers[numbers.len() / 2];
            if at > 0 && matches!(tokens[at - 1], Token::Minus | Token::Plus) {
                at -= 1;
            }
            Ok((&tokens[..at], &tokens[at..]))
        }
        0 => Err(PositionError::new("no numbers in the position")),
        1 => Err(PositionError::new(
            "only one number: give a latitude and a longitude",
        )),
        count => Err(PositionError::new(format!(
            "{count} numbers, which cannot be split into a latitude and a longitude: separate \
             them with a comma or add N/S/E/W"
        ))),
    }
}

fn positions(tokens: &[Token], wanted: impl Fn(&Token) -> bool) -> Vec<usize> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| wanted(token))
        .map(|(index, _)| index)
        .collect()
}

/// Reads one coordinate: a sign or hemisphere, then degrees, minutes and seconds (each number's
/// unit given or implied by its place), then perhaps a hemisphere.
fn coordinate(tokens: &[Token], which: &str) -> Result<Coordinate, PositionError> {
    let mut hemisphere: Option<Hemisphere> = None;
    let mut negative = false;
    let mut signed = false;
    let mut parts: Vec<(f64, &str, Unit)> = Vec::new();
    let mut text = String::new();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            Token::Hemisphere(letter) => {
                if let Some(earlier) = hemisphere {
                    return Err(PositionError::new(format!(
                        "the {which} coordinate has two hemisphere letters ({} and {})",
                        earlier.letter(),
                        letter.letter()
                    )));
                }
                hemisphere = Some(*letter);
            }
            Token::Minus | Token::Plus => {
                if signed || !parts.is_empty() {
                    return Err(PositionError::new(format!(
                        "the {which} coordinate has a sign that is not in front of it"
                    )));
                }
                signed = true;
                negative = *token == Token::Minus;
            }
            Token::Number(value, number) => {
                let unit = match tokens.get(index + 1) {
                    Some(Token::Unit(unit)) => *unit,
                    _ => match parts.last() {
                        None => Unit::Degrees,
                        Some((_, _, Unit::Degrees)) => Unit::Minutes,
                        Some(_) => Unit::Seconds,
                    },
                };
                if let Some((_, _, previous)) = parts.last()
                    && unit_rank(unit) <= unit_rank(*previous)
                {
                    return Err(PositionError::new(format!(
                        "the {which} coordinate has {} after {}",
                        unit_name(unit),
                        unit_name(*previous)
                    )));
                }
                parts.push((*value, number, unit));
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(number);
            }
            Token::Unit(_) => {
                if !matches!(tokens.get(index.wrapping_sub(1)), Some(Token::Number(..))) {
                    return Err(PositionError::new(format!(
                        "the {which} coordinate has a degree, minute or second mark without a \
                         number before it"
                    )));
                }
            }
            Token::Separator => {}
        }
    }
    let value = dms_value(&parts, which)?;
    if let Some(letter) = hemisphere {
        if negative {
            return Err(PositionError::new(format!(
                "the {which} coordinate has both a minus sign and {}: use one",
                letter.letter()
            )));
        }
        negative = letter.is_negative();
        text.push(' ');
        text.push(letter.letter());
    }
    if negative {
        text.insert(0, '-');
    }
    Ok(Coordinate {
        value: if negative { -value } else { value },
        hemisphere,
        text,
    })
}

fn dms_value(parts: &[(f64, &str, Unit)], which: &str) -> Result<f64, PositionError> {
    let Some(&(degrees, degrees_text, first_unit)) = parts.first() else {
        return Err(PositionError::new(format!(
            "the {which} coordinate has no number"
        )));
    };
    if first_unit != Unit::Degrees {
        return Err(PositionError::new(format!(
            "the {which} coordinate starts with {}, not degrees",
            unit_name(first_unit)
        )));
    }
    let mut value = degrees;
    let mut previous_text = degrees_text;
    for &(part, part_text, unit) in &parts[1..] {
        if previous_text.contains('.') {
            return Err(PositionError::new(format!(
                "the {which} coordinate has a fraction ({previous_text}) before {}: only the \
                 last part may have decimals",
                unit_name(unit)
            )));
        }
        if part >= 60.0 {
            return Err(PositionError::new(format!(
                "{} {part_text} in the {which} coordinate: expected less than 60",
                unit_name(unit)
            )));
        }
        value += match unit {
            Unit::Minutes => part / 60.0,
            _ => part / 3600.0,
        };
        previous_text = part_text;
    }
    Ok(value)
}

fn unit_rank(unit: Unit) -> u8 {
    match unit {
        Unit::Degrees => 0,
        Unit::Minutes => 1,
        Unit::Seconds => 2,
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Degrees => "degrees",
        Unit::Minutes => "minutes",
        Unit::Seconds => "seconds",
    }
}
