use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other};
use crate::db;
use crate::db::events::EventRecord;
use crate::db::notes::StoredNote;
use crate::domain::lang::Lang;
use crate::domain::meeting_note::{NewNote, NoteBody, NoteChanges, NoteChangesBody};
use crate::http::AppState;
use crate::pages::notes::{delete_note_page, note_edit_page, notes_page};
use crate::services;
use crate::services::notes;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page)
        .service(add)
        .service(confirm_delete)
        .service(delete)
        .service(edit)
        .service(save);
}

fn not_found(l: Lang) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(l.pick("そのイベントはありません。", "No such event. "))
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    event_id: Uuid,
    status: StatusCode,
    typed: &str,
    error: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let found = db::run(&state.pool, move |conn| {
        Ok((
            services::events::find(conn, event_id)?,
            notes::of_event(conn, event_id)?,
        ))
    })
    .await;
    match found {
        Ok((event, notes)) => Ok(html(status, notes_page(&chrome(session), &event, &notes, typed, error))),
        Err(error) if error.is_not_found() => Ok(not_found(l)),
        Err(error) => Err(error.into()),
    }
}

#[get("/dashboard/events/{id}/notes")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let Ok(event_id) = Uuid::parse_str(&id) else {
        return Ok(not_found(l));
    };
    render(&state, &session, event_id, StatusCode::OK, "", None).await
}

#[post("/dashboard/events/{id}/notes")]
async fn add(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let Ok(event_id) = Uuid::parse_str(&id) else {
        return Ok(not_found(l));
    };
    let text = fields.get("text").map_or("", String::as_str);
    let speaker_role = fields.get("speaker_role").filter(|role| !role.is_empty()).cloned();
    match NewNote::from_body(NoteBody {
        text: text.to_owned(),
        speaker_role,
    }) {
        Ok(note) => {
            let stored = db::run(&state.pool, move |conn| notes::add(conn, event_id, &note)).await;
            match stored {
                Ok(_) => Ok(see_other(&format!("/dashboard/events/{event_id}/notes"))),
                Err(error) if error.is_not_found() => Ok(not_found(l)),
                Err(error) => Err(error.into()),
            }
        }
        Err(invalid) => {
            let message = match l {
                Lang::Ja => format!("記録を確かめてください（{}）。", invalid.message),
                Lang::En => format!("Check the note ({}).", invalid.message),
            };
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

/// The event and its note named by a path, if both exist.
async fn find_note(
    state: &AppState,
    path: (String, String),
) -> Result<Option<(EventRecord, StoredNote)>, DashboardError> {
    let (Ok(event_id), Ok(note_id)) = (Uuid::parse_str(&path.0), Uuid::parse_str(&path.1)) else {
        return Ok(None);
    };
    let found = db::run(&state.pool, move |conn| {
        Ok((
            services::events::find(conn, event_id)?,
            notes::of_event(conn, event_id)?,
        ))
    })
    .await;
    match found {
        Ok((event, notes)) => Ok(notes
            .into_iter()
            .find(|note| note.id == note_id)
            .map(|note| (event, note))),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

#[get("/dashboard/events/{id}/notes/{note}")]
async fn edit(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    Ok(match find_note(&state, path.into_inner()).await? {
        Some((event, note)) => html(
            StatusCode::OK,
            note_edit_page(&chrome(&session), &event, &note, &note.text, None),
        ),
        None => not_found(l),
    })
}

#[post("/dashboard/events/{id}/notes/{note}")]
async fn save(
    state: web::Data<AppState>,
    form: StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let Some((event, note)) = find_note(&state, path.into_inner()).await? else {
        return Ok(not_found(l));
    };
    let text = fields.get("text").map_or("", String::as_str);
    let role = fields.get("speaker_role").filter(|role| !role.is_empty()).cloned();
    match NoteChanges::from_body(NoteChangesBody {
        text: Some(Some(text.to_owned())),
        speaker_role: Some(role),
    }) {
        Ok(changes) => {
            let (event_id, note_id) = (event.id, note.id);
            db::run(&state.pool, move |conn| {
                notes::update(conn, event_id, note_id, &changes)
            })
            .await?;
            Ok(see_other(&format!("/dashboard/events/{event_id}/notes")))
        }
        Err(_) => {
            let message = l.pick(
                "出た意見を5000文字までで入力してください。",
                "Enter the opinion voiced, at most 5000 characters. ",
            );
            let refused = note_edit_page(&chrome(&session), &event, &note, text, Some(message));
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, refused))
        }
    }
}

#[get("/dashboard/events/{id}/notes/{note}/delete")]
async fn confirm_delete(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    Ok(match find_note(&state, path.into_inner()).await? {
        Some((event, note)) => html(StatusCode::OK, delete_note_page(&chrome(&session), &event, &note)),
        None => not_found(l),
    })
}

#[post("/dashboard/events/{id}/notes/{note}/delete")]
async fn delete(
    state: web::Data<AppState>,
    posted: StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    let l = posted.session.lang;
    let Some((event, note)) = find_note(&state, path.into_inner()).await? else {
        return Ok(not_found(l));
    };
    let (event_id, note_id) = (event.id, note.id);
    db::run(&state.pool, move |conn| notes::delete(conn, event_id, note_id)).await?;
    Ok(see_other(&format!("/dashboard/events/{event_id}/notes")))
}
