//! Local agencies the programme tells about its events and that refer people to it (hospitals,
//! welfare offices, probation, self-help groups...), kept as a list staff manage.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::Object;
use utoipa::ToSchema;

use super::validation::{from_json, trimmed_text, ValidationError};
use super::vocabulary::AGENCY_KINDS;

const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub slug: String,
    pub name_ja: String,
    pub name_en: Option<String>,
    /// One of [`AGENCY_KINDS`].
    pub kind: String,
}

/// A local agency the programme works with: the body of `PUT /agencies/{slug}`, and what the
/// dashboard's form is read into.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({"name": {"ja": "市立病院 精神科", "en": "City Hospital, psychiatry"}, "kind": "medical"})))]
pub struct AgencyBody {
    pub name: AgencyName,
    /// One of the agency kinds.
    #[schema(schema_with = agency_kinds)]
    pub kind: String,
}

/// An agency's name: Japanese, and English if it has one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyName {
    #[schema(max_length = 200)]
    pub ja: String,
    #[schema(max_length = 200)]
    pub en: Option<String>,
}

/// The kinds [`AGENCY_KINDS`] lists, as the contract's enumeration.
pub fn agency_kinds() -> Object {
    AGENCY_KINDS.schema()
}

impl Agency {
    /// An agency from `PUT /agencies/{slug}`: `{"name": {"ja", "en"?}, "kind"}`.
    pub fn parse(slug: &str, body: Value) -> Result<Self, ValidationError> {
        Self::from_body(slug, from_json(body)?)
    }

    pub fn from_body(slug: &str, body: AgencyBody) -> Result<Self, ValidationError> {
        if !is_slug(slug) {
            return Err(ValidationError::new(
                "slug",
                "invalid_value",
                "a slug is 1 to 64 lower-case letters, digits, '-' and '_'",
            ));
        }
        let name = |text: &str, part: &str| {
            trimmed_text(text, MAX_NAME_CHARS)
                .map_err(|message| ValidationError::new("name", "invalid_value", format!("name.{part} {message}")))
        };
        let kind = AGENCY_KINDS.checked("kind", body.kind)?;
        Ok(Self {
            slug: slug.to_owned(),
            name_ja: name(&body.name.ja, "ja")?,
            name_en: body.name.en.as_deref().map(|en| name(en, "en")).transpose()?,
            kind,
        })
    }
}

fn is_slug(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_agency_has_a_japanese_name_and_a_kind() {
        let agency = Agency::parse(
            "seiwa-hospital",
            json!({"name": {"ja": " 精和病院 ", "en": "Seiwa Hospital"}, "kind": "medical"}),
        )
        .unwrap();
        assert_eq!(agency.name_ja, "精和病院");
        assert_eq!(agency.name_en.as_deref(), Some("Seiwa Hospital"));
        let japanese_only = Agency::parse("darc", json!({"name": {"ja": "ダルク"}, "kind": "recovery_facility"}));
        assert_eq!(japanese_only.unwrap().name_en, None);
    }

    #[test]
    fn bad_agencies_name_the_field() {
        let cases = [
            ("Bad Slug", json!({"name": {"ja": "x"}, "kind": "medical"}), "slug"),
            ("a", json!({"kind": "medical"}), "name"),
            ("a", json!({"name": {"en": "x"}, "kind": "medical"}), "name.ja"),
            (
                "a",
                json!({"name": {"ja": "x", "fr": "y"}, "kind": "medical"}),
                "name.fr",
            ),
            ("a", json!({"name": {"ja": " "}, "kind": "medical"}), "name"),
            ("a", json!({"name": "x", "kind": "medical"}), "name"),
            ("a", json!({"name": {"ja": "x"}, "kind": 3}), "kind"),
            ("a", json!({"name": {"ja": "x"}, "kind": "church"}), "kind"),
            ("a", json!({"name": {"ja": "x"}}), "kind"),
            (
                "a",
                json!({"name": {"ja": "x"}, "kind": "police", "phone": "110"}),
                "phone",
            ),
        ];
        for (slug, body, field) in cases {
            assert_eq!(
                Agency::parse(slug, body.clone()).unwrap_err().field,
                field,
                "{slug} {body}"
            );
        }
    }
}
