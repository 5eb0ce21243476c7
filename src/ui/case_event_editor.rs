//! Editing the selected strike of the case: every field of the event schema, the casualty
//! claims as a table (add, remove, reorder; a source chosen from the event's sources) and the
//! sources (`case_sources`). Reads the case, returns edits as commands.

use super::case_fields::{Form, problems_ui, read_radius};
use crate::coords::{format_decimal, format_mgrs, parse_position};
use crate::model::{CasualtyClaim, StrikeEvent};
use crate::state::{CaseSession, Command};
use egui::{RichText, Ui};
use strikemap_core::case::edit::{ClaimField, CountPart, Edit, EventField, SourceOwner, Toll};

/// The editor of the case's event at `index`.
pub fn event_editor_ui(ui: &mut Ui, session: &CaseSession, index: usize, form: &mut Form<'_>) {
    let Some(event) = session.case.events.get(index) else {
        return;
    };
    let p = &event.properties;
    let set = move |field: EventField| Edit::SetEvent {
        event: index,
        field,
    };
    let problems = |field: &'static str| session.event_problems(index, field);
    ui.horizontal(|ui| {
        ui.strong(format!("Edit strike {}", event.id()));
        form.button(ui, "Delete strike", || {
            Command::EditCase(Edit::DeleteEvent { index })
        });
        form.button(ui, "Duplicate strike", || {
            Command::EditCase(Edit::AddEvent {
                index: index + 1,
                event: Box::new(crate::state::duplicate_strike(
                    event,
                    &session.case.next_event_id(),
                )),
            })
        });
    });
    form.text(
        ui,
        "Title",
        "Strike title",
        &p.title,
        false,
        problems("title"),
        |text| set(EventField::Title(text)),
    );
    form.text(
        ui,
        "Id",
        "Strike id",
        &p.id,
        false,
        problems("id"),
        |text| set(EventField::Id(text)),
    );
    let date = event.date;
    form.parsed(
        ui,
        "Date (YYYY-MM-DD)",
        "Strike date",
        date.to_iso(),
        strikemap_core::case::parse_date,
        |_| None,
        problems("date"),
        |value| (value != date).then(|| set(EventField::Date(value))),
    );
    form.optional(
        ui,
        "Time as reported",
        "Strike time as reported",
        p.time_as_reported.as_deref(),
        problems("time_as_reported"),
        |value| set(EventField::TimeAsReported(value)),
    );
    form.optional(
        ui,
        "Attacker (country)",
        "Attacker",
        p.attacker.as_deref(),
        problems("attacker"),
        |value| set(EventField::Attacker(value)),
    );
    form.text(
        ui,
        "Target country",
        "Strike target country",
        &p.target_country,
        false,
        problems("target_country"),
        |text| set(EventField::TargetCountry(text)),
    );
    form.text(
        ui,
        "Province",
        "Strike province",
        &p.province,
        false,
        problems("province"),
        |text| set(EventField::Province(text)),
    );
    form.text(
        ui,
        "District",
        "Strike district",
        &p.district,
        false,
        problems("district"),
        |text| set(EventField::District(text)),
    );
    form.text(
        ui,
        "Place as reported",
        "Strike place as reported",
        &p.place_as_reported,
        false,
        problems("place_as_reported"),
        |text| set(EventField::PlaceAsReported(text)),
    );
    position_ui(ui, event, index, session, form);
    precision_ui(ui, event, index, session, form);
    form.optional(
        ui,
        "Weapons",
        "Strike weapons",
        p.weapons.as_deref(),
        problems("weapons"),
        |value| set(EventField::Weapons(value)),
    );
    form.optional(
        ui,
        "Claimed target",
        "Strike claimed target",
        p.claimed_target.as_deref(),
        problems("claimed_target"),
        |value| set(EventField::ClaimedTarget(value)),
    );
    form.optional(
        ui,
        "Operation",
        "Strike operation",
        p.operation.as_deref(),
        problems("operation"),
        |value| set(EventField::Operation(value)),
    );
    form.text(
        ui,
        "Where sources conflict (one note a line)",
        "Conflict notes",
        &p.conflict_notes.join("\n"),
        true,
        problems("conflict_notes"),
        |text| {
            let notes = if text.is_empty() {
                Vec::new()
            } else {
                text.split('\n').map(str::to_owned).collect()
            };
            set(EventField::ConflictNotes(notes))
        },
    );
    ui.add_space(6.0);
    claims_ui(ui, event, index, session, form);
    ui.add_space(6.0);
    ui.strong("Sources of this strike");
    let owner = SourceOwner::Event(index);
    super::case_sources::sources_editor_ui(
        ui,
        &p.sources,
        owner,
        &|source, field| session.event_problems(index, &format!("sources[{source}].{field}")),
        form,
    );
    super::case_sources::reuse_source_ui(ui, session, index, form);
}

fn position_ui(
    ui: &mut Ui,
    event: &StrikeEvent,
    index: usize,
    session: &CaseSession,
    form: &mut Form<'_>,
) {
    let position = event.position;
    form.parsed(
        ui,
        "Position (decimal degrees, degrees-minutes-seconds or MGRS)",
        "Position",
        format_decimal(position),
        |text| parse_position(text).map_err(|error| error.message),
        |read| Some(read_as(*read)),
        session.event_problems(index, "position"),
        |value| {
            (value != position).then_some(Edit::SetEvent {
                event: index,
                field: EventField::Position(value),
            })
        },
    );
}

/// A position in the forms a briefer may check it against.
pub fn read_as(position: crate::model::LonLat) -> String {
    let mut text = format!("Read as {}", format_decimal(position));
    if let Some(mgrs) = format_mgrs(position) {
        text.push_str(&format!(" · MGRS {mgrs}"));
    }
    text
}

fn precision_ui(
    ui: &mut Ui,
    event: &StrikeEvent,
    index: usize,
    session: &CaseSession,
    form: &mut Form<'_>,
) {
    let location = &event.properties.location;
    let set = move |field: EventField| Edit::SetEvent {
        event: index,
        field,
    };
    form.text(
        ui,
        "Location precision: level (e.g. town, district, province)",
        "Precision level",
        &location.level,
        false,
        session.event_problems(index, "location.level"),
        |text| set(EventField::Level(text)),
    );
    ui.horizontal(|ui| {
        ui.label("ACLED geo_precision");
        let current = location.geo_precision;
        let combo = egui::ComboBox::from_id_salt("geo-precision")
            .selected_text(current.to_string())
            .show_ui(ui, |ui| {
                for area in crate::formats::precision::ACLED_GEO_PRECISION {
                    let text = format!(
                        "{}: {} (~{:.0} km)",
                        area.code, area.meaning, area.radius_km
                    );
                    if ui
                        .add_enabled(
                            form.enabled,
                            egui::Button::selectable(current == area.code, text),
                        )
                        .clicked()
                        && current != area.code
                    {
                        form.commands.push(Command::EditCase(Edit::Batch(vec![
                            set(EventField::GeoPrecision(area.code)),
                            set(EventField::Level(area.level.to_owned())),
                            set(EventField::RadiusKm(area.radius_km)),
                        ])));
                    }
                }
            });
        combo.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Strike geo_precision code")
        });
    });
    problems_ui(ui, session.event_problems(index, "location.geo_precision"));
    let radius = location.radius_km;
    form.parsed(
        ui,
        "Radius of uncertainty (km)",
        "Radius (km)",
        format!("{radius}"),
        read_radius,
        |_| None,
        session.event_problems(index, "location.radius_km"),
        |value| (value != radius).then(|| set(EventField::RadiusKm(value))),
    );
    form.text(
        ui,
        "Basis of the location",
        "Location basis",
        &location.basis,
        false,
        session.event_problems(index, "location.basis"),
        |text| set(EventField::Basis(text)),
    );
}

/// The casualty claims, one block a claim: claimant, source, the killed and injured figures.
fn claims_ui(
    ui: &mut Ui,
    event: &StrikeEvent,
    index: usize,
    session: &CaseSession,
    form: &mut Form<'_>,
) {
    let claims = &event.properties.casualty_claims;
    ui.horizontal(|ui| {
        ui.strong("Casualty claims (one per claimant)");
        form.button(ui, "Add claim", || {
            Command::EditCase(Edit::AddClaim {
                event: index,
                index: claims.len(),
                claim: CasualtyClaim {
                    claimant: String::new(),
                    killed: None,
                    injured: None,
                    source: String::new(),
                    note: None,
                },
            })
        });
    });
    for (row, claim) in claims.iter().enumerate() {
        let number = row + 1;
        let set = move |field: ClaimField| Edit::SetClaim {
            event: index,
            index: row,
            field,
        };
        let path = |field: &str| format!("casualty_claims[{row}].{field}");
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Claim {number}")).strong());
                form.small_button(
                    ui,
                    "Up",
                    &format!("Move claim {number} up"),
                    row > 0,
                    || {
                        Command::EditCase(Edit::MoveClaim {
                            event: index,
                            from: row,
                            to: row - 1,
                        })
                    },
                );
                form.small_button(
                    ui,
                    "Down",
                    &format!("Move claim {number} down"),
                    row + 1 < claims.len(),
                    || {
                        Command::EditCase(Edit::MoveClaim {
                            event: index,
                            from: row,
                            to: row + 1,
                        })
                    },
                );
                form.small_button(
                    ui,
                    "Remove",
                    &format!("Remove claim {number}"),
                    true,
                    || {
                        Command::EditCase(Edit::RemoveClaim {
                            event: index,
                            index: row,
                        })
                    },
                );
            });
            form.text(
                ui,
                "Claimant",
                &format!("Claim {number} claimant"),
                &claim.claimant,
                false,
                session.event_problems(index, &path("claimant")),
                |text| set(ClaimField::Claimant(text)),
            );
            source_choice_ui(
                ui,
                event,
                claim,
                number,
                form,
                set(ClaimField::Source(String::new())),
            );
            problems_ui(ui, session.event_problems(index, &path("source")));
            for (toll, name, count) in [
                (Toll::Killed, "killed", &claim.killed),
                (Toll::Injured, "injured", &claim.injured),
            ] {
                figure_ui(ui, index, row, toll, name, count.as_ref(), form);
                problems_ui(ui, session.event_problems(index, &path(name)));
            }
        });
    }
}

/// The claim's source, chosen from the event's sources.
fn source_choice_ui(
    ui: &mut Ui,
    event: &StrikeEvent,
    claim: &CasualtyClaim,
    number: usize,
    form: &mut Form<'_>,
    template: Edit,
) {
    let label = format!("Claim {number} source");
    ui.horizontal(|ui| {
        ui.label("Source");
        let shown = if claim.source.is_empty() {
            "(choose a source)".to_owned()
        } else {
            claim.source.clone()
        };
        let combo = egui::ComboBox::from_id_salt(&label)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if event.properties.sources.is_empty() {
                    ui.label("Add a source to this strike first.");
                }
                for source in &event.properties.sources {
                    let text = format!("{} ({})", source.key, source.outlet);
                    if ui
                        .add_enabled(
                            form.enabled,
                            egui::Button::selectable(claim.source == source.key, text),
                        )
                        .clicked()
                        && claim.source != source.key
                        && let Edit::SetClaim { event, index, .. } = &template
                    {
                        form.commands.push(Command::EditCase(Edit::SetClaim {
                            event: *event,
                            index: *index,
                            field: ClaimField::Source(source.key.clone()),
                        }));
                    }
                }
            });
        combo
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
    });
}

/// One figure of a claim: the count, "at least", and children, women and men.
fn figure_ui(
    ui: &mut Ui,
    event: usize,
    row: usize,
    toll: Toll,
    name: &str,
    count: Option<&crate::model::Count>,
    form: &mut Form<'_>,
) {
    let number = row + 1;
    let figure = move |part: CountPart, value: Option<u32>| Edit::SetClaim {
        event,
        index: row,
        field: ClaimField::Figure(toll, part, value),
    };
    ui.horizontal(|ui| {
        ui.label(format!("{name}:"));
        form.number(
            ui,
            &format!("Claim {number} {name}"),
            count.map(|count| count.count),
            |value| Some(figure(CountPart::Count, value)),
            [],
        );
        if let Some(count) = count {
            let at_least = format!("Claim {number} {name} at least");
            form.check(ui, ["at least", &at_least], count.at_least, |value| {
                Edit::SetClaim {
                    event,
                    index: row,
                    field: ClaimField::AtLeast(toll, value),
                }
            });
            for (part, part_name, value) in [
                (CountPart::Children, "children", count.children),
                (CountPart::Women, "women", count.women),
                (CountPart::Men, "men", count.men),
            ] {
                ui.label(part_name);
                form.number(
                    ui,
                    &format!("Claim {number} {name} {part_name}"),
                    value,
                    |value| Some(figure(part, value)),
                    [],
                );
            }
        }
    });
}
