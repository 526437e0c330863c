//! Terms of a comment: nouns, verbs and adjectives in their base form, stop words dropped.
//! English words are kept lower-cased.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Mutex;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use vibrato::{Dictionary, Tokenizer};

use crate::domain::text_dictionary::VersionedDictionary;

/// A text dictionary ready for segmenting: its whole words (found in one pass over the folded
/// comment, the leftmost and then longest first; with their spellings as staff wrote them) and
/// its stop words.
pub struct Lexicon {
    version: i64,
    whole: Option<AhoCorasick>,
    spellings: Vec<String>,
    stop: HashSet<String>,
}

impl Lexicon {
    pub fn new(dictionary: &VersionedDictionary) -> Self {
        let spellings: Vec<String> = dictionary.dictionary.whole_words().cloned().collect();
        let folded: Vec<String> = spellings.iter().map(|word| fold(word)).collect();
        // Building fails only past the automaton's size limits, far beyond a dictionary's 4,000
        // words of 40 characters; without it the words are simply not kept whole.
        let whole = (!folded.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&folded)
                    .ok()
            })
            .flatten();
        Self {
            version: dictionary.version,
            whole,
            spellings,
            // Folded as terms are (ＳＮＳ and SNS are the term "sns").
            stop: dictionary.dictionary.stop_words.iter().map(|word| fold(word)).collect(),
        }
    }

    /// The shipped dictionary: no whole words, the shipped stop words.
    pub fn shipped() -> Self {
        Self::new(&VersionedDictionary::default())
    }

    /// The whole words in `folded`, in order and not overlapping: byte ranges and spellings.
    fn whole_words<'a>(&'a self, folded: &'a str) -> impl Iterator<Item = (Range<usize>, &'a str)> + 'a {
        self.whole
            .iter()
            .flat_map(move |automaton| automaton.find_iter(folded))
            .map(|found| (found.range(), self.spellings[found.pattern().as_usize()].as_str()))
    }
}

/// A term and where it is in the comment, in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub term: String,
    pub chars: Range<usize>,
}

pub struct Segmenter {
    tokenizer: Tokenizer,
    shipped: Lexicon,
    /// Terms of comments already segmented, per dictionary version: analyses read the same
    /// comments request after request, and segmenting is their slowest step.
    known: Mutex<HashMap<i64, TermsOf>>,
}

/// Each comment's terms under one dictionary.
type TermsOf = HashMap<Box<str>, Vec<String>>;

/// Most comments whose terms are kept; past it they are forgotten all at once and relearnt, so
/// memory stays bounded.
const REMEMBERED_COMMENTS: usize = 200_000;

impl Segmenter {
    pub fn new(dictionary: Dictionary) -> Self {
        Self {
            tokenizer: Tokenizer::new(dictionary),
            shipped: Lexicon::shipped(),
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The terms of `text` with the shipped dictionary, in order of appearance (repeats kept).
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.terms_with(text, &self.shipped)
    }

    /// The terms of `text` with `lexicon`.
    pub fn terms_with(&self, text: &str, lexicon: &Lexicon) -> Vec<String> {
        let cached = self
            .known
            .lock()
            .ok()
            .and_then(|known| known.get(&lexicon.version)?.get(text).cloned());
        if let Some(terms) = cached {
            return terms;
        }
        let terms: Vec<String> = self.spans(text, lexicon).into_iter().map(|span| span.term).collect();
        if let Ok(mut known) = self.known.lock() {
            // Only the shipped dictionary and the one in force are worth keeping.
            known.retain(|version, _| *version == 0 || *version == lexicon.version);
            let comments = known.entry(lexicon.version).or_default();
            if comments.len() >= REMEMBERED_COMMENTS {
                comments.clear();
            }
            comments.insert(text.into(), terms.clone());
        }
        terms
    }

    /// The terms of `text` with where each is: whole words where they appear, the text between
    /// them cut by the tokenizer.
    pub fn spans(&self, text: &str, lexicon: &Lexicon) -> Vec<Span> {
        let mut spans = Vec::new();
        self.walk(text, lexicon, |piece| match piece {
            Piece::Whole(span) => spans.push(span),
            Piece::Tokens(tokens) => spans.extend(tokens.into_iter().filter_map(|token| {
                Some(Span {
                    term: term_of(&token.surface, &token.feature, &lexicon.stop)?,
                    chars: token.chars,
                })
            })),
        });
        spans
    }

    /// Runs of consecutive nouns (with their prefixes and suffixes) between whole words, as
    /// their surfaces: where compound words are found.
    pub fn noun_runs(&self, text: &str, lexicon: &Lexicon) -> Vec<Vec<String>> {
        let mut runs = Vec::new();
        self.walk(text, lexicon, |piece| {
            if let Piece::Tokens(tokens) = piece {
                let mut run: Vec<String> = Vec::new();
                for token in tokens {
                    if is_compound_part(&token.feature) {
                        run.push(token.surface);
                    } else if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
                if !run.is_empty() {
                    runs.push(run);
                }
            }
        });
        runs
    }

    /// Cuts `text` into whole words and the tokenized text between them, in order.
    fn walk(&self, text: &str, lexicon: &Lexicon, mut visit: impl FnMut(Piece)) {
        let normalised = normalise(text);
        let folded = fold(&normalised);
        let (mut at, mut at_char) = (0, 0);
        for (range, written) in lexicon.whole_words(&folded) {
            let gap = &normalised[at..range.start];
            visit(Piece::Tokens(self.tokens(gap, at_char)));
            at_char += gap.chars().count();
            let length = normalised[range.clone()].chars().count();
            visit(Piece::Whole(Span {
                term: written.to_owned(),
                chars: at_char..at_char + length,
            }));
            at_char += length;
            at = range.end;
        }
        visit(Piece::Tokens(self.tokens(&normalised[at..], at_char)));
    }

    fn tokens(&self, text: &str, offset: usize) -> Vec<Token> {
        if text.is_empty() {
            return Vec::new();
        }
        let mut worker = self.tokenizer.new_worker();
        worker.reset_sentence(text);
        worker.tokenize();
        (0..worker.num_tokens())
            .map(|i| {
                let token = worker.token(i);
                let chars = token.range_char();
                Token {
                    surface: token.surface().to_owned(),
                    feature: token.feature().to_owned(),
                    chars: offset + chars.start..offset + chars.end,
                }
            })
            .collect()
    }
}

struct Token {
    surface: String,
    feature: String,
    chars: Range<usize>,
}

enum Piece {
    Whole(Span),
    Tokens(Vec<Token>),
}

/// Text as whole words are matched in it: ASCII letters in lower case (byte lengths unchanged).
fn fold(text: &str) -> String {
    normalise(text).to_ascii_lowercase()
}

/// Whether a token can be part of a compound word, as TermExtract joins them: nouns (but not
/// numbers or pronouns), their suffixes, and prefixes.
fn is_compound_part(feature: &str) -> bool {
    let mut fields = feature.split(',');
    match (fields.next(), fields.next()) {
        (Some("名詞"), Some(detail)) => !matches!(detail, "数" | "代名詞" | "非自立" | "副詞可能" | "特殊"),
        (Some("接頭詞"), Some("名詞接続")) => true,
        _ => false,
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
fn term_of(surface: &str, feature: &str, stop_words: &HashSet<String>) -> Option<String> {
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
    (meaningful && !stop_words.contains(&term)).then_some(term)
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

    fn kept(surface: &str, feature: &str) -> Option<String> {
        term_of(surface, feature, &Lexicon::shipped().stop)
    }

    #[test]
    fn only_content_words_in_base_form_are_kept() {
        assert_eq!(
            kept("聞け", "動詞,自立,*,*,一段,連用形,聞ける,キケ,キケ"),
            Some("聞ける".into())
        );
        assert_eq!(kept("が", "助詞,格助詞,一般,*,*,*,が,ガ,ガ"), None);
        assert_eq!(
            kept("し", "動詞,自立,*,*,サ変・スル,連用形,する,シ,シ"),
            None,
            "stop word"
        );
        assert_eq!(kept("3", "名詞,数,*,*,*,*,*"), None);
        assert_eq!(kept("Helpful", "名詞,固有名詞,組織,*,*,*,*"), Some("helpful".into()));
        assert_eq!(kept("The", "名詞,固有名詞,組織,*,*,*,*"), None);
        assert_eq!(
            kept(
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
