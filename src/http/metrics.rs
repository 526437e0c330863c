//! Prometheus metrics at `/metrics`: requests by route pattern, the connection pool, the
//! analysis queue and submissions. Labels hold only route patterns, methods, statuses and
//! outcomes, never a path, an address or an answer.

use std::sync::atomic::AtomicI64;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{get, web, HttpResponse};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use super::AppState;
use crate::db;
use crate::db::responses::SubmitOutcome;
use crate::services::submission::Submission;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// Which share of a resource a gauge counts: in use (running), idle or waiting.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    submissions: Family<OutcomeLabels, Counter>,
    connections: Family<StateLabels, Gauge<i64, AtomicI64>>,
    analyses: Family<StateLabels, Gauge<i64, AtomicI64>>,
}

fn duration_histogram() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("tsunagari");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(duration_histogram as fn() -> Histogram);
        let submissions = Family::<OutcomeLabels, Counter>::default();
        let connections = Family::<StateLabels, Gauge<i64, AtomicI64>>::default();
        let analyses = Family::<StateLabels, Gauge<i64, AtomicI64>>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route pattern",
            durations.clone(),
        );
        registry.register(
            "submissions",
            "Questionnaire submissions by outcome (stored, repeated, conflict, refused, invalid)",
            submissions.clone(),
        );
        registry.register(
            "db_connections",
            "Database pool connections in use and idle, and requests waiting for one",
            connections.clone(),
        );
        registry.register(
            "analyses",
            "Analyses running against the database and waiting for their turn",
            analyses.clone(),
        );
        Self {
            registry,
            requests,
            durations,
            submissions,
            connections,
            analyses,
        }
    }
}

impl Metrics {
    pub fn count_submission(&self, submission: &Submission) {
        let outcome = match submission {
            Submission::Stored(SubmitOutcome::Created(_)) => "stored",
            Submission::Stored(SubmitOutcome::Repeated(_)) => "repeated",
            Submission::Stored(SubmitOutcome::Conflict) => "conflict",
            Submission::Refused(_) => "refused",
            Submission::Invalid(_) => "invalid",
        };
        self.submissions.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    fn set_gauges(&self, state: &AppState) {
        let pool = db::pool_status(&state.pool);
        let turns = &state.analyses;
        for (family, label, value) in [
            (&self.connections, "in_use", pool.in_use),
            (&self.connections, "idle", pool.idle),
            (&self.connections, "waiting", pool.waiting),
            (&self.analyses, "running", turns.running()),
            (&self.analyses, "waiting", turns.waiting()),
        ] {
            family
                .get_or_create(&StateLabels { state: label })
                .set(i64::try_from(value).unwrap_or(i64::MAX));
        }
    }

    fn render(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        self.set_gauges(state);
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// Counts and times every request by its route pattern (an unknown path is "(unmatched)").
pub async fn measure_request(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let method = request.method().to_string();
    let response = next.call(request).await?;
    if let Some(state) = state {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "(unmatched)".to_owned());
        let status = response.status().as_u16();
        state
            .metrics
            .durations
            .get_or_create(&RouteLabels {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(started.elapsed().as_secs_f64());
        state
            .metrics
            .requests
            .get_or_create(&RequestLabels { method, route, status })
            .inc();
    }
    Ok(response)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(metrics);
}

/// The metrics in Prometheus' text format. Open to whoever reaches the port: the deployment
/// section of the README keeps it off the public side of the reverse proxy.
#[utoipa::path(
    get, path = "/metrics", tag = "health", security(()),
    responses((status = 200, description = "Request counts and durations by route pattern, the connection pool, \
        the analysis queue and submissions by outcome, in the OpenMetrics text format",
        content_type = "application/openmetrics-text", body = String))
)]
#[get("/metrics")]
pub(super) async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    match state.metrics.render(&state) {
        Ok(text) => HttpResponse::Ok()
            .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
            .body(text),
        Err(error) => {
            tracing::error!(%error, "metrics could not be rendered");
            HttpResponse::InternalServerError().finish()
        }
    }
}
