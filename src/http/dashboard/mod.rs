//! The analysts' dashboard: server-rendered pages behind a session cookie.

mod agencies;
mod audit;
mod breakdown;
mod codebooks;
mod coding;
mod event_editor;
mod events;
mod forms;
mod notes;
mod opinions;
mod outreach;
mod paper;
mod plans;
mod programme;
mod reports;
mod research;
pub mod session;
mod text_tools;
mod tokens;
mod waves;

use std::collections::HashMap;

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use maud::Markup;
use serde_json::{json, Value};

use self::session::{
    expired_cookie, lang_of, private_cookie, refuses_secure_cookies, same_secret, session_cookie, DashboardError,
    ReaderSession, StaffSession, LANG_COOKIE, LOGIN_CSRF_COOKIE, RESEARCH_HOME, SESSION_COOKIE,
};
use super::{html_page, AppState};
use crate::db;
use crate::db::forms::StoredForm;
use crate::domain::event_column::EventColumn;
use crate::domain::form::{FormDefinition, ATTRIBUTE_QUESTIONS};
use crate::domain::lang::Lang;
use crate::domain::query_params::QueryParams;
use crate::domain::release_request::ReleaseRequest;
use crate::domain::token::generate_token;
use crate::domain::validation::{to_ascii_digits, ValidationError};
use crate::http::auth::{AGGREGATE_READERS, STAFF};
use crate::pages::dashboard::{self, Chrome, Pick};
use crate::services;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home)
        .service(login_form)
        .service(login)
        .service(logout)
        .service(switch_language)
        .configure(events::configure)
        .configure(event_editor::configure)
        .configure(breakdown::configure)
        .configure(reports::configure)
        .configure(opinions::configure)
        .configure(outreach::configure)
        .configure(agencies::configure)
        .configure(forms::configure)
        .configure(coding::configure)
        .configure(notes::configure)
        .configure(audit::configure)
        .configure(tokens::configure)
        .configure(plans::configure)
        .configure(programme::configure)
        .configure(waves::configure)
        .configure(codebooks::configure)
        .configure(paper::configure)
        .configure(text_tools::configure)
        .configure(research::configure);
}

/// Dashboard pages have no script at all; the poster's QR code is inline SVG; the only frame is
/// the preview of a phone form, from here.
const DASHBOARD_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                             frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn html(status: StatusCode, page: Markup) -> HttpResponse {
    html_page(status, page, "same-origin", DASHBOARD_CSP)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location.to_owned()))
        .finish()
}

/// A number as staff type it (全角, 1,500円); what is not a number stays text for the parser to name.
pub fn typed_number(text: &str) -> Value {
    let digits: String = to_ascii_digits(text)
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '円' | ' '))
        .collect();
    digits.parse::<i64>().map_or_else(|_| json!(text), |n| json!(n))
}

/// A form's fields as typed, trimmed, without its CSRF token: what a refused form shows again.
pub fn typed_fields(fields: &HashMap<String, String>) -> HashMap<String, String> {
    fields
        .iter()
        .filter(|(name, _)| name.as_str() != "csrf")
        .map(|(name, value)| (name.clone(), value.trim().to_owned()))
        .collect()
}

/// A form body as name to value (a repeated name keeps its last value).
pub fn form_fields(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

pub fn chrome(session: &StaffSession) -> Chrome<'_> {
    Chrome {
        lang: session.lang,
        here: &session.here,
        csrf: &session.session.csrf_token,
        signed_in_as: &session.session.token_name,
        is_admin: session.session.role == crate::domain::token::Role::Admin,
    }
}

/// Sets the dashboard's language and goes back to the page it was switched on: only a path of
/// this site, as the page's own link writes it (percent-encoded, printable ASCII), so `back`
/// never leads elsewhere nor breaks the header it goes into.
#[get("/dashboard/language/{code}")]
async fn switch_language(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let lang = Lang::from_param(Some(code.as_str()));
    let back = query
        .get("back")
        .filter(|back| {
            back.starts_with('/') && !back.starts_with("//") && back.chars().all(|c| c.is_ascii_graphic() && c != '\\')
        })
        .map_or("/dashboard", String::as_str);
    let mut response = see_other(back);
    let year = CookieDuration::days(365);
    let _ = response.add_cookie(&private_cookie(
        LANG_COOKIE,
        lang.code().to_owned(),
        year,
        state.secure_cookies,
    ));
    response
}

#[get("/dashboard")]
async fn home(_session: StaffSession) -> HttpResponse {
    see_other("/dashboard/events")
}

/// The sign-in form; over plain HTTP with secure cookies it says why signing in cannot work
/// (the browser would drop every cookie) rather than fail as an expired form.
fn login_page(state: &AppState, request: &HttpRequest, status: StatusCode, error: Option<&str>) -> HttpResponse {
    let csrf = generate_token();
    let unencrypted = state.secure_cookies && refuses_secure_cookies(request);
    let l = lang_of(request);
    let error = if unencrypted {
        Some(l.pick(UNENCRYPTED, UNENCRYPTED_EN))
    } else {
        error
    };
    let mut response = html(status, dashboard::login_page(l, &csrf, error));
    // Fails only on an invalid cookie, which this one is not.
    let _ = response.add_cookie(&private_cookie(
        LOGIN_CSRF_COOKIE,
        csrf,
        CookieDuration::hours(1),
        state.secure_cookies,
    ));
    response
}

const UNENCRYPTED: &str = "この接続は暗号化されていない（http://）ため、ブラウザーがサインイン情報を保存できず、\
     サインインできません。https:// で始まるアドレスで開いてください。";
const UNENCRYPTED_EN: &str = "This connection is not encrypted (http://), so the browser cannot keep the sign-in and \
     signing in cannot work. Open the address that starts with https://.";

#[get("/dashboard/login")]
async fn login_form(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    login_page(&state, &request, StatusCode::OK, None)
}

#[post("/dashboard/login")]
async fn login(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let l = lang_of(&request);
    let fields = form_fields(&body);
    let expected = request.cookie(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
    let csrf_ok =
        matches!((fields.get("csrf"), &expected), (Some(posted), Some(expected)) if same_secret(posted, expected));
    if !csrf_ok {
        return Ok(login_page(
            &state,
            &request,
            StatusCode::FORBIDDEN,
            Some(l.pick(
                "フォームの有効期限が切れました。もう一度入力してください。",
                "The form has expired. Please enter it again. ",
            )),
        ));
    }
    let token = fields.get("token").map(|t| t.trim().to_owned()).unwrap_or_default();
    if token.is_empty() {
        return Ok(login_page(
            &state,
            &request,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(l.pick("API トークンを入力してください。", "Enter your API token. ")),
        ));
    }
    let started = db::run(&state.pool, move |conn| {
        services::sessions::sign_in(conn, &token, AGGREGATE_READERS)
    })
    .await?;
    let Some((id, session)) = started else {
        return Ok(login_page(
            &state,
            &request,
            StatusCode::UNAUTHORIZED,
            Some(l.pick("このトークンではサインインできません。有効なトークンか確かめてください（失効したトークンは使えません）。", "This token cannot sign in. Check that it is valid (revoked tokens do not work). ")),
        ));
    };
    crate::http::audit_trail::name_actor(&request, session.token_id, session.role);
    let landing = if STAFF.contains(&session.role) {
        "/dashboard/events"
    } else {
        RESEARCH_HOME
    };
    let mut response = see_other(landing);
    let _ = response.add_cookie(&session_cookie(id, state.secure_cookies));
    let _ = response.add_cookie(&expired_cookie(LOGIN_CSRF_COOKIE, state.secure_cookies));
    Ok(response)
}

#[post("/dashboard/logout")]
async fn logout(
    state: web::Data<AppState>,
    session: ReaderSession,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let ReaderSession(session) = session;
    session.check_csrf(&form_fields(&body))?;
    let id = session.id.clone();
    db::run(&state.pool, move |conn| services::sessions::sign_out(conn, &id)).await?;
    let mut response = see_other("/dashboard/login");
    let _ = response.add_cookie(&expired_cookie(SESSION_COOKIE, state.secure_cookies));
    Ok(response)
}

/// The release a download's query asks for as `reader` (an empty box asks for no filter).
pub fn release_request(
    state: &AppState,
    mut query: HashMap<String, String>,
    reader: crate::domain::token::Role,
) -> Result<ReleaseRequest, ValidationError> {
    query.retain(|_, value| !value.trim().is_empty());
    let mut params = QueryParams::new(query);
    let request = ReleaseRequest::parse(&mut params, reader, state.min_cell, state.release_delay_days)?;
    params.finish()?;
    Ok(request)
}

/// The forms as choices for a picker.
pub fn form_picks(l: Lang, forms: &[StoredForm]) -> Vec<Pick> {
    forms
        .iter()
        .map(|f| (f.definition.slug.clone(), f.definition.title.get(l).to_owned()))
        .collect()
}

/// What a form's answers can be grouped by: the shared attributes, any single-choice question and
/// the event's fiscal year, kind or the event itself.
pub fn attribute_picks(l: Lang, form: Option<&FormDefinition>) -> Vec<Pick> {
    form.map(|form| {
        form.questions
            .iter()
            .filter(|q| ATTRIBUTE_QUESTIONS.contains(&q.id.as_str()) || q.kind.is_single_choice())
            .map(|q| (q.id.clone(), q.label.get(l).to_owned()))
            .chain(
                EventColumn::ALL
                    .into_iter()
                    .map(|column| (column.id().to_owned(), column.label().get(l).to_owned())),
            )
            .collect()
    })
    .unwrap_or_default()
}
