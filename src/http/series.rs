use actix_web::{post, web, HttpResponse};
use serde_json::{json, Value};

use super::auth::{Caller, STAFF};
use super::error::ApiError;
use super::events::event_json;
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::schedule::NewSeries;
use crate::services::event_creation;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_series);
}

/// Creates every event of a recurring schedule at once, each with its own code and link.
#[post("/event-series")]
async fn create_series(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let series = NewSeries::parse(body.into_inner().0)?;
    let dates = series.dates()?;
    let (series, (series_id, events)) = db::run(&state.pool, move |conn| {
        Ok(event_creation::create_series(conn, &series, &dates)?.map(|created| (series, created)))
    })
    .await??;
    tracing::info!(series = %series_id, events = events.len(), "event series created");
    let events: Vec<Value> = events.iter().map(|event| event_json(&state, event)).collect();
    Ok(HttpResponse::Created().json(json!({
        "series": {
            "id": series_id,
            "rrule": series.rrule,
            "starts_on": series.starts_on,
            "ends_on": series.ends_on,
            "skip": series.skipped,
        },
        "events": events,
    })))
}
