//! The evaluation report: `GET /evaluation-report` (staff), as HTML to print or Markdown to paste.

use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};

use super::auth::Caller;
use super::contract;
use super::error::ApiError;
use super::AppState;
use crate::domain::response_filter::QueryParams;
use crate::domain::validation::ValidationError;
use crate::reports::document::{to_html, to_markdown};
use crate::services::evaluation::{self, ReportRequest};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(evaluation_report);
}

#[utoipa::path(
    get, path = "/api/v1/evaluation-report", tag = "indicators",
    params(
        ("from_fiscal_year" = i32, Query, description = "The first fiscal year, by the year it starts"),
        ("to_fiscal_year" = i32, Query, description = "The last, at most ten years later"),
        ("format" = Option<String>, Query, description = "`html` (default: prints on A4) or `md`"),
        ("codebook" = Option<String>, Query, description = "The codebook whose themes the report counts (`starter` when left out)"),
    ),
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
    let markdown = match params.text("format")?.as_deref() {
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
