use actix_web::{post, web, HttpRequest, HttpResponse};

use super::auth::{Caller, STAFF};
use super::contract::{self, SubmissionAccepted};
use super::error::ApiError;
use super::events::{event_not_found, parse_event_id};
use super::json_body::StrictJson;
use super::AppState;
use crate::db::{self, responses::SubmitOutcome};
use crate::domain::answers::SubmissionBody;
use crate::domain::response_source::Entry;
use crate::domain::validation::from_json_checked_by_reader;
use crate::services::submission::{self, Submission};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(submit_response).service(submit_paper_response);
}

/// Public: attendees post without a token. 201 for a new response, 200 with the same id when a
/// phone resends the same submission.
#[utoipa::path(
    post, path = "/api/v1/events/{id}/responses", tag = "submissions", security(()),
    params(("id" = Uuid, Path)), request_body = SubmissionBody,
    responses((status = 201, description = "Stored", body = contract::SubmissionAccepted),
        (status = 200, description = "A resend of a stored submission: its first id", body = contract::SubmissionAccepted),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        (status = 409, description = "The submission_id was used for other answers", body = contract::ErrorBody),
        (status = 410, description = "The event is closed or cancelled", body = contract::ErrorBody),
        (status = 429, description = "Too many submissions from this address", body = contract::ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait"))),
        contract::CommonErrors, contract::BodyErrors)
)]
#[post("/events/{id}/responses")]
async fn submit_response(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    state
        .submissions
        .check_request(&request)
        .map_err(ApiError::TooManyRequests)?;
    store(&state, &id, body.into_inner(), Entry::API).await
}

/// Staff key in a paper questionnaire: the same body and checks as the phone's, for any event
/// that is not cancelled (closed and past ones included), kept as `paper` with the token that
/// entered it.
#[utoipa::path(
    post, path = "/api/v1/events/{id}/paper-responses", tag = "submissions",
    params(("id" = Uuid, Path)), request_body = SubmissionBody,
    responses((status = 201, description = "Stored", body = contract::SubmissionAccepted),
        (status = 200, description = "The same questionnaire keyed in before: its first id", body = contract::SubmissionAccepted),
        (status = 404, description = "No such event", body = contract::ErrorBody),
        (status = 409, description = "The submission_id was used for other answers", body = contract::ErrorBody),
        (status = 410, description = "The event is cancelled", body = contract::ErrorBody),
        contract::CommonErrors, contract::BodyErrors, contract::TokenErrors)
)]
#[post("/events/{id}/paper-responses")]
async fn submit_paper_response(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<StrictJson>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    store(&state, &id, body.into_inner(), Entry::paper(caller.token_id)).await
}

/// Checks and stores one submission body (`{"submission_id", "answers"}`) sent as `entry`.
async fn store(state: &AppState, id: &str, body: StrictJson, entry: Entry) -> Result<HttpResponse, ApiError> {
    let event_id = parse_event_id(id)?;
    // The answers' reader refuses control characters answer by answer, listing every problem.
    let SubmissionBody { submission_id, answers } = from_json_checked_by_reader(body.0)?;
    let forms = state.forms.clone();
    let submission = db::run(&state.pool, move |conn| {
        submission::submit_to_event(conn, &forms, event_id, entry, submission_id, &answers)
    })
    .await
    .map_err(event_not_found)?;
    state.metrics.count_submission(&submission);
    match submission {
        Submission::Stored(SubmitOutcome::Created(id)) => Ok(HttpResponse::Created().json(SubmissionAccepted { id })),
        Submission::Stored(SubmitOutcome::Repeated(id)) => Ok(HttpResponse::Ok().json(SubmissionAccepted { id })),
        Submission::Stored(SubmitOutcome::Conflict) => Err(ApiError::Conflict(
            "this submission_id was already used for different answers".into(),
        )),
        Submission::Refused(refusal) => Err(ApiError::Gone(refusal)),
        Submission::Invalid(errors) => Err(ApiError::InvalidAnswers(errors)),
    }
}
