//! Publicity records of an event: `POST/GET /events/{id}/publicity`,
//! `DELETE /events/{id}/publicity/{pid}` (staff).

use actix_web::{delete, get, post, web, HttpResponse};
use uuid::Uuid;

use super::auth::{Caller, STAFF};
use super::contract::{self, PublicityList, PublicityView};
use super::error::ApiError;
use super::events::{event_not_found, parse_event_id};
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::publicity::{NewPublicity, PublicityBody, SeriesPlan, SeriesPublicityBody};
use crate::services::publicity;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(add_series_publicity)
        .service(add_publicity)
        .service(list_publicity)
        .service(delete_publicity);
}

#[utoipa::path(
    post, path = "/api/v1/events/{id}/publicity", tag = "events", request_body = PublicityBody,
    params(("id" = Uuid, Path)),
    responses((status = 201, description = "Recorded", body = contract::PublicityView,
            links(
                ("ListPublicity" = (operation_id = "list_publicity", parameters(("id" = "$request.path.id")))),
                ("DeletePublicity" = (operation_id = "delete_publicity", parameters(("id" = "$request.path.id"), ("pid" = "$response.body#/id")))),
            )),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/events/{id}/publicity")]
async fn add_publicity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let event_id = parse_event_id(&id)?;
    let record = NewPublicity::parse(body.into_inner().0)?;
    let stored = db::run(&state.pool, move |conn| publicity::record(conn, event_id, &record))
        .await
        .map_err(event_not_found)??;
    Ok(HttpResponse::Created().json(PublicityView::from(&stored)))
}

#[utoipa::path(
    post, path = "/api/v1/event-series/{id}/publicity", tag = "events", request_body = SeriesPublicityBody,
    params(("id" = Uuid, Path, description = "The series' id")),
    responses((status = 201, description = "One record per event of the series not cancelled", body = contract::PublicityList),
        (status = 404, description = "No such series", body = contract::ErrorBody),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/event-series/{id}/publicity")]
async fn add_series_publicity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let series_id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("series"))?;
    let plan = SeriesPlan::parse(body.into_inner().0)?;
    let stored = db::run(&state.pool, move |conn| {
        publicity::record_for_series(conn, series_id, &plan)
    })
    .await
    .map_err(ApiError::not_found_as("series"))??;
    Ok(HttpResponse::Created().json(PublicityList::of(&stored)))
}

#[utoipa::path(
    get, path = "/api/v1/events/{id}/publicity", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 200, description = "What was done to publicise the event, by date", body = contract::PublicityList),
        (status = 404, description = "No such event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events/{id}/publicity")]
async fn list_publicity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let event_id = parse_event_id(&id)?;
    let records = db::run(&state.pool, move |conn| publicity::of_event(conn, event_id))
        .await
        .map_err(event_not_found)?;
    Ok(HttpResponse::Ok().json(PublicityList::of(&records)))
}

#[utoipa::path(
    delete, path = "/api/v1/events/{id}/publicity/{pid}", tag = "events", params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 404, description = "No such record of this event", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[delete("/events/{id}/publicity/{pid}")]
async fn delete_publicity(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let (event, record) = path.into_inner();
    let event_id = parse_event_id(&event)?;
    let record_id = Uuid::parse_str(&record).map_err(|_| ApiError::NotFound("publicity record"))?;
    db::run(&state.pool, move |conn| publicity::delete(conn, event_id, record_id))
        .await
        .map_err(ApiError::not_found_as("publicity record"))?;
    Ok(HttpResponse::NoContent().finish())
}
