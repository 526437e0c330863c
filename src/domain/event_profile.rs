//! What an event was, so that events can be compared by it (what draws people, what keeps them
//! away): its format, its speakers, what it cost, and staff's notes. Every part is optional.

use serde_json::{json, Map, Value};

use super::validation::{Fields, Patch, ValidationError};
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

/// The profile's fields as given: absent, `null` or valid.
struct Read {
    format: Patch<String>,
    speakers: Patch<Value>,
    costs: Patch<Value>,
    notes: Patch<String>,
}

fn read(fields: &mut Fields) -> Result<Read, ValidationError> {
    Ok(Read {
        format: fields.parsed("format", |value| FORMATS.parse(value))?,
        speakers: fields.parsed("speakers", speakers)?,
        costs: fields.parsed("costs", costs)?,
        notes: fields.text("notes", MAX_NOTES_CHARS)?,
    })
}

impl EventProfile {
    pub fn read(fields: &mut Fields) -> Result<Self, ValidationError> {
        let read = read(fields)?;
        Ok(Self {
            format: read.format.optional(),
            speakers: read.speakers.optional(),
            costs: read.costs.optional(),
            notes: read.notes.optional(),
        })
    }
}

impl ProfileChanges {
    pub fn read(fields: &mut Fields) -> Result<Self, ValidationError> {
        let read = read(fields)?;
        Ok(Self {
            format: read.format.change(),
            speakers: read.speakers.change(),
            costs: read.costs.change(),
            notes: read.notes.change(),
        })
    }
}

fn speakers(value: &Value) -> Result<Value, String> {
    let items = value.as_array().ok_or("must be a list of {\"name\"?, \"type\"}")?;
    if items.len() > MAX_SPEAKERS {
        return Err(format!("at most {MAX_SPEAKERS} speakers"));
    }
    let speakers = items
        .iter()
        .map(|item| {
            let mut fields = Fields::from_map(item.as_object().cloned().ok_or("each speaker must be an object")?);
            let kind = fields
                .parsed("type", |value| SPEAKER_TYPES.parse(value))
                .map_err(|e| format!("a speaker's type {}", e.message))?
                .optional()
                .ok_or_else(|| format!("each speaker needs a type: {}", SPEAKER_TYPES.ids()))?;
            let name = fields
                .text("name", MAX_NAME_CHARS)
                .map_err(|e| format!("a speaker's name {}", e.message))?
                .optional();
            fields.finish().map_err(|e| format!("a speaker has an {}", e.message))?;
            let mut speaker = json!({"type": kind});
            if let Some(name) = name {
                speaker["name"] = json!(name);
            }
            Ok(speaker)
        })
        .collect::<Result<Vec<Value>, String>>()?;
    Ok(Value::Array(speakers))
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

fn costs(value: &Value) -> Result<Value, String> {
    let given = value.as_object().ok_or("must be an object of yen amounts")?;
    let mut costs = Map::new();
    for (item, amount) in given {
        if !COST_ITEMS.contains(&item.as_str()) {
            return Err(format!("{item:?} is not a cost: use {}", COST_ITEMS.join(", ")));
        }
        let yen = amount
            .as_i64()
            .filter(|yen| (0..=MAX_YEN).contains(yen))
            .ok_or_else(|| format!("{item} must be a whole number of yen from 0 to {MAX_YEN}"))?;
        costs.insert(item.clone(), json!(yen));
    }
    Ok(Value::Object(costs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(body: Value) -> Result<EventProfile, ValidationError> {
        let mut fields = Fields::new(body)?;
        let profile = EventProfile::read(&mut fields)?;
        fields.finish()?;
        Ok(profile)
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
            (json!({"speakers": [{"name": "x"}]}), "speakers"),
            (json!({"speakers": [{"type": "guru"}]}), "speakers"),
            (json!({"speakers": [{"type": "staff", "age": 40}]}), "speakers"),
            (json!({"speakers": "many"}), "speakers"),
            (json!({"costs": {"honorarium": -1}}), "costs"),
            (json!({"costs": {"food": 100}}), "costs"),
            (json!({"costs": {"travel": 1.5}}), "costs"),
            (json!({"notes": ""}), "notes"),
        ];
        for (body, field) in cases {
            let error = profile(body.clone()).unwrap_err();
            assert_eq!(error.field, field, "{body}: {}", error.message);
        }
    }

    #[test]
    fn changes_tell_clearing_from_leaving() {
        let mut fields = Fields::new(json!({"format": null, "notes": "雨天"})).unwrap();
        let changes = ProfileChanges::read(&mut fields).unwrap();
        assert_eq!(changes.format, Some(None));
        assert_eq!(changes.notes, Some(Some("雨天".to_owned())));
        assert_eq!(changes.speakers, None);
    }
}
