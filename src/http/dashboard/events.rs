use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other};
use crate::db::{self, events::EventFilter};
use crate::domain::event::{EventChanges, NewEvent};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::lang::Lang;
use crate::domain::schedule::NewSeries;
use crate::domain::schedule::{weekday_code, Repeat, WEEKDAYS};
use crate::domain::validation::{to_ascii_digits, ValidationError};
use crate::http::AppState;
use crate::pages::events::{events_page, poster_page, EventsView};
use crate::pages::{dashboard, qr};
use crate::services;
use crate::services::{event_creation, event_editing};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(create_series)
        .service(record_headcount)
        .service(poster);
}

#[derive(Deserialize)]
struct ListQuery {
    fiscal_year: Option<String>,
    saved: Option<String>,
}

/// The fields the new-event and new-series forms may send.
const NEW_EVENT_FIELDS: [&str; 9] = [
    "kind", "title", "title_en", "held_on", "venue", "venue_en", "theme", "format", "notes",
];
const NEW_SERIES_FIELDS: [&str; 11] = [
    "kind",
    "title",
    "title_en",
    "venue",
    "venue_en",
    "format",
    "notes",
    "rrule",
    "starts_on",
    "ends_on",
    "skip",
];
/// The series form's schedule picker, kept as typed when the form comes back with a problem.
const PICKER_FIELDS: [&str; 8] = ["repeat", "weekday", "nth1", "nth2", "nth3", "nth4", "nth5", "nth_last"];
/// What the picker suggests: the recovery seminars' second and fourth Thursdays.
const DEFAULT_PICK: [(&str, &str); 4] = [("repeat", "monthly"), ("weekday", "TH"), ("nth2", "on"), ("nth4", "on")];

struct Listing {
    year: FiscalYear,
    new_event: dashboard::NewEventForm,
    new_series: dashboard::NewEventForm,
    headcount_error: Option<(Uuid, String)>,
    notice: Option<&'static str>,
}

impl Listing {
    fn of(year: FiscalYear) -> Self {
        let new_series = dashboard::NewEventForm {
            values: DEFAULT_PICK
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            error: None,
        };
        Self {
            year,
            new_event: Default::default(),
            new_series,
            headcount_error: None,
            notice: None,
        }
    }
}

/// The typed values of `names` (trimmed), and the same as the API's JSON so both share one
/// validation; `skip` becomes a list of dates.
fn typed(fields: &HashMap<String, String>, names: &[&str]) -> (HashMap<String, String>, Value) {
    let values: HashMap<String, String> = names
        .iter()
        .filter_map(|name| Some((name.to_string(), fields.get(*name)?.trim().to_owned())))
        .collect();
    let json: Map<String, Value> = values
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| {
            let value = match name.as_str() {
                "skip" => value
                    .split(|c: char| c == ',' || c == '、' || c.is_whitespace())
                    .filter(|day| !day.is_empty())
                    .map(|day| Value::String(day.to_owned()))
                    .collect(),
                _ => Value::String(value.clone()),
            };
            (name.clone(), value)
        })
        .collect();
    (values, Value::Object(json))
}

/// The rule of the schedule picker: every week, or the weekday's ticked occurrences each month.
fn picked_rule(fields: &HashMap<String, String>) -> Option<String> {
    let code = fields.get("weekday")?;
    let weekday = WEEKDAYS.into_iter().find(|day| weekday_code(*day) == code)?;
    let repeat = match fields.get("repeat")?.as_str() {
        "weekly" => Repeat::Weekly(weekday),
        _ => {
            let ticked = |name: String| fields.contains_key(&name);
            let nths = (1..=5)
                .filter(|n| ticked(format!("nth{n}")))
                .chain(ticked("nth_last".to_owned()).then_some(-1))
                .collect();
            Repeat::Monthly(weekday, nths)
        }
    };
    repeat.rrule()
}

fn this_year() -> FiscalYear {
    FiscalYear::of(crate::domain::clock::today())
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
    let events = db::run(&state.pool, move |conn| services::events::list(conn, &filter)).await?;
    let survey_url = |code: &str| state.survey_url(code);
    let view = EventsView {
        year: listing.year,
        events: &events,
        survey_url: &survey_url,
        new_event: listing.new_event,
        new_series: listing.new_series,
        headcount_error: listing.headcount_error,
        notice: listing.notice,
    };
    Ok(html(status, events_page(&chrome(session), &view)))
}

#[get("/dashboard/events")]
async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let year = match query.fiscal_year.as_deref().and_then(FiscalYear::parse) {
        Some(year) => year,
        None => db::run(&state.pool, event_editing::shown_years).await?.latest,
    };
    let notice = match query.saved.as_deref() {
        Some("event") => Some(l.pick("イベントを作成しました。", "Event created. ")),
        Some("series") => Some(l.pick("定期開催のイベントを作成しました。", "Series created. ")),
        Some("headcount") => Some(l.pick("参加者数を記録しました。", "Headcount recorded. ")),
        Some("edited") => Some(l.pick("イベントを保存しました。", "Event saved. ")),
        Some("cancelled") => Some(l.pick("イベントを中止にしました。", "Event cancelled. ")),
        Some("reinstated") => Some(l.pick("イベントの中止を取り消しました。", "Event reinstated. ")),
        Some("deleted") => Some(l.pick("イベントを削除しました。", "Event deleted. ")),
        _ => None,
    };
    let listing = Listing {
        notice,
        ..Listing::of(year)
    };
    render(&state, &session, StatusCode::OK, listing).await
}

#[post("/dashboard/events")]
async fn create(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let (values, json) = typed(&fields, &NEW_EVENT_FIELDS);
    let year_of_input = values
        .get("held_on")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let created = match NewEvent::parse(json) {
        Ok(new_event) => db::run(&state.pool, move |conn| event_creation::create_event(conn, &new_event)).await?,
        Err(invalid) => Err(invalid),
    };
    match created {
        Ok(event) => Ok(see_other(&format!(
            "/dashboard/events?fiscal_year={}&saved=event",
            FiscalYear::of(event.held_on).0
        ))),
        Err(invalid) => {
            let year = year_of_input.map_or_else(this_year, FiscalYear::of);
            let new_event = refused(l, values, &invalid);
            let listing = Listing {
                new_event,
                ..Listing::of(year)
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, listing).await
        }
    }
}

/// The form as typed, with what was wrong in staff's words.
fn refused(l: Lang, values: HashMap<String, String>, invalid: &ValidationError) -> dashboard::NewEventForm {
    dashboard::NewEventForm {
        values,
        error: Some((invalid.top_field().to_owned(), field_message(l, invalid.top_field()))),
    }
}

/// A refusal in staff's words, in the page's language; the API keeps its own messages.
pub(super) fn field_message(l: Lang, field: &str) -> String {
    match field {
        "kind" => l.pick("種別を選んでください。", "Choose a kind. "),
        "title" => l.pick(
            "タイトルを入力してください（200文字まで）。",
            "Enter a title (at most 200 characters). ",
        ),
        "held_on" => l.pick(
            "開催日を YYYY-MM-DD の形で入力してください。",
            "Enter the date as YYYY-MM-DD. ",
        ),
        "venue" => l.pick("会場は200文字までです。", "The venue takes at most 200 characters. "),
        "title_en" => l.pick(
            "英語のタイトルは200文字までです。",
            "The English title takes at most 200 characters. ",
        ),
        "format" => l.pick("形式を選び直してください。", "Choose the format again. "),
        "notes" => l.pick("メモは2000文字までです。", "The note takes at most 2000 characters. "),
        "venue_en" => l.pick(
            "英語の会場名は200文字までです。",
            "The English venue takes at most 200 characters. ",
        ),
        "theme" => l.pick("テーマは200文字までです。", "The theme takes at most 200 characters. "),
        "headcount" => l.pick(
            "参加者数は 0 以上の整数で入力してください（空欄で未記録に戻ります）。",
            "The headcount is a whole number, 0 or more (empty makes it unrecorded again). ",
        ),
        "speakers" => l.pick(
            "講師・登壇者は、名前を入れた行ごとに種別を選んでください（名前は100文字まで）。",
            "Choose a kind for every speaker given a name (names at most 100 characters). ",
        ),
        "costs" => l.pick(
            "費用は 0 以上の整数（円）で入力してください。",
            "The cost is a whole number of yen, 0 or more. ",
        ),
        "rrule" => l.pick(
            "繰り返しの規則を確かめてください（例: FREQ=MONTHLY;BYDAY=2TH,4TH）。一度に作れるのは400回までです。",
            "Check the recurrence rule (e.g. FREQ=MONTHLY;BYDAY=2TH,4TH). At most 400 events at once. ",
        ),
        "starts_on" | "ends_on" => l.pick(
            "開始日と終了日を YYYY-MM-DD の形で、終了日は開始日以降にしてください。",
            "Enter the first and last days as YYYY-MM-DD, the last on or after the first. ",
        ),
        "skip" => l.pick(
            "開催しない日は、繰り返しに含まれる日を YYYY-MM-DD の形で入力してください。",
            "Days without an event must be days of the series, as YYYY-MM-DD. ",
        ),
        _ => l.pick("入力内容を確認してください。", "Check what was entered. "),
    }
    .to_owned()
}

#[post("/dashboard/series")]
async fn create_series(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let (mut values, mut json) = typed(&fields, &NEW_SERIES_FIELDS);
    // A rule typed under "advanced" wins over the picker.
    if json.get("rrule").is_none() {
        if let Some(rule) = picked_rule(&fields) {
            json["rrule"] = Value::String(rule);
        }
    }
    values.extend(
        PICKER_FIELDS
            .iter()
            .filter_map(|name| Some((name.to_string(), fields.get(*name)?.clone()))),
    );
    let planned = NewSeries::parse(json).and_then(|series| series.dates().map(|dates| (series, dates)));
    let created = match planned {
        Ok((series, dates)) => {
            let starts_on = series.starts_on;
            db::run(&state.pool, move |conn| {
                event_creation::create_series(conn, &series, &dates)
            })
            .await?
            .map(|_| starts_on)
        }
        Err(invalid) => Err(invalid),
    };
    match created {
        Ok(starts_on) => Ok(see_other(&format!(
            "/dashboard/events?fiscal_year={}&saved=series",
            FiscalYear::of(starts_on).0
        ))),
        Err(invalid) => {
            let new_series = refused(l, values, &invalid);
            let listing = Listing {
                new_series,
                ..Listing::of(this_year())
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, listing).await
        }
    }
}

#[post("/dashboard/events/{id}/headcount")]
async fn record_headcount(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
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
        let event = db::run(&state.pool, move |conn| services::events::find(conn, id)).await?;
        let message = l.pick(
            "参加者数は 0 以上の整数で入力してください（空欄で未記録に戻ります）。",
            "The headcount is a whole number, 0 or more (empty makes it unrecorded again). ",
        );
        let listing = Listing {
            headcount_error: Some((id, message.into())),
            ..Listing::of(FiscalYear::of(event.held_on))
        };
        return render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, listing).await;
    };
    let event = db::run(&state.pool, move |conn| event_editing::update(conn, id, &changes)).await?;
    Ok(see_other(&format!(
        "/dashboard/events?fiscal_year={}&saved=headcount",
        FiscalYear::of(event.held_on).0
    )))
}

#[get("/events/{id}/poster")]
async fn poster(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Ok(id) = Uuid::parse_str(&id) else {
        return Ok(see_other("/dashboard/events"));
    };
    let event = match db::run(&state.pool, move |conn| services::events::find(conn, id)).await {
        Ok(event) => event,
        Err(error) if error.is_not_found() => return Ok(see_other("/dashboard/events")),
        Err(error) => return Err(error.into()),
    };
    let url = state.survey_url(&event.code);
    let svg = qr::svg(&url).map_err(DashboardError::render)?;
    Ok(html(StatusCode::OK, poster_page(session.lang, &event, &url, &svg)))
}
