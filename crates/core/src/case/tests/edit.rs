use super::super::edit::*;
use super::*;
use crate::model::{CasualtyClaim, Count, LonLat, Source};

fn ten_edits(case: &Case) -> Vec<Edit> {
    let new_event = {
        let mut event = case.events[0].clone();
        event.properties.id = case.next_event_id();
        event.properties.title = "A third strike".into();
        event
    };
    vec![
        Edit::SetMeta(MetaField::Title("Renamed".into())),
        Edit::SetEvent {
            event: 0,
            field: EventField::Position(LonLat {
                lon: 64.2,
                lat: 26.9,
            }),
        },
        Edit::AddEvent {
            index: 1,
            event: Box::new(new_event),
        },
        Edit::SetClaim {
            event: 0,
            index: 1,
            field: ClaimField::Figure(Toll::Killed, CountPart::Women, Some(0)),
        },
        Edit::AddClaim {
            event: 2,
            index: 0,
            claim: CasualtyClaim {
                claimant: "Someone".into(),
                killed: Some(Count {
                    count: 1,
                    ..Count::default()
                }),
                injured: None,
                source: "A1".into(),
                note: None,
            },
        },
        Edit::SetSource {
            owner: SourceOwner::Event(0),
            index: 0,
            field: SourceField::Url(None),
        },
        Edit::MoveEvent { from: 0, to: 2 },
        Edit::RemoveStatement { index: 3 },
        Edit::SetEvent {
            event: 1,
            field: EventField::Date(crate::model::Date::parse_iso("2024-01-20").unwrap()),
        },
        Edit::DeleteEvent { index: 0 },
    ]
}

#[test]
fn undo_and_redo_across_ten_edits_return_to_each_state_exactly() {
    let mut case = bundled();
    let mut history = History::new();
    let mut states = vec![case.clone()];
    assert!(!history.can_undo() && !history.can_redo());
    for edit in ten_edits(&case) {
        history.apply(&mut case, edit).unwrap();
        assert_ne!(&case, states.last().unwrap(), "each edit changes the case");
        states.push(case.clone());
    }
    assert_eq!(case.events.len(), 2);
    for expected in states.iter().rev().skip(1) {
        assert!(history.undo(&mut case));
        assert_eq!(&case, expected);
    }
    assert!(!history.undo(&mut case));
    assert!(history.can_redo());
    for expected in states.iter().skip(1) {
        assert!(history.redo(&mut case));
        assert_eq!(&case, expected);
    }
    assert!(!history.redo(&mut case));
    // Undo half, then a new edit clears the redo stack.
    for _ in 0..5 {
        history.undo(&mut case);
    }
    assert_eq!(case, states[5]);
    history
        .apply(&mut case, Edit::SetMeta(MetaField::Caveat("New".into())))
        .unwrap();
    assert!(!history.can_redo());
    assert!(history.undo(&mut case));
    assert_eq!(case, states[5]);
}

#[test]
fn a_failed_edit_changes_nothing() {
    let mut case = bundled();
    let before = case.clone();
    let mut history = History::new();
    let error = history
        .apply(&mut case, Edit::DeleteEvent { index: 7 })
        .unwrap_err();
    assert_eq!(error.to_string(), "there is no event #8 (there are 2)");
    let error = history
        .apply(
            &mut case,
            Edit::SetClaim {
                event: 0,
                index: 0,
                field: ClaimField::Figure(Toll::Killed, CountPart::Children, Some(1)),
            },
        )
        .map(|_| ());
    assert!(error.is_ok());
    history.undo(&mut case);
    // A batch that fails part-way is rolled back.
    let batch = Edit::Batch(vec![
        Edit::SetMeta(MetaField::Title("x".into())),
        Edit::SetClaim {
            event: 1,
            index: 5,
            field: ClaimField::AtLeast(Toll::Injured, true),
        },
    ]);
    assert!(history.apply(&mut case, batch).is_err());
    let no_figure = Edit::SetClaim {
        event: 1,
        index: 5,
        field: ClaimField::Figure(Toll::Injured, CountPart::Men, Some(1)),
    };
    let error = history.apply(&mut case, no_figure).unwrap_err().to_string();
    assert!(error.contains("no injured figure"), "{error}");
    assert_eq!(case, before);
}

#[test]
fn typing_merges_into_one_step_until_sealed() {
    let mut case = bundled();
    let before = case.clone();
    let mut history = History::new();
    for text in ["C", "Ca", "Cav"] {
        history
            .apply_typing(&mut case, Edit::SetMeta(MetaField::Caveat(text.into())))
            .unwrap();
    }
    assert_eq!(case.meta.caveat, "Cav");
    history.seal();
    history
        .apply_typing(&mut case, Edit::SetMeta(MetaField::Caveat("Cave".into())))
        .unwrap();
    // Another field starts its own step.
    for count in [1, 12] {
        history
            .apply_typing(
                &mut case,
                Edit::SetClaim {
                    event: 0,
                    index: 0,
                    field: ClaimField::Figure(Toll::Injured, CountPart::Count, Some(count)),
                },
            )
            .unwrap();
    }
    assert!(history.undo(&mut case));
    assert_eq!(case.events, before.events);
    assert_eq!(case.meta.caveat, "Cave");
    assert!(history.undo(&mut case));
    assert_eq!(case.meta.caveat, "Cav");
    assert!(history.undo(&mut case));
    assert_eq!(case, before);
    assert!(!history.can_undo());
    assert!(history.redo(&mut case) && history.redo(&mut case) && history.redo(&mut case));
    assert_eq!(
        case.events[0].properties.casualty_claims[0]
            .injured
            .as_ref()
            .unwrap()
            .count,
        12
    );
}

#[test]
fn every_kind_of_edit_undoes_exactly() {
    let start = bundled();
    let source = Source {
        key: "N1".into(),
        outlet: "NBC News".into(),
        date: Some("2024-01".into()),
        title: None,
        note: None,
        url: None,
        read_via: None,
        ..Default::default()
    };
    let statement = start.statements[0].clone();
    let layer = Layer {
        path: "a.kml".into(),
        name: "A".into(),
        visible: true,
        colour: "#112233".into(),
        opacity: 0.5,
    };
    let mut edits = vec![
        Edit::SetMeta(MetaField::AsOf(None)),
        Edit::SetMeta(MetaField::View(None)),
        Edit::MoveClaim {
            event: 0,
            from: 0,
            to: 5,
        },
        Edit::RemoveClaim { event: 1, index: 2 },
        Edit::SetClaim {
            event: 0,
            index: 2,
            field: ClaimField::Killed(None),
        },
        Edit::SetClaim {
            event: 0,
            index: 3,
            field: ClaimField::AtLeast(Toll::Killed, true),
        },
        Edit::SetClaim {
            event: 0,
            index: 3,
            field: ClaimField::Source("A2".into()),
        },
        Edit::SetClaim {
            event: 1,
            index: 0,
            field: ClaimField::Figure(Toll::Injured, CountPart::Count, Some(4)),
        },
        Edit::SetClaim {
            event: 1,
            index: 0,
            field: ClaimField::Figure(Toll::Killed, CountPart::Count, None),
        },
        Edit::AddSource {
            owner: SourceOwner::Event(1),
            index: 0,
            source: source.clone(),
        },
        Edit::AddSource {
            owner: SourceOwner::Statements,
            index: 6,
            source,
        },
        Edit::RemoveSource {
            owner: SourceOwner::Statements,
            index: 0,
        },
        Edit::SetSource {
            owner: SourceOwner::Statements,
            index: 1,
            field: SourceField::Date(Some("2024-01-17".into())),
        },
        Edit::AddStatement {
            index: 7,
            statement,
        },
        Edit::MoveStatement { from: 0, to: 6 },
        Edit::SetStatement {
            index: 2,
            field: StatementField::SourceKeys(vec![]),
        },
        Edit::SetStatement {
            index: 2,
            field: StatementField::Caveat(Some("None found.".into())),
        },
        Edit::AddLayer {
            index: 0,
            layer: layer.clone(),
        },
        Edit::SetLayer {
            index: 0,
            layer: Layer {
                visible: false,
                ..layer
            },
        },
        Edit::MoveLayer { from: 0, to: 0 },
        Edit::RemoveLayer { index: 0 },
        Edit::SetEvent {
            event: 0,
            field: EventField::Citations(CitationList::Weapons, vec!["A1".into()]),
        },
        Edit::SetEvent {
            event: 0,
            field: EventField::GeoPrecision(2),
        },
        Edit::SetEvent {
            event: 0,
            field: EventField::RadiusKm(12.5),
        },
        Edit::SetEvent {
            event: 0,
            field: EventField::Attacker(None),
        },
        Edit::SetEvent {
            event: 0,
            field: EventField::Operation(Some("Op".into())),
        },
        Edit::SetEvent {
            event: 1,
            field: EventField::ConflictNotes(vec![]),
        },
    ];
    edits.push(Edit::Batch(edits[..5].to_vec()));
    let mut case = start.clone();
    let mut history = History::new();
    for edit in edits {
        let before = case.clone();
        history
            .apply(&mut case, edit.clone())
            .unwrap_or_else(|error| panic!("{edit:?}: {error}"));
        history.undo(&mut case);
        assert_eq!(case, before, "{edit:?}");
        history.redo(&mut case);
    }
    while history.undo(&mut case) {}
    assert_eq!(case, start);
}

#[test]
fn a_dataset_event_becomes_a_strike_with_the_row_as_source() {
    let text = include_str!("../../../tests/fixtures/acled_current.csv");
    let imported = crate::formats::acled::parse_acled_csv("acled.csv", text).unwrap();
    let row = &imported.events[0];
    let mut case = bundled();
    let id = case.next_event_id();
    let strike = strike_from_dataset_event(row, "ACLED", "ACLED event PAK900001", &id);
    assert_eq!(strike.id(), "E3");
    assert_eq!(strike.position, row.position);
    assert_eq!(strike.date, row.date);
    assert_eq!(strike.properties.location, row.properties.location);
    assert_eq!(strike.properties.actor1, row.properties.actor1);
    assert_eq!(strike.properties.actor2, row.properties.actor2);
    assert!(strike.properties.raw.is_empty());
    let claims = &strike.properties.casualty_claims;
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].claimant, "ACLED");
    assert_eq!(claims[0].killed, row.properties.casualty_claims[0].killed);
    let cited = strike.source(&claims[0].source).unwrap();
    assert_eq!(cited.outlet, "ACLED");
    assert_eq!(cited.title.as_deref(), Some("ACLED event PAK900001"));
    // The outlets the row lists stay as imported.
    assert!(
        strike
            .properties
            .sources
            .contains(&row.properties.sources[0])
    );
    History::new()
        .apply(
            &mut case,
            Edit::AddEvent {
                index: 2,
                event: Box::new(strike),
            },
        )
        .unwrap();
    assert!(problems(&case).is_empty(), "{:?}", problems(&case));
    let text = write_case(&case);
    assert_eq!(parse_case_checked("c.geojson", &text).unwrap(), case);
    // A row without a fatalities figure gives a claim without one.
    let mut no_figure = row.clone();
    no_figure.properties.casualty_claims[0].killed = None;
    let strike = strike_from_dataset_event(&no_figure, "ACLED", "row 2", "E9");
    assert_eq!(strike.properties.casualty_claims[0].killed, None);
}
