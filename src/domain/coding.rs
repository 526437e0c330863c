//! An analyst's coding of one comment or meeting note with themes of a codebook: which item, which
//! themes (none is a valid answer: nothing in it fits), and whether staff would quote it as a
//! representative comment in the report.

use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::codebook::is_codebook_slug;
use super::validation::{from_json, invalid_value, ValidationError};

const MAX_THEMES_PER_ITEM: usize = 20;

/// What is coded: an attendee's answer to a free-text question, or a meeting note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodedItem {
    Answer { response: Uuid, question: String },
    Note(Uuid),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCoding {
    pub codebook: String,
    pub item: CodedItem,
    pub themes: Vec<String>,
    pub quote: bool,
}

/// A coding as `PUT /codings` takes it, and the dashboard's coding form is read into.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodingBody {
    pub codebook: String,
    /// `{"response": id, "question": id}` or `{"note": id}`.
    pub item: Value,
    #[schema(max_items = 20)]
    pub themes: Vec<String>,
    /// A representative comment staff would quote in the report.
    pub quote: Option<bool>,
}

impl NewCoding {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: CodingBody) -> Result<Self, ValidationError> {
        let codebook = body.codebook.trim().to_owned();
        if !is_codebook_slug(&codebook) {
            return Err(ValidationError::new("codebook", "invalid_value", "no such codebook"));
        }
        Ok(Self {
            codebook,
            item: item(&body.item).map_err(invalid_value("item"))?,
            themes: themes(body.themes).map_err(invalid_value("themes"))?,
            quote: body.quote.unwrap_or(false),
        })
    }
}

const ITEM_SHAPE: &str = "item is {\"response\": id, \"question\": id} or {\"note\": id}";

fn item(value: &Value) -> Result<CodedItem, String> {
    let object = value.as_object().ok_or(ITEM_SHAPE)?;
    let uuid = |name: &str| -> Result<Uuid, String> {
        object
            .get(name)
            .and_then(Value::as_str)
            .and_then(|text| Uuid::parse_str(text).ok())
            .ok_or_else(|| format!("{name} must be an id"))
    };
    match (
        object.len(),
        object.get("note"),
        object.get("response"),
        object.get("question"),
    ) {
        (1, Some(_), None, None) => Ok(CodedItem::Note(uuid("note")?)),
        (2, None, Some(_), Some(question)) => Ok(CodedItem::Answer {
            response: uuid("response")?,
            question: question
                .as_str()
                .filter(|q| !q.is_empty() && q.len() <= 64)
                .ok_or(ITEM_SHAPE)?
                .to_owned(),
        }),
        _ => Err(ITEM_SHAPE.to_owned()),
    }
}

fn themes(ids: Vec<String>) -> Result<Vec<String>, String> {
    let distinct = ids.iter().enumerate().all(|(i, id)| !ids[..i].contains(id));
    if ids.len() <= MAX_THEMES_PER_ITEM && distinct {
        Ok(ids)
    } else {
        Err(format!(
            "themes is a list of up to {MAX_THEMES_PER_ITEM} distinct theme ids"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_coding_names_one_item_and_distinct_themes() {
        let response = Uuid::now_v7();
        let coding = NewCoding::parse(json!({
            "codebook": "starter", "item": {"response": response, "question": "opinion"},
            "themes": ["audibility"], "quote": true,
        }))
        .unwrap();
        assert_eq!(
            coding.item,
            CodedItem::Answer {
                response,
                question: "opinion".into()
            }
        );
        assert!(coding.quote);
        let refused = |body: Value| NewCoding::parse(body).unwrap_err().field;
        assert_eq!(
            refused(json!({"codebook": "starter", "item": {"note": "x"}, "themes": []})),
            "item"
        );
        assert_eq!(
            refused(json!({"codebook": "starter", "item": {"note": response, "response": response}, "themes": []})),
            "item"
        );
        assert_eq!(
            refused(json!({"codebook": "starter", "item": {"note": response}, "themes": ["a", "a"]})),
            "themes"
        );
        assert_eq!(
            refused(json!({"codebook": "Starter!", "item": {"note": response}, "themes": []})),
            "codebook"
        );
    }
}
