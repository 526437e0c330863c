//! Uploaded files: a body read within a size limit, and the parts of a `multipart/form-data`
//! body (what a browser's file input sends) as text fields and the first file.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

use super::error::ApiError;
use crate::spreadsheet;

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

/// What may still be read of one request body: one limit for the whole body, however many
/// parts it has.
struct Budget(usize);

impl Budget {
    /// Refuses at once a body whose declared length is over the limit.
    fn for_request(request: &HttpRequest) -> Result<Self, ApiError> {
        let declared = request
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|length| length > MAX_UPLOAD_BYTES) {
            return Err(ApiError::PayloadTooLarge(MAX_UPLOAD_BYTES));
        }
        Ok(Self(MAX_UPLOAD_BYTES))
    }

    fn append(&mut self, bytes: &mut Vec<u8>, chunk: &[u8]) -> Result<(), ApiError> {
        self.0 = self
            .0
            .checked_sub(chunk.len())
            .ok_or(ApiError::PayloadTooLarge(MAX_UPLOAD_BYTES))?;
        bytes.extend_from_slice(chunk);
        Ok(())
    }
}

pub async fn whole_body(request: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut budget = Budget::for_request(request)?;
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload was cut short: {e}")))?;
        budget.append(&mut bytes, &chunk)?;
    }
    Ok(bytes)
}

/// A multipart body's text fields, and its first file (none when no file was chosen), all
/// within one limit. `admit` sees the text fields sent before the first file and may refuse the
/// request before the file is read (the dashboard's form sends its CSRF token first).
pub async fn multipart(
    request: &HttpRequest,
    payload: web::Payload,
    admit: impl Fn(&HashMap<String, String>) -> bool,
) -> Result<(HashMap<String, String>, Option<Vec<u8>>), ApiError> {
    let mut budget = Budget::for_request(request)?;
    let mut parts = Multipart::new(request.headers(), payload);
    let (mut fields, mut file) = (HashMap::new(), None);
    let mut admitted = false;
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|e| ApiError::BadRequest(format!("the multipart body is not valid: {e}")))?;
        let is_file = part.content_disposition().and_then(|d| d.get_filename()).is_some();
        if is_file && !admitted {
            if !admit(&fields) {
                return Err(ApiError::Forbidden);
            }
            admitted = true;
        }
        let name = part.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload was cut short: {e}")))?;
            budget.append(&mut bytes, &chunk)?;
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

/// A workbook sent as the body itself or as the file of a multipart form (what a browser's file
/// input sends); `None` for another media type.
pub async fn workbook(request: &HttpRequest, payload: web::Payload) -> Result<Option<Vec<u8>>, ApiError> {
    match media_type(request).as_str() {
        "multipart/form-data" => match multipart(request, payload, |_| true).await?.1 {
            Some(bytes) => Ok(Some(bytes)),
            None => Err(ApiError::BadRequest("the multipart body has no file".into())),
        },
        spreadsheet::MEDIA_TYPE | "application/octet-stream" => Ok(Some(whole_body(request, payload).await?)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_budget_covers_every_part_of_a_body() {
        let mut budget = Budget(MAX_UPLOAD_BYTES);
        let (mut first, mut second) = (Vec::new(), Vec::new());
        let half = vec![b'x'; MAX_UPLOAD_BYTES / 2];
        assert!(budget.append(&mut first, &half).is_ok());
        assert!(budget.append(&mut second, &half).is_ok());
        assert!(matches!(
            budget.append(&mut second, b"x"),
            Err(ApiError::PayloadTooLarge(_))
        ));
    }
}
