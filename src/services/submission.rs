//! Accepting a response, shared by the JSON API, the phone form and paper entry: the event must
//! exist and be open (paper: not cancelled), the answers must fit the event's form version, and a
//! resend must not duplicate.

use std::sync::Arc;

use chrono::Utc;
use diesel::PgConnection;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db::events::SurveyEvent;
use crate::db::forms::StoredForm;
use crate::db::responses::{NewResponse, SubmitOutcome};
use crate::db::{self, DbError};
use crate::domain::answers::{Answers, FieldError};
use crate::domain::event::{refusal, Refusal};
use crate::domain::form::AGENCY_QUESTION;
use crate::domain::response_source::Entry;
use crate::services::form_versions::{shared_with_current_agencies, with_current_agencies, FormVersions};

/// An event with the form version it asks.
pub struct Survey {
    pub event: SurveyEvent,
    pub form: Arc<StoredForm>,
}

pub enum EventKey {
    Id(Uuid),
    Code(String),
}

pub enum Submission {
    Stored(SubmitOutcome),
    Refused(Refusal),
    Invalid(Vec<FieldError>),
}

impl Survey {
    pub fn load(conn: &mut PgConnection, forms: &FormVersions, key: &EventKey) -> Result<Self, DbError> {
        let event = match key {
            EventKey::Id(id) => db::events::survey_event(conn, *id)?,
            EventKey::Code(code) => db::events::survey_event_by_code(conn, code)?,
        };
        // The page offers the agency list as it is now.
        let form = forms.get(conn, event.form_version_id)?;
        let form = shared_with_current_agencies(conn, form)?;
        Ok(Self { event, form })
    }

    pub fn refusal(&self) -> Option<Refusal> {
        self.refusal_for(Entry::PHONE)
    }

    /// Why this event refuses answers sent as `entry`, if it does.
    pub fn refusal_for(&self, entry: Entry) -> Option<Refusal> {
        refusal_for(entry, self.event.closes_at, self.event.cancelled_at)
    }

    /// Checks and stores one response; writes nothing unless the answers are valid.
    pub fn submit(
        &self,
        conn: &mut PgConnection,
        entry: Entry,
        submission_id: Uuid,
        raw_answers: &Map<String, Value>,
    ) -> Result<Submission, DbError> {
        if let Some(refusal) = self.refusal_for(entry) {
            return Ok(Submission::Refused(refusal));
        }
        submit(conn, self.event.id, &self.form, entry, submission_id, raw_answers)
    }
}

/// Checks and stores one response, sent as `entry`, to the event with this id: with the event's
/// form version in memory, a valid submission to an open event is a single statement.
pub fn submit_to_event(
    conn: &mut PgConnection,
    forms: &FormVersions,
    event_id: Uuid,
    entry: Entry,
    submission_id: Uuid,
    raw_answers: &Map<String, Value>,
) -> Result<Submission, DbError> {
    let form = forms.for_event(conn, event_id)?;
    submit(conn, event_id, &form, entry, submission_id, raw_answers)
}

fn submit(
    conn: &mut PgConnection,
    event_id: Uuid,
    form: &StoredForm,
    entry: Entry,
    submission_id: Uuid,
    raw_answers: &Map<String, Value>,
) -> Result<Submission, DbError> {
    // Only an answer naming an agency needs the list: the rest of submissions read none.
    let names_agency = raw_answers
        .get(AGENCY_QUESTION)
        .is_some_and(|value| !value.is_null() && value.as_str() != Some(""));
    let resolved;
    let form = if names_agency && form.definition.awaits_agencies() {
        resolved = with_current_agencies(conn, form.clone())?;
        &resolved
    } else {
        form
    };
    let answers = match Answers::parse(&form.definition, raw_answers) {
        Ok(answers) => answers,
        // A closed event says so before it finds fault with the answers.
        Err(errors) => {
            return Ok(current_refusal(conn, event_id, entry)?.map_or(Submission::Invalid(errors), Submission::Refused))
        }
    };
    let response = NewResponse {
        submission_id,
        event_id,
        form_version_id: form.id,
        answers: &answers,
        entry,
    };
    match db::responses::submit(conn, &response)? {
        Some(outcome) => Ok(Submission::Stored(outcome)),
        // Closed or cancelled before the insert: say which, as it is now.
        None => Ok(Submission::Refused(
            current_refusal(conn, event_id, entry)?.unwrap_or(Refusal::Closed),
        )),
    }
}

fn current_refusal(conn: &mut PgConnection, event_id: Uuid, entry: Entry) -> Result<Option<Refusal>, DbError> {
    let event = db::events::survey_event(conn, event_id)?;
    Ok(refusal_for(entry, event.closes_at, event.cancelled_at))
}

fn refusal_for(
    entry: Entry,
    closes_at: Option<chrono::DateTime<Utc>>,
    cancelled_at: Option<chrono::DateTime<Utc>>,
) -> Option<Refusal> {
    let closes_at = closes_at.filter(|_| !entry.ignores_closing());
    refusal(closes_at, cancelled_at, Utc::now())
}
