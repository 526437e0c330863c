//! Probes for operators: `/healthz` says the process is up (a supervisor restarts it when it
//! does not answer); `/readyz` says it can serve (the database answers and its schema is the
//! one this build expects), so a load balancer sends requests elsewhere when it cannot.

use actix_web::{get, web, HttpResponse};
use diesel::RunQueryDsl;

use super::contract;
use super::AppState;
use crate::db;

/// Short, so that a probe learns of an outage quickly instead of queueing behind the pool.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz);
}

/// 200 while the process serves requests, whatever the database does.
#[utoipa::path(
    get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, description = "The process is up", body = contract::Health))
)]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(contract::Health { status: "ok".into() })
}

/// 200 when the database answers and every migration this build embeds has run; 503 otherwise.
#[utoipa::path(
    get, path = "/readyz", tag = "health", security(()),
    responses((status = 200, description = "The database answers and its schema is current", body = contract::Health),
        (status = 503, description = "The database does not answer, or migrations are pending", body = contract::Health))
)]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let result = db::run_within(&state.pool, PROBE_TIMEOUT, |conn| {
        diesel::sql_query("SELECT 1").execute(conn)?;
        db::pending_migrations(conn)
    })
    .await;
    let unavailable =
        |status: &str| HttpResponse::ServiceUnavailable().json(contract::Health { status: status.into() });
    match result {
        Ok(pending) if pending.is_empty() => HttpResponse::Ok().json(contract::Health { status: "ready".into() }),
        Ok(pending) => {
            tracing::warn!(?pending, "migrations are pending");
            unavailable("migrations_pending")
        }
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            unavailable("unavailable")
        }
    }
}
