//! Reading case files, and today's events files as version-1 cases.
//!
//! What does not fit the format (not JSON, a wrong type, an unknown field, a date that is not
//! one, a newer version) is a [`LoadError`] naming the file, line:column and JSON path, or the
//! feature index and field. What the format can hold but is wrong (a claim citing a missing
//! source, a repeated id, a position out of range) is a [`Problem`]: [`parse_case`] opens the
//! case and lists them, so they can be shown and mended; [`parse_case_checked`] refuses them.

use super::problems::{Problem, ProblemPlace, problems};
use super::{Annotation, CASE_MEMBER, CASE_VERSION, Case, CaseMeta, CaseStatement, Layer, View};
use crate::error::LoadError;
use crate::formats::event_schema::check_event_document;
use crate::formats::json::parse_json;
use crate::model::{Date, EventProperties, LonLat, Source, StrikeEvent};
use serde::{Deserialize, Deserializer, Serialize};

/// A case as read, with what is wrong in it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedCase {
    pub case: Case,
    /// What [`problems`] finds; saving is refused until none is left.
    pub problems: Vec<Problem>,
    /// The file had no `strikemap_case` member (an events file): it was read as a version-1 case
    /// with defaults, and saving writes it as a case file.
    pub migrated: bool,
}

#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    strikemap_case: Option<ProbeMember>,
}

#[derive(Deserialize)]
struct ProbeMember {
    #[serde(default)]
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawCase {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    title: Option<String>,
    /// Some tools name a collection instead of titling it.
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    crs: Option<serde_json::Value>,
    #[serde(default)]
    strikemap_case: Option<CaseMember>,
    features: Vec<RawFeature>,
}

/// The `strikemap_case` member, as stored.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseMember {
    pub(super) version: u32,
    #[serde(default)]
    pub(super) caveat: String,
    #[serde(default)]
    pub(super) view: Option<ViewMember>,
    #[serde(default)]
    pub(super) layers: Vec<Layer>,
    #[serde(default)]
    pub(super) statements: Vec<CaseStatement>,
    #[serde(default)]
    pub(super) statement_sources: Vec<Source>,
    /// From version 2.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) annotations: Vec<Annotation>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ViewMember {
    /// `[longitude, latitude]`, as GeoJSON positions are.
    pub(super) center: [f64; 2],
    pub(super) zoom: f64,
}

pub(super) fn iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    let text = String::deserialize(deserializer)?;
    Date::parse_iso(&text).map_err(serde::de::Error::custom)
}

pub(super) fn write_iso_date<S: serde::Serializer>(
    date: &Date,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&date.to_iso())
}

#[derive(Deserialize)]
struct RawFeature {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    geometry: Option<RawPoint>,
    properties: EventProperties,
}

#[derive(Deserialize)]
struct RawPoint {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Vec<f64>,
}

/// Reads a case file, or an events file as a version-1 case (see the module doc).
pub fn parse_case(file: &str, text: &str) -> Result<LoadedCase, LoadError> {
    let document = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let probe: VersionProbe = parse_json(file, text)?;
    if let Some(member) = &probe.strikemap_case {
        let version = member.version.as_ref().and_then(serde_json::Value::as_u64);
        match version {
            Some(version) if super::migrate::reads(version) => {}
            Some(version) if version > u64::from(CASE_VERSION) => {
                return Err(document(format!(
                    "{CASE_MEMBER}.version: the file is a version {version} case, written by a \
                     newer Strikemap; this version reads case files up to version {CASE_VERSION}"
                )));
            }
            _ => {
                return Err(document(format!(
                    "{CASE_MEMBER}.version: is {}, expected a version from 1 to {CASE_VERSION}",
                    member
                        .version
                        .as_ref()
                        .map_or_else(|| "missing".to_owned(), ToString::to_string)
                )));
            }
        }
    }
    parse_case_of_known_version(file, text)
}

/// [`parse_case`] for a text whose `strikemap_case` version is known to be one this code reads
/// (written by this code, as the team store's case text is): the version probe, a pass over the
/// whole text, is left out. A version it does not read is still refused, as a field error.
pub fn parse_case_of_known_version(file: &str, text: &str) -> Result<LoadedCase, LoadError> {
    let document = |message: String| LoadError::Document {
        file: file.to_owned(),
        message,
    };
    let raw: RawCase = parse_json(file, text)?;
    if let Some(member) = &raw.strikemap_case
        && !super::migrate::reads(u64::from(member.version))
    {
        return Err(document(format!(
            "{CASE_MEMBER}.version: is {}, expected a version from 1 to {CASE_VERSION}",
            member.version
        )));
    }
    let as_of = check_event_document(file, &raw.kind, raw.schema.as_deref(), raw.as_of.as_deref())?;
    if raw.crs.as_ref().is_some_and(|crs| !crs.is_null()) {
        return Err(document(
            "crs: a case is in WGS 84 longitude, latitude (RFC 7946) and has no crs member; \
             import a file in another system with Import, which reprojects it"
                .into(),
        ));
    }
    let mut events = Vec::with_capacity(raw.features.len());
    for (feature_index, feature) in raw.features.into_iter().enumerate() {
        events.push(read_event(file, feature_index, feature)?);
    }
    let migrated = raw.strikemap_case.is_none();
    let member = raw.strikemap_case.unwrap_or(CaseMember {
        version: CASE_VERSION,
        caveat: String::new(),
        view: None,
        layers: Vec::new(),
        statements: Vec::new(),
        statement_sources: Vec::new(),
        annotations: Vec::new(),
    });
    let member = migrate(file, member)?;
    let case = Case {
        meta: CaseMeta {
            version: member.version,
            title: raw.title.or(raw.name).unwrap_or_default(),
            as_of,
            caveat: member.caveat,
        },
        events,
        statements: member.statements,
        statement_sources: member.statement_sources,
        view: member.view.map(|view| View {
            center: LonLat {
                lon: view.center[0],
                lat: view.center[1],
            },
            zoom: view.zoom,
        }),
        layers: member.layers,
        annotations: member.annotations,
    };
    let problems = problems(&case);
    Ok(LoadedCase {
        case,
        problems,
        migrated,
    })
}

/// Brings a case member of an older version up to [`CASE_VERSION`], one version at a time.
fn migrate(file: &str, mut member: CaseMember) -> Result<CaseMember, LoadError> {
    // Version 1 → 2 added annotations (and evidence on sources): a version-1 case has none.
    if member.version == 1 && !member.annotations.is_empty() {
        return Err(LoadError::Document {
            file: file.to_owned(),
            message: format!(
                "{CASE_MEMBER}.annotations: a version 1 case has no annotations (they came with \
                 version 2); set the version to 2"
            ),
        });
    }
    member.version = super::migrate::to_current(member.version);
    Ok(member)
}

/// [`parse_case`], refusing a case with any problem: the first is the error, with its place.
pub fn parse_case_checked(file: &str, text: &str) -> Result<Case, LoadError> {
    let loaded = parse_case(file, text)?;
    match loaded.problems.first() {
        None => Ok(loaded.case),
        Some(problem) => Err(problem_error(file, problem, loaded.problems.len())),
    }
}

/// A problem as a load error of the file it was found in.
pub(super) fn problem_error(file: &str, problem: &Problem, total: usize) -> LoadError {
    let more = match total {
        0 | 1 => String::new(),
        2 => " (and 1 more problem)".to_owned(),
        n => format!(" (and {} more problems)", n - 1),
    };
    match &problem.place {
        ProblemPlace::Event { index, id, field } => LoadError::Invalid {
            file: file.to_owned(),
            feature_index: *index,
            feature_id: (!id.is_empty()).then(|| id.clone()),
            field: if field.is_empty() {
                "properties".to_owned()
            } else if field == "position" {
                "geometry".to_owned()
            } else {
                format!("properties.{field}")
            },
            message: format!("{}{more}", problem.message),
        },
        place => LoadError::Document {
            file: file.to_owned(),
            message: format!("{}: {}{more}", place.json_path(), problem.message),
        },
    }
}

fn read_event(
    file: &str,
    feature_index: usize,
    feature: RawFeature,
) -> Result<StrikeEvent, LoadError> {
    let feature_id = (!feature.properties.id.is_empty()).then(|| feature.properties.id.clone());
    let invalid = |field: &str, message: String| LoadError::Invalid {
        file: file.to_owned(),
        feature_index,
        feature_id: feature_id.clone(),
        field: field.to_owned(),
        message,
    };
    if feature.kind != "Feature" {
        return Err(invalid(
            "type",
            format!("is {:?}, expected \"Feature\"", feature.kind),
        ));
    }
    let point = feature.geometry.ok_or_else(|| {
        invalid(
            "geometry",
            "is missing or null; an event needs a Point".into(),
        )
    })?;
    if point.kind != "Point" {
        return Err(invalid(
            "geometry",
            format!(
                "is a {}, expected a Point (events are points; their precision is a radius)",
                point.kind
            ),
        ));
    }
    let [lon, lat, ..] = point.coordinates[..] else {
        return Err(invalid(
            "geometry.coordinates",
            format!(
                "a Point has {} coordinates, expected [longitude, latitude]",
                point.coordinates.len()
            ),
        ));
    };
    if point.coordinates.len() > 3 {
        return Err(invalid(
            "geometry.coordinates",
            format!(
                "a Point has {} coordinates, expected [longitude, latitude]",
                point.coordinates.len()
            ),
        ));
    }
    let date = Date::parse_iso(&feature.properties.date)
        .map_err(|message| invalid("properties.date", message))?;
    Ok(StrikeEvent {
        properties: feature.properties,
        date,
        position: LonLat { lon, lat },
    })
}
