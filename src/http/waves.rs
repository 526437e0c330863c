//! Waves of the agency survey: `POST/GET /survey-waves` (staff). Each is kept as an event of kind
//! `agency_survey`, so its link, QR code and phone form are an event's.

use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use super::auth::{Caller, STAFF};
use super::contract::{self, WaveList, WaveView};
use super::error::ApiError;
use super::json_body::StrictJson;
use super::AppState;
use crate::db;
use crate::db::events::EventRecord;
use crate::domain::event::refusal;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::survey_wave::{last_day, NewWave, NewWaveBody};
use crate::services::waves;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_wave).service(list_waves);
}

fn wave_view(state: &AppState, event: &EventRecord) -> WaveView {
    WaveView {
        id: event.id,
        code: event.code.clone(),
        title: event.title.clone(),
        title_en: event.title_en.clone(),
        form: event.form.clone(),
        form_version: event.form_version,
        fiscal_year: FiscalYear::of(event.held_on).0,
        opens_on: event.held_on,
        closes_on: event.closes_at.map_or(event.held_on, last_day),
        is_open: refusal(event.closes_at, event.cancelled_at, Utc::now()).is_none(),
        response_count: event.response_count,
        survey_url: state.survey_url(&event.code),
        qr_svg: format!("/api/v1/events/{}/qr.svg", event.id),
        qr_png: format!("/api/v1/events/{}/qr.png", event.id),
        created_at: event.created_at,
    }
}

#[utoipa::path(
    post, path = "/api/v1/survey-waves", tag = "events", request_body = NewWaveBody,
    responses((status = 201, description = "The wave, with its public link and QR code", body = contract::WaveView,
        links(("GetWaveEvent" = (operation_id = "get_event", parameters(("id" = "$response.body#/id")))))),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/survey-waves")]
async fn create_wave(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let wave = NewWave::parse(body.into_inner().0)?;
    let event = db::run(&state.pool, move |conn| waves::create(conn, &wave)).await??;
    tracing::info!(event = %event.id, "survey wave created");
    Ok(HttpResponse::Created().json(wave_view(&state, &event)))
}

#[derive(Deserialize)]
struct WaveQuery {
    form: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/survey-waves", tag = "events",
    params(("form" = Option<String>, Query, description = "Only waves of this form")),
    responses((status = 200, description = "Waves, oldest first", body = contract::WaveList), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/survey-waves")]
async fn list_waves(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<WaveQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let events = db::run(&state.pool, waves::list).await?;
    let waves = events
        .iter()
        .filter(|event| query.form.as_ref().is_none_or(|form| &event.form == form))
        .map(|event| wave_view(&state, event))
        .collect();
    Ok(HttpResponse::Ok().json(WaveList { waves }))
}
