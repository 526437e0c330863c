//! The agencies list: `PUT/GET/DELETE /agencies/{slug}`, `GET /agencies` (staff).

use actix_web::{delete, get, put, web, HttpResponse};

use super::auth::{Caller, STAFF};
use super::contract::{self, AgencyList, AgencyView};
use super::error::ApiError;
use super::json_body::StrictJson;
use super::{created_or_replaced, AppState};
use crate::db::agencies::InUse;
use crate::db::{self, DbError};
use crate::domain::agency::{Agency, AgencyBody};
use crate::services;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(put_agency)
        .service(list_agencies)
        .service(get_agency)
        .service(delete_agency);
}

fn agency_not_found(error: DbError) -> ApiError {
    ApiError::not_found_as("agency")(error)
}

#[utoipa::path(
    put, path = "/api/v1/agencies/{slug}", tag = "events", request_body = AgencyBody,
    params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$", example = "city-hospital", description = "A name for the agency")),
    responses((status = 201, description = "Created", body = contract::AgencyView,
            links(
                ("GetAgency" = (operation_id = "get_agency", parameters(("slug" = "$request.path.slug")))),
                ("DeleteAgency" = (operation_id = "delete_agency", parameters(("slug" = "$request.path.slug")))),
            )),
        (status = 200, description = "Replaced", body = contract::AgencyView), contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/agencies/{slug}")]
async fn put_agency(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let agency = Agency::parse(&slug, body.into_inner().0)?;
    let (stored, created) = db::run(&state.pool, move |conn| services::agencies::put(conn, &agency)).await?;
    Ok(created_or_replaced(created, AgencyView::from(&stored)))
}

#[utoipa::path(
    get, path = "/api/v1/agencies", tag = "events",
    responses((status = 200, description = "Every agency, by kind", body = contract::AgencyList), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/agencies")]
async fn list_agencies(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let agencies = db::run(&state.pool, services::agencies::list).await?;
    Ok(HttpResponse::Ok().json(AgencyList {
        agencies: agencies.iter().map(AgencyView::from).collect(),
    }))
}

#[utoipa::path(
    get, path = "/api/v1/agencies/{slug}", tag = "events", params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$")),
    responses((status = 200, description = "The agency", body = contract::AgencyView),
        (status = 404, description = "No such agency", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/agencies/{slug}")]
async fn get_agency(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let stored = db::run(&state.pool, move |conn| services::agencies::find(conn, &slug))
        .await
        .map_err(agency_not_found)?;
    Ok(HttpResponse::Ok().json(AgencyView::from(&stored)))
}

#[utoipa::path(
    delete, path = "/api/v1/agencies/{slug}", tag = "events", params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$")),
    responses((status = 204, description = "Deleted"),
        (status = 404, description = "No such agency", body = contract::ErrorBody),
        (status = 409, description = "Named in publicity records or in attendees' answers", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[delete("/agencies/{slug}")]
async fn delete_agency(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let deleted = db::run(&state.pool, move |conn| services::agencies::delete(conn, &slug))
        .await
        .map_err(agency_not_found)?;
    match deleted {
        Ok(()) => Ok(HttpResponse::NoContent().finish()),
        Err(InUse::Publicity) => Err(ApiError::Conflict(
            "the agency is named in events' publicity records: delete those first".to_owned(),
        )),
        Err(InUse::Answers) => Err(ApiError::Conflict(
            "attendees named this agency as the one that referred them: it stays on the list so their answers keep their meaning".to_owned(),
        )),
    }
}
