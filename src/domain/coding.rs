//! An analyst's coding of one comment or meeting note with themes of a codebook: which item, which
//! themes (none is a valid answer: nothing in it fits), and whether staff would quote it as a
//! representative comment in the report.

use serde_json::Value;
use uuid::Uuid;

use super::codebook::is_codebook_slug;
use super::validation::{Fields, ValidationError};

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

impl NewCoding {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let mut fields = Fields::new(body)?;
        let codebook = fields.text("codebook", 64)?.required("codebook")?;
        if !is_codebook_slug(&codebook) {
            return Err(ValidationError::new("codebook", "invalid_value", "no such codebook"));
        }
        let item = fields.parsed("item", item)?.required("item")?;
        let themes = fields.parsed("themes", themes)?.required("themes")?;
        let quote = fields.flag("quote")?.optional().unwrap_or(false);
        fields.finish()?;
        Ok(Self {
            codebook,
            item,
            themes,
            quote,
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

fn themes(value: &Value) -> Result<Vec<String>, String> {
    let shape = || format!("themes is a list of up to {MAX_THEMES_PER_ITEM} distinct theme ids");
    let items = value
        .as_array()
        .filter(|items| items.len() <= MAX_THEMES_PER_ITEM)
        .ok_or_else(shape)?;
    let mut themes: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let id = item.as_str().ok_or_else(shape)?;
        if themes.iter().any(|t| t == id) {
            return Err(shape());
        }
        themes.push(id.to_owned());
    }
    Ok(themes)
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
