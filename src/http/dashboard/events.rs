use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::session::{DashboardError, StaffSession};
use super::{chrome, form_fields, html, see_other};
use crate::db::{self, events::EventFilter};
use crate::domain::event::{EventChanges, NewEvent};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::validation::to_ascii_digits;
use crate::http::events::pinned_form;
use crate::http::AppState;
use crate::pages::{dashboard, qr};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(record_headcount)
        .service(poster);
}

#[derive(Deserialize)]
struct ListQuery {
    fiscal_year: Option<String>,
    saved: Option<String>,
}

/// The form fields the new-event form may send, as the API's JSON so both share one validation.
const NEW_EVENT_FIELDS: [&str; 5] = ["kind", "title", "held_on", "venue", "theme"];

struct Listing {
    year: FiscalYear,
    new_event: dashboard::NewEventForm,
    headcount_error: Option<(Uuid, String)>,
    notice: Option<&'static str>,
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    listing: Listing,
) -> Result<HttpResponse, DashboardError> {
    let filter = EventFilter {
        fiscal_year: Some(listing.year),
        ..EventFilter::default()
    };
    let events = db::run(&state.pool, move |conn| db::events::list(conn, &filter)).await?;
    let survey_url = |code: &str| state.survey_url(code);
    let view = dashboard::EventsView {
        year: listing.year,
        events: &events,
        survey_url: &survey_url,
        new_event: listing.new_event,
        headcount_error: listing.headcount_error,
        notice: listing.notice,
    };
    Ok(html(status, dashboard::events_page(&chrome(session), &view)))
}

#[get("/dashboard/events")]
async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, DashboardError> {
    let year = query
        .fiscal_year
        .as_deref()
        .and_then(FiscalYear::parse)
        .unwrap_or_else(|| FiscalYear::of(Utc::now().date_naive()));
    let notice = match query.saved.as_deref() {
        Some("event") => Some("イベントを作成しました。"),
        Some("headcount") => Some("参加者数を記録しました。"),
        _ => None,
    };
    let listing = Listing {
        year,
        new_event: Default::default(),
        headcount_error: None,
        notice,
    };
    render(&state, &session, StatusCode::OK, listing).await
}

#[post("/dashboard/events")]
async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let fields = form_fields(&body);
    session.check_csrf(fields.get("csrf").map(String::as_str))?;
    let values: HashMap<String, String> = NEW_EVENT_FIELDS
        .iter()
        .filter_map(|name| Some((name.to_string(), fields.get(*name)?.trim().to_owned())))
        .collect();
    let json: Map<String, Value> = values
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    let year_of_input = values
        .get("held_on")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let created = match NewEvent::parse(Value::Object(json)) {
        Ok(new_event) => {
            db::run(&state.pool, move |conn| match pinned_form(conn, &new_event.template)? {
                Ok(form_version_id) => db::events::insert(conn, &new_event, form_version_id).map(Ok),
                Err(invalid) => Ok(Err(invalid)),
            })
            .await?
        }
        Err(invalid) => Err(invalid),
    };
    match created {
        Ok(event) => Ok(see_other(&format!(
            "/dashboard/events?fiscal_year={}&saved=event",
            FiscalYear::of(event.held_on).0
        ))),
        Err(invalid) => {
            let year = year_of_input.map_or_else(|| FiscalYear::of(Utc::now().date_naive()), FiscalYear::of);
            let new_event = dashboard::NewEventForm {
                values,
                error: Some((invalid.field.clone(), field_message(&invalid.field))),
            };
            let listing = Listing {
                year,
                new_event,
                headcount_error: None,
                notice: None,
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, listing).await
        }
    }
}

/// Staff read Japanese; the API's English messages stay in the JSON API.
fn field_message(field: &str) -> String {
    match field {
        "kind" => "種別を選んでください。",
        "title" => "タイトルを入力してください（200文字まで）。",
        "held_on" => "開催日を YYYY-MM-DD の形で入力してください。",
        "venue" => "会場は200文字までです。",
        "theme" => "テーマは200文字までです。",
        _ => "入力内容を確認してください。",
    }
    .to_owned()
}

#[post("/dashboard/events/{id}/headcount")]
async fn record_headcount(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, DashboardError> {
    let fields = form_fields(&body);
    session.check_csrf(fields.get("csrf").map(String::as_str))?;
    let Ok(id) = Uuid::parse_str(&id) else {
        return Ok(see_other("/dashboard/events"));
    };
    let typed = to_ascii_digits(fields.get("headcount").map_or("", |h| h.trim()));
    let headcount = if typed.is_empty() {
        Ok(None)
    } else {
        typed.parse::<i32>().map(Some)
    };
    let changes = headcount
        .ok()
        .filter(|count| count.is_none_or(|n| (0..=100_000).contains(&n)))
        .map(|headcount| EventChanges {
            headcount: Some(headcount),
            ..EventChanges::default()
        });
    let Some(changes) = changes else {
        let event = db::run(&state.pool, move |conn| db::events::find(conn, id)).await?;
        let listing = Listing {
            year: FiscalYear::of(event.held_on),
            new_event: Default::default(),
            headcount_error: Some((
                id,
                "参加者数は 0 以上の整数で入力してください（空欄で未記録に戻ります）。".into(),
            )),
            notice: None,
        };
        return render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, listing).await;
    };
    let event = db::run(&state.pool, move |conn| db::events::update(conn, id, &changes)).await?;
    Ok(see_other(&format!(
        "/dashboard/events?fiscal_year={}&saved=headcount",
        FiscalYear::of(event.held_on).0
    )))
}

#[get("/events/{id}/poster")]
async fn poster(
    state: web::Data<AppState>,
    _session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Ok(id) = Uuid::parse_str(&id) else {
        return Ok(see_other("/dashboard/events"));
    };
    let event = match db::run(&state.pool, move |conn| db::events::find(conn, id)).await {
        Ok(event) => event,
        Err(error) if error.is_not_found() => return Ok(see_other("/dashboard/events")),
        Err(error) => return Err(error.into()),
    };
    let url = state.survey_url(&event.code);
    let svg = qr::svg(&url).map_err(|error| DashboardError::Render(error.to_string()))?;
    Ok(html(StatusCode::OK, dashboard::poster_page(&event, &url, &svg)))
}
