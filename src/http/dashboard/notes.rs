use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use super::session::{DashboardError, StaffSession};
use super::{chrome, form_fields, html, see_other};
use crate::db;
use crate::domain::meeting_note::NewNote;
use crate::http::AppState;
use crate::pages::notes::notes_page;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(add);
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("そのイベントはありません。")
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    event_id: Uuid,
    status: StatusCode,
    typed: &str,
    error: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let found = db::run(&state.pool, move |conn| {
        Ok((db::events::find(conn, event_id)?, db::notes::of_event(conn, event_id)?))
    })
    .await;
    match found {
        Ok((event, notes)) => Ok(html(status, notes_page(&chrome(session), &event, &notes, typed, error))),
        Err(error) if error.is_not_found() => Ok(not_found()),
        Err(error) => Err(error.into()),
    }
}

#[get("/dashboard/events/{id}/notes")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Ok(event_id) = Uuid::parse_str(&id) else {
        return Ok(not_found());
    };
    render(&state, &session, event_id, StatusCode::OK, "", None).await
}

#[post("/dashboard/events/{id}/notes")]
async fn add(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let fields = form_fields(&body);
    session.check_csrf(&fields)?;
    let Ok(event_id) = Uuid::parse_str(&id) else {
        return Ok(not_found());
    };
    let text = fields.get("text").map_or("", String::as_str);
    let mut note = json!({"text": text});
    if let Some(role) = fields.get("speaker_role").filter(|role| !role.is_empty()) {
        note["speaker_role"] = json!(role);
    }
    match NewNote::parse(note) {
        Ok(note) => {
            let stored = db::run(&state.pool, move |conn| {
                db::events::form_version_of(conn, event_id)?;
                db::notes::insert(conn, event_id, &note)
            })
            .await;
            match stored {
                Ok(_) => Ok(see_other(&format!("/dashboard/events/{event_id}/notes"))),
                Err(error) if error.is_not_found() => Ok(not_found()),
                Err(error) => Err(error.into()),
            }
        }
        Err(invalid) => {
            let message = format!("記録を確かめてください（{}）。", invalid.message);
            render(
                &state,
                &session,
                event_id,
                StatusCode::UNPROCESSABLE_ENTITY,
                text,
                Some(&message),
            )
            .await
        }
    }
}
