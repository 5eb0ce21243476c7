//! load_table (the large-file loader, streaming CSV exports from disk) on arbitrary rows under a
//! real ACLED header (first byte % 3 == 1), a UCDP GED header (== 2) or on arbitrary text (== 0):
//! never panics; when both it and the whole-file importer load the text, they agree on how many
//! rows loaded and were skipped, and every row of the table reads back from the file.
//! (The whole-file importer's own checks are `fuzz_import_detect`'s.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use strikemap_core::import::{DetectedFormat, ImportedContent, import_text};
use strikemap_core::table::{LoadProgress, load_table};

const ACLED: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n";
const UCDP: &str = "id,date_start,date_end,latitude,longitude,where_prec,date_prec,type_of_violence,side_a,side_b,country,best,low,high\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let text = match mode % 3 {
        1 => format!("{ACLED}{text}"),
        2 => format!("{UCDP}{text}"),
        _ => text.to_owned(),
    };
    // The table loader reads from a file: one per fuzzing process.
    let path = std::env::temp_dir().join(format!("fuzz_table_csv-{}.csv", std::process::id()));
    if std::fs::write(&path, &text).is_err() {
        return;
    }
    let table = load_table(&path, &LoadProgress::default());
    if let Ok(Some(loaded)) = &table {
        let table = &loaded.table;
        assert!(!table.is_empty(), "a table loads at least one row");
        for row in 0..u32::try_from(table.len()).unwrap_or(u32::MAX) {
            assert!(table.record(row).is_ok(), "row {row} reads back");
        }
        let csv = matches!(
            loaded.format,
            DetectedFormat::AcledCsv { .. } | DetectedFormat::UcdpGedCsv
        );
        if csv
            && let Ok(whole) = import_text("fuzz.csv", &text)
            && let ImportedContent::Events(events) = &whole.content
        {
            assert_eq!(events.events.len(), table.len(), "rows loaded");
            assert_eq!(whole.skipped_total, loaded.skipped_total, "rows skipped");
        }
    }
    let _ = std::fs::remove_file(&path);
});
