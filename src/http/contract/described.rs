//! What the OpenAPI document describes without the handlers building it as such: a form upload's
//! body (a form file or a workbook, checked by the form reader), query strings, sets of error
//! responses and JSON the handlers assemble. Never constructed, their fields are read only by the
//! derives. Every other request body is the very type the domain reads (`NewEventBody`,
//! `SubmissionBody`, `AgencyBody`, `Codebook`...), so its document cannot drift from what is
//! accepted.
#![allow(dead_code)]

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use utoipa::{IntoResponses, ToSchema};
use uuid::Uuid;

use super::ErrorBody;
use crate::domain::agency::{agency_kinds, AgencyName};
use crate::domain::codebook::Theme;
use crate::domain::indicator::{attended_kinds, PlanMethod};
use crate::domain::lang::Localized;
use crate::domain::meeting_note::speaker_roles;
use crate::domain::publicity::channels;

/// What any operation may answer besides its own responses.
#[derive(IntoResponses)]
pub enum CommonErrors {
    /// The query string or body is malformed.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// A field is missing, of the wrong type or out of range; `field` names it.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// The database is unavailable; retry after the given seconds.
    #[response(status = 503, headers(("Retry-After" = u64, description = "seconds to wait")))]
    Unavailable(ErrorBody),
}

/// What an operation with a JSON body may answer besides its own responses.
#[derive(IntoResponses)]
pub enum BodyErrors {
    /// The body is larger than the server accepts.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is not sent as `application/json`.
    #[response(status = 415)]
    NotJson(ErrorBody),
}

/// What a token-protected operation may answer besides its own responses.
#[derive(IntoResponses)]
pub enum TokenErrors {
    /// No valid bearer token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token's role may not do this.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// A form definition with its version (the fields of the form file, e.g. `questions`).
#[derive(ToSchema)]
pub struct FormView {
    slug: String,
    version: i32,
    created_at: DateTime<Utc>,
    questions: Vec<HashMap<String, Value>>,
}

#[derive(ToSchema)]
pub struct FormList {
    forms: Vec<FormView>,
}

/// An `.xlsx` workbook's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct WorkbookBytes(Vec<u8>);

/// A form file's JSON (as in `survey_forms/`), or an XLSForm workbook.
#[derive(ToSchema)]
pub struct FormUploadBody {
    slug: String,
    title: HashMap<String, String>,
    intro: HashMap<String, String>,
    /// For staff: why the form asks what it asks, in both languages (optional).
    purpose: Option<HashMap<String, String>>,
    questions: Vec<HashMap<String, Value>>,
}

#[derive(ToSchema)]
pub struct FormUploaded {
    slug: String,
    version: i32,
    /// False when the same content was stored already.
    created: bool,
}

#[derive(ToSchema)]
pub struct FormVersionSummary {
    version: i32,
    created_at: DateTime<Utc>,
    /// The name of the token that uploaded it; null for a shipped file.
    created_by: Option<String>,
    /// How many events ask it.
    events: i64,
}

/// What changed between two versions of a form.
#[derive(ToSchema)]
pub struct FormDiffView {
    slug: String,
    from: i32,
    to: i32,
    /// Each change: `change` (`question_added`, `question_removed`, `question_relabelled`,
    /// `option_added`, `option_removed`, `option_relabelled`, `type_changed`, `required_changed`,
    /// `rule_changed`, `limits_changed`, `help_changed`, `title_changed`, `intro_changed`,
    /// `purpose_changed`,
    /// `reordered`, `section_added`, `section_removed`, `section_relabelled`,
    /// `section_rule_changed`, `question_moved`, `note_added`, `note_removed`, `note_reworded`,
    /// `note_moved`) with its `question`, `section` or `note` and what it was and is.
    changes: Vec<HashMap<String, Value>>,
}

#[derive(ToSchema)]
pub struct FormVersionList {
    versions: Vec<FormVersionSummary>,
}

/// A stored plan: its definition and when it was made and last replaced.
#[derive(ToSchema)]
pub struct IndicatorPlanView {
    #[serde(flatten)]
    plan: IndicatorPlanSummary,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct IndicatorPlanList {
    plans: Vec<IndicatorPlanView>,
}

/// The stored profile, every field present, and when it was last written (`null` before).
#[derive(ToSchema)]
pub struct ProgrammeView {
    organisation: Option<String>,
    name: Option<String>,
    purpose: Option<String>,
    background: Option<String>,
    implementing_body: Option<String>,
    deliverables: Vec<String>,
    other_outcomes: Option<String>,
    advice_for_others: Option<String>,
    updated_at: Option<DateTime<Utc>>,
}

/// A plan's definition with its slug, as reports show it.
#[derive(ToSchema)]
pub struct IndicatorPlanSummary {
    slug: String,
    title: Localized,
    #[schema(schema_with = attended_kinds)]
    event_kinds: Vec<String>,
    assumed_population: i64,
    targets: HashMap<String, Value>,
    description: Option<String>,
    indicator_reason: Option<String>,
    method: Option<PlanMethod>,
}

/// Target against actual attendance per fiscal year, and attendance as a share of the assumed
/// population.
#[derive(ToSchema)]
pub struct PlanReportView {
    plan: IndicatorPlanSummary,
    rows: Vec<HashMap<String, Value>>,
    total: HashMap<String, Value>,
    /// Staff: events held without a recorded headcount, counted by their responses.
    headcount_missing: Option<Vec<Value>>,
    /// Researchers: how many events of the settled years had no recorded headcount; they are
    /// left out of the actuals.
    events_without_headcount: Option<u64>,
}

/// One recorded action: who (a token, none for the server's command line), what (method and
/// route pattern, or a command), which (the ids in the path and the filters named), the status.
#[derive(ToSchema)]
pub struct AuditEntryView {
    id: i64,
    at: chrono::DateTime<chrono::Utc>,
    token_id: Option<uuid::Uuid>,
    token_name: Option<String>,
    role: Option<String>,
    #[schema(example = "GET /api/v1/exports/responses.csv")]
    action: String,
    subject: HashMap<String, Value>,
    status: Option<i32>,
}

#[derive(ToSchema)]
pub struct AuditLogView {
    entries: Vec<AuditEntryView>,
}

#[derive(ToSchema)]
pub struct PlanReportList {
    plans: Vec<PlanReportView>,
}

#[derive(ToSchema)]
pub struct TextDictionaryView {
    forced: Vec<String>,
    compounds: Vec<String>,
    stop_words: Vec<String>,
    /// 0 for the shipped dictionary; each change adds one.
    version: i64,
}

/// A stored agency.
#[derive(ToSchema)]
pub struct AgencyView {
    slug: String,
    name: AgencyName,
    #[schema(schema_with = agency_kinds)]
    kind: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct AgencyList {
    agencies: Vec<AgencyView>,
}

/// A stored publicity record.
#[derive(ToSchema)]
pub struct PublicityView {
    id: Uuid,
    event_id: Uuid,
    #[schema(schema_with = channels)]
    channel: String,
    agency: Option<String>,
    sent_on: NaiveDate,
    quantity: Option<i32>,
    cost: Option<i64>,
    note: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct PublicityList {
    publicity: Vec<PublicityView>,
}

#[derive(ToSchema)]
pub struct CodebookView {
    slug: String,
    version: i32,
    title: Localized,
    description: Option<String>,
    themes: Vec<Theme>,
    created_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct CodebookList {
    codebooks: Vec<CodebookView>,
}

#[derive(ToSchema)]
pub struct CodingView {
    id: Uuid,
    codebook: String,
    codebook_version: i32,
    item: Value,
    themes: Vec<String>,
    quote: bool,
}

#[derive(ToSchema)]
pub struct ConsiderationView {
    plan: String,
    fiscal_year: i32,
    text: String,
}

#[derive(ToSchema)]
pub struct NoteView {
    id: Uuid,
    event_id: Uuid,
    text: String,
    #[schema(schema_with = speaker_roles)]
    speaker_role: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct NoteList {
    notes: Vec<NoteView>,
}
