//! `GET /api/v1/audit-log`: the audit log for administrators (written by
//! [`super::audit_trail`]).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::auth::Caller;
use super::error::ApiError;
use super::{contract, AppState};
use crate::db::audit_log::Filter;
use crate::db::{self};
use crate::domain::response_filter::QueryParams;
use crate::domain::token::Role;
use crate::domain::validation::ValidationError;
use crate::services::audit;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(audit_log);
}

#[utoipa::path(
    get, path = "/api/v1/audit-log", tag = "audit",
    params(
        ("token" = Option<uuid::Uuid>, Query, description = "Entries of one token"),
        ("action" = Option<String>, Query, description = "Entries whose action contains this text, e.g. `responses.csv` or `PATCH`"),
        ("since" = Option<String>, Query, description = "From this time (RFC 3339)"),
        ("until" = Option<String>, Query, description = "Before this time (RFC 3339)"),
        ("limit" = Option<i64>, Query, description = "At most this many, newest first (1 to 1000, 200 by default)"),
    ),
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
    Ok(HttpResponse::Ok().json(json!({ "entries": entries })))
}

fn parse_filter(pairs: std::collections::HashMap<String, String>) -> Result<Filter, ValidationError> {
    let mut params = QueryParams::new(pairs);
    let mut time = |name: &'static str| -> Result<Option<DateTime<Utc>>, ValidationError> {
        params
            .text(name)?
            .map(|text| {
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
    let since = time("since")?;
    let until = time("until")?;
    let token_id = params
        .text("token")?
        .map(|t| {
            uuid::Uuid::parse_str(&t)
                .map_err(|_| ValidationError::new("token", "invalid_value", "token is a token's id"))
        })
        .transpose()?;
    let filter = Filter {
        token_id,
        action: params.text("action")?,
        since,
        until,
        limit: params.number("limit", 1)?.map_or(200, |n| n.min(1000) as i64),
    };
    params.finish()?;
    Ok(filter)
}
