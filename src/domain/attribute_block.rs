//! The shared attribute block (gender, age band, occupation, relation): every form asks them the
//! same way, so answers compare across forms, events and years. The block is a data file,
//! `survey_forms/shared/attributes.json`, built in; a form may ask any of its questions but not
//! change their options.

use std::sync::OnceLock;

use super::form::{FormDefinition, FormError, Question};
use super::lang::Localized;

const BLOCK: &str = include_str!("../../survey_forms/shared/attributes.json");

/// The block's questions, in order.
pub fn questions() -> &'static [Question] {
    static QUESTIONS: OnceLock<Vec<Question>> = OnceLock::new();
    QUESTIONS.get_or_init(|| {
        let form = format!(
            r#"{{"slug": "attributes", "title": {{"ja": "属性", "en": "Attributes"}},
                "intro": {{"ja": "属性", "en": "Attributes"}}, "questions": {BLOCK}}}"#
        );
        // The file is part of the build and checked by this module's test.
        FormDefinition::parse_json(&form)
            .map(|f| f.questions)
            .unwrap_or_default()
    })
}

/// Problems where `form` asks a question of the block with other options or another type.
pub fn deviations(form: &FormDefinition) -> Vec<FormError> {
    questions()
        .iter()
        .filter_map(|shared| {
            let asked = form.question(&shared.id)?;
            (asked.kind != shared.kind || asked.label != shared.label).then(|| {
                FormError::at(
                    &shared.id,
                    Localized::new(
                        format!(
                            "{:?} は共通の属性の質問です。フォームをまたいで回答を比べるため、変えずに尋ねてください（XLSForm では種類 attributes の行）",
                            shared.id
                        ),
                        format!(
                            "{:?} belongs to the shared attribute block: ask it unchanged (a row of type attributes in XLSForm), so answers compare across forms",
                            shared.id
                        ),
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::ATTRIBUTE_QUESTIONS;

    #[test]
    fn the_block_parses_and_holds_the_attribute_questions() {
        let ids: Vec<&str> = questions().iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ATTRIBUTE_QUESTIONS);
    }

    #[test]
    fn the_shipped_forms_ask_the_block_unchanged() {
        for text in [
            include_str!("../../survey_forms/forum.json"),
            include_str!("../../survey_forms/study_session.json"),
            include_str!("../../survey_forms/agency_survey.json"),
        ] {
            let form = FormDefinition::parse_json(text).unwrap();
            assert!(deviations(&form).is_empty(), "{}", form.slug);
        }
    }

    #[test]
    fn a_form_that_changes_an_attribute_is_named() {
        let mut form = FormDefinition::parse_json(include_str!("../../survey_forms/forum.json")).unwrap();
        assert!(deviations(&form).is_empty());
        let gender = form.questions.iter_mut().find(|q| q.id == "gender").unwrap();
        if let crate::domain::form::QuestionKind::SingleChoice { options } = &mut gender.kind {
            options.pop();
        }
        let problems = deviations(&form);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].question.as_deref(), Some("gender"));
    }
}
