//! Analysts' codings of comments and meeting notes.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use serde_json::Value;
use uuid::Uuid;

use super::answers::{conditions, event_sql, Bind, Column};
use super::schema::{event_notes, responses};
use super::DbError;
use crate::domain::coding::{CodedItem, NewCoding};
use crate::domain::form::QuestionKind;
use crate::domain::response_filter::ResponseFilter;

#[derive(Debug, Clone, QueryableByName)]
pub struct Stored {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    /// False when an earlier coding of the item by the same coder was replaced.
    #[diesel(sql_type = Bool)]
    pub created: bool,
}

/// Stores `coding` by `coder` with codebook version `version_id` (made by the codebook's rules
/// if `by_rule`), replacing that coder's earlier coding of the item in the same codebook.
pub fn upsert(
    conn: &mut PgConnection,
    coding: &NewCoding,
    version_id: Uuid,
    coder: Uuid,
    by_rule: bool,
) -> Result<Stored, DbError> {
    let (response, question, note) = match &coding.item {
        CodedItem::Answer { response, question } => (Some(*response), Some(question.as_str()), None),
        CodedItem::Note(note) => (None, None, Some(*note)),
    };
    // xmax is 0 on a row just inserted, not on one updated by ON CONFLICT.
    Ok(diesel::sql_query(
        "INSERT INTO codings (id, codebook_slug, codebook_version_id, coder_token_id, response_id, question, note_id, themes, quote, by_rule)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (codebook_slug, coder_token_id, COALESCE(response_id, note_id), COALESCE(question, ''))
         DO UPDATE SET codebook_version_id = EXCLUDED.codebook_version_id, themes = EXCLUDED.themes,
                       quote = EXCLUDED.quote, by_rule = EXCLUDED.by_rule, updated_at = now()
         RETURNING id, (xmax = 0) AS created",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(&coding.codebook)
    .bind::<SqlUuid, _>(version_id)
    .bind::<SqlUuid, _>(coder)
    .bind::<diesel::sql_types::Nullable<SqlUuid>, _>(response)
    .bind::<diesel::sql_types::Nullable<Text>, _>(question)
    .bind::<diesel::sql_types::Nullable<SqlUuid>, _>(note)
    .bind::<Array<Text>, _>(&coding.themes)
    .bind::<Bool, _>(coding.quote)
    .bind::<Bool, _>(by_rule)
    .get_result(conn)?)
}

/// The text an item holds: the answer to a free-text question, or the note; `None` if there is none.
pub fn item_text(conn: &mut PgConnection, item: &CodedItem) -> Result<Option<String>, DbError> {
    Ok(match item {
        CodedItem::Answer { response, question } => {
            let Some((answers, version)) = responses::table
                .find(response)
                .select((responses::answers, responses::form_version_id))
                .first::<(Value, Uuid)>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            // Only free text is a comment: a choice's value is a string too.
            let form = super::forms::by_id(conn, version)?;
            let is_text = form
                .definition
                .question(question)
                .is_some_and(|q| matches!(q.kind, QuestionKind::Text { .. }));
            answers
                .get(question)
                .and_then(Value::as_str)
                .filter(|_| is_text)
                .map(str::to_owned)
        }
        CodedItem::Note(note) => event_notes::table
            .find(note)
            .select(event_notes::text)
            .first(conn)
            .optional()?,
    })
}

/// One coding as analyses read it: the item, who coded it, when, with what, and the item's values
/// of the columns asked for (a note has only its event's).
#[derive(Debug, Clone, QueryableByName)]
pub struct CodedRow {
    #[diesel(sql_type = SqlUuid)]
    pub item: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub coder: Uuid,
    #[diesel(sql_type = Array<Text>)]
    pub themes: Vec<String>,
    #[diesel(sql_type = Bool)]
    pub quote: bool,
    /// Made by the codebook's rules, not by a person.
    #[diesel(sql_type = Bool)]
    pub by_rule: bool,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub text: String,
    #[diesel(sql_type = Jsonb)]
    pub key: Value,
}

/// The codings with `codebook` of answers to `question` among the filter's responses (when
/// `answers`) and of notes of the filter's events (when `notes`), with `columns` of each item.
pub fn coded(
    conn: &mut PgConnection,
    codebook: &str,
    question: &str,
    filter: &ResponseFilter,
    columns: &[Column],
    answers: bool,
    notes: bool,
) -> Result<Vec<CodedRow>, DbError> {
    let mut rows = Vec::new();
    let json_of = |column: &Column, item: &str| match column {
        // Question ids are checked identifiers ([a-z0-9_]); quoting is belt and braces.
        Column::Answer(id) => format!("{item}.answers -> '{}'", id.replace('\'', "''")),
        Column::Event(column) => format!("to_jsonb({})", event_sql(*column, "e")),
    };
    // `of_question`: the answers' codings are of one question; the notes' of none.
    let mut run = |from: &str,
                   text: &str,
                   item: &str,
                   responses: Option<&str>,
                   of_question: bool|
     -> Result<(), DbError> {
        let (mut conditions, mut binds) = conditions(filter, responses);
        binds.push(Bind::Text(codebook.to_owned()));
        conditions.push(format!("c.codebook_slug = ${}", binds.len()));
        if of_question {
            binds.push(Bind::Text(question.to_owned()));
            conditions.push(format!("c.question = ${}", binds.len()));
        }
        let keys: Vec<String> = columns.iter().map(|c| json_of(c, item)).collect();
        let statement = format!(
                "SELECT {item}.id AS item, c.coder_token_id AS coder, c.themes, c.quote, c.by_rule, c.updated_at, {text} AS text,
                    jsonb_build_array({}) AS key
               FROM {from} WHERE {}",
                keys.join(", "),
                conditions.join(" AND ")
            );
        let mut query = diesel::sql_query(statement).into_boxed::<Pg>();
        for bind in binds {
            query = bind.apply(query);
        }
        rows.extend(query.load::<CodedRow>(conn)?);
        Ok(())
    };
    if answers {
        run(
            "codings c JOIN responses r ON r.id = c.response_id JOIN events e ON e.id = r.event_id",
            "r.answers ->> c.question",
            "r",
            Some("r"),
            true,
        )?;
    }
    if notes {
        run(
            "codings c JOIN event_notes n ON n.id = c.note_id JOIN events e ON e.id = n.event_id",
            "n.text",
            "n",
            None,
            false,
        )?;
    }
    Ok(rows)
}

/// An item to code as a query finds it: an answer (to the question asked) or a note, and its text.
#[derive(QueryableByName)]
struct ItemRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Bool)]
    is_note: bool,
    #[diesel(sql_type = Text)]
    text: String,
}

impl ItemRow {
    fn into_item(self, question: &str) -> (CodedItem, String) {
        let item = if self.is_note {
            CodedItem::Note(self.id)
        } else {
            CodedItem::Answer {
                response: self.id,
                question: question.to_owned(),
            }
        };
        (item, self.text)
    }
}

/// The oldest item of `form` that `coder` has not coded with `codebook`: an answer to
/// `question` with text, else a meeting note of the form's events (cancelled ones left out).
pub fn next_uncoded(
    conn: &mut PgConnection,
    codebook: &str,
    coder: Uuid,
    form: &str,
    question: &str,
) -> Result<Option<(CodedItem, String)>, DbError> {
    let next: Option<ItemRow> = diesel::sql_query(
        "SELECT id, is_note, text FROM (
             SELECT r.id, false AS is_note, r.answers ->> $4 AS text, r.submitted_at AS at
               FROM responses r JOIN events e ON e.id = r.event_id
              WHERE r.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $3)
                AND e.cancelled_at IS NULL AND length(trim(r.answers ->> $4)) > 0
                AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.codebook_slug = $1 AND c.coder_token_id = $2
                                  AND c.response_id = r.id AND c.question = $4)
             UNION ALL
             SELECT n.id, true, n.text, n.created_at
               FROM event_notes n JOIN events e ON e.id = n.event_id
              WHERE e.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $3)
                AND e.cancelled_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.codebook_slug = $1 AND c.coder_token_id = $2
                                  AND c.note_id = n.id)
         ) items ORDER BY is_note, at, id LIMIT 1",
    )
    .bind::<Text, _>(codebook)
    .bind::<SqlUuid, _>(coder)
    .bind::<Text, _>(form)
    .bind::<Text, _>(question)
    .get_result(conn)
    .optional()?;
    Ok(next.map(|row| row.into_item(question)))
}

/// The comments (answers to `question` with text) and meeting notes of `form`'s events that no
/// person has coded with `codebook`: what its rules may code. Cancelled events left out.
pub fn not_coded_by_people(
    conn: &mut PgConnection,
    codebook: &str,
    form: &str,
    question: &str,
) -> Result<Vec<(CodedItem, String)>, DbError> {
    let items: Vec<ItemRow> = diesel::sql_query(
        "SELECT r.id, false AS is_note, r.answers ->> $3 AS text
           FROM responses r JOIN events e ON e.id = r.event_id
          WHERE r.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $2)
            AND e.cancelled_at IS NULL AND length(trim(r.answers ->> $3)) > 0
            AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.codebook_slug = $1 AND NOT c.by_rule
                              AND c.response_id = r.id AND c.question = $3)
         UNION ALL
         SELECT n.id, true, n.text
           FROM event_notes n JOIN events e ON e.id = n.event_id
          WHERE e.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $2)
            AND e.cancelled_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.codebook_slug = $1 AND NOT c.by_rule
                              AND c.note_id = n.id)",
    )
    .bind::<Text, _>(codebook)
    .bind::<Text, _>(form)
    .bind::<Text, _>(question)
    .load(conn)?;
    Ok(items.into_iter().map(|row| row.into_item(question)).collect())
}

/// The latest `limit` comments and notes of `form` already coded with `codebook` (by anyone),
/// each with its themes: what a new comment is compared with to suggest themes.
pub fn coded_texts(
    conn: &mut PgConnection,
    codebook: &str,
    form: &str,
    question: &str,
    limit: i64,
) -> Result<Vec<(String, Vec<String>)>, DbError> {
    #[derive(QueryableByName)]
    struct Coded {
        #[diesel(sql_type = Text)]
        text: String,
        #[diesel(sql_type = diesel::sql_types::Array<Text>)]
        themes: Vec<String>,
    }
    let rows: Vec<Coded> = diesel::sql_query(
        "SELECT text, themes FROM (
             SELECT r.answers ->> $3 AS text, c.themes, c.updated_at
               FROM codings c JOIN responses r ON r.id = c.response_id
              WHERE c.codebook_slug = $1 AND c.question = $3
                AND r.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $2)
             UNION ALL
             SELECT n.text, c.themes, c.updated_at
               FROM codings c JOIN event_notes n ON n.id = c.note_id JOIN events e ON e.id = n.event_id
              WHERE c.codebook_slug = $1
                AND e.form_version_id IN (SELECT id FROM form_versions WHERE form_slug = $2)
         ) coded WHERE text IS NOT NULL ORDER BY updated_at DESC LIMIT $4",
    )
    .bind::<Text, _>(codebook)
    .bind::<Text, _>(form)
    .bind::<Text, _>(question)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)?;
    Ok(rows.into_iter().map(|row| (row.text, row.themes)).collect())
}
