//! What the caller tells the analysis about its columns: each question or attribute with its
//! options and their labels, so results come back labelled in both languages.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub ja: String,
    pub en: String,
}

impl Label {
    pub fn new(ja: &str, en: &str) -> Self {
        Self {
            ja: ja.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The label of a group whose member skipped the attribute's question.
    pub fn no_answer() -> Self {
        Self::new("未回答", "Not answered")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: Label,
}

impl Choice {
    pub fn new(value: &str, ja: &str, en: &str) -> Self {
        Self {
            value: value.to_owned(),
            label: Label::new(ja, en),
        }
    }
}

/// The type of a question, which decides the column's type in the frame: `String` for single
/// choice and text, `Int64` for scale and number, `List(String)` for multi choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    SingleChoice,
    MultiChoice,
    Scale,
    Number,
    Text,
}

impl QuestionType {
    /// Whether answers are numbers with a mean.
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Scale | Self::Number)
    }

    /// Whether answers fall into a fixed set of options that can be counted.
    pub fn has_options(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultiChoice | Self::Scale)
    }
}

/// A column of the frame: a question, or an attribute to group by (a single-choice question).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub id: String,
    pub label: Label,
    pub kind: QuestionType,
    /// Every option in display order; for a scale, its points `"1"`..`"5"`.
    pub options: Vec<Choice>,
}

impl Variable {
    /// A variable labelled with its own id and values, for callers without labels (tests,
    /// benchmarks).
    pub fn unlabelled(id: &str, kind: QuestionType, values: &[&str]) -> Self {
        Self {
            id: id.to_owned(),
            label: Label::new(id, id),
            kind,
            options: values.iter().map(|v| Choice::new(v, v, v)).collect(),
        }
    }

    pub fn label_of(&self, value: Option<&str>) -> Label {
        value
            .and_then(|value| self.options.iter().find(|choice| choice.value == value))
            .map_or_else(
                || value.map_or_else(Label::no_answer, |value| Label::new(value, value)),
                |choice| choice.label.clone(),
            )
    }

    /// A scale's lowest and highest points, which bound its mean.
    pub fn range(&self) -> Option<(f64, f64)> {
        scale_range(self.kind, &self.options)
    }

    /// Position for sorting groups: the form's order, unknown values after, no answer last.
    pub fn rank_of(&self, value: Option<&str>) -> usize {
        match value {
            Some(value) => self
                .options
                .iter()
                .position(|c| c.value == value)
                .unwrap_or(self.options.len()),
            None => self.options.len() + 1,
        }
    }
}

/// The lowest and highest points of a scale with these `options` (`None` for another type).
pub fn scale_range(kind: QuestionType, options: &[Choice]) -> Option<(f64, f64)> {
    if kind != QuestionType::Scale {
        return None;
    }
    let point = |choice: Option<&Choice>| choice?.value.parse::<f64>().ok();
    Some((point(options.first())?, point(options.last())?))
}
