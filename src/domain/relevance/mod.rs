//! Skip logic: when a question applies, written as an XLSForm `relevant` expression in the subset
//! forms use (`${q} = 'v'`, `!=`, `<`, `<=`, `>`, `>=`, `selected(${q}, 'v')`,
//! `count-selected(${q})`, `and`, `or`, `not(...)`, parentheses, `''` for unanswered). The text is
//! parsed once, against the questions before it, into a typed [`Condition`] that the server
//! evaluates at submission and the phone form's script evaluates in the browser (as JSON).

use serde::Serialize;
use serde_json::{Map, Value};

mod parse;

use super::form::kind::QuestionKind;
use super::lang::{Lang, Localized};

/// What a rule reads of a question before its own: the id it names, the label it is described
/// by, and the kind that says how it may be compared (a form's questions are these; a rule knows
/// nothing else of a form).
pub trait Asked {
    fn id(&self) -> &str;
    fn label(&self) -> &Localized;
    fn kind(&self) -> &QuestionKind;
}

/// A question's `relevant` rule: its text as written and what it means.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Relevance {
    source: String,
    #[serde(skip)]
    condition: Condition,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    And {
        all: Vec<Condition>,
    },
    Or {
        any: Vec<Condition>,
    },
    Not {
        condition: Box<Condition>,
    },
    Compare {
        left: Operand,
        cmp: Comparison,
        right: Operand,
    },
    Selected {
        question: String,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operand {
    Answer { question: String },
    CountSelected { question: String },
    Text { value: String },
    Number { value: f64 },
}

impl Relevance {
    /// Parses `source` as the rule of a question that follows `earlier`: it may only read their
    /// answers, each in a way that fits its type.
    pub fn parse(source: &str, earlier: &[impl Asked]) -> Result<Self, Localized> {
        Ok(Self {
            source: source.trim().to_owned(),
            condition: parse::condition(source, earlier)?,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn condition(&self) -> &Condition {
        &self.condition
    }

    /// Whether the question applies, given the answers (in normal form) to the questions before.
    pub fn holds(&self, answers: &Map<String, Value>) -> bool {
        self.condition.holds(answers)
    }

    /// The rule in words, for a page shown without its script: `questions` gives the labels.
    pub fn describe(&self, questions: &[impl Asked], lang: Lang) -> String {
        self.condition.describe(questions, lang)
    }
}

/// A value during evaluation: XPath compares an unanswered question as the empty string.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Empty,
    Text(String),
    Number(f64),
}

impl Condition {
    fn holds(&self, answers: &Map<String, Value>) -> bool {
        match self {
            Self::And { all } => all.iter().all(|c| c.holds(answers)),
            Self::Or { any } => any.iter().any(|c| c.holds(answers)),
            Self::Not { condition } => !condition.holds(answers),
            Self::Selected { question, value } => match answers.get(question) {
                Some(Value::String(chosen)) => chosen == value,
                Some(Value::Array(chosen)) => chosen.iter().any(|c| c.as_str() == Some(value)),
                _ => false,
            },
            Self::Compare { left, cmp, right } => compare(&left.value(answers), *cmp, &right.value(answers)),
        }
    }

    fn describe(&self, questions: &[impl Asked], lang: Lang) -> String {
        let joined = |parts: &[Condition], ja: &str, en: &str| {
            let words: Vec<String> = parts.iter().map(|c| c.describe(questions, lang)).collect();
            words.join(lang.pick(ja, en))
        };
        match self {
            Self::And { all } => joined(all, "、かつ", " and "),
            Self::Or { any } => {
                let words = joined(any, "、または", " or ");
                match lang {
                    Lang::Ja => format!("（{words}）"),
                    Lang::En => format!("({words})"),
                }
            }
            Self::Not { condition } => {
                let inner = condition.describe(questions, lang);
                match lang {
                    Lang::Ja => format!("「{inner}」ではない"),
                    Lang::En => format!("not ({inner})"),
                }
            }
            Self::Selected { question, value } => {
                let (label, option) = (
                    label_of(questions, question, lang),
                    option_label(questions, question, value, lang),
                );
                match lang {
                    Lang::Ja => format!("「{label}」で「{option}」を選んだ"),
                    Lang::En => format!("you chose “{option}” for “{label}”"),
                }
            }
            Self::Compare { left, cmp, right } => describe_comparison(questions, left, *cmp, right, lang),
        }
    }
}

impl Operand {
    fn value(&self, answers: &Map<String, Value>) -> Scalar {
        match self {
            Self::Answer { question } => match answers.get(question) {
                Some(Value::String(text)) => Scalar::Text(text.clone()),
                Some(Value::Number(n)) => n.as_f64().map_or(Scalar::Empty, Scalar::Number),
                _ => Scalar::Empty,
            },
            Self::CountSelected { question } => Scalar::Number(match answers.get(question) {
                Some(Value::Array(chosen)) => chosen.len() as f64,
                _ => 0.0,
            }),
            Self::Text { value } if value.is_empty() => Scalar::Empty,
            Self::Text { value } => Scalar::Text(value.clone()),
            Self::Number { value } => Scalar::Number(*value),
        }
    }
}

fn compare(left: &Scalar, cmp: Comparison, right: &Scalar) -> bool {
    let equal = match (left, right) {
        (Scalar::Number(a), Scalar::Number(b)) => Some(a == b),
        (Scalar::Empty, Scalar::Empty) => Some(true),
        (Scalar::Text(a), Scalar::Text(b)) => Some(a == b),
        _ => None,
    };
    match cmp {
        Comparison::Eq => equal == Some(true),
        // As in XPath: an unanswered number is NaN, unequal to everything but the empty text.
        Comparison::Ne => equal != Some(true),
        ordering => match (left, right) {
            (Scalar::Number(a), Scalar::Number(b)) => match ordering {
                Comparison::Lt => a < b,
                Comparison::Le => a <= b,
                Comparison::Gt => a > b,
                _ => a >= b,
            },
            _ => false,
        },
    }
}

fn label_of(questions: &[impl Asked], id: &str, lang: Lang) -> String {
    questions
        .iter()
        .find(|q| q.id() == id)
        .map_or_else(|| id.to_owned(), |q| q.label().get(lang).to_owned())
}

fn option_label(questions: &[impl Asked], question: &str, value: &str, lang: Lang) -> String {
    questions
        .iter()
        .find(|q| q.id() == question)
        .and_then(|q| q.kind().options().iter().find(|o| o.value == value))
        .map_or_else(|| value.to_owned(), |o| o.label.get(lang).to_owned())
}

fn describe_comparison(
    questions: &[impl Asked],
    left: &Operand,
    cmp: Comparison,
    right: &Operand,
    lang: Lang,
) -> String {
    // Put the answer first: `3 <= ${q}` reads as "q is at least 3".
    let (subject, cmp, other) = match (left, right) {
        (Operand::Text { .. } | Operand::Number { .. }, Operand::Answer { .. } | Operand::CountSelected { .. }) => {
            (right, cmp.flipped(), left)
        }
        _ => (left, cmp, right),
    };
    let name = |operand: &Operand| match operand {
        Operand::Answer { question } => match lang {
            Lang::Ja => format!("「{}」", label_of(questions, question, lang)),
            Lang::En => format!("“{}”", label_of(questions, question, lang)),
        },
        Operand::CountSelected { question } => match lang {
            Lang::Ja => format!("「{}」で選んだ数", label_of(questions, question, lang)),
            Lang::En => format!("the number chosen for “{}”", label_of(questions, question, lang)),
        },
        Operand::Number { value } => value.to_string(),
        Operand::Text { value } => {
            let shown = match subject {
                Operand::Answer { question } => option_label(questions, question, value, lang),
                _ => value.clone(),
            };
            match lang {
                Lang::Ja => format!("「{shown}」"),
                Lang::En => format!("“{shown}”"),
            }
        }
    };
    let (subject, other_name) = (name(subject), name(other));
    let unanswered = matches!(other, Operand::Text { value } if value.is_empty());
    match (lang, cmp, unanswered) {
        (Lang::Ja, Comparison::Eq, true) => format!("{subject}が未回答"),
        (Lang::Ja, Comparison::Ne, true) => format!("{subject}に回答した"),
        (Lang::En, Comparison::Eq, true) => format!("{subject} is unanswered"),
        (Lang::En, Comparison::Ne, true) => format!("{subject} is answered"),
        (Lang::Ja, Comparison::Eq, _) => format!("{subject}が{other_name}"),
        (Lang::Ja, Comparison::Ne, _) => format!("{subject}が{other_name}以外"),
        (Lang::Ja, Comparison::Lt, _) => format!("{subject}が{other_name}未満"),
        (Lang::Ja, Comparison::Le, _) => format!("{subject}が{other_name}以下"),
        (Lang::Ja, Comparison::Gt, _) => format!("{subject}が{other_name}より大きい"),
        (Lang::Ja, Comparison::Ge, _) => format!("{subject}が{other_name}以上"),
        (Lang::En, Comparison::Eq, _) => format!("{subject} is {other_name}"),
        (Lang::En, Comparison::Ne, _) => format!("{subject} is not {other_name}"),
        (Lang::En, Comparison::Lt, _) => format!("{subject} is less than {other_name}"),
        (Lang::En, Comparison::Le, _) => format!("{subject} is at most {other_name}"),
        (Lang::En, Comparison::Gt, _) => format!("{subject} is more than {other_name}"),
        (Lang::En, Comparison::Ge, _) => format!("{subject} is at least {other_name}"),
    }
}

impl Comparison {
    fn flipped(self) -> Self {
        match self {
            Self::Lt => Self::Gt,
            Self::Le => Self::Ge,
            Self::Gt => Self::Lt,
            Self::Ge => Self::Le,
            same => same,
        }
    }

    fn is_ordering(self) -> bool {
        !matches!(self, Self::Eq | Self::Ne)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::kind::Choice;
    use serde_json::json;

    /// A question as a rule sees it, without a form around it.
    struct Earlier {
        id: &'static str,
        label: Localized,
        kind: QuestionKind,
    }

    impl Asked for Earlier {
        fn id(&self) -> &str {
            self.id
        }

        fn label(&self) -> &Localized {
            &self.label
        }

        fn kind(&self) -> &QuestionKind {
            &self.kind
        }
    }

    fn questions() -> Vec<Earlier> {
        let label = || Localized::new("質問", "Question");
        let options = || {
            vec![
                Choice {
                    value: "a".into(),
                    label: Localized::new("エー", "A"),
                },
                Choice {
                    value: "b".into(),
                    label: Localized::new("ビー", "B"),
                },
            ]
        };
        vec![
            Earlier {
                id: "one",
                label: Localized::new("ひとつ", "One"),
                kind: QuestionKind::SingleChoice { options: options() },
            },
            Earlier {
                id: "many",
                label: label(),
                kind: QuestionKind::MultiChoice { options: options() },
            },
            Earlier {
                id: "score",
                label: Localized::new("点", "Score"),
                kind: QuestionKind::Scale {
                    min: 1,
                    max: 5,
                    min_label: label(),
                    max_label: label(),
                },
            },
            Earlier {
                id: "words",
                label: label(),
                kind: QuestionKind::Text { max_length: 10 },
            },
        ]
    }

    /// The rule, or its problem in English.
    fn rule(source: &str) -> Result<Relevance, String> {
        Relevance::parse(source, &questions()).map_err(|problem| problem.en)
    }

    fn holds(source: &str, answers: Value) -> bool {
        rule(source).unwrap().holds(answers.as_object().unwrap())
    }

    #[test]
    fn comparisons_follow_xpath_on_answered_and_unanswered_questions() {
        assert!(holds("${one} = 'a'", json!({"one": "a"})));
        assert!(!holds("${one} = 'a'", json!({"one": "b"})));
        assert!(!holds("${one} = 'a'", json!({})));
        assert!(holds("${one} != 'a'", json!({})));
        assert!(holds("${one} = ''", json!({})));
        assert!(!holds("${one} = ''", json!({"one": "a"})));
        assert!(holds("${score} >= 4", json!({"score": 4})));
        assert!(!holds("${score} >= 4", json!({"score": 3})));
        assert!(
            !holds("${score} < 4", json!({})),
            "an unanswered number is not less than anything"
        );
        assert!(holds("2 < ${score}", json!({"score": 3})));
        assert!(holds("${score} != ''", json!({"score": 3})));
        assert!(holds("${words} = 'hi'", json!({"words": "hi"})));
    }

    #[test]
    fn selections_and_their_count_are_read() {
        assert!(holds("selected(${many}, 'b')", json!({"many": ["a", "b"]})));
        assert!(!holds("selected(${many}, 'b')", json!({"many": ["a"]})));
        assert!(holds("selected(${one}, 'a')", json!({"one": "a"})));
        assert!(holds("count-selected(${many}) >= 2", json!({"many": ["a", "b"]})));
        assert!(holds("count-selected(${many}) = 0", json!({})));
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        let answers = json!({"one": "a", "score": 1});
        assert!(holds("${one} = 'a' or ${one} = 'b' and ${score} = 5", answers.clone()));
        assert!(!holds(
            "(${one} = 'a' or ${one} = 'b') and ${score} = 5",
            answers.clone()
        ));
        assert!(holds("not(${score} = 5) and not(${one} = 'b')", answers));
    }

    #[test]
    fn the_rule_is_checked_against_the_questions_before_it() {
        let unknown = rule("${nobody} = 'a'").unwrap_err();
        assert!(unknown.contains("${nobody}"), "{unknown}");
        let later = Relevance::parse("${words} = 'x'", &questions()[..2]).unwrap_err();
        assert!(later.en.contains("before this one"), "{later:?}");
        assert!(later.ja.contains("より前の質問ではありません"), "{later:?}");
        let unclosed = Relevance::parse("${one} = 'a", &questions()).unwrap_err();
        assert_eq!(unclosed.ja, "10文字目: 引用符で囲んだ文字列が閉じていません");
        assert!(rule("${one} = 'zzz'").unwrap_err().contains("not an option"));
        assert!(rule("${one} > 2").unwrap_err().contains("compare numbers"));
        assert!(rule("${score} = 'high'").unwrap_err().contains("number with a text"));
        assert!(rule("${many} = 'a'").unwrap_err().contains("selected("));
        assert!(rule("count-selected(${one}) > 1")
            .unwrap_err()
            .contains("multiple choice"));
        assert!(rule("selected(${score}, '1')").unwrap_err().contains("choice question"));
        assert!(rule("${score} >= ").unwrap_err().contains("ended"));
        assert!(rule("${one} = 'a' ${one}").unwrap_err().contains("unexpected"));
        assert!(rule("${one} = 'a").unwrap_err().contains("not closed"));
        assert!(rule("${one} == 'a'").is_err());
        assert!(rule("sqrt(${score}) > 1").unwrap_err().contains("unknown word"));
        assert!(rule("").is_err());
        let deep = format!("{}${{one}} = 'a'{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(rule(&deep).unwrap_err().contains("levels deep"));
        let nots = format!("{}${{one}} = 'a'{}", "not(".repeat(10_000), ")".repeat(10_000));
        assert!(rule(&nots).unwrap_err().contains("levels deep"));
        assert!(rule("((${one} = 'a'))").is_ok());
    }

    #[test]
    fn the_rule_reads_in_both_languages() {
        let questions = questions();
        let rule = Relevance::parse("${one} = 'a' and ${score} >= 4", &questions).unwrap();
        assert_eq!(
            rule.describe(&questions, Lang::Ja),
            "「ひとつ」が「エー」、かつ「点」が4以上"
        );
        assert_eq!(
            rule.describe(&questions, Lang::En),
            "“One” is “A” and “Score” is at least 4"
        );
        let rule = Relevance::parse("${one} = '' or 4 <= ${score}", &questions).unwrap();
        assert_eq!(
            rule.describe(&questions, Lang::En),
            "(“One” is unanswered or “Score” is at least 4)"
        );
    }

    #[test]
    fn the_rule_serialises_as_written_and_its_condition_as_a_tree() {
        let rule = rule(" ${one} = 'a' ").unwrap();
        assert_eq!(serde_json::to_value(&rule).unwrap(), json!("${one} = 'a'"));
        assert_eq!(
            serde_json::to_value(rule.condition()).unwrap(),
            json!({"op": "compare", "left": {"kind": "answer", "question": "one"}, "cmp": "eq", "right": {"kind": "text", "value": "a"}})
        );
    }
}
