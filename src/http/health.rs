use actix_web::{get, web, HttpResponse};
use diesel::RunQueryDsl;

use super::contract;
use super::AppState;
use crate::db;

/// Short, so that a probe learns of an outage quickly instead of queueing behind the pool.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz);
}

/// 200 when the database answers a query, 503 otherwise, so a load balancer can route around us.
#[utoipa::path(
    get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, description = "The database answers", body = contract::Health),
        (status = 503, description = "The database does not answer", body = contract::Health))
)]
#[get("/healthz")]
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let result = db::run_within(&state.pool, HEALTH_TIMEOUT, |conn| {
        Ok(diesel::sql_query("SELECT 1").execute(conn)?)
    })
    .await;
    match result {
        Ok(_) => HttpResponse::Ok().json(contract::Health { status: "ok".into() }),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            HttpResponse::ServiceUnavailable().json(contract::Health {
                status: "unavailable".into(),
            })
        }
    }
}
