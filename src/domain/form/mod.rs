//! Form definitions. A `FormDefinition` can only be obtained by parsing, and parsing checks
//! everything a response will later rely on (unique ids, known types, sane ranges, both languages).

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::lang::Localized;
use super::relevance::{Asked, Relevance};

mod checks;
pub mod kind;

pub use kind::{Choice, QuestionKind};

pub use checks::{
    RawForm as FormFile, RawNote as FormFileNote, RawQuestion as FormFileQuestion, RawSection as FormFileSection,
};

/// Attribute questions that every shipped form shares and that get their own indexed columns.
pub const ATTRIBUTE_QUESTIONS: [&str; 4] = ["gender", "age_band", "occupation", "relation"];

/// The id of the question that asks which agency of the list referred the person.
pub const AGENCY_QUESTION: &str = "referred_by";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormDefinition {
    pub slug: String,
    pub title: Localized,
    pub intro: Localized,
    /// For staff: why the form asks what it asks (and leaves out), shown on the forms page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Localized>,
    /// Headed parts of the form (XLSForm's groups), each holding consecutive questions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Texts shown between questions (XLSForm's notes); they ask nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<FormNote>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormNote {
    pub id: String,
    pub text: Localized,
    /// The question it is shown before; after the last question when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub id: String,
    pub label: Localized,
    /// When the whole section applies; read against the questions before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relevant: Option<Relevance>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub label: Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Localized>,
    pub required: bool,
    /// The section the question is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// When the question applies (skip logic); always when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relevant: Option<Relevance>,
    /// What the phone form says when a number is out of its range or a text too long, instead
    /// of the service's own words (XLSForm's `constraint_message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_message: Option<Localized>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

impl Question {
    /// False for an agency question while the list is empty: there is nothing to choose from.
    pub fn is_askable(&self) -> bool {
        !matches!(&self.kind, QuestionKind::Agency { options } if options.is_empty())
    }
}

impl Asked for Question {
    fn id(&self) -> &str {
        &self.id
    }

    fn label(&self) -> &Localized {
        &self.label
    }

    fn kind(&self) -> &QuestionKind {
        &self.kind
    }
}

impl FormDefinition {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The notes shown before `question` (after the last question when `None`), in order.
    pub fn notes_before<'a>(&'a self, question: Option<&'a str>) -> impl Iterator<Item = &'a FormNote> + 'a {
        self.notes.iter().filter(move |note| note.before.as_deref() == question)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Whether `question` applies given the answers to the questions before it: its section's
    /// rule and its own both hold.
    pub fn applies(&self, question: &Question, answers: &serde_json::Map<String, serde_json::Value>) -> bool {
        let section_rule = question
            .section
            .as_deref()
            .and_then(|id| self.section(id))
            .and_then(|s| s.relevant.as_ref());
        [section_rule, question.relevant.as_ref()]
            .into_iter()
            .flatten()
            .all(|rule| rule.holds(answers))
    }

    /// Whether it asks for an agency of the list and has not been given the list yet (see
    /// [`Self::with_agencies`]): a form given it once needs no second reading.
    pub fn awaits_agencies(&self) -> bool {
        self.questions
            .iter()
            .any(|q| matches!(&q.kind, QuestionKind::Agency { options } if options.is_empty()))
    }

    /// The form with the agency list (`agencies`) as the options of its agency question.
    pub fn with_agencies(mut self, agencies: &[Choice]) -> Self {
        for question in &mut self.questions {
            if let QuestionKind::Agency { options } = &mut question.kind {
                *options = agencies.to_vec();
            }
        }
        self
    }

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Identifies the content: two files that parse to the same form share a hash, whatever their
    /// whitespace or key order, so reformatting a file does not make a new version.
    pub fn content_hash(&self) -> String {
        hex::encode(Sha256::digest(self.to_value().to_string().as_bytes()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.localized().en)]
pub struct FormError {
    /// The question, section or note at fault; none for the form itself.
    pub question: Option<String>,
    /// Its property at fault, named as in the form's JSON (`label`, `relevant`, `slug`, ...);
    /// none for its id, or for the whole form.
    pub field: Option<&'static str>,
    /// In both languages: staff read it on the dashboard in Japanese.
    pub message: Localized,
}

impl FormError {
    fn general(message: Localized) -> Self {
        Self {
            question: None,
            field: None,
            message,
        }
    }

    pub fn at(question: &str, message: Localized) -> Self {
        Self {
            question: Some(question.to_owned()),
            field: None,
            message,
        }
    }

    /// The problem with the question it is at, in both languages.
    pub fn localized(&self) -> Localized {
        let at = |prefix: &str| {
            self.question
                .as_ref()
                .map(|q| format!("{prefix} '{q}': "))
                .unwrap_or_default()
        };
        Localized::new(
            format!("{}{}", at("質問"), self.message.ja),
            format!("{}{}", at("question"), self.message.en),
        )
    }

    /// The same problem, placed at `field`.
    pub fn on(self, field: &'static str) -> Self {
        Self {
            field: Some(field),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::checks::is_identifier;
    use super::*;
    use serde_json::json;

    fn form_with(question: serde_json::Value) -> serde_json::Value {
        json!({
            "slug": "demo",
            "title": {"ja": "デモ", "en": "Demo"},
            "intro": {"ja": "説明", "en": "About"},
            "questions": [question],
        })
    }

    fn parse(value: serde_json::Value) -> Result<FormDefinition, FormError> {
        FormDefinition::parse_json(&value.to_string())
    }

    fn label() -> serde_json::Value {
        json!({"ja": "質問", "en": "Question"})
    }

    #[test]
    fn a_purpose_is_optional_said_in_both_languages_and_kept() {
        let question = json!({"id": "t", "type": "text", "label": label(), "max_length": 10});
        assert_eq!(parse(form_with(question.clone())).unwrap().purpose, None);
        let mut with_purpose = form_with(question);
        with_purpose["purpose"] = json!({"ja": "意見の傾向を見るため", "en": ""});
        assert_eq!(parse(with_purpose.clone()).unwrap_err().field, Some("purpose"));
        with_purpose["purpose"]["en"] = json!("To read the tendency of opinions");
        let form = parse(with_purpose).unwrap();
        let stored = FormDefinition::from_value(form.to_value()).unwrap();
        assert_eq!(
            stored.purpose.map(|p| p.en),
            Some("To read the tendency of opinions".to_owned())
        );
    }

    #[test]
    fn a_valid_form_round_trips_through_its_stored_value() {
        let form = parse(form_with(json!({
            "id": "satisfaction", "type": "scale", "label": label(), "required": true,
            "min": 1, "max": 5, "min_label": label(), "max_label": label(),
        })))
        .unwrap();
        let again = FormDefinition::from_value(form.to_value()).unwrap();
        assert_eq!(form, again);
        assert_eq!(form.content_hash(), again.content_hash());
    }

    #[test]
    fn key_order_does_not_change_the_content_hash() {
        let a = parse(form_with(
            json!({"id": "t", "type": "text", "label": label(), "max_length": 10}),
        ))
        .unwrap();
        let b = FormDefinition::parse_json(
            r#"{"questions":[{"max_length":10,"label":{"en":"Question","ja":"質問"},"type":"text","id":"t"}],
                "intro":{"ja":"説明","en":"About"},"title":{"en":"Demo","ja":"デモ"},"slug":"demo"}"#,
        )
        .unwrap();
        assert_eq!(a.content_hash(), b.content_hash());
    }

    #[test]
    fn errors_name_the_question_at_fault() {
        let error = parse(form_with(
            json!({"id": "age", "type": "single_choice", "label": label(), "options": []}),
        ))
        .unwrap_err();
        assert_eq!(error.question.as_deref(), Some("age"));
        assert!(error.to_string().starts_with("question 'age':"), "{error}");
    }

    #[test]
    fn the_agency_question_takes_its_options_from_the_list_and_has_one_id() {
        let question = json!({"id": "referred_by", "type": "agency", "label": label()});
        let form = parse(form_with(question.clone())).unwrap();
        assert!(form.awaits_agencies());
        assert!(!form.questions[0].is_askable(), "an empty list asks nothing");
        assert_eq!(
            FormDefinition::from_value(form.to_value()).unwrap(),
            form,
            "stored without options"
        );
        let listed = form.with_agencies(&[Choice {
            value: "city-hospital".into(),
            label: serde_json::from_value(label()).unwrap(),
        }]);
        assert!(listed.questions[0].is_askable() && listed.questions[0].kind.is_single_choice());
        assert!(!listed.awaits_agencies(), "given the list once");
        let elsewhere = parse(form_with(json!({"id": "agency", "type": "agency", "label": label()})));
        assert!(elsewhere.unwrap_err().message.en.contains("referred_by"));
        let mut with_options = question;
        with_options["options"] = json!([{"value": "a", "label": label()}, {"value": "b", "label": label()}]);
        assert!(parse(form_with(with_options)).is_err(), "the list gives the options");
    }

    #[test]
    fn the_event_columns_names_are_reserved() {
        for id in ["fiscal_year", "kind", "event"] {
            let error = parse(form_with(
                json!({"id": id, "type": "text", "label": label(), "max_length": 5}),
            ))
            .unwrap_err();
            assert!(error.message.en.contains("reserved"), "{error}");
        }
    }

    #[test]
    fn unknown_types_and_fields_are_rejected() {
        assert!(parse(form_with(json!({"id": "x", "type": "slider", "label": label()}))).is_err());
        let typo = parse(form_with(
            json!({"id": "x", "type": "text", "label": label(), "max_length": 5, "requried": true}),
        ));
        assert!(typo.unwrap_err().to_string().contains("requried"));
    }

    #[test]
    fn fields_of_another_type_are_rejected() {
        let error = parse(form_with(
            json!({"id": "x", "type": "text", "label": label(), "max_length": 5, "min": 1}),
        ))
        .unwrap_err();
        assert!(error.message.en.contains("min does not apply"), "{error}");
    }

    #[test]
    fn duplicate_ids_and_option_values_are_rejected() {
        let option = json!({"value": "a", "label": label()});
        let error = parse(form_with(
            json!({"id": "x", "type": "multi_choice", "label": label(), "options": [option, option]}),
        ))
        .unwrap_err();
        assert!(error.message.en.contains("used twice"));

        let mut form = form_with(json!({"id": "x", "type": "text", "label": label(), "max_length": 5}));
        let question = form["questions"][0].clone();
        form["questions"].as_array_mut().unwrap().push(question);
        assert!(parse(form).unwrap_err().message.en.contains("used twice"));
    }

    #[test]
    fn scales_need_an_ordered_short_range() {
        let scale = |min: i64, max: i64| {
            parse(form_with(
                json!({"id": "s", "type": "scale", "label": label(), "min": min, "max": max,
                "min_label": label(), "max_label": label()}),
            ))
        };
        assert!(scale(1, 5).is_ok());
        assert!(scale(5, 1).is_err());
        assert!(scale(0, 100).is_err());
    }

    #[test]
    fn attribute_questions_must_be_single_choice() {
        let error = parse(form_with(
            json!({"id": "gender", "type": "text", "label": label(), "max_length": 5}),
        ))
        .unwrap_err();
        assert!(error.message.en.contains("single_choice"));
    }

    #[test]
    fn missing_english_is_rejected() {
        let error = parse(form_with(
            json!({"id": "t", "type": "text", "label": {"ja": "質問", "en": " "}, "max_length": 5}),
        ))
        .unwrap_err();
        assert!(error.message.en.contains("ja and en"));
    }

    fn sectioned(sections: serde_json::Value, placed: [Option<&str>; 3]) -> Result<FormDefinition, Vec<FormError>> {
        let question = |id: &str, section: Option<&str>| {
            let mut q = json!({"id": id, "type": "text", "label": label(), "max_length": 10});
            if let Some(section) = section {
                q["section"] = json!(section);
            }
            q
        };
        FormDefinition::parse_value(json!({
            "slug": "demo", "title": label(), "intro": label(), "sections": sections,
            "questions": [question("a", placed[0]), question("b", placed[1]), question("c", placed[2])],
        }))
    }

    #[test]
    fn sections_hold_consecutive_questions_and_read_earlier_answers() {
        let part = json!([{"id": "part", "label": label(), "relevant": "${a} = 'x'"}]);
        let form = sectioned(part.clone(), [None, Some("part"), Some("part")]).unwrap();
        let answers = |a: &str| json!({"a": a}).as_object().unwrap().clone();
        assert!(form.applies(&form.questions[2], &answers("x")));
        assert!(!form.applies(&form.questions[2], &answers("y")));
        assert!(form.applies(&form.questions[0], &answers("y")));

        let message = |result: Result<FormDefinition, Vec<FormError>>| result.unwrap_err()[0].to_string();
        let plain = json!([{"id": "part", "label": label()}]);
        assert!(message(sectioned(plain, [Some("part"), None, Some("part")])).contains("follow one another"));
        assert!(
            message(sectioned(part.clone(), [Some("part"), Some("part"), None])).contains("${a}"),
            "the rule reads before the section"
        );
        assert!(message(sectioned(part.clone(), [None, Some("other"), None])).contains("no section"));
        assert!(message(sectioned(part, [None, None, None])).contains("no questions"));
    }

    #[test]
    fn identifiers_are_plain() {
        assert!(is_identifier("age_band"));
        assert!(is_identifier("70_plus"));
        assert!(!is_identifier("Age"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier(""));
    }
}
