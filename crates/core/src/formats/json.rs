//! JSON parsing with errors that name the place: line:column and the JSON path of the value
//! that did not fit, with a hint for the words people expect JSON to accept.

use crate::error::LoadError;

/// Parses JSON text into `T`, turning serde's errors into [`LoadError`]s with line:column and the
/// JSON path of the value that did not fit.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        explain_syntax_error(json_error(file, &field, &inner), text)
    })?;
    deserializer
        .end()
        .map_err(|error| json_error(file, "", &error))?;
    Ok(parsed)
}

/// Adds a hint to a syntax error at a word that people expect JSON to accept (`NaN`,
/// `Infinity`), which serde_json reports only as "expected value".
pub(crate) fn explain_syntax_error(error: LoadError, text: &str) -> LoadError {
    let LoadError::Syntax {
        file,
        line,
        column,
        mut message,
    } = error
    else {
        return error;
    };
    let rest: String = text
        .lines()
        .nth(line.saturating_sub(1))
        .map(|text_line| {
            text_line
                .chars()
                .skip(column.saturating_sub(1))
                .take(9)
                .collect()
        })
        .unwrap_or_default();
    let rest = rest.trim_start_matches(['-', '+']).to_ascii_lowercase();
    if rest.starts_with("nan") || rest.starts_with("inf") {
        message.push_str(
            " (NaN and Infinity are not numbers in JSON; a coordinate must be a finite number)",
        );
    }
    LoadError::Syntax {
        file,
        line,
        column,
        message,
    }
}

pub(crate) fn json_error(file: &str, field: &str, error: &serde_json::Error) -> LoadError {
    // serde_json's Display ends with " at line L column C"; we print the place ourselves.
    let full = error.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(message, _)| message)
        .to_owned();
    let (line, column) = (error.line(), error.column());
    match error.classify() {
        serde_json::error::Category::Data if !field.is_empty() && field != "." => {
            LoadError::Schema {
                file: file.to_owned(),
                line,
                column,
                field: field.to_owned(),
                message,
            }
        }
        serde_json::error::Category::Io => LoadError::Read {
            file: file.to_owned(),
            message,
        },
        _ => LoadError::Syntax {
            file: file.to_owned(),
            line,
            column,
            message,
        },
    }
}
