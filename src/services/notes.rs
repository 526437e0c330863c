//! Meeting notes of an event (what was said, never who said it), written alike from the API and
//! the dashboard.

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::notes::StoredNote;
use crate::db::{self, DbError};
use crate::domain::meeting_note::{NewNote, NoteChanges};

/// Adds `note` to event `event_id` (a missing event is not found).
pub fn add(conn: &mut PgConnection, event_id: Uuid, note: &NewNote) -> Result<StoredNote, DbError> {
    db::events::form_version_of(conn, event_id)?;
    db::notes::insert(conn, event_id, note)
}

/// The notes of event `event_id`, in the order noted (a missing event is not found).
pub fn of_event(conn: &mut PgConnection, event_id: Uuid) -> Result<Vec<StoredNote>, DbError> {
    db::events::form_version_of(conn, event_id)?;
    db::notes::of_event(conn, event_id)
}

/// Changes note `id` of event `event_id` (not found unless it is that event's).
pub fn update(conn: &mut PgConnection, event_id: Uuid, id: Uuid, changes: &NoteChanges) -> Result<StoredNote, DbError> {
    db::notes::update(conn, event_id, id, changes)
}

/// Deletes note `id` of event `event_id` with its codings.
pub fn delete(conn: &mut PgConnection, event_id: Uuid, id: Uuid) -> Result<(), DbError> {
    db::notes::delete(conn, event_id, id)
}
