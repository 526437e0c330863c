//! The tokens page (administrators): list, make (the token shown once, never cached) and revoke
//! after a confirmation. Writes go through `services::tokens`, as the command line's do.

use actix_web::http::header::{HeaderValue, CACHE_CONTROL};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use super::session::{DashboardError, StaffSession};
use super::{chrome, form_fields, html, see_other};
use crate::db;
use crate::db::tokens::TokenRecord;
use crate::domain::lang::Lang;
use crate::domain::token::Role;
use crate::http::AppState;
use crate::pages::tokens::{revoke_page, tokens_page, TokenForm};
use crate::services::tokens::{self, Issued};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page)
        .service(create)
        .service(confirm_revoke)
        .service(revoke);
}

#[derive(serde::Deserialize)]
struct Notice {
    revoked: Option<String>,
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    form: &TokenForm<'_>,
) -> Result<HttpResponse, DashboardError> {
    let list = db::run(&state.pool, tokens::list).await?;
    let mut response = html(status, tokens_page(&chrome(session), &list, form));
    // A token just made must not stay in a cache or the browser's history.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[get("/dashboard/tokens")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Notice>,
) -> Result<HttpResponse, DashboardError> {
    session.require_admin()?;
    let notice = query.revoked.as_deref().map(|name| match session.lang {
        Lang::Ja => format!("{name} のトークンを失効させました。"),
        Lang::En => format!("{name}'s token revoked."),
    });
    let form = TokenForm {
        role: Role::Analyst.as_str(),
        notice: notice.as_deref(),
        ..TokenForm::default()
    };
    render(&state, &session, StatusCode::OK, &form).await
}

#[post("/dashboard/tokens")]
async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    session.require_admin()?;
    let fields = form_fields(&body);
    session.check_csrf(&fields)?;
    let name = fields.get("name").map_or("", String::as_str);
    let role_text = fields.get("role").map_or("", String::as_str);
    let Some(role) = Role::parse(role_text) else {
        let form = TokenForm {
            name,
            role: Role::Analyst.as_str(),
            name_error: Some(l.pick("役割を選んでください。", "Choose a role. ")),
            ..TokenForm::default()
        };
        return render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, &form).await;
    };
    let typed = name.to_owned();
    let issued = db::run(&state.pool, move |conn| tokens::issue(conn, role, &typed)).await?;
    match issued {
        Ok(Issued { record, token }) => {
            let form = TokenForm {
                role: role.as_str(),
                issued: Some((&record, &token)),
                ..TokenForm::default()
            };
            render(&state, &session, StatusCode::CREATED, &form).await
        }
        Err(invalid) => {
            let message = match invalid.code {
                "missing" => l.pick("名前を入力してください。", "Enter a name. "),
                _ => l.pick(
                    "名前は1行、100文字までで入力してください。",
                    "The name is one line of at most 100 characters. ",
                ),
            };
            let form = TokenForm {
                name,
                role: role.as_str(),
                name_error: Some(message),
                ..TokenForm::default()
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, &form).await
        }
    }
}

/// The live token `id`, if there is one.
async fn live_token(state: &AppState, id: &str) -> Result<Option<TokenRecord>, DashboardError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    let list = db::run(&state.pool, tokens::list).await?;
    Ok(list
        .into_iter()
        .find(|token| token.id == id && token.revoked_at.is_none()))
}

fn no_such_token(l: Lang) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(l.pick(
            "そのトークンはないか、すでに失効しています。",
            "That token does not exist or is revoked already. ",
        ))
}

#[get("/dashboard/tokens/{id}/revoke")]
async fn confirm_revoke(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    session.require_admin()?;
    Ok(match live_token(&state, &id).await? {
        Some(token) => {
            let is_own = token.id == session.session.token_id;
            html(StatusCode::OK, revoke_page(&chrome(&session), &token, is_own))
        }
        None => no_such_token(l),
    })
}

#[post("/dashboard/tokens/{id}/revoke")]
async fn revoke(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    session.require_admin()?;
    session.check_csrf(&form_fields(&body))?;
    let Some(token) = live_token(&state, &id).await? else {
        return Ok(no_such_token(l));
    };
    let token_id = token.id;
    db::run(&state.pool, move |conn| tokens::revoke(conn, token_id)).await?;
    if token_id == session.session.token_id {
        return Ok(see_other("/dashboard/login"));
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("revoked", &token.name)
        .finish();
    Ok(see_other(&format!("/dashboard/tokens?{query}")))
}
