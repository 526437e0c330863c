//! Reading input with errors that name the field, so that an API client learns exactly which
//! field is wrong (serde's own messages give a line and column instead): bodies into their typed
//! shapes (`from_json`), query strings field by field (`Fields`), and the checks both share.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code,
            message: message.into(),
        }
    }

    /// The body's own field the fault is in (`targets` of `targets.2019`): what a form shows it
    /// beside.
    pub fn top_field(&self) -> &str {
        self.field.split('.').next().unwrap_or_default()
    }
}

/// A query string's fields taken one by one; `finish` rejects any field nobody took.
pub struct Fields {
    map: Map<String, Value>,
}

/// A field that may be absent (leave as is), `null` (clear) or given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patch<T> {
    Keep,
    Clear,
    Set(T),
}

impl Fields {
    pub fn from_map(map: Map<String, Value>) -> Self {
        Self { map }
    }

    pub fn finish(self) -> Result<(), ValidationError> {
        match self.map.keys().next() {
            Some(field) => Err(ValidationError::new(
                field,
                "unknown_field",
                format!("unknown field {field:?}"),
            )),
            None => Ok(()),
        }
    }

    /// Takes a field: absent, `null` or a value.
    fn take(&mut self, field: &str) -> Patch<Value> {
        match self.map.remove(field) {
            None => Patch::Keep,
            Some(Value::Null) => Patch::Clear,
            Some(value) => Patch::Set(value),
        }
    }

    pub fn text(&mut self, field: &str, max_chars: usize) -> Result<Patch<String>, ValidationError> {
        self.parsed(field, |value| {
            trimmed_text(value.as_str().ok_or("must be a string")?, max_chars)
        })
    }

    pub fn date(&mut self, field: &str) -> Result<Patch<NaiveDate>, ValidationError> {
        self.parsed(field, parse_date)
    }

    pub fn uuid(&mut self, field: &str) -> Result<Patch<uuid::Uuid>, ValidationError> {
        self.parsed(field, |value| {
            value
                .as_str()
                .and_then(|text| uuid::Uuid::parse_str(text).ok())
                .ok_or_else(|| "must be a UUID string".into())
        })
    }

    /// Takes a field and parses it with `parse`, whose message is about the field's value.
    pub fn parsed<T>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Result<Patch<T>, ValidationError> {
        match self.take(field) {
            Patch::Keep => Ok(Patch::Keep),
            Patch::Clear => Ok(Patch::Clear),
            Patch::Set(value) => parse(&value)
                .map(Patch::Set)
                .map_err(|message| ValidationError::new(field, "invalid_value", message)),
        }
    }
}

/// `text` trimmed, if it is not empty, holds no control character and fits in `max_chars`.
pub fn trimmed_text(text: &str, max_chars: usize) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    if let Some(c) = control_character(text) {
        return Err(format!("must not contain the control character U+{:04X}", u32::from(c)));
    }
    if text.chars().count() > max_chars {
        return Err(format!("must be at most {max_chars} characters"));
    }
    Ok(text.to_owned())
}

/// A body read into its typed shape (the one the API's contract describes), refused as
/// [`Fields`] refuses: a missing field is `required`, one the shape does not know
/// `unknown_field`, a value of the wrong type or outside the listed ones `invalid_value`, each
/// named by its path (`name.ja`, `speakers.type`).
pub fn from_json<T: DeserializeOwned>(value: Value) -> Result<T, ValidationError> {
    if !value.is_object() {
        return Err(ValidationError::new(
            "",
            "invalid_body",
            "the body must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        // Named as the document names fields: `speakers.type`, whichever item it was.
        let at = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(".");
        let inner = error.inner().to_string();
        let named = |prefix: &str| inner.strip_prefix(prefix).and_then(|rest| rest.split('`').next());
        let inside = |field: &str| {
            if at.is_empty() {
                field.to_owned()
            } else {
                format!("{at}.{field}")
            }
        };
        if let Some(field) = named("missing field `") {
            let field = inside(field);
            ValidationError::new(&field, "required", format!("{field} is required"))
        } else if let Some(field) = named("unknown field `") {
            // The path already ends at the unknown key.
            let field = if at.is_empty() { field.to_owned() } else { at.clone() };
            ValidationError::new(&field, "unknown_field", format!("unknown field {field:?}"))
        } else {
            // The message keeps which item it was (`deliverables[1]`, counted from 0).
            ValidationError::new(&at, "invalid_value", format!("{}: {inner}", error.path()))
        }
    })
}

/// A body's text field checked as [`trimmed_text`], refused as `field`'s.
pub fn field_text(field: &'static str, text: &str, max_chars: usize) -> Result<String, ValidationError> {
    trimmed_text(text, max_chars).map_err(invalid_value(field))
}

/// The same for a text that may be left out.
pub fn optional_text(
    field: &'static str,
    text: Option<String>,
    max_chars: usize,
) -> Result<Option<String>, ValidationError> {
    text.map(|text| field_text(field, &text, max_chars)).transpose()
}

/// The refusal of `field`'s value, its message given: for `map_err` on a check's message.
pub fn invalid_value(field: &'static str) -> impl Fn(String) -> ValidationError {
    move |message| ValidationError::new(field, "invalid_value", message)
}

/// Reads a field of a change (PATCH) body: left out it stays `None` (with `#[serde(default)]`),
/// `null` is `Some(None)` (clear it), a value `Some(Some(value))`.
pub fn change<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The first control character of `text` other than line breaks and tabs: NUL cannot be
/// stored at all, and the others only corrupt what staff read and export.
pub fn control_character(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The dates the service takes: those of a programme, not of chrono's whole range (which
/// PostgreSQL cannot all hold).
pub const DATE_RANGE: (NaiveDate, NaiveDate) = (
    match NaiveDate::from_ymd_opt(2000, 1, 1) {
        Some(date) => date,
        None => NaiveDate::MIN,
    },
    match NaiveDate::from_ymd_opt(2100, 12, 31) {
        Some(date) => date,
        None => NaiveDate::MAX,
    },
);

fn parse_date(value: &Value) -> Result<NaiveDate, String> {
    date_text(value.as_str().ok_or("must be a date string YYYY-MM-DD")?)
}

/// A date written YYYY-MM-DD, within [`DATE_RANGE`].
pub fn date_text(text: &str) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("{text:?} is not a date YYYY-MM-DD"))?;
    let (first, last) = DATE_RANGE;
    if date < first || date > last {
        return Err(format!("{text} is outside {first} to {last}"));
    }
    Ok(date)
}

impl<T> Patch<T> {
    /// For a field that must be given and cannot be null.
    pub fn required(self, field: &str) -> Result<T, ValidationError> {
        match self {
            Self::Set(value) => Ok(value),
            _ => Err(ValidationError::new(field, "required", format!("{field} is required"))),
        }
    }

    /// For a field that may be left out or null, both meaning "none".
    pub fn optional(self) -> Option<T> {
        match self {
            Self::Set(value) => Some(value),
            _ => None,
        }
    }
}

/// Japanese keyboards often type full-width digits (１２); accept them as numbers.
pub fn to_ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'ー' | '－' => '-',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(object: Value) -> Result<Fields, ()> {
        object.as_object().cloned().map(Fields::from_map).ok_or(())
    }

    #[test]
    fn absent_null_and_given_are_told_apart() {
        let mut fields = fields(json!({"a": null, "b": "x"})).unwrap();
        assert_eq!(fields.text("a", 5).unwrap(), Patch::Clear);
        assert_eq!(fields.text("b", 5).unwrap(), Patch::Set("x".to_owned()));
        assert_eq!(fields.text("c", 5).unwrap(), Patch::Keep);
        fields.finish().unwrap();
    }

    #[test]
    fn errors_name_their_field() {
        let mut fields = fields(json!({"held_on": "2026-02-30", "title": 3, "extra": 1})).unwrap();
        assert_eq!(fields.date("held_on").unwrap_err().field, "held_on");
        assert_eq!(fields.text("title", 10).unwrap_err().field, "title");
        let error = fields.finish().unwrap_err();
        assert_eq!((error.field.as_str(), error.code), ("extra", "unknown_field"));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        let mut fields = fields(json!({"a": "  回復  ", "b": "   ", "c": "あいうえおか"})).unwrap();
        assert_eq!(fields.text("a", 5).unwrap(), Patch::Set("回復".to_owned()));
        assert!(fields.text("b", 5).is_err());
        assert!(fields.text("c", 5).is_err());
    }

    #[test]
    fn text_refuses_control_characters_and_dates_stay_in_range() {
        let mut fields = fields(json!({
            "nul": "a\u{0}b", "bell": "a\u{7}", "lines": "a\nb\tc",
            "ancient": "-4713-01-01", "zero": "0000-01-01", "far": "2101-01-01", "ok": "2100-12-31",
        }))
        .unwrap();
        assert!(fields.text("nul", 10).unwrap_err().message.contains("U+0000"));
        assert!(fields.text("bell", 10).is_err());
        assert_eq!(fields.text("lines", 10).unwrap(), Patch::Set("a\nb\tc".to_owned()));
        for field in ["ancient", "zero", "far"] {
            assert_eq!(fields.date(field).unwrap_err().field, field);
        }
        assert!(fields.date("ok").is_ok());
    }

    #[test]
    fn a_typed_body_names_its_field_by_path() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            ja: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Body {
            name: Inner,
            items: Option<Vec<i64>>,
        }
        let refused = |body: Value| from_json::<Body>(body).unwrap_err();
        let error = refused(json!({}));
        assert_eq!((error.field.as_str(), error.code), ("name", "required"));
        let error = refused(json!({"name": {}}));
        assert_eq!((error.field.as_str(), error.code), ("name.ja", "required"));
        let error = refused(json!({"name": {"ja": "x", "en": "y"}}));
        assert_eq!((error.field.as_str(), error.code), ("name.en", "unknown_field"));
        let error = refused(json!({"name": {"ja": "x"}, "extra": 1}));
        assert_eq!((error.field.as_str(), error.code), ("extra", "unknown_field"));
        let error = refused(json!({"name": {"ja": "x"}, "items": [1, "two"]}));
        assert_eq!((error.field.as_str(), error.code), ("items", "invalid_value"));
        assert!(error.message.starts_with("items[1]:"), "{}", error.message);
        assert_eq!(error.top_field(), "items");
        assert_eq!(refused(json!([1])).code, "invalid_body");
    }

    #[test]
    fn patches_know_what_is_allowed() {
        assert!(Patch::<i32>::Keep.required("x").is_err());
        assert_eq!(Patch::Set(3).required("x").unwrap(), 3);
        assert_eq!(Patch::<i32>::Clear.optional(), None);
    }
}
