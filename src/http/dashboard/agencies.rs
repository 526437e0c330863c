use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::json;

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other};
use crate::db;
use crate::db::agencies::InUse;
use crate::domain::agency::Agency;
use crate::http::AppState;
use crate::pages::agencies::{agencies_page, AgenciesView};
use crate::services;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(save).service(delete);
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    typed: [&str; 4],
    error: Option<&str>,
    saved: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let agencies = db::run(&state.pool, services::agencies::list).await?;
    let view = AgenciesView {
        agencies: &agencies,
        typed,
        error,
        saved,
    };
    Ok(html(status, agencies_page(&chrome(session), &view)))
}

#[get("/dashboard/agencies")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    render(&state, &session, StatusCode::OK, [""; 4], None, query.saved.as_deref()).await
}

#[post("/dashboard/agencies")]
async fn save(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let StaffForm { session, fields, .. } = form;
    let field = |name: &str| fields.get(name).map_or("", |value| value.trim());
    let (slug, name_ja, name_en, kind) = (field("slug"), field("name_ja"), field("name_en"), field("kind"));
    let mut name = json!({"ja": name_ja});
    if !name_en.is_empty() {
        name["en"] = json!(name_en);
    }
    match Agency::parse(slug, json!({"name": name, "kind": kind})) {
        Ok(agency) => {
            db::run(&state.pool, move |conn| services::agencies::put(conn, &agency)).await?;
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("saved", name_ja)
                .finish();
            Ok(see_other(&format!("/dashboard/agencies?{query}")))
        }
        Err(invalid) => {
            let typed = [slug, name_ja, name_en, kind];
            render(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                typed,
                Some(&invalid.message),
                None,
            )
            .await
        }
    }
}

#[post("/dashboard/agencies/{slug}/delete")]
async fn delete(
    state: web::Data<AppState>,
    form: StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, .. } = form;
    let deleted = db::run(&state.pool, move |conn| services::agencies::delete(conn, &slug)).await;
    let refusal = match deleted {
        Ok(Ok(())) => return Ok(see_other("/dashboard/agencies")),
        Err(error) if error.is_not_found() => l.pick("その機関はすでにありません。", "That agency no longer exists. ") ,
        Err(error) => return Err(error.into()),
        Ok(Err(InUse::Publicity)) => {
            l.pick("イベントの広報記録に使われているため削除できません。先に広報記録を削除してください。", "It cannot be deleted: events' publicity records name it. Delete those records first. ") 
        }
        Ok(Err(InUse::Answers)) => l.pick("参加者が紹介元として選んでいるため削除できません（回答の意味が失われるため）。", "It cannot be deleted: attendees named it as the agency that referred them (their answers would lose their meaning). ") ,
    };
    render(&state, &session, StatusCode::CONFLICT, [""; 4], Some(refusal), None).await
}
