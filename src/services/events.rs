//! Reading events: one, a filtered list, and whether researchers' releases already hold one.

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::events::{EventFilter, EventRecord};
use crate::db::{self, DbError};

pub fn find(conn: &mut PgConnection, id: Uuid) -> Result<EventRecord, DbError> {
    db::events::find(conn, id)
}

pub fn list(conn: &mut PgConnection, filter: &EventFilter) -> Result<Vec<EventRecord>, DbError> {
    db::events::list(conn, filter)
}

/// Whether a frozen partition holds event `id` (its year and kind then stay as released).
pub fn is_released(conn: &mut PgConnection, id: Uuid) -> Result<bool, DbError> {
    db::releases::is_event_released(conn, id)
}
