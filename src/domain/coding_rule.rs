//! Coding rules as KH Coder writes them, for coding many comments at once: a theme applies to a
//! comment when its rule holds over the comment's terms (base forms, and the words the text
//! dictionary keeps whole), compared in NFKC and lower case (ＳＮＳ, SNS and sns alike).
//!
//! - `word`: the comment uses the word;
//! - `a | b` (or `a or b`), `a & b` (or `a and b`), `!a` (or `not a`), parentheses;
//! - `near(a-b)`: both words within ten terms of each other (`near(a-b, 5)` for another
//!   distance); `seq(a-b)`: `b` right after `a`. Inside them a word holding `-` is written with a
//!   comma instead: `near(SMARPP-24, 参加)`.

use std::fmt;

/// How far apart `near` finds two words unless told, in terms (KH Coder's default).
const DEFAULT_NEAR: usize = 10;
const MAX_RULE_CHARS: usize = 500;
const MAX_DEPTH: usize = 20;

/// Full-width and half-width forms alike, upper and lower case alike.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect::<String>().to_lowercase()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Word(String),
    Or(Vec<Rule>),
    And(Vec<Rule>),
    Not(Box<Rule>),
    Near(String, String, usize),
    Seq(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError(pub String);

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Rule {
    pub fn parse(text: &str) -> Result<Self, RuleError> {
        if text.chars().count() > MAX_RULE_CHARS {
            return Err(RuleError(format!("a rule is at most {MAX_RULE_CHARS} characters")));
        }
        let tokens = tokenize(text)?;
        let mut parser = Parser { tokens, at: 0 };
        let rule = parser.or(0)?;
        match parser.tokens.get(parser.at) {
            None => Ok(rule),
            Some(token) => Err(RuleError(format!("unexpected {token} after a complete rule"))),
        }
    }

    /// Whether the rule holds for a comment with these terms, in order, each [`fold`]ed.
    pub fn holds(&self, terms: &[String]) -> bool {
        fn positions<'a>(terms: &'a [String], word: &'a str) -> impl Iterator<Item = usize> + 'a {
            terms
                .iter()
                .enumerate()
                .filter(move |(_, t)| *t == word)
                .map(|(i, _)| i)
        }
        match self {
            Self::Word(word) => terms.iter().any(|t| t == word),
            Self::Or(rules) => rules.iter().any(|r| r.holds(terms)),
            Self::And(rules) => rules.iter().all(|r| r.holds(terms)),
            Self::Not(rule) => !rule.holds(terms),
            Self::Near(a, b, distance) => {
                positions(terms, a).any(|i| positions(terms, b).any(|j| i != j && i.abs_diff(j) <= *distance))
            }
            Self::Seq(a, b) => positions(terms, a).any(|i| terms.get(i + 1) == Some(b)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Or,
    And,
    Not,
    Open,
    Close,
    /// `near(` or `seq(` with what is inside the parentheses.
    Call(String, String),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Word(word) => write!(f, "{word:?}"),
            Self::Or => f.write_str("|"),
            Self::And => f.write_str("&"),
            Self::Not => f.write_str("!"),
            Self::Open => f.write_str("("),
            Self::Close => f.write_str(")"),
            Self::Call(name, _) => write!(f, "{name}(…)"),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, RuleError> {
    let mut tokens = Vec::new();
    let mut rest = text.trim();
    while let Some(c) = rest.chars().next() {
        let single = match c {
            '|' | '｜' => Some(Token::Or),
            '&' | '＆' => Some(Token::And),
            '!' | '！' => Some(Token::Not),
            '(' | '（' => Some(Token::Open),
            ')' | '）' => Some(Token::Close),
            _ => None,
        };
        if let Some(token) = single {
            tokens.push(token);
            rest = rest[c.len_utf8()..].trim_start();
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || "|&!()｜＆！（）".contains(c))
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        let call = ["near", "seq"].into_iter().find(|name| word.eq_ignore_ascii_case(name));
        if let (Some(name), true) = (call, rest.starts_with(['(', '（'])) {
            let open = rest.chars().next().map_or(1, char::len_utf8);
            let close = rest
                .find([')', '）'])
                .ok_or_else(|| RuleError(format!("{name}( is not closed")))?;
            tokens.push(Token::Call(name.to_owned(), rest[open..close].to_owned()));
            rest = rest[close..]
                .chars()
                .next()
                .map_or("", |c| &rest[close + c.len_utf8()..]);
        } else {
            tokens.push(match word.to_ascii_lowercase().as_str() {
                "or" => Token::Or,
                "and" => Token::And,
                "not" => Token::Not,
                _ => Token::Word(word.to_owned()),
            });
        }
        rest = rest.trim_start();
    }
    if tokens.is_empty() {
        return Err(RuleError("a rule names at least one word".into()));
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next_is(&self, token: &Token) -> bool {
        self.tokens.get(self.at) == Some(token)
    }

    fn or(&mut self, depth: usize) -> Result<Rule, RuleError> {
        let mut rules = vec![self.and(depth)?];
        while self.next_is(&Token::Or) {
            self.at += 1;
            rules.push(self.and(depth)?);
        }
        Ok(if rules.len() == 1 {
            rules.remove(0)
        } else {
            Rule::Or(rules)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Rule, RuleError> {
        let mut rules = vec![self.not(depth)?];
        while self.next_is(&Token::And) {
            self.at += 1;
            rules.push(self.not(depth)?);
        }
        Ok(if rules.len() == 1 {
            rules.remove(0)
        } else {
            Rule::And(rules)
        })
    }

    fn not(&mut self, depth: usize) -> Result<Rule, RuleError> {
        if depth > MAX_DEPTH {
            return Err(RuleError("the rule nests too deeply".into()));
        }
        if self.next_is(&Token::Not) {
            self.at += 1;
            return Ok(Rule::Not(Box::new(self.not(depth + 1)?)));
        }
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        match token {
            Some(Token::Word(word)) => Ok(Rule::Word(fold(&word))),
            Some(Token::Open) => {
                let rule = self.or(depth + 1)?;
                if !self.next_is(&Token::Close) {
                    return Err(RuleError("a ( is not closed".into()));
                }
                self.at += 1;
                Ok(rule)
            }
            Some(Token::Call(name, inside)) => call(&name, &inside),
            Some(other) => Err(RuleError(format!("a word is missing before {other}"))),
            None => Err(RuleError("the rule ends where a word is missing".into())),
        }
    }
}

/// `near(a-b)`, `near(a-b, 5)`, `seq(a-b)`, or with a comma between the words.
fn call(name: &str, inside: &str) -> Result<Rule, RuleError> {
    let invalid = || RuleError(format!("{name}( takes two words, as {name}(a-b)"));
    let parts: Vec<&str> = inside.split([',', '、', '，']).map(str::trim).collect();
    let split = |pair: &str| {
        pair.split_once('-')
            .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
    };
    let (a, b, distance) = match parts.as_slice() {
        [pair] => {
            let (a, b) = split(pair).ok_or_else(invalid)?;
            (a, b, None)
        }
        [pair, distance] if distance.parse::<usize>().is_ok() => {
            let (a, b) = split(pair).ok_or_else(invalid)?;
            (a, b, Some(*distance))
        }
        [a, b] => ((*a).to_owned(), (*b).to_owned(), None),
        [a, b, distance] => ((*a).to_owned(), (*b).to_owned(), Some(*distance)),
        _ => return Err(invalid()),
    };
    if a.is_empty() || b.is_empty() {
        return Err(invalid());
    }
    let (a, b) = (fold(&a), fold(&b));
    if name == "seq" {
        return match distance {
            None => Ok(Rule::Seq(a, b)),
            Some(_) => Err(invalid()),
        };
    }
    let distance = match distance {
        None => DEFAULT_NEAR,
        Some(text) => text
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| RuleError("near's distance is a whole number from 1 to 100".into()))?,
    };
    Ok(Rule::Near(a, b, distance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn rules_read_as_kh_coder_writes_them() {
        let comment = terms("フリートーク 話 安心 講師 資料");
        for (rule, holds) in [
            ("フリートーク", true),
            ("家族 | 安心", true),
            ("家族 or 安心", true),
            ("フリートーク & 家族", false),
            ("フリートーク and !家族", true),
            ("(家族 | 講師) & not 説明", true),
            ("near(フリートーク-安心)", true),
            ("near(フリートーク-資料, 3)", false),
            ("near(フリートーク, 資料, 4)", true),
            ("seq(話-安心)", true),
            ("seq(安心-話)", false),
            ("（家族｜講師）＆！説明", true),
        ] {
            assert_eq!(Rule::parse(rule).unwrap().holds(&comment), holds, "{rule}");
        }
        assert_eq!(
            Rule::parse("near(ＳＭＡＲＰＰ-24, 参加)").unwrap(),
            Rule::Near("smarpp-24".into(), "参加".into(), 10),
            "words are folded"
        );
        assert!(Rule::parse("SNS | ＳＮＳ").unwrap().holds(&terms("sns")));
    }

    #[test]
    fn a_broken_rule_says_what_is_wrong() {
        for (rule, says) in [
            ("", "at least one word"),
            ("a |", "ends where a word is missing"),
            ("(a | b", "not closed"),
            ("a b", "unexpected"),
            ("near(a)", "two words"),
            ("near(a-b", "not closed"),
            ("near(a-b, 0)", "distance"),
            ("& a", "missing before &"),
        ] {
            let error = Rule::parse(rule).unwrap_err();
            assert!(error.0.contains(says), "{rule}: {error}");
        }
        assert!(Rule::parse(&"!".repeat(30)).is_err());
        assert!(Rule::parse(&"x".repeat(501)).is_err());
    }
}
