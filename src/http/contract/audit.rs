//! The audit log and the service's health.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit_log::Entry;

/// One recorded action: who (a token, none for the server's command line), what (method and
/// route pattern, or a command), which (the ids in the path and the filters named), the status.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryView<'a> {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub token_id: Option<Uuid>,
    pub token_name: Option<&'a str>,
    pub role: Option<&'a str>,
    #[schema(example = "GET /api/v1/exports/responses.csv")]
    pub action: &'a str,
    #[schema(value_type = Object)]
    pub subject: &'a serde_json::Value,
    pub status: Option<i16>,
}

impl<'a> From<&'a Entry> for AuditEntryView<'a> {
    fn from(entry: &'a Entry) -> Self {
        Self {
            id: entry.id,
            at: entry.at,
            token_id: entry.token_id,
            token_name: entry.token_name.as_deref(),
            role: entry.role.as_deref(),
            action: &entry.action,
            subject: &entry.subject,
            status: entry.status,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditLogView<'a> {
    pub entries: Vec<AuditEntryView<'a>>,
}
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(examples("ok", "unavailable"))]
    pub status: String,
}
