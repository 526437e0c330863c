//! Indicator plans from the dashboard: the editor's form becomes the API's plan body (one
//! validation), written through `services::plans`; deleting asks first; considerations are
//! written per fiscal year with a preview as the report prints them.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Map, Value};

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other, typed_fields, typed_number};
use crate::db;
use crate::db::indicator_plans::StoredPlan;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::{ConsiderationBody, IndicatorPlan};
use crate::domain::lang::Lang;
use crate::domain::validation::ValidationError;
use crate::http::AppState;
use crate::pages::dashboard::NewEventForm;
use crate::pages::plan_editor::{
    consideration_page, delete_plan_page, plan_page, target_rows, text_fields, ConsiderationView, PlanEditView,
};
use crate::services;
use crate::services::plans;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `new` before `{slug}`, which would take it.
    cfg.service(new_plan)
        .service(create)
        .service(confirm_delete)
        .service(delete)
        .service(consideration)
        .service(write_consideration)
        .service(edit)
        .service(save);
}

/// The plan as the form shows it.
fn recorded_values(stored: &StoredPlan) -> HashMap<String, String> {
    let plan = &stored.plan;
    let mut values = HashMap::from([
        ("title_ja".to_owned(), plan.title.ja.clone()),
        ("title_en".to_owned(), plan.title.en.clone()),
        ("assumed_population".to_owned(), plan.assumed_population.to_string()),
    ]);
    for kind in &plan.event_kinds {
        values.insert(format!("kind_{}", kind.as_str()), "on".to_owned());
    }
    for (row, (year, target)) in plan.targets.iter().enumerate() {
        values.insert(format!("target_year_{row}"), year.0.to_string());
        values.insert(format!("target_value_{row}"), target.to_string());
    }
    let texts = &plan.texts;
    for (name, text) in [
        ("description", &texts.description),
        ("indicator_reason", &texts.indicator_reason),
        ("method_publicity", &texts.method_publicity),
        ("method_questionnaires", &texts.method_questionnaires),
        ("method_drivers", &texts.method_drivers),
    ] {
        values.insert(name.to_owned(), text.clone().unwrap_or_default());
    }
    values
}

/// How many target rows a form posted.
fn posted_rows(typed: &HashMap<String, String>) -> usize {
    typed.keys().filter(|name| name.starts_with("target_year_")).count()
}

/// The posted form as typed, and as the API's plan body.
fn plan_body(fields: &HashMap<String, String>) -> (HashMap<String, String>, Value) {
    let typed = typed_fields(fields);
    let field = |name: &str| typed.get(name).map_or("", String::as_str);
    let kinds: Vec<&str> = EventKind::ATTENDED
        .iter()
        .map(|kind| kind.as_str())
        .filter(|kind| !field(&format!("kind_{kind}")).is_empty())
        .collect();
    let mut targets = Map::new();
    for row in 0..posted_rows(&typed) {
        let (year, target) = (
            field(&format!("target_year_{row}")),
            field(&format!("target_value_{row}")),
        );
        if !year.is_empty() || !target.is_empty() {
            targets.insert(year.to_owned(), typed_number(target));
        }
    }
    let population = field("assumed_population");
    let mut body = json!({
        "title": {"ja": field("title_ja"), "en": field("title_en")},
        "event_kinds": kinds,
        "assumed_population": if population.is_empty() { Value::Null } else { typed_number(population) },
        "targets": targets,
    });
    let mut method = Map::new();
    for (name, _, _) in text_fields(Lang::Ja) {
        let text = field(name);
        if text.is_empty() {
            continue;
        }
        match name.strip_prefix("method_") {
            Some(step) => {
                method.insert(step.to_owned(), json!(text));
            }
            None => body[name] = json!(text),
        }
    }
    if !method.is_empty() {
        body["method"] = Value::Object(method);
    }
    (typed, body)
}

/// A refusal in staff's words, in the page's language; the API keeps its own messages.
fn field_message(l: Lang, invalid: &ValidationError) -> String {
    match (invalid.top_field(), invalid.code) {
        ("slug", "taken") => l.pick(
            "その識別子の計画はすでにあります。別の識別子にしてください。",
            "A plan with that identifier exists already. Choose another. ",
        ),
        ("slug", _) => l.pick(
            "識別子は半角英小文字・数字・ハイフン・下線で、64文字までです。",
            "The identifier is lower-case letters, digits, hyphens and underscores, at most 64. ",
        ),
        ("title", _) => l.pick(
            "指標の名前を日本語と英語の両方で入力してください。",
            "Enter the indicator's name in both Japanese and English. ",
        ),
        ("event_kinds", _) => l.pick(
            "数えるイベントの種別を一つ以上選んでください。",
            "Choose at least one event kind to count. ",
        ),
        ("assumed_population", _) => l.pick(
            "想定対象者数は 1 以上の整数で入力してください。",
            "The assumed population is a whole number, 1 or more. ",
        ),
        ("targets", _) => l.pick(
            "目標は、年度を選んだ行ごとに 0 以上の整数で入力してください（1行以上）。",
            "Give a target (a whole number, 0 or more) on every row with a fiscal year (at least one row). ",
        ),
        _ => l.pick(
            "説明はそれぞれ5000文字までです。",
            "Each text takes at most 5000 characters. ",
        ),
    }
    .to_owned()
}

/// The editor; `rows` of targets are offered (those recorded and three more, or as posted).
async fn render(
    session: &StaffSession,
    status: StatusCode,
    slug: Option<&str>,
    form: NewEventForm,
    rows: usize,
) -> Result<HttpResponse, DashboardError> {
    let view = PlanEditView {
        slug,
        target_rows: rows,
        form,
    };
    Ok(html(status, plan_page(&chrome(session), &view)))
}

/// The editor again with what was typed, and what was wrong in staff's words.
async fn refused(
    session: &StaffSession,
    slug: Option<&str>,
    typed: HashMap<String, String>,
    invalid: &ValidationError,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let rows = posted_rows(&typed);
    let form = NewEventForm {
        error: Some((invalid.top_field().to_owned(), field_message(l, invalid))),
        values: typed,
    };
    render(session, StatusCode::UNPROCESSABLE_ENTITY, slug, form, rows).await
}

async fn find(state: &AppState, slug: &str) -> Result<Option<StoredPlan>, DashboardError> {
    let slug = slug.to_owned();
    match db::run(&state.pool, move |conn| services::plans::find(conn, &slug)).await {
        Ok(stored) => Ok(Some(stored)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn to_indicators(saved: &str) -> HttpResponse {
    see_other(&format!("/dashboard/indicators?saved={saved}"))
}

#[get("/dashboard/indicator-plans/new")]
async fn new_plan(session: StaffSession) -> Result<HttpResponse, DashboardError> {
    render(&session, StatusCode::OK, None, NewEventForm::default(), target_rows(0)).await
}

#[post("/dashboard/indicator-plans")]
async fn create(state: web::Data<AppState>, form: StaffForm) -> Result<HttpResponse, DashboardError> {
    let StaffForm { session, fields, .. } = form;
    let (typed, body) = plan_body(&fields);
    let slug = typed.get("slug").cloned().unwrap_or_default();
    let created = match IndicatorPlan::parse(&slug, body) {
        Ok(plan) => db::run(&state.pool, move |conn| plans::create(conn, &plan)).await?,
        Err(invalid) => Err(invalid),
    };
    match created {
        Ok(_) => Ok(to_indicators("plan")),
        Err(invalid) => refused(&session, None, typed, &invalid).await,
    }
}

#[get("/dashboard/indicator-plans/{slug}")]
async fn edit(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(stored) = find(&state, &slug).await? else {
        return Ok(see_other("/dashboard/indicators"));
    };
    let form = NewEventForm {
        values: recorded_values(&stored),
        error: None,
    };
    let rows = target_rows(stored.plan.targets.len());
    render(&session, StatusCode::OK, Some(&stored.plan.slug), form, rows).await
}

#[post("/dashboard/indicator-plans/{slug}")]
async fn save(
    state: web::Data<AppState>,
    form: StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let StaffForm { session, fields, .. } = form;
    let Some(stored) = find(&state, &slug).await? else {
        return Ok(see_other("/dashboard/indicators"));
    };
    let (typed, body) = plan_body(&fields);
    match IndicatorPlan::parse(&stored.plan.slug, body) {
        Ok(plan) => {
            db::run(&state.pool, move |conn| plans::save(conn, &plan)).await?;
            Ok(to_indicators("plan"))
        }
        Err(invalid) => refused(&session, Some(&stored.plan.slug), typed, &invalid).await,
    }
}

#[get("/dashboard/indicator-plans/{slug}/delete")]
async fn confirm_delete(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(stored) = find(&state, &slug).await? else {
        return Ok(see_other("/dashboard/indicators"));
    };
    Ok(html(
        StatusCode::OK,
        delete_plan_page(&chrome(&session), &stored.plan.slug, &stored.plan.title.ja),
    ))
}

#[post("/dashboard/indicator-plans/{slug}/delete")]
async fn delete(
    state: web::Data<AppState>,
    _posted: StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let slug = slug.into_inner();
    match db::run(&state.pool, move |conn| plans::delete(conn, &slug)).await {
        Ok(()) => Ok(to_indicators("deleted")),
        Err(error) if error.is_not_found() => Ok(see_other("/dashboard/indicators")),
        Err(error) => Err(error.into()),
    }
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

/// The plan and fiscal year a considerations path names, if both exist.
async fn consideration_target(
    state: &AppState,
    path: (String, String),
) -> Result<Option<(StoredPlan, FiscalYear, Option<String>)>, DashboardError> {
    let (slug, year) = path;
    let Some(year) = FiscalYear::parse(&year) else {
        return Ok(None);
    };
    let Some(stored) = find(state, &slug).await? else {
        return Ok(None);
    };
    let written = db::run(&state.pool, move |conn| plans::considerations(conn, &slug)).await?;
    Ok(Some((stored, year, written.get(&year).cloned())))
}

#[get("/dashboard/indicator-plans/{slug}/considerations/{year}")]
async fn consideration(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let Some((stored, year, written)) = consideration_target(&state, path.into_inner()).await? else {
        return Ok(see_other("/dashboard/indicators"));
    };
    let view = ConsiderationView {
        slug: &stored.plan.slug,
        plan_title: &stored.plan.title.ja,
        year,
        text: written.as_deref().unwrap_or_default(),
        error: None,
        notice: query.saved.is_some().then_some(l.pick(
            "考察を保存しました。報告書に載ります。",
            "Considerations saved. The report shows them. ",
        )),
    };
    Ok(html(StatusCode::OK, consideration_page(&chrome(&session), &view)))
}

#[post("/dashboard/indicator-plans/{slug}/considerations/{year}")]
async fn write_consideration(
    state: web::Data<AppState>,
    form: StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let Some((stored, year, _)) = consideration_target(&state, path.into_inner()).await? else {
        return Ok(see_other("/dashboard/indicators"));
    };
    let typed = fields.get("text").map_or("", String::as_str);
    let preview = fields.get("action").is_some_and(|action| action == "preview");
    let parsed = ConsiderationBody { text: typed.to_owned() }.checked();
    let error = match (&parsed, preview) {
        (Ok(text), false) => {
            let (slug, text) = (stored.plan.slug.clone(), text.clone());
            db::run(&state.pool, move |conn| {
                plans::write_consideration(conn, &slug, year, &text)
            })
            .await?;
            return Ok(see_other(&format!(
                "/dashboard/indicator-plans/{}/considerations/{}?saved=1",
                stored.plan.slug, year.0
            )));
        }
        (Err(invalid), false) if invalid.code == "required" || typed.trim().is_empty() => {
            Some(l.pick("考察を入力してください。", "Enter the considerations. "))
        }
        (Err(_), false) => Some(l.pick(
            "考察は20000文字までです。",
            "Considerations take at most 20000 characters. ",
        )),
        (_, true) => None,
    };
    let view = ConsiderationView {
        slug: &stored.plan.slug,
        plan_title: &stored.plan.title.ja,
        year,
        text: typed,
        error,
        notice: None,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, consideration_page(&chrome(&session), &view)))
}
