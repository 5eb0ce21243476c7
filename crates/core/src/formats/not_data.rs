//! Files that are not what their name says, recognised from their first bytes so the message
//! names what they are: a Git LFS pointer checked out in place of the data, an HTML page (an
//! error or sign-in page saved under the data's name), a CSV export without its header row.

use super::csv_table::CsvHeader;
use super::dates::parse_dataset_date;

/// The first line of every Git LFS pointer file (<https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md>).
const LFS_POINTER_START: &str = "version https://git-lfs.github.com/spec/";

/// What the file is instead of data, when its first bytes say so: the message for the error.
pub(crate) fn not_the_data(text: &str) -> Option<String> {
    let start = text.trim_start();
    if start.starts_with(LFS_POINTER_START) {
        return Some(lfs_pointer_message(start));
    }
    let head: String = start
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Some(html_page_message(start));
    }
    None
}

fn lfs_pointer_message(pointer: &str) -> String {
    let field = |key: &str| {
        pointer
            .lines()
            .take(8)
            .find_map(|line| line.strip_prefix(key))
            .map(str::trim)
    };
    let mut named = Vec::new();
    if let Some(size) = field("size ").and_then(|size| size.parse::<usize>().ok()) {
        named.push(format!("{} bytes", crate::text::thousands(size)));
    }
    if let Some(oid) = field("oid ") {
        let short: String = oid.chars().take(19).collect();
        named.push(format!("oid {short}…"));
    }
    let named = if named.is_empty() {
        String::new()
    } else {
        format!(" (the data: {})", named.join(", "))
    };
    format!(
        "the file is a Git LFS pointer, not the data{named}: run `git lfs pull` in the \
         repository it came from, or download the file itself, and open that"
    )
}

fn html_page_message(page: &str) -> String {
    let head: String = page.chars().take(4096).collect();
    let lower = head.to_ascii_lowercase();
    let title = lower
        .find("<title")
        .and_then(|open| Some(open + lower.get(open..)?.find('>')? + 1))
        .and_then(|start| {
            let end = start + lower.get(start..)?.find("</title")?;
            head.get(start..end)
        })
        .map(|title| title.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|title| !title.is_empty())
        .map(|title| {
            let short: String = title.chars().take(80).collect();
            format!(" (titled {short:?})")
        })
        .unwrap_or_default();
    format!(
        "the file is an HTML page{title}, not the data: a download that saved an error or \
         sign-in page under the data's name? Download the file again"
    )
}

/// When the first record of a CSV file is data rather than column names (a date and at least
/// two numbers among its fields), the message saying so.
pub(crate) fn headerless_message(first: &CsvHeader, first_line: &str) -> Option<String> {
    let fields = || first.names.iter().map(|name| name.trim());
    let dates = fields()
        .filter(|field| field.chars().any(|c| c.is_ascii_digit()))
        .filter(|field| parse_dataset_date(field).is_ok())
        .count();
    let numbers = fields()
        .filter(|field| field.parse::<f64>().is_ok_and(f64::is_finite))
        .count();
    if dates == 0 || numbers < 2 {
        return None;
    }
    let shown: String = first_line.chars().take(60).collect();
    let more = if first_line.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    Some(format!(
        "no header row: the first line is data (\"{shown}{more}\"), not column names; an ACLED \
         or UCDP GED file starts with a header row naming its columns (event_id_cnty, \
         event_date, latitude, … or id, date_start, latitude, …): export the file again with \
         its header, or add the header line"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::csv_table::read_header;

    #[test]
    fn lfs_pointers_and_html_pages_are_named_whatever_follows() {
        let pointer = "version https://git-lfs.github.com/spec/v1\n\
                       oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n\
                       size 12345678\n";
        assert_eq!(
            not_the_data(pointer).unwrap(),
            "the file is a Git LFS pointer, not the data (the data: 12,345,678 bytes, oid \
             sha256:4d7a214614ab…): run `git lfs pull` in the repository it came from, or \
             download the file itself, and open that"
        );
        let page = "\n<!DOCTYPE html>\n<html><head><title>\n  404 Not\nFound</title></head>";
        assert_eq!(
            not_the_data(page).unwrap(),
            "the file is an HTML page (titled \"404 Not Found\"), not the data: a download that \
             saved an error or sign-in page under the data's name? Download the file again"
        );
        assert!(
            not_the_data("<HTML><BODY>Forbidden")
                .unwrap()
                .starts_with("the file is an HTML page, not")
        );
        for other in [
            "event_id_cnty,event_date\n",
            "{\"type\":1}",
            "<?xml version=\"1.0\"?><kml>",
            "",
        ] {
            assert_eq!(not_the_data(other), None, "{other}");
        }
    }

    #[test]
    fn a_first_line_of_data_is_recognised_and_a_header_is_not() {
        let line = "770,PAK7001,7001,25/09/2017,2017,1,Remote violence,30.183,67.000,1,3";
        let first = read_header(line, b',').unwrap();
        let message = headerless_message(&first, line).unwrap();
        assert!(
            message.starts_with(
                "no header row: the first line is data (\"770,PAK7001,7001,25/09/2017,2017,1,\
                 Remote violence,30.183,67…\"), not column names;"
            ),
            "{message}"
        );
        for header in [
            "name,population",
            "GWNO,EVENT_ID_CNTY,EVENT_DATE,LATITUDE,LONGITUDE",
            "id,2024,x",
        ] {
            let first = read_header(header, b',').unwrap();
            assert_eq!(headerless_message(&first, header), None, "{header}");
        }
    }
}
