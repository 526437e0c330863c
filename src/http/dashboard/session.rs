//! Signing in to the dashboard: an HTTP-only, same-site session cookie; every form the session
//! posts carries its CSRF token.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header::{LOCATION, RETRY_AFTER};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};

use crate::db::sessions::{Session, SESSION_HOURS};
use crate::db::{self, DbError};
use crate::domain::lang::Lang;
use crate::domain::token::Staff;
use crate::http::auth::STAFF;
use crate::http::error::{with_causes, ApiError, RETRY_WHEN_UNAVAILABLE_SECS};
use crate::http::upload_body;
use crate::http::AppState;
use crate::services;

pub const SESSION_COOKIE: &str = "tsunagari_session";
/// Before signing in there is no session to hold a CSRF token, so the login form's token is also
/// set as a cookie and the two must match (a page on another site can set neither).
pub const LOGIN_CSRF_COOKIE: &str = "tsunagari_login_csrf";
/// The language staff chose for the dashboard (Japanese unless it says `en`).
pub const LANG_COOKIE: &str = "tsunagari_lang";
/// Where a researcher lands after signing in.
pub const RESEARCH_HOME: &str = "/research";

/// A signed-in analyst or admin (or, as a [`ReaderSession`], anyone signed in), with the cookie
/// value that names the session.
pub struct StaffSession {
    pub id: String,
    pub session: Session,
    /// The language the pages are drawn in.
    pub lang: Lang,
    /// The page asked for, where switching the language comes back to (a page drawn in answer
    /// to a post comes back to the dashboard's first page).
    pub here: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("not signed in")]
    SignedOut,
    #[error("the form has expired; please try again")]
    BadCsrf,
    #[error("only administrators may do this")]
    AdminOnly,
    /// A researcher's session on a staff page: their own pages are elsewhere.
    #[error("researchers have their own pages")]
    ResearchersPage,
    #[error(transparent)]
    Db(#[from] DbError),
    /// A bug or a broken dependency: logged with its chain of causes.
    #[error("cannot draw the page")]
    Render(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl DashboardError {
    pub fn render(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Render(error.into())
    }
}

/// These answers have no page around them and no session to say the language, so they say it
/// in both.
impl ResponseError for DashboardError {
    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignedOut => HttpResponse::SeeOther()
                .insert_header((LOCATION, "/dashboard/login"))
                .finish(),
            Self::BadCsrf => HttpResponse::Forbidden()
                .content_type("text/plain; charset=utf-8")
                .body("フォームの有効期限が切れました。ページを開き直してもう一度お試しください。\nThe form has expired. Open the page again and retry."),
            Self::ResearchersPage => HttpResponse::SeeOther()
                .insert_header((LOCATION, RESEARCH_HOME))
                .finish(),
            Self::AdminOnly => HttpResponse::Forbidden()
                .content_type("text/plain; charset=utf-8")
                .body("このページは管理者だけが使えます。\nOnly administrators may use this page."),
            Self::Render(source) => {
                tracing::error!(error = %with_causes(source.as_ref()), "dashboard page failed");
                HttpResponse::InternalServerError()
                    .content_type("text/plain; charset=utf-8")
                    .body("ページを表示できませんでした。\nThe page could not be shown.")
            }
            Self::Db(error) if error.is_unavailable() => {
                tracing::warn!(%error, "dashboard: the database is unavailable");
                HttpResponse::ServiceUnavailable()
                    .insert_header((RETRY_AFTER, RETRY_WHEN_UNAVAILABLE_SECS.to_string()))
                    .content_type("text/plain; charset=utf-8")
                    .body("データベースに接続できません。しばらくしてからもう一度お試しください。\nThe database cannot be reached. Please try again shortly.")
            }
            Self::Db(error) => {
                tracing::error!(%error, "dashboard failed");
                HttpResponse::InternalServerError()
                    .content_type("text/plain; charset=utf-8")
                    .body("ページを表示できませんでした。問題が続くときは管理者に連絡してください。\nThe page could not be shown. If it goes on, tell an administrator.")
            }
        }
    }
}

impl StaffSession {
    pub fn require_admin(&self) -> Result<(), DashboardError> {
        match self.session.role {
            crate::domain::token::Role::Admin => Ok(()),
            _ => Err(DashboardError::AdminOnly),
        }
    }

    /// The file of a dashboard form's file input, its CSRF token (sent before the file) checked
    /// before the file is read: a forged post is refused unread. `Err` says in the page's language why no
    /// usable file came.
    pub async fn uploaded_file(
        &self,
        request: &HttpRequest,
        payload: web::Payload,
    ) -> Result<Result<Vec<u8>, String>, DashboardError> {
        let admit = |fields: &HashMap<String, String>| self.check_csrf(fields).is_ok();
        let (fields, file) = match upload_body::multipart(request, payload, admit).await {
            Ok(parts) => parts,
            Err(ApiError::Forbidden) => return Err(DashboardError::BadCsrf),
            Err(error) => {
                return Ok(Err(match self.lang {
                    Lang::Ja => format!(
                        "ファイルを受け取れませんでした（{error}）。2 MB 以下の .xlsx ファイルを選んでください。"
                    ),
                    Lang::En => {
                        format!("The file could not be received ({error}). Choose an .xlsx file of at most 2 MB.")
                    }
                }))
            }
        };
        self.check_csrf(&fields)?;
        Ok(file.ok_or_else(|| {
            self.lang
                .pick("ファイルを選んでください。", "Choose a file. ")
                .to_owned()
        }))
    }

    /// Refuses a posted form whose CSRF token is not this session's.
    pub fn check_csrf(&self, fields: &HashMap<String, String>) -> Result<(), DashboardError> {
        match fields.get("csrf") {
            Some(posted) if same_secret(posted, &self.session.csrf_token) => Ok(()),
            _ => Err(DashboardError::BadCsrf),
        }
    }
}

/// A form a signed-in person posted: the session, and the form's fields with its CSRF token
/// checked against the session's before any handler sees them.
pub struct StaffForm {
    pub session: StaffSession,
    pub fields: HashMap<String, String>,
    /// The body as sent, for forms whose fields repeat (checkboxes).
    pub body: web::Bytes,
}

impl FromRequest for StaffForm {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let session = StaffSession::from_request(request, &mut actix_web::dev::Payload::None);
        let body = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            let session = session.await?;
            let body = body.await?;
            let fields = super::form_fields(&body);
            session.check_csrf(&fields)?;
            Ok(Self { session, fields, body })
        })
    }
}

/// Compares in time independent of where the strings differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The dashboard's language as the request's cookie says.
pub fn lang_of(request: &HttpRequest) -> Lang {
    Lang::from_param(request.cookie(LANG_COOKIE).as_ref().map(Cookie::value))
}

fn page_path(request: &HttpRequest) -> String {
    if request.method() == actix_web::http::Method::GET {
        request
            .uri()
            .path_and_query()
            .map_or("/dashboard", |path| path.as_str())
            .to_owned()
    } else {
        "/dashboard".to_owned()
    }
}

/// The session the request's cookie names, if it is still valid.
async fn signed_in(request: HttpRequest) -> Result<StaffSession, DashboardError> {
    let id = request.cookie(SESSION_COOKIE).map(|cookie| cookie.value().to_owned());
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let (Some(id), Some(state)) = (id, state) else {
        return Err(DashboardError::SignedOut);
    };
    let lookup = id.clone();
    let session = db::run(&state.pool, move |conn| services::sessions::find(conn, &lookup))
        .await?
        .ok_or(DashboardError::SignedOut)?;
    crate::http::audit_trail::name_actor(&request, session.token_id, session.role);
    Ok(StaffSession {
        id,
        session,
        lang: lang_of(&request),
        here: page_path(&request),
    })
}

impl FromRequest for StaffSession {
    type Error = DashboardError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, DashboardError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let signed_in = signed_in(request).await?;
            if STAFF.contains(&signed_in.session.role) {
                Ok(signed_in)
            } else {
                Err(DashboardError::ResearchersPage)
            }
        })
    }
}

impl StaffSession {
    /// The proof that the session is staff's, for live analyses.
    pub fn staff(&self) -> Result<Staff, DashboardError> {
        Staff::of(self.session.role).ok_or(DashboardError::ResearchersPage)
    }
}

/// Anyone signed in, researchers included, on the researchers' pages.
pub struct ReaderSession(pub StaffSession);

impl FromRequest for ReaderSession {
    type Error = DashboardError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, DashboardError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move { signed_in(request).await.map(Self) })
    }
}

/// A cookie only this site's pages send, never readable by script, and when `secure` only over
/// HTTPS (browsers treat localhost as secure too).
pub fn private_cookie(name: &str, value: String, max_age: CookieDuration, secure: bool) -> Cookie<'static> {
    Cookie::build(name.to_owned(), value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

pub fn session_cookie(id: String, secure: bool) -> Cookie<'static> {
    private_cookie(SESSION_COOKIE, id, CookieDuration::hours(SESSION_HOURS), secure)
}

pub fn expired_cookie(name: &str, secure: bool) -> Cookie<'static> {
    private_cookie(name, String::new(), CookieDuration::ZERO, secure)
}

/// Whether the browser will refuse a `Secure` cookie from this request: it came over plain HTTP
/// to a host other than this machine (the scheme as a proxy reports it, if one does).
pub fn refuses_secure_cookies(request: &HttpRequest) -> bool {
    let info = request.connection_info();
    let host = info.host();
    let name = host
        .rsplit_once(':')
        .filter(|(name, port)| !name.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    info.scheme() == "http" && !["localhost", "127.0.0.1", "[::1]"].contains(&name)
}
