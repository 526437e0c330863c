//! The programme profile (`GET`/`PUT /programme`) and the programme's results report
//! (`GET /programme-report`), for staff.

use std::collections::HashMap;

use actix_web::{get, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::openapi::schema::Object;
use utoipa::IntoParams;

use super::auth::{Caller, STAFF};
use super::contract::{self, ProgrammeView};
use super::download::rendered_file;
use super::error::ApiError;
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::programme::{ProgrammeBody, ProgrammeProfile};
use crate::domain::query_params::QueryParams;
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::domain::vocabulary::one_of;
use crate::reports::programme::Format;
use crate::services::evaluation::{ReportParams, ReportRequest};
use crate::services::programme::{self, ReportError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_programme)
        .service(put_programme)
        .service(programme_report);
}

#[utoipa::path(
    get, path = "/api/v1/programme", tag = "indicators",
    responses((status = 200, description = "The programme profile (every text `null` until written)", body = contract::ProgrammeView),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/programme")]
async fn get_programme(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let (profile, updated_at) = db::run(&state.pool, programme::profile).await?;
    Ok(HttpResponse::Ok().json(ProgrammeView {
        profile: &profile,
        updated_at,
    }))
}

#[utoipa::path(
    put, path = "/api/v1/programme", tag = "indicators", request_body = ProgrammeBody,
    responses((status = 200, description = "Replaced", body = contract::ProgrammeView),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/programme")]
async fn put_programme(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let profile = ProgrammeProfile::parse(body.into_inner().0)?;
    let stored = profile.clone();
    let updated_at = db::run(&state.pool, move |conn| programme::save_profile(conn, &stored)).await?;
    Ok(HttpResponse::Ok().json(ProgrammeView {
        profile: &profile,
        updated_at: Some(updated_at),
    }))
}

/// The form a results report is delivered in.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FormatParams {
    /// `html` (default: prints on A4), `md`, `docx` (Word) or `xlsx` (the indicator tables, a
    /// sheet each).
    #[param(schema_with = formats)]
    format: Option<String>,
}

fn formats() -> Object {
    one_of(Format::ALL.map(Format::id))
}

/// The report's request and format from a query string.
pub fn report_query(query: HashMap<String, String>, staff: Staff) -> Result<(ReportRequest, Format), ValidationError> {
    let mut params = QueryParams::new(query);
    let format = match params.take::<FormatParams>()?.format {
        None => Format::Html,
        Some(text) => Format::parse(&text)
            .ok_or_else(|| ValidationError::new("format", "invalid_value", format!("format is {}", Format::NAMES)))?,
    };
    let request = ReportRequest::parse(&mut params, staff)?;
    params.finish()?;
    Ok((request, format))
}

#[utoipa::path(
    get, path = "/api/v1/programme-report", tag = "indicators",
    params(ReportParams, FormatParams),
    responses((status = 200, description = "The results report (成果報告書) in its eight sections",
            content((String = "text/html"), (String = "text/markdown"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/programme-report")]
async fn programme_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let (request, format) = report_query(query.into_inner(), caller.staff()?)?;
    let rendered = state
        .run_analysis(move |connections| Ok(programme::rendered(connections, &request, format)))
        .await?;
    match rendered {
        Ok(rendered) => Ok(rendered_file(rendered)),
        Err(ReportError::Analyses(error)) => Err(error.into()),
        Err(ReportError::Render(error)) => Err(ApiError::internal(error)),
    }
}
