//! Numbers as text, as JavaScript writes them (shared by values and colours).

/// A number as JavaScript's `String(x)` writes it (close enough for labels).
pub fn number_to_string(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if x == 0.0 {
        "0".to_string()
    } else {
        format!("{x}")
    }
}
