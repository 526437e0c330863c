//! Frozen partitions of researchers' releases: which responses each settled partition held when
//! it was first released (its events, and a watermark in insertion order), and their answers.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, Date, Integer, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::answers::{self, fiscal_year_of, Bind, Counted, GroupKey};
use super::DbError;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;

/// The sequence that numbers responses in insertion order (`responses.seq`'s identity).
const RESPONSE_SEQUENCE: &str = "responses_seq_seq";

/// The responses (as `{responses}`) of the frozen partitions, each as `rr` with its form, fiscal
/// year and kind: the responses of the partition's events stored up to its watermark.
fn frozen_responses(responses: &str) -> String {
    format!(
        "released_events rr
         JOIN released_partitions rp
           ON rp.form_slug = rr.form_slug AND rp.fiscal_year = rr.fiscal_year AND rp.kind = rr.kind
         JOIN responses {responses} ON {responses}.event_id = rr.event_id AND {responses}.seq <= rp.through_seq
         JOIN form_versions rfv ON rfv.id = {responses}.form_version_id AND rfv.form_slug = rr.form_slug"
    )
}

/// Records, for each partition of `form` held up to `settled_until` that has not been released
/// yet, its events (cancelled ones left out, and any already in another partition: an event
/// belongs to the partition that first froze it, wherever it is moved later) and a watermark: the
/// responses they hold now are those numbered up to it. The events are locked against new answers
/// while the watermark is read, so an answer being stored for them either counts or comes later
/// with a higher number. Partitions already recorded are left as they are, also when two
/// requests race.
pub fn freeze_settled(conn: &mut PgConnection, form: &str, settled_until: NaiveDate) -> Result<(), DbError> {
    #[derive(QueryableByName)]
    struct Partition {
        #[diesel(sql_type = Integer)]
        fiscal_year: i32,
        #[diesel(sql_type = Text)]
        kind: String,
    }
    #[derive(QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = SqlUuid)]
        event_id: Uuid,
    }
    let fiscal_year = fiscal_year_of("events");
    conn.transaction(|conn| {
        let fresh: Vec<Partition> = diesel::sql_query(format!(
            "INSERT INTO released_partitions (form_slug, fiscal_year, kind, through_seq)
             SELECT DISTINCT form_versions.form_slug, {fiscal_year}, events.kind, 0
             FROM events JOIN form_versions ON form_versions.id = events.form_version_id
             WHERE form_versions.form_slug = $1 AND events.held_on <= $2
             ON CONFLICT DO NOTHING
             RETURNING fiscal_year, kind"
        ))
        .bind::<Text, _>(form)
        .bind::<Date, _>(settled_until)
        .load(conn)?;
        if fresh.is_empty() {
            return Ok(());
        }
        let years: Vec<i32> = fresh.iter().map(|p| p.fiscal_year).collect();
        let kinds: Vec<&str> = fresh.iter().map(|p| p.kind.as_str()).collect();
        let claimed: Vec<Claimed> = diesel::sql_query(format!(
            "INSERT INTO released_events (form_slug, fiscal_year, kind, event_id)
             SELECT $1, fresh.fiscal_year, fresh.kind, events.id
             FROM unnest($2::int[], $3::text[]) AS fresh (fiscal_year, kind)
             JOIN form_versions ON form_versions.form_slug = $1
             JOIN events ON events.form_version_id = form_versions.id
             WHERE events.cancelled_at IS NULL AND events.kind = fresh.kind
               AND {fiscal_year} = fresh.fiscal_year
             ON CONFLICT DO NOTHING
             RETURNING event_id"
        ))
        .bind::<Text, _>(form)
        .bind::<Array<Integer>, _>(&years)
        .bind::<Array<Text>, _>(&kinds)
        .load(conn)?;
        let events: Vec<Uuid> = claimed.into_iter().map(|c| c.event_id).collect();
        // Waits for answers being stored for these events (they hold the event FOR SHARE), and
        // makes later ones wait until the watermark is committed.
        diesel::sql_query("SELECT 1 FROM events WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
            .bind::<Array<SqlUuid>, _>(&events)
            .execute(conn)?;
        diesel::sql_query(format!(
            "UPDATE released_partitions
                SET through_seq = (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
                                     FROM {RESPONSE_SEQUENCE})
              WHERE form_slug = $1
                AND (fiscal_year, kind) IN (SELECT * FROM unnest($2::int[], $3::text[]))"
        ))
        .bind::<Text, _>(form)
        .bind::<Array<Integer>, _>(&years)
        .bind::<Array<Text>, _>(&kinds)
        .execute(conn)?;
        Ok(())
    })
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
    let from = frozen_responses("r");
    count_frozen(conn, &from, vec![Bind::Text(form.to_owned())], fiscal_year, kind, sets)
}

/// What the frozen partitions of `form` hold, as text: each one's watermark and number of events.
/// Their responses never change once frozen, except with their events deleted (the demo's), so
/// two releases of the same frozen state are the same.
pub fn frozen_state(conn: &mut PgConnection, form: &str) -> Result<String, DbError> {
    #[derive(QueryableByName)]
    struct State {
        #[diesel(sql_type = Text)]
        state: String,
    }
    let row: State = diesel::sql_query(
        "SELECT coalesce(string_agg(
                    rp.fiscal_year || '/' || rp.kind || ':' || rp.through_seq || ':'
                      || (SELECT count(*) FROM released_events re
                           WHERE re.form_slug = rp.form_slug AND re.fiscal_year = rp.fiscal_year
                             AND re.kind = rp.kind),
                    ',' ORDER BY rp.fiscal_year, rp.kind), '') AS state
           FROM released_partitions rp
          WHERE rp.form_slug = $1",
    )
    .bind::<Text, _>(form)
    .get_result(conn)?;
    Ok(row.state)
}

/// A frozen partition of a form: when it was frozen and how many responses it holds.
#[derive(Debug, Clone, QueryableByName)]
pub struct PartitionSize {
    #[diesel(sql_type = Integer)]
    pub fiscal_year: i32,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub released_at: chrono::DateTime<chrono::Utc>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub responses: i64,
}

/// The frozen partitions of `form` holding at least `min_responses`, oldest first: smaller ones
/// are in no release, and listing them would tell that a few people are there.
pub fn partition_sizes(conn: &mut PgConnection, form: &str, min_responses: i64) -> Result<Vec<PartitionSize>, DbError> {
    Ok(diesel::sql_query(format!(
        "SELECT rr.fiscal_year, rr.kind, rp.released_at, count(*) AS responses
           FROM {}
          WHERE rr.form_slug = $1
          GROUP BY rr.fiscal_year, rr.kind, rp.released_at
         HAVING count(*) >= $2
          ORDER BY rr.fiscal_year, rr.kind",
        frozen_responses("r")
    ))
    .bind::<Text, _>(form)
    .bind::<diesel::sql_types::BigInt, _>(min_responses)
    .load(conn)?)
}

/// A free-text question coded with a codebook.
#[derive(Debug, Clone, Copy)]
pub struct CodedQuestion<'a> {
    pub codebook: &'a str,
    pub question: &'a str,
}

/// Like [`count_sets`], over the partitions whose codings of the coded question were
/// frozen and whose fiscal year ended by `settled_until`, with the answer to the question read as
/// its comment's frozen themes (`null` where there is no comment).
pub fn count_coded_sets(
    conn: &mut PgConnection,
    form: &str,
    coded: CodedQuestion,
    fiscal_year: Option<FiscalYear>,
    kind: Option<EventKind>,
    settled_until: NaiveDate,
    sets: &[Vec<&str>],
) -> Result<Vec<Counted>, DbError> {
    // `r` stands for the responses with their answers replaced by the coded question's themes,
    // so that the themes are counted like any other answer.
    let from = format!(
        "{}
         JOIN released_theme_partitions tp
           ON tp.form_slug = rr.form_slug AND tp.fiscal_year = rr.fiscal_year AND tp.kind = rr.kind
          AND tp.codebook_slug = $2 AND tp.question = $3
          AND make_date(tp.fiscal_year + 1, 3, 31) <= $4
         LEFT JOIN released_codings rc
           ON rc.response_id = resp.id AND rc.codebook_slug = $2 AND rc.question = $3
         CROSS JOIN LATERAL (
             SELECT resp.id, resp.gender, resp.age_band, resp.occupation, resp.relation,
                    jsonb_build_object($3::text, CASE WHEN length(resp.answers ->> $3) > 0
                                                 THEN to_jsonb(rc.themes) END) AS answers) r",
        frozen_responses("resp")
    );
    let binds = vec![
        Bind::Text(form.to_owned()),
        Bind::Text(coded.codebook.to_owned()),
        Bind::Text(coded.question.to_owned()),
        Bind::Date(settled_until),
    ];
    count_frozen(conn, &from, binds, fiscal_year, kind, sets)
}

/// Counts `sets` over `from`, whose frozen responses `rr` of the form bound first are
/// partitioned by fiscal year and kind (kept to those asked for, if any).
fn count_frozen(
    conn: &mut PgConnection,
    from: &str,
    mut binds: Vec<Bind>,
    fiscal_year: Option<FiscalYear>,
    kind: Option<EventKind>,
    sets: &[Vec<&str>],
) -> Result<Vec<Counted>, DbError> {
    let partition = GroupKey::text("rr.fiscal_year::text || '/' || rr.kind".to_owned());
    let mut conditions = vec!["rr.form_slug = $1".to_owned()];
    if let Some(year) = fiscal_year {
        binds.push(Bind::Integer(year.0));
        conditions.push(format!("rr.fiscal_year = ${}", binds.len()));
    }
    if let Some(kind) = kind {
        binds.push(Bind::Text(kind.as_str().to_owned()));
        conditions.push(format!("rr.kind = ${}", binds.len()));
    }
    answers::count_partitioned(conn, partition, sets, from, &conditions, binds)
}

/// Records, for each frozen partition of `form` whose comments to `question` are all coded with
/// `codebook` and whose themes have not been released yet, the latest coding of each comment.
/// A partition is released once, when fully coded; partitions already recorded are left as they
/// are.
pub fn freeze_codings(conn: &mut PgConnection, form: &str, codebook: &str, question: &str) -> Result<(), DbError> {
    let frozen = frozen_responses("r");
    diesel::sql_query(format!(
        "WITH coded AS (
             SELECT p.form_slug, p.fiscal_year, p.kind FROM released_partitions p
             WHERE p.form_slug = $1 AND NOT EXISTS (
                 SELECT 1 FROM {frozen}
                 WHERE rr.form_slug = p.form_slug AND rr.fiscal_year = p.fiscal_year AND rr.kind = p.kind
                   AND length(trim(r.answers ->> $3)) > 0
                   AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.response_id = r.id
                                     AND c.codebook_slug = $2 AND c.question = $3))
         ), fresh AS (
             INSERT INTO released_theme_partitions (form_slug, fiscal_year, kind, codebook_slug, question)
             SELECT form_slug, fiscal_year, kind, $2, $3 FROM coded
             ON CONFLICT DO NOTHING
             RETURNING form_slug, fiscal_year, kind
         )
         INSERT INTO released_codings (form_slug, fiscal_year, kind, codebook_slug, question, response_id, themes)
         SELECT DISTINCT ON (r.id) rr.form_slug, rr.fiscal_year, rr.kind, $2, $3, r.id, c.themes
         FROM fresh
         JOIN ({frozen})
           ON rr.form_slug = fresh.form_slug AND rr.fiscal_year = fresh.fiscal_year AND rr.kind = fresh.kind
         JOIN codings c ON c.response_id = r.id AND c.codebook_slug = $2 AND c.question = $3
         ORDER BY r.id, c.updated_at DESC"
    ))
    .bind::<Text, _>(form)
    .bind::<Text, _>(codebook)
    .bind::<Text, _>(question)
    .execute(conn)?;
    Ok(())
}

/// Whether researchers' releases hold event `id` (a frozen partition counts it for good).
pub fn is_event_released(conn: &mut PgConnection, id: uuid::Uuid) -> Result<bool, DbError> {
    #[derive(QueryableByName)]
    struct Released {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        released: bool,
    }
    let found: Released =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM released_events WHERE event_id = $1) AS released")
            .bind::<diesel::sql_types::Uuid, _>(id)
            .get_result(conn)?;
    Ok(found.released)
}
