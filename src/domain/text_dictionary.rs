//! Staff's text dictionary: words the segmenter keeps whole (forced words staff type, compound
//! words they accepted from the candidates) and the stop words it drops, as KH Coder users set
//! them. It shapes staff's own analyses of opinions only: researchers' term tables are cut with
//! the shipped list alone, so a change of dictionary never yields two versions of a released
//! table to subtract.

use serde_json::Value;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::validation::{control_character, from_json, ValidationError};

/// Words that carry no opinion: light verbs, formal nouns, and English function words.
pub const SHIPPED_STOP_WORDS: &[&str] = &[
    "する",
    "いる",
    "ある",
    "なる",
    "れる",
    "られる",
    "できる",
    "思う",
    "いう",
    "おる",
    "くる",
    "いく",
    "みる",
    "くださる",
    "こと",
    "もの",
    "よう",
    "ため",
    "とき",
    "ところ",
    "の",
    "ん",
    "さん",
    "方",
    "これ",
    "それ",
    "あれ",
    "ここ",
    "そこ",
    "私",
    "自分",
    "今回",
    "今日",
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "it",
    "this",
    "that",
    "i",
    "me",
    "my",
    "we",
    "our",
    "you",
    "he",
    "she",
    "they",
    "felt",
    "very",
    "so",
    "as",
    "by",
    "from",
    "have",
    "had",
    "has",
    "do",
    "did",
    "not",
    "there",
];

/// Longest word (a compound of a few nouns, an agency's name).
pub const MAX_WORD_CHARS: usize = 40;
const MAX_WORDS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TextDictionary {
    /// Words kept whole wherever they appear (ポラ研, SMARPP-24, フリートーク).
    pub forced: Vec<String>,
    /// Compound words staff accepted from the candidates: kept whole like forced words.
    pub compounds: Vec<String>,
    /// Terms left out of every count.
    pub stop_words: Vec<String>,
}

impl Default for TextDictionary {
    fn default() -> Self {
        Self {
            forced: Vec::new(),
            compounds: Vec::new(),
            stop_words: SHIPPED_STOP_WORDS.iter().map(|w| (*w).to_owned()).collect(),
        }
    }
}

/// The dictionary in force and its version: 0 is the shipped one, each change adds one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct VersionedDictionary {
    /// 0 for the shipped dictionary; each change adds one.
    pub version: i64,
    #[serde(flatten)]
    pub dictionary: TextDictionary,
}

/// A whole dictionary as `PUT /text-dictionary` takes it (a PUT replaces it).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextDictionaryBody {
    /// Words kept whole wherever they appear (ポラ研, SMARPP-24, フリートーク).
    #[schema(max_items = 2000)]
    pub forced: Option<Vec<String>>,
    /// Compound words accepted from the candidates.
    #[schema(max_items = 2000)]
    pub compounds: Option<Vec<String>>,
    /// Terms left out of every count; left out, the shipped list.
    #[schema(max_items = 2000)]
    pub stop_words: Option<Vec<String>>,
}

impl TextDictionary {
    pub fn parse(body: Value) -> Result<Self, ValidationError> {
        Self::from_body(from_json(body)?)
    }

    pub fn from_body(body: TextDictionaryBody) -> Result<Self, ValidationError> {
        let list = |name: &str, words: Option<Vec<String>>| {
            words
                .map(|words| {
                    parse_words(&words).map_err(|message| ValidationError::new(name, "invalid_value", message))
                })
                .transpose()
        };
        Ok(Self {
            forced: list("forced", body.forced)?.unwrap_or_default(),
            compounds: list("compounds", body.compounds)?.unwrap_or_default(),
            stop_words: list("stop_words", body.stop_words)?.unwrap_or_else(|| Self::default().stop_words),
        })
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The words kept whole: forced ones and accepted compounds.
    pub fn whole_words(&self) -> impl Iterator<Item = &String> {
        self.forced.iter().chain(&self.compounds)
    }
}

/// A list of words, each trimmed and once, in the order given.
fn parse_words(items: &[String]) -> Result<Vec<String>, String> {
    if items.len() > MAX_WORDS {
        return Err(format!("must list at most {MAX_WORDS} words"));
    }
    let mut words: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let word = item.trim();
        let fault = if word.is_empty() {
            Some("must be a non-empty text".to_owned())
        } else if word.chars().any(char::is_whitespace) || control_character(word).is_some() {
            Some("must be one word, without spaces".to_owned())
        } else if word.chars().count() > MAX_WORD_CHARS {
            Some(format!("must be at most {MAX_WORD_CHARS} characters"))
        } else {
            None
        };
        if let Some(fault) = fault {
            return Err(format!("item {} {fault}", i + 1));
        }
        if !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_dictionary_reads_back_and_keeps_the_shipped_stop_words_unless_given() {
        let dictionary = TextDictionary::parse(json!({"forced": ["ポラ研", " SMARPP-24 ", "ポラ研"]})).unwrap();
        assert_eq!(dictionary.forced, ["ポラ研", "SMARPP-24"]);
        assert!(dictionary.stop_words.iter().any(|w| w == "する"));
        assert_eq!(TextDictionary::parse(dictionary.to_json()).unwrap(), dictionary);
        let none = TextDictionary::parse(json!({"stop_words": []})).unwrap();
        assert!(none.stop_words.is_empty(), "staff may remove every stop word");
    }

    #[test]
    fn a_dictionary_names_the_list_at_fault() {
        for (body, field) in [
            (json!({"forced": "ポラ研"}), "forced"),
            (json!({"compounds": ["フリー トーク"]}), "compounds"),
            (json!({"stop_words": [""]}), "stop_words"),
            (json!({"forced": ["x".repeat(41)]}), "forced"),
            (json!({"words": []}), "words"),
        ] {
            assert_eq!(TextDictionary::parse(body).unwrap_err().field, field);
        }
    }
}
