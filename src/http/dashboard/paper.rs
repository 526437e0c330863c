//! Keying in paper questionnaires: the event's own form, posted with the session's CSRF token
//! and checked as the phone's answers are, stored as `paper` with the token signed in; one after
//! another, for closed and past events too (never a cancelled one); or many at once, from the
//! event's Excel template filled in.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::session::{DashboardError, StaffForm, StaffSession};
use super::{chrome, html, see_other};
use crate::db;
use crate::domain::response_source::Entry;
use crate::http::download::attachment;
use crate::http::survey_page::{raw_answers, render_entry_form, PostedForm};
use crate::http::AppState;
use crate::pages::paper::{import_problems_page, paper_refused_page};
use crate::pages::survey::{FormValues, PaperEntry};
use crate::paper_workbook::SheetProblem;
use crate::services;
use crate::services::paper_import::{self, PaperImport, TemplateError, TemplateOutcome};
use crate::services::submission::{EventKey, Submission, Survey};
use crate::spreadsheet;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(save).service(template).service(import);
}

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

fn cancelled(session: &StaffSession, survey: &Survey) -> HttpResponse {
    let (_, back) = paths(survey);
    html(
        StatusCode::GONE,
        paper_refused_page(&chrome(session), &survey.event.title, &back),
    )
}

async fn load(state: &AppState, id: &str) -> Result<Option<Survey>, DashboardError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    let forms = state.forms.clone();
    match db::run(&state.pool, move |conn| Survey::load(conn, &forms, &EventKey::Id(id))).await {
        Ok(survey) => Ok(Some(survey)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

#[get("/dashboard/events/{id}/paper")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    query: web::Query<Saved>,
) -> Result<HttpResponse, DashboardError> {
    let Some(survey) = load(&state, &id).await? else {
        return Ok(see_other("/dashboard/events"));
    };
    if survey.refusal_for(Entry::paper(session.session.token_id)).is_some() {
        return Ok(cancelled(&session, &survey));
    }
    let saved = match query.saved {
        Some(_) => {
            let event_id = survey.event.id;
            let counted = db::run(&state.pool, move |conn| services::events::find(conn, event_id)).await?;
            Some(counted.response_count)
        }
        None => None,
    };
    let (action, back) = paths(&survey);
    let paper = PaperEntry {
        action: &action,
        csrf: &session.session.csrf_token,
        back: &back,
        saved,
    };
    let form = render_entry_form(
        &survey,
        session.lang,
        Uuid::new_v4(),
        &FormValues::new(),
        &[],
        Some(paper),
    );
    Ok(html(StatusCode::OK, form))
}

fn paths(survey: &Survey) -> (String, String) {
    (
        format!("/dashboard/events/{}/paper", survey.event.id),
        format!("/dashboard/events/{}", survey.event.id),
    )
}

#[post("/dashboard/events/{id}/paper")]
async fn save(
    state: web::Data<AppState>,
    form: StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let StaffForm { session, body, .. } = form;
    let Some(survey) = load(&state, &id).await? else {
        return Ok(see_other("/dashboard/events"));
    };
    let posted = PostedForm::parse(&body);
    let entry = Entry::paper(session.session.token_id);
    // A sheet without its hidden id is saved under a new one: staff key each sheet once.
    let submission_id = posted.submission_id.unwrap_or_else(Uuid::new_v4);
    let raw = raw_answers(&survey.form.definition, &posted.values);
    let event_id = survey.event.id;
    let forms = state.forms.clone();
    let submission = db::run(&state.pool, move |conn| {
        crate::services::submission::submit_to_event(conn, &forms, event_id, entry, submission_id, &raw)
    })
    .await?;
    state.metrics.count_submission(&submission);
    match submission {
        Submission::Stored(_) => Ok(see_other(&format!("/dashboard/events/{event_id}/paper?saved=1"))),
        Submission::Refused(_) => Ok(cancelled(&session, &survey)),
        Submission::Invalid(errors) => {
            let (action, back) = paths(&survey);
            let paper = PaperEntry {
                action: &action,
                csrf: &session.session.csrf_token,
                back: &back,
                saved: None,
            };
            let form = render_entry_form(
                &survey,
                session.lang,
                submission_id,
                &posted.values,
                &errors,
                Some(paper),
            );
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, form))
        }
    }
}

#[get("/dashboard/events/{id}/paper/template.xlsx")]
async fn template(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
) -> Result<HttpResponse, DashboardError> {
    let Some(survey) = load(&state, &id).await? else {
        return Ok(see_other("/dashboard/events"));
    };
    let event_id = survey.event.id;
    let forms = state.forms.clone();
    let entry = Entry::paper(session.session.token_id);
    let outcome = db::run(&state.pool, move |conn| {
        Ok(paper_import::template(conn, &forms, event_id, entry))
    })
    .await?;
    match outcome {
        Ok(TemplateOutcome::Ready(template)) => Ok(attachment(
            spreadsheet::MEDIA_TYPE
                .parse()
                .map_err(|_| DashboardError::render("media type"))?,
            template.file_name,
            template.bytes,
        )),
        Ok(TemplateOutcome::Refused(_)) => Ok(cancelled(&session, &survey)),
        Err(TemplateError::Db(error)) => Err(error.into()),
        Err(TemplateError::Workbook(error)) => Err(DashboardError::render(error)),
    }
}

/// A filled template from the event page's file input: stored, then back to the event with how
/// many; or every problem at its cell, nothing stored.
#[post("/dashboard/events/{id}/paper/import")]
async fn import(
    state: web::Data<AppState>,
    session: StaffSession,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, DashboardError> {
    let Some(survey) = load(&state, &id).await? else {
        return Ok(see_other("/dashboard/events"));
    };
    let event_id = survey.event.id;
    let bytes = match session.uploaded_file(&request, payload).await? {
        Ok(bytes) => bytes,
        Err(message) => {
            let problem = SheetProblem::new("—", "upload", message.clone(), message);
            return Ok(problems_page(&session, &survey, &[problem]));
        }
    };
    let forms = state.forms.clone();
    let entry = Entry::paper(session.session.token_id);
    let imported = db::lend(&state.pool, move |connections| {
        paper_import::import(connections, &forms, event_id, entry, &bytes)
    })
    .await?;
    match imported {
        PaperImport::Imported { stored, repeated } => Ok(see_other(&format!(
            "/dashboard/events/{event_id}?imported={stored}&repeated={repeated}"
        ))),
        PaperImport::Refused(_) => Ok(cancelled(&session, &survey)),
        PaperImport::Problems(problems) => Ok(problems_page(&session, &survey, &problems)),
    }
}

fn problems_page(session: &StaffSession, survey: &Survey, problems: &[SheetProblem]) -> HttpResponse {
    html(
        StatusCode::UNPROCESSABLE_ENTITY,
        import_problems_page(&chrome(session), &survey.event.title, survey.event.id, problems),
    )
}
