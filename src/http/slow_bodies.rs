//! A request body must arrive within a time limit: a client sending a byte a second would
//! otherwise hold a connection (and a worker's attention) for as long as it likes. The header's
//! own limit is actix's `client_request_timeout`; this one covers the body, whatever reads it.

use std::io;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use futures_util::StreamExt;

use super::AppState;

pub async fn limit_body_time(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // A request without a body (most GETs) has nothing to wait for.
    let headers = request.headers();
    let has_body = headers.contains_key(actix_web::http::header::TRANSFER_ENCODING)
        || headers
            .get(actix_web::http::header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    let limit = request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.body_timeout);
    if let Some(limit) = limit.filter(|_| has_body) {
        let payload = request.take_payload();
        request.set_payload(Payload::from(within(payload, limit)));
    }
    next.call(request).await
}

type BodyStream = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<web::Bytes, PayloadError>>>>;

/// The body's chunks until `limit` has passed since the request began, then an error.
fn within(payload: Payload, limit: Duration) -> BodyStream {
    let deadline = tokio::time::Instant::now() + limit;
    // Fused: a multipart parser polls again after the end.
    let chunks = futures_util::stream::unfold(Some(payload), move |payload| async move {
        let mut payload = payload?;
        match tokio::time::timeout_at(deadline, payload.next()).await {
            Ok(Some(chunk)) => Some((chunk, Some(payload))),
            Ok(None) => None,
            Err(_) => {
                let late = io::Error::new(io::ErrorKind::TimedOut, "the request body did not arrive in time");
                Some((Err(PayloadError::Io(late)), None))
            }
        }
    });
    Box::pin(chunks.fuse())
}
