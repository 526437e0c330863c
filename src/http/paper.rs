//! Paper questionnaires by the sheet: an event's template to fill, and its import.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::auth::{Caller, STAFF};
use super::contract::{self, PaperImported};
use super::download::attachment;
use super::error::ApiError;
use super::events::{event_not_found, parse_event_id};
use super::{upload_body, AppState};
use crate::db;
use crate::domain::response_source::Entry;
use crate::services::paper_import::{self, PaperImport, TemplateError, TemplateOutcome};
use crate::spreadsheet;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(template).service(import);
}

/// The workbook to key an event's paper questionnaires into: one row per questionnaire, numbered
/// after those already keyed in; one column per question (per option of a multiple choice),
/// choices as their labels with a list of the allowed ones.
#[utoipa::path(
    get, path = "/api/v1/events/{id}/paper-responses/template.xlsx", tag = "submissions",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        (status = 410, description = "The event is cancelled", body = contract::ErrorBody),
        contract::CommonErrors, contract::TokenErrors)
)]
#[get("/events/{id}/paper-responses/template.xlsx")]
async fn template(state: web::Data<AppState>, caller: Caller, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let caller = caller.require(STAFF)?;
    let event_id = parse_event_id(&id)?;
    let forms = state.forms.clone();
    let entry = Entry::paper(caller.token_id);
    let outcome = db::run(&state.pool, move |conn| {
        Ok(paper_import::template(conn, &forms, event_id, entry))
    })
    .await?
    .map_err(|error| match error {
        TemplateError::Db(error) => event_not_found(error),
        TemplateError::Workbook(error) => ApiError::internal(error),
    })?;
    match outcome {
        TemplateOutcome::Ready(template) => Ok(attachment(
            spreadsheet::MEDIA_TYPE
                .parse()
                .map_err(|_| ApiError::internal("media type"))?,
            template.file_name,
            template.bytes,
        )),
        TemplateOutcome::Refused(refusal) => Err(ApiError::Gone(refusal)),
    }
}

/// A filled template, stored all or nothing as `paper` with the importing token: every problem
/// at its cell (`B7`) in `details`, and a second import of the same rows stores nothing new.
#[utoipa::path(
    post, path = "/api/v1/events/{id}/paper-responses/import", tag = "submissions",
    params(("id" = Uuid, Path)),
    request_body(content = contract::WorkbookBytes, description = "The filled template: as the body (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` or `application/octet-stream`) or as the file of a `multipart/form-data` upload", content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored", body = contract::PaperImported),
        (status = 200, description = "Every row was imported before: nothing new", body = contract::PaperImported),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        (status = 410, description = "The event is cancelled", body = contract::ErrorBody),
        (status = 413, description = "Larger than 2 MiB", body = contract::ErrorBody),
        (status = 415, description = "Neither a workbook nor multipart", body = contract::ErrorBody),
        (status = 422, description = "Every problem, each at its cell, in `details`; nothing stored", body = contract::ErrorBody),
        contract::CommonErrors, contract::TokenErrors)
)]
#[post("/events/{id}/paper-responses/import")]
async fn import(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.require(STAFF)?;
    let event_id = parse_event_id(&id)?;
    let bytes = upload_body::workbook(&request, payload)
        .await?
        .ok_or(ApiError::UnsupportedMediaType(
            "an .xlsx workbook, or multipart/form-data",
        ))?;
    let forms = state.forms.clone();
    let entry = Entry::paper(caller.token_id);
    let imported = db::lend(&state.pool, move |connections| {
        paper_import::import(connections, &forms, event_id, entry, &bytes)
    })
    .await
    .map_err(event_not_found)?;
    match imported {
        PaperImport::Imported { stored, repeated } => {
            let mut response = if stored > 0 {
                HttpResponse::Created()
            } else {
                HttpResponse::Ok()
            };
            Ok(response.json(PaperImported {
                stored,
                already_imported: repeated,
            }))
        }
        PaperImport::Refused(refusal) => Err(ApiError::Gone(refusal)),
        PaperImport::Problems(problems) => Err(ApiError::InvalidSheet(problems)),
    }
}
