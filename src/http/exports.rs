use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};

use super::auth::{Caller, AGGREGATE_READERS};
use super::contract;
use super::download::attachment;
use super::error::ApiError;
use super::AppState;
use crate::domain::analysis_request::ThresholdParams;
use crate::domain::query_params::QueryParams;
use crate::domain::release_request::ReleaseRequest;
use crate::domain::response_filter::{FilterParams, ResponseFilter};
use crate::services::analyses::{self, RawFormat};

/// The JSON Schema of the aggregate document, kept in the repository next to the code.
pub const AGGREGATE_SCHEMA: &str = include_str!("../reports/aggregate.schema.json");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(aggregate)
        .service(aggregate_schema)
        .service(responses_csv)
        .service(responses_parquet);
}

#[utoipa::path(
    get, path = "/api/v1/exports/aggregate.json", tag = "exports", params(FilterParams, ThresholdParams),
    responses((status = 200, description = "Researchers' aggregate: tables under disclosure control (see aggregate.schema.json)", body = Object),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/exports/aggregate.json")]
async fn aggregate(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(AGGREGATE_READERS)?;
    let mut params = QueryParams::new(query.into_inner());
    let request = ReleaseRequest::parse(&mut params, caller.role, state.min_cell, state.release_delay_days)?;
    params.finish()?;
    let document = state.aggregate(request).await??;
    Ok(HttpResponse::Ok().json(document))
}

#[utoipa::path(
    get, path = "/api/v1/exports/aggregate.schema.json", tag = "exports", security(()),
    responses((status = 200, description = "The JSON Schema of aggregate.json", content((Object = "application/schema+json"))))
)]
#[get("/exports/aggregate.schema.json")]
async fn aggregate_schema() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/schema+json")
        .body(AGGREGATE_SCHEMA)
}

#[utoipa::path(
    get, path = "/api/v1/exports/responses.csv", tag = "exports", params(FilterParams),
    responses((status = 200, description = "Staff only: one row per response", content((String = "text/csv; charset=utf-8"))),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/exports/responses.csv")]
async fn responses_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    raw(&state, caller, query.into_inner(), RawFormat::Csv).await
}

#[utoipa::path(
    get, path = "/api/v1/exports/responses.parquet", tag = "exports", params(FilterParams),
    responses((status = 200, description = "Staff only: one row per response, as Parquet", content((Vec<u8> = "application/octet-stream"))),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/exports/responses.parquet")]
async fn responses_parquet(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    raw(&state, caller, query.into_inner(), RawFormat::Parquet).await
}

async fn raw(
    state: &AppState,
    caller: Caller,
    query: HashMap<String, String>,
    format: RawFormat,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let mut params = QueryParams::new(query);
    let filter = ResponseFilter::parse(&mut params)?;
    params.finish()?;
    let filename = format!(
        "{}-responses.{}",
        filter.form,
        if format == RawFormat::Csv { "csv" } else { "parquet" }
    );
    let body = state
        .run_analysis(move |connections| Ok(analyses::raw_export(connections, staff, &filter, format)))
        .await??;
    let content_type = match format {
        RawFormat::Csv => actix_web::mime::TEXT_CSV_UTF_8,
        RawFormat::Parquet => actix_web::mime::APPLICATION_OCTET_STREAM,
    };
    Ok(attachment(content_type, filename, body))
}
