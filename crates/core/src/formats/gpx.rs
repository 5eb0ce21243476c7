//! GPX 1.0 and 1.1 (GPS receivers' and route planners' format) as an overlay layer: each
//! waypoint a point (`name`, `desc`, `cmt`, `time`, `ele`, `sym`, `type` as properties), each
//! route a line, each track a line (one segment) or lines (several), with `kind` saying which
//! and, for tracks, the times of the first and last point. The layer is named by the file's
//! `metadata/name` (1.1) or `name` (1.0), else the file name.
//!
//! Read with quick-xml through `formats::xml_tree`, like KML: the georust `gpx` crate
//! (0.10) would bring a second XML parser (xml-rs) and `time`, and its errors carry no line and
//! column.

use super::kml::checked_coord;
use super::overlay::{OverlayFeature, OverlayLayer, file_stem};
use super::skips::SkipLog;
use super::xml_tree::{self, Element};
use crate::error::LoadError;
use geo::{Coord, Geometry, LineString, MultiLineString};
use serde_json::{Map, Value};

/// Parses GPX text (a byte-order mark is ignored) into an overlay layer.
pub fn parse_gpx(file: &str, text: &str) -> Result<(OverlayLayer, SkipLog), LoadError> {
    let root = xml_tree::parse_document(file, text, "gpx", "GPX")?;
    let name = root
        .child("metadata")
        .and_then(|metadata| metadata.child_text("name"))
        .or_else(|| root.child_text("name"))
        .map_or_else(|| file_stem(file), str::to_owned);
    let mut features = Vec::new();
    let mut skips = SkipLog::default();
    let counters = ["wpt", "rte", "trk"];
    let mut counts = [0usize; 3];
    // Waypoints, routes and tracks are numbered together, in file order.
    let mut index = 0;
    for child in &root.children {
        let Some(kind) = counters.iter().position(|name| *name == child.name) else {
            continue;
        };
        let number = counts.get(kind).copied().unwrap_or_default();
        if let Some(count) = counts.get_mut(kind) {
            *count += 1;
        }
        let (place, read) = match child.name.as_str() {
            "wpt" => (format!("waypoint {number}"), waypoint(child)),
            "rte" => (format!("route {number}"), route(child)),
            _ => (format!("track {number}"), track(child)),
        };
        let place = match child.child_text("name") {
            Some(label) => format!("{place} ({label:?})"),
            None => place,
        };
        index += 1;
        match read {
            Ok((geometry, properties)) => features.push(OverlayFeature {
                index: index - 1,
                id: None,
                geometry,
                properties,
            }),
            Err((element, reason)) => {
                skips.push(place, format!("{}: {reason}", element.place));
            }
        }
    }
    if features.is_empty() {
        return Err(if skips.total > 0 {
            skips.nothing_loaded(file, "waypoint, route or track")
        } else {
            LoadError::Document {
                file: file.to_owned(),
                message: "the GPX file has no waypoints, routes or tracks".into(),
            }
        });
    }
    let layer = OverlayLayer {
        name,
        features,
        unlocated: Vec::new(),
    };
    Ok((layer, skips))
}

type Problem<'e> = (&'e Element, String);
type Read<'e> = Result<(Geometry<f64>, Map<String, Value>), Problem<'e>>;

/// The text children every GPX item may have, kept as properties.
fn common_properties(element: &Element, kind: &str) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("kind".into(), Value::from(kind));
    for key in [
        "name", "desc", "cmt", "src", "type", "sym", "time", "number",
    ] {
        if let Some(text) = element.child_text(key) {
            properties.insert(key.into(), Value::from(text));
        }
    }
    if let Some(link) = element
        .child("link")
        .and_then(|link| link.attribute("href"))
        .or_else(|| element.child_text("url"))
    {
        properties.insert("link".into(), Value::from(link));
    }
    properties
}

fn waypoint(element: &Element) -> Read<'_> {
    let coord = point(element)?;
    let mut properties = common_properties(element, "waypoint");
    if let Some(elevation) = element.child_text("ele") {
        let metres = elevation
            .parse::<f64>()
            .ok()
            .filter(|metres| metres.is_finite())
            .map_or_else(|| Value::from(elevation), Value::from);
        properties.insert("ele".into(), metres);
    }
    Ok((Geometry::Point(coord.into()), properties))
}

fn route(element: &Element) -> Read<'_> {
    let coords = element
        .children_named("rtept")
        .map(point)
        .collect::<Result<Vec<_>, _>>()?;
    let mut properties = common_properties(element, "route");
    properties.insert("points".into(), Value::from(coords.len()));
    Ok((line_or_point(element, coords, "rtept")?, properties))
}

fn track(element: &Element) -> Read<'_> {
    let mut segments = Vec::new();
    let mut times = Vec::new();
    let mut points = 0;
    for segment in element.children_named("trkseg") {
        let coords = segment
            .children_named("trkpt")
            .map(point)
            .collect::<Result<Vec<_>, _>>()?;
        times.extend(
            segment
                .children_named("trkpt")
                .filter_map(|point| point.child_text("time")),
        );
        points += coords.len();
        if !coords.is_empty() {
            segments.push(coords);
        }
    }
    let mut properties = common_properties(element, "track");
    properties.insert("points".into(), Value::from(points));
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        properties.insert("time_start".into(), Value::from(*first));
        properties.insert("time_end".into(), Value::from(*last));
    }
    let geometry = match segments.len() {
        0 => return Err((element, "a track with no trkpt".into())),
        1 => line_or_point(element, segments.into_iter().flatten().collect(), "trkpt")?,
        _ => Geometry::MultiLineString(MultiLineString(
            segments.into_iter().map(LineString::new).collect(),
        )),
    };
    Ok((geometry, properties))
}

/// A line of two or more points; one point alone is drawn as a point.
fn line_or_point<'e>(
    element: &'e Element,
    coords: Vec<Coord<f64>>,
    point_name: &str,
) -> Result<Geometry<f64>, Problem<'e>> {
    match coords.as_slice() {
        [] => Err((element, format!("a {} with no {point_name}", element.name))),
        [only] => Ok(Geometry::Point((*only).into())),
        _ => Ok(Geometry::LineString(LineString::new(coords))),
    }
}

/// The `lat` and `lon` attributes of a wpt, rtept or trkpt.
fn point(element: &Element) -> Result<Coord<f64>, Problem<'_>> {
    let number = |name: &str| {
        let Some(text) = element.attribute(name) else {
            return Err((
                element,
                format!("<{}> has no {name} attribute", element.name),
            ));
        };
        text.trim()
            .parse::<f64>()
            .map_err(|_| (element, format!("{name} {text:?} is not a number")))
    };
    let (lat, lon) = (number("lat")?, number("lon")?);
    checked_coord(lon, lat).map_err(|reason| (element, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waypoints_routes_and_tracks() {
        let text = "\u{feff}<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><metadata><name>Trip</name></metadata>\n\
            <wpt lat=\"26.9\" lon=\"64.1\"><ele>1010.5</ele><name>Camp</name></wpt>\n\
            <rte><rtept lat=\"1\" lon=\"2\"/><rtept lat=\"3\" lon=\"4\"/></rte>\n\
            <trk><trkseg><trkpt lat=\"1\" lon=\"2\"><time>T1</time></trkpt><trkpt lat=\"1\" lon=\"3\"><time>T2</time></trkpt></trkseg>\
            <trkseg><trkpt lat=\"5\" lon=\"6\"/><trkpt lat=\"7\" lon=\"8\"/></trkseg></trk>\n\
            <wpt lat=\"north\" lon=\"1\"/></gpx>";
        let (layer, skips) = parse_gpx("t.gpx", text).unwrap();
        assert_eq!(layer.name, "Trip");
        assert_eq!(layer.features.len(), 3);
        assert_eq!(layer.features[0].properties["ele"], 1010.5);
        assert!(matches!(
            layer.features[1].geometry,
            Geometry::LineString(_)
        ));
        assert!(matches!(
            layer.features[2].geometry,
            Geometry::MultiLineString(_)
        ));
        assert_eq!(layer.features[2].properties["time_end"], "T2");
        assert_eq!(skips.total, 1);
        assert_eq!(
            skips.listed[0].to_string(),
            "waypoint 1: line 6, column 1: lat \"north\" is not a number"
        );
    }
}
