//! The agency survey's waves from the dashboard: list, open a new one (the API's validation,
//! through `services::waves`), close one early, and print the letter to send agencies.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, form_picks, html, see_other, typed_number};
use crate::db;
use crate::domain::event::{refusal, EventKind};
use crate::domain::lang::Lang;
use crate::domain::survey_wave::{last_day, NewWave};
use crate::http::AppState;
use crate::pages::dashboard::NewEventForm;
use crate::pages::qr;
use crate::pages::waves::{letter_page, waves_page, WaveRow, WavesView};
use crate::services;
use crate::services::waves;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(create).service(close).service(letter);
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    form: NewEventForm,
    notice: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let (events, forms) = db::run(&state.pool, |conn| {
        Ok((waves::list(conn)?, services::forms::all_latest(conn)?))
    })
    .await?;
    let now = Utc::now();
    let rows: Vec<WaveRow> = events
        .iter()
        .map(|event| WaveRow {
            event,
            closes_on: event.closes_at.map_or(event.held_on, last_day),
            is_open: refusal(event.closes_at, event.cancelled_at, now).is_none(),
            survey_url: state.survey_url(&event.code),
        })
        .collect();
    let view = WavesView {
        waves: &rows,
        forms: &form_picks(l, &forms),
        form,
        notice,
    };
    Ok(html(status, waves_page(&chrome(session), &view)))
}

#[get("/dashboard/waves")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let notice = match query.saved.as_deref() {
        Some("created") => Some(l.pick(
            "調査の回を作りました。依頼状を印刷して関係機関に送れます。",
            "Wave opened. Print its letter to send to the agencies. ",
        )),
        Some("closed") => Some(l.pick("回答の受付を締め切りました。", "Wave closed. ")),
        _ => None,
    };
    let form = NewEventForm {
        values: HashMap::from([("form".to_owned(), "agency_survey".to_owned())]),
        error: None,
    };
    render(&state, &session, StatusCode::OK, form, notice).await
}

/// Staff's words for what the new wave got wrong.
fn field_message(l: Lang, field: &str) -> &'static str {
    match field {
        "form" => l.pick("アンケートを選び直してください。", "Choose the questionnaire again. "),
        "title" => l.pick(
            "調査の名前を入力してください（200文字まで）。",
            "Enter the wave's title (at most 200 characters). ",
        ),
        "title_en" => l.pick(
            "英語の名前は200文字までです。",
            "The English title takes at most 200 characters. ",
        ),
        "fiscal_year" | "opens_on" => l.pick(
            "受付開始日は YYYY-MM-DD の形で、選んだ年度の中の日にしてください。",
            "The opening day is YYYY-MM-DD, within the chosen fiscal year. ",
        ),
        "closes_on" => l.pick(
            "締切日は YYYY-MM-DD の形で、受付開始日以降にしてください。",
            "The closing day is YYYY-MM-DD, on or after the opening day. ",
        ),
        _ => l.pick("入力内容を確認してください。", "Check what was entered. "),
    }
}

#[post("/dashboard/waves")]
async fn create(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let mut typed = HashMap::new();
    let mut body = Map::new();
    for name in ["form", "title", "title_en", "fiscal_year", "opens_on", "closes_on"] {
        let value = fields.get(name).map_or("", |value| value.trim());
        typed.insert(name.to_owned(), value.to_owned());
        if !value.is_empty() {
            let json = if name == "fiscal_year" {
                typed_number(value)
            } else {
                json!(value)
            };
            body.insert(name.to_owned(), json);
        }
    }
    let created = match NewWave::parse(Value::Object(body)) {
        Ok(wave) => db::run(&state.pool, move |conn| waves::create(conn, &wave)).await?,
        Err(invalid) => Err(invalid),
    };
    match created {
        Ok(_) => Ok(see_other("/dashboard/waves?saved=created")),
        Err(invalid) => {
            let form = NewEventForm {
                error: Some((
                    invalid.top_field().to_owned(),
                    field_message(l, invalid.top_field()).to_owned(),
                )),
                values: typed,
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, form, None).await
        }
    }
}

/// The wave a path names, if it is one.
async fn find_wave(state: &AppState, id: &str) -> Result<Option<crate::db::events::EventRecord>, DashboardError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    match db::run(&state.pool, move |conn| services::events::find(conn, id)).await {
        Ok(event) if EventKind::parse(&event.kind) == Some(EventKind::AgencySurvey) => Ok(Some(event)),
        Ok(_) => Ok(None),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

#[post("/dashboard/waves/{id}/close")]
async fn close(
    state: web::Data<AppState>,
    _posted: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(wave) = find_wave(&state, &id).await? else {
        return Ok(see_other("/dashboard/waves"));
    };
    let wave_id = wave.id;
    db::run(&state.pool, move |conn| waves::close_now(conn, wave_id)).await?;
    Ok(see_other("/dashboard/waves?saved=closed"))
}

#[get("/dashboard/waves/{id}/letter")]
async fn letter(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(wave) = find_wave(&state, &id).await? else {
        return Ok(see_other("/dashboard/waves"));
    };
    let url = state.survey_url(&wave.code);
    let svg = qr::svg(&url).map_err(DashboardError::render)?;
    let closes_on = wave.closes_at.map_or(wave.held_on, last_day);
    Ok(html(
        StatusCode::OK,
        letter_page(session.lang, &wave, closes_on, &url, &svg),
    ))
}
