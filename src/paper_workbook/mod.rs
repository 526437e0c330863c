//! Paper questionnaires in a workbook: the template of an event's form (one row per
//! questionnaire, one column per question or per option of a multiple choice, choices as their
//! labels with the allowed values listed) and the filled template read back into answers, each
//! problem at its cell. Rows carry the number staff wrote on the paper, which makes a second
//! import of the same sheet find the first.

mod read;
mod template;

pub use read::{read, KeyedIn};
pub use template::template;

use crate::domain::form::{Choice, FormDefinition, Question, QuestionKind};
use crate::domain::lang::Localized;

/// The sheet staff fill, named in Japanese as the office reads it.
const ANSWERS_SHEET: &str = "回答票";
/// Each single choice's labels, which the answers sheet's drop-down lists point to.
const CHOICES_SHEET: &str = "選択肢";
const GUIDE_SHEET: &str = "記入方法";
/// Row 1 names each column for people, row 2 for the service (0-based here); questionnaires
/// start on row 3.
const KEY_ROW: u32 = 1;
const FIRST_ROW: u32 = 2;
const NUMBER_KEY: &str = "number";
/// What marks a chosen option of a multiple choice in the template.
const MARK: &str = "○";

/// A problem of a filled template, at its cell (`B7`) or the workbook, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetProblem {
    pub cell: String,
    /// The question concerned, when there is one.
    pub question: Option<String>,
    pub code: &'static str,
    pub message: Localized,
}

impl SheetProblem {
    pub fn new(cell: impl Into<String>, code: &'static str, ja: String, en: String) -> Self {
        Self {
            cell: cell.into(),
            question: None,
            code,
            message: Localized { ja, en },
        }
    }

    fn about(mut self, question: &Question) -> Self {
        self.question = Some(question.id.clone());
        self
    }
}

/// One column of the answers sheet after the number: a question, or one option of a multiple
/// choice.
struct Column<'a> {
    key: String,
    question: &'a Question,
    option: Option<&'a Choice>,
}

impl Column<'_> {
    fn header(&self) -> String {
        match self.option {
            Some(option) => format!("{}：{}", self.question.label.ja, option.label.ja),
            None => self.question.label.ja.clone(),
        }
    }
}

/// The answers sheet's columns after the number, in the form's order. An agency question with
/// no agencies listed asks nothing, as on the phone.
fn columns(form: &FormDefinition) -> Vec<Column<'_>> {
    let mut columns = Vec::new();
    for question in form.questions.iter().filter(|q| q.is_askable()) {
        match &question.kind {
            QuestionKind::MultiChoice { options } => columns.extend(options.iter().map(|option| Column {
                key: format!("{}:{}", question.id, option.value),
                question,
                option: Some(option),
            })),
            _ => columns.push(Column {
                key: question.id.clone(),
                question,
                option: None,
            }),
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::FormDefinition;

    #[test]
    fn a_multiple_choice_has_a_column_per_option() {
        let form = FormDefinition::parse_json(include_str!("../../survey_forms/forum.json")).unwrap();
        let columns = columns(&form);
        let multi = form
            .questions
            .iter()
            .find(|q| matches!(q.kind, QuestionKind::MultiChoice { .. }))
            .unwrap();
        let of_multi: Vec<_> = columns.iter().filter(|c| c.question.id == multi.id).collect();
        assert_eq!(of_multi.len(), multi.kind.options().len());
        assert!(of_multi.iter().all(|c| c.key.starts_with(&format!("{}:", multi.id))));
    }

    fn seminar() -> FormDefinition {
        FormDefinition::parse_json(include_str!("../../survey_forms/seminar.json")).unwrap()
    }

    fn sheet_xml(workbook: &[u8], part: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(part).unwrap(), &mut xml).unwrap();
        xml
    }

    #[test]
    fn a_single_choice_offers_its_labels_from_the_choices_sheet() {
        let workbook = template(&seminar(), 1).unwrap();
        let xml = sheet_xml(&workbook, "xl/worksheets/sheet1.xml");
        // Excel reads the list's source without a leading `=`.
        assert!(xml.contains("<formula1>'選択肢'!$A$2:$A$5</formula1>"), "{xml}");
        assert!(xml.contains("<formula1>\"○\"</formula1>"), "{xml}");
    }

    #[test]
    fn an_untouched_template_holds_no_questionnaire() {
        let workbook = template(&seminar(), 1).unwrap();
        assert_eq!(read(&seminar(), &workbook), Ok(Vec::new()));
    }
}
