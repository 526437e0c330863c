//! What an analyst asks of the analysis: which question, grouped by what, over which responses.

use serde::Deserialize;
use utoipa::openapi::schema::Object;
use utoipa::IntoParams;

use super::event_column::EventColumn;
use super::form::{FormDefinition, QuestionKind, ATTRIBUTE_QUESTIONS};
use super::query_params::QueryParams;
use super::response_filter::ResponseFilter;
use super::token::{Role, Staff};
use super::validation::ValidationError;
use super::vocabulary::one_of;

const MAX_GROUPINGS: usize = 3;

/// The question an analysis reads and what it groups by.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionParams {
    /// The question's id: a closed one for a breakdown (`heard_from` for channels when left
    /// out), a free-text one for opinions, text tools and themes (`opinion` when left out).
    pub question: Option<String>,
    /// Up to three groupings, comma-separated: attributes, single-choice questions or columns
    /// of the event (`fiscal_year`, `kind`, `event`), e.g. `fiscal_year,gender`. Researchers:
    /// one attribute; for themes also `fiscal_year` or `kind`.
    pub by: Option<String>,
}

/// The disclosure threshold asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThresholdParams {
    /// Staff may choose any threshold; researchers only the server's (or, in staff-only
    /// analyses, a higher one).
    #[param(minimum = 0)]
    pub min_cell: Option<u64>,
}

/// Where the comments come from.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentSourceParams {
    /// Staff only: attendees' answers, meeting notes, or both (`responses` when left out).
    #[param(schema_with = comment_sources)]
    pub source: Option<String>,
}

/// Whether the comments themselves come with their terms.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentTextParams {
    /// Staff only: include the comments themselves (`false` when left out).
    #[serde(default)]
    pub include_text: bool,
}

fn comment_sources() -> Object {
    one_of(CommentSource::ALL.map(CommentSource::id))
}

/// Which analysis the question is for: counting closed answers, or reading free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    Tabulation,
    Opinions,
}

/// A live analysis of responses, which only staff may ask (see [`Staff`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRequest {
    pub staff: Staff,
    pub filter: ResponseFilter,
    pub question: String,
    pub by: Vec<String>,
    pub min_cell: u64,
}

impl BreakdownRequest {
    /// Reads `question` (or uses `default_question`), `by`, `min_cell` and the filters.
    pub fn parse(
        params: &mut QueryParams,
        default_question: Option<&str>,
        staff: Staff,
        server_min_cell: u64,
    ) -> Result<Self, ValidationError> {
        let filter = ResponseFilter::parse(params)?;
        let asked: QuestionParams = params.take()?;
        let question = match (asked.question, default_question) {
            (Some(question), _) => question,
            (None, Some(default)) => default.to_owned(),
            (None, None) => return Err(ValidationError::new("question", "required", "question is required")),
        };
        let by: Vec<String> = asked
            .by
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
        let min_cell = min_cell_for(
            staff.role(),
            params.take::<ThresholdParams>()?.min_cell,
            server_min_cell,
            0,
        )?;
        Ok(Self {
            staff,
            filter,
            question,
            by,
            min_cell,
        })
    }

    /// Checks the question and the groupings against the form: the question must be closed (or a
    /// number) for a tabulation and free text for opinions, and each grouping a shared attribute,
    /// another single-choice question or a column of the event.
    pub fn check(&self, form: &FormDefinition, analysis: Analysis) -> Result<(), ValidationError> {
        let question = form.question(&self.question).ok_or_else(|| {
            ValidationError::new(
                "question",
                "unknown_question",
                format!("form {} has no question {:?}", form.slug, self.question),
            )
        })?;
        let is_text = matches!(question.kind, QuestionKind::Text { .. });
        match analysis {
            Analysis::Tabulation if is_text => {
                return Err(ValidationError::new(
                    "question",
                    "invalid_value",
                    format!("{} is free text: use the opinions analysis", self.question),
                ))
            }
            Analysis::Opinions if !is_text => {
                return Err(ValidationError::new(
                    "question",
                    "invalid_value",
                    format!("{} is not a free-text question", self.question),
                ))
            }
            _ => {}
        }
        for (i, id) in self.by.iter().enumerate() {
            let groupable = EventColumn::parse(id).is_some()
                || form
                    .question(id)
                    .is_some_and(|q| q.kind.is_single_choice() || ATTRIBUTE_QUESTIONS.contains(&id.as_str()));
            if !groupable || *id == self.question || self.by[..i].contains(id) {
                return Err(ValidationError::new(
                    "by",
                    "invalid_value",
                    format!("cannot group by {id:?}: use gender, age_band, occupation, relation or another single-choice question, or fiscal_year, kind or event; once each"),
                ));
            }
        }
        Ok(())
    }
}

/// Where the comments of an opinions analysis come from: attendees' answers to a free-text
/// question, what staff noted at the events' meetings, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommentSource {
    #[default]
    Responses,
    Notes,
    Both,
}

impl CommentSource {
    pub const ALL: [Self; 3] = [Self::Responses, Self::Notes, Self::Both];

    pub fn id(self) -> &'static str {
        match self {
            Self::Responses => "responses",
            Self::Notes => "notes",
            Self::Both => "both",
        }
    }

    /// `source`, `responses` when absent.
    pub fn parse(params: &mut QueryParams) -> Result<Self, ValidationError> {
        match params.take::<CommentSourceParams>()?.source {
            None => Ok(Self::Responses),
            Some(id) => Self::ALL
                .into_iter()
                .find(|source| source.id() == id)
                .ok_or_else(|| ValidationError::new("source", "invalid_value", "source is responses, notes or both")),
        }
    }

    pub fn reads_responses(self) -> bool {
        self != Self::Notes
    }

    pub fn reads_notes(self) -> bool {
        self != Self::Responses
    }

    /// Notes have no attributes, only their event: they group by its columns alone.
    pub fn check_grouping(self, by: &[String]) -> Result<(), ValidationError> {
        match by.iter().find(|id| EventColumn::parse(id).is_none()) {
            Some(id) if self.reads_notes() => Err(ValidationError::new(
                "by",
                "invalid_value",
                format!("meeting notes have no {id}: group them by fiscal_year, kind or event"),
            )),
            _ => Ok(()),
        }
    }
}

/// The disclosure threshold a caller gets: researchers at least the server's (they may raise
/// it, never lower it); staff what they ask, else `staff_default`.
pub fn min_cell_for(
    role: Role,
    asked: Option<u64>,
    server_min: u64,
    staff_default: u64,
) -> Result<u64, ValidationError> {
    match (role, asked) {
        (Role::Researcher, Some(asked)) if asked < server_min => Err(ValidationError::new(
            "min_cell",
            "invalid_value",
            format!("min_cell may be raised above {server_min}, not lowered"),
        )),
        (Role::Researcher, asked) => Ok(asked.unwrap_or(server_min)),
        (_, asked) => Ok(asked.unwrap_or(staff_default)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn researchers_cannot_lower_the_threshold() {
        assert_eq!(min_cell_for(Role::Researcher, None, 5, 0), Ok(5));
        assert_eq!(min_cell_for(Role::Researcher, Some(8), 5, 0), Ok(8));
        assert_eq!(
            min_cell_for(Role::Researcher, Some(4), 5, 0).unwrap_err().field,
            "min_cell"
        );
        assert_eq!(min_cell_for(Role::Analyst, Some(1), 5, 0), Ok(1));
        assert_eq!(min_cell_for(Role::Admin, None, 5, 0), Ok(0));
        assert_eq!(min_cell_for(Role::Analyst, None, 5, 5), Ok(5));
    }
}
