use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use chrono::{NaiveDate, TimeZone, Utc};

use super::session::{DashboardError, StaffSession};
use super::{chrome, html};
use crate::db::audit_log::Filter;
use crate::db::{self};
use crate::http::AppState;
use crate::pages::audit::{audit_page, AuditView};
use crate::services::audit;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page);
}

#[derive(serde::Deserialize)]
struct Query {
    action: Option<String>,
    from: Option<String>,
}

#[get("/dashboard/audit-log")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<Query>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    session.require_admin()?;
    let action = query.action.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let from = query.from.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let since = (!from.is_empty()).then(|| NaiveDate::parse_from_str(&from, "%Y-%m-%d"));
    let (since, error, status) = match since {
        Some(Err(_)) => (
            None,
            Some(l.pick(
                "日付は 2026-04-01 のように入力してください。",
                "Enter the date as 2026-04-01. ",
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Some(Ok(day)) => (
            day.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t)),
            None,
            StatusCode::OK,
        ),
        None => (None, None, StatusCode::OK),
    };
    let filter = Filter {
        action: (!action.is_empty()).then(|| action.chars().take(200).collect()),
        since,
        limit: 500,
        ..Filter::default()
    };
    let entries = db::run(&state.pool, move |conn| audit::entries(conn, &filter)).await?;
    let view = AuditView {
        entries: &entries,
        action: &action,
        from: &from,
        error,
    };
    Ok(html(status, audit_page(&chrome(&session), &view)))
}
