//! Events (a seminar, a forum, a study or supervision session) as staff create and amend them.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde_json::Value;

use super::event_profile::{EventProfile, ProfileChanges};
use super::validation::{Fields, ValidationError};

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

impl EventTemplate {
    pub fn read(fields: &mut Fields) -> Result<Self, ValidationError> {
        let kind_text = fields.text("kind", 40)?.required("kind")?;
        let kind = EventKind::parse(&kind_text)
            .filter(|kind| kind.is_attended())
            .ok_or_else(|| {
                ValidationError::new(
                    "kind",
                    "invalid_value",
                    "kind must be one of seminar, forum, study_session, supervision (agency surveys are survey waves)",
                )
            })?;
        Ok(Self {
            kind,
            title: fields.text("title", MAX_TITLE_CHARS)?.required("title")?,
            theme: fields.text("theme", MAX_TITLE_CHARS)?.optional(),
            venue: fields.text("venue", MAX_TITLE_CHARS)?.optional(),
            title_en: fields.text("title_en", MAX_TITLE_CHARS)?.optional(),
            venue_en: fields.text("venue_en", MAX_TITLE_CHARS)?.optional(),
            form: fields
                .text("form", 64)?
                .optional()
                .unwrap_or_else(|| kind.default_form().to_owned()),
            profile: EventProfile::read(fields)?,
        })
    }
}

impl NewEvent {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let event = Self {
            template: EventTemplate::read(&mut fields)?,
            held_on: fields.date("held_on")?.required("held_on")?,
            headcount: fields.count("headcount", MAX_HEADCOUNT)?.optional(),
            closes_at: fields.timestamp("closes_at")?.optional(),
        };
        fields.finish()?;
        Ok(event)
    }
}

impl EventChanges {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let changes = Self {
            title: fields.text("title", MAX_TITLE_CHARS)?.not_null("title")?,
            theme: fields.text("theme", MAX_TITLE_CHARS)?.change(),
            venue: fields.text("venue", MAX_TITLE_CHARS)?.change(),
            title_en: fields.text("title_en", MAX_TITLE_CHARS)?.change(),
            venue_en: fields.text("venue_en", MAX_TITLE_CHARS)?.change(),
            profile: ProfileChanges::read(&mut fields)?,
            held_on: fields.date("held_on")?.not_null("held_on")?,
            headcount: fields.count("headcount", MAX_HEADCOUNT)?.change(),
            closes_at: fields.timestamp("closes_at")?.change(),
            cancelled: fields.flag("cancelled")?.not_null("cancelled")?,
            cancellation_reason: fields.text("cancellation_reason", MAX_REASON_CHARS)?.change(),
        };
        fields.finish()?;
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
