//! Responses. The client's `submission_id` is unique, so a phone that resends after a dropped
//! connection finds its first response instead of adding a second.

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::responses;
use super::DbError;
use crate::domain::answers::Answers;

pub struct NewResponse<'a> {
    pub submission_id: Uuid,
    pub event_id: Uuid,
    pub form_version_id: Uuid,
    pub answers: &'a Answers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Created(Uuid),
    /// The same submission arrived before with the same answers: its first id.
    Repeated(Uuid),
    /// The submission id is taken by different answers or another event.
    Conflict,
}

pub fn submit(conn: &mut PgConnection, new: &NewResponse) -> Result<SubmitOutcome, DbError> {
    let answers = new.answers.to_json();
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same submission to commit, so
    // twenty simultaneous sends produce one row and nineteen look-ups of it.
    let inserted: Option<Uuid> = diesel::insert_into(responses::table)
        .values((
            responses::id.eq(Uuid::now_v7()),
            responses::submission_id.eq(new.submission_id),
            responses::event_id.eq(new.event_id),
            responses::form_version_id.eq(new.form_version_id),
            responses::answers.eq(&answers),
            responses::gender.eq(new.answers.attribute("gender")),
            responses::age_band.eq(new.answers.attribute("age_band")),
            responses::occupation.eq(new.answers.attribute("occupation")),
            responses::relation.eq(new.answers.attribute("relation")),
        ))
        .on_conflict(responses::submission_id)
        .do_nothing()
        .returning(responses::id)
        .get_result(conn)
        .optional()?;
    if let Some(id) = inserted {
        return Ok(SubmitOutcome::Created(id));
    }
    let (id, event_id, stored): (Uuid, Uuid, serde_json::Value) = responses::table
        .filter(responses::submission_id.eq(new.submission_id))
        .select((responses::id, responses::event_id, responses::answers))
        .first(conn)?;
    Ok(if event_id == new.event_id && stored == answers {
        SubmitOutcome::Repeated(id)
    } else {
        SubmitOutcome::Conflict
    })
}
