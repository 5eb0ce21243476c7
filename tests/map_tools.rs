//! The analyst's tools on the map (issue #23): the measure tool, found by accessible labels.
//! No network, no display.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::{Harness, kittest::Queryable as _};
use strikemap::StrikemapApp;
use strikemap::model::LonLat;
use strikemap::state::ViewRequest;
use strikemap_core::measure;

fn harness() -> Harness<'static, StrikemapApp> {
    let mut harness = common::harness_with(1400.0, 900.0, |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.set_autosave_dir(None);
        app
    });
    harness.state_mut().state.pending_view = Some(ViewRequest::Show {
        center: LonLat {
            lon: 60.0,
            lat: 33.0,
        },
        zoom: 6.0,
    });
    harness.run_steps(4);
    harness
}

fn click(harness: &mut Harness<'_, StrikemapApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

fn press(harness: &mut Harness<'_, StrikemapApp>, key: Key) {
    for pressed in [true, false] {
        harness.event(Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run_steps(3);
}

fn lon_lat_at(harness: &Harness<'_, StrikemapApp>, at: Pos2) -> LonLat {
    let position = harness.state().map.projector().unproject(at.to_vec2());
    LonLat {
        lon: position.x(),
        lat: position.y(),
    }
}

/// Where on the map to click: a fraction of the map's width and height from its top left.
fn on_map(harness: &Harness<'_, StrikemapApp>, x: f32, y: f32) -> Pos2 {
    let rect = harness.state().map.last_rect;
    rect.min + egui::vec2(rect.width() * x, rect.height() * y)
}

fn copied_text(harness: &Harness<'_, StrikemapApp>) -> Option<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

#[test]
fn measuring_shows_each_leg_and_the_total_live_and_copies_them() {
    let mut harness = harness();
    click(&mut harness, "Measure");
    assert!(harness.state().state.measurement().is_some());
    let points = [
        on_map(&harness, 0.2, 0.5),
        on_map(&harness, 0.8, 0.55),
        on_map(&harness, 0.55, 0.8),
    ];
    let places: Vec<LonLat> = points.iter().map(|&at| lon_lat_at(&harness, at)).collect();
    common::pointer_click(&mut harness, points[0]);
    common::pointer_click(&mut harness, points[1]);
    // Live: the pointer resting at the third point is a third leg's end before it is clicked.
    harness.event(Event::PointerMoved(points[2]));
    harness.run_steps(2);
    let legs = measure::legs(&places);
    let lines = measure::leg_lines(&legs);
    harness.get_by_label(&lines[1]);
    harness.get_by_label(&measure::total_line(&legs));
    common::pointer_click(&mut harness, points[2]);
    // Esc ends: no more points, the result stays.
    press(&mut harness, Key::Escape);
    let measurement = harness.state().state.measurement().unwrap().clone();
    assert!(measurement.finished);
    assert_eq!(measurement.points.len(), 3);
    let elsewhere = on_map(&harness, 0.3, 0.7);
    common::pointer_click(&mut harness, elsewhere);
    assert_eq!(
        harness.state().state.measurement().unwrap().points.len(),
        3,
        "a click after Esc added a point"
    );
    for line in &lines {
        harness.get_by_label(line);
    }
    let total = measure::total_line(&legs);
    harness.get_by_label(&total);
    assert!(harness.query_by_label("Done").is_none());

    harness.get_by_label("Copy measurement").click();
    harness.run_steps(1);
    let copied = copied_text(&harness).expect("nothing was copied");
    assert!(
        copied.contains(&lines[0]) && copied.contains(&total),
        "{copied}"
    );
    assert_eq!(copied, measure::measurement_text(&places));

    // A second Esc closes it; M starts another.
    press(&mut harness, Key::Escape);
    assert!(harness.state().state.measurement().is_none());
    press(&mut harness, Key::M);
    assert!(harness.state().state.measurement().unwrap().is_adding());
    click(&mut harness, "Close");
    assert!(harness.state().state.measurement().is_none());
}

fn tall_harness() -> Harness<'static, StrikemapApp> {
    let mut harness = common::harness_with(1400.0, 1500.0, |ctx| {
        let mut app = StrikemapApp::new_offline(ctx);
        app.set_autosave_dir(None);
        app
    });
    click(&mut harness, "File");
    click(&mut harness, "New case");
    harness.state_mut().state.pending_view = Some(ViewRequest::Show {
        center: LonLat {
            lon: 62.5,
            lat: 27.5,
        },
        zoom: 6.0,
    });
    harness.run_steps(4);
    harness
}

fn type_into(harness: &mut Harness<'_, StrikemapApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

fn click_map(harness: &mut Harness<'_, StrikemapApp>, x: f32, y: f32) {
    let at = on_map(harness, x, y);
    common::pointer_click(harness, at);
}

fn annotations(harness: &Harness<'_, StrikemapApp>) -> Vec<strikemap::case::Annotation> {
    harness.state().state.case().case.annotations.clone()
}

#[test]
fn one_annotation_of_each_kind_is_drawn_saved_reopened_and_undone() {
    use strikemap::case::annotation::{Colour, Kind, Shape};
    let mut harness = tall_harness();
    click(&mut harness, "Annotations (0)");
    click(&mut harness, "Add arrow");
    click_map(&mut harness, 0.2, 0.3);
    click_map(&mut harness, 0.4, 0.5);
    click(&mut harness, "Add callout");
    click_map(&mut harness, 0.5, 0.4);
    click(&mut harness, "Add range rings");
    click_map(&mut harness, 0.3, 0.6);
    click(&mut harness, "Add area");
    for (x, y) in [(0.6, 0.6), (0.8, 0.6), (0.7, 0.8)] {
        click_map(&mut harness, x, y);
    }
    click(&mut harness, "Finish");
    // A line by typed positions.
    click(&mut harness, "Add line");
    for typed in ["27.0, 61.0", "27°30'N 62°00'E"] {
        type_into(&mut harness, "Position of the next point", typed);
        click(&mut harness, "Add point");
    }
    click(&mut harness, "Finish");
    let drawn = annotations(&harness);
    let kinds: Vec<Kind> = drawn.iter().map(|a| a.shape.kind()).collect();
    assert_eq!(kinds, Kind::ALL, "{drawn:?}");
    assert_eq!(
        drawn[4].shape,
        Shape::Line {
            points: vec![[61.0, 27.0], [62.0, 27.5]]
        }
    );
    // Edited through their labelled fields.
    click(&mut harness, "Range rings A3: Range");
    type_into(&mut harness, "Radii of annotation A3", "300, 1000");
    harness.get_by_label("Label of annotation A3").focus();
    harness.run_steps(2);
    click(&mut harness, "Arrow A1");
    type_into(
        &mut harness,
        "Label of annotation A1",
        "Launch area to impact",
    );
    click(&mut harness, "Colour of annotation A1");
    click(&mut harness, "Vermillion");
    let edited = annotations(&harness);
    assert_eq!(
        edited[2].shape,
        Shape::RangeRings {
            center: drawn[2]
                .shape
                .points()
                .first()
                .map(|at| [at.lon, at.lat])
                .unwrap(),
            radii_km: vec![300.0, 1000.0]
        }
    );
    assert_eq!(edited[0].label, "Launch area to impact");
    assert_eq!(edited[0].style.colour, Colour::Vermillion);
    assert!(harness.state().state.case().problems().is_empty());

    // Undo takes back the colour, then the label; Redo gives them again.
    click(&mut harness, "Undo");
    assert_eq!(annotations(&harness)[0].style.colour, Colour::Black);
    click(&mut harness, "Undo");
    assert_eq!(annotations(&harness)[0].label, "");
    click(&mut harness, "Redo");
    click(&mut harness, "Redo");
    assert_eq!(annotations(&harness), edited);

    let dir = std::env::temp_dir().join(format!("strikemap-annotations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("annotated.geojson");
    assert_eq!(
        harness.state_mut().save_case_as(file.clone()),
        strikemap::app::SaveOutcome::Saved
    );
    let mut reopened = tall_harness();
    reopened.state_mut().open_case_file(&file).unwrap();
    reopened.run_steps(3);
    assert_eq!(annotations(&reopened), edited);
    assert_eq!(
        reopened.state().state.case().case,
        harness.state().state.case().case
    );
    // Deleting one is undone too.
    click(&mut reopened, "Annotations (5)");
    click(&mut reopened, "Callout A2: Callout");
    click(&mut reopened, "Delete annotation A2");
    assert_eq!(annotations(&reopened).len(), 4);
    click(&mut reopened, "Undo");
    assert_eq!(annotations(&reopened), edited);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_annotation_is_shown_only_on_its_chosen_steps() {
    use strikemap::case::Annotation;
    use strikemap::case::annotation::Kind;
    use strikemap::case::edit::Edit;
    use strikemap::slide_text::TextRecorder;
    use strikemap::state::Command;
    let mut harness = tall_harness();
    TextRecorder::install(&harness.ctx);
    let app = harness.state_mut();
    for lon in [61.5, 63.5] {
        app.apply(Command::StartPlacingStrike);
        app.apply(Command::PlaceStrike(LonLat { lon, lat: 27.5 }));
    }
    let at = |lon| LonLat { lon, lat: 27.2 };
    let mut only_second = Annotation::new(
        "A1".into(),
        Kind::Callout.shape(&[at(63.0)], &[]),
        "Only on the second strike",
    );
    only_second.steps = vec!["E2".into()];
    let everywhere = Annotation::new(
        "A2".into(),
        Kind::Callout.shape(&[at(62.0)], &[]),
        "On every step",
    );
    for (index, annotation) in [only_second, everywhere].into_iter().enumerate() {
        app.apply(Command::EditCase(Edit::AddAnnotation {
            index,
            annotation: Box::new(annotation),
        }));
    }
    app.apply(Command::Present);
    let drawn = |harness: &mut Harness<'_, StrikemapApp>| {
        harness.run_steps(3);
        TextRecorder::last_frame(&harness.ctx)
            .texts
            .iter()
            .map(|text| text.text.clone())
            .collect::<Vec<_>>()
    };
    // The overview: only the annotation of every step.
    harness.state_mut().apply(Command::ClearSelection);
    let texts = drawn(&mut harness);
    assert!(texts.iter().any(|t| t == "On every step"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "Only on the second strike"));
    harness.state_mut().apply(Command::StepForward);
    let texts = drawn(&mut harness);
    assert_eq!(
        harness.state().state.current_step_id().as_deref(),
        Some("E1")
    );
    assert!(
        !texts.iter().any(|t| t == "Only on the second strike"),
        "{texts:?}"
    );
    harness.state_mut().apply(Command::StepForward);
    let texts = drawn(&mut harness);
    assert_eq!(
        harness.state().state.current_step_id().as_deref(),
        Some("E2")
    );
    assert!(
        texts.iter().any(|t| t == "Only on the second strike"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "On every step"));
}

#[test]
fn a_measured_path_is_kept_as_a_line_annotation() {
    use strikemap::case::annotation::Shape;
    let mut harness = tall_harness();
    click(&mut harness, "Measure");
    let points = [on_map(&harness, 0.2, 0.5), on_map(&harness, 0.7, 0.6)];
    let places: Vec<LonLat> = points.iter().map(|&at| lon_lat_at(&harness, at)).collect();
    for at in points {
        common::pointer_click(&mut harness, at);
    }
    press(&mut harness, Key::Escape);
    click(&mut harness, "Keep as line");
    assert!(harness.state().state.measurement().is_none());
    let kept = annotations(&harness);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].shape,
        Shape::Line {
            points: places.iter().map(|at| [at.lon, at.lat]).collect()
        }
    );
    let km = measure::leg(places[0], places[1]).distance_m / 1000.0;
    assert_eq!(kept[0].label, format!("{km:.1} km"));
    click(&mut harness, "Undo");
    assert!(annotations(&harness).is_empty());
}

#[test]
fn dragging_an_annotation_handle_moves_its_point_in_one_undo_step() {
    use strikemap::case::annotation::Shape;
    let mut harness = tall_harness();
    click(&mut harness, "Annotations (0)");
    click(&mut harness, "Add callout");
    click_map(&mut harness, 0.4, 0.4);
    let before = annotations(&harness)[0].clone();
    let from = harness
        .get_by_label("Point 1 of annotation A1")
        .rect()
        .center();
    let to = from + egui::vec2(60.0, 40.0);
    common::drag(&mut harness, from, to, 5);
    let moved = annotations(&harness)[0].clone();
    let Shape::Callout { at } = moved.shape else {
        panic!("{moved:?}");
    };
    let expected = lon_lat_at(&harness, to);
    assert!(
        (at[0] - expected.lon).abs() < 0.01 && (at[1] - expected.lat).abs() < 0.01,
        "{at:?} vs {expected:?}"
    );
    click(&mut harness, "Undo");
    assert_eq!(
        annotations(&harness)[0],
        before,
        "the drag was more than one undo step"
    );
}
