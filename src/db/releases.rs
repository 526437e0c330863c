//! Frozen partitions of researchers' releases: which responses each settled partition held when
//! it was first released, and their answers.

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Date, Jsonb, Text};
use serde_json::Value;

use super::answers::{answer_columns, arrays};
use super::schema::{released_responses, responses};
use super::DbError;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;

/// The fiscal year (starting in April) an event date falls in, in SQL.
const FISCAL_YEAR_OF_HELD_ON: &str = "(extract(year from events.held_on - interval '3 months'))::int";

/// Records, for each partition of `form` held up to `settled_until` that has not been released
/// yet, the responses it holds now (cancelled events left out). Partitions already recorded are
/// left as they are, also when two requests race.
pub fn freeze_settled(conn: &mut PgConnection, form: &str, settled_until: NaiveDate) -> Result<(), DbError> {
    let statement = format!(
        "WITH settled AS (
             SELECT DISTINCT form_versions.form_slug, {FISCAL_YEAR_OF_HELD_ON} AS fiscal_year, events.kind
             FROM events JOIN form_versions ON form_versions.id = events.form_version_id
             WHERE form_versions.form_slug = $1 AND events.held_on <= $2
         ), fresh AS (
             INSERT INTO released_partitions (form_slug, fiscal_year, kind)
             SELECT form_slug, fiscal_year, kind FROM settled
             ON CONFLICT DO NOTHING
             RETURNING form_slug, fiscal_year, kind
         )
         INSERT INTO released_responses (form_slug, fiscal_year, kind, response_id)
         SELECT fresh.form_slug, fresh.fiscal_year, fresh.kind, responses.id
         FROM fresh
         JOIN form_versions ON form_versions.form_slug = fresh.form_slug
         JOIN responses ON responses.form_version_id = form_versions.id
         JOIN events ON events.id = responses.event_id
         WHERE events.cancelled_at IS NULL AND events.kind = fresh.kind
           AND {FISCAL_YEAR_OF_HELD_ON} = fresh.fiscal_year"
    );
    diesel::sql_query(statement)
        .bind::<Text, _>(form)
        .bind::<Date, _>(settled_until)
        .execute(conn)?;
    Ok(())
}

/// Per frozen response of `form` (in the fiscal year and kind asked for, if any): its partition
/// (`"2019/seminar"`) followed by its answers to `question_ids`.
pub fn load(
    conn: &mut PgConnection,
    form: &str,
    fiscal_year: Option<FiscalYear>,
    kind: Option<EventKind>,
    question_ids: &[&str],
) -> Result<Vec<Vec<Value>>, DbError> {
    let partition = "released_responses.fiscal_year::text || '/' || released_responses.kind".to_owned();
    let selected = std::iter::once(partition)
        .chain(answer_columns(question_ids))
        .collect::<Vec<_>>()
        .join(", ");
    let mut query = released_responses::table
        .inner_join(responses::table)
        .filter(released_responses::form_slug.eq(form))
        .select(sql::<Jsonb>(&format!("jsonb_build_array({selected})")))
        .into_boxed();
    if let Some(year) = fiscal_year {
        query = query.filter(released_responses::fiscal_year.eq(year.0));
    }
    if let Some(kind) = kind {
        query = query.filter(released_responses::kind.eq(kind.as_str()));
    }
    Ok(arrays(query.order(responses::id).load(conn)?))
}
