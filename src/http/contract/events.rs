//! Events and what hangs off them: series, answers, paper imports, survey waves, agencies,
//! publicity and meeting notes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::agencies::StoredAgency;
use crate::db::notes::StoredNote;
use crate::db::publicity::PublicityRecord;
use crate::domain::agency::{agency_kinds, AgencyName};
use crate::domain::event::any_kind;
use crate::domain::meeting_note::speaker_roles;
use crate::domain::publicity::channels;

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

/// A stored agency.
#[derive(Serialize, ToSchema)]
pub struct AgencyView {
    pub slug: String,
    pub name: AgencyName,
    #[schema(schema_with = agency_kinds)]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&StoredAgency> for AgencyView {
    fn from(stored: &StoredAgency) -> Self {
        Self {
            slug: stored.slug.clone(),
            name: AgencyName {
                ja: stored.name_ja.clone(),
                en: stored.name_en.clone(),
            },
            kind: stored.kind.clone(),
            created_at: stored.created_at,
            updated_at: stored.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgencyList {
    pub agencies: Vec<AgencyView>,
}

/// A stored publicity record.
#[derive(Serialize, ToSchema)]
pub struct PublicityView {
    pub id: Uuid,
    pub event_id: Uuid,
    #[schema(schema_with = channels)]
    pub channel: String,
    /// The agency told, by its slug.
    pub agency: Option<String>,
    pub sent_on: NaiveDate,
    pub quantity: Option<i32>,
    pub cost: Option<i64>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<&PublicityRecord> for PublicityView {
    fn from(record: &PublicityRecord) -> Self {
        Self {
            id: record.id,
            event_id: record.event_id,
            channel: record.channel.clone(),
            agency: record.agency_slug.clone(),
            sent_on: record.sent_on,
            quantity: record.quantity,
            cost: record.cost,
            note: record.note.clone(),
            created_at: record.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PublicityList {
    pub publicity: Vec<PublicityView>,
}

impl PublicityList {
    pub fn of(records: &[PublicityRecord]) -> Self {
        Self {
            publicity: records.iter().map(PublicityView::from).collect(),
        }
    }
}

/// A note staff took at an event's meeting.
#[derive(Serialize, ToSchema)]
pub struct NoteView {
    pub id: Uuid,
    pub event_id: Uuid,
    pub text: String,
    #[schema(schema_with = speaker_roles)]
    pub speaker_role: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&StoredNote> for NoteView {
    fn from(note: &StoredNote) -> Self {
        Self {
            id: note.id,
            event_id: note.event_id,
            text: note.text.clone(),
            speaker_role: note.speaker_role.clone(),
            created_at: note.created_at,
            updated_at: note.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoteList {
    pub notes: Vec<NoteView>,
}
