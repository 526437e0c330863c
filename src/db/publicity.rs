//! Publicity records of events.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::schema::{agencies, publicity};
use super::DbError;
use crate::domain::publicity::NewPublicity;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = publicity)]
pub struct PublicityRecord {
    pub id: Uuid,
    pub event_id: Uuid,
    pub channel: String,
    pub agency_slug: Option<String>,
    pub sent_on: NaiveDate,
    pub quantity: Option<i32>,
    pub cost: Option<i64>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub fn agency_exists(conn: &mut PgConnection, slug: &str) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(agencies::table.find(slug))).get_result(conn)?)
}

pub fn insert(conn: &mut PgConnection, event_id: Uuid, record: &NewPublicity) -> Result<PublicityRecord, DbError> {
    Ok(diesel::insert_into(publicity::table)
        .values((
            publicity::id.eq(Uuid::now_v7()),
            publicity::event_id.eq(event_id),
            publicity::channel.eq(&record.channel),
            publicity::agency_slug.eq(&record.agency),
            publicity::sent_on.eq(record.sent_on),
            publicity::quantity.eq(record.quantity),
            publicity::cost.eq(record.cost),
            publicity::note.eq(&record.note),
        ))
        .returning(PublicityRecord::as_returning())
        .get_result(conn)?)
}

/// An event's records, in the order they were sent.
pub fn of_event(conn: &mut PgConnection, event_id: Uuid) -> Result<Vec<PublicityRecord>, DbError> {
    Ok(publicity::table
        .filter(publicity::event_id.eq(event_id))
        .order((publicity::sent_on, publicity::id))
        .select(PublicityRecord::as_select())
        .load(conn)?)
}

/// One publicity record as analyses read it: its event, channel, the kind of agency told, cost.
#[derive(Debug, Clone, Queryable)]
pub struct PublicityFact {
    pub event_id: Uuid,
    pub channel: String,
    pub agency_kind: Option<String>,
    pub cost: Option<i64>,
}

/// The records of `event_ids`, with the kind of each record's agency.
pub fn facts_of(conn: &mut PgConnection, event_ids: &[Uuid]) -> Result<Vec<PublicityFact>, DbError> {
    Ok(publicity::table
        .left_join(agencies::table)
        .filter(publicity::event_id.eq_any(event_ids))
        .select((
            publicity::event_id,
            publicity::channel,
            agencies::kind.nullable(),
            publicity::cost,
        ))
        .load(conn)?)
}

/// What respondents at `event_ids` said of how they came, counted per event: `measure` is
/// `responses` (all of them), `heard` (with `value` the channel named, or none for those who
/// answered the question at all) or `referred` (with `value` the referring agency's kind).
#[derive(Debug, Clone, QueryableByName)]
pub struct RespondentCount {
    #[diesel(sql_type = SqlUuid)]
    pub event_id: Uuid,
    #[diesel(sql_type = Text)]
    pub measure: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub value: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// Per event: respondents who said how they heard (`heard`, no value: they answered
/// `heard_question` or named the agency that referred them), those who named each answer of it
/// (`heard`, the answer), those an agency told (`agency`: they answered `agency_answer` or named an
/// agency), and those who named an agency of each kind (`referred`, the kind). Counting a named
/// agency as having heard through one keeps the kinds' shares within the agencies' channel.
pub fn respondent_counts(
    conn: &mut PgConnection,
    event_ids: &[Uuid],
    heard_question: &str,
    referred_question: &str,
    agency_answer: &str,
) -> Result<Vec<RespondentCount>, DbError> {
    // One pass per measure over the events' responses (served by the index on event_id).
    let statement = "
        SELECT event_id, 'heard' AS measure, NULL::text AS value, count(*) AS n
          FROM responses
         WHERE event_id = ANY($1)
           AND (jsonb_typeof(answers -> $2) = 'array' OR coalesce(answers ->> $3, '') <> '')
         GROUP BY event_id
        UNION ALL
        SELECT event_id, 'agency', NULL, count(*)
          FROM responses
         WHERE event_id = ANY($1)
           AND (answers -> $2 @> jsonb_build_array($4::text) OR coalesce(answers ->> $3, '') <> '')
         GROUP BY event_id
        UNION ALL
        SELECT r.event_id, 'heard', named.value, count(*)
          FROM responses r
          CROSS JOIN LATERAL jsonb_array_elements_text(
              CASE WHEN jsonb_typeof(r.answers -> $2) = 'array' THEN r.answers -> $2 ELSE '[]'::jsonb END
          ) AS named(value)
         WHERE r.event_id = ANY($1) GROUP BY r.event_id, named.value
        UNION ALL
        SELECT r.event_id, 'referred', a.kind, count(*)
          FROM responses r JOIN agencies a ON a.slug = r.answers ->> $3
         WHERE r.event_id = ANY($1) GROUP BY r.event_id, a.kind";
    Ok(diesel::sql_query(statement)
        .bind::<Array<SqlUuid>, _>(event_ids)
        .bind::<Text, _>(heard_question)
        .bind::<Text, _>(referred_question)
        .bind::<Text, _>(agency_answer)
        .load(conn)?)
}

pub fn delete(conn: &mut PgConnection, event_id: Uuid, id: Uuid) -> Result<(), DbError> {
    let deleted = diesel::delete(publicity::table.filter(publicity::id.eq(id).and(publicity::event_id.eq(event_id))))
        .execute(conn)?;
    match deleted {
        0 => Err(diesel::result::Error::NotFound.into()),
        _ => Ok(()),
    }
}
