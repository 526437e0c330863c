//! Checking one question of a form: its kind and the properties that kind takes.

use super::{both_languages, is_identifier, RawQuestion, MAX_SCALE_STEPS, MAX_TEXT_LENGTH};
use crate::domain::event_column::EventColumn;
use crate::domain::form::{Choice, FormError, Question, QuestionKind, AGENCY_QUESTION, ATTRIBUTE_QUESTIONS};
use crate::domain::lang::Localized;

impl TryFrom<RawQuestion> for Question {
    type Error = FormError;

    fn try_from(raw: RawQuestion) -> Result<Self, FormError> {
        let id = raw.id.clone();
        let fail = |field: &'static str, message: Localized| FormError::at(&id, message).on(field);
        if !is_identifier(&raw.id) {
            return Err(FormError::at(
                &id,
                Localized::new(
                    "IDは英小文字・数字・下線（_）だけで書きます",
                    "the id must be lower-case letters, digits and underscores",
                ),
            ));
        }
        if EventColumn::parse(&raw.id).is_some() {
            return Err(FormError::at(
                &id,
                Localized::new(
                    format!(
                        "{:?} は予約された名前です（分析で催しの{}をこの名前で使います）",
                        raw.id, raw.id
                    ),
                    format!(
                        "{:?} is reserved: analyses group by the event's {} under that name",
                        raw.id, raw.id
                    ),
                ),
            ));
        }
        if !raw.label.is_complete() {
            return Err(fail("label", both_languages("質問文（label）", "the label")));
        }
        if raw.help.as_ref().is_some_and(|h| !h.is_complete()) {
            return Err(fail("help", both_languages("補足（help）", "help")));
        }
        if let Some(message) = &raw.constraint_message {
            if !matches!(raw.kind.as_str(), "number" | "text") {
                return Err(fail(
                    "constraint_message",
                    Localized::new(
                        "constraint_message は数値と自由記述の質問にだけ使えます",
                        "constraint_message applies to number and text questions",
                    ),
                ));
            }
            if !message.is_complete() {
                return Err(fail(
                    "constraint_message",
                    both_languages("constraint_message", "constraint_message"),
                ));
            }
        }
        let allowed: &[&str] = match raw.kind.as_str() {
            "single_choice" | "multi_choice" => &["options"],
            "scale" => &["min", "max", "min_label", "max_label"],
            "number" => &["min", "max"],
            "text" => &["max_length"],
            "agency" => &[],
            other => {
                return Err(fail(
                    "type",
                    Localized::new(
                        format!("種類 {other:?} はありません（single_choice, multi_choice, scale, number, text, agency のどれかです）"),
                        format!(
                            "unknown type {other:?} (expected single_choice, multi_choice, scale, number, text or agency)"
                        ),
                    ),
                ))
            }
        };
        let present = [
            ("options", raw.options.is_some()),
            ("min", raw.min.is_some()),
            ("max", raw.max.is_some()),
            ("min_label", raw.min_label.is_some()),
            ("max_label", raw.max_label.is_some()),
            ("max_length", raw.max_length.is_some()),
        ];
        for (field, is_present) in present {
            if is_present && !allowed.contains(&field) {
                return Err(fail(
                    field,
                    Localized::new(
                        format!("{field} は {} の質問には使えません", raw.kind),
                        format!("{field} does not apply to a {} question", raw.kind),
                    ),
                ));
            }
            if !is_present && allowed.contains(&field) {
                return Err(fail(
                    field,
                    Localized::new(
                        format!("{} の質問には {field} が必要です", raw.kind),
                        format!("a {} question needs {field}", raw.kind),
                    ),
                ));
            }
        }
        let kind = match raw.kind.as_str() {
            "single_choice" | "multi_choice" => {
                let options = checked_options(raw.options.unwrap_or_default()).map_err(|m| fail("options", m))?;
                if raw.kind == "single_choice" {
                    QuestionKind::SingleChoice { options }
                } else {
                    QuestionKind::MultiChoice { options }
                }
            }
            "scale" => {
                let (min, max) = (raw.min.unwrap_or_default(), raw.max.unwrap_or_default());
                if min >= max || max - min + 1 > MAX_SCALE_STEPS {
                    return Err(fail(
                        "max",
                        Localized::new(
                            format!("尺度は min < max で、段階は{MAX_SCALE_STEPS}までです"),
                            format!("a scale needs min < max and at most {MAX_SCALE_STEPS} steps"),
                        ),
                    ));
                }
                let (Some(min_label), Some(max_label)) = (raw.min_label, raw.max_label) else {
                    return Err(fail(
                        "min_label",
                        Localized::new(
                            "尺度には min_label と max_label が必要です",
                            "a scale needs min_label and max_label",
                        ),
                    ));
                };
                for (field, label) in [("min_label", &min_label), ("max_label", &max_label)] {
                    if !label.is_complete() {
                        return Err(fail(field, both_languages(field, field)));
                    }
                }
                QuestionKind::Scale {
                    min,
                    max,
                    min_label,
                    max_label,
                }
            }
            "agency" if raw.id != AGENCY_QUESTION => {
                return Err(fail(
                    "type",
                    Localized::new(
                        format!("機関の質問のIDは {AGENCY_QUESTION:?} です（フォームをまたいで回答を比べるため）"),
                        format!("the agency question's id is {AGENCY_QUESTION:?}, so answers compare across forms"),
                    ),
                ))
            }
            "agency" => QuestionKind::Agency { options: Vec::new() },
            "number" => {
                let (min, max) = (raw.min.unwrap_or_default(), raw.max.unwrap_or_default());
                if min > max {
                    return Err(fail(
                        "max",
                        Localized::new("数値は min <= max にします", "a number needs min <= max"),
                    ));
                }
                QuestionKind::Number { min, max }
            }
            _ => {
                let max_length = raw.max_length.unwrap_or_default();
                if !(1..=MAX_TEXT_LENGTH).contains(&max_length) {
                    return Err(fail(
                        "max_length",
                        Localized::new(
                            format!("max_length は1から{MAX_TEXT_LENGTH}までです"),
                            format!("max_length must be between 1 and {MAX_TEXT_LENGTH}"),
                        ),
                    ));
                }
                QuestionKind::Text { max_length }
            }
        };
        if ATTRIBUTE_QUESTIONS.contains(&raw.id.as_str()) && !matches!(kind, QuestionKind::SingleChoice { .. }) {
            return Err(fail(
                "type",
                Localized::new(
                    "属性の質問は single_choice にします",
                    "attribute questions must be single_choice",
                ),
            ));
        }
        Ok(Self {
            id: raw.id,
            label: raw.label,
            help: raw.help,
            required: raw.required,
            section: None,
            relevant: None,
            constraint_message: raw.constraint_message,
            kind,
        })
    }
}

fn checked_options(options: Vec<Choice>) -> Result<Vec<Choice>, Localized> {
    if options.len() < 2 {
        return Err(Localized::new(
            "選択式の質問には選択肢が二つ以上必要です",
            "a choice question needs at least two options",
        ));
    }
    for (index, option) in options.iter().enumerate() {
        let value = &option.value;
        if !is_identifier(value) {
            return Err(Localized::new(
                format!("選択肢の値 {value:?} は英小文字・数字・下線（_）だけで書きます"),
                format!("option value {value:?} must be lower-case letters, digits and underscores"),
            ));
        }
        if !option.label.is_complete() {
            return Err(Localized::new(
                format!("選択肢 {value:?} には日本語と英語の両方の表示が必要です"),
                format!("option {value:?} needs both ja and en labels"),
            ));
        }
        if options[..index].iter().any(|o| &o.value == value) {
            return Err(Localized::new(
                format!("選択肢の値 {value:?} が二度使われています"),
                format!("option value {value:?} is used twice"),
            ));
        }
    }
    Ok(options)
}
