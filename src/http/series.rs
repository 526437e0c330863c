use actix_web::{post, web, HttpResponse};

use super::auth::{Caller, STAFF};
use super::contract::{self, SeriesCreated, SeriesView};
use super::error::ApiError;
use super::events::event_view;
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::domain::schedule::{NewSeries, NewSeriesBody};
use crate::services::event_creation;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_series);
}

/// Creates every event of a recurring schedule at once, each with its own code and link.
#[utoipa::path(
    post, path = "/api/v1/event-series", tag = "events", request_body = NewSeriesBody,
    responses((status = 201, description = "The series and every event of it", body = contract::SeriesCreated,
            links(
                ("AddSeriesPublicity" = (operation_id = "add_series_publicity", parameters(("id" = "$response.body#/series/id")))),
                ("GetFirstEvent" = (operation_id = "get_event", parameters(("id" = "$response.body#/events/0/id")))),
            )),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
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
    Ok(HttpResponse::Created().json(SeriesCreated {
        series: SeriesView {
            id: series_id,
            rrule: series.rrule,
            starts_on: series.starts_on,
            ends_on: series.ends_on,
            skip: series.skipped,
        },
        events: events.iter().map(|event| event_view(&state, event)).collect(),
    }))
}
