//! Reading input with errors that name the field, so that an API client learns exactly which
//! field is wrong (serde's own messages give a line and column instead): bodies into their typed
//! shapes (`from_json`; query strings are read alike by `query_params`), and the checks both
//! share.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

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

/// A body read into its typed shape (the one the API's contract describes): a control character
/// anywhere in it, a missing field (`required`), one the shape does not know (`unknown_field`),
/// a value of the wrong type or outside the listed ones (`invalid_value`) is refused, named by
/// its path (`name.ja`, `speakers.type`).
pub fn from_json<T: DeserializeOwned>(value: Value) -> Result<T, ValidationError> {
    if let Some(found) = ControlCharacter::find(&value) {
        return Err(ValidationError::new(&found.field, "invalid_value", found.to_string()));
    }
    from_json_checked_by_reader(value)
}

/// The same without the search for control characters: for a body whose reader checks every
/// text itself and says more (a submission's answers are refused one by one, each problem
/// listed).
pub fn from_json_checked_by_reader<T: DeserializeOwned>(value: Value) -> Result<T, ValidationError> {
    if !value.is_object() {
        return Err(ValidationError::new(
            "",
            "invalid_body",
            "the body must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(path_error)
}

/// A control character (other than line breaks and tabs) somewhere in a JSON value, a key or a
/// string: PostgreSQL stores no NUL in any text or JSON, and the others only corrupt what staff
/// read and export, so no body may hold one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlCharacter {
    /// The field it is in, as the document names fields (`themes.label.ja`).
    pub field: String,
    /// The same with each item's place (`themes[0].label.ja`).
    pub path: String,
    pub character: char,
}

impl ControlCharacter {
    pub fn find(value: &Value) -> Option<Self> {
        fn walk(value: &Value, field: &str, path: &str) -> Option<ControlCharacter> {
            let found = |text: &str, field: &str, path: &str| {
                control_character(text).map(|character| ControlCharacter {
                    field: field.to_owned(),
                    path: path.to_owned(),
                    character,
                })
            };
            let inside = |outer: &str, key: &str| {
                if outer.is_empty() {
                    key.to_owned()
                } else {
                    format!("{outer}.{key}")
                }
            };
            match value {
                Value::String(text) => found(text, field, path),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, item)| walk(item, field, &format!("{path}[{i}]"))),
                Value::Object(fields) => fields.iter().find_map(|(key, item)| {
                    let (field, path) = (inside(field, key), inside(path, key));
                    found(key, &field, &path).or_else(|| walk(item, &field, &path))
                }),
                _ => None,
            }
        }
        walk(value, "", "")
    }
}

impl std::fmt::Display for ControlCharacter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} must not contain the control character U+{:04X}",
            self.path,
            u32::from(self.character)
        )
    }
}

/// A fault of serde's, named as the document names fields (`speakers.type`, whichever item it
/// was): for bodies and query strings alike.
pub fn path_error<E: std::fmt::Display>(error: serde_path_to_error::Error<E>) -> ValidationError {
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

/// A date written YYYY-MM-DD, within [`DATE_RANGE`].
pub fn date_text(text: &str) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("{text:?} is not a date YYYY-MM-DD"))?;
    let (first, last) = DATE_RANGE;
    if date < first || date > last {
        return Err(format!("{text} is outside {first} to {last}"));
    }
    Ok(date)
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

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(trimmed_text("  回復  ", 5).unwrap(), "回復");
        assert!(trimmed_text("   ", 5).is_err());
        assert!(trimmed_text("あいうえおか", 5).is_err());
    }

    #[test]
    fn text_refuses_control_characters_and_dates_stay_in_range() {
        assert!(trimmed_text("a\u{0}b", 10).unwrap_err().contains("U+0000"));
        assert!(trimmed_text("a\u{7}", 10).is_err());
        assert_eq!(trimmed_text("a\nb\tc", 10).unwrap(), "a\nb\tc");
        for date in ["-4713-01-01", "0000-01-01", "2101-01-01", "2026-02-30"] {
            assert!(date_text(date).is_err(), "{date}");
        }
        assert!(date_text("2100-12-31").is_ok());
    }

    #[test]
    fn a_control_character_anywhere_in_a_body_is_found_and_named() {
        let found = |body: Value| ControlCharacter::find(&body).map(|found| (found.field, found.path));
        assert_eq!(found(json!({"a": "x\ny\tz", "b": [1, "ok"]})), None);
        assert_eq!(
            found(json!({"themes": [{"label": {"ja": "ok"}}, {"label": {"ja": "a\u{0}"}}]})),
            Some(("themes.label.ja".to_owned(), "themes[1].label.ja".to_owned()))
        );
        assert_eq!(
            found(json!({"targets": {"20\u{7}19": 3}})),
            Some(("targets.20\u{7}19".to_owned(), "targets.20\u{7}19".to_owned()))
        );
        let refused = from_json::<Value>(json!({"title": "\u{1b}[31m"})).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code), ("title", "invalid_value"));
        assert!(refused.message.contains("U+001B"), "{}", refused.message);
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
}
