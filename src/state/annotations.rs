//! Drawing a new annotation with the mouse or typed positions: the kind being drawn and the
//! points given so far; done, it becomes one [`Edit::AddAnnotation`] of the case (one undo
//! step). The measure tool's result is kept as a line the same way. Pure code, no egui.

use super::{AppState, Command, StoryItem};
use crate::model::LonLat;
use strikemap_core::case::Annotation;
use strikemap_core::case::annotation::Kind;
use strikemap_core::case::edit::Edit;

/// The radius a new set of range rings starts with, in km (the editor changes it).
pub const NEW_RING_RADIUS_KM: f64 = 100.0;

/// An annotation being drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationDraft {
    pub kind: Kind,
    pub points: Vec<LonLat>,
}

impl AnnotationDraft {
    /// Whether enough points are given to make it.
    pub fn can_finish(&self) -> bool {
        self.points.len() >= self.kind.points_needed().0
    }
}

impl AppState {
    /// The annotation being drawn, if any.
    pub fn annotation_draft(&self) -> Option<&AnnotationDraft> {
        self.annotation_draft.as_ref()
    }

    /// The id of the story step shown (a strike's or a statement's), if one is.
    pub fn current_step_id(&self) -> Option<String> {
        self.current_story_item().map(|item| match item {
            StoryItem::Event(event_ref) => event_ref.id,
            StoryItem::Statement(id) => id,
        })
    }

    /// Carries out the commands that draw annotations.
    pub(super) fn apply_annotation_command(&mut self, command: Command) {
        match command {
            Command::StartAnnotation(kind) => {
                if self.case.read_only {
                    self.messages.push(super::READ_ONLY_HINT.to_owned());
                    return;
                }
                self.case.placing = false;
                self.annotation_draft = Some(AnnotationDraft {
                    kind,
                    points: Vec::new(),
                });
            }
            Command::AddAnnotationPoint(at) => {
                let Some(draft) = &mut self.annotation_draft else {
                    return;
                };
                draft.points.push(at);
                let (_, most) = draft.kind.points_needed();
                if most.is_some_and(|most| draft.points.len() >= most) {
                    self.finish_annotation();
                }
            }
            Command::FinishAnnotation => self.finish_annotation(),
            Command::CancelAnnotation => self.annotation_draft = None,
            Command::KeepMeasurementAsLine => self.keep_measurement_as_line(),
            _ => {}
        }
    }

    fn finish_annotation(&mut self) {
        let Some(draft) = self.annotation_draft.take() else {
            return;
        };
        if !draft.can_finish() {
            self.annotation_draft = Some(draft);
            return;
        }
        let case = &self.case.case;
        let label = match draft.kind {
            Kind::Callout => "Callout",
            Kind::RangeRings => "Range",
            _ => "",
        };
        let annotation = Annotation::new(
            case.next_annotation_id(),
            draft.kind.shape(&draft.points, &[NEW_RING_RADIUS_KM]),
            label,
        );
        self.add_annotation(annotation);
    }

    fn add_annotation(&mut self, annotation: Annotation) {
        let edit = Edit::AddAnnotation {
            index: self.case.case.annotations.len(),
            annotation: Box::new(annotation),
        };
        self.apply_case_command(Command::EditCase(edit));
    }

    /// "Keep as line": the measured points become a line annotation labelled with its length.
    fn keep_measurement_as_line(&mut self) {
        let Some(measurement) = &self.measurement else {
            return;
        };
        if measurement.points.len() < 2 {
            return;
        }
        if self.case.read_only {
            self.messages.push(super::READ_ONLY_HINT.to_owned());
            return;
        }
        let legs = strikemap_core::measure::legs(&measurement.points);
        let total_km = strikemap_core::measure::total_m(&legs) / 1000.0;
        let annotation = Annotation::new(
            self.case.case.next_annotation_id(),
            Kind::Line.shape(&measurement.points, &[]),
            &format!("{total_km:.1} km"),
        );
        self.add_annotation(annotation);
        self.measurement = None;
    }
}
