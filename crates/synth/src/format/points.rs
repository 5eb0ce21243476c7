//! Generic GeoJSON points with ACLED-like properties.

use std::fmt::Write as _;

use super::acled_csv::AcledIds;
use super::text::{json_string, push_date};
use crate::event::Event;

/// The opening of the points FeatureCollection, through `"features":[` and a line break.
pub fn points_header(out: &mut String, seed: u64, count: u64) {
    let _ = writeln!(
        out,
        "{{\"type\":\"FeatureCollection\",\"name\":\"strikemap-synth points (seed {seed}, \
         {count} features)\",\"features\":["
    );
}

/// Appends one Point feature whose properties are ACLED-like columns (no line end).
pub fn points_feature(out: &mut String, event: &Event, ids: &mut AcledIds) {
    let kind = event.kind;
    let id = ids.next(event);
    let _ = write!(
        out,
        "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.5},{:.5}]}},\
         \"properties\":{{\"event_id_cnty\":\"{}{id}\",\"event_date\":\"",
        event.lon, event.lat, event.country.iso3,
    );
    push_date(out, event.day);
    let _ = write!(
        out,
        "\",\"time_precision\":{},\"event_type\":",
        event.time_precision
    );
    json_string(out, kind.event_type);
    out.push_str(",\"country\":");
    json_string(out, event.country.name);
    out.push_str(",\"location\":");
    json_string(out, &event.location);
    let _ = write!(
        out,
        ",\"geo_precision\":{},\"fatalities\":{}}}}}",
        event.geo_precision, event.fatalities
    );
}
