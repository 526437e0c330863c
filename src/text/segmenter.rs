//! Terms of a comment: nouns, verbs and adjectives in their base form, stop words dropped.
//! English words are kept lower-cased.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::OnceLock;

use vibrato::{Dictionary, Tokenizer};

/// Words that carry no opinion: light verbs, formal nouns, and English function words.
const STOP_WORDS: &[&str] = &[
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

pub struct Segmenter {
    tokenizer: Tokenizer,
    /// Terms of comments already segmented: analyses read the same comments request after
    /// request, and segmenting is their slowest step.
    known: Mutex<HashMap<Box<str>, Vec<String>>>,
}

/// Most comments whose terms are kept; past it they are forgotten all at once and relearnt, so
/// memory stays bounded.
const REMEMBERED_COMMENTS: usize = 200_000;

impl Segmenter {
    pub fn new(dictionary: Dictionary) -> Self {
        Self {
            tokenizer: Tokenizer::new(dictionary),
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The terms of `text` in order of appearance (repeats kept).
    pub fn terms(&self, text: &str) -> Vec<String> {
        if let Some(terms) = self.known.lock().ok().and_then(|known| known.get(text).cloned()) {
            return terms;
        }
        let terms = self.segment(text);
        if let Ok(mut known) = self.known.lock() {
            if known.len() >= REMEMBERED_COMMENTS {
                known.clear();
            }
            known.insert(text.into(), terms.clone());
        }
        terms
    }

    fn segment(&self, text: &str) -> Vec<String> {
        let normalised = normalise(text);
        let mut worker = self.tokenizer.new_worker();
        worker.reset_sentence(&normalised);
        worker.tokenize();
        (0..worker.num_tokens())
            .filter_map(|i| {
                let token = worker.token(i);
                term_of(token.surface(), token.feature())
            })
            .collect()
    }
}

/// Full-width ASCII (ＳＮＳ) becomes half-width so it meets its half-width spelling.
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}

/// IPADIC features: part of speech, three sub-classes, conjugation type and form, base form, ...
fn term_of(surface: &str, feature: &str) -> Option<String> {
    let fields: Vec<&str> = feature.split(',').collect();
    let (pos, detail) = (fields.first().copied()?, fields.get(1).copied().unwrap_or("*"));
    let kept = match pos {
        "名詞" => !matches!(detail, "数" | "代名詞" | "非自立" | "接尾" | "副詞可能" | "特殊"),
        "動詞" | "形容詞" => detail == "自立",
        _ => false,
    };
    if !kept {
        return None;
    }
    let base = fields.get(6).copied().filter(|b| *b != "*").unwrap_or(surface);
    let term = if base.is_ascii() {
        base.to_ascii_lowercase()
    } else {
        base.to_owned()
    };
    let meaningful = term.chars().any(char::is_alphanumeric) && !(term.is_ascii() && term.len() < 2);
    (meaningful && !STOP_WORDS.contains(&term.as_str())).then_some(term)
}

/// A segmenter loaded on first use (building the dictionary takes seconds, loading a fraction).
pub struct LazySegmenter {
    load: Box<dyn Fn() -> Result<Dictionary, super::TextError> + Send + Sync>,
    loaded: OnceLock<Result<Segmenter, String>>,
}

impl LazySegmenter {
    pub fn new(load: impl Fn() -> Result<Dictionary, super::TextError> + Send + Sync + 'static) -> Self {
        Self {
            load: Box::new(load),
            loaded: OnceLock::new(),
        }
    }

    pub fn get(&self) -> Result<&Segmenter, String> {
        self.loaded
            .get_or_init(|| (self.load)().map(Segmenter::new).map_err(|error| error.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_words_in_base_form_are_kept() {
        assert_eq!(
            term_of("聞け", "動詞,自立,*,*,一段,連用形,聞ける,キケ,キケ"),
            Some("聞ける".into())
        );
        assert_eq!(term_of("が", "助詞,格助詞,一般,*,*,*,が,ガ,ガ"), None);
        assert_eq!(
            term_of("し", "動詞,自立,*,*,サ変・スル,連用形,する,シ,シ"),
            None,
            "stop word"
        );
        assert_eq!(term_of("3", "名詞,数,*,*,*,*,*"), None);
        assert_eq!(term_of("Helpful", "名詞,固有名詞,組織,*,*,*,*"), Some("helpful".into()));
        assert_eq!(term_of("The", "名詞,固有名詞,組織,*,*,*,*"), None);
        assert_eq!(
            term_of(
                "心強かっ",
                "形容詞,自立,*,*,形容詞・アウオ段,連用タ接続,心強い,ココロヅヨカッ,ココロズヨカッ"
            ),
            Some("心強い".into())
        );
    }

    #[test]
    fn full_width_letters_are_folded() {
        assert_eq!(normalise("ＳＮＳ　で"), "SNS で");
    }
}
