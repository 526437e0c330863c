//! Frozen partitions of researchers' releases: which responses each settled partition held when
//! it was first released, and their answers.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Date, Text};

use super::answers::{self, fiscal_year_of, Bind, Counted, GroupKey};
use super::DbError;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;

/// Records, for each partition of `form` held up to `settled_until` that has not been released
/// yet, the responses it holds now (cancelled events left out). Partitions already recorded are
/// left as they are, also when two requests race.
pub fn freeze_settled(conn: &mut PgConnection, form: &str, settled_until: NaiveDate) -> Result<(), DbError> {
    let fiscal_year = fiscal_year_of("events");
    let statement = format!(
        "WITH settled AS (
             SELECT DISTINCT form_versions.form_slug, {fiscal_year} AS fiscal_year, events.kind
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
           AND {fiscal_year} = fresh.fiscal_year"
    );
    diesel::sql_query(statement)
        .bind::<Text, _>(form)
        .bind::<Date, _>(settled_until)
        .execute(conn)?;
    Ok(())
}

/// Like [`answers::count_sets`], over the frozen responses of `form` (in the fiscal year and kind
/// asked for, if any).
pub fn count_sets(
    conn: &mut PgConnection,
    form: &str,
    fiscal_year: Option<FiscalYear>,
    kind: Option<EventKind>,
    sets: &[Vec<&str>],
) -> Result<Vec<Counted>, DbError> {
    let partition = GroupKey::text("rr.fiscal_year::text || '/' || rr.kind".to_owned());
    let mut conditions = vec!["rr.form_slug = $1".to_owned()];
    let mut binds = vec![Bind::Text(form.to_owned())];
    if let Some(year) = fiscal_year {
        binds.push(Bind::Integer(year.0));
        conditions.push(format!("rr.fiscal_year = ${}", binds.len()));
    }
    if let Some(kind) = kind {
        binds.push(Bind::Text(kind.as_str().to_owned()));
        conditions.push(format!("rr.kind = ${}", binds.len()));
    }
    let from = "released_responses rr JOIN responses r ON r.id = rr.response_id";
    answers::count_partitioned(conn, partition, sets, from, &conditions, binds)
}
