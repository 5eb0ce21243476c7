//! The keys and playback: keyboard shortcuts as commands, and the story stepping on its own.

use super::{PLAY_STEP_SECS, StrikemapApp};
use crate::state::Command;
use egui::{Key, KeyboardShortcut, Modifiers};

impl StrikemapApp {
    /// Keys: F5 presents; in a presentation Esc leaves, Right/PageDown/Space and
    /// Left/PageUp step, Home returns to the overview. At the desk M starts (or ends) measuring,
    /// and Esc cancels placing a strike, ends or closes a measurement, or clears the selection.
    pub(super) fn keyboard_commands(&self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        if ctx.egui_wants_keyboard_input() || self.export.is_some() {
            return commands;
        }
        let pressed = |key| ctx.input(|input| input.key_pressed(key));
        if self.is_presenting() {
            if pressed(egui::Key::Escape) {
                commands.push(Command::StopPresenting);
            }
            if pressed(egui::Key::ArrowRight)
                || pressed(egui::Key::PageDown)
                || pressed(egui::Key::Space)
            {
                commands.push(Command::StepForward);
            }
            if pressed(egui::Key::ArrowLeft) || pressed(egui::Key::PageUp) {
                commands.push(Command::StepBack);
            }
            if pressed(egui::Key::Home) {
                commands.push(Command::ClearSelection);
                commands.push(Command::FitToOverview);
            }
        } else {
            commands.extend(undo_keys(ctx));
            if pressed(egui::Key::F5) {
                commands.push(Command::Present);
            }
            if pressed(egui::Key::M) {
                commands.push(crate::state::measure_toggle(self.state.measurement()));
            }
            if pressed(egui::Key::Escape) && self.custom_url_dialog.is_none() {
                // Esc first cancels placing a new strike, then clears the selection.
                if self.state.case().placing {
                    commands.push(Command::CancelPlacing);
                } else if self.state.annotation_draft().is_some() {
                    commands.push(Command::CancelAnnotation);
                } else if let Some(measurement) = self.state.measurement() {
                    commands.push(if measurement.is_adding() {
                        Command::FinishMeasuring
                    } else {
                        Command::StopMeasuring
                    });
                } else {
                    commands.push(Command::ClearSelection);
                }
            }
        }
        commands
    }

    /// When playing, steps through the story every few seconds and stops at its end.
    pub(super) fn playback_commands(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let Some(next_secs) = self.next_play_step_secs else {
            return Vec::new();
        };
        let now = ctx.input(|input| input.time);
        if now < next_secs {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(next_secs - now));
            return Vec::new();
        }
        let story = self.state.story();
        if story.last().is_some() && self.state.current_story_item().as_ref() == story.last() {
            self.next_play_step_secs = None;
            return Vec::new();
        }
        self.next_play_step_secs = Some(now + PLAY_STEP_SECS);
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(PLAY_STEP_SECS));
        vec![Command::StepForward]
    }

    pub(super) fn toggle_play(&mut self, ctx: &egui::Context) {
        self.next_play_step_secs = match self.next_play_step_secs {
            Some(_) => None,
            None => {
                ctx.request_repaint();
                Some(ctx.input(|input| input.time))
            }
        };
    }
}

/// Ctrl+Z undoes the last edit of the case; Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac).
fn undo_keys(ctx: &egui::Context) -> Option<Command> {
    ctx.input_mut(|input| {
        let redo = input.consume_shortcut(&KeyboardShortcut::new(
            Modifiers::COMMAND | Modifiers::SHIFT,
            Key::Z,
        )) || input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y));
        if redo {
            Some(Command::RedoCase)
        } else if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
            Some(Command::UndoCase)
        } else {
            None
        }
    })
}
