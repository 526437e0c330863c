//! What an analyst asks of the analysis: which question, grouped by what, over which responses.

use super::form::{FormDefinition, QuestionKind, ATTRIBUTE_QUESTIONS};
use super::response_filter::{QueryParams, ResponseFilter};
use super::validation::ValidationError;

const MAX_GROUPINGS: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRequest {
    pub filter: ResponseFilter,
    pub question: String,
    pub by: Vec<String>,
    pub min_cell: u64,
}

impl BreakdownRequest {
    /// Reads `question` (or uses `default_question`), `by`, `min_cell` and the filters.
    pub fn parse(params: &mut QueryParams, default_question: Option<&str>) -> Result<Self, ValidationError> {
        let filter = ResponseFilter::parse(params)?;
        let question = match default_question {
            Some(default) => params.text("question")?.unwrap_or_else(|| default.to_owned()),
            None => params.required_text("question")?,
        };
        let by: Vec<String> = params
            .text("by")?
            .map(|by| {
                by.split(',')
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if by.len() > MAX_GROUPINGS {
            return Err(ValidationError::new(
                "by",
                "invalid_value",
                format!("group by at most {MAX_GROUPINGS} attributes"),
            ));
        }
        let min_cell = params.number("min_cell", 0)?.unwrap_or(0);
        Ok(Self {
            filter,
            question,
            by,
            min_cell,
        })
    }

    /// Checks the question and the groupings against the form: the question must be closed (or a
    /// number), and each grouping a shared attribute or another single-choice question.
    pub fn check(&self, form: &FormDefinition) -> Result<(), ValidationError> {
        let question = form.question(&self.question).ok_or_else(|| {
            ValidationError::new(
                "question",
                "unknown_question",
                format!("form {} has no question {:?}", form.slug, self.question),
            )
        })?;
        if matches!(question.kind, QuestionKind::Text { .. }) {
            return Err(ValidationError::new(
                "question",
                "invalid_value",
                format!("{} is free text: use the opinions analysis", self.question),
            ));
        }
        for (i, id) in self.by.iter().enumerate() {
            let groupable = form.question(id).is_some_and(|q| {
                matches!(q.kind, QuestionKind::SingleChoice { .. }) || ATTRIBUTE_QUESTIONS.contains(&id.as_str())
            });
            if !groupable || *id == self.question || self.by[..i].contains(id) {
                return Err(ValidationError::new(
                    "by",
                    "invalid_value",
                    format!("cannot group by {id:?}: use gender, age_band, occupation, relation or another single-choice question, once each"),
                ));
            }
        }
        Ok(())
    }
}
