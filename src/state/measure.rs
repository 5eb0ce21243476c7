//! The measure tool: the points clicked so far and whether more may be added. The lengths and
//! bearings are the core's (`strikemap_core::measure`); the map draws the legs and the live
//! leg to the pointer. Pure code, no egui.

use super::{AppState, Command};
use crate::model::LonLat;
use strikemap_core::measure;

/// A measurement on the map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measurement {
    /// The points clicked, in order.
    pub points: Vec<LonLat>,
    /// Esc (or Done) ended it: the result stays shown, to copy or keep, and clicks select again.
    pub finished: bool,
}

impl Measurement {
    /// Whether a click on the map adds a point.
    pub fn is_adding(&self) -> bool {
        !self.finished
    }

    /// The legs, with a last live leg to `pointer` while adding points.
    pub fn legs_with(&self, pointer: Option<LonLat>) -> Vec<measure::Leg> {
        let mut points = self.points.clone();
        if let (false, Some(pointer), true) = (self.finished, pointer, !points.is_empty()) {
            points.push(pointer);
        }
        measure::legs(&points)
    }

    /// The measurement as text for the clipboard.
    pub fn text(&self) -> String {
        measure::measurement_text(&self.points)
    }
}

/// M and the top bar's "Measure": start a measurement, or end the one taking points.
pub fn measure_toggle(measurement: Option<&Measurement>) -> Command {
    if measurement.is_some_and(Measurement::is_adding) {
        Command::FinishMeasuring
    } else {
        Command::StartMeasuring
    }
}

impl AppState {
    /// The measurement shown on the map, if any.
    pub fn measurement(&self) -> Option<&Measurement> {
        self.measurement.as_ref()
    }

    /// Carries out the measure tool's commands (copying is the shell's).
    pub(super) fn apply_measure_command(&mut self, command: Command) {
        match command {
            Command::StartMeasuring => {
                self.measurement = Some(Measurement::default());
            }
            Command::AddMeasurePoint(at) => {
                if let Some(measurement) = self.measurement.as_mut().filter(|m| m.is_adding()) {
                    measurement.points.push(at);
                }
            }
            Command::FinishMeasuring => {
                if let Some(measurement) = &mut self.measurement {
                    measurement.finished = true;
                }
            }
            Command::StopMeasuring => self.measurement = None,
            _ => {}
        }
    }
}
