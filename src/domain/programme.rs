//! The programme profile: what the results report (成果報告書) says of the programme as a whole,
//! in staff's words. Every text is optional, so staff can fill it in over the years; the report
//! names what is still unwritten.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::validation::{control_character, from_json, invalid_value, optional_text, ValidationError};

/// A name or an organisation: one line.
const MAX_NAME_CHARS: usize = 200;
/// A section of the report: several paragraphs and lists.
const MAX_TEXT_CHARS: usize = 20_000;
const MAX_DELIVERABLES: usize = 50;

/// Every field present (`null` where unwritten), as clients see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProgrammeProfile {
    /// 事業実施団体名.
    pub organisation: Option<String>,
    /// 事業名称.
    pub name: Option<String>,
    /// 事業の目的.
    pub purpose: Option<String>,
    /// 事業実施の背景.
    pub background: Option<String>,
    /// Who carries the work out (a department, a contracted body).
    pub implementing_body: Option<String>,
    /// 最終成果物: one line each.
    pub deliverables: Vec<String>,
    /// 成果指標以外の成果, in staff's words (the report adds the counts the data has).
    pub other_outcomes: Option<String>,
    /// 他の地方公共団体が事業を実施する上での参考事項.
    pub advice_for_others: Option<String>,
}

/// The profile as `PUT /programme` takes it (a PUT replaces it: absent fields are unwritten).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeBody {
    /// 事業実施団体名.
    #[schema(max_length = 200)]
    pub organisation: Option<String>,
    /// 事業名称.
    #[schema(max_length = 200)]
    pub name: Option<String>,
    /// 事業の目的, as paragraphs and lists.
    #[schema(max_length = 20000)]
    pub purpose: Option<String>,
    /// 事業実施の背景.
    #[schema(max_length = 20000)]
    pub background: Option<String>,
    /// Who carries the work out.
    #[schema(max_length = 200)]
    pub implementing_body: Option<String>,
    /// 最終成果物, one line each.
    #[schema(max_items = 50)]
    pub deliverables: Option<Vec<String>>,
    /// 成果指標以外の成果.
    #[schema(max_length = 20000)]
    pub other_outcomes: Option<String>,
    /// 他の地方公共団体が事業を実施する上での参考事項.
    #[schema(max_length = 20000)]
    pub advice_for_others: Option<String>,
}

impl ProgrammeProfile {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let body: ProgrammeBody = from_json(body)?;
        Ok(Self {
            organisation: optional_text("organisation", body.organisation, MAX_NAME_CHARS)?,
            name: optional_text("name", body.name, MAX_NAME_CHARS)?,
            purpose: optional_text("purpose", body.purpose, MAX_TEXT_CHARS)?,
            background: optional_text("background", body.background, MAX_TEXT_CHARS)?,
            implementing_body: optional_text("implementing_body", body.implementing_body, MAX_NAME_CHARS)?,
            deliverables: body
                .deliverables
                .map(|items| parse_deliverables(&items).map_err(invalid_value("deliverables")))
                .transpose()?
                .unwrap_or_default(),
            other_outcomes: optional_text("other_outcomes", body.other_outcomes, MAX_TEXT_CHARS)?,
            advice_for_others: optional_text("advice_for_others", body.advice_for_others, MAX_TEXT_CHARS)?,
        })
    }

    /// The profile as `parse` reads it, every field present (`null` where unwritten).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The stored definition: the written fields only, so that a stored profile always parses.
    pub fn definition(&self) -> Value {
        let written: Map<String, Value> = match self.to_json() {
            Value::Object(map) => map
                .into_iter()
                .filter(|(_, value)| !value.is_null() && value != &json!([]))
                .collect(),
            _ => Map::new(),
        };
        Value::Object(written)
    }
}

fn parse_deliverables(items: &[String]) -> Result<Vec<String>, String> {
    if items.len() > MAX_DELIVERABLES {
        return Err(format!("must list at most {MAX_DELIVERABLES} deliverables"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = item.trim();
            let fault = if text.is_empty() {
                Some("must be a non-empty text".to_owned())
            } else if let Some(c) = control_character(text) {
                Some(format!("must not contain the control character U+{:04X}", u32::from(c)))
            } else {
                (text.chars().count() > MAX_NAME_CHARS).then(|| format!("must be at most {MAX_NAME_CHARS} characters"))
            };
            match fault {
                Some(fault) => Err(format!("item {} {fault}", i + 1)),
                None => Ok(text.to_owned()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_reads_back_as_written() {
        let body = json!({"organisation": "○○市", "name": "薬物依存症者の回復支援事業", "deliverables": ["啓発リーフレット", "支援者向け手引き"],
                          "advice_for_others": "- 当事者団体と早くから連携する"});
        let profile = ProgrammeProfile::parse(body).unwrap();
        assert_eq!(profile.deliverables.len(), 2);
        assert_eq!(ProgrammeProfile::parse(profile.definition()).unwrap(), profile);
        assert_eq!(profile.to_json()["purpose"], Value::Null);
        assert_eq!(ProgrammeProfile::parse(json!({})).unwrap(), ProgrammeProfile::default());
    }

    #[test]
    fn a_profile_names_the_field_at_fault() {
        for (body, field) in [
            (json!({"organisation": 3}), "organisation"),
            (json!({"name": "x".repeat(201)}), "name"),
            (json!({"deliverables": "one"}), "deliverables"),
            (json!({"deliverables": ["ok", 5]}), "deliverables"),
            (json!({"purpose": "a\u{0}b"}), "purpose"),
            (json!({"budget": 1}), "budget"),
        ] {
            assert_eq!(ProgrammeProfile::parse(body).unwrap_err().field, field);
        }
        assert!(ProgrammeProfile::parse(json!({"deliverables": ["ok", 5]}))
            .unwrap_err()
            .message
            .contains("deliverables[1]"));
    }
}
