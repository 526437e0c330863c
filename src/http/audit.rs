//! `GET /api/v1/audit-log`: the audit log for administrators (written by
//! [`super::audit_trail`]).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use super::contract::{self, AuditEntryView, AuditLogView};
use super::error::ApiError;
use super::AppState;
use crate::db::audit_log::Filter;
use crate::db::{self};
use crate::domain::query_params::QueryParams;
use crate::domain::token::Role;
use crate::domain::validation::ValidationError;
use crate::services::audit;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(audit_log);
}

#[utoipa::path(
    get, path = "/api/v1/audit-log", tag = "audit",
    params(AuditParams),
    responses((status = 200, description = "Entries, newest first", body = contract::AuditLogView), contract::CommonErrors, contract::TokenErrors)
)]
#[get("/audit-log")]
async fn audit_log(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let filter = parse_filter(query.into_inner())?;
    let entries = db::run(&state.pool, move |conn| audit::entries(conn, &filter)).await?;
    Ok(HttpResponse::Ok().json(AuditLogView {
        entries: entries.iter().map(AuditEntryView::from).collect(),
    }))
}

/// Which entries are listed.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditParams {
    /// Entries of one token.
    #[param(value_type = Option<uuid::Uuid>)]
    token: Option<String>,
    /// Entries whose action contains this text, e.g. `responses.csv` or `PATCH`.
    action: Option<String>,
    /// From this time (RFC 3339).
    since: Option<String>,
    /// Before this time (RFC 3339).
    until: Option<String>,
    /// At most this many, newest first (1 to 1000, 200 by default).
    #[param(minimum = 1)]
    limit: Option<u64>,
}

fn parse_filter(pairs: std::collections::HashMap<String, String>) -> Result<Filter, ValidationError> {
    let mut params = QueryParams::new(pairs);
    let given: AuditParams = params.take()?;
    params.finish()?;
    let time = |name: &'static str, text: Option<String>| -> Result<Option<DateTime<Utc>>, ValidationError> {
        text.map(|text| {
            DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    ValidationError::new(
                        name,
                        "invalid_value",
                        format!("{name} is a time such as 2026-04-01T00:00:00+09:00"),
                    )
                })
        })
        .transpose()
    };
    let since = time("since", given.since)?;
    let until = time("until", given.until)?;
    let token_id = given
        .token
        .map(|t| {
            uuid::Uuid::parse_str(&t)
                .map_err(|_| ValidationError::new("token", "invalid_value", "token is a token's id"))
        })
        .transpose()?;
    if given.limit == Some(0) {
        return Err(ValidationError::new("limit", "invalid_value", "limit is at least 1"));
    }
    Ok(Filter {
        token_id,
        action: given.action,
        since,
        until,
        limit: given.limit.map_or(200, |n| n.min(1000) as i64),
    })
}
