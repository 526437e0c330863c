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
use utoipa::{IntoParams, IntoResponses, ToSchema};
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

/// Any kind of event, waves of the agency survey too.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnyEventKindName {
    Seminar,
    Forum,
    StudySession,
    Supervision,
    AgencySurvey,
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

/// Which responses an analysis reads. `form` is required; researchers may narrow only by
/// `fiscal_year` and `kind` (whole partitions), and only to settled fiscal years.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    #[param(example = "seminar")]
    form: String,
    /// The year the fiscal year starts, e.g. 2019 for 令和元年度.
    fiscal_year: Option<i32>,
    #[param(inline)]
    kind: Option<AnyEventKindName>,
    /// Staff only.
    event: Option<Uuid>,
    /// Staff only.
    from: Option<NaiveDate>,
    /// Staff only.
    to: Option<NaiveDate>,
    /// Staff only: responses sent from the phone form, by a program, or keyed in from paper.
    #[param(inline)]
    answered_via: Option<ResponseSourceName>,
    /// Staff may choose any threshold; researchers only the server's.
    #[param(minimum = 0)]
    min_cell: Option<u64>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BreakdownParams {
    /// A closed question's id (`heard_from` for channels when left out).
    question: Option<String>,
    /// Up to three attributes, single-choice questions or columns of the event (`fiscal_year`,
    /// `kind`, `event`), comma-separated, e.g. `fiscal_year,gender`.
    by: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpinionParams {
    /// A free-text question's id (`opinion` when left out).
    question: Option<String>,
    /// An attribute to group by.
    by: Option<String>,
    /// Staff only: include the comments themselves.
    include_text: Option<bool>,
    /// Staff only: attendees' answers, meeting notes, or both (`responses` when left out).
    #[param(inline)]
    source: Option<CommentSourceName>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TextToolParams {
    /// A free-text question's id (`opinion` when left out).
    question: Option<String>,
    /// An attribute to group by.
    by: Option<String>,
    /// Attendees' answers, meeting notes, or both (`responses` when left out).
    #[param(inline)]
    source: Option<CommentSourceName>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapParams {
    /// Terms used in fewer comments are left out (2 when left out).
    #[param(minimum = 1)]
    min_comments: Option<u64>,
    /// Most edges (network, 60) or terms (correspondence, 40) shown.
    #[param(minimum = 1, maximum = 300)]
    top: Option<u64>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkParams {
    /// `terms` (default): terms with terms; `groups`: terms with the values of `by` (KH Coder's
    /// 外部変数), which group uses which words.
    #[param(inline)]
    joins: Option<NetworkJoins>,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkJoins {
    Terms,
    Groups,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KwicParams {
    /// The term, as the term tables list it (a base form, or a word the dictionary keeps whole).
    #[param(min_length = 1, max_length = 100)]
    term: String,
}

#[derive(ToSchema)]
pub struct TextDictionaryView {
    forced: Vec<String>,
    compounds: Vec<String>,
    stop_words: Vec<String>,
    /// 0 for the shipped dictionary; each change adds one.
    version: i64,
}

/// Which events are compared: held and not cancelled, of a kind and a fiscal year if given.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventScopeParams {
    #[param(inline)]
    kind: Option<AnyEventKindName>,
    /// The year the fiscal year starts, e.g. 2019 for 令和元年度.
    fiscal_year: Option<i32>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThemesParams {
    /// A free-text question's id (`opinion` when left out).
    question: Option<String>,
    codebook: String,
    /// Up to three groupings, as for breakdowns; meeting notes group by the event's columns only.
    /// Researchers: one of `fiscal_year`, `kind` or a shared attribute.
    by: Option<String>,
    /// Staff only.
    #[param(inline)]
    source: Option<CommentSourceName>,
}

/// How a response was sent.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseSourceName {
    Phone,
    Api,
    Paper,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommentSourceName {
    Responses,
    Notes,
    Both,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaveParams {
    #[param(example = "agency_survey")]
    form: String,
    /// A closed question of the form.
    question: String,
    /// 2 to 10 wave ids, comma-separated.
    waves: String,
    /// A single-choice question to break each wave down by, e.g. `agency_kind`.
    by: Option<String>,
    #[param(minimum = 0)]
    min_cell: Option<u64>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttendanceParams {
    /// What to group events by (`format` when left out).
    #[param(inline)]
    by: Option<AttendanceByName>,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceByName {
    Format,
    SpeakerType,
    PublicityChannel,
    Month,
    Weekday,
    FiscalYear,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    #[param(inline)]
    format: Option<ReportFormatName>,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormatName {
    Json,
    Csv,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventListParams {
    #[param(inline)]
    kind: Option<AnyEventKindName>,
    fiscal_year: Option<i32>,
    /// A series id.
    series: Option<Uuid>,
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
