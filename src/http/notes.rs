//! Meeting notes of an event: `POST/GET /events/{id}/notes`, `PATCH/DELETE
//! /events/{id}/notes/{nid}` (staff).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use uuid::Uuid;

use super::auth::{Caller, STAFF};
use super::contract::{self, NoteList, NoteView};
use super::error::ApiError;
use super::events::{event_not_found, parse_event_id};
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::meeting_note::{NewNote, NoteBody, NoteChanges, NoteChangesBody};
use crate::services::notes;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(add_note)
        .service(list_notes)
        .service(update_note)
        .service(delete_note);
}

/// The event and note ids of a note's path.
fn note_path(path: (String, String)) -> Result<(Uuid, Uuid), ApiError> {
    let event_id = parse_event_id(&path.0)?;
    let note_id = Uuid::parse_str(&path.1).map_err(|_| ApiError::NotFound("note"))?;
    Ok((event_id, note_id))
}

#[utoipa::path(
    post, path = "/api/v1/events/{id}/notes", tag = "events", request_body = NoteBody,
    params(("id" = Uuid, Path)),
    responses((status = 201, description = "Noted", body = contract::NoteView,
            links(
                ("ListNotes" = (operation_id = "list_notes", parameters(("id" = "$request.path.id")))),
                ("UpdateNote" = (operation_id = "update_note", parameters(("id" = "$request.path.id"), ("nid" = "$response.body#/id")))),
                ("DeleteNote" = (operation_id = "delete_note", parameters(("id" = "$request.path.id"), ("nid" = "$response.body#/id")))),
            )),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/events/{id}/notes")]
async fn add_note(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let event_id = parse_event_id(&id)?;
    let note = NewNote::parse(body.into_inner().0)?;
    let stored = db::run(&state.pool, move |conn| notes::add(conn, event_id, &note))
        .await
        .map_err(event_not_found)?;
    Ok(HttpResponse::Created().json(NoteView::from(&stored)))
}

#[utoipa::path(
    get, path = "/api/v1/events/{id}/notes", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 200, description = "What was said at the event, in the order noted", body = contract::NoteList),
        (status = 404, description = "No such event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events/{id}/notes")]
async fn list_notes(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let event_id = parse_event_id(&id)?;
    let notes = db::run(&state.pool, move |conn| notes::of_event(conn, event_id))
        .await
        .map_err(event_not_found)?;
    Ok(HttpResponse::Ok().json(NoteList {
        notes: notes.iter().map(NoteView::from).collect(),
    }))
}

#[utoipa::path(
    patch, path = "/api/v1/events/{id}/notes/{nid}", tag = "events", request_body = NoteChangesBody,
    params(("id" = Uuid, Path), ("nid" = Uuid, Path)),
    responses((status = 200, description = "The changed note", body = contract::NoteView),
        (status = 404, description = "No such note of this event", body = contract::ErrorBody),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[patch("/events/{id}/notes/{nid}")]
async fn update_note(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let (event_id, note_id) = note_path(path.into_inner())?;
    let changes = NoteChanges::parse(body.into_inner().0)?;
    let stored = db::run(&state.pool, move |conn| {
        notes::update(conn, event_id, note_id, &changes)
    })
    .await
    .map_err(ApiError::not_found_as("note"))?;
    Ok(HttpResponse::Ok().json(NoteView::from(&stored)))
}

#[utoipa::path(
    delete, path = "/api/v1/events/{id}/notes/{nid}", tag = "events", params(("id" = Uuid, Path), ("nid" = Uuid, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 404, description = "No such note of this event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[delete("/events/{id}/notes/{nid}")]
async fn delete_note(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let (event_id, note_id) = note_path(path.into_inner())?;
    db::run(&state.pool, move |conn| notes::delete(conn, event_id, note_id))
        .await
        .map_err(ApiError::not_found_as("note"))?;
    Ok(HttpResponse::NoContent().finish())
}
