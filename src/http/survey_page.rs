//! The phone form at `/s/{code}`: renders the event's questionnaire, and on POST stores it or
//! renders it again with the answers kept and each problem beside its question.

use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::error::RETRY_WHEN_UNAVAILABLE_SECS;
use super::{html_page, AppState};
use crate::db::{self, responses::SubmitOutcome};
use crate::domain::answers::{FieldError, Problem};
use crate::domain::event::EventKind;
use crate::domain::form::{FormDefinition, QuestionKind};
use crate::domain::lang::Lang;
use crate::domain::response_source::Entry;
use crate::domain::survey_wave::last_day;
use crate::domain::validation::to_ascii_digits;
use crate::pages::survey::{self, FormValues, PaperEntry, SurveyView, When, ANSWER_PREFIX};
use crate::services::submission::{EventKey, Submission, Survey};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show_form)
        .service(send_form)
        .service(thanks)
        .service(script);
}

/// The form's optional script: drafts kept on the phone, resending after a dropped connection.
#[get("/static/survey.js")]
async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(include_str!("../pages/survey.js"))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// Attendee pages load nothing from elsewhere and post only to themselves; anything else is an
/// injection. The script is this site's own. `$framed_by` says who may show the page in a frame.
macro_rules! survey_csp {
    ($framed_by:literal) => {
        concat!(
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; ",
            "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ",
            $framed_by
        )
    };
}

fn html(status: StatusCode, page: Markup) -> HttpResponse {
    html_page(status, page, "no-referrer", survey_csp!("'none'"))
}

/// A form page previewed by staff: as attendees get it, script and all, shown by the dashboard
/// in a phone-sized frame.
pub fn preview_html(page: Markup) -> HttpResponse {
    html_page(StatusCode::OK, page, "same-origin", survey_csp!("'self'"))
}

fn render_form(survey: &Survey, lang: Lang, submission_id: Uuid, values: &FormValues, errors: &[FieldError]) -> Markup {
    render_entry_form(survey, lang, submission_id, values, errors, None)
}

/// The form of `survey`, for an attendee or, with `paper`, for staff keying in paper.
pub fn render_entry_form(
    survey: &Survey,
    lang: Lang,
    submission_id: Uuid,
    values: &FormValues,
    errors: &[FieldError],
    paper: Option<PaperEntry>,
) -> Markup {
    survey::survey_page(&SurveyView {
        lang,
        code: &survey.event.code,
        preview: None,
        title: in_language(lang, &survey.event.title, survey.event.title_en.as_deref()),
        when: match (EventKind::parse(&survey.event.kind), survey.event.closes_at) {
            (Some(EventKind::AgencySurvey), Some(closes_at)) => When::AnswerBy(last_day(closes_at)),
            _ => When::Held(survey.event.held_on),
        },
        venue: survey
            .event
            .venue
            .as_deref()
            .map(|venue| in_language(lang, venue, survey.event.venue_en.as_deref())),
        form: &survey.form.definition,
        submission_id,
        values,
        errors,
        paper,
    })
}

/// What staff wrote in the page's language: the English text, if they gave one, on the English
/// form.
fn in_language<'a>(lang: Lang, japanese: &'a str, english: Option<&'a str>) -> &'a str {
    match (lang, english) {
        (Lang::En, Some(english)) => english,
        _ => japanese,
    }
}

/// A database failure becomes a page, not a JSON body: the person is on a phone. Only a
/// database out of reach says when to try again; a failing query would fail again, so the
/// form's script must not resend it forever.
fn unavailable(lang: Lang, error: db::DbError) -> HttpResponse {
    if error.is_not_found() {
        return html(StatusCode::NOT_FOUND, survey::not_found_page(lang));
    }
    if error.is_unavailable() {
        tracing::warn!(%error, "survey page: the database is unavailable");
        return retry_after(
            html(StatusCode::SERVICE_UNAVAILABLE, survey::unavailable_page(lang)),
            RETRY_WHEN_UNAVAILABLE_SECS,
        );
    }
    tracing::error!(%error, "survey page failed");
    html(StatusCode::INTERNAL_SERVER_ERROR, survey::failed_page(lang))
}

/// Tells the client (and the form's script) when to send again.
fn retry_after(mut response: HttpResponse, seconds: u64) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

#[get("/s/{code}")]
async fn show_form(state: web::Data<AppState>, code: web::Path<String>, query: web::Query<LangQuery>) -> HttpResponse {
    let lang = Lang::from_param(query.lang.as_deref());
    let key = EventKey::Code(code.into_inner());
    let forms = state.forms.clone();
    match db::run(&state.pool, move |conn| Survey::load(conn, &forms, &key)).await {
        Ok(survey) => match survey.refusal() {
            None => html(
                StatusCode::OK,
                render_form(&survey, lang, Uuid::new_v4(), &FormValues::new(), &[]),
            ),
            Some(refusal) => html(
                StatusCode::GONE,
                survey::refused_page(
                    lang,
                    in_language(lang, &survey.event.title, survey.event.title_en.as_deref()),
                    refusal,
                ),
            ),
        },
        Err(error) => unavailable(lang, error),
    }
}

#[post("/s/{code}")]
async fn send_form(
    state: web::Data<AppState>,
    request: HttpRequest,
    code: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let limited = state.submissions.check_request(&request).err();
    let posted = PostedForm::parse(&body);
    let lang = posted.lang;
    let code = code.into_inner();
    let key = EventKey::Code(code.clone());
    let values = posted.values.clone();
    let forms = state.forms.clone();
    let result = db::run(&state.pool, move |conn| {
        let survey = Survey::load(conn, &forms, &key)?;
        let raw = raw_answers(&survey.form.definition, &values);
        // Without its id a send could not be told from a resend: show the answers again, with
        // a new id, rather than store them under a made-up one.
        let not_now = |problem| {
            Submission::Invalid(vec![FieldError {
                field: "submission_id".to_owned(),
                problem,
            }])
        };
        let submission = match (posted.submission_id, survey.refusal()) {
            (_, None) if limited.is_some() => not_now(Problem::Busy),
            (Some(id), _) => survey.submit(conn, Entry::PHONE, id, &raw)?,
            (None, Some(refusal)) => Submission::Refused(refusal),
            (None, None) => not_now(Problem::NotSent),
        };
        Ok((survey, submission))
    })
    .await;
    if let Ok((_, submission)) = &result {
        state.metrics.count_submission(submission);
    }
    match result {
        Ok((_, Submission::Stored(outcome))) => {
            let already = !matches!(outcome, SubmitOutcome::Created(_));
            // Post/redirect/get: reloading the thank-you page cannot resend the answers.
            let location = format!(
                "/s/{code}/thanks?lang={}{}",
                lang.code(),
                if already { "&already=1" } else { "" }
            );
            HttpResponse::SeeOther().insert_header(("Location", location)).finish()
        }
        Ok((survey, Submission::Refused(refusal))) => html(
            StatusCode::GONE,
            survey::refused_page(
                lang,
                in_language(lang, &survey.event.title, survey.event.title_en.as_deref()),
                refusal,
            ),
        ),
        Ok((survey, Submission::Invalid(errors))) => {
            let page = render_form(
                &survey,
                lang,
                posted.submission_id.unwrap_or_else(Uuid::new_v4),
                &posted.values,
                &errors,
            );
            match limited {
                Some(seconds) => retry_after(html(StatusCode::TOO_MANY_REQUESTS, page), seconds),
                None => html(StatusCode::UNPROCESSABLE_ENTITY, page),
            }
        }
        Err(error) => unavailable(lang, error),
    }
}

#[derive(Deserialize)]
struct ThanksQuery {
    lang: Option<String>,
    already: Option<String>,
}

#[get("/s/{code}/thanks")]
async fn thanks(code: web::Path<String>, query: web::Query<ThanksQuery>) -> HttpResponse {
    let lang = Lang::from_param(query.lang.as_deref());
    html(
        StatusCode::OK,
        survey::thanks_page(lang, query.already.is_some(), &code),
    )
}

/// A form-encoded body. Checkboxes repeat their name, so values are lists.
pub struct PostedForm {
    pub lang: Lang,
    /// `None` when missing or not a UUID.
    pub submission_id: Option<Uuid>,
    pub values: FormValues,
}

impl PostedForm {
    pub fn parse(body: &[u8]) -> Self {
        let mut lang = None;
        let mut submission_id = None;
        let mut values = FormValues::new();
        for (name, value) in form_urlencoded::parse(body) {
            match name.as_ref() {
                "lang" => lang = Some(value.into_owned()),
                "submission_id" => submission_id = Uuid::parse_str(&value).ok(),
                other => {
                    if let Some(id) = other.strip_prefix(ANSWER_PREFIX) {
                        values.entry(id.to_owned()).or_default().push(value.into_owned());
                    }
                }
            }
        }
        Self {
            lang: Lang::from_param(lang.as_deref()),
            // A page without its hidden id still deserves to be saved; it just cannot be deduplicated.
            submission_id,
            values,
        }
    }
}

/// Turns the browser's strings into the JSON shape the API takes, so both share one validation.
pub fn raw_answers(form: &FormDefinition, values: &FormValues) -> Map<String, Value> {
    let mut raw = Map::new();
    for question in &form.questions {
        let Some(given) = values.get(&question.id) else {
            continue;
        };
        let first = given.first().map(|text| text.trim()).unwrap_or("");
        let value = match &question.kind {
            QuestionKind::MultiChoice { .. } => Value::Array(
                given
                    .iter()
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.clone()))
                    .collect(),
            ),
            QuestionKind::Scale { .. } | QuestionKind::Number { .. } => {
                let digits = to_ascii_digits(first);
                match digits.parse::<i64>() {
                    Ok(number) => Value::from(number),
                    Err(_) if digits.is_empty() => Value::Null,
                    Err(_) => Value::String(first.to_owned()),
                }
            }
            QuestionKind::SingleChoice { .. } | QuestionKind::Agency { .. } | QuestionKind::Text { .. } => {
                Value::String(given.first().cloned().unwrap_or_default())
            }
        };
        raw.insert(question.id.clone(), value);
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_become_ascii() {
        assert_eq!(to_ascii_digits("１２"), "12");
        assert_eq!(to_ascii_digits("－３"), "-3");
        assert_eq!(to_ascii_digits("abc"), "abc");
    }

    #[test]
    fn repeated_names_collect_into_lists() {
        let posted = PostedForm::parse(b"lang=en&q.heard_from=sns&q.heard_from=newspaper&q.opinion=a%26b&x=1");
        assert_eq!(posted.lang, Lang::En);
        assert_eq!(posted.values["heard_from"], ["sns", "newspaper"]);
        assert_eq!(posted.values["opinion"], ["a&b"]);
        assert!(!posted.values.contains_key("x"));
    }
}
