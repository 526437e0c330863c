//! The attendee's pages: the questionnaire, its thank-you page, and kind pages for a closed or
//! unknown event. Everything works without JavaScript.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use maud::{html, Markup};
use uuid::Uuid;

use super::layout;
use crate::domain::answers::FieldError;
use crate::domain::event::Refusal;
use crate::domain::form::{Choice, FormDefinition, Question, QuestionKind, ATTRIBUTE_QUESTIONS};
use crate::domain::lang::Lang;
use crate::domain::relevance::Relevance;

/// What the person entered, by question id, as the browser sent it.
pub type FormValues = HashMap<String, Vec<String>>;

/// The prefix of answer field names, so that no question id can clash with a control field.
pub const ANSWER_PREFIX: &str = "q.";

pub struct SurveyView<'a> {
    pub lang: Lang,
    pub code: &'a str,
    /// Staff previewing a form version: the page's own address, and nothing can be sent.
    pub preview: Option<&'a str>,
    pub title: &'a str,
    pub when: When,
    pub venue: Option<&'a str>,
    pub form: &'a FormDefinition,
    pub submission_id: Uuid,
    pub values: &'a FormValues,
    pub errors: &'a [FieldError],
    /// Staff keying in paper questionnaires: where the form posts, and no script or draft.
    pub paper: Option<PaperEntry<'a>>,
}

/// The form as staff use it to key in paper questionnaires one after another.
pub struct PaperEntry<'a> {
    pub action: &'a str,
    pub csrf: &'a str,
    /// Where staff go back to.
    pub back: &'a str,
    /// How many questionnaires this event holds, after one was saved.
    pub saved: Option<i64>,
}

impl SurveyView<'_> {
    /// Where the form is posted and its other language shown.
    fn path(&self) -> String {
        match (&self.paper, self.preview) {
            (Some(paper), _) => paper.action.to_owned(),
            (None, Some(preview)) => preview.to_owned(),
            (None, None) => format!("/s/{}", self.code),
        }
    }
}

/// The date a form is about: the day an event was held, or the last day a survey takes answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Held(NaiveDate),
    AnswerBy(NaiveDate),
}

pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    let weekday = date.weekday();
    match lang {
        Lang::Ja => {
            let names = ["月", "火", "水", "木", "金", "土", "日"];
            let name = names[weekday.num_days_from_monday() as usize];
            format!("{}年{}月{}日（{name}）", date.year(), date.month(), date.day())
        }
        Lang::En => format!("{} {}", english_weekday(weekday), date.format("%-d %B %Y")),
    }
}

fn english_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn field_id(question: &Question) -> String {
    format!("q-{}", question.id)
}

pub fn survey_page(view: &SurveyView) -> Markup {
    let lang = view.lang;
    let errors: HashMap<&str, String> = view
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.message(view.form, lang)))
        .collect();
    let page_title = if errors.is_empty() {
        view.title.to_owned()
    } else {
        format!(
            "{} {}",
            lang.pick("【入力内容をご確認ください】", "[Please check your answers]"),
            view.title
        )
    };
    let body = html! {
        p class="lang-switch" {
            a href={ (view.path()) "?lang=" (lang.other().code()) } lang=(lang.other().code()) {
                (lang.pick("English", "日本語"))
            }
        }
        h1 { (view.title) }
        p class="event-meta" {
            @match view.when {
                When::Held(date) => (format_date(date, lang)),
                When::AnswerBy(date) => { (lang.pick("回答期限 ", "Please answer by ")) (format_date(date, lang)) }
            }
            @if let Some(venue) = view.venue { " · " (venue) }
        }
        @if !errors.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" id="error-summary" {
                h2 { (lang.pick("入力内容をご確認ください", "Please check your answers")) }
                ul {
                    @for question in view.form.questions.iter().filter(|q| errors.contains_key(q.id.as_str())) {
                        li { a href={ "#" (field_id(question)) } { (question.label.get(lang)) } }
                    }
                    @for error in view.errors.iter().filter(|e| view.form.question(&e.field).is_none()) {
                        li { (error.problem.message(lang)) }
                    }
                }
            }
        }
        @if let Some(paper) = &view.paper {
            div class="paper-entry" {
                p {
                    strong { (lang.pick("紙のアンケートの入力（スタッフ用）", "Keying in paper questionnaires (staff)")) }
                    (lang.pick("：用紙1枚ごとに、書かれているとおりに入力して保存します。空欄の項目は空欄のままにします。",
                        ": one sheet at a time, entered as written and saved. What is blank on the sheet stays blank."))
                }
                @if let Some(total) = paper.saved {
                    p class="send-status" role="status" {
                        (lang.pick("1枚保存しました（この回の回答は ", "Sheet saved (this event now has ")) (total)
                        (lang.pick(" 件）。次の用紙を入力できます。", " responses). Key in the next one."))
                    }
                }
                p { a href=(paper.back) { (lang.pick("イベントに戻る", "Back to the event")) } }
            }
        }
        div class="intro" { p { (view.form.intro.get(lang)) } }
        @if view.preview.is_some() {
            p class="send-status" role="status" { (lang.pick("プレビューです。このページからは送信できません。", "This is a preview: nothing can be sent from it.")) }
        }
        form method="post" action=(view.path()) novalidate data-survey=[view.paper.is_none().then_some(view.code)] data-preview[view.preview.is_some()] {
            @if let Some(paper) = &view.paper { input type="hidden" name="csrf" value=(paper.csrf); }
            input type="hidden" name="submission_id" value=(view.submission_id);
            input type="hidden" name="lang" value=(lang.code());
            @let asked: Vec<&Question> = view.form.questions.iter().filter(|q| q.is_askable()).collect();
            @let total = asked.len();
            @let (about_event, about_you): (Vec<_>, Vec<_>) = asked.into_iter().enumerate()
                .partition(|(_, q)| !ATTRIBUTE_QUESTIONS.contains(&q.id.as_str()));
            @for part in in_sections(about_event) {
                @match part.section.and_then(|id| view.form.section(id)) {
                    Some(part_section) => {
                        section.form-section aria-labelledby={ "section-" (part_section.id) }
                            data-relevant=[part_section.relevant.as_ref().map(condition_json)] {
                            h2 id={ "section-" (part_section.id) } { (part_section.label.get(lang)) }
                            @if let Some(rule) = &part_section.relevant { (when_note(rule, view)) }
                            @for (index, question) in part.questions {
                                (question_block(view, question, Step { index, total }, &errors))
                            }
                        }
                    }
                    None => {
                        @for (index, question) in part.questions {
                            (question_block(view, question, Step { index, total }, &errors))
                        }
                    }
                }
            }
            @if !about_you.is_empty() {
                section class="about-you" aria-labelledby="about-you" {
                    h2 id="about-you" { (lang.pick("あなたについて", "About you")) }
                    p class="hint" {
                        (lang.pick(
                            "参加者の傾向を知り、届きにくい方に届けるための集計にだけ使います。どの項目も答えなくてかまいません。",
                            "We ask only to see who the programme reaches and who it misses. You may skip any of these.",
                        ))
                    }
                    @for (index, question) in about_you {
                        (question_block(view, question, Step { index, total }, &errors))
                    }
                }
            }
            (form_notes(view, None))
            p class="privacy" {
                (lang.pick(
                    "このアンケートは匿名です。お名前や連絡先はうかがいません。",
                    "This questionnaire is anonymous. We do not ask for your name or contact details.",
                ))
            }
            p id="send-status" class="send-status" role="status" aria-live="polite" hidden {}
            button type="submit" disabled[view.preview.is_some()] {
                @if view.paper.is_some() { (lang.pick("保存して次の用紙へ", "Save and key in the next")) } @else { (lang.pick("送信する", "Send")) }
            }
            // Shown by the script, which keeps the draft it clears.
            button type="button" id="clear-answers" class="secondary" hidden {
                (lang.pick("入力内容を消去する", "Clear my answers"))
            }
        }
        @if view.paper.is_none() { script src="/static/survey.js" defer {} }
    };
    layout(lang, &page_title, body)
}

/// A question's place in the form, shown as "3 / 9".
struct Step {
    index: usize,
    total: usize,
}

/// Choice lists longer than this are laid out in two columns, so the form stays short on a phone.
const COMPACT_OPTIONS: usize = 3;

/// Single choices longer than this become the phone's own picker: twelve occupations as buttons
/// would fill a screen on their own.
const PICKER_OPTIONS: usize = 4;

/// A question; one that applies only after certain answers comes with its rule, which the script
/// applies and which, without the script, a note states in words (the server applies it either way).
fn question_block(view: &SurveyView, question: &Question, step: Step, errors: &HashMap<&str, String>) -> Markup {
    let lang = view.lang;
    let fields = question_fields(
        question,
        step,
        lang,
        view.values.get(&question.id),
        errors.get(question.id.as_str()),
    );
    let block = match &question.relevant {
        None => fields,
        Some(rule) => html! {
            div class="conditional" data-relevant=(condition_json(rule)) {
                (when_note(rule, view))
                (fields)
            }
        },
    };
    html! {
        (form_notes(view, Some(&question.id)))
        (block)
    }
}

/// The form's notes shown before `question` (after the last question when `None`).
fn form_notes(view: &SurveyView, question: Option<&str>) -> Markup {
    html! {
        @for note in view.form.notes_before(question) { p class="form-note" { (note.text.get(view.lang)) } }
    }
}

/// A rule as the script reads it.
fn condition_json(rule: &Relevance) -> String {
    serde_json::to_string(rule.condition()).unwrap_or_default()
}

/// A rule in words, for a page read without its script (which hides the note).
fn when_note(rule: &Relevance, view: &SurveyView) -> Markup {
    html! {
        p class="when" {
            (view.lang.pick("次の場合にお答えください：", "Answer only if "))
            (rule.describe(&view.form.questions, view.lang))
        }
    }
}

/// Consecutive questions of the same section (or of none).
struct Part<'a> {
    section: Option<&'a str>,
    questions: Vec<(usize, &'a Question)>,
}

fn in_sections<'a>(questions: Vec<(usize, &'a Question)>) -> Vec<Part<'a>> {
    let mut parts: Vec<Part> = Vec::new();
    for (index, question) in questions {
        let section = question.section.as_deref();
        match parts.last_mut() {
            Some(part) if part.section == section => part.questions.push((index, question)),
            _ => parts.push(Part {
                section,
                questions: vec![(index, question)],
            }),
        }
    }
    parts
}

fn question_fields(
    question: &Question,
    step: Step,
    lang: Lang,
    given: Option<&Vec<String>>,
    error: Option<&String>,
) -> Markup {
    let id = field_id(question);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = [
        question.help.as_ref().map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let given: &[String] = given.map(Vec::as_slice).unwrap_or(&[]);
    let name = format!("{ANSWER_PREFIX}{}", question.id);
    // Only required questions are marked: most may be skipped, as the introduction says.
    let heading = html! {
        span class="step" { (step.index + 1) " / " (step.total) }
        (question.label.get(lang))
        @if question.required { span class="tag" { (lang.pick("必須", "required")) } }
        @if let Some(help) = &question.help { span class="hint" id=(hint_id) { (help.get(lang)) } }
    };
    let error_line = html! {
        @if let Some(message) = error { p class="field-error" id=(error_id) { (message) } }
    };
    let has_error = error.is_some();
    match &question.kind {
        QuestionKind::SingleChoice { options } if options.len() > PICKER_OPTIONS => html! {
            div.question.has-error[has_error] id=(id) {
                label for=(format!("{id}-input")) { (heading) }
                (error_line)
                select id=(format!("{id}-input")) name=(name)
                    aria-describedby=[described_by.clone()] aria-invalid=[error.map(|_| "true")] {
                    // Short, so it fits a narrow phone; the block's heading says every item may be skipped.
                    option value="" { (lang.pick("選んでください", "Choose one")) }
                    @for option in options {
                        option value=(option.value) selected[given.contains(&option.value)] { (option.label.get(lang)) }
                    }
                }
            }
        },
        QuestionKind::SingleChoice { options } | QuestionKind::MultiChoice { options } => {
            let input_type = if matches!(question.kind, QuestionKind::MultiChoice { .. }) {
                "checkbox"
            } else {
                "radio"
            };
            html! {
                fieldset.has-error[has_error] id=(id) aria-describedby=[described_by] {
                    legend { (heading) }
                    (error_line)
                    div.choices.compact[options.len() > COMPACT_OPTIONS] {
                        @for (index, option) in options.iter().enumerate() {
                            (choice(&name, &format!("{id}-{index}"), input_type, option, lang, given))
                        }
                    }
                }
            }
        }
        QuestionKind::Agency { options } => html! {
            fieldset.has-error[has_error] id=(id) aria-describedby=[described_by] {
                legend { (heading) }
                (error_line)
                // The script shows the search box; without it the whole list is there to scroll.
                input type="search" class="choice-search" hidden
                    aria-label=(lang.pick("機関の名前で探す", "Search by the agency's name"))
                    placeholder=(lang.pick("名前の一部で探せます", "Type part of the name"));
                div class="choices searchable" {
                    @for (index, option) in options.iter().enumerate() {
                        (choice(&name, &format!("{id}-{index}"), "radio", option, lang, given))
                    }
                }
            }
        },
        QuestionKind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => html! {
            fieldset.has-error[has_error] id=(id) aria-describedby=[described_by] {
                legend { (heading) }
                (error_line)
                div class="scale-ends" aria-hidden="true" {
                    span { (min) ": " (min_label.get(lang)) }
                    span { (max) ": " (max_label.get(lang)) }
                }
                div class="scale" {
                    @for value in *min..=*max {
                        @let value_text = value.to_string();
                        @let aria_label = if value == *min {
                            format!("{value} {}", min_label.get(lang))
                        } else if value == *max {
                            format!("{value} {}", max_label.get(lang))
                        } else {
                            value_text.clone()
                        };
                        label class="choice" {
                            input type="radio" name=(name) value=(value_text) aria-label=(aria_label)
                                checked[given.contains(&value_text)];
                            span aria-hidden="true" { (value) }
                        }
                    }
                }
            }
        },
        QuestionKind::Number { min, max } => html! {
            div.question.has-error[has_error] id=(id) {
                label for=(format!("{id}-input")) { (heading) }
                (error_line)
                input type="number" id=(format!("{id}-input")) name=(name) inputmode="numeric"
                    min=(min) max=(max) step="1" value=[given.first()]
                    aria-describedby=[described_by.clone()] aria-invalid=[error.map(|_| "true")];
            }
        },
        QuestionKind::Text { max_length } => html! {
            div.question.has-error[has_error] id=(id) {
                label for=(format!("{id}-input")) { (heading) }
                (error_line)
                textarea id=(format!("{id}-input")) name=(name) maxlength=(max_length) rows="3"
                    aria-describedby=[described_by.clone()] aria-invalid=[error.map(|_| "true")] {
                    (given.first().map(String::as_str).unwrap_or(""))
                }
            }
        },
    }
}

fn choice(name: &str, id: &str, input_type: &str, option: &Choice, lang: Lang, given: &[String]) -> Markup {
    html! {
        label class="choice" for=(id) {
            input type=(input_type) id=(id) name=(name) value=(option.value) checked[given.contains(&option.value)];
            span { (option.label.get(lang)) }
        }
    }
}

/// After a response is stored. `already` when the same submission had been stored before.
pub fn thanks_page(lang: Lang, already: bool, code: &str) -> Markup {
    layout(
        lang,
        lang.pick("ご回答ありがとうございました", "Thank you for your answers"),
        html! {
            h1 data-sent-survey=(code) { (lang.pick("ご回答ありがとうございました", "Thank you for your answers")) }
            @if already {
                p { (lang.pick(
                    "この回答はすでに受け付けています。二重に送られることはありません。",
                    "We had already received these answers; nothing was sent twice.",
                )) }
            }
            p { (lang.pick(
                "いただいた声は、これからのプログラムづくりに大切に活かします。回答は匿名で扱います。",
                "Your voice will help shape the programme. Your answers are anonymous.",
            )) }
            p { (lang.pick("このページは閉じていただいて大丈夫です。", "You can close this page now.")) }
            script src="/static/survey.js" defer {}
        },
    )
}

pub fn refused_page(lang: Lang, title: &str, refusal: Refusal) -> Markup {
    let (heading, text) = match refusal {
        Refusal::Closed => (
            lang.pick("受付は終了しました", "This questionnaire is closed"),
            lang.pick(
                "このアンケートの受付は終了しました。ご参加いただき、ありがとうございました。",
                "This questionnaire is no longer accepting answers. Thank you for taking part.",
            ),
        ),
        Refusal::Cancelled => (
            lang.pick("この回は中止になりました", "This session was cancelled"),
            lang.pick(
                "この回は中止になったため、アンケートは受け付けていません。次の回でお会いできるのを楽しみにしています。",
                "This session was cancelled, so there is no questionnaire for it. We hope to see you at the next one.",
            ),
        ),
    };
    layout(
        lang,
        heading,
        html! {
            h1 { (title) }
            p { (text) }
        },
    )
}

/// A page that only says something: a heading and a paragraph, in the page's language.
fn notice_page(lang: Lang, heading: (&str, &str), text: (&str, &str)) -> Markup {
    let heading = lang.pick(heading.0, heading.1);
    layout(
        lang,
        heading,
        html! {
            h1 { (heading) }
            p { (lang.pick(text.0, text.1)) }
        },
    )
}

pub fn not_found_page(lang: Lang) -> Markup {
    notice_page(
        lang,
        ("アンケートが見つかりません", "Questionnaire not found"),
        (
            "リンクが正しいかご確認ください。QRコードから開いた場合は、もう一度読み取ってみてください。",
            "Please check the link. If you opened it from a QR code, try scanning it again.",
        ),
    )
}

pub fn unavailable_page(lang: Lang) -> Markup {
    notice_page(
        lang,
        ("ただいま混み合っています", "Temporarily unavailable"),
        (
            "少し時間をおいて、もう一度お試しください。入力した内容はブラウザの「戻る」で残っていることがあります。",
            "Please try again in a moment. Your answers may still be there if you go back in your browser.",
        ),
    )
}

/// Something failed on the service's side that waiting will not mend.
pub fn failed_page(lang: Lang) -> Markup {
    notice_page(
        lang,
        ("送信できませんでした", "Your answers could not be sent"),
        (
            "申し訳ありません。こちらの側で問題が起きたため、回答を保存できませんでした。入力した内容はこの端末に残っています。時間をおいて、もう一度このページを開いて送信してください。",
            "We are sorry: something went wrong on our side, so your answers were not saved. They are kept on this phone. Please open this page again later and send them.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 14).unwrap();
        assert_eq!(format_date(date, Lang::Ja), "2026年5月14日（木）");
        assert_eq!(format_date(date, Lang::En), "Thursday 14 May 2026");
    }
}
