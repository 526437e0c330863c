//! What was said at an event's meeting, as staff note it: the words and, if known, who says such
//! things (a participant, a family member...). There is no field for a name, by design.

use serde_json::Value;

use super::validation::{Fields, ValidationError};
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

impl NewNote {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let note = Self {
            text: fields.text("text", MAX_NOTE_CHARS)?.required("text")?,
            speaker_role: fields
                .parsed("speaker_role", |value| SPEAKER_ROLES.parse(value))?
                .optional(),
        };
        fields.finish()?;
        Ok(note)
    }
}

impl NoteChanges {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let changes = Self {
            text: fields.text("text", MAX_NOTE_CHARS)?.not_null("text")?,
            speaker_role: fields
                .parsed("speaker_role", |value| SPEAKER_ROLES.parse(value))?
                .change(),
        };
        fields.finish()?;
        Ok(changes)
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
    }
}
