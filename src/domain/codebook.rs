//! A codebook: the themes analysts code comments and meeting notes with ("other addictions
//! wanted", "hard to hear through masks"...), each with labels in both languages and the
//! keywords that suggest it. Versioned like forms: a coding keeps the version it was made with.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::coding_rule::{fold, Rule};
use super::lang::Localized;
use super::validation::{from_json, ValidationError};

const MAX_THEMES: usize = 60;
const MAX_KEYWORDS: usize = 40;
const MAX_KEYWORD_CHARS: usize = 40;
const MAX_DESCRIPTION_CHARS: usize = 1000;

/// The codebook a query reads codings of.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodebookParams {
    /// The codebook's slug, e.g. `starter`.
    pub codebook: String,
}

/// A codebook as `PUT /codebooks/{slug}` takes it and the shipped file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    pub title: Localized,
    /// What the codebook is for; the shipped one says it is a starting point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    #[schema(min_items = 1, max_items = 60)]
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    #[schema(pattern = "^[a-z0-9_]{1,64}$")]
    pub id: String,
    pub label: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// Words whose presence in a comment suggests the theme.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 40)]
    pub keywords: Vec<String>,
    /// A coding rule as KH Coder writes them: words (base forms) joined by `|`, `&`, `!` and
    /// parentheses, `near(a-b)` (within ten terms; `near(a-b, 5)`), `seq(a-b)` (b right after a).
    /// Comments it holds for can be coded with the theme at once (see [`Rule`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 500, example = "フリートーク | near(話-安心)")]
    pub rule: Option<String>,
}

impl Codebook {
    /// Parses and checks a codebook given as JSON (a `PUT` body or the shipped file).
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        let codebook: Self = from_json(body)?;
        codebook.check()?;
        Ok(codebook)
    }

    fn check(&self) -> Result<(), ValidationError> {
        let invalid = |field: &str, message: String| ValidationError::new(field, "invalid_value", message);
        if !self.title.is_complete() {
            return Err(invalid("title", "title needs ja and en".into()));
        }
        if self.themes.is_empty() || self.themes.len() > MAX_THEMES {
            return Err(invalid("themes", format!("a codebook has 1 to {MAX_THEMES} themes")));
        }
        for (i, theme) in self.themes.iter().enumerate() {
            let at = |message: &str| invalid("themes", format!("theme {:?}: {message}", theme.id));
            if !is_theme_id(&theme.id) {
                return Err(at("an id is 1 to 64 lower-case letters, digits and underscores"));
            }
            if self.themes[..i].iter().any(|t| t.id == theme.id) {
                return Err(at("the id is used twice"));
            }
            if !theme.label.is_complete() {
                return Err(at("the label needs ja and en"));
            }
            if theme
                .description
                .as_ref()
                .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
            {
                return Err(at("the description is too long"));
            }
            if let Some(Err(error)) = theme.rule.as_deref().map(Rule::parse) {
                return Err(at(&format!("rule: {error}")));
            }
            if theme.keywords.len() > MAX_KEYWORDS
                || theme
                    .keywords
                    .iter()
                    .any(|k| k.trim().is_empty() || k.chars().count() > MAX_KEYWORD_CHARS)
            {
                return Err(at(&format!(
                    "at most {MAX_KEYWORDS} keywords of 1 to {MAX_KEYWORD_CHARS} characters"
                )));
            }
        }
        if self
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
        {
            return Err(invalid("description", "the description is too long".into()));
        }
        Ok(())
    }

    /// The themes that have a rule, with it.
    pub fn rules(&self) -> Vec<(&str, Rule)> {
        self.themes
            .iter()
            .filter_map(|theme| Some((theme.id.as_str(), Rule::parse(theme.rule.as_deref()?).ok()?)))
            .collect()
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|theme| theme.id == id)
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The same content gives the same hash, whatever the key order or spacing.
    pub fn content_hash(&self) -> String {
        hex::encode(Sha256::digest(self.to_value().to_string().as_bytes()))
    }

    /// The themes whose keywords appear in `text` (compared in NFKC, case folded), in the
    /// codebook's order.
    pub fn suggest(&self, text: &str) -> Vec<&str> {
        let text = fold(text);
        self.themes
            .iter()
            .filter(|theme| theme.keywords.iter().any(|keyword| text.contains(&fold(keyword))))
            .map(|theme| theme.id.as_str())
            .collect()
    }
}

/// What changed in a theme between two versions of a codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeChange {
    Added {
        label: String,
    },
    Removed {
        label: String,
    },
    Relabelled {
        from: String,
        to: String,
    },
    Described {
        label: String,
    },
    /// Its coding rule was written, changed or removed.
    Ruled {
        label: String,
    },
    Keywords {
        label: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

/// The changes from `old` to `new`, theme by theme (by id), in `new`'s order then the removed.
pub fn changes(old: &Codebook, new: &Codebook) -> Vec<ThemeChange> {
    let mut changes = Vec::new();
    for theme in &new.themes {
        let label = theme.label.ja.clone();
        let Some(before) = old.theme(&theme.id) else {
            changes.push(ThemeChange::Added { label });
            continue;
        };
        if before.label != theme.label {
            changes.push(ThemeChange::Relabelled {
                from: before.label.ja.clone(),
                to: label.clone(),
            });
        }
        if before.description != theme.description {
            changes.push(ThemeChange::Described { label: label.clone() });
        }
        if before.rule != theme.rule {
            changes.push(ThemeChange::Ruled { label: label.clone() });
        }
        let only_in = |a: &[String], b: &[String]| a.iter().filter(|k| !b.contains(k)).cloned().collect::<Vec<_>>();
        let (added, removed) = (
            only_in(&theme.keywords, &before.keywords),
            only_in(&before.keywords, &theme.keywords),
        );
        if !added.is_empty() || !removed.is_empty() {
            changes.push(ThemeChange::Keywords { label, added, removed });
        }
    }
    for theme in old.themes.iter().filter(|theme| new.theme(&theme.id).is_none()) {
        changes.push(ThemeChange::Removed {
            label: theme.label.ja.clone(),
        });
    }
    changes
}

fn is_theme_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A codebook's name in paths: like an agency's.
pub fn is_codebook_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codebook(themes: Value) -> Result<Codebook, ValidationError> {
        Codebook::parse(json!({"title": {"ja": "テーマ", "en": "Themes"}, "themes": themes}))
    }

    #[test]
    fn the_shipped_starter_has_a_rule_for_every_theme() {
        let starter: Value = serde_json::from_str(include_str!("../../survey_forms/codebooks/starter.json")).unwrap();
        let starter = Codebook::parse(starter).unwrap();
        assert_eq!(starter.rules().len(), starter.themes.len());
        let terms: Vec<String> = ["マスク", "声", "聞き取る"].map(String::from).to_vec();
        let holding: Vec<&str> = starter
            .rules()
            .into_iter()
            .filter(|(_, rule)| rule.holds(&terms))
            .map(|(id, _)| id)
            .collect();
        assert_eq!(holding, ["audibility"]);
    }

    #[test]
    fn themes_are_checked_and_suggested_by_their_keywords() {
        let book = codebook(json!([
            {"id": "audibility", "label": {"ja": "聞き取りやすさ", "en": "Audibility"}, "keywords": ["聞き取り", "マスク"]},
            {"id": "other_addictions", "label": {"ja": "他の依存", "en": "Other addictions"}, "keywords": ["ゲーム", "ＳＮＳ"]},
        ]))
        .unwrap();
        assert_eq!(book.suggest("マスクで声が聞き取りにくい"), ["audibility"]);
        assert_eq!(
            book.suggest("ｹﾞｰﾑやsnsの依存も知りたい"),
            ["other_addictions"],
            "widths and case folded"
        );
        assert!(book.suggest("よかった").is_empty());
        assert_eq!(
            book.content_hash(),
            Codebook::parse(book.to_value()).unwrap().content_hash()
        );
    }

    #[test]
    fn bad_codebooks_name_what_is_wrong() {
        let label = json!({"ja": "a", "en": "a"});
        for themes in [
            json!([]),
            json!([{"id": "A", "label": label}]),
            json!([{"id": "a", "label": label}, {"id": "a", "label": label}]),
            json!([{"id": "a", "label": {"ja": "a"}}]),
            json!([{"id": "a", "label": label, "keywords": [" "]}]),
            json!([{"id": "a", "label": label, "colour": "red"}]),
        ] {
            assert!(codebook(themes.clone()).is_err(), "{themes}");
        }
    }

    #[test]
    fn changes_name_what_moved_theme_by_theme() {
        let book = |themes: Value| {
            Codebook::parse(serde_json::json!({"title": {"ja": "t", "en": "t"}, "themes": themes})).unwrap()
        };
        let old = book(serde_json::json!([
            {"id": "masks", "label": {"ja": "マスク", "en": "Masks"}, "keywords": ["マスク"]},
            {"id": "time", "label": {"ja": "時間", "en": "Time"}},
        ]));
        let new = book(serde_json::json!([
            {"id": "masks", "label": {"ja": "マスクで聞こえにくい", "en": "Masks"}, "keywords": ["マスク", "聞こえ"]},
            {"id": "venue", "label": {"ja": "会場", "en": "Venue"}},
        ]));
        assert_eq!(
            changes(&old, &new),
            vec![
                ThemeChange::Relabelled {
                    from: "マスク".into(),
                    to: "マスクで聞こえにくい".into()
                },
                ThemeChange::Keywords {
                    label: "マスクで聞こえにくい".into(),
                    added: vec!["聞こえ".into()],
                    removed: vec![]
                },
                ThemeChange::Added { label: "会場".into() },
                ThemeChange::Removed { label: "時間".into() },
            ]
        );
        assert_eq!(changes(&new, &new), vec![]);
    }
}
