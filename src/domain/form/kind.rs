//! What a question asks for: its kind, with the options, range or length that come with it. Apart
//! from the form, so that the skip rules can check what they compare without knowing forms.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::lang::Localized;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<Choice>,
    },
    /// Which agency of the programme's list referred the person: a single choice whose options
    /// are the list as it is when the form is shown or answered (`FormDefinition::with_agencies`),
    /// so staff add an agency without a new form version.
    Agency {
        #[serde(skip)]
        options: Vec<Choice>,
    },
    MultiChoice {
        options: Vec<Choice>,
    },
    Scale {
        min: i64,
        max: i64,
        min_label: Localized,
        max_label: Localized,
    },
    Number {
        min: i64,
        max: i64,
    },
    Text {
        max_length: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: Localized,
}

impl QuestionKind {
    /// One option at most: a single choice or an agency.
    pub fn is_single_choice(&self) -> bool {
        matches!(self, Self::SingleChoice { .. } | Self::Agency { .. })
    }

    /// The options of a choice question (an agency question's once given the list); none otherwise.
    pub fn options(&self) -> &[Choice] {
        match self {
            Self::SingleChoice { options } | Self::MultiChoice { options } | Self::Agency { options } => options,
            _ => &[],
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Self::SingleChoice { .. } => "single_choice",
            Self::Agency { .. } => "agency",
            Self::MultiChoice { .. } => "multi_choice",
            Self::Scale { .. } => "scale",
            Self::Number { .. } => "number",
            Self::Text { .. } => "text",
        }
    }
}
