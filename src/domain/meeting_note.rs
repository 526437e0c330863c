//! What was said at an event's meeting, as staff note it: the words and, if known, who says such
//! things (a participant, a family member...). There is no field for a name, by design.

use serde::Deserialize;
use serde_json::Value;
use utoipa::openapi::schema::Schema;
use utoipa::ToSchema;

use super::validation::{change, field_text, from_json, ValidationError};
use super::vocabulary::{Term, Vocabulary};

pub const MAX_NOTE_CHARS: usize = 5000;

pub const SPEAKER_ROLES: Vocabulary = Vocabulary(&[
    Term::new("participant", "参加者", "Participant"),
    Term::new("family", "家族", "Family member"),
    Term::new("staff", "職員", "Staff"),
    Term::new("expert", "専門家", "Expert"),
    Term::new("other", "その他", "Other"),
]);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub text: String,
    pub speaker_role: Option<String>,
}

/// Changes to a note: `None` leaves a part as it is; the role may be cleared with `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteChanges {
    pub text: Option<String>,
    pub speaker_role: Option<Option<String>>,
}

/// A note as `POST /events/{id}/notes` takes it, and the dashboard's form is read into.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[schema(min_length = 1, max_length = 5000)]
    pub text: String,
    #[schema(schema_with = speaker_roles)]
    pub speaker_role: Option<String>,
}

/// Changes to a note as `PATCH /events/{id}/notes/{nid}` takes them: a part left out stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteChangesBody {
    #[serde(default, deserialize_with = "change")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 5000)]
    pub text: Option<Option<String>>,
    /// `null` clears the role.
    #[serde(default, deserialize_with = "change")]
    #[schema(schema_with = speaker_roles)]
    pub speaker_role: Option<Option<String>>,
}

pub fn speaker_roles() -> Schema {
    SPEAKER_ROLES.optional_schema()
}

fn note_text(text: &str) -> Result<String, ValidationError> {
    field_text("text", text, MAX_NOTE_CHARS)
}

fn speaker_role(role: String) -> Result<String, ValidationError> {
    SPEAKER_ROLES.checked("speaker_role", role)
}

impl NewNote {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: NoteBody) -> Result<Self, ValidationError> {
        Ok(Self {
            text: note_text(&body.text)?,
            speaker_role: body.speaker_role.map(speaker_role).transpose()?,
        })
    }
}

impl NoteChanges {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: NoteChangesBody) -> Result<Self, ValidationError> {
        let text = match body.text {
            None => None,
            Some(None) => return Err(ValidationError::new("text", "invalid_value", "text cannot be null")),
            Some(Some(text)) => Some(note_text(&text)?),
        };
        let speaker_role = body
            .speaker_role
            .map(|role| role.map(speaker_role).transpose())
            .transpose()?;
        Ok(Self { text, speaker_role })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_note_has_words_and_perhaps_a_role_but_no_name() {
        let note = NewNote::parse(json!({"text": "マスク越しで声が聞き取りにくかった", "speaker_role": "participant"}))
            .unwrap();
        assert_eq!(note.speaker_role.as_deref(), Some("participant"));
        assert_eq!(NewNote::parse(json!({"text": "  "})).unwrap_err().field, "text");
        assert_eq!(
            NewNote::parse(json!({"text": "a", "speaker_role": "mayor"}))
                .unwrap_err()
                .field,
            "speaker_role"
        );
        assert_eq!(
            NewNote::parse(json!({"text": "a", "name": "山田"})).unwrap_err().field,
            "name"
        );
        let cleared = NoteChanges::parse(json!({"speaker_role": null})).unwrap();
        assert_eq!(cleared.speaker_role, Some(None));
        assert_eq!(NoteChanges::parse(json!({})).unwrap(), NoteChanges::default());
        let refused = |body| NoteChanges::parse(body).unwrap_err();
        assert_eq!(refused(json!({"text": null})).field, "text");
        assert_eq!(refused(json!({"text": 5})).code, "invalid_value");
        assert_eq!(refused(json!({"speaker_role": "mayor"})).field, "speaker_role");
        assert_eq!(refused(json!({"name": "山田"})).code, "unknown_field");
        assert_eq!(refused(json!([])).code, "invalid_body");
    }
}
