//! Creating events, shared by the API and the dashboard: each event is pinned to the latest
//! version of its form, so every response to one event answers the same questions even if the
//! form file changes later. An unknown form is the caller's mistake, not a database failure.

use chrono::NaiveDate;
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::db::{self, DbError};
use crate::domain::event::{EventTemplate, NewEvent};
use crate::domain::schedule::NewSeries;
use crate::domain::validation::ValidationError;

fn pinned_form(conn: &mut PgConnection, template: &EventTemplate) -> Result<Result<Uuid, ValidationError>, DbError> {
    match db::forms::latest(conn, &template.form) {
        Ok(form) => Ok(Ok(form.id)),
        Err(error) if error.is_not_found() => Ok(Err(ValidationError::new(
            "form",
            "unknown_form",
            format!("there is no form {:?}", template.form),
        ))),
        Err(error) => Err(error),
    }
}

pub fn create_event(
    conn: &mut PgConnection,
    new_event: &NewEvent,
) -> Result<Result<EventRecord, ValidationError>, DbError> {
    match pinned_form(conn, &new_event.template)? {
        Ok(form_version_id) => db::events::insert(conn, new_event, form_version_id).map(Ok),
        Err(invalid) => Ok(Err(invalid)),
    }
}

/// Creates the series and its events on `dates` (from [`NewSeries::dates`]), all or nothing.
pub fn create_series(
    conn: &mut PgConnection,
    series: &NewSeries,
    dates: &[NaiveDate],
) -> Result<Result<(Uuid, Vec<EventRecord>), ValidationError>, DbError> {
    let form_version_id = match pinned_form(conn, &series.template)? {
        Ok(form_version_id) => form_version_id,
        Err(invalid) => return Ok(Err(invalid)),
    };
    let created = db::events::insert_series(conn, series, dates, form_version_id)?;
    db::statistics::analyze_events(conn)?;
    Ok(Ok(created))
}
