//! The researchers' pages: what the protected release holds, how to read it, each form's
//! variables, and the release itself to download with the session. Everything here comes from
//! the same release a researcher's token fetches.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::session::{DashboardError, ReaderSession};
use super::{chrome, html, release_request};
use crate::db;
use crate::domain::lang::Lang;
use crate::domain::release_request::settled_until;
use crate::domain::token::Role;
use crate::http::download::attachment;
use crate::http::AppState;
use crate::pages::research::{codebook_page, guide_page, research_page};
use crate::reports::release_tables;
use crate::services::analyses::AnalysesError;
use crate::services::research_catalogue;
use crate::spreadsheet;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home).service(guide).service(codebook).service(download);
}

#[get("/research")]
async fn home(state: web::Data<AppState>, session: ReaderSession) -> Result<HttpResponse, DashboardError> {
    let settled = settled_until(crate::domain::clock::today(), state.release_delay_days);
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
    let l = session.0.lang;
    let slug = form.into_inner();
    match db::run(&state.pool, move |conn| research_catalogue::codebook(conn, &slug)).await {
        Ok((form, versions)) => Ok(html(
            StatusCode::OK,
            codebook_page(&chrome(&session.0), &form, &versions),
        )),
        Err(error) if error.is_not_found() => Ok(not_found(l)),
        Err(error) => Err(error.into()),
    }
}

/// The researchers' release of a form (a fiscal year and a kind if given), whoever is signed in:
/// the frozen, settled partitions a researcher's token fetches, never the live data; as its JSON,
/// or as the same figures in a CSV table or a workbook.
#[get("/research/downloads/{form}/{file}")]
async fn download(
    state: web::Data<AppState>,
    session: ReaderSession,
    path: web::Path<(String, String)>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.0.lang;
    let (form, file) = path.into_inner();
    let Some(format) = ReleaseFormat::of(&file) else {
        return Ok(not_found(l));
    };
    let mut query = query.into_inner();
    query.insert("form".into(), form);
    let Ok(request) = release_request(&state, query, Role::Researcher) else {
        return Ok(not_found(l));
    };
    let filename = match request.filter.fiscal_year {
        Some(year) => format!("{}-{}-{file}", request.filter.form, year.0),
        None => format!("{}-{file}", request.filter.form),
    };
    let document = match state.aggregate(request).await? {
        Ok(document) => document,
        Err(AnalysesError::Db(error)) => return Err(error.into()),
        Err(AnalysesError::Invalid(_)) => return Ok(not_found(l)),
        Err(other) => return Err(DashboardError::render(other)),
    };
    let (content_type, body) = match format {
        ReleaseFormat::Json => (actix_web::mime::APPLICATION_JSON, document.to_string().into_bytes()),
        ReleaseFormat::Csv => (
            actix_web::mime::TEXT_CSV_UTF_8,
            release_tables::to_csv(&document).map_err(DashboardError::render)?,
        ),
        ReleaseFormat::Workbook => (
            spreadsheet::MEDIA_TYPE
                .parse()
                .map_err(|_| DashboardError::render("media type"))?,
            release_tables::to_workbook(&document).map_err(DashboardError::render)?,
        ),
    };
    Ok(attachment(content_type, filename, body))
}

/// The files a release downloads as.
enum ReleaseFormat {
    Json,
    Csv,
    Workbook,
}

impl ReleaseFormat {
    fn of(file: &str) -> Option<Self> {
        match file {
            "aggregate.json" => Some(Self::Json),
            "aggregate.csv" => Some(Self::Csv),
            "aggregate.xlsx" => Some(Self::Workbook),
            _ => None,
        }
    }
}

fn not_found(l: Lang) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(l.pick(
            "そのアンケートや年度のデータはありません。",
            "No data for that questionnaire or fiscal year. ",
        ))
}
