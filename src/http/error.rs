//! The API's one error type and its mapping to HTTP. Handlers return `ApiError`; database and
//! domain errors convert into it here, so status codes are decided in one place.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use analysis::AnalysisError;

use super::contract::{ErrorBody, ErrorDetail, FieldProblem};
use crate::db::DbError;
use crate::domain::answers::FieldError;
use crate::domain::event::Refusal;
use crate::domain::lang::Lang;
use crate::domain::validation::ValidationError;
use crate::paper_workbook::SheetProblem;
use crate::services::analyses::AnalysesError;
use crate::services::form_upload::UploadProblem;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a bearer token is required")]
    Unauthorized,
    #[error("this token's role may not do this")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{}", match .0 {
        Refusal::Closed => "this event no longer accepts responses",
        Refusal::Cancelled => "this event was cancelled",
    })]
    Gone(Refusal),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// What the route accepts instead, e.g. `application/json`.
    #[error("the body must be sent as {0}")]
    UnsupportedMediaType(&'static str),
    #[error("{}", .0.message)]
    Invalid(ValidationError),
    #[error("{} answer(s) are not valid", .0.len())]
    InvalidAnswers(Vec<FieldError>),
    #[error("the form has {} problem(s): {}", .0.len(), .0.first().map_or("", |p| p.message.en.as_str()))]
    InvalidForm(Vec<UploadProblem>),
    #[error("the sheet has {} problem(s): {}", .0.len(), .0.first().map_or(String::new(), |p| format!("{}: {}", p.cell, p.message.en)))]
    InvalidSheet(Vec<SheetProblem>),
    #[error("{0}")]
    TextUnavailable(String),
    #[error("too many submissions from this address: try again in {0} s")]
    TooManyRequests(u64),
    #[error("the database is unavailable")]
    Unavailable,
    /// A bug or a broken dependency: logged with its chain of causes, never shown to the caller.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// What a client is told to wait before retrying while the database is unavailable.
pub const RETRY_WHEN_UNAVAILABLE_SECS: u64 = 5;

impl From<ValidationError> for ApiError {
    fn from(error: ValidationError) -> Self {
        Self::Invalid(error)
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Query(diesel::result::Error::NotFound) => Self::NotFound("resource"),
            error if error.is_unavailable() => Self::Unavailable,
            other => Self::internal(other),
        }
    }
}

impl From<AnalysesError> for ApiError {
    fn from(error: AnalysesError) -> Self {
        match error {
            AnalysesError::Db(error) => error.into(),
            AnalysesError::Invalid(error) => Self::Invalid(error),
            AnalysesError::Analysis(AnalysisError::Unsupported(message)) => {
                Self::Invalid(ValidationError::new("question", "unsupported", message))
            }
            AnalysesError::Analysis(error) => Self::internal(error),
            error @ AnalysesError::TextUnavailable(_) => Self::TextUnavailable(error.to_string()),
        }
    }
}

impl ApiError {
    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(error.into())
    }

    /// Maps a database error where "not found" means there is no such `what`.
    pub fn not_found_as(what: &'static str) -> impl Fn(DbError) -> ApiError {
        move |error| {
            if error.is_not_found() {
                ApiError::NotFound(what)
            } else {
                error.into()
            }
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Gone(Refusal::Closed) => "event_closed",
            Self::Gone(Refusal::Cancelled) => "event_cancelled",
            Self::Conflict(_) => "conflict",
            Self::BadRequest(_) => "bad_request",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Invalid(error) => error.code,
            Self::InvalidAnswers(errors) => errors.first().map_or("invalid", |e| e.problem.code()),
            Self::InvalidForm(_) => "invalid_form",
            Self::InvalidSheet(_) => "invalid_sheet",
            Self::TooManyRequests(_) => "too_many_requests",
            Self::Unavailable => "unavailable",
            Self::TextUnavailable(_) => "text_analysis_unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Gone(_) => StatusCode::GONE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Invalid(_) | Self::InvalidAnswers(_) | Self::InvalidForm(_) | Self::InvalidSheet(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::TextUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(source) = self {
            tracing::error!(error = %with_causes(source.as_ref()), "internal error");
        }
        let mut error = ErrorDetail {
            code: self.code().to_owned(),
            message: self.to_string(),
            field: None,
            details: None,
        };
        match self {
            Self::Invalid(invalid) if !invalid.field.is_empty() => {
                error.field = Some(invalid.field.to_owned());
            }
            Self::InvalidAnswers(errors) => {
                if let Some(first) = errors.first() {
                    error.field = Some(first.field.clone());
                    error.message = format!("{}: {}", first.field, first.problem.message(Lang::En));
                }
                error.details = Some(
                    errors
                        .iter()
                        .map(|e| FieldProblem {
                            field: e.field.clone(),
                            code: e.problem.code().to_owned(),
                            message: e.problem.message(Lang::En).to_string(),
                        })
                        .collect(),
                );
            }
            Self::InvalidForm(problems) => {
                error.details = Some(
                    problems
                        .iter()
                        .map(|p| FieldProblem {
                            field: p.location.clone().unwrap_or_default(),
                            code: "invalid_form".into(),
                            message: p.message.en.clone(),
                        })
                        .collect(),
                );
            }
            Self::InvalidSheet(problems) => {
                error.details = Some(
                    problems
                        .iter()
                        .map(|p| FieldProblem {
                            field: p.cell.clone(),
                            code: p.code.into(),
                            message: p.message.en.clone(),
                        })
                        .collect(),
                );
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::Unauthorized => {
                response.insert_header(("WWW-Authenticate", "Bearer"));
            }
            Self::TooManyRequests(seconds) => {
                response.insert_header(("Retry-After", seconds.to_string()));
            }
            Self::Unavailable => {
                response.insert_header(("Retry-After", RETRY_WHEN_UNAVAILABLE_SECS.to_string()));
            }
            _ => {}
        }
        response.json(ErrorBody { error })
    }
}

/// An error and each of its causes, outermost first.
pub fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_is_logged_with_its_causes_and_shown_without_them() {
        let query = diesel::result::Error::QueryBuilderError("a set counts at most 3 keys".into());
        let error = ApiError::from(DbError::Query(query));
        let ApiError::Internal(source) = &error else {
            panic!("{error:?}");
        };
        let logged = with_causes(source.as_ref());
        assert!(logged.contains("a set counts at most 3 keys"), "{logged}");
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::MessageBody::try_into_bytes(error.error_response().into_body()).unwrap();
        assert!(
            !String::from_utf8_lossy(&body).contains("keys"),
            "the caller is told nothing of it"
        );
    }
}
