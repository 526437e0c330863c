//! A response's answers, checked against the form version it answers. An `Answers` value holds
//! only answered, known questions with values of the right type, in a normal form: texts trimmed
//! with Unix line ends, multi-choice values in the form's order. The normal form makes a phone's
//! retry compare equal to its first attempt.

use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use super::form::{Choice, FormDefinition, QuestionKind, ATTRIBUTE_QUESTIONS};
use super::lang::Lang;
use super::validation::control_character;

#[derive(Debug, Clone, PartialEq)]
pub struct Answers(Map<String, Value>);

/// One attendee's answers as the API takes them. Resending the same `submission_id` with the
/// same answers returns the first response's id instead of storing it twice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({"submission_id": "0b7f5e2c-3f7e-4a8e-9a51-1d2c3b4a5f60", "answers": {"satisfaction": 4, "gender": "female", "opinion": "また参加したいです"}})))]
pub struct SubmissionBody {
    pub submission_id: Uuid,
    /// Answers by question id, checked against the event's form version.
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    UnknownQuestion,
    Required,
    WrongType {
        expected: &'static str,
    },
    InvalidChoice {
        value: String,
    },
    DuplicateChoice {
        value: String,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    TooLong {
        max: usize,
    },
    ControlCharacter,
    /// Answered although the earlier answers make the question not apply (its `relevant` rule).
    NotRelevant,
    /// The phone form came without its submission id, so it could not be stored safely.
    NotSent,
    /// Too many answers from one address just now.
    Busy,
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownQuestion => "unknown_question",
            Self::Required => "required",
            Self::WrongType { .. } => "wrong_type",
            Self::InvalidChoice { .. } => "invalid_choice",
            Self::DuplicateChoice { .. } => "duplicate_choice",
            Self::OutOfRange { .. } => "out_of_range",
            Self::TooLong { .. } => "too_long",
            Self::ControlCharacter => "control_character",
            Self::NotRelevant => "not_relevant",
            Self::NotSent => "not_sent",
            Self::Busy => "too_many_requests",
        }
    }

    /// A message for the person who answered: plain, kind, and saying how to put it right.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::UnknownQuestion, Lang::Ja) => "このフォームにない質問です。".into(),
            (Self::UnknownQuestion, Lang::En) => "This form has no such question.".into(),
            (Self::Required, Lang::Ja) => "この質問へのご回答をお願いします。".into(),
            (Self::Required, Lang::En) => "Please answer this question.".into(),
            (Self::WrongType { expected }, Lang::Ja) => match *expected {
                "integer" => "半角数字で入力してください。".into(),
                _ => "回答の形式が正しくありません。".into(),
            },
            (Self::WrongType { expected }, Lang::En) => format!("Please give {expected}."),
            (Self::InvalidChoice { value }, Lang::Ja) => {
                format!("「{value}」は選択肢にありません。")
            }
            (Self::InvalidChoice { value }, Lang::En) => {
                format!("{value:?} is not one of the options.")
            }
            (Self::DuplicateChoice { value }, Lang::Ja) => {
                format!("「{value}」が二度選ばれています。")
            }
            (Self::DuplicateChoice { value }, Lang::En) => format!("{value:?} is chosen twice."),
            (Self::OutOfRange { min, max }, Lang::Ja) => {
                format!("{min}から{max}までの数字で入力してください。")
            }
            (Self::OutOfRange { min, max }, Lang::En) => {
                format!("Please give a number from {min} to {max}.")
            }
            (Self::TooLong { max }, Lang::Ja) => format!("{max}文字以内でお願いします。"),
            (Self::TooLong { max }, Lang::En) => format!("Please keep it to {max} characters."),
            (Self::ControlCharacter, Lang::Ja) => {
                "読み取れない文字（制御文字）が入っています。その文字を消してください。".into()
            }
            (Self::ControlCharacter, Lang::En) => {
                "There is an unreadable (control) character in it; please remove it.".into()
            }
            (Self::NotRelevant, Lang::Ja) => {
                "前のご回答から、この質問にはお答えいただかなくて大丈夫です。回答を消してください。".into()
            }
            (Self::NotRelevant, Lang::En) => {
                "Given your earlier answers, this question does not apply to you: please clear it.".into()
            }
            (Self::NotSent, Lang::Ja) => {
                "回答はまだ送信されていません。お手数ですが、もう一度「送信する」を押してください。".into()
            }
            (Self::NotSent, Lang::En) => "Your answers have not been sent yet. Please press Send again.".into(),
            (Self::Busy, Lang::Ja) => {
                "ただいま送信が集中しています。少し待ってから、もう一度「送信する」を押してください。".into()
            }
            (Self::Busy, Lang::En) => {
                "Many answers are arriving right now. Please wait a moment and press Send again.".into()
            }
        }
    }
}

impl FieldError {
    /// The message for the person who answered: the form's own constraint message where it has
    /// one for this problem, the service's otherwise.
    pub fn message(&self, form: &FormDefinition, lang: Lang) -> String {
        let own = form
            .question(&self.field)
            .and_then(|q| q.constraint_message.as_ref())
            .filter(|_| matches!(self.problem, Problem::OutOfRange { .. } | Problem::TooLong { .. }));
        own.map_or_else(|| self.problem.message(lang), |message| message.get(lang).to_owned())
    }
}

impl Answers {
    /// Checks `raw` against `form`, collecting every problem so that a page can show them all.
    /// `null`, an empty text and an empty list all mean "not answered".
    pub fn parse(form: &FormDefinition, raw: &Map<String, Value>) -> Result<Self, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = raw
            .keys()
            .filter(|id| form.question(id).is_none())
            .map(|id| FieldError {
                field: id.clone(),
                problem: Problem::UnknownQuestion,
            })
            .collect();
        let mut answers = Map::new();
        for question in &form.questions {
            let value = raw.get(&question.id).unwrap_or(&Value::Null);
            // Rules read earlier questions only, whose answers are already in `answers`.
            let applies = form.applies(question, &answers);
            match normalise(&question.kind, value) {
                Ok(Some(_)) if !applies => errors.push(FieldError {
                    field: question.id.clone(),
                    problem: Problem::NotRelevant,
                }),
                Ok(Some(value)) => {
                    answers.insert(question.id.clone(), value);
                }
                Ok(None) if question.required && applies => errors.push(FieldError {
                    field: question.id.clone(),
                    problem: Problem::Required,
                }),
                Ok(None) => {}
                Err(problem) => errors.push(FieldError {
                    field: question.id.clone(),
                    problem,
                }),
            }
        }
        if errors.is_empty() {
            Ok(Self(answers))
        } else {
            Err(errors)
        }
    }

    /// The answer to one of the shared attribute questions, for its own indexed column.
    pub fn attribute(&self, id: &str) -> Option<String> {
        debug_assert!(ATTRIBUTE_QUESTIONS.contains(&id));
        self.0.get(id).and_then(Value::as_str).map(str::to_owned)
    }

    pub fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }
}

fn normalise(kind: &QuestionKind, value: &Value) -> Result<Option<Value>, Problem> {
    if value.is_null() {
        return Ok(None);
    }
    match kind {
        QuestionKind::SingleChoice { options } | QuestionKind::Agency { options } => {
            let chosen = value.as_str().ok_or(Problem::WrongType { expected: "a string" })?;
            if chosen.is_empty() {
                return Ok(None);
            }
            check_choice(options, chosen)?;
            Ok(Some(Value::String(chosen.to_owned())))
        }
        QuestionKind::MultiChoice { options } => {
            let items = value.as_array().ok_or(Problem::WrongType {
                expected: "a list of strings",
            })?;
            let mut chosen: Vec<&str> = Vec::with_capacity(items.len());
            for item in items {
                let item = item.as_str().ok_or(Problem::WrongType {
                    expected: "a list of strings",
                })?;
                check_choice(options, item)?;
                if chosen.contains(&item) {
                    return Err(Problem::DuplicateChoice { value: item.to_owned() });
                }
                chosen.push(item);
            }
            let in_form_order: Vec<Value> = options
                .iter()
                .filter(|o| chosen.contains(&o.value.as_str()))
                .map(|o| Value::String(o.value.clone()))
                .collect();
            Ok((!in_form_order.is_empty()).then_some(Value::Array(in_form_order)))
        }
        QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max } => {
            let number = value.as_i64().ok_or(Problem::WrongType { expected: "integer" })?;
            if !(*min..=*max).contains(&number) {
                return Err(Problem::OutOfRange { min: *min, max: *max });
            }
            Ok(Some(Value::from(number)))
        }
        QuestionKind::Text { max_length } => {
            let text = value.as_str().ok_or(Problem::WrongType { expected: "a string" })?;
            let text = text.replace("\r\n", "\n");
            let text = text.trim();
            if text.chars().count() > *max_length {
                return Err(Problem::TooLong { max: *max_length });
            }
            if control_character(text).is_some() {
                return Err(Problem::ControlCharacter);
            }
            Ok((!text.is_empty()).then(|| Value::String(text.to_owned())))
        }
    }
}

fn check_choice(options: &[Choice], value: &str) -> Result<(), Problem> {
    if options.iter().any(|o| o.value == value) {
        Ok(())
    } else {
        Err(Problem::InvalidChoice {
            value: value.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::relevance::Relevance;
    use serde_json::json;

    fn form() -> FormDefinition {
        let label = json!({"ja": "質問", "en": "Question"});
        let option = |value: &str| json!({"value": value, "label": label});
        FormDefinition::parse_json(
            &json!({
                "slug": "demo",
                "title": label, "intro": label,
                "questions": [
                    {"id": "gender", "type": "single_choice", "label": label, "required": true,
                     "options": [option("female"), option("male")]},
                    {"id": "heard_from", "type": "multi_choice", "label": label,
                     "options": [option("sns"), option("newspaper"), option("website")]},
                    {"id": "satisfaction", "type": "scale", "label": label, "min": 1, "max": 5,
                     "min_label": label, "max_label": label},
                    {"id": "visits", "type": "number", "label": label, "min": 0, "max": 99},
                    {"id": "opinion", "type": "text", "label": label, "max_length": 5},
                ],
            })
            .to_string(),
        )
        .unwrap()
    }

    fn parse(raw: Value) -> Result<Answers, Vec<FieldError>> {
        Answers::parse(&form(), raw.as_object().unwrap())
    }

    fn single_problem(raw: Value) -> FieldError {
        let errors = parse(raw).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn valid_answers_are_kept_in_normal_form() {
        let answers = parse(json!({
            "gender": "female",
            "heard_from": ["website", "sns"],
            "satisfaction": 4,
            "visits": 0,
            "opinion": "  よい\r\n会 ",
        }))
        .unwrap();
        assert_eq!(
            answers.to_json(),
            json!({"gender": "female", "heard_from": ["sns", "website"], "satisfaction": 4, "visits": 0, "opinion": "よい\n会"})
        );
        assert_eq!(answers.attribute("gender").as_deref(), Some("female"));
    }

    #[test]
    fn skipped_optional_questions_are_left_out() {
        let answers = parse(json!({"gender": "male", "heard_from": [], "opinion": "   ", "visits": null})).unwrap();
        assert_eq!(answers.to_json(), json!({"gender": "male"}));
    }

    #[test]
    fn a_missing_required_answer_is_reported() {
        let error = single_problem(json!({}));
        assert_eq!((error.field.as_str(), error.problem.code()), ("gender", "required"));
        let error = single_problem(json!({"gender": ""}));
        assert_eq!(error.problem, Problem::Required);
    }

    #[test]
    fn unknown_questions_and_choices_are_reported() {
        let error = single_problem(json!({"gender": "female", "shoe_size": 27}));
        assert_eq!(
            (error.field.as_str(), error.problem.code()),
            ("shoe_size", "unknown_question")
        );
        let error = single_problem(json!({"gender": "robot"}));
        assert_eq!(error.problem.code(), "invalid_choice");
        let error = single_problem(json!({"gender": "male", "heard_from": ["sns", "radio"]}));
        assert_eq!(
            (error.field.as_str(), error.problem.code()),
            ("heard_from", "invalid_choice")
        );
        let error = single_problem(json!({"gender": "male", "heard_from": ["sns", "sns"]}));
        assert_eq!(error.problem.code(), "duplicate_choice");
    }

    #[test]
    fn wrong_types_are_reported() {
        for (field, value) in [
            ("gender", json!(["female"])),
            ("heard_from", json!("sns")),
            ("satisfaction", json!("4")),
            ("satisfaction", json!(4.5)),
            ("visits", json!(true)),
            ("opinion", json!(12)),
        ] {
            let mut raw = json!({"gender": "female"});
            raw[field] = value;
            let error = single_problem(raw);
            assert_eq!((error.field.as_str(), error.problem.code()), (field, "wrong_type"));
        }
    }

    #[test]
    fn numbers_outside_their_range_are_reported() {
        for (field, value) in [
            ("satisfaction", 0),
            ("satisfaction", 6),
            ("visits", -1),
            ("visits", 100),
        ] {
            let mut raw = json!({"gender": "female"});
            raw[field] = json!(value);
            assert_eq!(single_problem(raw).problem.code(), "out_of_range", "{field}={value}");
        }
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert!(parse(json!({"gender": "female", "opinion": "あいうえお"})).is_ok());
        let error = single_problem(json!({"gender": "female", "opinion": "あいうえおか"}));
        assert_eq!(error.problem, Problem::TooLong { max: 5 });
    }

    #[test]
    fn a_question_that_does_not_apply_is_neither_required_nor_answerable() {
        let mut form = form();
        let mut visits = form.questions.remove(3);
        visits.required = true;
        visits.relevant = Some(Relevance::parse("${satisfaction} >= 4", &form.questions[..3]).unwrap());
        form.questions.insert(3, visits);
        let parse = |raw: Value| Answers::parse(&form, raw.as_object().unwrap());
        assert!(parse(json!({"gender": "male", "satisfaction": 2})).is_ok());
        assert!(parse(json!({"gender": "male", "satisfaction": 5, "visits": 3})).is_ok());
        let required = parse(json!({"gender": "male", "satisfaction": 5})).unwrap_err();
        assert_eq!(required[0].problem, Problem::Required);
        let refused = parse(json!({"gender": "male", "satisfaction": 2, "visits": 3})).unwrap_err();
        assert_eq!(
            (refused[0].field.as_str(), refused[0].problem.code()),
            ("visits", "not_relevant")
        );
        assert!(
            parse(json!({"gender": "male", "visits": 3})).is_err(),
            "an unanswered scale is not >= 4"
        );
    }

    #[test]
    fn every_problem_is_collected() {
        let errors = parse(json!({"satisfaction": 9, "opinion": "長すぎる回答です"})).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["gender", "satisfaction", "opinion"]);
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let problem = Problem::OutOfRange { min: 1, max: 5 };
        assert_eq!(problem.message(Lang::Ja), "1から5までの数字で入力してください。");
        assert_eq!(problem.message(Lang::En), "Please give a number from 1 to 5.");
    }
}
