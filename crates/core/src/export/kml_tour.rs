//! A Google Earth tour of the story (`gx:Tour`, KML's Google extension): for each step a
//! `gx:FlyTo` to a `LookAt` over the step's place, whose `gx:TimeStamp` moves the time slider to
//! the step's day, then a `gx:Wait` while the step is told.

use super::xml_text::xml_escape;
use crate::model::LonLat;
use std::fmt::Write as _;

/// The namespace of Google's KML extension (`gx:`).
pub const GX_NAMESPACE: &str = "http://www.google.com/kml/ext/2.2";

/// A tour: its name and its steps in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    pub name: String,
    pub steps: Vec<TourStep>,
}

/// One step of a tour: where the camera looks, from how far, on what day, how long the flight
/// there takes and how long the step is held.
#[derive(Clone, Debug, PartialEq)]
pub struct TourStep {
    pub name: String,
    pub look_at: LonLat,
    /// The camera's distance from the point looked at, in metres (looking straight down).
    pub range_m: f64,
    /// The day the time slider shows (an ISO date, or `None` to leave it).
    pub when: Option<String>,
    pub fly_secs: f64,
    pub wait_secs: f64,
}

/// The `gx:Tour` element, indented for inside a `Document`.
pub fn tour_kml(tour: &Tour) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "  <gx:Tour>\n    <name>{}</name>\n    <gx:Playlist>",
        xml_escape(&tour.name)
    );
    for step in &tour.steps {
        let when = step
            .when
            .as_deref()
            .map(|when| {
                format!(
                    "\n          <gx:TimeStamp><when>{}</when></gx:TimeStamp>",
                    xml_escape(when)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "      <gx:FlyTo>\n        <name>{name}</name>\n        <gx:duration>{fly}</gx:duration>\n        \
             <gx:flyToMode>smooth</gx:flyToMode>\n        <LookAt>{when}\n          \
             <longitude>{lon}</longitude>\n          <latitude>{lat}</latitude>\n          \
             <altitude>0</altitude>\n          <heading>0</heading>\n          <tilt>0</tilt>\n          \
             <range>{range:.0}</range>\n          <altitudeMode>relativeToGround</altitudeMode>\n        \
             </LookAt>\n      </gx:FlyTo>\n      <gx:Wait><gx:duration>{wait}</gx:duration></gx:Wait>",
            name = xml_escape(&step.name),
            fly = seconds(step.fly_secs),
            lon = step.look_at.lon,
            lat = step.look_at.lat,
            range = step.range_m.max(1.0),
            wait = seconds(step.wait_secs),
        );
    }
    text.push_str("    </gx:Playlist>\n  </gx:Tour>\n");
    text
}

/// A duration as KML wants it: a non-negative number of seconds.
fn seconds(secs: f64) -> String {
    let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
    format!("{}", (secs * 1000.0).round() / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_flies_then_waits_and_bad_durations_become_zero() {
        let tour = Tour {
            name: "A & B".into(),
            steps: vec![TourStep {
                name: "E1".into(),
                look_at: LonLat {
                    lon: 64.1,
                    lat: 26.9,
                },
                range_m: 300_000.4,
                when: Some("2024-01-16".into()),
                fly_secs: f64::NAN,
                wait_secs: 4.0,
            }],
        };
        let text = tour_kml(&tour);
        assert!(text.contains("<name>A &amp; B</name>"), "{text}");
        assert!(text.contains("<gx:duration>0</gx:duration>"), "{text}");
        assert!(text.contains("<gx:Wait><gx:duration>4</gx:duration></gx:Wait>"));
        assert!(text.contains("<gx:TimeStamp><when>2024-01-16</when></gx:TimeStamp>"));
        assert!(text.contains("<range>300000</range>"));
        let fly = text.find("<gx:FlyTo>").unwrap_or(usize::MAX);
        let wait = text.find("<gx:Wait>").unwrap_or(0);
        assert!(fly < wait);
    }
}
