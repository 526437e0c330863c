use actix_web::{get, web, HttpResponse};
use diesel::RunQueryDsl;
use serde_json::json;

use super::AppState;
use crate::db;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz);
}

/// 200 when the database answers a query, 503 otherwise, so a load balancer can route around us.
#[get("/healthz")]
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let result = db::run(&state.pool, |conn| Ok(diesel::sql_query("SELECT 1").execute(conn)?)).await;
    match result {
        Ok(_) => HttpResponse::Ok().json(json!({"status": "ok"})),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            HttpResponse::ServiceUnavailable().json(json!({"status": "unavailable"}))
        }
    }
}
