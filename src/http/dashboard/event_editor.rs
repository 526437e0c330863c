//! The event editor: details, speakers and costs as one form that becomes the API's PATCH body
//! (one validation, one service), cancelling with a reason and undoing it, and deleting an event
//! nobody answered after a confirmation.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::events::field_message;
use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other, typed_number};
use crate::db;
use crate::db::events::EventRecord;
use crate::db::publicity::PublicityRecord;
use crate::domain::event::EventChanges;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::lang::Lang;
use crate::domain::publicity::NewPublicity;
use crate::domain::validation::ValidationError;
use crate::http::AppState;
use crate::pages::dashboard::NewEventForm;
use crate::pages::event_editor::cost_fields;
use crate::pages::event_editor::{delete_page, delete_publicity_page, edit_page, speaker_rows, EditView};
use crate::services;
use crate::services::event_editing::{self, Undeletable};
use crate::services::publicity;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page)
        .service(save)
        .service(cancel)
        .service(reinstate)
        .service(confirm_delete)
        .service(delete)
        .service(add_publicity)
        .service(confirm_delete_publicity)
        .service(delete_publicity);
}

/// Text fields that an empty input clears.
const TEXT_FIELDS: [&str; 7] = ["title", "title_en", "venue", "venue_en", "theme", "notes", "held_on"];

/// The event as the form shows it.
fn recorded_values(event: &EventRecord) -> HashMap<String, String> {
    let mut values = HashMap::new();
    let mut put = |name: &str, value: Option<String>| {
        values.insert(name.to_owned(), value.unwrap_or_default());
    };
    put("title", Some(event.title.clone()));
    put("title_en", event.title_en.clone());
    put("venue", event.venue.clone());
    put("venue_en", event.venue_en.clone());
    put("theme", event.theme.clone());
    put("notes", event.notes.clone());
    put("held_on", Some(event.held_on.to_string()));
    put("format", event.format.clone());
    put("headcount", event.headcount.map(|n| n.to_string()));
    for (row, speaker) in event
        .speakers
        .iter()
        .flat_map(|s| s.as_array().into_iter().flatten())
        .enumerate()
    {
        put(
            &format!("speaker_name_{row}"),
            speaker["name"].as_str().map(str::to_owned),
        );
        put(
            &format!("speaker_type_{row}"),
            speaker["type"].as_str().map(str::to_owned),
        );
    }
    for (item, _) in cost_fields(Lang::Ja) {
        put(
            &format!("cost_{item}"),
            event
                .costs
                .as_ref()
                .and_then(|c| c[item].as_i64())
                .map(|yen| yen.to_string()),
        );
    }
    values
}

/// The posted form as typed, and as the PATCH body that sets every field (empty clears).
fn changes_body(fields: &HashMap<String, String>, rows: usize) -> (HashMap<String, String>, Value) {
    let field = |name: &str| fields.get(name).map_or("", |value| value.trim());
    let mut typed = HashMap::new();
    let mut body = Map::new();
    for name in TEXT_FIELDS.into_iter().chain(["format", "headcount"]) {
        let value = field(name);
        typed.insert(name.to_owned(), value.to_owned());
        let json = match (name, value) {
            (_, "") => Value::Null,
            ("headcount", count) => typed_number(count),
            (_, text) => json!(text),
        };
        body.insert(name.to_owned(), json);
    }
    let mut speakers = Vec::new();
    for row in 0..rows {
        let (name_field, type_field) = (format!("speaker_name_{row}"), format!("speaker_type_{row}"));
        let (name, kind) = (field(&name_field), field(&type_field));
        typed.insert(name_field, name.to_owned());
        typed.insert(type_field, kind.to_owned());
        let mut speaker = Map::new();
        if !name.is_empty() {
            speaker.insert("name".into(), json!(name));
        }
        if !kind.is_empty() {
            speaker.insert("type".into(), json!(kind));
        }
        if !speaker.is_empty() {
            speakers.push(Value::Object(speaker));
        }
    }
    body.insert(
        "speakers".into(),
        if speakers.is_empty() {
            Value::Null
        } else {
            Value::Array(speakers)
        },
    );
    let mut costs = Map::new();
    for (item, _) in cost_fields(Lang::Ja) {
        let name = format!("cost_{item}");
        let value = field(&name);
        typed.insert(name, value.to_owned());
        if !value.is_empty() {
            costs.insert(item.to_owned(), typed_number(value));
        }
    }
    body.insert(
        "costs".into(),
        if costs.is_empty() {
            Value::Null
        } else {
            Value::Object(costs)
        },
    );
    (typed, Value::Object(body))
}

async fn find(state: &AppState, id: &str) -> Result<Option<EventRecord>, DashboardError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    match db::run(&state.pool, move |conn| services::events::find(conn, id)).await {
        Ok(event) => Ok(Some(event)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn no_such_event() -> HttpResponse {
    see_other("/dashboard/events")
}

/// The editor's three forms: the details as typed (or recorded), a new publicity record as
/// typed, and why a cancellation was refused.
struct Forms {
    details: NewEventForm,
    publicity: NewEventForm,
    cancel_error: Option<&'static str>,
    notice: Option<String>,
}

impl Forms {
    fn of(event: &EventRecord) -> Self {
        Self::with_details(NewEventForm {
            values: recorded_values(event),
            error: None,
        })
    }

    fn with_details(details: NewEventForm) -> Self {
        Self {
            details,
            publicity: NewEventForm::default(),
            cancel_error: None,
            notice: None,
        }
    }
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    event: &EventRecord,
    forms: Forms,
) -> Result<HttpResponse, DashboardError> {
    let id = event.id;
    let (released, publicity, agencies) = db::run(&state.pool, move |conn| {
        Ok((
            services::events::is_released(conn, id)?,
            publicity::of_event(conn, id)?,
            services::agencies::list(conn)?,
        ))
    })
    .await?;
    let recorded = event.speakers.as_ref().and_then(Value::as_array).map_or(0, Vec::len);
    let view = EditView {
        event,
        form: forms.details,
        publicity: &publicity,
        agencies: &agencies,
        publicity_form: forms.publicity,
        speaker_rows: speaker_rows(recorded),
        deletable: event.response_count == 0 && !released,
        cancel_error: forms.cancel_error,
        notice: forms.notice.as_deref(),
    };
    Ok(html(status, edit_page(&chrome(session), &view)))
}

fn back_to_list(event: &EventRecord, saved: &str) -> HttpResponse {
    see_other(&format!(
        "/dashboard/events?fiscal_year={}&saved={saved}",
        FiscalYear::of(event.held_on).0
    ))
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
    /// After a paper import: questionnaires stored, and found stored before.
    imported: Option<usize>,
    repeated: Option<usize>,
}

#[get("/dashboard/events/{id}")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    let notice = match (query.saved.as_deref(), query.imported) {
        (Some("publicity"), _) => Some((l.pick("広報の記録を追加しました。", "Publicity recorded. ")).to_owned()),
        (Some("publicity-deleted"), _) => Some((l.pick("広報の記録を削除しました。", "Publicity record deleted. ")).to_owned()),
        (_, Some(imported)) => Some(match (query.repeated.unwrap_or(0), l) {
            (0, Lang::Ja) => format!("紙のアンケート {imported} 件を取り込みました。"),
            (0, Lang::En) => format!("{imported} paper questionnaires imported."),
            (repeated, Lang::Ja) => format!("紙のアンケート {imported} 件を取り込みました（{repeated} 件は取り込み済みのため、保存し直していません）。"),
            (repeated, Lang::En) => format!("{imported} paper questionnaires imported ({repeated} had been imported already and were not stored again)."),
        }),
        _ => None,
    };
    let forms = Forms {
        notice,
        ..Forms::of(&event)
    };
    render(&state, &session, StatusCode::OK, &event, forms).await
}

/// Applies `body` as the API's PATCH would; the refusal, if any.
async fn apply(
    state: &AppState,
    id: Uuid,
    body: Value,
) -> Result<Result<EventRecord, ValidationError>, DashboardError> {
    let changes = match EventChanges::parse(body) {
        Ok(changes) => changes,
        Err(invalid) => return Ok(Err(invalid)),
    };
    Ok(Ok(db::run(&state.pool, move |conn| {
        event_editing::update(conn, id, &changes)
    })
    .await?))
}

#[post("/dashboard/events/{id}/edit")]
async fn save(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let StaffForm { session, fields, .. } = form;
    let l = session.lang;
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    let rows = speaker_rows(event.speakers.as_ref().and_then(Value::as_array).map_or(0, Vec::len));
    let (typed, changes) = changes_body(&fields, rows);
    match apply(&state, event.id, changes).await? {
        Ok(saved) => Ok(back_to_list(&saved, "edited")),
        Err(invalid) => {
            let form = NewEventForm {
                values: typed,
                error: Some((invalid.top_field().to_owned(), field_message(l, invalid.top_field()))),
            };
            render(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                &event,
                Forms::with_details(form),
            )
            .await
        }
    }
}

#[post("/dashboard/events/{id}/cancel")]
async fn cancel(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    let reason = fields.get("cancellation_reason").map_or("", |r| r.trim());
    let message = if reason.is_empty() {
        l.pick(
            "中止の理由を入力してください（報告書に載ります）。",
            "Enter why it was cancelled (the report shows it). ",
        )
    } else {
        match apply(
            &state,
            event.id,
            json!({"cancelled": true, "cancellation_reason": reason}),
        )
        .await?
        {
            Ok(saved) => return Ok(back_to_list(&saved, "cancelled")),
            Err(_) => l.pick(
                "中止の理由は1000文字までです。",
                "The reason takes at most 1000 characters. ",
            ),
        }
    };
    let mut values = recorded_values(&event);
    values.insert("cancellation_reason".into(), reason.to_owned());
    let forms = Forms {
        cancel_error: Some(message),
        ..Forms::with_details(NewEventForm { values, error: None })
    };
    render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, &event, forms).await
}

/// Staff's words for what the publicity form got wrong.
fn publicity_message(l: Lang, field: &str) -> &'static str {
    match field {
        "channel" => l.pick("媒体を選んでください。", "Choose a channel. "),
        "agency" => l.pick(
            "その機関は一覧にありません。関係機関のページで登録してください。",
            "That agency is not listed. Register it on the agencies page. ",
        ),
        "sent_on" => l.pick(
            "送付日を YYYY-MM-DD の形で入力してください。",
            "Enter the date sent as YYYY-MM-DD. ",
        ),
        "quantity" => l.pick(
            "数量は 0 以上の整数で入力してください。",
            "The quantity is a whole number, 0 or more. ",
        ),
        "cost" => l.pick(
            "費用は 0 以上の整数（円）で入力してください。",
            "The cost is a whole number of yen, 0 or more. ",
        ),
        "note" => l.pick("メモは1000文字までです。", "The note takes at most 1000 characters. "),
        _ => l.pick("入力内容を確認してください。", "Check what was entered. "),
    }
}

#[post("/dashboard/events/{id}/publicity")]
async fn add_publicity(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, fields, .. } = form;
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    let mut typed = HashMap::new();
    let mut body = Map::new();
    for name in ["channel", "agency", "sent_on", "quantity", "cost", "note"] {
        let value = fields.get(name).map_or("", |value| value.trim());
        typed.insert(name.to_owned(), value.to_owned());
        if !value.is_empty() {
            let json = match name {
                "quantity" | "cost" => typed_number(value),
                _ => json!(value),
            };
            body.insert(name.to_owned(), json);
        }
    }
    let recorded = match NewPublicity::parse(Value::Object(body)) {
        Ok(record) => {
            let event_id = event.id;
            db::run(&state.pool, move |conn| publicity::record(conn, event_id, &record)).await?
        }
        Err(invalid) => Err(invalid),
    };
    match recorded {
        Ok(_) => Ok(see_other(&format!(
            "/dashboard/events/{}?saved=publicity#publicity",
            event.id
        ))),
        Err(invalid) => {
            let forms = Forms {
                publicity: NewEventForm {
                    error: Some((
                        invalid.top_field().to_owned(),
                        publicity_message(l, invalid.top_field()).to_owned(),
                    )),
                    values: typed,
                },
                ..Forms::of(&event)
            };
            render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, &event, forms).await
        }
    }
}

/// The event and its publicity record named by a path, if both exist.
async fn find_record(
    state: &AppState,
    path: (String, String),
) -> Result<Option<(EventRecord, PublicityRecord)>, DashboardError> {
    let (event, record) = path;
    let (Some(event), Ok(record_id)) = (find(state, &event).await?, Uuid::parse_str(&record)) else {
        return Ok(None);
    };
    let event_id = event.id;
    let records = db::run(&state.pool, move |conn| publicity::of_event(conn, event_id)).await?;
    Ok(records
        .into_iter()
        .find(|record| record.id == record_id)
        .map(|record| (event, record)))
}

#[get("/dashboard/events/{id}/publicity/{record}/delete")]
async fn confirm_delete_publicity(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    Ok(match find_record(&state, path.into_inner()).await? {
        Some((event, record)) => html(
            StatusCode::OK,
            delete_publicity_page(&chrome(&session), &event, &record),
        ),
        None => no_such_event(),
    })
}

#[post("/dashboard/events/{id}/publicity/{record}/delete")]
async fn delete_publicity(
    state: web::Data<AppState>,
    _posted: StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DashboardError> {
    let Some((event, record)) = find_record(&state, path.into_inner()).await? else {
        return Ok(no_such_event());
    };
    let (event_id, record_id) = (event.id, record.id);
    db::run(&state.pool, move |conn| publicity::delete(conn, event_id, record_id)).await?;
    Ok(see_other(&format!(
        "/dashboard/events/{event_id}?saved=publicity-deleted#publicity"
    )))
}

#[post("/dashboard/events/{id}/reinstate")]
async fn reinstate(
    state: web::Data<AppState>,
    _posted: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    match apply(&state, event.id, json!({"cancelled": false})).await? {
        Ok(saved) => Ok(back_to_list(&saved, "reinstated")),
        Err(invalid) => Err(DashboardError::render(invalid.message)),
    }
}

#[get("/dashboard/events/{id}/delete")]
async fn confirm_delete(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    Ok(html(StatusCode::OK, delete_page(&chrome(&session), &event)))
}

#[post("/dashboard/events/{id}/delete")]
async fn delete(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let l = form.session.lang;
    let StaffForm { session, .. } = form;
    let Some(event) = find(&state, &id).await? else {
        return Ok(no_such_event());
    };
    let event_id = event.id;
    match db::run(&state.pool, move |conn| event_editing::delete(conn, event_id)).await? {
        Ok(deleted) => Ok(back_to_list(&deleted, "deleted")),
        Err(undeletable) => {
            let message = match undeletable {
                Undeletable::HasResponses => l.pick(
                    "回答があるため削除できません。開催しなかった場合は中止にしてください。",
                    "It cannot be deleted: people have answered. If it did not take place, cancel it. ",
                ),
                Undeletable::Released => l.pick(
                    "研究者向けの公開データに含まれているため削除できません。中止にしてください。",
                    "It cannot be deleted: the researchers' release counts it. Cancel it instead. ",
                ),
            };
            let form = NewEventForm {
                values: recorded_values(&event),
                error: Some(("delete".to_owned(), message.to_owned())),
            };
            render(
                &state,
                &session,
                StatusCode::CONFLICT,
                &event,
                Forms::with_details(form),
            )
            .await
        }
    }
}
