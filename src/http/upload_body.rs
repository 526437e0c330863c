//! Uploaded files: a body read within a size limit, and the parts of a `multipart/form-data`
//! body (what a browser's file input sends) as text fields and the first file.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

use super::error::ApiError;

/// A workbook is larger than an API body: a form of a hundred questions is some 50 KB.
pub const MAX_UPLOAD_BYTES: usize = 2 * 1024 * 1024;

/// The request's media type, lower-cased, without parameters.
pub fn media_type(request: &HttpRequest) -> String {
    request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

pub async fn whole_body(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload was cut short: {e}")))?;
        append_within_limit(&mut bytes, &chunk)?;
    }
    Ok(bytes)
}

/// A multipart body's text fields, and its first file (none when no file was chosen).
pub async fn multipart(
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<(HashMap<String, String>, Option<Vec<u8>>), ApiError> {
    let mut parts = Multipart::new(request.headers(), payload);
    let (mut fields, mut file) = (HashMap::new(), None);
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|e| ApiError::BadRequest(format!("the multipart body is not valid: {e}")))?;
        let is_file = part.content_disposition().and_then(|d| d.get_filename()).is_some();
        let name = part.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload was cut short: {e}")))?;
            append_within_limit(&mut bytes, &chunk)?;
        }
        if is_file {
            if file.is_none() && !bytes.is_empty() {
                file = Some(bytes);
            }
        } else {
            fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok((fields, file))
}

fn append_within_limit(bytes: &mut Vec<u8>, chunk: &[u8]) -> Result<(), ApiError> {
    if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::PayloadTooLarge(MAX_UPLOAD_BYTES));
    }
    bytes.extend_from_slice(chunk);
    Ok(())
}
