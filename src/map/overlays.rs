//! Overlay layers: any GeoJSON that is not events, drawn as points, lines and filled polygons
//! in the layer's colour and opacity. Polygons are triangulated once per layer (earcut, so
//! concave shapes and holes fill right).

use crate::map::to_position;
use crate::model::LonLat;
use crate::state::{AppState, LayerId};
use egui::epaint::{Mesh, PathShape, PathStroke};
use egui::{Color32, Painter, Pos2, Shape, Stroke};
use geo::{Geometry, TriangulateEarcut as _};
use std::collections::HashMap;
use walkers::Projector;

/// A feature's own colours (the simplestyle properties `stroke`, `fill` and `marker-color`,
/// which KML styles become and some GeoJSON carries); `None` draws in the layer's colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct OwnColours {
    stroke: Option<[u8; 3]>,
    fill: Option<[u8; 3]>,
    marker: Option<[u8; 3]>,
}

impl OwnColours {
    fn of(feature: &crate::import::OverlayFeature) -> Self {
        let colour = |key: &str| feature.properties.get(key)?.as_str().and_then(hex_colour);
        Self {
            stroke: colour("stroke"),
            fill: colour("fill").or(colour("stroke")),
            marker: colour("marker-color").or(colour("stroke")),
        }
    }
}

/// `#rrggbb` (or `rrggbb`) as sRGB; anything else is `None`.
fn hex_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#').unwrap_or(text.trim());
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// One layer's shapes in lon/lat, ready to project, each with its feature's own colour.
#[derive(Default)]
struct PreparedOverlay {
    points: Vec<(LonLat, Option<[u8; 3]>)>,
    lines: Vec<(Vec<LonLat>, Option<[u8; 3]>)>,
    /// Polygon rings (outlines) and triangles (fill), with a fill colour per vertex.
    rings: Vec<(Vec<LonLat>, Option<[u8; 3]>)>,
    triangle_vertices: Vec<[f64; 2]>,
    triangle_fills: Vec<Option<[u8; 3]>>,
    triangle_indices: Vec<u32>,
}

fn ring_points(ring: &geo::LineString<f64>) -> Vec<LonLat> {
    ring.coords()
        .map(|c| LonLat { lon: c.x, lat: c.y })
        .collect()
}

impl PreparedOverlay {
    fn add(&mut self, geometry: &Geometry<f64>, own: OwnColours) {
        match geometry {
            Geometry::Point(point) => self.points.push((
                LonLat {
                    lon: point.x(),
                    lat: point.y(),
                },
                own.marker,
            )),
            Geometry::MultiPoint(points) => {
                for point in points {
                    self.add(&Geometry::Point(*point), own);
                }
            }
            Geometry::Line(line) => self.lines.push((
                vec![
                    LonLat {
                        lon: line.start.x,
                        lat: line.start.y,
                    },
                    LonLat {
                        lon: line.end.x,
                        lat: line.end.y,
                    },
                ],
                own.stroke,
            )),
            Geometry::LineString(line) => self.lines.push((ring_points(line), own.stroke)),
            Geometry::MultiLineString(lines) => {
                self.lines
                    .extend(lines.iter().map(|line| (ring_points(line), own.stroke)));
            }
            Geometry::Polygon(polygon) => {
                let triangulation = polygon.earcut_triangles_raw();
                let offset = self.triangle_vertices.len();
                self.triangle_fills
                    .extend(std::iter::repeat_n(own.fill, triangulation.vertices.len()));
                self.triangle_vertices.extend(triangulation.vertices);
                self.triangle_indices.extend(
                    triangulation
                        .triangle_indices
                        .into_iter()
                        .filter_map(|index| u32::try_from(offset + index).ok()),
                );
                self.rings
                    .push((ring_points(polygon.exterior()), own.stroke));
                self.rings.extend(
                    polygon
                        .interiors()
                        .iter()
                        .map(|ring| (ring_points(ring), own.stroke)),
                );
            }
            Geometry::MultiPolygon(polygons) => {
                for polygon in polygons {
                    self.add(&Geometry::Polygon(polygon.clone()), own);
                }
            }
            Geometry::Rect(rect) => self.add(&Geometry::Polygon(rect.to_polygon()), own),
            Geometry::Triangle(triangle) => {
                self.add(&Geometry::Polygon(triangle.to_polygon()), own);
            }
            Geometry::GeometryCollection(collection) => {
                for geometry in collection {
                    self.add(geometry, own);
                }
            }
        }
    }
}

/// Overlay shapes prepared on first use, by layer.
#[derive(Default)]
pub struct OverlayPainter {
    prepared: HashMap<LayerId, PreparedOverlay>,
}

fn color_of(rgb: [u8; 3], alpha: f32) -> Color32 {
    Color32::from_rgba_unmultiplied(
        rgb[0],
        rgb[1],
        rgb[2],
        (alpha.clamp(0.0, 1.0) * 255.0) as u8,
    )
}

impl OverlayPainter {
    pub fn paint(&mut self, painter: &Painter, projector: &Projector, state: &AppState) {
        self.prepared.retain(|id, _| state.overlay(*id).is_some());
        let project = |point: &LonLat| -> Pos2 { projector.project(to_position(*point)).to_pos2() };
        for (layer, overlay) in state.overlays().filter(|(layer, _)| layer.look.visible) {
            let prepared = self.prepared.entry(layer.id).or_insert_with(|| {
                let mut prepared = PreparedOverlay::default();
                for feature in &overlay.features {
                    prepared.add(&feature.geometry, OwnColours::of(feature));
                }
                prepared
            });
            // A feature's own colour (from its style) wins; the layer's opacity applies to all.
            let opacity = layer.look.opacity;
            let line_color =
                |own: &Option<[u8; 3]>| color_of(own.unwrap_or(layer.look.color), opacity);
            let fill_color =
                |own: &Option<[u8; 3]>| color_of(own.unwrap_or(layer.look.color), opacity * 0.25);
            let mut mesh = Mesh::default();
            for ([lon, lat], own) in prepared
                .triangle_vertices
                .iter()
                .zip(&prepared.triangle_fills)
            {
                mesh.colored_vertex(
                    project(&LonLat {
                        lon: *lon,
                        lat: *lat,
                    }),
                    fill_color(own),
                );
            }
            mesh.indices.clone_from(&prepared.triangle_indices);
            painter.add(Shape::mesh(mesh));
            for (ring, own) in &prepared.rings {
                let points = ring.iter().map(project).collect();
                painter.add(Shape::Path(PathShape::closed_line(
                    points,
                    PathStroke::new(1.5, line_color(own)),
                )));
            }
            for (line, own) in &prepared.lines {
                let points = line.iter().map(project).collect();
                painter.add(Shape::line(points, PathStroke::new(2.0, line_color(own))));
            }
            for (point, own) in &prepared.points {
                painter.circle(
                    project(point),
                    4.5,
                    line_color(own),
                    Stroke::new(1.0, Color32::WHITE),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplestyle_colours_are_read_and_bad_ones_ignored() {
        assert_eq!(hex_colour("#D55E00"), Some([0xD5, 0x5E, 0x00]));
        assert_eq!(hex_colour("0072b2"), Some([0x00, 0x72, 0xB2]));
        for bad in ["", "#12345", "#1234567", "red", "#gg0000", "#ééé"] {
            assert_eq!(hex_colour(bad), None, "{bad}");
        }
        let text = r##"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"stroke":"#ff0000","marker-color":"#00ff00"},
             "geometry":{"type":"Point","coordinates":[63,27]}},
            {"type":"Feature","properties":{"fill":"not a colour"},
             "geometry":{"type":"Point","coordinates":[63,27]}}]}"##;
        let import = crate::import::import_text("styled.geojson", text).unwrap();
        let features = &import.overlay().unwrap().features;
        let own = OwnColours::of(&features[0]);
        assert_eq!(own.stroke, Some([255, 0, 0]));
        assert_eq!(own.fill, Some([255, 0, 0]), "a fill follows the stroke");
        assert_eq!(own.marker, Some([0, 255, 0]));
        assert_eq!(OwnColours::of(&features[1]), OwnColours::default());
    }
}
