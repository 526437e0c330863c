//! Recording what staff did to publicise an event: the event must exist and the agency be on
//! the list. Shared by the API and the dashboard.

use diesel::{Connection, PgConnection};
use uuid::Uuid;

use crate::db::events::EventFilter;
use crate::db::publicity::PublicityRecord;
use crate::db::{self, DbError};
use crate::domain::publicity::{NewPublicity, SeriesPlan};
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
        if let Err(unknown) = known_agency(conn, record)? {
            return Ok(Err(unknown));
        }
        db::publicity::insert(conn, event_id, record).map(Ok)
    })
}

/// Stores `plan` for every event of series `series_id` that is not cancelled, each sent its days
/// before the event, all or nothing (a series without events is `DbError` not found).
pub fn record_for_series(
    conn: &mut PgConnection,
    series_id: Uuid,
    plan: &SeriesPlan,
) -> Result<Result<Vec<PublicityRecord>, ValidationError>, DbError> {
    conn.transaction(|conn| {
        let filter = EventFilter {
            series_id: Some(series_id),
            ..EventFilter::default()
        };
        let events = db::events::list(conn, &filter)?;
        if events.is_empty() {
            return Err(diesel::result::Error::NotFound.into());
        }
        if let Err(unknown) = known_agency(conn, &plan.record)? {
            return Ok(Err(unknown));
        }
        events
            .iter()
            .filter(|event| event.cancelled_at.is_none())
            .map(|event| db::publicity::insert(conn, event.id, &plan.for_event(event.held_on)))
            .collect::<Result<Vec<_>, _>>()
            .map(Ok)
    })
}

/// The records of event `id`, oldest first (a missing event is not found).
pub fn of_event(conn: &mut PgConnection, event_id: Uuid) -> Result<Vec<PublicityRecord>, DbError> {
    db::events::form_version_of(conn, event_id)?;
    db::publicity::of_event(conn, event_id)
}

/// Deletes record `id` of event `event_id` (not found unless it is that event's).
pub fn delete(conn: &mut PgConnection, event_id: Uuid, id: Uuid) -> Result<(), DbError> {
    db::publicity::delete(conn, event_id, id)
}

fn known_agency(conn: &mut PgConnection, record: &NewPublicity) -> Result<Result<(), ValidationError>, DbError> {
    match &record.agency {
        Some(agency) if !db::publicity::agency_exists(conn, agency)? => Ok(Err(ValidationError::new(
            "agency",
            "unknown_agency",
            format!("there is no agency {agency:?}: add it with PUT /api/v1/agencies/{agency}"),
        ))),
        _ => Ok(Ok(())),
    }
}
