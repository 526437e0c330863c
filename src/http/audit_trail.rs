//! The audit log's writing side: the middleware that records a request once its response is
//! known, and how the extractors name who made it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use super::AppState;
use crate::db::audit_log::Actor;
use crate::db::{self};
use crate::domain::token::Role;
use crate::services::audit;

/// Records the request if it is one the audit log keeps (see [`audit::is_audited`]).
pub async fn record_audited(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let response = next.call(request).await?;
    // Anonymous requests (attendees' answers above all) cost nothing more than this lookup.
    let actor = response.request().extensions().get::<Actor>().copied();
    let Some(actor) = actor else {
        return Ok(response);
    };
    let method = response.request().method().to_string();
    let query: Vec<(String, String)> = form_urlencoded::parse(response.request().query_string().as_bytes())
        .into_owned()
        .collect();
    let route = response.request().match_pattern().unwrap_or_default();
    if !audit::is_audited(&method, &route, actor, &query) {
        return Ok(response);
    }
    let path = response
        .request()
        .match_info()
        .iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let entry = audit::entry(actor, &method, &route, path, &query, response.status().as_u16());
    if let Some(state) = response.request().app_data::<web::Data<AppState>>() {
        if let Err(error) = db::run(&state.pool, move |conn| audit::record(conn, &entry)).await {
            tracing::error!(%error, "an action could not be written to the audit log");
        }
    }
    Ok(response)
}

/// Names who makes the request, for the audit log.
pub fn name_actor(request: &actix_web::HttpRequest, token_id: uuid::Uuid, role: Role) {
    request.extensions_mut().insert(Actor { token_id, role });
}
