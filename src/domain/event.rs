//! Events (a seminar, a forum, a study or supervision session) as staff create and amend them.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde::Deserialize;
use serde_json::Value;
use utoipa::openapi::schema::Object;
use utoipa::ToSchema;

use super::event_profile::{formats, CostsBody, EventProfile, ProfileChanges, SpeakerBody};
use super::validation::{change, date_text, field_text, from_json, invalid_value, optional_text, ValidationError};
use super::vocabulary::one_of;

const MAX_TITLE_CHARS: usize = 200;
const MAX_HEADCOUNT: i32 = 100_000;
/// A cancellation's reason, as a sentence or two in the report.
const MAX_REASON_CHARS: usize = 1000;
/// 31 symbols with no look-alikes (no 0/o, 1/l/i), so a code read off a poster is typed right.
const CODE_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
/// 10 symbols of 31 give about 50 bits: short enough to type, too many to guess.
const CODE_LENGTH: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Seminar,
    Forum,
    StudySession,
    Supervision,
    /// A wave of the survey of local agencies: asked like an event, never counted as attendance.
    AgencySurvey,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        Self::Seminar,
        Self::Forum,
        Self::StudySession,
        Self::Supervision,
        Self::AgencySurvey,
    ];
    /// The kinds people attend, which staff create as events and indicators count.
    pub const ATTENDED: [EventKind; 4] = [Self::Seminar, Self::Forum, Self::StudySession, Self::Supervision];

    pub fn is_attended(self) -> bool {
        self != Self::AgencySurvey
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seminar => "seminar",
            Self::Forum => "forum",
            Self::StudySession => "study_session",
            Self::Supervision => "supervision",
            Self::AgencySurvey => "agency_survey",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// Its name in Japanese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Seminar => ("回復セミナー", "Recovery seminar"),
            Self::Forum => ("フォーラム", "Forum"),
            Self::StudySession => ("研修会", "Study session"),
            Self::Supervision => ("スーパービジョン", "Supervision"),
            Self::AgencySurvey => ("関係機関調査", "Agency survey"),
        }
    }

    /// The form an event of this kind uses unless told otherwise; supervision sessions are for the
    /// same professionals as study sessions and ask the same questions.
    pub fn default_form(self) -> &'static str {
        match self {
            Self::Supervision => "study_session",
            other => other.as_str(),
        }
    }
}

/// What every event of a kind needs besides its date: shared by single events and series.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTemplate {
    pub kind: EventKind,
    pub title: String,
    pub theme: Option<String>,
    pub venue: Option<String>,
    /// The title and venue on the English form (the Japanese ones when not given).
    pub title_en: Option<String>,
    pub venue_en: Option<String>,
    pub form: String,
    pub profile: EventProfile,
}

/// What staff give when creating an event.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub template: EventTemplate,
    pub held_on: NaiveDate,
    pub headcount: Option<i32>,
    pub closes_at: Option<DateTime<Utc>>,
}

/// Changes to an event; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventChanges {
    pub title: Option<String>,
    pub theme: Option<Option<String>>,
    pub venue: Option<Option<String>>,
    pub title_en: Option<Option<String>>,
    pub venue_en: Option<Option<String>>,
    pub profile: ProfileChanges,
    pub held_on: Option<NaiveDate>,
    pub headcount: Option<Option<i32>>,
    pub closes_at: Option<Option<DateTime<Utc>>>,
    /// `Some(true)` cancels, `Some(false)` reinstates (and clears the reason).
    pub cancelled: Option<bool>,
    pub cancellation_reason: Option<Option<String>>,
}

/// An event as `POST /events` takes it, and the dashboard's new-event form is read into.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEventBody {
    #[schema(schema_with = attended_kind)]
    pub kind: String,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 200)]
    pub theme: Option<String>,
    #[schema(max_length = 200)]
    pub venue: Option<String>,
    /// The title on the English form (the Japanese one when left out).
    #[schema(max_length = 200)]
    pub title_en: Option<String>,
    #[schema(max_length = 200)]
    pub venue_en: Option<String>,
    #[schema(schema_with = formats)]
    pub format: Option<String>,
    #[schema(max_items = 20)]
    pub speakers: Option<Vec<SpeakerBody>>,
    pub costs: Option<CostsBody>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// The form attendees answer (the kind's own form when left out).
    #[schema(max_length = 64)]
    pub form: Option<String>,
    /// Between 2000-01-01 and 2100-12-31.
    #[schema(format = Date)]
    pub held_on: String,
    #[schema(minimum = 0, maximum = 100000)]
    pub headcount: Option<i64>,
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
}

/// Changes to an event as `PATCH /events/{id}` takes them: a field left out stays, `null`
/// clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventChangesBody {
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub theme: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub venue: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub title_en: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub venue_en: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(schema_with = formats)]
    pub format: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<Vec<SpeakerBody>>, max_items = 20)]
    pub speakers: Option<Option<Vec<SpeakerBody>>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<CostsBody>)]
    pub costs: Option<Option<CostsBody>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, format = Date)]
    pub held_on: Option<Option<String>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100000)]
    pub headcount: Option<Option<i64>>,
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closes_at: Option<Option<String>>,
    /// `true` cancels the event, `false` reinstates it (and clears its reason).
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<bool>)]
    pub cancelled: Option<Option<bool>>,
    /// Why it was cancelled, as the report lists it; not with `"cancelled": false`.
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub cancellation_reason: Option<Option<String>>,
}

/// The kinds staff create as events, as the document lists them.
pub fn attended_kind() -> Object {
    one_of(EventKind::ATTENDED.map(EventKind::as_str))
}

/// Any kind of event, waves of the agency survey too.
pub fn any_kind() -> Object {
    one_of(EventKind::ALL.map(EventKind::as_str))
}

fn title_text(field: &'static str, given: Option<String>) -> Result<Option<String>, ValidationError> {
    optional_text(field, given, MAX_TITLE_CHARS)
}

fn headcount(given: i64) -> Result<i32, ValidationError> {
    i32::try_from(given)
        .ok()
        .filter(|n| (0..=MAX_HEADCOUNT).contains(n))
        .ok_or_else(|| invalid_value("headcount")(format!("must be a whole number from 0 to {MAX_HEADCOUNT}")))
}

fn timestamp(field: &'static str, given: &str) -> Result<DateTime<Utc>, ValidationError> {
    DateTime::parse_from_rfc3339(given)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            invalid_value(field)(format!(
                "{given:?} is not an RFC 3339 timestamp such as 2026-04-01T18:00:00+09:00"
            ))
        })
}

fn date(field: &'static str, given: &str) -> Result<NaiveDate, ValidationError> {
    date_text(given).map_err(invalid_value(field))
}

/// A change's value that may not be cleared: `null` is refused.
fn not_null<T>(field: &str, given: Option<Option<T>>) -> Result<Option<T>, ValidationError> {
    match given {
        Some(None) => Err(ValidationError::new(
            field,
            "invalid_value",
            format!("{field} cannot be null"),
        )),
        other => Ok(other.flatten()),
    }
}

impl NewEvent {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: NewEventBody) -> Result<Self, ValidationError> {
        let kind = EventKind::parse(body.kind.trim())
            .filter(|kind| kind.is_attended())
            .ok_or_else(|| {
                ValidationError::new(
                    "kind",
                    "invalid_value",
                    "kind must be one of seminar, forum, study_session, supervision (agency surveys are survey waves)",
                )
            })?;
        let template = EventTemplate {
            kind,
            title: field_text("title", &body.title, MAX_TITLE_CHARS)?,
            theme: title_text("theme", body.theme)?,
            venue: title_text("venue", body.venue)?,
            title_en: title_text("title_en", body.title_en)?,
            venue_en: title_text("venue_en", body.venue_en)?,
            form: match body.form {
                Some(form) => field_text("form", &form, 64)?,
                None => kind.default_form().to_owned(),
            },
            profile: EventProfile::from_parts(body.format, body.speakers, body.costs, body.notes)?,
        };
        Ok(Self {
            template,
            held_on: date("held_on", &body.held_on)?,
            headcount: body.headcount.map(headcount).transpose()?,
            closes_at: body
                .closes_at
                .as_deref()
                .map(|at| timestamp("closes_at", at))
                .transpose()?,
        })
    }
}

impl EventChanges {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: EventChangesBody) -> Result<Self, ValidationError> {
        let change = |field: &'static str, given: Option<Option<String>>| {
            given.map(|given| title_text(field, given)).transpose()
        };
        let changes = Self {
            title: not_null("title", body.title)?
                .map(|title| field_text("title", &title, MAX_TITLE_CHARS))
                .transpose()?,
            theme: change("theme", body.theme)?,
            venue: change("venue", body.venue)?,
            title_en: change("title_en", body.title_en)?,
            venue_en: change("venue_en", body.venue_en)?,
            profile: ProfileChanges::from_parts(body.format, body.speakers, body.costs, body.notes)?,
            held_on: not_null("held_on", body.held_on)?
                .map(|day| date("held_on", &day))
                .transpose()?,
            headcount: body
                .headcount
                .map(|given| given.map(headcount).transpose())
                .transpose()?,
            closes_at: body
                .closes_at
                .map(|given| given.map(|at| timestamp("closes_at", &at)).transpose())
                .transpose()?,
            cancelled: not_null("cancelled", body.cancelled)?,
            cancellation_reason: body
                .cancellation_reason
                .map(|given| {
                    given
                        .map(|reason| field_text("cancellation_reason", &reason, MAX_REASON_CHARS))
                        .transpose()
                })
                .transpose()?,
        };
        if changes.cancelled == Some(false) && changes.cancellation_reason.is_some() {
            return Err(ValidationError::new(
                "cancellation_reason",
                "invalid_value",
                "a reinstated event has no cancellation reason",
            ));
        }
        Ok(changes)
    }
}

/// The short code in an event's public link.
pub fn generate_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// Why an event takes no more answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Closed,
    Cancelled,
}

/// Whether answers are refused at `now`, and why; `None` means the event is open.
pub fn refusal(
    closes_at: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Refusal> {
    if cancelled_at.is_some() {
        Some(Refusal::Cancelled)
    } else if closes_at.is_some_and(|closes| now >= closes) {
        Some(Refusal::Closed)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_minimal_event_takes_its_kinds_form() {
        let event =
            NewEvent::parse(json!({"kind": "supervision", "title": "事例検討", "held_on": "2026-05-14"})).unwrap();
        assert_eq!(event.template.kind, EventKind::Supervision);
        assert_eq!(event.template.form, "study_session");
        assert_eq!(event.headcount, None);
    }

    #[test]
    fn every_field_is_read() {
        let event = NewEvent::parse(json!({
            "kind": "seminar", "title": " 回復セミナー ", "theme": "SMARPP 第3回", "venue": "保健センター",
            "held_on": "2026-05-14", "form": "seminar", "headcount": 12, "closes_at": "2026-05-21T23:59:00+09:00",
        }))
        .unwrap();
        assert_eq!(event.template.title, "回復セミナー");
        assert_eq!(event.headcount, Some(12));
        assert_eq!(event.closes_at.unwrap().to_rfc3339(), "2026-05-21T14:59:00+00:00");
    }

    #[test]
    fn bad_fields_are_named() {
        let field_of = |body| NewEvent::parse(body).unwrap_err().field;
        assert_eq!(
            field_of(json!({"kind": "party", "title": "x", "held_on": "2026-01-01"})),
            "kind"
        );
        assert_eq!(field_of(json!({"kind": "forum", "held_on": "2026-01-01"})), "title");
        assert_eq!(
            field_of(json!({"kind": "forum", "title": "x", "held_on": "01/02/2026"})),
            "held_on"
        );
        assert_eq!(
            field_of(json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "headcount": -3})),
            "headcount"
        );
        assert_eq!(
            field_of(json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "colour": "red"})),
            "colour"
        );
        assert_eq!(
            field_of(json!({"kind": "forum", "title": "x", "held_on": "2026-01-01", "closes_at": "2026-04-01 18:00"})),
            "closes_at"
        );
    }

    #[test]
    fn changes_tell_clearing_from_leaving() {
        let changes = EventChanges::parse(json!({"headcount": 30, "venue": null})).unwrap();
        assert_eq!(changes.headcount, Some(Some(30)));
        assert_eq!(changes.venue, Some(None));
        assert_eq!(changes.theme, None);
        assert_eq!(
            EventChanges::parse(json!({"cancelled": true})).unwrap().cancelled,
            Some(true)
        );
        assert!(EventChanges::parse(json!({"cancelled": "yes"})).is_err());
        assert!(EventChanges::parse(json!({"title": null})).is_err());
    }

    #[test]
    fn codes_are_short_and_unambiguous() {
        let code = generate_code();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(generate_code(), code);
    }

    #[test]
    fn an_event_closes_at_its_closing_time() {
        let closes = DateTime::parse_from_rfc3339("2026-05-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(refusal(None, None, closes), None);
        assert_eq!(refusal(Some(closes), None, closes - chrono::Duration::seconds(1)), None);
        assert_eq!(refusal(Some(closes), None, closes), Some(Refusal::Closed));
        assert_eq!(refusal(None, Some(closes), closes), Some(Refusal::Cancelled));
        assert_eq!(refusal(Some(closes), Some(closes), closes), Some(Refusal::Cancelled));
    }
}
