//! Recording what staff did to publicise an event: the event must exist and the agency be on
//! the list. Shared by the API and, later, the dashboard.

use diesel::{Connection, PgConnection};
use uuid::Uuid;

use crate::db::publicity::PublicityRecord;
use crate::db::{self, DbError};
use crate::domain::publicity::NewPublicity;
use crate::domain::validation::ValidationError;

/// Stores `record` for event `event_id` (a missing event is `DbError` not found); an agency not
/// on the list is the caller's mistake.
pub fn record(
    conn: &mut PgConnection,
    event_id: Uuid,
    record: &NewPublicity,
) -> Result<Result<PublicityRecord, ValidationError>, DbError> {
    conn.transaction(|conn| {
        db::events::form_version_of(conn, event_id)?;
        if let Some(agency) = &record.agency {
            if !db::publicity::agency_exists(conn, agency)? {
                return Ok(Err(ValidationError::new(
                    "agency",
                    "unknown_agency",
                    format!("there is no agency {agency:?}: add it with PUT /api/v1/agencies/{agency}"),
                )));
            }
        }
        db::publicity::insert(conn, event_id, record).map(Ok)
    })
}
