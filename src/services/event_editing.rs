//! Changing and deleting events, alike from the API and the dashboard. An event that holds
//! answers, or that researchers' releases count, is never deleted: cancelling keeps its record.

use diesel::{Connection, PgConnection};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::db::{self, DbError};
use crate::domain::event::EventChanges;
use crate::domain::fiscal_year::FiscalYear;

/// Why an event cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undeletable {
    HasResponses,
    Released,
}

impl Undeletable {
    pub fn message(self) -> &'static str {
        match self {
            Self::HasResponses => "the event holds responses: cancel it instead",
            Self::Released => "researchers' releases count this event: cancel it instead",
        }
    }
}

/// The fiscal years pages open on when none is asked for: the latest one with events up to this
/// one (after loading three past years, the current year would look empty), and the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownYears {
    pub first: FiscalYear,
    pub latest: FiscalYear,
}

pub fn shown_years(conn: &mut PgConnection) -> Result<ShownYears, DbError> {
    let current = FiscalYear::of(crate::domain::clock::today());
    Ok(match db::events::held_span(conn, current.last_day())? {
        Some((first, last)) => ShownYears {
            first: FiscalYear::of(first),
            latest: FiscalYear::of(last),
        },
        None => ShownYears {
            first: current,
            latest: current,
        },
    })
}

/// Applies `changes` to event `id` (a missing event is `DbError` not found).
pub fn update(conn: &mut PgConnection, id: Uuid, changes: &EventChanges) -> Result<EventRecord, DbError> {
    db::events::update(conn, id, changes)
}

/// Deletes event `id` with its notes and publicity, unless it holds responses or is released.
pub fn delete(conn: &mut PgConnection, id: Uuid) -> Result<Result<EventRecord, Undeletable>, DbError> {
    conn.transaction(|conn| {
        let event = db::events::find(conn, id)?;
        if event.response_count > 0 {
            return Ok(Err(Undeletable::HasResponses));
        }
        if db::releases::is_event_released(conn, id)? {
            return Ok(Err(Undeletable::Released));
        }
        Ok(if db::events::delete_unanswered(conn, id)? {
            Ok(event)
        } else {
            Err(Undeletable::HasResponses)
        })
    })
}
