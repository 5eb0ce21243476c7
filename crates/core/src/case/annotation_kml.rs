//! A case's annotations in KML, for Google Earth: a folder "Annotations" with a placemark per
//! annotation in its colour and width: arrows and lines as lines along their geodesics, a
//! callout as a point named by its text, range rings as a line per radius on the geodesic
//! circle, an area as a polygon (tinted unless its fill is none). Its sources and story steps
//! are in the description. Added to the events' KML by [`with_annotations`].

use super::Annotation;
use super::annotation::{Fill, Shape, ring_points};
use crate::export::ExportError;
use crate::export::kml::in_kmz;
use crate::export::xml_text::xml_escape;
use crate::measure::geodesic_path;
use crate::model::LonLat;
use std::fmt::Write as _;
use std::io::{Seek, Write};

/// Points along a line's geodesics no further apart than this, so Google Earth draws the
/// same curve as the map.
const STEP_M: f64 = 10_000.0;

fn coordinates(points: &[LonLat]) -> String {
    points
        .iter()
        .map(|at| format!("{},{}", at.lon, at.lat))
        .collect::<Vec<_>>()
        .join(" ")
}

fn along_geodesics(points: &[LonLat]) -> Vec<LonLat> {
    let mut path: Vec<LonLat> = Vec::new();
    for pair in points.windows(2) {
        let skip = usize::from(!path.is_empty());
        path.extend(
            geodesic_path(pair[0], pair[1], STEP_M)
                .into_iter()
                .skip(skip),
        );
    }
    path
}

fn line_string(points: &[LonLat]) -> String {
    format!(
        "<LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString>",
        coordinates(points)
    )
}

/// The `Folder` of the annotations (empty text when there are none).
pub fn annotations_folder(annotations: &[Annotation]) -> String {
    if annotations.is_empty() {
        return String::new();
    }
    let mut text = String::from("  <Folder>\n    <name>Annotations</name>\n");
    for annotation in annotations {
        let [red, green, blue] = annotation.style.colour.rgb();
        let fill_alpha = match &annotation.shape {
            Shape::Area {
                fill: Fill::None, ..
            } => "00",
            _ => "40",
        };
        let name = if annotation.label.trim().is_empty() {
            format!("{} {}", annotation.shape.kind().name(), annotation.id)
        } else {
            annotation.label.clone()
        };
        let mut description = format!("{} {}", annotation.shape.kind().name(), annotation.id);
        if !annotation.source_keys.is_empty() {
            let _ = write!(
                description,
                "; sources: {}",
                annotation.source_keys.join(", ")
            );
        }
        if !annotation.steps.is_empty() {
            let _ = write!(description, "; shown on: {}", annotation.steps.join(", "));
        }
        let points = annotation.shape.points();
        let geometry = match &annotation.shape {
            Shape::Arrow { .. } | Shape::Line { .. } => line_string(&along_geodesics(&points)),
            Shape::Callout { .. } => points.first().map_or_else(String::new, |at| {
                format!(
                    "<Point><coordinates>{},{}</coordinates></Point>",
                    at.lon, at.lat
                )
            }),
            Shape::RangeRings { radii_km, .. } => {
                let rings: String = points
                    .first()
                    .map(|center| {
                        radii_km
                            .iter()
                            .map(|radius| line_string(&ring_points(*center, *radius)))
                            .collect()
                    })
                    .unwrap_or_default();
                format!("<MultiGeometry>{rings}</MultiGeometry>")
            }
            Shape::Area { .. } => {
                let mut ring = points.clone();
                if let Some(first) = points.first() {
                    ring.push(*first);
                }
                format!(
                    "<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>{}\
                     </coordinates></LinearRing></outerBoundaryIs></Polygon>",
                    coordinates(&ring)
                )
            }
        };
        let _ = write!(
            text,
            "    <Placemark id=\"annotation-{id}\">\n      <name>{name}</name>\n      \
             <description>{description}</description>\n      <Style><LineStyle><color>\
             ff{blue:02x}{green:02x}{red:02x}</color><width>{width}</width></LineStyle>\
             <PolyStyle><color>{fill_alpha}{blue:02x}{green:02x}{red:02x}</color></PolyStyle>\
             </Style>\n      {geometry}\n    </Placemark>\n",
            id = xml_escape(&annotation.id),
            name = xml_escape(&name),
            description = xml_escape(&description),
            width = annotation.style.width,
        );
    }
    text.push_str("  </Folder>\n");
    text
}

/// The events' KML text with the annotations' folder added at the end of its document.
pub fn with_annotations(kml: &str, annotations: &[Annotation]) -> String {
    let folder = annotations_folder(annotations);
    match kml.rfind("</Document>") {
        Some(end) if !folder.is_empty() => {
            format!("{}{folder}{}", &kml[..end], &kml[end..])
        }
        _ => kml.to_owned(),
    }
}

/// KML text as KMZ (`doc.kml`, deflated, in a zip archive).
pub fn kmz_of<W: Write + Seek>(out: W, kml: &str) -> Result<W, ExportError> {
    in_kmz(out, |mut archive| {
        archive.write_all(kml.as_bytes())?;
        Ok(archive)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::annotation::Kind;
    use crate::export::kml::events_to_kml;
    use crate::formats::kml::parse_kml;

    #[test]
    fn annotations_are_placemarks_google_earth_reads() {
        let at = |lon, lat| LonLat { lon, lat };
        let annotations = vec![
            Annotation::new(
                "A1".into(),
                Kind::Arrow.shape(&[at(61.0, 27.0), at(64.0, 27.0)], &[]),
                "Launch area → impact <est.>",
            ),
            Annotation::new(
                "A2".into(),
                Kind::Callout.shape(&[at(64.1, 26.9)], &[]),
                "Koh-i-Sabz",
            ),
            Annotation::new(
                "A3".into(),
                Kind::RangeRings.shape(&[at(61.0, 28.0)], &[300.0, 1000.0]),
                "Range",
            ),
            Annotation::new(
                "A4".into(),
                Kind::Area.shape(&[at(62.0, 27.2), at(62.6, 27.2), at(62.6, 27.6)], &[]),
                "Area",
            ),
        ];
        let kml = with_annotations(&events_to_kml(Some("Case"), &[]), &annotations);
        assert!(
            kml.contains("<name>Launch area → impact &lt;est.&gt;</name>"),
            "{kml}"
        );
        assert!(
            kml.contains("<LineStyle><color>ff000000</color><width>2.5</width>"),
            "{kml}"
        );
        assert_eq!(kml.matches("<LineString>").count(), 1 + 2, "{kml}");
        assert!(kml.ends_with("</Folder>\n</Document>\n</kml>\n"), "{kml}");
        let (layer, _) = parse_kml("a.kml", &kml).unwrap();
        assert_eq!(layer.features.len(), 4, "{layer:?}");
        let kmz = kmz_of(std::io::Cursor::new(Vec::new()), &kml)
            .unwrap()
            .into_inner();
        assert!(kmz.starts_with(b"PK"));
    }
}
