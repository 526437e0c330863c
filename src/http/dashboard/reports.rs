use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};

use super::session::{DashboardError, StaffSession};
use super::{chrome, form_picks, html, release_request};
use crate::db::{self, Connections};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::query_params::QueryParams;
use crate::domain::release_request::Readers;
use crate::domain::token::Role;
use crate::http::download::attachment;
use crate::http::AppState;
use crate::pages::downloads::downloads_page;
use crate::pages::indicators::indicators_page;
use crate::reports::document::to_html;
use crate::reports::indicators::{to_csv, PlanReport};
use crate::services;
use crate::services::analyses::{self, AnalysesError, RawFormat};
use crate::services::evaluation::{self, ReportRequest};
use crate::services::event_editing;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(indicators)
        .service(indicators_csv)
        .service(evaluation_report)
        .service(downloads)
        .service(download);
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn staff_plan_reports(state: &AppState) -> Result<Vec<PlanReport>, DashboardError> {
    Ok(state
        .run_analysis(|connections| connections.with(|conn| analyses::all_plan_reports(conn, Readers::Staff)))
        .await?)
}

#[get("/dashboard/indicators")]
async fn indicators(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let reports = staff_plan_reports(&state).await?;
    let years = db::run(&state.pool, event_editing::shown_years).await?;
    let notice = match query.saved.as_deref() {
        Some("plan") => Some(l.pick("指標の計画を保存しました。", "Indicator plan saved. ")),
        Some("deleted") => Some(l.pick("指標の計画を削除しました。", "Indicator plan deleted. ")),
        _ => None,
    };
    Ok(html(
        StatusCode::OK,
        // The report covers the years with events, three at most, up to the latest.
        indicators_page(
            &chrome(&session),
            &reports,
            (FiscalYear(years.first.0.max(years.latest.0 - 2)), years.latest),
            notice,
        ),
    ))
}

/// The indicator tables as the report's CSV, for a signed-in person.
#[get("/dashboard/indicators.csv")]
async fn indicators_csv(state: web::Data<AppState>, _session: StaffSession) -> Result<HttpResponse, DashboardError> {
    let reports = staff_plan_reports(&state).await?;
    let body = to_csv(&reports).map_err(DashboardError::render)?;
    Ok(attachment(
        actix_web::mime::TEXT_CSV_UTF_8,
        "indicators.csv".into(),
        body,
    ))
}

/// The evaluation report as a page to print, for the years picked on the indicators page.
#[get("/dashboard/evaluation-report")]
async fn evaluation_report(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let mut params = QueryParams::new(query.into_inner());
    let Ok(request) =
        ReportRequest::parse(&mut params, session.staff()?).and_then(|request| params.finish().map(|()| request))
    else {
        return Ok(refused(l.pick(
            "最初と最後の年度を確かめてください（最後は最初と同じか、10年以内のあと）。",
            "Check the first and last fiscal years (the last the same as the first or within ten years after). ",
        )));
    };
    let document = state
        .run_analysis(move |connections| Ok(evaluation::build(connections, &request)))
        .await?;
    match document {
        Ok(document) => Ok(html(StatusCode::OK, to_html(&document))),
        Err(AnalysesError::Db(error)) => Err(error.into()),
        Err(_) => Ok(refused(l.pick(
            "この条件では報告書を作れません。",
            "No report can be made for these choices. ",
        ))),
    }
}

#[get("/dashboard/downloads")]
async fn downloads(state: web::Data<AppState>, session: StaffSession) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let forms = db::run(&state.pool, services::forms::all_latest).await?;
    Ok(html(
        StatusCode::OK,
        downloads_page(&chrome(&session), &form_picks(l, &forms), state.release_delay_days),
    ))
}

fn refused(message: &str) -> HttpResponse {
    HttpResponse::UnprocessableEntity()
        .content_type("text/plain; charset=utf-8")
        .body(message.to_owned())
}

#[get("/dashboard/downloads/{file}")]
async fn download(
    state: web::Data<AppState>,
    session: StaffSession,
    file: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    // The researchers' release is what staff hand out: the same frozen, settled partitions as
    // a researcher's token fetches, so two copies handed out never differ by who answered in
    // between. The live aggregate is staff's own.
    let (content_type, raw, reader) = match file.as_str() {
        "researchers-aggregate.json" => (actix_web::mime::APPLICATION_JSON, None, Role::Researcher),
        "aggregate.json" => (actix_web::mime::APPLICATION_JSON, None, Role::Analyst),
        "responses.csv" => (actix_web::mime::TEXT_CSV_UTF_8, Some(RawFormat::Csv), Role::Analyst),
        "responses.parquet" => (
            actix_web::mime::APPLICATION_OCTET_STREAM,
            Some(RawFormat::Parquet),
            Role::Analyst,
        ),
        _ => {
            return Ok(HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body(l.pick("そのファイルはありません。", "No such file. ")))
        }
    };
    let Ok(request) = release_request(&state, query.into_inner(), reader) else {
        return Ok(refused(l.pick(
            "アンケートと年度（2019 のような西暦）を確かめてください。",
            "Check the questionnaire and the fiscal year (a year such as 2019). ",
        )));
    };
    let filename = format!("{}-{}", request.filter.form, file.as_str());
    let staff = session.staff()?;
    let made = match raw {
        Some(format) => {
            state
                .run_analysis(move |connections| Ok(analyses::raw_export(connections, staff, &request.filter, format)))
                .await?
        }
        None => state.aggregate(request).await?.map(|doc| doc.to_string().into_bytes()),
    };
    match made {
        Ok(body) => Ok(attachment(content_type, filename, body)),
        Err(AnalysesError::Db(error)) => Err(error.into()),
        Err(AnalysesError::Invalid(_)) => Ok(refused(
            l.pick("アンケートが見つかりません。", "No such questionnaire. "),
        )),
        Err(other) => Err(DashboardError::render(other)),
    }
}
