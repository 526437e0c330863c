//! What any operation may answer when it fails: the error body ([`ApiError`] builds it) and the
//! sets of error responses the operations list. The sets are read only by the document's derive,
//! so their variants are never constructed.
//!
//! [`ApiError`]: crate::http::error::ApiError

use serde::Serialize;
use utoipa::{IntoResponses, ToSchema};

/// Every error: a stable `code` to branch on, a `message` for people, and the `field` at fault
/// when one is.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    #[schema(examples("invalid_value", "not_found", "unauthorized", "unavailable"))]
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every answer at fault, when a submission's answers are refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<FieldProblem>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What any operation may answer besides its own responses.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum CommonErrors {
    /// The query string or body is malformed.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// A field is missing, of the wrong type or out of range; `field` names it.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// The database is unavailable; retry after the given seconds.
    #[response(status = 503, headers(("Retry-After" = u64, description = "seconds to wait")))]
    Unavailable(ErrorBody),
}

/// What an operation with a JSON body may answer besides its own responses.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum BodyErrors {
    /// The body is larger than the server accepts.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is not sent as `application/json`.
    #[response(status = 415)]
    NotJson(ErrorBody),
}

/// What a token-protected operation may answer besides its own responses.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum TokenErrors {
    /// No valid bearer token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token's role may not do this.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}
