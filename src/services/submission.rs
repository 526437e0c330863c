//! Accepting a response, shared by the JSON API and the phone form: the event must exist and be
//! open, the answers must fit the event's form version, and a resend must not duplicate.

use std::sync::Arc;

use chrono::Utc;
use diesel::PgConnection;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::db::forms::StoredForm;
use crate::db::responses::{NewResponse, SubmitOutcome};
use crate::db::{self, DbError};
use crate::domain::answers::{Answers, FieldError};
use crate::domain::event::{refusal, Refusal};
use crate::services::form_versions::FormVersions;

/// An event with the form version it asks.
pub struct Survey {
    pub event: EventRecord,
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
            EventKey::Id(id) => db::events::find(conn, *id)?,
            EventKey::Code(code) => db::events::find_by_code(conn, code)?,
        };
        let form = forms.get(conn, event.form_version_id)?;
        Ok(Self { event, form })
    }

    pub fn refusal(&self) -> Option<Refusal> {
        refusal(self.event.closes_at, self.event.cancelled_at, Utc::now())
    }

    /// Checks and stores one response; writes nothing unless the answers are valid.
    pub fn submit(
        &self,
        conn: &mut PgConnection,
        submission_id: Uuid,
        raw_answers: &Map<String, Value>,
    ) -> Result<Submission, DbError> {
        if let Some(refusal) = self.refusal() {
            return Ok(Submission::Refused(refusal));
        }
        let answers = match Answers::parse(&self.form.definition, raw_answers) {
            Ok(answers) => answers,
            Err(errors) => return Ok(Submission::Invalid(errors)),
        };
        let response = NewResponse {
            submission_id,
            event_id: self.event.id,
            form_version_id: self.form.id,
            answers: &answers,
        };
        match db::responses::submit(conn, &response)? {
            Some(outcome) => Ok(Submission::Stored(outcome)),
            // Closed or cancelled since the event was read: say which, as it is now.
            None => {
                let event = db::events::find(conn, self.event.id)?;
                let refusal = refusal(event.closes_at, event.cancelled_at, Utc::now());
                Ok(Submission::Refused(refusal.unwrap_or(Refusal::Closed)))
            }
        }
    }
}
