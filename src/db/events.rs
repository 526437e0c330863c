//! Events, with the form version each one asks and how many responses it has.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::{sql, AsSelect, InnerJoin, IntoBoxed, Select};
use diesel::expression::SqlLiteral;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use uuid::Uuid;

use super::schema::{event_series, events, form_versions};
use super::DbError;
use crate::domain::event::{generate_code, EventChanges, EventKind, EventTemplate, NewEvent};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::schedule::NewSeries;

/// An event as listed: its row, its form's slug and version, and its response count (a correlated
/// subquery served by the index on responses.event_id, so one query gives the whole record).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events, check_for_backend(Pg))]
pub struct EventRecord {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub title: String,
    pub theme: Option<String>,
    pub venue: Option<String>,
    pub title_en: Option<String>,
    pub venue_en: Option<String>,
    pub format: Option<String>,
    pub speakers: Option<serde_json::Value>,
    pub costs: Option<serde_json::Value>,
    pub notes: Option<String>,
    pub held_on: NaiveDate,
    pub form_version_id: Uuid,
    #[diesel(select_expression = form_versions::form_slug)]
    pub form: String,
    #[diesel(select_expression = form_versions::version)]
    pub form_version: i32,
    pub headcount: Option<i32>,
    pub closes_at: Option<DateTime<Utc>>,
    pub series_id: Option<Uuid>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancellation_reason: Option<String>,
    /// Loaded by `tsunagari demo`.
    pub demo: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[diesel(
        select_expression = sql::<BigInt>("(SELECT count(*) FROM responses WHERE responses.event_id = events.id)"),
        select_expression_type = SqlLiteral<BigInt>,
    )]
    pub response_count: i64,
}

/// What an attendee's form needs of its event: no join and no response count, since every
/// submission reads it (counting an event's responses per submission grew with the event).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events, check_for_backend(Pg))]
pub struct SurveyEvent {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub title: String,
    pub venue: Option<String>,
    pub title_en: Option<String>,
    pub venue_en: Option<String>,
    pub held_on: NaiveDate,
    pub form_version_id: Uuid,
    pub closes_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

type EventQuery =
    IntoBoxed<'static, Select<InnerJoin<events::table, form_versions::table>, AsSelect<EventRecord, Pg>>, Pg>;

fn query() -> EventQuery {
    let columns = EventRecord::as_select();
    events::table
        .inner_join(form_versions::table)
        .select(columns)
        .into_boxed()
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub kind: Option<EventKind>,
    pub fiscal_year: Option<FiscalYear>,
    pub series_id: Option<Uuid>,
}

pub fn insert(conn: &mut PgConnection, event: &NewEvent, form_version_id: Uuid) -> Result<EventRecord, DbError> {
    let id = insert_one(
        conn,
        &event.template,
        form_version_id,
        event.held_on,
        None,
        event.headcount,
        event.closes_at,
    )?;
    find(conn, id)
}

fn insert_one(
    conn: &mut PgConnection,
    template: &EventTemplate,
    form_version_id: Uuid,
    held_on: NaiveDate,
    series_id: Option<Uuid>,
    headcount: Option<i32>,
    closes_at: Option<DateTime<Utc>>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(id),
            events::code.eq(generate_code()),
            events::kind.eq(template.kind.as_str()),
            events::title.eq(&template.title),
            events::theme.eq(&template.theme),
            events::venue.eq(&template.venue),
            events::title_en.eq(&template.title_en),
            events::venue_en.eq(&template.venue_en),
            events::format.eq(&template.profile.format),
            events::speakers.eq(&template.profile.speakers),
            events::costs.eq(&template.profile.costs),
            events::notes.eq(&template.profile.notes),
            events::held_on.eq(held_on),
            events::form_version_id.eq(form_version_id),
            events::series_id.eq(series_id),
            events::headcount.eq(headcount),
            events::closes_at.eq(closes_at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Creates a series and one event per date, all or nothing.
pub fn insert_series(
    conn: &mut PgConnection,
    series: &NewSeries,
    dates: &[NaiveDate],
    form_version_id: Uuid,
) -> Result<(Uuid, Vec<EventRecord>), DbError> {
    conn.transaction(|conn| {
        let series_id = Uuid::now_v7();
        diesel::insert_into(event_series::table)
            .values((
                event_series::id.eq(series_id),
                event_series::rrule.eq(&series.rrule),
                event_series::starts_on.eq(series.starts_on),
                event_series::ends_on.eq(series.ends_on),
                event_series::skipped_dates.eq(&series.skipped),
            ))
            .execute(conn)?;
        for held_on in dates {
            insert_one(
                conn,
                &series.template,
                form_version_id,
                *held_on,
                Some(series_id),
                None,
                None,
            )?;
        }
        let events = query()
            .filter(events::series_id.eq(series_id))
            .order((events::held_on, events::id))
            .load(conn)?;
        Ok((series_id, events))
    })
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> Result<EventRecord, DbError> {
    Ok(query().filter(events::id.eq(id)).first(conn)?)
}

/// The date and title of those of `ids` that exist, by date.
pub fn dated_titles(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<(Uuid, NaiveDate, String)>, DbError> {
    Ok(events::table
        .filter(events::id.eq_any(ids))
        .select((events::id, events::held_on, events::title))
        .order((events::held_on, events::title, events::id))
        .load(conn)?)
}

/// The first and last day events were held up to `until`, if any were.
pub fn held_span(conn: &mut PgConnection, until: NaiveDate) -> Result<Option<(NaiveDate, NaiveDate)>, DbError> {
    let (first, last): (Option<NaiveDate>, Option<NaiveDate>) = events::table
        .filter(events::held_on.le(until))
        .select((diesel::dsl::min(events::held_on), diesel::dsl::max(events::held_on)))
        .first(conn)?;
    Ok(first.zip(last))
}

/// How many events are demo data, and how many are not.
pub fn count_by_demo(conn: &mut PgConnection) -> Result<(i64, i64), DbError> {
    let counts: Vec<(bool, i64)> = events::table
        .group_by(events::demo)
        .select((events::demo, diesel::dsl::count_star()))
        .load(conn)?;
    let of = |demo: bool| counts.iter().find(|(d, _)| *d == demo).map_or(0, |(_, n)| *n);
    Ok((of(true), of(false)))
}

pub fn mark_demo(conn: &mut PgConnection, ids: &[Uuid]) -> Result<(), DbError> {
    diesel::update(events::table.filter(events::id.eq_any(ids)))
        .set(events::demo.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Deletes the demo events, their responses (from frozen releases too) and their series; the
/// numbers of events and responses deleted.
pub fn delete_demo(conn: &mut PgConnection) -> Result<(usize, usize), DbError> {
    let demo_responses =
        "SELECT responses.id FROM responses JOIN events ON events.id = responses.event_id WHERE events.demo";
    let responses = diesel::sql_query(format!("DELETE FROM responses WHERE id IN ({demo_responses})")).execute(conn)?;
    let series: Vec<Option<Uuid>> = events::table
        .filter(events::demo)
        .select(events::series_id)
        .distinct()
        .load(conn)?;
    let events = diesel::delete(events::table.filter(events::demo)).execute(conn)?;
    let series: Vec<Uuid> = series.into_iter().flatten().collect();
    diesel::delete(event_series::table.filter(event_series::id.eq_any(&series))).execute(conn)?;
    Ok((events, responses))
}

/// The form version an event asks (fixed when the event is created).
pub fn form_version_of(conn: &mut PgConnection, id: Uuid) -> Result<Uuid, DbError> {
    Ok(events::table.find(id).select(events::form_version_id).first(conn)?)
}

/// The event an attendee answers, by its id.
pub fn survey_event(conn: &mut PgConnection, id: Uuid) -> Result<SurveyEvent, DbError> {
    Ok(survey_events().filter(events::id.eq(id)).first(conn)?)
}

/// The event an attendee answers, by the short code on its poster.
pub fn survey_event_by_code(conn: &mut PgConnection, code: &str) -> Result<SurveyEvent, DbError> {
    Ok(survey_events().filter(events::code.eq(code)).first(conn)?)
}

fn survey_events() -> events::BoxedQuery<'static, Pg, AsSelect<SurveyEvent, Pg>> {
    events::table.select(SurveyEvent::as_select()).into_boxed()
}

pub fn list(conn: &mut PgConnection, filter: &EventFilter) -> Result<Vec<EventRecord>, DbError> {
    let mut query = query();
    if let Some(kind) = filter.kind {
        query = query.filter(events::kind.eq(kind.as_str()));
    }
    if let Some(year) = filter.fiscal_year {
        query = query.filter(events::held_on.between(year.first_day(), year.last_day()));
    }
    if let Some(series_id) = filter.series_id {
        query = query.filter(events::series_id.eq(series_id));
    }
    Ok(query.order((events::held_on, events::id)).load(conn)?)
}

/// Events of the given kinds held (and not cancelled) between two dates inclusive, for reports.
pub fn held(
    conn: &mut PgConnection,
    kinds: &[EventKind],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EventRecord>, DbError> {
    let kinds: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    Ok(query()
        .filter(events::kind.eq_any(kinds))
        .filter(events::held_on.between(from, to))
        .filter(events::cancelled_at.is_null())
        .order((events::held_on, events::id))
        .load(conn)?)
}

/// Every event held between two dates inclusive, cancelled ones too, in date order: what the
/// programme's report lists as done.
pub fn between(conn: &mut PgConnection, from: NaiveDate, to: NaiveDate) -> Result<Vec<EventRecord>, DbError> {
    Ok(query()
        .filter(events::held_on.between(from, to))
        .order((events::held_on, events::id))
        .load(conn)?)
}

/// The recurrence rule of each series named.
pub fn series_rules(conn: &mut PgConnection, ids: &[Uuid]) -> Result<HashMap<Uuid, String>, DbError> {
    let rules: Vec<(Uuid, String)> = event_series::table
        .filter(event_series::id.eq_any(ids))
        .select((event_series::id, event_series::rrule))
        .load(conn)?;
    Ok(rules.into_iter().collect())
}

#[derive(AsChangeset)]
#[diesel(table_name = events)]
struct EventChangeset<'a> {
    title: Option<&'a str>,
    theme: Option<Option<&'a str>>,
    venue: Option<Option<&'a str>>,
    title_en: Option<Option<&'a str>>,
    venue_en: Option<Option<&'a str>>,
    format: Option<Option<&'a str>>,
    speakers: Option<Option<&'a serde_json::Value>>,
    costs: Option<Option<&'a serde_json::Value>>,
    notes: Option<Option<&'a str>>,
    held_on: Option<NaiveDate>,
    headcount: Option<Option<i32>>,
    closes_at: Option<Option<DateTime<Utc>>>,
    updated_at: DateTime<Utc>,
}

/// Deletes event `id` with its notes and publicity if it holds no responses; false if it does
/// (also when one arrives while it is being deleted: the foreign key refuses).
pub fn delete_unanswered(conn: &mut PgConnection, id: Uuid) -> Result<bool, DbError> {
    use diesel::result::{DatabaseErrorKind, Error};
    // A savepoint, so that a refusal leaves the caller's transaction usable.
    match conn.transaction(|conn| diesel::delete(events::table.find(id)).execute(conn)) {
        Ok(0) => Err(Error::NotFound.into()),
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

pub fn update(conn: &mut PgConnection, id: Uuid, changes: &EventChanges) -> Result<EventRecord, DbError> {
    let now = Utc::now();
    let changeset = EventChangeset {
        title: changes.title.as_deref(),
        theme: changes.theme.as_ref().map(Option::as_deref),
        venue: changes.venue.as_ref().map(Option::as_deref),
        title_en: changes.title_en.as_ref().map(Option::as_deref),
        venue_en: changes.venue_en.as_ref().map(Option::as_deref),
        format: changes.profile.format.as_ref().map(Option::as_deref),
        speakers: changes.profile.speakers.as_ref().map(Option::as_ref),
        costs: changes.profile.costs.as_ref().map(Option::as_ref),
        notes: changes.profile.notes.as_ref().map(Option::as_deref),
        held_on: changes.held_on,
        headcount: changes.headcount,
        closes_at: changes.closes_at,
        updated_at: now,
    };
    conn.transaction(|conn| {
        let updated = diesel::update(events::table.find(id)).set(&changeset).execute(conn)?;
        if updated == 0 {
            return Err(diesel::result::Error::NotFound.into());
        }
        match changes.cancelled {
            // Cancelling twice keeps the first time.
            Some(true) => diesel::update(events::table.find(id).filter(events::cancelled_at.is_null()))
                .set(events::cancelled_at.eq(now))
                .execute(conn)?,
            Some(false) => diesel::update(events::table.find(id))
                .set((
                    events::cancelled_at.eq(None::<DateTime<Utc>>),
                    events::cancellation_reason.eq(None::<String>),
                ))
                .execute(conn)?,
            None => 0,
        };
        if let Some(reason) = &changes.cancellation_reason {
            diesel::update(events::table.find(id))
                .set(events::cancellation_reason.eq(reason.as_deref()))
                .execute(conn)?;
        }
        find(conn, id)
    })
}
