//! Annotations: what an analyst draws on the map of a case (an arrow from a launch area to an
//! impact, a callout, a weapon's range rings, a targeted area, a reported route). Each has a
//! label, a style (an Okabe–Ito colour, a width, a dash), may cite sources like any fact (the
//! same live checks: [`annotation_problems`]), and is shown on every story step or only on
//! chosen ones. Positions are `[longitude, latitude]` in WGS 84, as GeoJSON's are.

use super::Case;
use crate::formats::event_schema::checked_lon_lat;
use crate::measure;
use crate::model::LonLat;
use serde::{Deserialize, Serialize};

/// One annotation of a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// `A` and a number, unique in the case.
    pub id: String,
    pub shape: Shape,
    /// The text shown with it (a callout's whole text); may be empty.
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub style: Style,
    /// Keys of the case's sources it rests on (a strike's or the statements').
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_keys: Vec<String>,
    /// The story steps (strike or statement ids) it is shown on; empty: every step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

/// What is drawn, and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shape {
    /// From the first point to the last (two points); `curved` bends it to the left of its
    /// direction.
    Arrow {
        points: Vec<[f64; 2]>,
        #[serde(default)]
        curved: bool,
    },
    /// Text anchored to a point.
    Callout { at: [f64; 2] },
    /// Geodesic circles of these radii around a point.
    RangeRings {
        center: [f64; 2],
        radii_km: Vec<f64>,
    },
    /// A polygon (three points or more, not closed: the last joins the first).
    Area {
        points: Vec<[f64; 2]>,
        #[serde(default)]
        fill: Fill,
    },
    /// A route (two points or more).
    Line { points: Vec<[f64; 2]> },
}

/// How an area is filled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    #[default]
    Tint,
    Hatch,
    None,
}

/// The Okabe–Ito colours (safe for the common forms of colour blindness), as the app's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    #[default]
    Black,
    Orange,
    SkyBlue,
    BluishGreen,
    Yellow,
    Blue,
    Vermillion,
    ReddishPurple,
}

impl Colour {
    pub const ALL: [Colour; 8] = [
        Colour::Black,
        Colour::Orange,
        Colour::SkyBlue,
        Colour::BluishGreen,
        Colour::Yellow,
        Colour::Blue,
        Colour::Vermillion,
        Colour::ReddishPurple,
    ];

    /// Its name in the editor.
    pub fn name(self) -> &'static str {
        match self {
            Colour::Black => "Black",
            Colour::Orange => "Orange",
            Colour::SkyBlue => "Sky blue",
            Colour::BluishGreen => "Bluish green",
            Colour::Yellow => "Yellow",
            Colour::Blue => "Blue",
            Colour::Vermillion => "Vermillion",
            Colour::ReddishPurple => "Reddish purple",
        }
    }

    /// Red, green, blue (Okabe & Ito 2008).
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Colour::Black => [0x00, 0x00, 0x00],
            Colour::Orange => [0xE6, 0x9F, 0x00],
            Colour::SkyBlue => [0x56, 0xB4, 0xE9],
            Colour::BluishGreen => [0x00, 0x9E, 0x73],
            Colour::Yellow => [0xF0, 0xE4, 0x42],
            Colour::Blue => [0x00, 0x72, 0xB2],
            Colour::Vermillion => [0xD5, 0x5E, 0x00],
            Colour::ReddishPurple => [0xCC, 0x79, 0xA7],
        }
    }
}

/// How a line is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dash {
    #[default]
    Solid,
    Dashed,
    Dotted,
}

impl Dash {
    pub const ALL: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];

    pub fn name(self) -> &'static str {
        match self {
            Dash::Solid => "Solid",
            Dash::Dashed => "Dashed",
            Dash::Dotted => "Dotted",
        }
    }
}

/// An annotation's look.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub colour: Colour,
    /// Line width in points (at the desk; slides scale it with their furniture).
    pub width: f64,
    pub dash: Dash,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            colour: Colour::Black,
            width: 2.5,
            dash: Dash::Solid,
        }
    }
}

/// The widest line an annotation may have, in points.
pub const MAX_WIDTH: f64 = 12.0;

/// What kind of annotation, by name (the editor's "Add arrow" and so on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Arrow,
    Callout,
    RangeRings,
    Area,
    Line,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Arrow,
        Kind::Callout,
        Kind::RangeRings,
        Kind::Area,
        Kind::Line,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Arrow => "arrow",
            Kind::Callout => "callout",
            Kind::RangeRings => "range rings",
            Kind::Area => "area",
            Kind::Line => "line",
        }
    }

    /// "an arrow", "a callout", …: for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Arrow => "an arrow",
            Kind::Callout => "a callout",
            Kind::RangeRings => "a set of range rings",
            Kind::Area => "an area",
            Kind::Line => "a line",
        }
    }

    /// How many points it takes: the least, and the most (`None`: any number).
    pub fn points_needed(self) -> (usize, Option<usize>) {
        match self {
            Kind::Arrow => (2, Some(2)),
            Kind::Callout | Kind::RangeRings => (1, Some(1)),
            Kind::Area => (3, None),
            Kind::Line => (2, None),
        }
    }

    /// The shape through these points (`radii_km` for range rings).
    pub fn shape(self, points: &[LonLat], radii_km: &[f64]) -> Shape {
        let pairs: Vec<[f64; 2]> = points.iter().map(|at| [at.lon, at.lat]).collect();
        let first = pairs.first().copied().unwrap_or_default();
        match self {
            Kind::Arrow => Shape::Arrow {
                points: pairs,
                curved: false,
            },
            Kind::Callout => Shape::Callout { at: first },
            Kind::RangeRings => Shape::RangeRings {
                center: first,
                radii_km: radii_km.to_vec(),
            },
            Kind::Area => Shape::Area {
                points: pairs,
                fill: Fill::Tint,
            },
            Kind::Line => Shape::Line { points: pairs },
        }
    }
}

impl Shape {
    pub fn kind(&self) -> Kind {
        match self {
            Shape::Arrow { .. } => Kind::Arrow,
            Shape::Callout { .. } => Kind::Callout,
            Shape::RangeRings { .. } => Kind::RangeRings,
            Shape::Area { .. } => Kind::Area,
            Shape::Line { .. } => Kind::Line,
        }
    }

    /// The same shape with its point `index` (in [`Shape::points`]' order) moved to `to`.
    pub fn with_point(&self, index: usize, to: LonLat) -> Shape {
        let mut shape = self.clone();
        let pair = [to.lon, to.lat];
        match &mut shape {
            Shape::Arrow { points, .. } | Shape::Area { points, .. } | Shape::Line { points } => {
                if let Some(point) = points.get_mut(index) {
                    *point = pair;
                }
            }
            Shape::Callout { at: point } | Shape::RangeRings { center: point, .. } => {
                if index == 0 {
                    *point = pair;
                }
            }
        }
        shape
    }

    /// Its points (a callout's anchor, the rings' centre).
    pub fn points(&self) -> Vec<LonLat> {
        let slice: &[[f64; 2]] = match self {
            Shape::Arrow { points, .. } | Shape::Area { points, .. } | Shape::Line { points } => {
                points
            }
            Shape::Callout { at } => std::slice::from_ref(at),
            Shape::RangeRings { center, .. } => std::slice::from_ref(center),
        };
        slice
            .iter()
            .map(|&[lon, lat]| LonLat { lon, lat })
            .collect()
    }
}

impl Annotation {
    /// A new annotation with the default style.
    pub fn new(id: String, shape: Shape, label: &str) -> Self {
        Self {
            id,
            shape,
            label: label.to_owned(),
            style: Style::default(),
            source_keys: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// Whether it is shown on the step of this story item (`None`: no step chosen, the
    /// overview): always when it has no steps of its own.
    pub fn shown_on(&self, step: Option<&str>) -> bool {
        self.steps.is_empty() || step.is_some_and(|id| self.steps.iter().any(|s| s == id))
    }
}

/// Points on a range ring: every 2° of bearing, on the geodesic circle.
pub const RING_VERTICES: usize = 180;

/// A ring of `radius_km` around `center` as a closed list of points (the first repeated last).
pub fn ring_points(center: LonLat, radius_km: f64) -> Vec<LonLat> {
    let mut ring = measure::geodesic_circle(center, radius_km * 1000.0, RING_VERTICES);
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    ring
}

/// Every source key cited anywhere in the case: its strikes' and the statements'.
fn known_source_keys(case: &Case) -> std::collections::HashSet<&str> {
    case.events
        .iter()
        .flat_map(|event| event.properties.sources.iter())
        .chain(case.statement_sources.iter())
        .map(|source| source.key.as_str())
        .collect()
}

/// Something wrong with an annotation: its index and id, the field's path in it, what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationProblem {
    pub index: usize,
    pub id: String,
    pub field: String,
    pub message: String,
}

/// What is wrong with the case's annotations: a repeated or empty id, too few points, a
/// position out of range, a radius that is not a positive distance, a width out of range, a
/// source key no source of the case has, a step that is no strike or statement.
pub fn annotation_problems(case: &Case) -> Vec<AnnotationProblem> {
    let mut found = Vec::new();
    let keys = known_source_keys(case);
    let mut ids = std::collections::HashSet::new();
    for (index, annotation) in case.annotations.iter().enumerate() {
        let mut report = |field: String, message: String| {
            found.push(AnnotationProblem {
                index,
                id: annotation.id.clone(),
                field,
                message,
            });
        };
        if annotation.id.trim().is_empty() {
            report("id".into(), "is empty".into());
        } else if !ids.insert(annotation.id.as_str()) {
            report(
                "id".into(),
                format!("{:?} is the id of an earlier annotation", annotation.id),
            );
        }
        let kind = annotation.shape.kind();
        let points = annotation.shape.points();
        let (least, most) = kind.points_needed();
        if points.len() < least || most.is_some_and(|most| points.len() > most) {
            let wanted = match most {
                Some(most) if most == least => format!("{least}"),
                Some(most) => format!("{least} to {most}"),
                None => format!("at least {least}"),
            };
            let count = points.len();
            report(
                "shape.points".into(),
                format!(
                    "has {count} point{}; {} takes {wanted}",
                    if count == 1 { "" } else { "s" },
                    kind.with_article()
                ),
            );
        }
        for (point_index, at) in points.iter().enumerate() {
            if let Err(message) = checked_lon_lat(at.lon, at.lat) {
                report(format!("shape.points[{point_index}]"), message);
            }
        }
        if let Shape::RangeRings { radii_km, .. } = &annotation.shape {
            if radii_km.is_empty() {
                report(
                    "shape.radii_km".into(),
                    "is empty: give one radius or more".into(),
                );
            }
            for (radius_index, radius) in radii_km.iter().enumerate() {
                if !(radius.is_finite() && *radius > 0.0 && *radius <= 20_000.0) {
                    report(
                        format!("shape.radii_km[{radius_index}]"),
                        format!("{radius} is not a distance from 0 to 20,000 km"),
                    );
                }
            }
        }
        let width = annotation.style.width;
        if !(width.is_finite() && width > 0.0 && width <= MAX_WIDTH) {
            report(
                "style.width".into(),
                format!("{width} is not a width from 0 to {MAX_WIDTH} points"),
            );
        }
        for (key_index, key) in annotation.source_keys.iter().enumerate() {
            if !keys.contains(key.as_str()) {
                report(
                    format!("source_keys[{key_index}]"),
                    format!("cites {key:?}, which is no source of the case"),
                );
            }
        }
        for (step_index, step) in annotation.steps.iter().enumerate() {
            let known = case.event_index(step).is_some()
                || case
                    .statements
                    .iter()
                    .any(|statement| &statement.id == step);
            if !known {
                report(
                    format!("steps[{step_index}]"),
                    format!("{step:?} is no strike or statement of the case"),
                );
            }
        }
    }
    found
}
