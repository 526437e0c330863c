//! Forms that staff author: an upload (a form file's JSON or an XLSForm workbook) checked by the
//! same rules as the shipped files and stored as a new version of its slug, or every problem.
//! Shared by the API and the dashboard's forms page.

use diesel::PgConnection;
use uuid::Uuid;

use crate::db::{self, DbError};
use crate::domain::attribute_block;
use crate::domain::form::{FormDefinition, FormError};
use crate::domain::lang::Localized;
use crate::xlsform;

pub enum Upload {
    Json(serde_json::Value),
    Workbook(Vec<u8>),
}

/// One problem of an upload: where (`survey!C7`, or the question of a JSON form) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadProblem {
    pub location: Option<String>,
    /// In both languages: the API answers in English, the dashboard in Japanese.
    pub message: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub slug: String,
    pub version: i32,
    /// False when the same content was stored already: nothing changed.
    pub is_new: bool,
}

/// Checks an upload (CPU work: run it off the executor) without storing it.
pub fn check(upload: Upload) -> Result<FormDefinition, Vec<UploadProblem>> {
    match upload {
        Upload::Workbook(bytes) => xlsform::read(&bytes).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| UploadProblem {
                    location: Some(p.location),
                    message: p.message,
                })
                .collect()
        }),
        Upload::Json(value) => {
            let form = FormDefinition::parse_value(value).map_err(json_problems)?;
            let deviations = attribute_block::deviations(&form);
            if deviations.is_empty() {
                Ok(form)
            } else {
                Err(json_problems(deviations))
            }
        }
    }
}

fn json_problems(errors: Vec<FormError>) -> Vec<UploadProblem> {
    errors
        .into_iter()
        .map(|error| {
            let question = error.question.as_ref().map(|q| format!("questions.{q}"));
            let location = match (question, error.field) {
                (Some(question), Some(field)) => Some(format!("{question}.{field}")),
                (question, field) => question.or_else(|| field.map(str::to_owned)),
            };
            UploadProblem {
                location,
                message: error.localized(),
            }
        })
        .collect()
}

/// Stores a checked form uploaded with the token `by` as a new version of its slug, unless the
/// same content is stored already.
pub fn store(conn: &mut PgConnection, form: &FormDefinition, by: Uuid) -> Result<Uploaded, DbError> {
    let outcome = db::forms::sync(conn, form, Some(by))?;
    if outcome.is_new {
        tracing::info!(form = %form.slug, version = outcome.version, "stored an uploaded form version");
    }
    Ok(Uploaded {
        slug: form.slug.clone(),
        version: outcome.version,
        is_new: outcome.is_new,
    })
}
