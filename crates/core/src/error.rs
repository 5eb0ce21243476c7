//! The one error type of loading: every variant names the file, and the place in it when
//! there is one (line:column and JSON path, feature index and field, CSV line and column).

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read the file: {message}")]
    Read { file: String, message: String },

    #[error("{file}:{line}:{column}: not valid JSON: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}:{line}:{column}: {field}: {message}")]
    Schema {
        file: String,
        line: usize,
        column: usize,
        /// JSON path of the offending value, e.g. `features[0].properties.date`.
        field: String,
        message: String,
    },

    #[error("{file}: feature {feature_index}{}: {field}: {message}", feature_id_suffix(.feature_id))]
    Invalid {
        file: String,
        feature_index: usize,
        feature_id: Option<String>,
        field: String,
        message: String,
    },

    /// A problem at a place in a CSV file: `line` is the 1-based line where the record starts,
    /// `column` the header name of the field (empty when the whole record is at fault).
    #[error("{file}: line {line}{}: {message}", csv_column_suffix(.column))]
    Csv {
        file: String,
        line: u64,
        column: String,
        message: String,
    },

    #[error("{file}: {message}")]
    Document { file: String, message: String },

    /// The user stopped the load.
    #[error("{file}: loading was cancelled")]
    Cancelled { file: String },
}

fn csv_column_suffix(column: &str) -> String {
    if column.is_empty() {
        String::new()
    } else {
        format!(", column {column}")
    }
}

fn feature_id_suffix(feature_id: &Option<String>) -> String {
    feature_id
        .as_ref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default()
}

impl LoadError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            Self::Read { file, .. }
            | Self::Syntax { file, .. }
            | Self::Schema { file, .. }
            | Self::Invalid { file, .. }
            | Self::Csv { file, .. }
            | Self::Document { file, .. }
            | Self::Cancelled { file } => file,
        }
    }
}
