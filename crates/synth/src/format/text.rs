//! Text in the outputs: JSON strings escaped per RFC 8259, CSV fields quoted per RFC 4180, and
//! dates.

use std::fmt::Write as _;

use crate::world::civil_from_days;

/// Appends `text` as a JSON string literal.
pub fn json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Appends `text` as a CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for part in text.split_inclusive('"') {
            out.push_str(part);
            if part.ends_with('"') {
                out.push('"');
            }
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

pub(super) fn push_date(out: &mut String, day: i64) {
    let date = civil_from_days(day);
    let _ = write!(out, "{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        json_string(&mut out, "a \"b\" \\ c\nd\u{1}é");
        assert_eq!(out, r#""a \"b\" \\ c\nd\u0001é""#);
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        csv_field(&mut out, "plain");
        out.push('|');
        csv_field(&mut out, "a, \"b\"");
        out.push('|');
        csv_field(&mut out, "\"");
        assert_eq!(out, "plain|\"a, \"\"b\"\"\"|\"\"\"\"");
    }
}
