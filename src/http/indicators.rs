use actix_web::{delete, get, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::Object;
use utoipa::IntoParams;

use super::auth::{Caller, AGGREGATE_READERS, STAFF};
use super::contract::{self, ConsiderationView, IndicatorPlanList, IndicatorPlanView, PlanReportList};
use super::download::attachment;
use super::error::ApiError;
use super::json_body::StrictJson;
use super::{created_or_replaced, AppState};
use crate::db::{self, Connections, DbError};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::{ConsiderationBody, IndicatorPlan, IndicatorPlanBody};
use crate::domain::release_request::Readers;
use crate::domain::validation::from_json;
use crate::domain::validation::ValidationError;
use crate::domain::vocabulary::one_of;
use crate::reports::indicators::{to_csv, PlanReport, PlanReportView};
use crate::services;
use crate::services::{analyses, plans};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(put_plan)
        .service(list_plans)
        .service(get_plan)
        .service(delete_plan)
        .service(plan_report)
        .service(all_reports)
        .service(put_consideration)
        .service(get_consideration);
}

fn plan_not_found(error: DbError) -> ApiError {
    ApiError::not_found_as("indicator plan")(error)
}

#[utoipa::path(
    put, path = "/api/v1/indicator-plans/{slug}", tag = "indicators", request_body = IndicatorPlanBody,
    params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$", example = "recovery-seminars", description = "A name for the plan")),
    responses((status = 201, description = "Created", body = contract::IndicatorPlanView,
            links(
                ("GetPlan" = (operation_id = "get_plan", parameters(("slug" = "$request.path.slug")))),
                ("PlanReport" = (operation_id = "plan_report", parameters(("slug" = "$request.path.slug")))),
                ("DeletePlan" = (operation_id = "delete_plan", parameters(("slug" = "$request.path.slug")))),
            )),
        (status = 200, description = "Replaced", body = contract::IndicatorPlanView), contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/indicator-plans/{slug}")]
async fn put_plan(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let plan = IndicatorPlan::parse(&slug, body.into_inner().0)?;
    let (stored, created) = db::run(&state.pool, move |conn| plans::save(conn, &plan)).await?;
    Ok(created_or_replaced(created, IndicatorPlanView::from(&stored)))
}

#[utoipa::path(
    get, path = "/api/v1/indicator-plans", tag = "indicators",
    responses((status = 200, description = "Every plan", body = contract::IndicatorPlanList), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/indicator-plans")]
async fn list_plans(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let plans = db::run(&state.pool, db::indicator_plans::list).await?;
    Ok(HttpResponse::Ok().json(IndicatorPlanList {
        plans: plans.iter().map(IndicatorPlanView::from).collect(),
    }))
}

#[utoipa::path(
    get, path = "/api/v1/indicator-plans/{slug}", tag = "indicators", params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$")),
    responses((status = 200, description = "The plan", body = contract::IndicatorPlanView),
        (status = 404, description = "No such plan", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/indicator-plans/{slug}")]
async fn get_plan(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let stored = db::run(&state.pool, move |conn| services::plans::find(conn, &slug))
        .await
        .map_err(plan_not_found)?;
    Ok(HttpResponse::Ok().json(IndicatorPlanView::from(&stored)))
}

#[utoipa::path(
    delete, path = "/api/v1/indicator-plans/{slug}", tag = "indicators", params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$")),
    responses((status = 204, description = "Deleted"),
        (status = 404, description = "No such plan", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[delete("/indicator-plans/{slug}")]
async fn delete_plan(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    db::run(&state.pool, move |conn| plans::delete(conn, &slug))
        .await
        .map_err(plan_not_found)?;
    Ok(HttpResponse::NoContent().finish())
}

/// The form a report is delivered in.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// `json` (default) or `csv`.
    #[param(schema_with = formats)]
    format: Option<String>,
}

fn formats() -> Object {
    one_of(["json", "csv"])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ReportFormat {
    Json,
    Csv,
}

impl ReportQuery {
    fn format(&self) -> Result<ReportFormat, ValidationError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(ReportFormat::Json),
            Some("csv") => Ok(ReportFormat::Csv),
            Some(other) => Err(ValidationError::new(
                "format",
                "invalid_value",
                format!("format {other:?} is not json or csv"),
            )),
        }
    }
}

#[utoipa::path(
    get, path = "/api/v1/indicator-plans/{slug}/report", tag = "indicators",
    params(("slug" = String, Path, pattern = "^[a-z0-9_-]{1,64}$"), ReportQuery),
    responses((status = 200, description = "Activity and outcome indicators by fiscal year",
            content((PlanReportView = "application/json"), (String = "text/csv; charset=utf-8"))),
        (status = 404, description = "No such plan", body = contract::ErrorBody), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/indicator-plans/{slug}/report")]
async fn plan_report(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(AGGREGATE_READERS)?;
    let format = query.format()?;
    let readers = Readers::of(caller.role, state.release_delay_days);
    let reports = state
        .run_analysis(move |connections| {
            connections.with(|conn| {
                let stored = services::plans::find(conn, &slug)?;
                Ok(vec![analyses::plan_report(conn, stored.plan, readers)?])
            })
        })
        .await
        .map_err(plan_not_found)?;
    respond(format, &reports, |reports| reports[0].view())
}

#[utoipa::path(
    get, path = "/api/v1/indicators/report", tag = "indicators", params(ReportQuery),
    responses((status = 200, description = "Every plan's indicators by fiscal year",
            content((contract::PlanReportList = "application/json"), (String = "text/csv; charset=utf-8"))),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/indicators/report")]
async fn all_reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(AGGREGATE_READERS)?;
    let format = query.format()?;
    let readers = Readers::of(caller.role, state.release_delay_days);
    let reports = state
        .run_analysis(move |connections| connections.with(|conn| analyses::all_plan_reports(conn, readers)))
        .await?;
    respond(format, &reports, |reports| PlanReportList {
        plans: reports.iter().map(PlanReport::view).collect(),
    })
}

fn respond<T: Serialize>(
    format: ReportFormat,
    reports: &[PlanReport],
    as_json: impl FnOnce(&[PlanReport]) -> T,
) -> Result<HttpResponse, ApiError> {
    match format {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(as_json(reports))),
        ReportFormat::Csv => {
            let body = to_csv(reports).map_err(ApiError::internal)?;
            Ok(attachment(
                actix_web::mime::TEXT_CSV_UTF_8,
                "indicators.csv".into(),
                body,
            ))
        }
    }
}

fn consideration_path(path: (String, String)) -> Result<(String, FiscalYear), ApiError> {
    let year = FiscalYear::parse(&path.1).ok_or(ApiError::NotFound("fiscal year"))?;
    Ok((path.0, year))
}

#[utoipa::path(
    put, path = "/api/v1/indicator-plans/{slug}/considerations/{fiscal_year}", tag = "indicators",
    request_body = ConsiderationBody,
    params(("slug" = String, Path), ("fiscal_year" = i32, Path, description = "The year the fiscal year starts")),
    responses((status = 201, description = "Written", body = contract::ConsiderationView),
        (status = 200, description = "Replaced", body = contract::ConsiderationView),
        (status = 404, description = "No such plan", body = contract::ErrorBody),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[put("/indicator-plans/{slug}/considerations/{fiscal_year}")]
async fn put_consideration(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let (slug, year) = consideration_path(path.into_inner())?;
    let text = from_json::<ConsiderationBody>(body.into_inner().0)?.checked()?;
    let (plan, written) = (slug.clone(), text.clone());
    let created = db::run(&state.pool, move |conn| {
        plans::write_consideration(conn, &plan, year, &written)
    })
    .await
    .map_err(plan_not_found)?;
    Ok(created_or_replaced(
        created,
        ConsiderationView {
            plan: &slug,
            fiscal_year: year.0,
            text: &text,
        },
    ))
}

#[utoipa::path(
    get, path = "/api/v1/indicator-plans/{slug}/considerations/{fiscal_year}", tag = "indicators",
    params(("slug" = String, Path), ("fiscal_year" = i32, Path, description = "The year the fiscal year starts")),
    responses((status = 200, description = "The considerations", body = contract::ConsiderationView),
        (status = 404, description = "No such plan, or none written for that year", body = contract::ErrorBody),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/indicator-plans/{slug}/considerations/{fiscal_year}")]
async fn get_consideration(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let (slug, year) = consideration_path(path.into_inner())?;
    let plan = slug.clone();
    let written = db::run(&state.pool, move |conn| plans::considerations(conn, &plan))
        .await
        .map_err(plan_not_found)?;
    let text = written.get(&year).ok_or(ApiError::NotFound("consideration"))?;
    Ok(HttpResponse::Ok().json(ConsiderationView {
        plan: &slug,
        fiscal_year: year.0,
        text,
    }))
}
