//! The JSON shapes the API promises, as types the OpenAPI document is generated from. The types
//! here are what handlers serialise; [`described`] holds what the document describes but the
//! handlers do not build as such (bodies read field by field, query strings, response sets).

mod described;

pub use described::*;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::event::any_kind;

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

/// An event as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub id: Uuid,
    /// The short code in the attendees' link (`/s/{code}`).
    pub code: String,
    #[schema(schema_with = any_kind)]
    pub kind: String,
    pub title: String,
    pub theme: Option<String>,
    pub venue: Option<String>,
    pub title_en: Option<String>,
    pub venue_en: Option<String>,
    /// `lecture`, `free_talk`, `lived_experience_talk`, `group_work`, `case_review` or `other`.
    pub format: Option<String>,
    /// `[{"name"?, "type": "leading_expert" | "expert" | "lived_experience" | "staff" | "other"}]`
    #[schema(value_type = Option<Vec<Object>>)]
    pub speakers: Option<serde_json::Value>,
    /// Yen: `{"honorarium"?, "travel"?, "venue"?, "other"?}`
    #[schema(value_type = Option<Object>)]
    pub costs: Option<serde_json::Value>,
    /// Staff's notes, e.g. "infection control: masks and face shields".
    pub notes: Option<String>,
    pub held_on: NaiveDate,
    /// The year the fiscal year (April to March) starts.
    pub fiscal_year: i32,
    pub form: String,
    pub form_version: i32,
    pub headcount: Option<i32>,
    pub closes_at: Option<DateTime<Utc>>,
    pub is_open: bool,
    pub cancelled: bool,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancellation_reason: Option<String>,
    pub series_id: Option<Uuid>,
    /// Loaded by `tsunagari demo`, and deleted by `tsunagari demo --remove`.
    pub demo: bool,
    pub response_count: i64,
    pub survey_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub events: Vec<EventView>,
}

#[derive(Serialize, ToSchema)]
pub struct SeriesCreated {
    pub series: SeriesView,
    pub events: Vec<EventView>,
}

#[derive(Serialize, ToSchema)]
pub struct SeriesView {
    pub id: Uuid,
    pub rrule: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub skip: Vec<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct SubmissionAccepted {
    pub id: Uuid,
}

/// What an import of paper questionnaires stored.
#[derive(Serialize, ToSchema)]
pub struct PaperImported {
    /// Questionnaires stored by this import.
    pub stored: usize,
    /// Rows found stored by an earlier import of the same numbers and answers.
    pub already_imported: usize,
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(examples("ok", "unavailable"))]
    pub status: String,
}

/// A wave of a survey that is not attended (the agency survey), with its public link and QR code.
#[derive(Serialize, ToSchema)]
pub struct WaveView {
    /// The id of the event the wave is kept as: its QR code is at `/api/v1/events/{id}/qr.svg`.
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub title_en: Option<String>,
    pub form: String,
    pub form_version: i32,
    pub fiscal_year: i32,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub is_open: bool,
    pub response_count: i64,
    pub survey_url: String,
    pub qr_svg: String,
    pub qr_png: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct WaveList {
    pub waves: Vec<WaveView>,
}
