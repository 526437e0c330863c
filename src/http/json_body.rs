//! JSON bodies and query strings: a size limit and errors in the API's own format.

use actix_web::error::JsonPayloadError;
use actix_web::web;

use super::error::ApiError;

pub fn config(max_body_bytes: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(max_body_bytes)
        .error_handler(move |error, _request| {
            match error {
                JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                    ApiError::PayloadTooLarge(max_body_bytes)
                }
                JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
                other => ApiError::BadRequest(format!("the body is not valid JSON: {other}")),
            }
            .into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|error, _request| ApiError::BadRequest(format!("the query string is not valid: {error}")).into())
}
