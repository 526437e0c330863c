//! Reading a rule's text: its tokens, then a recursive-descent parser that checks each operand
//! against the questions before the rule's question.

use super::{Asked, Comparison, Condition, Operand};
use crate::domain::form::kind::QuestionKind;
use crate::domain::lang::{Lang, Localized};

/// The condition `source` says, read against the questions `earlier`.
pub(super) fn condition(source: &str, earlier: &[impl Asked]) -> Result<Condition, Localized> {
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        earlier,
        depth: 0,
    };
    let condition = parser.or()?;
    if let Some(token) = parser.tokens.get(parser.at) {
        return Err(Localized::new(
            format!("条件は完結していますが、その後に{}があります", token.describe(Lang::Ja)),
            format!("unexpected {} after a complete condition", token.describe(Lang::En)),
        ));
    }
    Ok(condition)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Reference(String),
    Text(String),
    Number(f64),
    Word(String),
    Compare(Comparison),
    Open,
    Close,
    Comma,
}

impl Token {
    fn describe(&self, lang: Lang) -> String {
        match self {
            Self::Reference(name) => format!("${{{name}}}"),
            Self::Text(text) => format!("'{text}'"),
            Self::Number(n) => n.to_string(),
            Self::Word(word) => format!("{word:?}"),
            Self::Compare(_) => lang.pick("比較演算子", "a comparison").to_owned(),
            Self::Open => "'('".into(),
            Self::Close => "')'".into(),
            Self::Comma => "','".into(),
        }
    }
}

/// A problem at a character of the rule (counted from 1).
fn at_character(at: usize, ja: &str, en: &str) -> Localized {
    Localized::new(format!("{at}文字目: {ja}"), format!("at character {at}: {en}"))
}

fn tokenize(source: &str) -> Result<Vec<Token>, Localized> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(2).collect();
        match c {
            _ if c.is_whitespace() => i += 1,
            '(' | ')' | ',' => {
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Comma,
                });
                i += 1;
            }
            '$' => {
                let end = chars[i..].iter().position(|&c| c == '}').map(|p| i + p);
                if chars.get(i + 1) != Some(&'{') || end.is_none() {
                    return Err(at_character(
                        i + 1,
                        "質問の参照は ${質問ID} と書きます",
                        "a reference is written ${question}",
                    ));
                }
                let end = end.unwrap_or_default();
                tokens.push(Token::Reference(chars[i + 2..end].iter().collect()));
                i = end + 1;
            }
            '\'' | '"' => {
                let Some(end) = chars[i + 1..].iter().position(|&q| q == c).map(|p| i + 1 + p) else {
                    return Err(at_character(
                        i + 1,
                        "引用符で囲んだ文字列が閉じていません",
                        "the quoted text is not closed",
                    ));
                };
                tokens.push(Token::Text(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '=' | '!' | '<' | '>' => {
                let (cmp, width) = match rest.as_str() {
                    "!=" => (Comparison::Ne, 2),
                    "<=" => (Comparison::Le, 2),
                    ">=" => (Comparison::Ge, 2),
                    _ if c == '=' => (Comparison::Eq, 1),
                    _ if c == '<' => (Comparison::Lt, 1),
                    _ if c == '>' => (Comparison::Gt, 1),
                    _ => {
                        return Err(at_character(
                            i + 1,
                            "「!」は「!=」でのみ使えます",
                            "'!' is only used in '!='",
                        ))
                    }
                };
                tokens.push(Token::Compare(cmp));
                i += width;
            }
            _ if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let number = text.parse().map_err(|_| {
                    at_character(
                        start + 1,
                        &format!("{text:?} は数として読めません"),
                        &format!("{text:?} is not a number"),
                    )
                })?;
                tokens.push(Token::Number(number));
            }
            _ if c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '-') {
                    i += 1;
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
            _ => {
                return Err(at_character(
                    i + 1,
                    &format!("{c:?} はここには書けません"),
                    &format!("unexpected {c:?}"),
                ))
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a, Q> {
    tokens: Vec<Token>,
    at: usize,
    earlier: &'a [Q],
    /// How deep in parentheses and `not()` the parser is: bounded, so that no rule can overflow
    /// the stack of the parser, the evaluation or the page's script.
    depth: usize,
}

/// Deeper than any rule a person writes.
const MAX_NESTING: usize = 16;

/// What an operand holds, for the checks that it is compared sensibly.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Number,
    Text,
    Empty,
}

impl<Q: Asked> Parser<'_, Q> {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += usize::from(token.is_some());
        token
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w == word)
    }

    fn expect(&mut self, expected: Token) -> Result<(), Localized> {
        match self.next() {
            Some(token) if token == expected => Ok(()),
            Some(token) => Err(Localized::new(
                format!(
                    "{}があるべきところに{}があります",
                    expected.describe(Lang::Ja),
                    token.describe(Lang::Ja)
                ),
                format!(
                    "expected {} but found {}",
                    expected.describe(Lang::En),
                    token.describe(Lang::En)
                ),
            )),
            None => Err(Localized::new(
                format!("{}がないまま条件が終わっています", expected.describe(Lang::Ja)),
                format!("expected {} but the condition ended", expected.describe(Lang::En)),
            )),
        }
    }

    fn or(&mut self) -> Result<Condition, Localized> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Localized::new(
                format!("条件の入れ子が{MAX_NESTING}段を超えています"),
                format!("the condition nests more than {MAX_NESTING} levels deep"),
            ));
        }
        let mut any = vec![self.and()?];
        while self.peek_word("or") {
            self.at += 1;
            any.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if any.len() == 1 {
            any.remove(0)
        } else {
            Condition::Or { any }
        })
    }

    fn and(&mut self) -> Result<Condition, Localized> {
        let mut all = vec![self.unary()?];
        while self.peek_word("and") {
            self.at += 1;
            all.push(self.unary()?);
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Condition::And { all }
        })
    }

    fn unary(&mut self) -> Result<Condition, Localized> {
        if self.peek_word("not") {
            self.at += 1;
            self.expect(Token::Open)?;
            let condition = self.or()?;
            self.expect(Token::Close)?;
            return Ok(Condition::Not {
                condition: Box::new(condition),
            });
        }
        if self.peek_word("selected") {
            self.at += 1;
            self.expect(Token::Open)?;
            let question = self.reference()?;
            self.expect(Token::Comma)?;
            let Some(Token::Text(value)) = self.next() else {
                return Err(Localized::new(
                    "selected(${質問ID}, '値') の値は引用符で囲んだ選択肢の値です",
                    "selected(${question}, 'value') takes a quoted option value",
                ));
            };
            self.expect(Token::Close)?;
            let asked = self.question(&question)?;
            if !matches!(
                asked.kind(),
                QuestionKind::SingleChoice { .. } | QuestionKind::MultiChoice { .. } | QuestionKind::Agency { .. }
            ) {
                return Err(Localized::new(
                    format!(
                        "selected() は選択式の質問に使います。${{{question}}} は {} です",
                        asked.kind().type_name()
                    ),
                    format!(
                        "selected() reads a choice question; ${{{question}}} is a {}",
                        asked.kind().type_name()
                    ),
                ));
            }
            check_option(asked, &value)?;
            return Ok(Condition::Selected { question, value });
        }
        // Parentheses always group conditions: operands have no arithmetic to group.
        if self.tokens.get(self.at) == Some(&Token::Open) {
            self.at += 1;
            let condition = self.or()?;
            self.expect(Token::Close)?;
            return Ok(condition);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Condition, Localized> {
        let left = self.operand()?;
        let cmp = match self.next() {
            Some(Token::Compare(cmp)) => cmp,
            Some(token) => {
                return Err(Localized::new(
                    format!(
                        "比較演算子（=, !=, <, <=, >, >=）があるべきところに{}があります",
                        token.describe(Lang::Ja)
                    ),
                    format!(
                        "expected a comparison (=, !=, <, <=, >, >=) but found {}",
                        token.describe(Lang::En)
                    ),
                ))
            }
            None => {
                return Err(Localized::new(
                    "比較演算子（=, !=, <, <=, >, >=）がないまま条件が終わっています",
                    "expected a comparison (=, !=, <, <=, >, >=) but the condition ended",
                ))
            }
        };
        let right = self.operand()?;
        self.check_comparison(&left, cmp, &right)?;
        Ok(Condition::Compare { left, cmp, right })
    }

    fn operand(&mut self) -> Result<Operand, Localized> {
        match self.next() {
            Some(Token::Reference(question)) => {
                let asked = self.question(&question)?;
                if matches!(asked.kind(), QuestionKind::MultiChoice { .. }) {
                    return Err(Localized::new(
                        format!(
                            "${{{question}}} は複数選べる質問です。selected(${{{question}}}, '値') か count-selected(${{{question}}}) を使ってください"
                        ),
                        format!(
                            "${{{question}}} allows several answers: use selected(${{{question}}}, 'value') or count-selected(${{{question}}})"
                        ),
                    ));
                }
                Ok(Operand::Answer { question })
            }
            Some(Token::Word(word)) if word == "count-selected" => {
                self.expect(Token::Open)?;
                let question = self.reference()?;
                self.expect(Token::Close)?;
                let asked = self.question(&question)?;
                if !matches!(asked.kind(), QuestionKind::MultiChoice { .. }) {
                    return Err(Localized::new(
                        format!(
                            "count-selected() は複数選択の質問に使います。${{{question}}} は {} です",
                            asked.kind().type_name()
                        ),
                        format!(
                            "count-selected() reads a multiple choice question; ${{{question}}} is a {}",
                            asked.kind().type_name()
                        ),
                    ));
                }
                Ok(Operand::CountSelected { question })
            }
            Some(Token::Text(value)) => Ok(Operand::Text { value }),
            Some(Token::Number(value)) => Ok(Operand::Number { value }),
            Some(Token::Word(word)) => Err(Localized::new(
                format!("{word:?} は使えない語です（使える語: and, or, not(), selected(), count-selected()）"),
                format!("unknown word {word:?} (known: and, or, not(), selected(), count-selected())"),
            )),
            Some(token) => Err(Localized::new(
                format!("値があるべきところに{}があります", token.describe(Lang::Ja)),
                format!("expected a value but found {}", token.describe(Lang::En)),
            )),
            None => Err(Localized::new(
                "値がないまま条件が終わっています",
                "expected a value but the condition ended",
            )),
        }
    }

    fn reference(&mut self) -> Result<String, Localized> {
        match self.next() {
            Some(Token::Reference(question)) => Ok(question),
            _ => Err(Localized::new(
                "${質問ID} のような質問の参照が必要です",
                "expected a question reference such as ${question}",
            )),
        }
    }

    fn question(&self, id: &str) -> Result<&Q, Localized> {
        self.earlier.iter().find(|q| q.id() == id).ok_or_else(|| {
            Localized::new(
                format!("${{{id}}} はこの質問より前の質問ではありません（条件は前の質問の回答だけを読みます）"),
                format!("${{{id}}} is not a question before this one (a rule reads earlier answers only)"),
            )
        })
    }

    fn shape(&self, operand: &Operand) -> Shape {
        match operand {
            Operand::Number { .. } | Operand::CountSelected { .. } => Shape::Number,
            Operand::Text { value } if value.is_empty() => Shape::Empty,
            Operand::Text { .. } => Shape::Text,
            Operand::Answer { question } => match self.question(question).map(Asked::kind) {
                Ok(QuestionKind::Number { .. } | QuestionKind::Scale { .. }) => Shape::Number,
                _ => Shape::Text,
            },
        }
    }

    fn check_comparison(&self, left: &Operand, cmp: Comparison, right: &Operand) -> Result<(), Localized> {
        let (l, r) = (self.shape(left), self.shape(right));
        if cmp.is_ordering() && (l != Shape::Number || r != Shape::Number) {
            return Err(Localized::new(
                "<, <=, >, >= は数どうしを比べます（数値・尺度の回答、count-selected()）",
                "<, <=, > and >= compare numbers (number and scale answers, count-selected())",
            ));
        }
        if l != r && l != Shape::Empty && r != Shape::Empty {
            return Err(Localized::new(
                "数と文字列を比べています。数は引用符なしで書いてください",
                "this compares a number with a text: write numbers without quotes",
            ));
        }
        for (answer, other) in [(left, right), (right, left)] {
            if let (Operand::Answer { question }, Operand::Text { value }) = (answer, other) {
                if !value.is_empty() {
                    check_option(self.question(question)?, value)?;
                }
            }
        }
        Ok(())
    }
}

/// A value compared with a choice question must be one of its options (the agency list changes
/// without a new version, so any value is accepted there).
fn check_option(question: &impl Asked, value: &str) -> Result<(), Localized> {
    let options = question.kind().options();
    let is_closed_list = matches!(
        question.kind(),
        QuestionKind::SingleChoice { .. } | QuestionKind::MultiChoice { .. }
    );
    if is_closed_list && !options.iter().any(|o| o.value == value) {
        return Err(Localized::new(
            format!("'{value}' は ${{{}}} の選択肢にありません", question.id()),
            format!("'{value}' is not an option of ${{{}}}", question.id()),
        ));
    }
    Ok(())
}
