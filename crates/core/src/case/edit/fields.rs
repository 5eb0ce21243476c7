//! The fields an edit can set, each carrying its new value. Setting swaps the new value in and
//! hands the old one back, so the inverse of a set is the same set with the old value.

use crate::model::{CasualtyClaim, Count, Date, EvidenceFile, LonLat, Source, StrikeEvent};

use super::super::{CaseStatement, View};

/// A field of the case itself.
#[derive(Clone, Debug, PartialEq)]
pub enum MetaField {
    Title(String),
    AsOf(Option<Date>),
    Caveat(String),
    View(Option<View>),
}

/// Which list of source keys an event field cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CitationList {
    Time,
    Attacker,
    Place,
    Weapons,
    ClaimedTarget,
    Operation,
}

/// A field of an event (claims and sources have their own edits).
#[derive(Clone, Debug, PartialEq)]
pub enum EventField {
    Id(String),
    Title(String),
    /// Sets the parsed date and the stored `YYYY-MM-DD` text together.
    Date(Date),
    DateEnd(Option<String>),
    TimeAsReported(Option<String>),
    Attacker(Option<String>),
    AttackerDetail(Option<String>),
    TargetCountry(String),
    Province(String),
    District(String),
    PlaceAsReported(String),
    Position(LonLat),
    /// Location precision: the administrative level the place is known to.
    Level(String),
    /// Location precision: the ACLED code 1 to 3.
    GeoPrecision(u8),
    RadiusKm(f64),
    Basis(String),
    Weapons(Option<String>),
    WeaponsDetail(Option<String>),
    ClaimedTarget(Option<String>),
    Operation(Option<String>),
    ConflictNotes(Vec<String>),
    Notes(Option<String>),
    Citations(CitationList, Vec<String>),
}

/// The two tolls a claim gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Toll {
    Killed,
    Injured,
}

/// A number in a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CountPart {
    /// The count itself; `None` removes the whole figure ("no figure given").
    Count,
    Children,
    Women,
    Men,
    Low,
    High,
}

/// A field of a casualty claim.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimField {
    Claimant(String),
    /// The key of the event's source the claim was read in.
    Source(String),
    Note(Option<String>),
    /// The whole killed figure.
    Killed(Option<Count>),
    /// The whole injured figure.
    Injured(Option<Count>),
    /// One number of a figure. Setting the count of a claim without that figure creates it;
    /// setting another part needs the count first.
    Figure(Toll, CountPart, Option<u32>),
    /// The "at least" flag of a figure (which must exist).
    AtLeast(Toll, bool),
}

/// A field of a source.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceField {
    Key(String),
    Outlet(String),
    /// `YYYY-MM-DD` or `YYYY-MM`, as typed; [`crate::case::problems`] checks it.
    Date(Option<String>),
    Title(Option<String>),
    Note(Option<String>),
    /// Checked by [`crate::case::problems`]: http and https only.
    Url(Option<String>),
    ReadVia(Option<String>),
    /// Checked by [`crate::case::problems`]: http and https only.
    ArchiveUrl(Option<String>),
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`, as typed.
    Retrieved(Option<String>),
    /// The whole list of evidence files: attaching or removing one sets the list, so the
    /// inverse puts the old list back exactly.
    Evidence(Vec<EvidenceFile>),
}

/// A field of a statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementField {
    Id(String),
    Date(Date),
    TimeAsReported(Option<String>),
    By(String),
    Title(String),
    Detail(String),
    SourceKeys(Vec<String>),
    Caveat(Option<String>),
}

fn swap<T>(slot: &mut T, value: T) -> T {
    std::mem::replace(slot, value)
}

impl MetaField {
    pub(super) fn set(self, case: &mut super::super::Case) -> Self {
        let meta = &mut case.meta;
        match self {
            Self::Title(value) => Self::Title(swap(&mut meta.title, value)),
            Self::AsOf(value) => Self::AsOf(swap(&mut meta.as_of, value)),
            Self::Caveat(value) => Self::Caveat(swap(&mut meta.caveat, value)),
            Self::View(value) => Self::View(swap(&mut case.view, value)),
        }
    }
}

impl EventField {
    pub(super) fn set(self, event: &mut StrikeEvent) -> Self {
        let p = &mut event.properties;
        match self {
            Self::Id(value) => Self::Id(swap(&mut p.id, value)),
            Self::Title(value) => Self::Title(swap(&mut p.title, value)),
            Self::Date(value) => {
                p.date = value.to_iso();
                Self::Date(swap(&mut event.date, value))
            }
            Self::DateEnd(value) => Self::DateEnd(swap(&mut p.date_end, value)),
            Self::TimeAsReported(value) => {
                Self::TimeAsReported(swap(&mut p.time_as_reported, value))
            }
            Self::Attacker(value) => Self::Attacker(swap(&mut p.attacker, value)),
            Self::AttackerDetail(value) => {
                Self::AttackerDetail(swap(&mut p.attacker_detail, value))
            }
            Self::TargetCountry(value) => Self::TargetCountry(swap(&mut p.target_country, value)),
            Self::Province(value) => Self::Province(swap(&mut p.province, value)),
            Self::District(value) => Self::District(swap(&mut p.district, value)),
            Self::PlaceAsReported(value) => {
                Self::PlaceAsReported(swap(&mut p.place_as_reported, value))
            }
            Self::Position(value) => Self::Position(swap(&mut event.position, value)),
            Self::Level(value) => Self::Level(swap(&mut p.location.level, value)),
            Self::GeoPrecision(value) => {
                Self::GeoPrecision(swap(&mut p.location.geo_precision, value))
            }
            Self::RadiusKm(value) => Self::RadiusKm(swap(&mut p.location.radius_km, value)),
            Self::Basis(value) => Self::Basis(swap(&mut p.location.basis, value)),
            Self::Weapons(value) => Self::Weapons(swap(&mut p.weapons, value)),
            Self::WeaponsDetail(value) => Self::WeaponsDetail(swap(&mut p.weapons_detail, value)),
            Self::ClaimedTarget(value) => Self::ClaimedTarget(swap(&mut p.claimed_target, value)),
            Self::Operation(value) => Self::Operation(swap(&mut p.operation, value)),
            Self::ConflictNotes(value) => Self::ConflictNotes(swap(&mut p.conflict_notes, value)),
            Self::Notes(value) => Self::Notes(swap(&mut p.notes, value)),
            Self::Citations(list, value) => {
                let slot = match list {
                    CitationList::Time => &mut p.time_sources,
                    CitationList::Attacker => &mut p.attacker_sources,
                    CitationList::Place => &mut p.place_sources,
                    CitationList::Weapons => &mut p.weapons_sources,
                    CitationList::ClaimedTarget => &mut p.claimed_target_sources,
                    CitationList::Operation => &mut p.operation_sources,
                };
                Self::Citations(list, swap(slot, value))
            }
        }
    }
}

impl ClaimField {
    /// Sets the field; the inverse, or why it cannot be set.
    pub(super) fn set(self, claim: &mut CasualtyClaim) -> Result<Self, String> {
        Ok(match self {
            Self::Claimant(value) => Self::Claimant(swap(&mut claim.claimant, value)),
            Self::Source(value) => Self::Source(swap(&mut claim.source, value)),
            Self::Note(value) => Self::Note(swap(&mut claim.note, value)),
            Self::Killed(value) => Self::Killed(swap(&mut claim.killed, value)),
            Self::Injured(value) => Self::Injured(swap(&mut claim.injured, value)),
            Self::Figure(toll, part, value) => {
                let slot = toll_slot(claim, toll);
                let old = slot.clone();
                match (part, value, slot.as_mut()) {
                    (CountPart::Count, None, _) => *slot = None,
                    (CountPart::Count, Some(value), None) => {
                        *slot = Some(Count {
                            count: value,
                            ..Count::default()
                        });
                    }
                    (CountPart::Count, Some(value), Some(count)) => count.count = value,
                    (_, _, None) => {
                        return Err(format!(
                            "the claim gives no {} figure: set the number {} first",
                            toll_name(toll),
                            toll_name(toll)
                        ));
                    }
                    (CountPart::Children, value, Some(count)) => count.children = value,
                    (CountPart::Women, value, Some(count)) => count.women = value,
                    (CountPart::Men, value, Some(count)) => count.men = value,
                    (CountPart::Low, value, Some(count)) => count.low = value,
                    (CountPart::High, value, Some(count)) => count.high = value,
                }
                whole(toll, old)
            }
            Self::AtLeast(toll, value) => {
                let slot = toll_slot(claim, toll);
                let old = slot.clone();
                let Some(count) = slot.as_mut() else {
                    return Err(format!(
                        "the claim gives no {} figure to mark \"at least\"",
                        toll_name(toll)
                    ));
                };
                count.at_least = value;
                whole(toll, old)
            }
        })
    }
}

fn toll_slot(claim: &mut CasualtyClaim, toll: Toll) -> &mut Option<Count> {
    match toll {
        Toll::Killed => &mut claim.killed,
        Toll::Injured => &mut claim.injured,
    }
}

fn toll_name(toll: Toll) -> &'static str {
    match toll {
        Toll::Killed => "killed",
        Toll::Injured => "injured",
    }
}

fn whole(toll: Toll, count: Option<Count>) -> ClaimField {
    match toll {
        Toll::Killed => ClaimField::Killed(count),
        Toll::Injured => ClaimField::Injured(count),
    }
}

impl SourceField {
    pub(super) fn set(self, source: &mut Source) -> Self {
        match self {
            Self::Key(value) => Self::Key(swap(&mut source.key, value)),
            Self::Outlet(value) => Self::Outlet(swap(&mut source.outlet, value)),
            Self::Date(value) => Self::Date(swap(&mut source.date, value)),
            Self::Title(value) => Self::Title(swap(&mut source.title, value)),
            Self::Note(value) => Self::Note(swap(&mut source.note, value)),
            Self::Url(value) => Self::Url(swap(&mut source.url, value)),
            Self::ReadVia(value) => Self::ReadVia(swap(&mut source.read_via, value)),
            Self::ArchiveUrl(value) => Self::ArchiveUrl(swap(&mut source.archive_url, value)),
            Self::Retrieved(value) => Self::Retrieved(swap(&mut source.retrieved, value)),
            Self::Evidence(value) => Self::Evidence(swap(&mut source.evidence, value)),
        }
    }
}

impl StatementField {
    pub(super) fn set(self, statement: &mut CaseStatement) -> Self {
        match self {
            Self::Id(value) => Self::Id(swap(&mut statement.id, value)),
            Self::Date(value) => Self::Date(swap(&mut statement.date, value)),
            Self::TimeAsReported(value) => {
                Self::TimeAsReported(swap(&mut statement.time_as_reported, value))
            }
            Self::By(value) => Self::By(swap(&mut statement.by, value)),
            Self::Title(value) => Self::Title(swap(&mut statement.title, value)),
            Self::Detail(value) => Self::Detail(swap(&mut statement.detail, value)),
            Self::SourceKeys(value) => Self::SourceKeys(swap(&mut statement.source_keys, value)),
            Self::Caveat(value) => Self::Caveat(swap(&mut statement.caveat, value)),
        }
    }
}
