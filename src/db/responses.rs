//! Responses. The client's `submission_id` is unique, so a phone that resends after a dropped
//! connection finds its first response instead of adding a second.

use diesel::prelude::*;
use diesel::sql_types::{Jsonb, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::schema::responses;
use super::DbError;
use crate::domain::answers::Answers;
use crate::domain::response_source::Entry;

pub struct NewResponse<'a> {
    pub submission_id: Uuid,
    pub event_id: Uuid,
    pub form_version_id: Uuid,
    pub answers: &'a Answers,
    pub entry: Entry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Created(Uuid),
    /// The same submission arrived before with the same answers: its first id.
    Repeated(Uuid),
    /// The submission id is taken by different answers or another event.
    Conflict,
}

/// Stores a response in one statement, only while its event is open: the event row is locked
/// FOR SHARE as the row is inserted, so a cancellation or closing that committed first is seen,
/// and one that comes later waits. `None` when the event was closed or cancelled meanwhile.
pub fn submit(conn: &mut PgConnection, new: &NewResponse) -> Result<Option<SubmitOutcome>, DbError> {
    let answers = new.answers.to_json();
    #[derive(QueryableByName)]
    struct Inserted {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same submission to commit, so
    // twenty simultaneous sends produce one row and nineteen look-ups of it.
    let inserted: Option<Inserted> = diesel::sql_query(
        "INSERT INTO responses (id, submission_id, event_id, form_version_id, answers,
                                gender, age_band, occupation, relation, source, entered_by)
         SELECT $1, $2, events.id, $4, $5, $6, $7, $8, $9, $10, $11 FROM events
         WHERE events.id = $3 AND events.cancelled_at IS NULL
           AND ($12 OR events.closes_at IS NULL OR events.closes_at > now())
         FOR SHARE
         ON CONFLICT (submission_id) DO NOTHING
         RETURNING id",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<SqlUuid, _>(new.submission_id)
    .bind::<SqlUuid, _>(new.event_id)
    .bind::<SqlUuid, _>(new.form_version_id)
    .bind::<Jsonb, _>(&answers)
    .bind::<Nullable<Text>, _>(new.answers.attribute("gender"))
    .bind::<Nullable<Text>, _>(new.answers.attribute("age_band"))
    .bind::<Nullable<Text>, _>(new.answers.attribute("occupation"))
    .bind::<Nullable<Text>, _>(new.answers.attribute("relation"))
    .bind::<Text, _>(new.entry.source.as_str())
    .bind::<Nullable<SqlUuid>, _>(new.entry.entered_by)
    .bind::<diesel::sql_types::Bool, _>(new.entry.ignores_closing())
    .get_result(conn)
    .optional()?;
    if let Some(inserted) = inserted {
        return Ok(Some(SubmitOutcome::Created(inserted.id)));
    }
    let earlier: Option<(Uuid, Uuid, serde_json::Value)> = responses::table
        .filter(responses::submission_id.eq(new.submission_id))
        .select((responses::id, responses::event_id, responses::answers))
        .first(conn)
        .optional()?;
    Ok(earlier.map(|(id, event_id, stored)| {
        if event_id == new.event_id && stored == answers {
            SubmitOutcome::Repeated(id)
        } else {
            SubmitOutcome::Conflict
        }
    }))
}

/// How many of an event's responses were keyed in from paper.
pub fn paper_count(conn: &mut PgConnection, event_id: Uuid) -> Result<i64, DbError> {
    Ok(responses::table
        .filter(responses::event_id.eq(event_id))
        .filter(responses::source.eq(crate::domain::response_source::Source::Paper.as_str()))
        .count()
        .get_result(conn)?)
}
