//! Parsing a form and checking it: everything a response will later rely on, each problem said
//! in both languages at the question and property it concerns.

use serde::Deserialize;
use utoipa::ToSchema;

mod question;

use super::{Choice, FormDefinition, FormError, FormNote, Question, Section, ATTRIBUTE_QUESTIONS};
use crate::domain::lang::Localized;
use crate::domain::relevance::Relevance;
use crate::domain::validation::ControlCharacter;

const MAX_SCALE_STEPS: i64 = 11;
const MAX_TEXT_LENGTH: usize = 10_000;
/// Longest text a form may hold (a title, a label, a help text, an introduction): far below a
/// workbook cell's 32,767 characters, so that every form downloads as a workbook.
const MAX_FORM_TEXT: usize = 4_000;
/// Longest skip rule: real ones are a line, and each is written out on the phone page.
const MAX_RULE_LENGTH: usize = 1_000;
/// The properties of a question, section or note that hold text, as the errors name them.
const TEXT_PROPERTIES: [&str; 10] = [
    "id",
    "label",
    "help",
    "relevant",
    "constraint_message",
    "min_label",
    "max_label",
    "options",
    "text",
    "section",
];

impl FormDefinition {
    /// Parses and checks a form written as JSON (a file in `survey_forms/` or a stored version).
    pub fn parse_json(text: &str) -> Result<Self, FormError> {
        let raw: RawForm = serde_json::from_str(text).map_err(unreadable)?;
        Self::try_from(raw)
    }

    /// Parses a stored definition; stored versions were checked when they were written.
    pub fn from_value(value: serde_json::Value) -> Result<Self, FormError> {
        let raw: RawForm = serde_json::from_value(value).map_err(unreadable)?;
        Self::try_from(raw)
    }
}

/// A form file's JSON, as `survey_forms/` holds it and `POST /forms` takes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FormFile)]
pub struct RawForm {
    slug: String,
    title: Localized,
    intro: Localized,
    #[serde(default)]
    purpose: Option<Localized>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    notes: Vec<RawNote>,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FormFileNote)]
pub struct RawNote {
    id: String,
    text: Localized,
    before: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FormFileSection)]
pub struct RawSection {
    id: String,
    label: Localized,
    relevant: Option<String>,
}

/// Every field any question type may have; `TryFrom` checks which ones belong to the type.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FormFileQuestion)]
pub struct RawQuestion {
    id: String,
    /// `single_choice`, `multi_choice`, `scale`, `number`, `text`, or `agency` (the list of
    /// agencies, for the agency question only).
    #[serde(rename = "type")]
    kind: String,
    label: Localized,
    help: Option<Localized>,
    #[serde(default)]
    required: bool,
    section: Option<String>,
    relevant: Option<String>,
    constraint_message: Option<Localized>,
    options: Option<Vec<Choice>>,
    min: Option<i64>,
    max: Option<i64>,
    min_label: Option<Localized>,
    max_label: Option<Localized>,
    max_length: Option<usize>,
}

impl TryFrom<RawForm> for FormDefinition {
    type Error = FormError;

    fn try_from(raw: RawForm) -> Result<Self, FormError> {
        Self::checked(raw).map_err(|mut errors| errors.remove(0))
    }
}

impl FormDefinition {
    /// Parses and checks a form given as a JSON value, reporting every problem found (an upload
    /// lists them all): the form's own, then each question's in order.
    pub fn parse_value(value: serde_json::Value) -> Result<Self, Vec<FormError>> {
        if let Some(found) = ControlCharacter::find(&value) {
            let code = format!("U+{:04X}", u32::from(found.character));
            return Err(vec![FormError::general(Localized::new(
                format!("{} に制御文字 {code} があります。取り除いてください", found.path),
                found.to_string(),
            ))]);
        }
        let oversized = oversized_texts(&value);
        if !oversized.is_empty() {
            return Err(oversized);
        }
        let raw: RawForm = serde_json::from_value(value).map_err(|e| vec![unreadable(e)])?;
        Self::checked(raw)
    }

    fn checked(raw: RawForm) -> Result<Self, Vec<FormError>> {
        let mut errors = Vec::new();
        if !is_identifier(&raw.slug) {
            errors.push(
                FormError::general(Localized::new(
                    format!("slug {:?} は英小文字・数字・下線（_）だけで書きます", raw.slug),
                    format!("slug {:?} must be lower-case letters, digits and underscores", raw.slug),
                ))
                .on("slug"),
            );
        }
        if !raw.title.is_complete() {
            errors.push(FormError::general(both_languages("タイトル", "the title")).on("title"));
        }
        if !raw.intro.is_complete() {
            errors.push(FormError::general(both_languages("はじめの説明", "the intro")).on("intro"));
        }
        if raw.purpose.as_ref().is_some_and(|purpose| !purpose.is_complete()) {
            errors.push(FormError::general(both_languages("様式のねらい", "the purpose")).on("purpose"));
        }
        if raw.questions.is_empty() {
            errors.push(FormError::general(Localized::new(
                "質問が一つもありません",
                "a form needs at least one question",
            )));
        }
        let mut sections: Vec<(RawSection, Option<Section>)> = Vec::new();
        for section in raw.sections {
            if !is_identifier(&section.id) || !section.label.is_complete() {
                errors.push(FormError::at(
                    &section.id,
                    Localized::new(
                        "セクションには英小文字・数字・下線のIDと、日本語と英語の見出しが必要です",
                        "a section needs a plain id (a-z, 0-9, _) and a label in ja and en",
                    ),
                ));
            } else if sections.iter().any(|(s, _)| s.id == section.id) {
                errors.push(FormError::at(&section.id, used_twice()));
            } else {
                sections.push((section, None));
            }
        }
        let mut questions: Vec<Question> = Vec::with_capacity(raw.questions.len());
        for mut raw_question in raw.questions {
            let relevant = raw_question.relevant.take();
            let section = raw_question.section.take();
            let id = raw_question.id.clone();
            let mut question = match Question::try_from(raw_question) {
                Ok(question) => question,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            if questions.iter().any(|q| q.id == question.id) || sections.iter().any(|(s, _)| s.id == id) {
                errors.push(FormError::at(&id, used_twice()));
                continue;
            }
            if let Some(section) = section {
                if let Err(message) = enter_section(&mut sections, &section, &questions, &question) {
                    errors.push(FormError::at(&id, message).on("section"));
                }
                question.section = Some(section);
            }
            if let Some(source) = relevant {
                match Relevance::parse(&source, &questions) {
                    Ok(rule) => question.relevant = Some(rule),
                    Err(message) => errors.push(FormError::at(&id, rule_problem("relevant", &message)).on("relevant")),
                }
            }
            questions.push(question);
        }
        let mut notes: Vec<FormNote> = Vec::with_capacity(raw.notes.len());
        for note in raw.notes {
            let taken = |id: &str| {
                notes.iter().any(|n| n.id == id)
                    || questions.iter().any(|q| q.id == id)
                    || sections.iter().any(|(s, _)| s.id == id)
            };
            if !is_identifier(&note.id) || !note.text.is_complete() {
                errors.push(FormError::at(
                    &note.id,
                    Localized::new(
                        "説明文には英小文字・数字・下線のIDと、日本語と英語の本文が必要です",
                        "a note needs a plain id (a-z, 0-9, _) and its text in ja and en",
                    ),
                ));
            } else if taken(&note.id) {
                errors.push(FormError::at(&note.id, used_twice()));
            } else if note
                .before
                .as_ref()
                .is_some_and(|q| !questions.iter().any(|asked| &asked.id == q))
            {
                errors.push(
                    FormError::at(
                        &note.id,
                        Localized::new(
                            "説明文はこのフォームの質問のどれかの前に置きます",
                            "a note is shown before one of the form's questions",
                        ),
                    )
                    .on("before"),
                );
            } else {
                notes.push(FormNote {
                    id: note.id,
                    text: note.text,
                    before: note.before,
                });
            }
        }
        let mut checked_sections = Vec::with_capacity(sections.len());
        for (raw_section, section) in sections {
            match section {
                Some(section) => checked_sections.push(section),
                None => errors.push(FormError::at(
                    &raw_section.id,
                    Localized::new("このセクションには質問がありません", "the section has no questions"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            slug: raw.slug,
            title: raw.title,
            intro: raw.intro,
            purpose: raw.purpose,
            sections: checked_sections,
            notes,
            questions,
        })
    }
}

/// Puts `question` in the section `id`: the first question of a section checks the section's
/// rule against the questions before it; later ones must follow one another.
fn enter_section(
    sections: &mut [(RawSection, Option<Section>)],
    id: &str,
    before: &[Question],
    question: &Question,
) -> Result<(), Localized> {
    if ATTRIBUTE_QUESTIONS.contains(&question.id.as_str()) {
        return Err(Localized::new(
            "共通の属性の質問は、セクションの外の専用の部分で尋ねます",
            "the shared attribute questions are asked in a part of their own, outside sections",
        ));
    }
    let Some((raw, checked)) = sections.iter_mut().find(|(s, _)| s.id == id) else {
        return Err(Localized::new(
            format!("セクション {id:?} はフォームのセクションにありません"),
            format!("no section {id:?} in the form's sections"),
        ));
    };
    if checked.is_some() {
        return match before.last() {
            Some(previous) if previous.section.as_deref() == Some(id) => Ok(()),
            _ => Err(Localized::new(
                format!("セクション {id:?} の質問は続けて並べます"),
                format!("the questions of section {id:?} must follow one another"),
            )),
        };
    }
    let relevant = raw
        .relevant
        .as_deref()
        .map(|source| {
            Relevance::parse(source, before)
                .map_err(|message| rule_problem(&format!("section {id:?} relevant"), &message))
        })
        .transpose()?;
    *checked = Some(Section {
        id: raw.id.clone(),
        label: raw.label.clone(),
        relevant,
    });
    Ok(())
}

/// A form given as JSON that does not read as one.
fn unreadable(error: serde_json::Error) -> FormError {
    FormError::general(Localized::new(
        format!("フォームのJSONが読めません（{error}）"),
        error.to_string(),
    ))
}

/// `what` (named in each language) lacks one of its two languages.
fn both_languages(ja: &str, en: &str) -> Localized {
    Localized::new(
        format!("{ja}には日本語（ja）と英語（en）の両方が必要です"),
        format!("{en} needs both ja and en text"),
    )
}

fn used_twice() -> Localized {
    Localized::new("このIDは二度使われています", "the id is used twice")
}

/// A problem of a display rule (`relevant`), prefixed with the property it is in.
fn rule_problem(property: &str, problem: &Localized) -> Localized {
    Localized::new(
        format!("{property}（表示条件）: {}", problem.ja),
        format!("{property}: {}", problem.en),
    )
}

/// Ids and values become JSON keys, column names in exports and HTML names: keep them plain.
pub(super) fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Every text of a form given as JSON longer than a form needs (a rule longer than
/// [`MAX_RULE_LENGTH`], any other text than [`MAX_FORM_TEXT`]), at its question and property.
fn oversized_texts(value: &serde_json::Value) -> Vec<FormError> {
    fn longest(value: &serde_json::Value) -> usize {
        match value {
            serde_json::Value::String(text) => text.chars().count(),
            serde_json::Value::Array(items) => items.iter().map(longest).max().unwrap_or(0),
            serde_json::Value::Object(fields) => fields.values().map(longest).max().unwrap_or(0),
            _ => 0,
        }
    }
    let limit = |property: &str| {
        if property == "relevant" {
            MAX_RULE_LENGTH
        } else {
            MAX_FORM_TEXT
        }
    };
    let too_long = |property: &str, length: usize| {
        Localized::new(
            format!(
                "{property} が{length}文字あります。フォームの文は{}文字までです",
                limit(property)
            ),
            format!(
                "{property} is {length} characters long; a form's texts are at most {} characters",
                limit(property)
            ),
        )
    };
    let mut errors = Vec::new();
    for property in ["slug", "title", "intro", "purpose"] {
        let length = value.get(property).map_or(0, longest);
        if length > MAX_FORM_TEXT {
            errors.push(FormError::general(too_long(property, length)).on(property));
        }
    }
    for part in ["questions", "sections", "notes"] {
        for item in value.get(part).and_then(|v| v.as_array()).into_iter().flatten() {
            let id = item.get("id").and_then(|id| id.as_str()).unwrap_or_default();
            let id: String = id.chars().take(64).collect();
            for property in TEXT_PROPERTIES {
                let length = item.get(property).map_or(0, longest);
                if length > limit(property) {
                    errors.push(FormError::at(&id, too_long(property, length)).on(property));
                }
            }
        }
    }
    errors
}
