//! Events, with the form version each one asks and how many responses it has.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{events, form_versions, responses};
use super::DbError;
use crate::domain::event::{generate_code, EventChanges, EventKind, NewEvent};
use crate::domain::fiscal_year::FiscalYear;

#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub title: String,
    pub theme: Option<String>,
    pub venue: Option<String>,
    pub held_on: NaiveDate,
    pub form_version_id: Uuid,
    pub form: String,
    pub form_version: i32,
    pub headcount: Option<i32>,
    pub closes_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub response_count: i64,
}

type EventColumns = (
    events::id,
    events::code,
    events::kind,
    events::title,
    events::theme,
    events::venue,
    events::held_on,
    events::form_version_id,
    form_versions::form_slug,
    form_versions::version,
    events::headcount,
    events::closes_at,
    events::created_at,
    events::updated_at,
);

type EventRow = (
    Uuid,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    NaiveDate,
    Uuid,
    String,
    i32,
    Option<i32>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    DateTime<Utc>,
);

const EVENT_COLUMNS: EventColumns = (
    events::id,
    events::code,
    events::kind,
    events::title,
    events::theme,
    events::venue,
    events::held_on,
    events::form_version_id,
    form_versions::form_slug,
    form_versions::version,
    events::headcount,
    events::closes_at,
    events::created_at,
    events::updated_at,
);

fn to_record(row: EventRow, response_count: i64) -> EventRecord {
    let (
        id,
        code,
        kind,
        title,
        theme,
        venue,
        held_on,
        form_version_id,
        form,
        form_version,
        headcount,
        closes_at,
        created_at,
        updated_at,
    ) = row;
    EventRecord {
        id,
        code,
        kind,
        title,
        theme,
        venue,
        held_on,
        form_version_id,
        form,
        form_version,
        headcount,
        closes_at,
        created_at,
        updated_at,
        response_count,
    }
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub kind: Option<EventKind>,
    pub fiscal_year: Option<FiscalYear>,
}

pub fn insert(conn: &mut PgConnection, event: &NewEvent, form_version_id: Uuid) -> Result<EventRecord, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(id),
            events::code.eq(generate_code()),
            events::kind.eq(event.kind.as_str()),
            events::title.eq(&event.title),
            events::theme.eq(&event.theme),
            events::venue.eq(&event.venue),
            events::held_on.eq(event.held_on),
            events::form_version_id.eq(form_version_id),
            events::headcount.eq(event.headcount),
            events::closes_at.eq(event.closes_at),
        ))
        .execute(conn)?;
    find(conn, id)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> Result<EventRecord, DbError> {
    let row: EventRow = events::table
        .inner_join(form_versions::table)
        .filter(events::id.eq(id))
        .select(EVENT_COLUMNS)
        .first(conn)?;
    let count = responses::table
        .filter(responses::event_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(to_record(row, count))
}

pub fn find_by_code(conn: &mut PgConnection, code: &str) -> Result<EventRecord, DbError> {
    let id: Uuid = events::table
        .filter(events::code.eq(code))
        .select(events::id)
        .first(conn)?;
    find(conn, id)
}

pub fn list(conn: &mut PgConnection, filter: &EventFilter) -> Result<Vec<EventRecord>, DbError> {
    let mut query = events::table
        .inner_join(form_versions::table)
        .select(EVENT_COLUMNS)
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(events::kind.eq(kind.as_str()));
    }
    if let Some(year) = filter.fiscal_year {
        query = query.filter(events::held_on.between(year.first_day(), year.last_day()));
    }
    let rows: Vec<EventRow> = query.order((events::held_on, events::id)).load(conn)?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.0).collect();
    let counts: HashMap<Uuid, i64> = responses::table
        .filter(responses::event_id.eq_any(&ids))
        .group_by(responses::event_id)
        .select((responses::event_id, diesel::dsl::count_star()))
        .load::<(Uuid, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let count = counts.get(&row.0).copied().unwrap_or(0);
            to_record(row, count)
        })
        .collect())
}

#[derive(AsChangeset)]
#[diesel(table_name = events)]
struct EventChangeset<'a> {
    title: Option<&'a str>,
    theme: Option<Option<&'a str>>,
    venue: Option<Option<&'a str>>,
    held_on: Option<NaiveDate>,
    headcount: Option<Option<i32>>,
    closes_at: Option<Option<DateTime<Utc>>>,
    updated_at: DateTime<Utc>,
}

pub fn update(conn: &mut PgConnection, id: Uuid, changes: &EventChanges) -> Result<EventRecord, DbError> {
    let changeset = EventChangeset {
        title: changes.title.as_deref(),
        theme: changes.theme.as_ref().map(Option::as_deref),
        venue: changes.venue.as_ref().map(Option::as_deref),
        held_on: changes.held_on,
        headcount: changes.headcount,
        closes_at: changes.closes_at,
        updated_at: Utc::now(),
    };
    let updated = diesel::update(events::table.find(id)).set(&changeset).execute(conn)?;
    if updated == 0 {
        return Err(diesel::result::Error::NotFound.into());
    }
    find(conn, id)
}
