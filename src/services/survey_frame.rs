//! The bridge to the `analysis` crate: a form's questions as its variables, stored answers as
//! its frame.

use analysis::frame::{build_frame, build_weighted_frame, ColumnData};
use analysis::polars::prelude::{DataFrame, PolarsResult};
use analysis::spec::{Choice, Label, QuestionType, Variable};
use serde_json::Value;

use crate::domain::form::{Question, QuestionKind};
use crate::domain::lang::Localized;

fn label(text: &Localized) -> Label {
    Label::new(&text.ja, &text.en)
}

pub fn variable(question: &Question) -> Variable {
    let choices = |options: &[crate::domain::form::Choice]| {
        options
            .iter()
            .map(|o| Choice {
                value: o.value.clone(),
                label: label(&o.label),
            })
            .collect()
    };
    let (kind, options) = match &question.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::Agency { options } => {
            (QuestionType::SingleChoice, choices(options))
        }
        QuestionKind::MultiChoice { options } => (QuestionType::MultiChoice, choices(options)),
        QuestionKind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => {
            let point = |value: i64| {
                let text = value.to_string();
                let ends = if value == *min {
                    Some(min_label)
                } else if value == *max {
                    Some(max_label)
                } else {
                    None
                };
                match ends {
                    Some(end) => Choice::new(&text, &format!("{text} {}", end.ja), &format!("{text} {}", end.en)),
                    None => Choice::new(&text, &text, &text),
                }
            };
            (QuestionType::Scale, (*min..=*max).map(point).collect())
        }
        QuestionKind::Number { .. } => (QuestionType::Number, Vec::new()),
        QuestionKind::Text { .. } => (QuestionType::Text, Vec::new()),
    };
    Variable {
        id: question.id.clone(),
        label: label(&question.label),
        kind,
        options,
    }
}

/// A frame with one column per variable from rows of answers in the variables' order (as
/// [`crate::db::answers::load`] returns them). A value of the wrong type reads as skipped.
pub fn frame(variables: &[Variable], rows: &[Vec<Value>]) -> PolarsResult<DataFrame> {
    build_frame(columns(variables, rows, 0))
}

/// A frame of distinct answers to the variables, each row weighted by how many responses gave it
/// (as [`crate::db::answers::count`] returns them).
pub fn weighted_frame(variables: &[Variable], counted: &[(Vec<Value>, i64)]) -> PolarsResult<DataFrame> {
    let (rows, weights): (Vec<&[Value]>, Vec<i64>) = counted.iter().map(|(row, n)| (row.as_slice(), *n)).unzip();
    build_weighted_frame(columns(variables, &rows, 0), weights)
}

/// The columns of [`frame`], reading each row's answers from position `offset` on.
pub fn columns<R: AsRef<[Value]>>(variables: &[Variable], rows: &[R], offset: usize) -> Vec<(String, ColumnData)> {
    let column = |index: usize, variable: &Variable| {
        let values = rows
            .iter()
            .map(move |row| row.as_ref().get(index).unwrap_or(&Value::Null));
        let data = match variable.kind {
            QuestionType::SingleChoice | QuestionType::Text => {
                ColumnData::Text(values.map(|v| v.as_str().map(str::to_owned)).collect())
            }
            QuestionType::Scale | QuestionType::Number => ColumnData::Integer(values.map(Value::as_i64).collect()),
            QuestionType::MultiChoice => ColumnData::Choices(
                values
                    .map(|v| {
                        v.as_array()
                            .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
                    })
                    .collect(),
            ),
        };
        (variable.id.clone(), data)
    };
    variables
        .iter()
        .enumerate()
        .map(|(i, v)| column(i + offset, v))
        .collect()
}
