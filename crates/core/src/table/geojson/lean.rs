//! Parsing one feature into a table row: the full event checks for events, a lean parse of
//! only what a point row keeps for other points.

use crate::error::LoadError;
use crate::formats::event_schema::{RawEventFeature, validate_event};
use crate::formats::rules::{self, BboxShape};
use crate::model::LonLat;
use crate::table::{NewRow, RowColumns, Span};
use serde::Deserialize;
use serde::de::{self, IgnoredAny};
use std::borrow::Cow;

pub(super) enum Step {
    /// A row was added; the feature took this many bytes.
    Row(usize),
    /// The feature (this many bytes) was skipped, for this reason.
    Bad(usize, String),
    Incomplete,
    Syntax(serde_json::Error),
}

/// Parses one value of type `T` at the start of `bytes`, telling apart a value that does not
/// fit `T` (skipped, with its length) from broken JSON.
pub(super) fn parse_feature<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
) -> Result<(T, usize), Step> {
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Ok((value, stream.byte_offset())),
        None => Err(Step::Incomplete),
        Some(Err(error)) if error.is_eof() => Err(Step::Incomplete),
        Some(Err(error)) if error.is_data() => {
            let mut skip = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
            match skip.next() {
                Some(Ok(_)) => Err(Step::Bad(skip.byte_offset(), String::new())),
                Some(Err(error)) if !error.is_eof() => Err(Step::Syntax(error)),
                _ => Err(Step::Incomplete),
            }
        }
        Some(Err(error)) => Err(Step::Syntax(error)),
    }
}

/// The JSON path and message of a feature that does not fit `T`.
pub(super) fn explain_misfit<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => "does not fit the schema".to_owned(),
        Err(error) => {
            let field = error.path().to_string();
            let inner = error.into_inner().to_string();
            let message = inner
                .rsplit_once(" at line ")
                .map_or(inner.as_str(), |(message, _)| message)
                .to_owned();
            format!("{field}: {message}")
        }
    }
}

pub(super) fn read_event_row(
    file: &str,
    local: usize,
    bytes: &[u8],
    rows: &mut RowColumns,
    span: &dyn Fn(usize) -> Span,
) -> Step {
    let (feature, len) = match parse_feature::<RawEventFeature>(bytes) {
        Ok(parsed) => parsed,
        Err(Step::Bad(len, _)) => {
            return Step::Bad(
                len,
                explain_misfit::<RawEventFeature>(bytes.get(..len).unwrap_or_default()),
            );
        }
        Err(step) => return step,
    };
    match validate_event(file, local, feature, None) {
        Ok(event) => {
            rows.push(NewRow::of_event(&event, span(len)));
            Step::Row(len)
        }
        Err(LoadError::Invalid { field, message, .. }) => {
            Step::Bad(len, format!("{field}: {message}"))
        }
        Err(other) => Step::Bad(len, other.to_string()),
    }
}

/// A feature of a generic point layer: only what the table keeps is read.
#[derive(Deserialize)]
pub(super) struct LeanFeature<'a> {
    #[serde(rename = "type", borrow)]
    pub(super) kind: Cow<'a, str>,
    #[serde(default, borrow)]
    pub(super) geometry: Option<LeanGeometry<'a>>,
    #[serde(default, borrow)]
    pub(super) properties: Option<LeanProperties<'a>>,
    #[serde(default, borrow)]
    pub(super) id: FeatureId<'a>,
    #[serde(default)]
    pub(super) bbox: Bbox,
}

#[derive(Deserialize)]
pub(super) struct LeanGeometry<'a> {
    #[serde(rename = "type", borrow)]
    pub(super) kind: Cow<'a, str>,
    #[serde(default)]
    pub(super) coordinates: Option<Coordinates>,
    #[serde(default)]
    pub(super) bbox: Bbox,
}

/// A feature's id as text (a string, a number, or a boolean written out), and what kind of value
/// it was when RFC 7946 does not allow it (anything but a string or number).
#[derive(Default)]
pub(super) struct FeatureId<'a> {
    text: Option<Cow<'a, str>>,
    problem: Option<(&'static str, Option<bool>)>,
}

impl<'de: 'a, 'a> Deserialize<'de> for FeatureId<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = FeatureId<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(FeatureId::text(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(FeatureId::text(Cow::Owned(text.to_owned())))
            }
            fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
                Ok(FeatureId::text(Cow::Owned(text)))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(FeatureId::text(Cow::Owned(value.to_string())))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(FeatureId::text(Cow::Owned(value.to_string())))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(FeatureId::text(Cow::Owned(value.to_string())))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
                Ok(FeatureId {
                    text: Some(Cow::Owned(value.to_string())),
                    problem: Some(("a boolean", Some(value))),
                })
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(FeatureId::problem("null"))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FeatureId::problem("an array"))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FeatureId::problem("an object"))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl<'a> FeatureId<'a> {
    fn text(text: Cow<'a, str>) -> Self {
        Self {
            text: Some(text),
            problem: None,
        }
    }

    fn problem(kind: &'static str) -> Self {
        Self {
            text: None,
            problem: Some((kind, None)),
        }
    }

    fn as_text(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }
}

/// The shape of a `bbox` member, when there is one (checked as the overlay reader checks it).
#[derive(Default)]
pub(super) struct Bbox(Option<BboxShape>);

impl<'de> Deserialize<'de> for Bbox {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Bbox;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a bbox")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let (mut len, mut all_numbers) = (0, true);
                while let Some(item) = seq.next_element::<Number>()? {
                    len += 1;
                    all_numbers &= item.0.is_ok();
                }
                Ok(Bbox(Some(BboxShape::Array { len, all_numbers })))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Bbox(Some(BboxShape::Other("a string"))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Bbox(Some(BboxShape::Other("a boolean"))))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Bbox(Some(BboxShape::Other("a number"))))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Bbox(Some(BboxShape::Other("a number"))))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Bbox(Some(BboxShape::Other("a number"))))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Bbox(Some(BboxShape::Other("null"))))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Bbox(Some(BboxShape::Other("an object"))))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
pub(super) struct LeanProperties<'a> {
    #[serde(default, borrow)]
    pub(super) event_id_cnty: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    pub(super) id: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    pub(super) name: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    pub(super) title: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    pub(super) event_date: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    pub(super) date: Option<Lenient<'a>>,
    #[serde(default, borrow)]
    pub(super) event_type: Option<Lenient<'a>>,
}

/// A property value as text: strings as they are, numbers and booleans printed; objects,
/// arrays and null are no text.
pub(super) struct Lenient<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Lenient<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(text))))
            }
            fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(text.to_owned()))))
            }
            fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(text))))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(value.to_string()))))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_some<D: de::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                Lenient::deserialize(deserializer)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Lenient<'_> {
    fn text(this: &Option<Self>) -> Option<&str> {
        this.as_ref()
            .and_then(|value| value.0.as_deref())
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }
}

/// A geometry's coordinates: one position (its numbers, and the first member after longitude
/// and latitude that is not a number: its index and kind), or something else (lines, rings, …).
pub(super) enum Coordinates {
    Position(Vec<f64>, Option<(usize, &'static str)>),
    NotAPosition,
}

impl<'de> Deserialize<'de> for Coordinates {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Coordinates;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("coordinates")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut numbers = Vec::with_capacity(3);
                let mut position = true;
                let mut extra = None;
                let mut index = 0;
                while let Some(item) = seq.next_element::<Number>()? {
                    match item {
                        Number(Ok(value)) if position => numbers.push(value),
                        // RFC 7946 §3.1.1: tolerated after longitude and latitude, as the
                        // overlay reader tolerates it.
                        Number(Err(kind)) if index >= 2 => {
                            extra = extra.or(Some((index, kind)));
                        }
                        _ => position = false,
                    }
                    index += 1;
                }
                Ok(if position {
                    Coordinates::Position(numbers, extra)
                } else {
                    Coordinates::NotAPosition
                })
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Coordinates::NotAPosition)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A number, or the kind of any other value (skipped).
pub(super) struct Number(Result<f64, &'static str>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Number(Ok(value)))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Number(Ok(value as f64)))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Number(Ok(value as f64)))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Number(Err("a string")))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Number(Err("a boolean")))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Number(Err("null")))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Number(Err("an array")))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Number(Err("an object")))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Reads a point feature into a row; what was tolerated in it (field, message) goes to
/// `warnings`, in the overlay reader's order and words.
pub(super) fn read_point_row(
    bytes: &[u8],
    rows: &mut RowColumns,
    span: &dyn Fn(usize) -> Span,
    warnings: &mut Vec<(String, String)>,
) -> Step {
    let (feature, len) = match parse_feature::<LeanFeature<'_>>(bytes) {
        Ok(parsed) => parsed,
        Err(Step::Bad(len, _)) => {
            return Step::Bad(
                len,
                explain_misfit::<LeanFeature<'_>>(bytes.get(..len).unwrap_or_default()),
            );
        }
        Err(step) => return step,
    };
    match point_row(&feature) {
        Ok((position, label, date, class)) => {
            tolerated(&feature, warnings);
            rows.push(NewRow {
                position,
                date,
                radius_km: None,
                class,
                label,
                span: span(len),
            });
            Step::Row(len)
        }
        Err(reason) => Step::Bad(len, reason),
    }
}

pub(super) type PointRow<'f> = (LonLat, &'f str, Option<crate::model::Date>, Option<&'f str>);

pub(super) fn point_row<'f>(feature: &'f LeanFeature<'_>) -> Result<PointRow<'f>, String> {
    if feature.kind != "Feature" {
        return Err(format!("type: is {:?}, expected \"Feature\"", feature.kind));
    }
    let geometry = feature
        .geometry
        .as_ref()
        .ok_or("geometry: is missing or null")?;
    if geometry.kind != "Point" {
        return Err(format!(
            "geometry: is a {}; a large file loads as a point layer, which keeps only Point \
             features",
            geometry.kind
        ));
    }
    let position = match &geometry.coordinates {
        Some(Coordinates::Position(numbers, _)) if (2..=3).contains(&numbers.len()) => {
            crate::formats::event_schema::checked_lon_lat(numbers[0], numbers[1])
                .map_err(|message| format!("geometry.coordinates: {message}"))?
        }
        _ => return Err("geometry.coordinates: not a [longitude, latitude] position".into()),
    };
    let properties = feature.properties.as_ref();
    let label = properties
        .and_then(|p| Lenient::text(&p.event_id_cnty))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.id)))
        .or_else(|| feature.id.as_text())
        .or_else(|| properties.and_then(|p| Lenient::text(&p.name)))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.title)))
        .unwrap_or("");
    let date = properties
        .and_then(|p| Lenient::text(&p.event_date))
        .or_else(|| properties.and_then(|p| Lenient::text(&p.date)))
        .and_then(|text| crate::formats::dates::parse_dataset_date(text).ok());
    let class = properties.and_then(|p| Lenient::text(&p.event_type));
    Ok((position, label, date, class))
}

/// The RFC 7946 breaks tolerated in a point feature ([`crate::formats::rules`]): an id that is not
/// a string or number, a bbox of the wrong shape, a non-numeric member in the position. Costs
/// nothing (no allocation) for a feature without one.
fn tolerated(feature: &LeanFeature<'_>, warnings: &mut Vec<(String, String)>) {
    if let Some((kind, boolean)) = feature.id.problem {
        warnings.push(("id".into(), rules::id_problem(kind, boolean)));
    }
    let bbox_problem = |bbox: &Bbox| bbox.0.and_then(rules::bbox_problem);
    if let Some(message) = bbox_problem(&feature.bbox) {
        warnings.push(("bbox".into(), message));
    }
    let Some(geometry) = &feature.geometry else {
        return;
    };
    // The overlay reader says one bbox problem per feature.
    if let Some(message) = bbox_problem(&geometry.bbox)
        && bbox_problem(&feature.bbox).is_none()
    {
        warnings.push(("geometry.bbox".into(), message));
    }
    if let Some(Coordinates::Position(_, Some((index, kind)))) = &geometry.coordinates {
        warnings.push((
            "geometry.coordinates".into(),
            rules::position_extra_problem(*index, kind),
        ));
    }
}
