use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other};
use crate::db;
use crate::db::agencies::InUse;
use crate::domain::agency::{Agency, AgencyBody, AgencyName};
use crate::domain::lang::Lang;
use crate::domain::validation::ValidationError;
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
    let l = session.lang;
    let field = |name: &str| fields.get(name).map_or("", |value| value.trim());
    let (slug, name_ja, name_en, kind) = (field("slug"), field("name_ja"), field("name_en"), field("kind"));
    let body = AgencyBody {
        name: AgencyName {
            ja: name_ja.to_owned(),
            en: (!name_en.is_empty()).then(|| name_en.to_owned()),
        },
        kind: kind.to_owned(),
    };
    match Agency::from_body(slug, body) {
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
                Some(field_message(l, &invalid)),
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
        Err(error) if error.is_not_found() => {
            l.pick("その機関はすでにありません。", "That agency no longer exists.")
        }
        Err(error) => return Err(error.into()),
        Ok(Err(InUse::Publicity)) => l.pick(
            "イベントの広報記録に使われているため削除できません。先に広報記録を削除してください。",
            "It cannot be deleted: events' publicity records name it. Delete those records first.",
        ),
        Ok(Err(InUse::Answers)) => l.pick(
            "参加者が紹介元として選んでいるため削除できません（回答の意味が失われるため）。",
            "It cannot be deleted: attendees named it as the agency that referred them (their answers would lose their meaning).",
        ),
    };
    render(&state, &session, StatusCode::CONFLICT, [""; 4], Some(refusal), None).await
}

/// A refusal in staff's words, in the page's language; the API keeps its own messages.
fn field_message(l: Lang, invalid: &ValidationError) -> &'static str {
    match invalid.top_field() {
        "slug" => l.pick(
            "識別子は半角英小文字・数字・ハイフン・下線で、64文字までです。",
            "The identifier is lower-case letters, digits, hyphens and underscores, at most 64.",
        ),
        "kind" => l.pick("種別を選んでください。", "Choose a kind."),
        _ => l.pick(
            "名前を200文字までで入力してください（英語名は任意）。",
            "Enter a name of at most 200 characters (the English one is optional).",
        ),
    }
}
