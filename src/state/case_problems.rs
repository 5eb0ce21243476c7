//! A case's problems in words, each naming its place: "Event E1 (#1), claim 2 (Al Jazeera),
//! source: …". Pure code, no egui.

use strikemap_core::case::{Case, Problem, ProblemPlace};

/// A problem in words, a claim or a source named by its number and who or what it is.
pub fn describe_problem(case: &Case, problem: &Problem) -> String {
    let ProblemPlace::Event { index, id, field } = &problem.place else {
        return problem.to_string();
    };
    let event = case.events.get(*index);
    let numbered = |prefix: &str| -> Option<(usize, &str)> {
        let rest = field.strip_prefix(prefix)?;
        let (number, rest) = rest.split_once(']')?;
        Some((number.parse().ok()?, rest.trim_start_matches('.')))
    };
    let place = if let Some((claim, rest)) = numbered("casualty_claims[") {
        let claimant = event
            .and_then(|event| event.properties.casualty_claims.get(claim))
            .map_or("", |claim| claim.claimant.as_str());
        let who = if claimant.trim().is_empty() {
            String::new()
        } else {
            format!(" ({claimant})")
        };
        format!("claim {}{who}{}", claim + 1, part(rest))
    } else if let Some((source, rest)) = numbered("sources[") {
        let key = event
            .and_then(|event| event.properties.sources.get(source))
            .map_or("", |source| source.key.as_str());
        format!("source {} {key}{}", source + 1, part(rest))
    } else {
        field.replace('_', " ")
    };
    format!("Event {id} (#{}), {place}: {}", index + 1, problem.message)
}

fn part(rest: &str) -> String {
    if rest.is_empty() {
        String::new()
    } else {
        format!(", {}", rest.replace('_', " "))
    }
}
