//! Analyses as the service runs them: load the needed answers from PostgreSQL, hand them to the
//! `analysis` crate, label the result with the form and filters. Blocking: call from a blocking
//! thread (`db::run`) or the command line.

use analysis::breakdown::{self, Breakdown};
use analysis::disclosure::suppress;
use analysis::polars::prelude::DataFrame;
use analysis::spec::Variable;
use analysis::AnalysisError;
use diesel::PgConnection;
use serde_json::{json, Value};

use crate::db::forms::StoredForm;
use crate::db::{self, DbError};
use crate::domain::analysis_request::BreakdownRequest;
use crate::domain::response_filter::ResponseFilter;
use crate::domain::validation::ValidationError;
use crate::survey_frame;

#[derive(Debug, thiserror::Error)]
pub enum InsightError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
}

impl From<analysis::polars::error::PolarsError> for InsightError {
    fn from(error: analysis::polars::error::PolarsError) -> Self {
        Self::Analysis(error.into())
    }
}

/// The question that says how people heard of an event, shared by every form.
pub const CHANNEL_QUESTION: &str = "heard_from";

/// The filtered answers to some questions of a form, as a frame.
pub struct Dataset {
    pub form: StoredForm,
    pub variables: Vec<Variable>,
    pub frame: DataFrame,
}

impl Dataset {
    pub fn variable(&self, id: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.id == id)
    }

    /// Loads the answers to those of `question_ids` that are on `form` (the filter's latest version).
    pub fn load(
        conn: &mut PgConnection,
        form: StoredForm,
        filter: &ResponseFilter,
        question_ids: &[&str],
    ) -> Result<Self, InsightError> {
        let variables: Vec<Variable> = question_ids
            .iter()
            .filter_map(|id| form.definition.question(id))
            .map(survey_frame::variable)
            .collect();
        let ids: Vec<&str> = variables.iter().map(|v| v.id.as_str()).collect();
        let rows = db::answers::load(conn, filter, &ids)?;
        let frame = survey_frame::frame(&variables, &rows)?;
        Ok(Self { form, variables, frame })
    }

    fn variables_of(&self, ids: &[String]) -> Vec<Variable> {
        ids.iter().filter_map(|id| self.variable(id)).cloned().collect()
    }
}

pub fn latest_form(conn: &mut PgConnection, slug: &str) -> Result<StoredForm, InsightError> {
    db::forms::latest(conn, slug).map_err(|error| {
        if error.is_not_found() {
            ValidationError::new("form", "unknown_form", format!("there is no form {slug:?}")).into()
        } else {
            error.into()
        }
    })
}

/// Which figure of the analysis: a plain breakdown or the channel analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tabulation {
    Breakdown,
    Channels,
}

pub fn breakdown(
    conn: &mut PgConnection,
    request: &BreakdownRequest,
    tabulation: Tabulation,
) -> Result<Value, InsightError> {
    let form = latest_form(conn, &request.filter.form)?;
    request.check(&form.definition)?;
    let mut ids = vec![request.question.as_str()];
    ids.extend(request.by.iter().map(String::as_str));
    let data = Dataset::load(conn, form, &request.filter, &ids)?;
    let question = data
        .variable(&request.question)
        .ok_or_else(|| ValidationError::new("question", "unknown_question", "no such question"))?;
    let by = data.variables_of(&request.by);
    let mut result = match tabulation {
        Tabulation::Breakdown => breakdown::breakdown(&data.frame, question, &by)?,
        Tabulation::Channels => breakdown::channels(&data.frame, question, &by)?,
    };
    suppress(&mut result, request.min_cell);
    Ok(described(&result, &data.form, &request.filter, request.min_cell))
}

/// The breakdown with the form, filters and threshold it was computed with.
fn described(result: &Breakdown, form: &StoredForm, filter: &ResponseFilter, min_cell: u64) -> Value {
    let mut value = serde_json::to_value(result).unwrap_or(Value::Null);
    value["form"] = json!(form.definition.slug);
    value["form_version"] = json!(form.version);
    value["filters"] = filter.to_json();
    value["min_cell"] = json!(min_cell);
    value
}
