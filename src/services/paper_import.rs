//! Paper questionnaires keyed into a workbook, shared by the API and the dashboard: the template
//! of an event's form, and its import, all or nothing. Each row's submission id is derived from
//! the event and the number written on the paper, so importing the same sheet again finds the
//! rows stored the first time instead of adding them twice.

use diesel::{Connection, PgConnection};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::responses::{NewResponse, SubmitOutcome};
use crate::db::{self, Connections, DbError};
use crate::domain::event::Refusal;
use crate::domain::response_source::Entry;
use crate::paper_workbook::{self, KeyedIn, SheetProblem};
use crate::services::form_versions::FormVersions;
use crate::services::submission::{EventKey, Survey};

/// An event's template, with the name to save it under.
pub struct Template {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

pub enum TemplateOutcome {
    Ready(Template),
    Refused(Refusal),
}

#[derive(Debug, PartialEq, Eq)]
pub enum PaperImport {
    /// Every row is stored: `stored` new ones, `repeated` found from an earlier import.
    Imported {
        stored: usize,
        repeated: usize,
    },
    Refused(Refusal),
    /// Nothing was stored.
    Problems(Vec<SheetProblem>),
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the template could not be written: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
}

/// The template of the event's form (with the agency list as it is now), its rows numbered
/// after the questionnaires already keyed in; refused for a cancelled event.
pub fn template(
    conn: &mut PgConnection,
    forms: &FormVersions,
    event_id: Uuid,
    entry: Entry,
) -> Result<TemplateOutcome, TemplateError> {
    let survey = Survey::load(conn, forms, &EventKey::Id(event_id))?;
    if let Some(refusal) = survey.refusal_for(entry) {
        return Ok(TemplateOutcome::Refused(refusal));
    }
    let first_number = db::responses::paper_count(conn, event_id)? + 1;
    let bytes = paper_workbook::template(&survey.form.definition, first_number)?;
    Ok(TemplateOutcome::Ready(Template {
        file_name: format!("paper-{}-{}.xlsx", survey.event.held_on, survey.event.code),
        bytes,
    }))
}

/// Reads a filled template and stores every questionnaire in it as `entry`, or nothing: a
/// problem in any row, or a number imported before with other answers, stores no row. The
/// connection is held to load the form and to store, not while the workbook is read.
pub fn import(
    connections: &mut impl Connections,
    forms: &FormVersions,
    event_id: Uuid,
    entry: Entry,
    bytes: &[u8],
) -> Result<PaperImport, DbError> {
    let survey = connections.with(|conn| Survey::load(conn, forms, &EventKey::Id(event_id)))?;
    if let Some(refusal) = survey.refusal_for(entry) {
        return Ok(PaperImport::Refused(refusal));
    }
    let keyed = match paper_workbook::read(&survey.form.definition, bytes) {
        Ok(keyed) => keyed,
        Err(problems) => return Ok(PaperImport::Problems(problems)),
    };
    let form_version_id = survey.form.id;
    connections.with(|conn| store_all(conn, event_id, form_version_id, entry, &keyed))
}

/// Why the transaction storing the rows was rolled back.
enum Rollback {
    Db(DbError),
    Outcome(PaperImport),
}

impl From<diesel::result::Error> for Rollback {
    fn from(error: diesel::result::Error) -> Self {
        Self::Db(error.into())
    }
}

impl From<DbError> for Rollback {
    fn from(error: DbError) -> Self {
        Self::Db(error)
    }
}

fn store_all(
    conn: &mut PgConnection,
    event_id: Uuid,
    form_version_id: Uuid,
    entry: Entry,
    keyed: &[KeyedIn],
) -> Result<PaperImport, DbError> {
    let stored = conn.transaction(|conn| {
        let (mut stored, mut repeated, mut conflicts) = (0, 0, Vec::new());
        for row in keyed {
            let response = NewResponse {
                submission_id: submission_id(event_id, &row.number),
                event_id,
                form_version_id,
                answers: &row.answers,
                entry,
            };
            match db::responses::submit(conn, &response)? {
                Some(SubmitOutcome::Created(_)) => stored += 1,
                Some(SubmitOutcome::Repeated(_)) => repeated += 1,
                Some(SubmitOutcome::Conflict) => conflicts.push(imported_before(row)),
                // Only a cancellation that committed meanwhile refuses paper.
                None => return Err(Rollback::Outcome(PaperImport::Refused(Refusal::Cancelled))),
            }
        }
        if conflicts.is_empty() {
            Ok(PaperImport::Imported { stored, repeated })
        } else {
            Err(Rollback::Outcome(PaperImport::Problems(conflicts)))
        }
    });
    match stored {
        Ok(imported) => Ok(imported),
        Err(Rollback::Outcome(outcome)) => Ok(outcome),
        Err(Rollback::Db(error)) => Err(error),
    }
}

fn imported_before(row: &KeyedIn) -> SheetProblem {
    SheetProblem::new(
        &row.number_cell,
        "number_imported_before",
        format!(
            "番号「{}」の回答票は、別の内容ですでに取り込まれています。新しい回答票なら別の番号にしてください。",
            row.number
        ),
        format!(
            "questionnaire number {:?} was imported before with other answers: give a new questionnaire a new number",
            row.number
        ),
    )
}

/// The same event and number give the same id, whichever file they come in.
fn submission_id(event_id: Uuid, number: &str) -> Uuid {
    let digest = Sha256::new()
        .chain_update(b"tsunagari paper questionnaire\0")
        .chain_update(event_id.as_bytes())
        .chain_update(number.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_keeps_its_id_within_its_event_only() {
        let (one, two) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(submission_id(one, "12"), submission_id(one, "12"));
        assert_ne!(submission_id(one, "12"), submission_id(one, "13"));
        assert_ne!(submission_id(one, "12"), submission_id(two, "12"));
    }
}
