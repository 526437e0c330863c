//! The programme profile and the results report from the dashboard: the form becomes the API's
//! profile body (one validation) written through `services::programme`, and the report is the
//! API's, previewed as a page or downloaded.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Map, Value};

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other, typed_fields};
use crate::db;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::lang::Lang;
use crate::domain::programme::ProgrammeProfile;
use crate::domain::validation::ValidationError;
use crate::http::download::rendered_file;
use crate::http::programme::report_query;
use crate::http::AppState;
use crate::pages::dashboard::NewEventForm;
use crate::pages::programme::text_areas;
use crate::pages::programme::{programme_page, ProgrammeView};
use crate::services::event_editing;
use crate::services::programme::{self, ReportError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show).service(save).service(report);
}

const ONE_LINE_FIELDS: [&str; 3] = ["organisation", "implementing_body", "name"];

/// The profile as the form shows it: deliverables one per line.
fn recorded_values(profile: &ProgrammeProfile) -> HashMap<String, String> {
    let mut values: HashMap<String, String> = match profile.to_json() {
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(name, value)| Some((name, value.as_str()?.to_owned())))
            .collect(),
        _ => HashMap::new(),
    };
    values.insert("deliverables".into(), profile.deliverables.join("\n"));
    values
}

/// The posted form as typed, and as the API's profile body (an empty field is unwritten).
fn profile_body(fields: &HashMap<String, String>) -> (HashMap<String, String>, Value) {
    let typed = typed_fields(fields);
    let mut body = Map::new();
    for name in ONE_LINE_FIELDS
        .into_iter()
        .chain(text_areas(Lang::Ja).map(|(name, _, _)| name))
    {
        if let Some(text) = typed.get(name).filter(|text| !text.is_empty()) {
            body.insert(name.to_owned(), json!(text));
        }
    }
    let deliverables: Vec<&str> = typed
        .get("deliverables")
        .map(|text| text.lines().map(str::trim).filter(|line| !line.is_empty()).collect())
        .unwrap_or_default();
    body.insert("deliverables".to_owned(), json!(deliverables));
    (typed, Value::Object(body))
}

/// A refusal in staff's words, in the page's language; the API keeps its own messages.
fn field_message(l: Lang, invalid: &ValidationError) -> String {
    match invalid.top_field() {
        "organisation" | "implementing_body" | "name" => l.pick(
            "200文字までの1行で入力してください。",
            "One line of at most 200 characters. ",
        ),
        "deliverables" => l.pick(
            "最終成果物は1行に一つ、それぞれ200文字まで、50行までです。",
            "One deliverable per line, each at most 200 characters, at most 50 lines. ",
        ),
        _ => l.pick(
            "20000文字までで入力してください（制御文字は使えません）。",
            "At most 20000 characters (no control characters). ",
        ),
    }
    .to_owned()
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    form: NewEventForm,
    notice: Option<&str>,
) -> Result<HttpResponse, DashboardError> {
    let years = db::run(&state.pool, event_editing::shown_years).await?;
    let view = ProgrammeView {
        form,
        notice,
        // Three years at most, up to the latest with events.
        years: (FiscalYear(years.first.0.max(years.latest.0 - 2)), years.latest),
    };
    Ok(html(status, programme_page(&chrome(session), &view)))
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

#[get("/dashboard/programme")]
async fn show(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let (profile, _) = db::run(&state.pool, programme::profile).await?;
    let form = NewEventForm {
        values: recorded_values(&profile),
        error: None,
    };
    let notice = query
        .saved
        .as_ref()
        .map(|_| l.pick("事業の概要を保存しました。", "Programme profile saved. "));
    render(&state, &session, StatusCode::OK, form, notice).await
}

#[post("/dashboard/programme")]
async fn save(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let (typed, body) = profile_body(&fields);
    match ProgrammeProfile::parse(body) {
        Ok(profile) => {
            db::run(&state.pool, move |conn| programme::save_profile(conn, &profile)).await?;
            Ok(see_other("/dashboard/programme?saved=1"))
        }
        Err(invalid) => {
            let form = NewEventForm {
                error: Some((invalid.top_field().to_owned(), field_message(l, &invalid))),
                values: typed,
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, form, None).await
        }
    }
}

/// The report for the years and format picked, for a signed-in person.
#[get("/dashboard/programme-report")]
async fn report(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let Ok((request, format)) = report_query(query.into_inner(), session.staff()?) else {
        return Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(l.pick("最初と最後の年度（最後は最初と同じか、10年以内のあと）と形式を確かめてください。", "Check the first and last fiscal years (the last the same as the first or within ten years after) and the format. ")));
    };
    let rendered = state
        .run_analysis(move |connections| Ok(programme::rendered(connections, &request, format)))
        .await?;
    match rendered {
        Ok(rendered) => Ok(rendered_file(rendered)),
        Err(ReportError::Analyses(crate::services::analyses::AnalysesError::Db(error))) => Err(error.into()),
        Err(ReportError::Render(error)) => Err(DashboardError::render(error)),
        Err(ReportError::Analyses(_)) => Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(l.pick(
                "この条件では報告書を作れません。",
                "No report can be made for these choices. ",
            ))),
    }
}
