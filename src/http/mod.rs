//! HTTP handlers, one resource per module, each exporting its routes. Handlers stay thin: parse
//! with the domain types, call `db`, shape the answer.

mod agencies;
mod analysis;
pub mod analysis_turns;
pub mod audit;
pub mod audit_trail;
pub mod auth;
mod codebooks;
mod contract;
mod dashboard;
pub mod download;
pub mod error;
mod evaluation;
mod events;
mod exports;
mod forms;
mod health;
mod indicators;
mod json_body;
pub mod metrics;
mod notes;
mod openapi;
mod paper;
pub(crate) mod programme;
mod publicity;
pub mod rate_limit;
mod request_log;
mod responses;
mod series;
mod slow_bodies;
pub mod survey_page;
pub(crate) mod text_tools;
mod upload_body;
mod url_guard;
mod waves;

use actix_web::{web, HttpResponse};

use crate::db::DbPool;
use crate::text::segmenter::LazySegmenter;

/// What every handler may use.
pub struct AppState {
    pub pool: DbPool,
    /// Base of attendee links, without a trailing slash.
    pub public_url: String,
    /// The server's disclosure threshold for researchers' aggregates.
    pub min_cell: u64,
    pub release_delay_days: u32,
    /// Longest time a request's body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Whether staff's cookies are sent over HTTPS only.
    pub secure_cookies: bool,
    /// Public submissions per client address.
    pub submissions: rate_limit::SubmissionLimiter,
    /// Form versions read so far (they never change).
    pub forms: std::sync::Arc<crate::services::form_versions::FormVersions>,
    pub segmenter: std::sync::Arc<LazySegmenter>,
    /// Researchers' releases built so far, by what they are made of.
    pub releases: std::sync::Arc<crate::services::release_cache::ReleaseCache>,
    pub analyses: std::sync::Arc<analysis_turns::AnalysisTurns>,
    pub metrics: std::sync::Arc<metrics::Metrics>,
}

impl AppState {
    /// Runs an analysis on a blocking thread with connections lent one use at a time
    /// ([`crate::db::lend`]), waiting for one of the analyses' turns.
    pub async fn run_analysis<T, F>(&self, analysis: F) -> Result<T, crate::db::DbError>
    where
        F: FnOnce(&mut crate::db::Lender) -> Result<T, crate::db::DbError> + Send + 'static,
        T: Send + 'static,
    {
        let _turn = self.analyses.take().await.map_err(|_| crate::db::DbError::Blocking)?;
        crate::db::lend(&self.pool, analysis).await
    }

    /// The aggregate document of `request` ([`crate::services::releases::aggregate`]), on an
    /// analysis turn.
    pub async fn aggregate(
        &self,
        request: crate::domain::release_request::ReleaseRequest,
    ) -> Result<Result<serde_json::Value, crate::services::analyses::AnalysesError>, crate::db::DbError> {
        let (segmenter, cache) = (self.segmenter.clone(), self.releases.clone());
        self.run_analysis(move |connections| {
            Ok(crate::services::releases::aggregate(
                connections,
                &segmenter,
                &cache,
                &request,
            ))
        })
        .await
    }

    pub fn survey_url(&self, code: &str) -> String {
        format!("{}/s/{code}", self.public_url)
    }
}

/// 201 with the stored resource if `created`, else 200 (it replaced one).
fn created_or_replaced(created: bool, body: impl serde::Serialize) -> HttpResponse {
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    response.json(body)
}

pub use audit_trail::record_audited;
pub use metrics::measure_request;
pub use request_log::log_request;
pub use slow_bodies::limit_body_time;
pub use url_guard::refuse_control_characters;

pub fn configure(cfg: &mut web::ServiceConfig, max_body_bytes: usize) {
    cfg.app_data(json_body::config(max_body_bytes))
        .app_data(json_body::query_config())
        .app_data(web::PayloadConfig::new(max_body_bytes))
        .configure(health::configure)
        .configure(metrics::configure)
        .service(openapi::swagger_ui())
        .service(
            web::scope("/api/v1")
                .configure(forms::configure)
                .configure(events::configure)
                .configure(series::configure)
                .configure(indicators::configure)
                .configure(agencies::configure)
                .configure(publicity::configure)
                .configure(waves::configure)
                .configure(notes::configure)
                .configure(codebooks::configure)
                .configure(evaluation::configure)
                .configure(programme::configure)
                .configure(analysis::configure)
                .configure(text_tools::configure)
                .configure(exports::configure)
                .configure(responses::configure)
                .configure(paper::configure)
                .configure(audit::configure)
                .default_service(web::to(not_found)),
        )
        .configure(survey_page::configure)
        .configure(dashboard::configure);
}

async fn not_found() -> Result<actix_web::HttpResponse, error::ApiError> {
    Err(error::ApiError::NotFound("route"))
}

/// A server-rendered page: never cached (answers and staff data must not linger on a shared
/// device), never framed, and limited by `csp` to what the page itself needs.
pub fn html_page(status: actix_web::http::StatusCode, page: maud::Markup, referrer: &str, csp: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", referrer.to_owned()))
        .insert_header(("Content-Security-Policy", csp.to_owned()))
        .body(page.into_string())
}
