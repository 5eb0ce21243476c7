//! The event model: strikes, casualty claims, sources and provinces. Pure data, no egui.
//!
//! The serde shapes here are the on-disk event schema (the features of
//! `assets/cases/iran-pakistan-2024.geojson`, documented in `docs/data-format.md`); the event schema reader validates what serde alone cannot check.

mod date;
mod evidence;

pub use date::{Date, format_date_range};
pub use evidence::EvidenceFile;
use serde::{Deserialize, Serialize};

/// A count with the qualifiers sources attach to it ("at least", who was among them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub count: u32,
    #[serde(default)]
    pub at_least: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub women: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub men: Option<u32>,
    /// The low end of the claimant's range, where it gives one (UCDP GED `low`); `count` is then
    /// its best estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u32>,
    /// The high end of the claimant's range (UCDP GED `high`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u32>,
}

impl Count {
    /// `2`, `≥2` when the source says "at least", `12 (10–15)` when it gives a range.
    pub fn headline(&self) -> String {
        let count = if self.at_least {
            format!("≥{}", self.count)
        } else {
            self.count.to_string()
        };
        match (self.low, self.high) {
            (None, None) => count,
            (low, high) => {
                let end =
                    |value: Option<u32>| value.map_or_else(|| "?".to_owned(), |v| v.to_string());
                format!("{count} ({}–{})", end(low), end(high))
            }
        }
    }

    /// The parts (children, women, men) that the source gave.
    pub fn breakdown(&self) -> impl Iterator<Item = (&'static str, u32)> {
        [
            ("children", self.children),
            ("women", self.women),
            ("men", self.men),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.map(|value| (label, value)))
    }
}

/// One claimant's account of the toll. Claims are never merged or averaged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasualtyClaim {
    pub claimant: String,
    /// `None` when the claimant gave no figure (e.g. "a number of terrorists were killed").
    #[serde(default)]
    pub killed: Option<Count>,
    #[serde(default)]
    pub injured: Option<Count>,
    /// Key of an entry in the event's `sources`.
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl CasualtyClaim {
    /// One line for tooltips and cards: "≥2 killed, 3 injured (Al Jazeera)".
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        if let Some(killed) = &self.killed {
            parts.push(format!("{} killed", killed.headline()));
        }
        if let Some(injured) = &self.injured {
            parts.push(format!("{} injured", injured.headline()));
        }
        if parts.is_empty() {
            parts.push("no figure given".to_owned());
        }
        format!("{} ({})", parts.join(", "), self.claimant)
    }
}

/// A source cited by key from claims and fields of the same event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub key: String,
    pub outlet: String,
    /// `YYYY-MM-DD` or `YYYY-MM` as far as the source's date is known; `None` when it is not
    /// (ACLED and UCDP rows name their sources but not the dates of the pieces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// What the piece is, where its title is not known.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// Where the piece was read when there is no first-hand URL (a republished copy).
    #[serde(default)]
    pub read_via: Option<String>,
    /// An archived copy (the Wayback Machine, archive.today): http or https.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
    /// When the piece was retrieved: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Local files preserved from the piece (a screenshot, a PDF of the page, a video), each
    /// with its SHA-256 (case files version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceFile>,
}

impl Source {
    /// The date as far as known, or "undated" (dataset rows name sources without dates).
    pub fn date_text(&self) -> &str {
        self.date.as_deref().unwrap_or("undated")
    }

    /// The URL when it is safe to hand to the system browser: http and https only.
    pub fn browsable_url(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
    }
}

/// How precisely the place of an event is known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationPrecision {
    /// Administrative level the place is known to: "village", "town", "district", "county",
    /// "province".
    pub level: String,
    /// ACLED geo_precision: 1 the named town, 2 near a town or a small part of a region,
    /// 3 only a larger region is known.
    pub geo_precision: u8,
    /// Radius of the area in which the event may have happened, in km.
    pub radius_km: f64,
    /// Why the point and radius were chosen.
    pub basis: String,
    /// UCDP GED `where_prec` (1 to 7) for events imported from UCDP, kept as given; `geo_precision`
    /// then holds the nearest ACLED code (see `docs/data-format.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_prec: Option<u8>,
}

impl LocationPrecision {
    /// "district level, within ~60 km".
    pub fn in_words(&self) -> String {
        format!("{} level, within ~{:.0} km", self.level, self.radius_km)
    }

    pub fn radius_m(&self) -> f64 {
        self.radius_km * 1000.0
    }
}

/// Longitude and latitude in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// Which file format an event was imported from. Events written in the app's own schema have no
/// origin; imported ones keep theirs through export and re-import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventOrigin {
    /// A row of an ACLED CSV export.
    Acled,
    /// A row of a UCDP Georeferenced Event Dataset CSV.
    UcdpGed,
}

impl EventOrigin {
    /// "ACLED", "UCDP GED": the dataset's own name, also the claimant of its casualty figures.
    pub fn dataset_name(self) -> &'static str {
        match self {
            Self::Acled => "ACLED",
            Self::UcdpGed => "UCDP GED",
        }
    }
}

/// The properties of one event feature, as stored.
///
/// The strike-report fields (`attacker`, `weapons`, `claimed_target`, `operation`) are filled by
/// hand-made reports such as the bundled data. Events imported from ACLED or UCDP leave them
/// empty: those datasets name two actors (`actor1`, `actor2`) without saying who attacked whom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventProperties {
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD`; for an event known only to a span of days, its first day (see `date_end`).
    pub date: String,
    /// `YYYY-MM-DD`, the last day of the span when the event is known only to a span of days
    /// (UCDP GED `date_end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_end: Option<String>,
    /// ACLED `time_precision`: 1 the exact day, 2 a known week or weekend, 3 only the month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_precision: Option<u8>,
    /// UCDP GED `date_prec`: 1 the exact day, 2 within 2–6 days, 3 a week, 4 a month, 5 a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_prec: Option<u8>,
    pub time_as_reported: Option<String>,
    #[serde(default)]
    pub time_sources: Vec<String>,
    /// The state or group that struck, when a report says so. `None` for imported ACLED and UCDP
    /// events, whose actors are not attacker and defender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attacker: Option<String>,
    #[serde(default)]
    pub attacker_detail: Option<String>,
    #[serde(default)]
    pub attacker_sources: Vec<String>,
    /// Which dataset the event was imported from; `None` for events written in this schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<EventOrigin>,
    /// ACLED `event_type` ("Explosions/Remote violence"), or the UCDP type of violence in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// ACLED `sub_event_type` ("Air/drone strike").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_event_type: Option<String>,
    /// ACLED `actor1` or UCDP `side_a`. Not an attacker: the datasets do not say who struck.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor1: Option<String>,
    /// ACLED `actor2` or UCDP `side_b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor2: Option<String>,
    /// The country where the event happened (ACLED and UCDP `country`).
    pub target_country: String,
    /// First-level unit (ACLED `admin1`, UCDP `adm_1`); empty when a row does not give it.
    pub province: String,
    /// Second-level unit (ACLED `admin2`, UCDP `adm_2`); empty when a row does not give it.
    pub district: String,
    /// Third-level unit (ACLED `admin3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin3: Option<String>,
    pub place_as_reported: String,
    #[serde(default)]
    pub place_sources: Vec<String>,
    pub location: LocationPrecision,
    pub weapons: Option<String>,
    #[serde(default)]
    pub weapons_detail: Option<String>,
    #[serde(default)]
    pub weapons_sources: Vec<String>,
    pub claimed_target: Option<String>,
    #[serde(default)]
    pub claimed_target_sources: Vec<String>,
    pub operation: Option<String>,
    #[serde(default)]
    pub operation_sources: Vec<String>,
    pub casualty_claims: Vec<CasualtyClaim>,
    #[serde(default)]
    pub conflict_notes: Vec<String>,
    /// The dataset's description of the event (ACLED `notes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub sources: Vec<Source>,
    /// The row an imported event came from, as (column, value) pairs in file order, for the side
    /// panel. Not written when events are exported in the app's schema.
    #[serde(skip)]
    pub raw: Vec<(String, String)>,
}

impl EventProperties {
    /// An event with only its id, title, date and place precision: every report field empty,
    /// for the caller to fill in (a dataset row, a strike placed by hand).
    pub fn empty(id: String, title: String, date: Date, location: LocationPrecision) -> Self {
        EventProperties {
            id,
            title,
            date: date.to_iso(),
            date_end: None,
            time_precision: None,
            date_prec: None,
            time_as_reported: None,
            time_sources: Vec::new(),
            attacker: None,
            attacker_detail: None,
            attacker_sources: Vec::new(),
            origin: None,
            event_type: None,
            sub_event_type: None,
            actor1: None,
            actor2: None,
            target_country: String::new(),
            province: String::new(),
            district: String::new(),
            admin3: None,
            place_as_reported: String::new(),
            place_sources: Vec::new(),
            location,
            weapons: None,
            weapons_detail: None,
            weapons_sources: Vec::new(),
            claimed_target: None,
            claimed_target_sources: Vec::new(),
            operation: None,
            operation_sources: Vec::new(),
            casualty_claims: Vec::new(),
            conflict_notes: Vec::new(),
            notes: None,
            sources: Vec::new(),
            raw: Vec::new(),
        }
    }
}

/// A validated strike event: properties, a parsed date and a position.
#[derive(Clone, Debug, PartialEq)]
pub struct StrikeEvent {
    pub properties: EventProperties,
    pub date: Date,
    pub position: LonLat,
}

impl StrikeEvent {
    pub fn id(&self) -> &str {
        &self.properties.id
    }

    pub fn title(&self) -> &str {
        &self.properties.title
    }

    /// Who struck, when the data says so; `None` for imported ACLED and UCDP events.
    pub fn attacker(&self) -> Option<&str> {
        self.properties.attacker.as_deref()
    }

    pub fn source(&self, key: &str) -> Option<&Source> {
        self.properties
            .sources
            .iter()
            .find(|source| source.key == key)
    }

    /// The claim shown first: the data lists the seed article's claim first.
    pub fn headline_claim(&self) -> Option<&CasualtyClaim> {
        self.properties.casualty_claims.first()
    }

    /// Every source key the event cites, with the field that cites it.
    pub fn cited_source_keys(&self) -> Vec<(String, &str)> {
        let p = &self.properties;
        let mut cited: Vec<(String, &str)> = Vec::new();
        let lists: [(&str, &Vec<String>); 6] = [
            ("time_sources", &p.time_sources),
            ("attacker_sources", &p.attacker_sources),
            ("place_sources", &p.place_sources),
            ("weapons_sources", &p.weapons_sources),
            ("claimed_target_sources", &p.claimed_target_sources),
            ("operation_sources", &p.operation_sources),
        ];
        for (field, keys) in lists {
            for (index, key) in keys.iter().enumerate() {
                cited.push((format!("{field}[{index}]"), key.as_str()));
            }
        }
        for (index, claim) in p.casualty_claims.iter().enumerate() {
            cited.push((
                format!("casualty_claims[{index}].source"),
                claim.source.as_str(),
            ));
        }
        cited
    }
}

/// A first-level administrative unit drawn as a layer.
#[derive(Clone, Debug)]
pub struct Province {
    pub name: String,
    pub country: String,
    pub iso_3166_2: String,
    pub area_km2: f64,
    pub geometry: geo::MultiPolygon<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_headline_keeps_at_least_and_claimant() {
        let claim = CasualtyClaim {
            claimant: "Al Jazeera".into(),
            killed: Some(Count {
                count: 2,
                at_least: true,
                children: Some(2),
                ..Count::default()
            }),
            injured: Some(Count {
                count: 3,
                ..Count::default()
            }),
            source: "A1".into(),
            note: None,
        };
        assert_eq!(claim.headline(), "≥2 killed, 3 injured (Al Jazeera)");
        let no_figure = CasualtyClaim {
            killed: None,
            injured: None,
            ..claim
        };
        assert_eq!(no_figure.headline(), "no figure given (Al Jazeera)");
    }

    #[test]
    fn only_http_urls_are_browsable() {
        let mut source = Source {
            key: "A1".into(),
            outlet: "Al Jazeera".into(),
            date: Some("2024-01-19".into()),
            title: None,
            note: None,
            url: Some("javascript:alert(1)".into()),
            read_via: None,
            ..Source::default()
        };
        assert_eq!(source.browsable_url(), None);
        source.url = Some("file:///etc/passwd".into());
        assert_eq!(source.browsable_url(), None);
        source.url = Some("https://dawn.com/news/1806685".into());
        assert_eq!(
            source.browsable_url(),
            Some("https://dawn.com/news/1806685")
        );
    }
}
