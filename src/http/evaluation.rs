//! The evaluation report: `GET /evaluation-report` (staff), as HTML to print or Markdown to paste.

use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::openapi::schema::Object;
use utoipa::IntoParams;

use super::auth::Caller;
use super::contract;
use super::error::ApiError;
use super::AppState;
use crate::domain::query_params::QueryParams;
use crate::domain::validation::ValidationError;
use crate::domain::vocabulary::one_of;
use crate::reports::document::{to_html, to_markdown};
use crate::services::evaluation::{self, ReportParams, ReportRequest};

/// The form the report is delivered in.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FormatParams {
    /// `html` (default: prints on A4) or `md`.
    #[param(schema_with = formats)]
    format: Option<String>,
}

fn formats() -> Object {
    one_of(["html", "md"])
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(evaluation_report);
}

#[utoipa::path(
    get, path = "/api/v1/evaluation-report", tag = "indicators",
    params(ReportParams, FormatParams),
    responses((status = 200, description = "The report", content((String = "text/html"), (String = "text/markdown"))),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/evaluation-report")]
async fn evaluation_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let mut params = QueryParams::new(query.into_inner());
    let markdown = match params.take::<FormatParams>()?.format.as_deref() {
        None | Some("html") => false,
        Some("md") => true,
        Some(_) => return Err(ValidationError::new("format", "invalid_value", "format is html or md").into()),
    };
    let request = ReportRequest::parse(&mut params, staff)?;
    params.finish()?;
    let document = state
        .run_analysis(move |connections| Ok(evaluation::build(connections, &request)))
        .await??;
    Ok(if markdown {
        HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(to_markdown(&document))
    } else {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(to_html(&document).into_string())
    })
}
