//! Local agencies the programme tells about its events and that refer people to it (hospitals,
//! welfare offices, probation, self-help groups...), kept as a list staff manage.

use serde_json::{json, Value};

use super::validation::{Fields, ValidationError};
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

impl Agency {
    /// An agency from `PUT /agencies/{slug}`: `{"name": {"ja", "en"?}, "kind"}`.
    pub fn parse(slug: &str, body: Value) -> Result<Self, ValidationError> {
        if !is_slug(slug) {
            return Err(ValidationError::new(
                "slug",
                "invalid_value",
                "a slug is 1 to 64 lower-case letters, digits, '-' and '_'",
            ));
        }
        let mut fields = Fields::new(body)?;
        let name = fields.object("name")?.required("name")?;
        let kind = fields
            .parsed("kind", |value| AGENCY_KINDS.parse(value))?
            .required("kind")?;
        fields.finish()?;
        let mut name = Fields::from_map(name);
        let name_ja = name
            .text("ja", MAX_NAME_CHARS)
            .map_err(|e| ValidationError::new("name", e.code, format!("name.ja {}", e.message)))?
            .required("name")?;
        let name_en = name
            .text("en", MAX_NAME_CHARS)
            .map_err(|e| ValidationError::new("name", e.code, format!("name.en {}", e.message)))?
            .optional();
        name.finish()
            .map_err(|e| ValidationError::new("name", e.code, format!("name: {}", e.message)))?;
        Ok(Self {
            slug: slug.to_owned(),
            name_ja,
            name_en,
            kind,
        })
    }

    pub fn to_json(&self) -> Value {
        json!({
            "slug": self.slug,
            "name": {"ja": self.name_ja, "en": self.name_en},
            "kind": self.kind,
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

    #[test]
    fn an_agency_has_a_japanese_name_and_a_kind() {
        let agency = Agency::parse(
            "seiwa-hospital",
            json!({"name": {"ja": " 精和病院 ", "en": "Seiwa Hospital"}, "kind": "medical"}),
        )
        .unwrap();
        assert_eq!(agency.name_ja, "精和病院");
        assert_eq!(agency.to_json()["name"]["en"], "Seiwa Hospital");
        let japanese_only = Agency::parse("darc", json!({"name": {"ja": "ダルク"}, "kind": "recovery_facility"}));
        assert_eq!(japanese_only.unwrap().name_en, None);
    }

    #[test]
    fn bad_agencies_name_the_field() {
        let cases = [
            ("Bad Slug", json!({"name": {"ja": "x"}, "kind": "medical"}), "slug"),
            ("a", json!({"kind": "medical"}), "name"),
            ("a", json!({"name": {"en": "x"}, "kind": "medical"}), "name"),
            ("a", json!({"name": {"ja": "x", "fr": "y"}, "kind": "medical"}), "name"),
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
