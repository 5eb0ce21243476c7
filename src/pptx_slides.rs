//! The words of a PowerPoint slide for the story step shown now: the title, the date line, the
//! card (who struck whom, the place, the claims per claimant as table rows, the sources) and
//! the speaker notes (every claim with its source's outlet, date and URL). Pure code, no egui;
//! the map picture comes from the app.

use crate::describe::{CASUALTY_COLUMNS, border_distance_text, casualty_row, who_struck_whom};
use crate::model::{Date, Source, StrikeEvent};
use crate::state::AppState;
use crate::timeline::Statement;
use strikemap_deck::pptx::{PptxSlide, SlideCard};

/// The slide for the step selected now (the overview when nothing is), with `picture_png`.
pub fn slide_for_step(
    state: &AppState,
    caveat: &str,
    made: Date,
    picture_png: Vec<u8>,
) -> PptxSlide {
    let title = state
        .title
        .clone()
        .unwrap_or_else(|| "Strikemap briefing".into());
    let (card, notes, picture_description) = if let Some(event) = state.selected() {
        (
            Some(event_card(state, event)),
            event_notes(event),
            format!("Map of {}: {}", event.title(), who_struck_whom(event)),
        )
    } else if let Some(statement) = state.selected_statement() {
        (
            Some(statement_card(statement)),
            statement_notes(statement),
            format!("Map of the parties to: {}", statement.title),
        )
    } else {
        let strikes = state.shown_events().len();
        let statements = state.shown_statements().len();
        let overview = format!(
            "Overview: {strikes} strikes and {statements} statements in the story.{}",
            state
                .date_span()
                .map(|(first, last)| format!(" From {first} to {last}."))
                .unwrap_or_default()
        );
        (None, vec![overview], format!("Overview map of {title}"))
    };
    PptxSlide {
        picture_png,
        picture_description,
        title,
        date_stamp: crate::map::furniture::date_stamp(made, state.as_of),
        case_caveat: state.case_caveat().map(str::to_owned),
        caveat: caveat.trim().to_owned(),
        card,
        notes,
    }
}

fn event_card(state: &AppState, event: &StrikeEvent) -> SlideCard {
    let p = &event.properties;
    let mut lines = vec![
        format!("{} · {}", event.date, who_struck_whom(event)),
        format!("{} ({})", p.district, p.location.in_words()),
    ];
    lines.extend(border_distance_text(state, event));
    lines.extend(p.conflict_notes.iter().map(|note| format!("• {note}")));
    SlideCard {
        heading: event.title().to_owned(),
        lines,
        claim_header: CASUALTY_COLUMNS
            .iter()
            .take(4)
            .map(|name| (*name).to_owned())
            .collect(),
        claims: p
            .casualty_claims
            .iter()
            .map(|claim| casualty_row(claim).into_iter().take(4).collect())
            .collect(),
        sources: p.sources.iter().map(source_line).collect(),
    }
}

fn statement_card(statement: &Statement) -> SlideCard {
    let mut lines = vec![
        format!("{} · {}", statement.date, statement.by),
        statement.detail.clone(),
    ];
    lines.extend(statement.caveat.clone());
    SlideCard {
        heading: statement.title.clone(),
        lines,
        claim_header: Vec::new(),
        claims: Vec::new(),
        sources: statement.sources.iter().map(source_line).collect(),
    }
}

/// "[A1] Al Jazeera, 2024-01-19".
fn source_line(source: &Source) -> String {
    format!("[{}] {}, {}", source.key, source.outlet, source.date_text())
}

/// "[A1] Al Jazeera, 2024-01-19, “Title”, https://…" (or "no URL; read via …").
fn source_in_full(source: &Source) -> String {
    let mut parts = vec![source_line(source)];
    if let Some(title) = source.title.as_deref().or(source.note.as_deref()) {
        parts.push(format!("“{title}”"));
    }
    match (&source.url, &source.read_via) {
        (Some(url), _) => parts.push(url.clone()),
        (None, Some(via)) => parts.push(format!("no URL; {via}")),
        (None, None) => parts.push("no URL".into()),
    }
    parts.join(", ")
}

fn event_notes(event: &StrikeEvent) -> Vec<String> {
    let p = &event.properties;
    let mut notes = vec![format!(
        "{} — {} — {}",
        event.title(),
        event.date,
        who_struck_whom(event)
    )];
    notes.push("Claims, as each claimant gives them:".into());
    for claim in &p.casualty_claims {
        let source = p.sources.iter().find(|source| source.key == claim.source);
        let cited = source.map_or_else(
            || format!("[{}] (not among the event's sources)", claim.source),
            source_in_full,
        );
        let note = claim
            .note
            .as_deref()
            .map(|note| format!(" {note}."))
            .unwrap_or_default();
        notes.push(format!(
            "• {}: {}.{note} Source: {cited}",
            claim.claimant,
            claim.headline()
        ));
    }
    if p.casualty_claims.is_empty() {
        notes.push("• No casualty claim recorded.".into());
    }
    notes.push("Sources:".into());
    notes.extend(
        p.sources
            .iter()
            .map(|source| format!("• {}", source_in_full(source))),
    );
    notes
}

fn statement_notes(statement: &Statement) -> Vec<String> {
    let mut notes = vec![
        format!(
            "{} — {} — {}",
            statement.title, statement.date, statement.by
        ),
        statement.detail.clone(),
    ];
    notes.extend(statement.caveat.clone());
    if statement.sources.is_empty() {
        notes.push("No source recorded for this statement.".into());
    } else {
        notes.push("Sources:".into());
        notes.extend(
            statement
                .sources
                .iter()
                .map(|source| format!("• {}", source_in_full(source))),
        );
    }
    notes
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::state::Command;

    #[test]
    fn a_strike_slide_has_its_claims_as_rows_and_every_claim_in_the_notes() {
        let mut state = AppState::bundled();
        let (event_ref, event) = state.find_event("E1").unwrap();
        let claims = event.properties.casualty_claims.len();
        state.apply(Command::Select(event_ref));
        let made = Date {
            year: 2024,
            month: 2,
            day: 2,
        };
        let slide = slide_for_step(&state, " EXERCISE ", made, Vec::new());
        assert_eq!(slide.caveat, "EXERCISE");
        let card = slide.card.unwrap();
        assert_eq!(card.claims.len(), claims);
        assert_eq!(card.claim_header[0], "Claimant");
        assert!(card.lines[0].contains("Iran"), "{:?}", card.lines);
        let claim_notes = slide
            .notes
            .iter()
            .filter(|line| line.contains("Source: ["))
            .count();
        assert_eq!(claim_notes, claims);
        assert!(
            slide
                .notes
                .iter()
                .any(|line| line.contains("https://dawn.com/news/1806685"))
        );
        assert!(
            slide.date_stamp.starts_with("Map made 2 Feb 2024"),
            "{}",
            slide.date_stamp
        );
    }
}
