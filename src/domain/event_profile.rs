//! What an event was, so that events can be compared by it (what draws people, what keeps them
//! away): its format, its speakers, what it cost, and staff's notes. Every part is optional.

use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::{Object, Schema};
use utoipa::ToSchema;

use super::validation::{field_text, invalid_value, ValidationError};
use super::vocabulary::{FORMATS, SPEAKER_TYPES};

const MAX_NOTES_CHARS: usize = 2000;
const MAX_SPEAKERS: usize = 20;
const MAX_NAME_CHARS: usize = 100;
/// A cost above a hundred million yen is a typo.
const MAX_YEN: i64 = 100_000_000;

const COST_ITEMS: [&str; 4] = ["honorarium", "travel", "venue", "other"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventProfile {
    /// One of [`FORMATS`].
    pub format: Option<String>,
    /// `[{"name"?, "type"}]`, validated.
    pub speakers: Option<Value>,
    /// `{"honorarium"?, "travel"?, "venue"?, "other"?}` in yen, validated.
    pub costs: Option<Value>,
    pub notes: Option<String>,
}

/// Changes to a profile: `None` leaves a part as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileChanges {
    pub format: Option<Option<String>>,
    pub speakers: Option<Option<Value>>,
    pub costs: Option<Option<Value>>,
    pub notes: Option<Option<String>>,
}

/// A speaker as an event's body gives one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpeakerBody {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[serde(rename = "type")]
    #[schema(schema_with = speaker_type_schema)]
    pub kind: String,
}

/// What an event cost, in yen, item by item.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CostsBody {
    #[schema(minimum = 0, maximum = 100000000)]
    pub honorarium: Option<i64>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub travel: Option<i64>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub venue: Option<i64>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub other: Option<i64>,
}

fn speaker_type_schema() -> Object {
    SPEAKER_TYPES.schema()
}

/// An event's format or `null`, as the document lists them.
pub fn formats() -> Schema {
    FORMATS.optional_schema()
}

fn checked_format(format: String) -> Result<String, ValidationError> {
    FORMATS.checked("format", format)
}

fn checked_notes(notes: String) -> Result<String, ValidationError> {
    field_text("notes", &notes, MAX_NOTES_CHARS)
}

impl EventProfile {
    pub fn from_parts(
        format: Option<String>,
        speakers: Option<Vec<SpeakerBody>>,
        costs: Option<CostsBody>,
        notes: Option<String>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            format: format.map(checked_format).transpose()?,
            speakers: speakers.map(checked_speakers).transpose()?,
            costs: costs.map(checked_costs).transpose()?,
            notes: notes.map(checked_notes).transpose()?,
        })
    }
}

impl ProfileChanges {
    /// Each part left out (`None`) stays, `null` (`Some(None)`) clears it, a value replaces it.
    pub fn from_parts(
        format: Option<Option<String>>,
        speakers: Option<Option<Vec<SpeakerBody>>>,
        costs: Option<Option<CostsBody>>,
        notes: Option<Option<String>>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            format: format.map(|given| given.map(checked_format).transpose()).transpose()?,
            speakers: speakers
                .map(|given| given.map(checked_speakers).transpose())
                .transpose()?,
            costs: costs.map(|given| given.map(checked_costs).transpose()).transpose()?,
            notes: notes.map(|given| given.map(checked_notes).transpose()).transpose()?,
        })
    }
}

fn checked_speakers(speakers: Vec<SpeakerBody>) -> Result<Value, ValidationError> {
    if speakers.len() > MAX_SPEAKERS {
        return Err(invalid_value("speakers")(format!("at most {MAX_SPEAKERS} speakers")));
    }
    let speakers = speakers
        .into_iter()
        .map(|speaker| {
            let kind = SPEAKER_TYPES.checked("speakers.type", speaker.kind)?;
            let mut checked = json!({"type": kind});
            if let Some(name) = speaker.name {
                checked["name"] = json!(field_text("speakers.name", &name, MAX_NAME_CHARS)?);
            }
            Ok(checked)
        })
        .collect::<Result<Vec<Value>, ValidationError>>()?;
    Ok(Value::Array(speakers))
}

fn checked_costs(costs: CostsBody) -> Result<Value, ValidationError> {
    let amounts = [costs.honorarium, costs.travel, costs.venue, costs.other];
    let mut checked = Map::new();
    for (item, amount) in COST_ITEMS.into_iter().zip(amounts) {
        let Some(yen) = amount else { continue };
        if !(0..=MAX_YEN).contains(&yen) {
            let message = format!("{item} must be a whole number of yen from 0 to {MAX_YEN}");
            return Err(ValidationError::new(&format!("costs.{item}"), "invalid_value", message));
        }
        checked.insert(item.to_owned(), json!(yen));
    }
    Ok(Value::Object(checked))
}

/// What an event cost in all, from its validated `costs`.
pub fn total_cost(costs: &Value) -> u64 {
    costs
        .as_object()
        .map(|items| items.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0)
}

/// The distinct types of an event's validated `speakers`.
pub fn speaker_types(speakers: &Value) -> Vec<String> {
    let mut types: Vec<String> = speakers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|speaker| speaker["type"].as_str().map(str::to_owned))
        .collect();
    types.sort_unstable();
    types.dedup();
    types
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventChanges, NewEvent};

    /// The profile of an event whose body holds `parts` beside what every event needs.
    fn profile(parts: Value) -> Result<EventProfile, ValidationError> {
        let mut body = json!({"kind": "forum", "title": "x", "held_on": "2026-01-01"});
        for (key, value) in parts.as_object().unwrap() {
            body[key] = value.clone();
        }
        NewEvent::parse(body).map(|event| event.template.profile)
    }

    #[test]
    fn a_full_profile_is_read_and_normalised() {
        let read = profile(json!({
            "format": "lived_experience_talk",
            "speakers": [{"type": "leading_expert", "name": " 松本 先生 "}, {"type": "lived_experience"}],
            "costs": {"honorarium": 50000, "travel": 12000},
            "notes": "感染対策：マスクとフェイスシールド",
        }))
        .unwrap();
        assert_eq!(read.format.as_deref(), Some("lived_experience_talk"));
        assert_eq!(
            read.speakers,
            Some(json!([{"type": "leading_expert", "name": "松本 先生"}, {"type": "lived_experience"}]))
        );
        assert_eq!(read.costs, Some(json!({"honorarium": 50000, "travel": 12000})));
        assert_eq!(profile(json!({})).unwrap(), EventProfile::default());
    }

    #[test]
    fn bad_parts_are_named() {
        let cases = [
            (json!({"format": "party"}), "format"),
            (json!({"speakers": [{"name": "x"}]}), "speakers.type"),
            (json!({"speakers": [{"type": "guru"}]}), "speakers.type"),
            (json!({"speakers": [{"type": "staff", "age": 40}]}), "speakers.age"),
            (json!({"speakers": [{"type": "staff", "name": " "}]}), "speakers.name"),
            (json!({"speakers": "many"}), "speakers"),
            (json!({"costs": {"honorarium": -1}}), "costs.honorarium"),
            (json!({"costs": {"food": 100}}), "costs.food"),
            (json!({"costs": {"travel": 1.5}}), "costs.travel"),
            (json!({"notes": ""}), "notes"),
        ];
        for (body, field) in cases {
            let error = profile(body.clone()).unwrap_err();
            assert_eq!(error.field, field, "{body}: {}", error.message);
        }
    }

    #[test]
    fn changes_tell_clearing_from_leaving() {
        let changes = EventChanges::parse(json!({"format": null, "notes": "雨天"}))
            .unwrap()
            .profile;
        assert_eq!(changes.format, Some(None));
        assert_eq!(changes.notes, Some(Some("雨天".to_owned())));
        assert_eq!(changes.speakers, None);
    }
}
