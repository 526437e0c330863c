//! The researchers' pages: what the protected release holds, how to read it, each form's
//! variables, and the release itself to download with the session. Everything here comes from
//! the same release a researcher's token fetches.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use chrono::Utc;

use super::session::{DashboardError, ReaderSession};
use super::{chrome, html};
use crate::db;
use crate::domain::release_request::{settled_until, ReleaseRequest};
use crate::domain::response_filter::QueryParams;
use crate::domain::token::Role;
use crate::http::download::attachment;
use crate::http::AppState;
use crate::pages::research::{codebook_page, guide_page, research_page};
use crate::services::insights::InsightError;
use crate::services::{releases, research_catalogue};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home).service(guide).service(codebook).service(download);
}

#[get("/research")]
async fn home(state: web::Data<AppState>, session: ReaderSession) -> Result<HttpResponse, DashboardError> {
    let settled = settled_until(Utc::now().date_naive(), state.release_delay_days);
    let min_cell = state.min_cell;
    let forms = db::run(&state.pool, move |conn| {
        research_catalogue::catalogue(conn, settled, min_cell)
    })
    .await?;
    Ok(html(
        StatusCode::OK,
        research_page(&chrome(&session.0), &forms, settled, state.min_cell),
    ))
}

#[get("/research/guide")]
async fn guide(state: web::Data<AppState>, session: ReaderSession) -> HttpResponse {
    html(
        StatusCode::OK,
        guide_page(&chrome(&session.0), state.min_cell, state.release_delay_days),
    )
}

#[get("/research/codebook/{form}")]
async fn codebook(
    state: web::Data<AppState>,
    session: ReaderSession,
    form: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let slug = form.into_inner();
    match db::run(&state.pool, move |conn| research_catalogue::codebook(conn, &slug)).await {
        Ok((form, versions)) => Ok(html(
            StatusCode::OK,
            codebook_page(&chrome(&session.0), &form, &versions),
        )),
        Err(error) if error.is_not_found() => Ok(not_found()),
        Err(error) => Err(error.into()),
    }
}

/// The researchers' release of a form (a fiscal year and a kind if given), whoever is signed in:
/// the frozen, settled partitions a researcher's token fetches, never the live data.
#[get("/research/downloads/{form}/aggregate.json")]
async fn download(
    state: web::Data<AppState>,
    _session: ReaderSession,
    form: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let mut params: HashMap<String, String> = query
        .into_inner()
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    params.insert("form".into(), form.into_inner());
    let mut params = QueryParams::new(params);
    let parsed = ReleaseRequest::parse(&mut params, Role::Researcher, state.min_cell, state.release_delay_days)
        .and_then(|request| params.finish().map(|()| request));
    let Ok(request) = parsed else {
        return Ok(not_found());
    };
    let filename = match request.filter.fiscal_year {
        Some(year) => format!("{}-{}-aggregate.json", request.filter.form, year.0),
        None => format!("{}-aggregate.json", request.filter.form),
    };
    let segmenter = state.segmenter.clone();
    let made = state
        .run_analysis(move |connections| Ok(releases::aggregate(connections, &segmenter, &request)))
        .await?;
    match made {
        Ok(document) => Ok(attachment(
            actix_web::mime::APPLICATION_JSON,
            filename,
            document.to_string().into_bytes(),
        )),
        Err(InsightError::Db(error)) => Err(error.into()),
        Err(InsightError::Invalid(_)) => Ok(not_found()),
        Err(other) => Err(DashboardError::Render(other.to_string())),
    }
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("そのアンケートや年度のデータはありません。")
}
