use std::collections::HashMap;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::auth::{Caller, STAFF};
use super::contract::{self, EventList, EventView};
use super::error::ApiError;
use super::json_body::StrictJson;
use super::AppState;
use crate::db::{self, events::EventFilter, events::EventRecord};
use crate::domain::event::{any_kind, refusal, EventChanges, EventChangesBody, NewEvent, NewEventBody};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::query_params::QueryParams;
use crate::domain::response_filter::{fiscal_year_param, kind_param};
use crate::domain::validation::ValidationError;
use crate::pages::qr;
use crate::services;
use crate::services::{event_creation, event_editing};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_event)
        .service(list_events)
        .service(get_event)
        .service(update_event)
        .service(delete_event)
        .service(qr_svg)
        .service(qr_png);
}

pub fn event_view(state: &AppState, event: &EventRecord) -> EventView {
    EventView {
        id: event.id,
        code: event.code.clone(),
        kind: event.kind.clone(),
        title: event.title.clone(),
        theme: event.theme.clone(),
        venue: event.venue.clone(),
        title_en: event.title_en.clone(),
        venue_en: event.venue_en.clone(),
        format: event.format.clone(),
        speakers: event.speakers.clone(),
        costs: event.costs.clone(),
        notes: event.notes.clone(),
        held_on: event.held_on,
        fiscal_year: FiscalYear::of(event.held_on).0,
        form: event.form.clone(),
        form_version: event.form_version,
        headcount: event.headcount,
        closes_at: event.closes_at,
        is_open: refusal(event.closes_at, event.cancelled_at, Utc::now()).is_none(),
        cancelled: event.cancelled_at.is_some(),
        cancelled_at: event.cancelled_at,
        cancellation_reason: event.cancellation_reason.clone(),
        series_id: event.series_id,
        demo: event.demo,
        response_count: event.response_count,
        survey_url: state.survey_url(&event.code),
        created_at: event.created_at,
        updated_at: event.updated_at,
    }
}

/// Event ids in paths are UUIDs; anything else cannot name an event.
pub fn parse_event_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound("event"))
}

pub fn event_not_found(error: db::DbError) -> ApiError {
    ApiError::not_found_as("event")(error)
}

#[utoipa::path(
    post, path = "/api/v1/events", tag = "events", request_body = NewEventBody,
    responses((status = 201, description = "The event, with its attendees' link", body = contract::EventView,
        links(
            ("GetEvent" = (operation_id = "get_event", parameters(("id" = "$response.body#/id")))),
            ("UpdateEvent" = (operation_id = "update_event", parameters(("id" = "$response.body#/id")))),
            ("SubmitResponse" = (operation_id = "submit_response", parameters(("id" = "$response.body#/id")))),
            ("QrSvg" = (operation_id = "qr_svg", parameters(("id" = "$response.body#/id")))),
            ("QrPng" = (operation_id = "qr_png", parameters(("id" = "$response.body#/id")))),
            ("AddNote" = (operation_id = "add_note", parameters(("id" = "$response.body#/id")))),
            ("ListNotes" = (operation_id = "list_notes", parameters(("id" = "$response.body#/id")))),
            ("AddPublicity" = (operation_id = "add_publicity", parameters(("id" = "$response.body#/id")))),
            ("ListPublicity" = (operation_id = "list_publicity", parameters(("id" = "$response.body#/id")))),
            ("PaperTemplate" = (operation_id = "template", parameters(("id" = "$response.body#/id")))),
            ("SubmitPaperResponse" = (operation_id = "submit_paper_response", parameters(("id" = "$response.body#/id")))),
            ("ImportPaper" = (operation_id = "import", parameters(("id" = "$response.body#/id")))),
            ("DeleteEvent" = (operation_id = "delete_event", parameters(("id" = "$response.body#/id")))),
        )), contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/events")]
async fn create_event(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let new_event = NewEvent::parse(body.into_inner().0)?;
    let event = db::run(&state.pool, move |conn| event_creation::create_event(conn, &new_event)).await??;
    tracing::info!(event = %event.id, kind = %event.kind, "event created");
    Ok(HttpResponse::Created().json(event_view(&state, &event)))
}

/// Which events are listed.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EventListParams {
    #[param(schema_with = any_kind)]
    kind: Option<String>,
    /// The year the fiscal year starts, e.g. 2019 for 令和元年度.
    #[param(value_type = Option<i32>)]
    fiscal_year: Option<String>,
    /// A series id.
    #[param(value_type = Option<Uuid>)]
    series: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/events", tag = "events", params(EventListParams),
    responses((status = 200, description = "Events by date", body = contract::EventList), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events")]
async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    // Other parameters are ignored here.
    let given: EventListParams = QueryParams::new(query.into_inner()).take()?;
    let filter = EventFilter {
        kind: kind_param(given.kind.as_deref())?,
        fiscal_year: fiscal_year_param("fiscal_year", given.fiscal_year.as_deref())?,
        series_id: given
            .series
            .map(|series| {
                Uuid::parse_str(&series)
                    .map_err(|_| ValidationError::new("series", "invalid_value", "series is a series id (a UUID)"))
            })
            .transpose()?,
    };
    let events = db::run(&state.pool, move |conn| services::events::list(conn, &filter)).await?;
    let events = events.iter().map(|event| event_view(&state, event)).collect();
    Ok(HttpResponse::Ok().json(EventList { events }))
}

#[utoipa::path(
    get, path = "/api/v1/events/{id}", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The event", body = contract::EventView),
        (status = 404, description = "No such event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events/{id}")]
async fn get_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let id = parse_event_id(&id)?;
    let event = db::run(&state.pool, move |conn| services::events::find(conn, id))
        .await
        .map_err(event_not_found)?;
    Ok(HttpResponse::Ok().json(event_view(&state, &event)))
}

#[utoipa::path(
    patch, path = "/api/v1/events/{id}", tag = "events", params(("id" = Uuid, Path)),
    request_body = EventChangesBody,
    responses((status = 200, description = "The changed event", body = contract::EventView),
        (status = 404, description = "No such event", body = contract::ErrorBody), contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[patch("/events/{id}")]
async fn update_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let id = parse_event_id(&id)?;
    let changes = EventChanges::parse(body.into_inner().0)?;
    let event = db::run(&state.pool, move |conn| event_editing::update(conn, id, &changes))
        .await
        .map_err(event_not_found)?;
    Ok(HttpResponse::Ok().json(event_view(&state, &event)))
}

#[utoipa::path(
    delete, path = "/api/v1/events/{id}", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted, with its notes and publicity records"),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        (status = 409, description = "It holds responses or researchers' releases count it: cancel it instead", body = contract::ErrorBody),
        contract::CommonErrors, contract::TokenErrors)
)]
#[delete("/events/{id}")]
async fn delete_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let id = parse_event_id(&id)?;
    let deleted = db::run(&state.pool, move |conn| event_editing::delete(conn, id))
        .await
        .map_err(event_not_found)?;
    match deleted {
        Ok(_) => Ok(HttpResponse::NoContent().finish()),
        Err(undeletable) => Err(ApiError::Conflict(undeletable.message().to_owned())),
    }
}

/// The event's link as a QR code, for slides and handouts (posters draw it themselves).
#[utoipa::path(
    get, path = "/api/v1/events/{id}/qr.svg", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The attendees' link as a QR code", content((String = "image/svg+xml"))),
        (status = 404, description = "No such event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events/{id}/qr.svg")]
async fn qr_svg(state: web::Data<AppState>, caller: Caller, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let link = event_link(&state, caller, &id).await?;
    let svg = qr::svg(&link).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().content_type("image/svg+xml").body(svg))
}

#[utoipa::path(
    get, path = "/api/v1/events/{id}/qr.png", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The attendees' link as a QR code", content((Vec<u8> = "image/png"))),
        (status = 404, description = "No such event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events/{id}/qr.png")]
async fn qr_png(state: web::Data<AppState>, caller: Caller, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let link = event_link(&state, caller, &id).await?;
    let png = qr::png(&link, 600).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().content_type("image/png").body(png))
}

async fn event_link(state: &AppState, caller: Caller, id: &str) -> Result<String, ApiError> {
    caller.require(STAFF)?;
    let id = parse_event_id(id)?;
    let event = db::run(&state.pool, move |conn| services::events::find(conn, id))
        .await
        .map_err(event_not_found)?;
    Ok(state.survey_url(&event.code))
}
