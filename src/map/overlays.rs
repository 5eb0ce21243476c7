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

/// One layer's shapes in lon/lat, ready to project.
#[derive(Default)]
struct PreparedOverlay {
    points: Vec<LonLat>,
    lines: Vec<Vec<LonLat>>,
    /// Polygon rings (outlines) and triangles (fill).
    rings: Vec<Vec<LonLat>>,
    triangle_vertices: Vec<[f64; 2]>,
    triangle_indices: Vec<u32>,
}

fn ring_points(ring: &geo::LineString<f64>) -> Vec<LonLat> {
    ring.coords()
        .map(|c| LonLat { lon: c.x, lat: c.y })
        .collect()
}

impl PreparedOverlay {
    fn add(&mut self, geometry: &Geometry<f64>) {
        match geometry {
            Geometry::Point(point) => self.points.push(LonLat {
                lon: point.x(),
                lat: point.y(),
            }),
            Geometry::MultiPoint(points) => {
                for point in points {
                    self.add(&Geometry::Point(*point));
                }
            }
            Geometry::Line(line) => self.lines.push(vec![
                LonLat {
                    lon: line.start.x,
                    lat: line.start.y,
                },
                LonLat {
                    lon: line.end.x,
                    lat: line.end.y,
                },
            ]),
            Geometry::LineString(line) => self.lines.push(ring_points(line)),
            Geometry::MultiLineString(lines) => {
                self.lines.extend(lines.iter().map(ring_points));
            }
            Geometry::Polygon(polygon) => {
                let triangulation = polygon.earcut_triangles_raw();
                let offset = self.triangle_vertices.len();
                self.triangle_vertices.extend(triangulation.vertices);
                self.triangle_indices.extend(
                    triangulation
                        .triangle_indices
                        .into_iter()
                        .filter_map(|index| u32::try_from(offset + index).ok()),
                );
                self.rings.push(ring_points(polygon.exterior()));
                self.rings
                    .extend(polygon.interiors().iter().map(ring_points));
            }
            Geometry::MultiPolygon(polygons) => {
                for polygon in polygons {
                    self.add(&Geometry::Polygon(polygon.clone()));
                }
            }
            Geometry::Rect(rect) => self.add(&Geometry::Polygon(rect.to_polygon())),
            Geometry::Triangle(triangle) => self.add(&Geometry::Polygon(triangle.to_polygon())),
            Geometry::GeometryCollection(collection) => {
                for geometry in collection {
                    self.add(geometry);
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
                    prepared.add(&feature.geometry);
                }
                prepared
            });
            let line_color = color_of(layer.look.color, layer.look.opacity);
            let fill_color = color_of(layer.look.color, layer.look.opacity * 0.25);
            let mut mesh = Mesh::default();
            for [lon, lat] in &prepared.triangle_vertices {
                mesh.colored_vertex(
                    project(&LonLat {
                        lon: *lon,
                        lat: *lat,
                    }),
                    fill_color,
                );
            }
            mesh.indices.clone_from(&prepared.triangle_indices);
            painter.add(Shape::mesh(mesh));
            for ring in &prepared.rings {
                let points = ring.iter().map(project).collect();
                painter.add(Shape::Path(PathShape::closed_line(
                    points,
                    PathStroke::new(1.5, line_color),
                )));
            }
            for line in &prepared.lines {
                let points = line.iter().map(project).collect();
                painter.add(Shape::line(points, PathStroke::new(2.0, line_color)));
            }
            for point in &prepared.points {
                painter.circle(
                    project(point),
                    4.5,
                    line_color,
                    Stroke::new(1.0, Color32::WHITE),
                );
            }
        }
    }
}
