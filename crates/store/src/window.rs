//! Edits from a window. A window draws the case as it last heard of it from the store, while
//! others' edits keep arriving; so it sends each edit as the pair (case before, case after)
//! with the last history row it had drawn. Only the changes of that pair are written, laid on
//! the store's newer copy: a field the window never saw change is never sent back to an old
//! value (the silent revert that diffing the window's whole case against the newer copy would
//! make). A field that a row the window had not drawn touched is a clash, shown with both
//! values, as any other.

use crate::cases::Session;
use crate::edit::Outcome;
use crate::image::{Change, apply, diff, image_of};
use crate::{Store, StoreError};
use strikemap_core::case::Case;

/// The changes one edit made: `before` and `after` as the window had them, numbered (for the
/// order of strikes and statements) as the session holds them.
pub fn changes_of_edit(session: &Session, before: &Case, after: &Case) -> Vec<Change> {
    let before = image_of(before, Some(&session.image));
    let after = image_of(after, Some(&before));
    let mut changes = diff(&before, &after);
    // One lock order for every client, so two edits never wait on each other in a circle.
    changes.sort_by(|a, b| (a.object(), a.field()).cmp(&(b.object(), b.field())));
    changes
}

impl Session {
    /// Takes in an edit this client wrote: each change's field now has the version of its
    /// history row; with `apply_to_image` the changes are also made on the session's image.
    pub(crate) fn take_saved(&mut self, changes: &[Change], ids: &[i64], apply_to_image: bool) {
        for (change, id) in changes.iter().zip(ids) {
            if apply_to_image {
                apply(&mut self.image, change);
            }
            self.versions
                .insert((change.object().to_text(), change.field().to_owned()), *id);
            self.own.insert(*id);
            self.written.insert(*id);
        }
    }

    /// The fields `changes` touch whose version is a row the window (which drew up to row
    /// `drawn`) had not seen and this client did not write: the window is behind on them.
    fn unseen_versions(&self, changes: &[Change], drawn: i64) -> Vec<(String, String)> {
        let mut unseen = Vec::new();
        for change in changes {
            let object = change.object().to_text();
            let whole = matches!(change, Change::Add { .. } | Change::Delete { .. });
            for ((key_object, field), version) in &self.versions {
                let touches =
                    key_object == &object && (whole || field == change.field() || field == "*");
                if touches && *version > drawn && !self.written.contains(version) {
                    unseen.push((key_object.clone(), field.clone()));
                }
            }
        }
        unseen
    }
}

impl Store {
    /// Sends one edit made in a window that had drawn the case up to history row `drawn`.
    /// Returns what became of it and its changes (on a clash nothing was written).
    pub fn commit_edit(
        &mut self,
        session: &mut Session,
        before: &Case,
        after: &Case,
        drawn: i64,
    ) -> Result<(Outcome, Vec<Change>), StoreError> {
        let changes = changes_of_edit(session, before, after);
        let outcome = self.commit_changes(session, &changes, drawn)?;
        Ok((outcome, changes))
    }

    /// Writes `changes` (one edit) checked against the versions the window knew: a field
    /// changed by a row newer than `drawn` that this client did not write clashes.
    pub fn commit_changes(
        &mut self,
        session: &mut Session,
        changes: &[Change],
        drawn: i64,
    ) -> Result<Outcome, StoreError> {
        if changes.is_empty() {
            return Ok(Outcome::Saved(Vec::new()));
        }
        // For the check, the window knew none of the versions it had not drawn: version 0 is
        // older than any row, so the store's check reports the clash with who and when.
        let unseen = forget_unseen(session, changes, drawn);
        let outcome = self.write_changes(session, changes);
        for (key, version) in unseen {
            session.versions.insert(key, version);
        }
        let outcome = outcome?;
        if let Outcome::Saved(ids) = &outcome {
            session.take_saved(changes, ids, true);
        }
        Ok(outcome)
    }
}

/// Sets the session's versions the window had not seen to 0, returning what they were.
fn forget_unseen(
    session: &mut Session,
    changes: &[Change],
    drawn: i64,
) -> Vec<((String, String), i64)> {
    session
        .unseen_versions(changes, drawn)
        .into_iter()
        .filter_map(|key| {
            let version = session.versions.insert(key.clone(), 0)?;
            Some((key, version))
        })
        .collect()
}

/// What the connected role may do with a case, as the server's row-level security decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// May not read it (or it is not there).
    None,
    Viewer,
    Editor,
    Lead,
}

impl Access {
    /// "viewer", "editor", "lead".
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "no member",
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Lead => "lead",
        }
    }
}

impl Store {
    /// The connected role's access to a case (the same function the server's policies use).
    pub fn access(&mut self, case_id: i64) -> Result<Access, StoreError> {
        let row = self
            .client()
            .query_one("SELECT strikemap.access_level($1)", &[&case_id])
            .map_err(|error| self.sql_error("asking what this role may do", &error))?;
        Ok(match row.get::<_, i32>(0) {
            level if level >= 3 => Access::Lead,
            2 => Access::Editor,
            1 => Access::Viewer,
            _ => Access::None,
        })
    }

    /// Whether the connection to the server is gone (then edits go to the journal).
    pub fn is_closed(&mut self) -> bool {
        self.client().is_closed()
    }
}
