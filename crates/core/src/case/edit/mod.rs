//! Every edit of a case as a command, and the history that undoes and redoes them.
//!
//! [`apply`] carries out an edit and returns its exact inverse: a set swaps the new value in and
//! the inverse sets the old one back; an insert's inverse removes at the same index and a
//! removal's inverse inserts the removed item back where it was; a move's inverse moves back.
//! So undoing restores the case exactly (`==`), and redoing gives the same state again.
//!
//! Typing: [`History::apply_typing`] merges consecutive sets of the same field (the same
//! event, claim, source or statement and the same field) into one undo step, which undoes to
//! the value before the first keystroke. [`History::seal`] (on leaving the field) or any other
//! edit ends the run.

mod fields;

pub use fields::{
    CitationList, ClaimField, CountPart, EventField, MetaField, SourceField, StatementField, Toll,
};

use super::{Annotation, Case, CaseStatement, Layer};
use crate::model::{CasualtyClaim, Source, StrikeEvent};
use std::mem::Discriminant;

/// Whose list of sources an edit is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceOwner {
    /// The event at this index.
    Event(usize),
    /// The statements' shared sources.
    Statements,
}

/// One edit of a case. Indices are positions in the case's lists at the time of the edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    SetMeta(MetaField),
    /// Inserts an event at `index` (`events.len()` appends).
    AddEvent {
        index: usize,
        event: Box<StrikeEvent>,
    },
    DeleteEvent {
        index: usize,
    },
    /// Moves the event at `from` so that it ends up at `to`.
    MoveEvent {
        from: usize,
        to: usize,
    },
    SetEvent {
        event: usize,
        field: EventField,
    },
    AddClaim {
        event: usize,
        index: usize,
        claim: CasualtyClaim,
    },
    RemoveClaim {
        event: usize,
        index: usize,
    },
    MoveClaim {
        event: usize,
        from: usize,
        to: usize,
    },
    SetClaim {
        event: usize,
        index: usize,
        field: ClaimField,
    },
    AddSource {
        owner: SourceOwner,
        index: usize,
        source: Source,
    },
    RemoveSource {
        owner: SourceOwner,
        index: usize,
    },
    SetSource {
        owner: SourceOwner,
        index: usize,
        field: SourceField,
    },
    AddStatement {
        index: usize,
        statement: CaseStatement,
    },
    RemoveStatement {
        index: usize,
    },
    MoveStatement {
        from: usize,
        to: usize,
    },
    SetStatement {
        index: usize,
        field: StatementField,
    },
    AddLayer {
        index: usize,
        layer: Layer,
    },
    RemoveLayer {
        index: usize,
    },
    MoveLayer {
        from: usize,
        to: usize,
    },
    /// Replaces a layer (its path, name, visibility, colour, opacity).
    SetLayer {
        index: usize,
        layer: Layer,
    },
    /// Inserts an annotation at `index` (`annotations.len()` appends).
    AddAnnotation {
        index: usize,
        annotation: Box<Annotation>,
    },
    RemoveAnnotation {
        index: usize,
    },
    /// Replaces an annotation (its shape, label, style, sources, steps).
    SetAnnotation {
        index: usize,
        annotation: Box<Annotation>,
    },
    /// Several edits as one step (applied in order, undone in reverse order).
    Batch(Vec<Edit>),
}

/// Why an edit could not be made; the case is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no {what} #{} (there are {len})", .index + 1)]
    NoSuch {
        what: &'static str,
        index: usize,
        len: usize,
    },
    #[error("{0}")]
    Invalid(String),
}

fn no_such(what: &'static str, index: usize, len: usize) -> EditError {
    EditError::NoSuch { what, index, len }
}

fn item<'a, T>(
    list: &'a mut [T],
    index: usize,
    what: &'static str,
) -> Result<&'a mut T, EditError> {
    let len = list.len();
    list.get_mut(index).ok_or_else(|| no_such(what, index, len))
}

fn insert<T>(
    list: &mut Vec<T>,
    index: usize,
    value: T,
    what: &'static str,
) -> Result<(), EditError> {
    if index > list.len() {
        return Err(no_such(what, index, list.len()));
    }
    list.insert(index, value);
    Ok(())
}

fn remove<T>(list: &mut Vec<T>, index: usize, what: &'static str) -> Result<T, EditError> {
    if index >= list.len() {
        return Err(no_such(what, index, list.len()));
    }
    Ok(list.remove(index))
}

fn move_item<T>(
    list: &mut Vec<T>,
    from: usize,
    to: usize,
    what: &'static str,
) -> Result<(), EditError> {
    let len = list.len();
    if from >= len {
        return Err(no_such(what, from, len));
    }
    if to >= len {
        return Err(no_such(what, to, len));
    }
    let value = list.remove(from);
    list.insert(to, value);
    Ok(())
}

fn sources(case: &mut Case, owner: SourceOwner) -> Result<&mut Vec<Source>, EditError> {
    match owner {
        SourceOwner::Event(index) => {
            Ok(&mut item(&mut case.events, index, "event")?.properties.sources)
        }
        SourceOwner::Statements => Ok(&mut case.statement_sources),
    }
}

fn claims(case: &mut Case, event: usize) -> Result<&mut Vec<CasualtyClaim>, EditError> {
    Ok(&mut item(&mut case.events, event, "event")?
        .properties
        .casualty_claims)
}

/// Makes the edit and returns its exact inverse. On an error the case is unchanged (a batch
/// that fails part-way is rolled back).
pub fn apply(case: &mut Case, edit: Edit) -> Result<Edit, EditError> {
    use Edit as E;
    Ok(match edit {
        E::SetMeta(field) => E::SetMeta(field.set(case)),
        E::AddEvent { index, event } => {
            insert(&mut case.events, index, *event, "event position")?;
            E::DeleteEvent { index }
        }
        E::DeleteEvent { index } => {
            let event = Box::new(remove(&mut case.events, index, "event")?);
            E::AddEvent { index, event }
        }
        E::MoveEvent { from, to } => {
            move_item(&mut case.events, from, to, "event")?;
            E::MoveEvent { from: to, to: from }
        }
        E::SetEvent { event, field } => E::SetEvent {
            event,
            field: field.set(item(&mut case.events, event, "event")?),
        },
        E::AddClaim {
            event,
            index,
            claim,
        } => {
            insert(claims(case, event)?, index, claim, "claim position")?;
            E::RemoveClaim { event, index }
        }
        E::RemoveClaim { event, index } => {
            let claim = remove(claims(case, event)?, index, "claim")?;
            E::AddClaim {
                event,
                index,
                claim,
            }
        }
        E::MoveClaim { event, from, to } => {
            move_item(claims(case, event)?, from, to, "claim")?;
            E::MoveClaim {
                event,
                from: to,
                to: from,
            }
        }
        E::SetClaim {
            event,
            index,
            field,
        } => {
            let claim = item(claims(case, event)?, index, "claim")?;
            E::SetClaim {
                event,
                index,
                field: field.set(claim).map_err(EditError::Invalid)?,
            }
        }
        E::AddSource {
            owner,
            index,
            source,
        } => {
            insert(sources(case, owner)?, index, source, "source position")?;
            E::RemoveSource { owner, index }
        }
        E::RemoveSource { owner, index } => {
            let source = remove(sources(case, owner)?, index, "source")?;
            E::AddSource {
                owner,
                index,
                source,
            }
        }
        E::SetSource {
            owner,
            index,
            field,
        } => E::SetSource {
            owner,
            index,
            field: field.set(item(sources(case, owner)?, index, "source")?),
        },
        E::AddStatement { index, statement } => {
            insert(&mut case.statements, index, statement, "statement position")?;
            E::RemoveStatement { index }
        }
        E::RemoveStatement { index } => {
            let statement = remove(&mut case.statements, index, "statement")?;
            E::AddStatement { index, statement }
        }
        E::MoveStatement { from, to } => {
            move_item(&mut case.statements, from, to, "statement")?;
            E::MoveStatement { from: to, to: from }
        }
        E::SetStatement { index, field } => E::SetStatement {
            index,
            field: field.set(item(&mut case.statements, index, "statement")?),
        },
        E::AddLayer { index, layer } => {
            insert(&mut case.layers, index, layer, "layer position")?;
            E::RemoveLayer { index }
        }
        E::RemoveLayer { index } => {
            let layer = remove(&mut case.layers, index, "layer")?;
            E::AddLayer { index, layer }
        }
        E::MoveLayer { from, to } => {
            move_item(&mut case.layers, from, to, "layer")?;
            E::MoveLayer { from: to, to: from }
        }
        E::SetLayer { index, layer } => E::SetLayer {
            index,
            layer: std::mem::replace(item(&mut case.layers, index, "layer")?, layer),
        },
        E::AddAnnotation { index, annotation } => {
            insert(
                &mut case.annotations,
                index,
                *annotation,
                "annotation position",
            )?;
            E::RemoveAnnotation { index }
        }
        E::RemoveAnnotation { index } => {
            let annotation = remove(&mut case.annotations, index, "annotation")?;
            E::AddAnnotation {
                index,
                annotation: Box::new(annotation),
            }
        }
        E::SetAnnotation { index, annotation } => E::SetAnnotation {
            index,
            annotation: Box::new(std::mem::replace(
                item(&mut case.annotations, index, "annotation")?,
                *annotation,
            )),
        },
        E::Batch(edits) => {
            let mut inverses = Vec::with_capacity(edits.len());
            for edit in edits {
                match apply(case, edit) {
                    Ok(inverse) => inverses.push(inverse),
                    Err(error) => {
                        for inverse in inverses.into_iter().rev() {
                            let _ = apply(case, inverse);
                        }
                        return Err(error);
                    }
                }
            }
            inverses.reverse();
            E::Batch(inverses)
        }
    })
}

/// What two typing edits must share to merge: the same field of the same thing.
#[derive(Clone, Debug, PartialEq, Eq)]
enum MergeKey {
    Meta(Discriminant<MetaField>),
    Event(usize, Discriminant<EventField>, Option<CitationList>),
    Claim(
        usize,
        usize,
        Discriminant<ClaimField>,
        Option<(Toll, Option<CountPart>)>,
    ),
    Source(SourceOwner, usize, Discriminant<SourceField>),
    Statement(usize, Discriminant<StatementField>),
    Annotation(usize),
}

fn merge_key(edit: &Edit) -> Option<MergeKey> {
    use std::mem::discriminant as d;
    Some(match edit {
        Edit::SetMeta(field) => MergeKey::Meta(d(field)),
        Edit::SetEvent { event, field } => {
            let list = match field {
                EventField::Citations(list, _) => Some(*list),
                _ => None,
            };
            MergeKey::Event(*event, d(field), list)
        }
        Edit::SetClaim {
            event,
            index,
            field,
        } => {
            let part = match field {
                ClaimField::Figure(toll, part, _) => Some((*toll, Some(*part))),
                ClaimField::AtLeast(toll, _) => Some((*toll, None)),
                _ => None,
            };
            MergeKey::Claim(*event, *index, d(field), part)
        }
        Edit::SetSource {
            owner,
            index,
            field,
        } => MergeKey::Source(*owner, *index, d(field)),
        Edit::SetStatement { index, field } => MergeKey::Statement(*index, d(field)),
        Edit::SetAnnotation { index, .. } => MergeKey::Annotation(*index),
        _ => return None,
    })
}

#[derive(Clone, Debug, PartialEq)]
struct Step {
    forward: Edit,
    inverse: Edit,
    /// Set while typing into this step's field may still merge into it.
    typing: Option<MergeKey>,
}

/// The undo and redo stacks of one case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo_stack: Vec<Step>,
    redo_stack: Vec<Step>,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the edit as one undo step; the redo stack is cleared.
    pub fn apply(&mut self, case: &mut Case, edit: Edit) -> Result<(), EditError> {
        self.push(case, edit, None)
    }

    /// Makes an edit typed into a field: merged with the previous step when that was typing
    /// into the same field (see the module doc). Edits that are not sets never merge.
    pub fn apply_typing(&mut self, case: &mut Case, edit: Edit) -> Result<(), EditError> {
        let key = merge_key(&edit);
        if let Some(key) = &key
            && let Some(last) = self.undo_stack.last_mut()
            && last.typing.as_ref() == Some(key)
        {
            apply(case, edit.clone())?;
            last.forward = edit;
            self.redo_stack.clear();
            return Ok(());
        }
        self.push(case, edit, key)
    }

    fn push(
        &mut self,
        case: &mut Case,
        edit: Edit,
        typing: Option<MergeKey>,
    ) -> Result<(), EditError> {
        let inverse = apply(case, edit.clone())?;
        self.undo_stack.push(Step {
            forward: edit,
            inverse,
            typing,
        });
        self.redo_stack.clear();
        Ok(())
    }

    /// Ends a run of typing: the next keystroke starts a new undo step.
    pub fn seal(&mut self) {
        if let Some(last) = self.undo_stack.last_mut() {
            last.typing = None;
        }
    }

    /// Undoes the last step; `false` when there is none.
    pub fn undo(&mut self, case: &mut Case) -> bool {
        let Some(mut step) = self.undo_stack.pop() else {
            return false;
        };
        match apply(case, step.inverse.clone()) {
            Ok(forward) => {
                step.forward = forward;
                step.typing = None;
                self.redo_stack.push(step);
                true
            }
            Err(_) => {
                // Only if the case was changed behind the history's back.
                self.undo_stack.clear();
                self.redo_stack.clear();
                false
            }
        }
    }

    /// Redoes the last undone step; `false` when there is none.
    pub fn redo(&mut self, case: &mut Case) -> bool {
        let Some(mut step) = self.redo_stack.pop() else {
            return false;
        };
        match apply(case, step.forward.clone()) {
            Ok(inverse) => {
                step.inverse = inverse;
                self.undo_stack.push(step);
                true
            }
            Err(_) => {
                self.undo_stack.clear();
                self.redo_stack.clear();
                false
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo_stack.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo_stack.is_empty()
    }

    /// Forgets every step (after opening another case).
    pub fn clear(&mut self) {
        self.undo_stack.clear();
        self.redo_stack.clear();
    }
}
